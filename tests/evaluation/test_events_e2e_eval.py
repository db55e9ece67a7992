"""``sitroom eval events-e2e``: the README's scoring on hand-made documents, then the real path on dev."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import EvalError
from sitroom.evaluation import evaluator
from sitroom.evaluation.events_e2e import (
    ROLES,
    SystemArgument,
    SystemEvent,
    Tally,
    baseline_events,
    evaluate,
    score_document,
)
from tests.conftest import shared_data

TEXT = "Gunmen killed two soldiers in Kano. Police arrested five men."
GOLD = {
    "doc_id": "d1",
    "text": TEXT,
    "events": [
        {
            "class": "ASSAULT",
            "trigger": {"text": "killed", "start": 7, "end": 13},
            "arguments": [
                {"role": "actor", "text": "Gunmen", "start": 0, "end": 6},
                {"role": "recipient", "text": "soldiers", "start": 18, "end": 26},
                {"role": "place", "text": "Kano", "start": 30, "end": 34},
            ],
        },
        {
            "class": "COERCE",
            "trigger": {"text": "arrested", "start": 43, "end": 51},
            "arguments": [{"role": "recipient", "text": "men", "start": 57, "end": 60}],
        },
    ],
}


def argument(text: str, start: int | None = None) -> SystemArgument:
    span = (start, start + len(text)) if start is not None else None
    return SystemArgument(span, frozenset(text.lower().split()))


def event(cls: str, span: tuple[int, int], **arguments: tuple[SystemArgument, ...]) -> SystemEvent:
    return SystemEvent((cls,), span, {role: arguments.get(role, ()) for role in ROLES})


def test_events_and_arguments_are_matched_as_the_readme_says() -> None:
    tally = Tally()
    first, second = (0, 35), (36, 61)
    events = [
        event("ASSAULT", first, actor=(argument("Gunmen", 0),), recipient=(argument("two soldiers"),)),
        event("COERCE", second, actor=(argument("Police", 36),)),  # no gold jailer: a wrong actor
        event("PROTEST", first),  # no gold protest
    ]
    score_document(GOLD, events, tally)
    assert (tally.events["ASSAULT"].found, tally.events["ASSAULT"].correct) == (1, 1)
    assert (tally.events["COERCE"].found, tally.events["PROTEST"].correct) == (1, 0)
    assert (tally.arguments["actor"].correct, tally.arguments["actor"].system) == (1, 2)
    assert (tally.arguments["recipient"].found, tally.arguments["recipient"].gold) == (1, 2)
    assert tally.inversions == 0 and tally.assault_events == 1


def test_a_victim_named_as_the_attacker_is_a_role_inversion() -> None:
    tally = Tally()
    score_document(GOLD, [event("ASSAULT", (0, 35), actor=(argument("soldiers"),))], tally)
    assert (tally.inversions, tally.assault_events) == (1, 1)
    assert tally.arguments["actor"].correct == 0


def test_an_event_outside_the_trigger_sentence_finds_nothing() -> None:
    tally = Tally()
    score_document(GOLD, [event("ASSAULT", (36, 61))], tally)
    assert (tally.events["ASSAULT"].found, tally.events["ASSAULT"].correct) == (0, 0)


def test_keyword_baseline_tags_sentences_by_stem() -> None:
    assert [e.classes for e in baseline_events(TEXT)] == [("ASSAULT",), ("COERCE",)]


def test_a_folder_without_documents_is_an_eval_error(tmp_path: Path) -> None:
    (tmp_path / "notes.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(EvalError, match="events-e2e"):
        evaluate(tmp_path)


def test_the_stage_is_registered() -> None:
    assert evaluator("events-e2e") is evaluate


@pytest.mark.shared
@pytest.mark.model
def test_the_real_path_on_two_renamed_dev_documents(tmp_path: Path) -> None:
    source = shared_data("events-e2e") / "docs.jsonl"
    lines = source.read_text(encoding="utf-8").splitlines()[:2]
    (tmp_path / "my-split.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    metrics = evaluate(tmp_path).metrics
    promised = {"n", "event_p", "event_r", "event_f1", "actor_f1", "recipient_f1", "place_f1", "arg_f1"}
    assert promised | {"role_inversion", "mean_evidence_chars", "event_f1_ASSAULT"} <= set(metrics)
    assert metrics["n"] == 2 and metrics["event_f1"] > 0

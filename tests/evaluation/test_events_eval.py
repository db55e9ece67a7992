"""The events and acled-types scorers: mark parsing and metric keys (the dev floors: test_quality_floors.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import EvalError
from sitroom.evaluation.acled_types import TASK_CODES
from sitroom.evaluation.acled_types import evaluate as evaluate_acled
from sitroom.evaluation.events import QUAD, TO_PLV, locate_marks
from sitroom.evaluation.events import evaluate as evaluate_events
from sitroom.events.acled import OUTSIDE_ACLED, SUB_EVENT_TYPES
from sitroom.models import PLOVER_TYPES


def test_marks_are_located_in_the_unmarked_sentence() -> None:
    marked = "<s>Ukraine</s> accuses <t>Russia</t> of arming <t>Russia</t>'s proxies."
    sentence = "Ukraine accuses Russia of arming Russia's proxies."
    spans = locate_marks(marked)
    assert [sentence[a:b] for a, b in spans["s"]] == ["Ukraine"]
    assert [sentence[a:b] for a, b in spans["t"]] == ["Russia", "Russia"]


def test_every_plover_type_has_a_quad_class() -> None:
    assert {TO_PLV.get(t, t) for t in PLOVER_TYPES} <= set(QUAD)


def test_every_acled_name_has_a_task_code() -> None:
    assert set(TASK_CODES) == set(SUB_EVENT_TYPES) | set(OUTSIDE_ACLED)
    assert len(set(TASK_CODES.values())) == 30


def test_missing_folders_say_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="events-acled-types"):
        evaluate_acled(tmp_path)
    with pytest.raises(EvalError, match="events-plover"):
        evaluate_events(tmp_path)


def test_acled_scorer_on_a_small_folder(tmp_path: Path) -> None:
    (tmp_path / "test_set_final_release_with_labels.tsv").write_text(
        "id\tEventSnippet\tSubType\n"
        "1\tA grenade exploded in a bar, injuring five people.\tGRENADE\n"
        "2\tA strong earthquake struck the island.\tNATURAL_DISASTER\n"
        "3\tThe weather was mild.\tOTHER\n",
        encoding="utf-8",
    )
    metrics = evaluate_acled(tmp_path).metrics
    assert metrics["n"] == 3
    assert metrics["micro_f1"] == pytest.approx(2 / 3, abs=1e-3)
    assert {"weighted_f1", "macro_f1"} <= set(metrics)

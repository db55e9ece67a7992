"""The ACLED CSV of the demo corpus: every event whose PLOVER type maps to ACLED is typed in full."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from sitroom.cli import DEMO_CORPUS
from sitroom.config import load_settings
from sitroom.events.acled import SUB_EVENT_TYPES, allowed_sub_types
from sitroom.events.plover import EventType
from sitroom.exports import write_export
from sitroom.exports.acled import DISORDER_TYPE
from sitroom.pipeline import Sitroom
from sitroom.rules import load_rules

ACLED_PLOVER = load_rules().acled_plover
FILLED = ("event_type", "sub_event_type", "disorder_type", "interaction", "actor1", "inter1")


@pytest.fixture(scope="module")
def demo_records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    db = tmp_path_factory.mktemp("acled") / "demo.db"
    app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{db}"}))
    app.ingest([str(DEMO_CORPUS)])
    return list(app.store.iter_events())


def _mapped(record: dict[str, Any]) -> bool:
    return bool(allowed_sub_types(EventType(record["event_type"], record.get("mode")), ACLED_PLOVER))


@pytest.mark.model
def test_every_mappable_event_has_its_acled_columns(demo_records: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    write_export(iter(demo_records), "acled-csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    mapped = [(record, row) for record, row in zip(demo_records, rows, strict=True) if _mapped(record)]
    assert len(mapped) >= 15, "the demo corpus has violent, protest and arrest events"
    for record, row in mapped:
        empty = [column for column in FILLED if not row[column]]
        assert not empty, f"{record['event_type']} {record['evidence']['sentence'][:60]!r}: {empty} empty"
        assert row["disorder_type"] == DISORDER_TYPE[row["event_type"]]
        assert SUB_EVENT_TYPES[row["sub_event_type"]] == row["event_type"]


@pytest.mark.model
def test_acled_types_agree_with_the_plover_reading(demo_records: list[dict[str, Any]]) -> None:
    for record in demo_records:
        sub_type = record.get("acled_sub_event_type")
        allowed = allowed_sub_types(EventType(record["event_type"], record.get("mode")), ACLED_PLOVER)
        if record["event_type"] is None:
            continue
        assert (sub_type in allowed) if allowed else sub_type is None, record["evidence"]["sentence"][:80]
        if record.get("mode") == "aerial":
            assert sub_type == "Air/drone strike"
        if record["event_type"] == "PROTEST":
            assert record["acled_event_type"] in ("Protests", "Riots")


@pytest.mark.model
def test_an_unnamed_attacker_is_acleds_unidentified_armed_group(demo_records: list[dict[str, Any]]) -> None:
    strike = next(
        r for r in demo_records if r["evidence"]["sentence"].startswith("An air strike killed three")
    )
    out = io.StringIO()
    write_export(iter([strike]), "acled-csv", out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["sub_event_type"] == "Air/drone strike"
    assert row["actor1"] == f"Unidentified armed group ({row['country']})" and row["country"]
    assert row["inter1"] == "3"
    assert row["interaction"] in ("30", "37")  # never the victims' sole action "70"


def test_demo_corpus_is_packaged() -> None:
    assert Path(DEMO_CORPUS).is_dir()


def test_named_protesters_are_associated_with_acleds_protesters() -> None:
    record: dict[str, Any] = {
        "id": "e1",
        "acled_event_type": "Protests",
        "acled_sub_event_type": "Peaceful protest",
        "actor": [{"name": "Teachers' Union", "acled_inter": None}],
        "recipient": [],
        "location": {"country": "SYR", "name": "Qamishli"},
        "size": {},
        "evidence": {"sentence": "Teachers protested.", "outlet": "Demo Wire"},
        "attribution": {"chain": []},
        "status": "reported",
    }
    out = io.StringIO()
    write_export(iter([record]), "acled-csv", out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["actor1"], row["assoc_actor_1"], row["inter1"]) == (
        "Protesters (Syria)",
        "Teachers' Union",
        "6",
    )
    assert row["interaction"] == "60"

"""The dashboard's header (js/totals.js over GET /api/summary, run by node) says the dead of
the events in view counted once each, as computed here from the event records."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.config import Settings
from sitroom.pipeline import Sitroom
from tests.api.sample import populate
from tests.api.test_summary import expected_dead
from tests.web.node import run_js

SCRIPT = """
import { summaryNote, summaryText } from "./totals.js";
const figures = JSON.parse(process.argv[2]);
console.log(JSON.stringify([summaryText(figures), summaryNote(figures)]));
"""


def header(figures: dict[str, object], folder: Path) -> tuple[str, str]:
    text, note = run_js(folder, ("totals.js",), SCRIPT, json.dumps(figures))
    return text, note


def test_the_header_counts_each_event_once(tmp_path: Path) -> None:
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path / 'api.db'}"))
    try:
        populate(app.store)
        figures = TestClient(create_app(app)).get("/api/summary").json()
        records = list(app.store.iter_events())
    finally:
        app.store.close()
    dead, counted = expected_dead(records)
    assert (figures["dead"], figures["events_counted"]) == (dead, counted)
    assert figures["reports"] == 5 and figures["events"] == 4  # the wire and monitor reports are one event
    text, note = header(figures, tmp_path)
    assert text.startswith("4 events (5 reports) · ")
    assert f"at least {dead} reported dead" in text
    assert note.startswith("Dead: each event once")


def test_the_range_and_what_is_left_out_are_said(tmp_path: Path) -> None:
    figures = {
        "events": 2,
        "reports": 2,
        "places": 1,
        "dead": 7,
        "dead_high": 9,
        "events_counted": 1,
        "events_with_dead": 1,
        "left_out": {"denied": 1},
    }
    text, note = header(figures, tmp_path)
    assert text == "2 events · 1 place · at least 7 reported dead (up to 9 in some reports)"
    assert note.endswith("left out: 1 denied")

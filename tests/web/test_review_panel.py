"""The event panel's review section (js/review.js, run by node): the corrections log that
GET /api/events/{id} returns, in words, and the request body the form sends. The form in a
browser: tests/web/test_review_form.py."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.config import Settings
from sitroom.pipeline import Sitroom
from tests.api.sample import populate
from tests.web.node import node_or_skip, run_js

SCRIPT = """
import { entryText } from "./review.js";
console.log(JSON.stringify(JSON.parse(process.argv[2]).map(entryText)));
"""
TOKEN = "reviewer-token-0123456789"
MODULES = ("review.js", "dom.js", "api.js", "words.js")
BODY = """
import { reviewBody } from "./review.js";
console.log(JSON.stringify(JSON.parse(process.argv[2]).map(reviewBody)));
"""


def test_the_panel_words_each_log_entry(tmp_path: Path) -> None:
    node_or_skip()
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path / 'api.db'}", tokens=(f"ana:reviewer:{TOKEN}",)))
    try:
        sample = populate(app.store)
        client = TestClient(create_app(app))
        auth = {"Authorization": f"Bearer {TOKEN}"}
        url = f"/api/events/{sample.hostile}/review"
        client.post(
            url,
            json={"action": "correct", "event_type": "COERCE", "dead": "3-4", "reason": "a raid"},
            headers=auth,
        )
        client.post(url, json={"action": "confirm", "reason": "checked"}, headers=auth)
        log = client.get(f"/api/events/{sample.hostile}").json()["corrections"]
    finally:
        app.store.close()
    first, second = run_js(tmp_path, MODULES, SCRIPT, json.dumps(log))
    assert first.endswith("ana: event_type ASSAULT → COERCE; size.dead — → 3–4 — a raid")
    assert second.endswith("ana: confirmed — checked")


def test_the_form_sends_only_the_fields_given_for_its_action(tmp_path: Path) -> None:
    node_or_skip()
    typed = {
        "reason": "why",
        "kind": "duplicate",
        "other": "ev-2",
        "event_type": "",
        "dead": " 3-4 ",
        "date": "",
    }
    bodies = run_js(
        tmp_path,
        MODULES,
        BODY,
        json.dumps([{**typed, "action": a} for a in ("correct", "dismiss", "merge", "split")]),
    )
    assert bodies == [
        {"action": "correct", "reason": "why", "dead": "3-4"},
        {"action": "dismiss", "reason": "why", "kind": "duplicate"},
        {"action": "merge", "reason": "why", "other": "ev-2"},
        {"action": "split", "reason": "why"},
    ]

"""The event panel's review section (js/review.js, run by node): the corrections log that
GET /api/events/{id} returns, in words. The form itself is exercised by the API tests."""

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
    first, second = run_js(tmp_path, ("review.js", "dom.js"), SCRIPT, json.dumps(log))
    assert first.endswith("ana: event_type ASSAULT → COERCE; size.dead — → 3–4 — a raid")
    assert second.endswith("ana: confirmed — checked")

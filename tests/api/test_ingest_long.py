"""Issue 21.2 through the API: an article past spaCy's one-million-character limit in an upload
is read in pieces; the batch's other items are stored and the answer is 200, not a 500."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import TOKEN
from tests.test_pipeline import REPORT, long_article_text

pytestmark = pytest.mark.model


def test_a_long_article_in_an_upload_is_stored_with_the_rest(client: TestClient) -> None:
    lines = [
        {"url": "https://example.org/a", "text": f"Report A. {REPORT}"},
        {"url": "https://example.org/long", "text": long_article_text()},
        {"url": "https://example.org/b", "text": f"Report B. {REPORT}"},
    ]
    response = client.post(
        "/api/ingest",
        content="".join(json.dumps(line) + "\n" for line in lines).encode(),
        headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] == 3 and body["rejected"] == 0, body
    urls = {a["url"] for a in client.get("/api/articles", params={"limit": 50}).json()["articles"]}
    assert {"https://example.org/a", "https://example.org/long", "https://example.org/b"} <= urls

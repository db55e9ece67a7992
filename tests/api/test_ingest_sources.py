"""``POST /api/ingest`` takes web URLs only: never a path on the server, a folder or another scheme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitroom.pipeline import Sitroom
from tests.api.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECRET = "Airstrikes hit Idlib on 3 March, the ministry said. SECRET-SERVER-FILE"


@pytest.fixture
def server_files(tmp_path: Path) -> Path:
    """A folder on the server holding what a client must never read through the API."""
    folder = tmp_path / "server"
    folder.mkdir()
    (folder / "report.txt").write_text(SECRET, encoding="utf-8")
    (folder / "reports.jsonl").write_text(f'{{"text": "{SECRET}"}}\n', encoding="utf-8")
    return folder


def _articles(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/articles")
    assert response.status_code == 200, response.text
    return list(response.json()["articles"])


@pytest.mark.parametrize(
    "item",
    [
        "{folder}/report.txt",
        "{folder}/reports.jsonl",
        "{folder}",
        "{folder}/missing.txt",
        "file://{folder}/report.txt",
        "report.txt",
        "-",
        "ftp://example.org/report.txt",
        "http:///no-host",
    ],
)
def test_ingest_refuses_anything_but_web_urls_without_reading_it(
    client: TestClient, sitroom: Sitroom, server_files: Path, item: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = item.format(folder=server_files)
    monkeypatch.chdir(server_files)  # so that even a relative name would name a real file
    before = _articles(client)
    response = client.post("/api/ingest", json={"urls": ["http://127.0.0.1:9/ok", source]}, headers=AUTH)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["errors"] == [
        {"loc": ["body", "urls", "1"], "msg": problem["errors"][0]["msg"], "type": "value_error"}
    ]
    assert repr(source) in problem["detail"] and "http:// or https://" in problem["detail"]
    # the same answer whether the path exists or not: the filesystem was not looked at
    assert "no such file" not in problem["detail"] and SECRET not in response.text
    assert _articles(client) == before and sitroom.store.rejections() == []


def test_a_missing_and_an_existing_path_get_the_same_answer(client: TestClient, server_files: Path) -> None:
    answers = [
        client.post("/api/ingest", json={"urls": [str(path)]}, headers=AUTH)
        .json()["detail"]
        .replace(str(path), "PATH")
        for path in (server_files / "report.txt", server_files / "absent.txt")
    ]
    assert answers[0] == answers[1]


def test_web_urls_with_an_upper_case_scheme_are_fetched_not_opened(client: TestClient) -> None:
    body = client.post("/api/ingest", json={"urls": ["HTTP://127.0.0.1:9/private"]}, headers=AUTH).json()
    assert (
        body["rejected"] == 1 and "127.0.0.1" in body["errors"][0] and "no such file" not in body["errors"][0]
    )


def test_a_jsonl_upload_naming_a_server_path_is_not_read(client: TestClient, server_files: Path) -> None:
    line = f'{{"url": "{server_files / "report.txt"}"}}\n'.encode()
    response = client.post(
        "/api/ingest", content=line, headers={"Content-Type": "application/x-ndjson", **AUTH}
    )
    body = response.json()
    assert body["rejected"] == 1 and body["stored"] == 0, body
    assert "only http and https" in body["errors"][0] and SECRET not in response.text

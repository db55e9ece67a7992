"""``sitroom follow`` / ``sitroom sources`` in-process and as a process stopped by SIGTERM,
``/api/sources``, and the follower beside the API (``serve --follow``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy.exc import SQLAlchemyError

from sitroom import stages
from sitroom.api import create_app
from sitroom.cli import cli
from sitroom.config import Settings
from sitroom.errors import StoreError
from sitroom.follow import state
from sitroom.follow.background import BackgroundFollower
from sitroom.follow.lock import follower_lock
from sitroom.follow.state import SourceSpec
from sitroom.pipeline import Sitroom
from sitroom.store import open_store
from tests.follow.feeds import FakeParser, Feed, FeedServer, feed_server, no_analysis

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "s3cret-token"


@pytest.fixture(autouse=True)
def _no_nlp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stages, "analyze_article", no_analysis)
    monkeypatch.setattr(Sitroom, "resources", type("Resources", (), {"parser": FakeParser()})())


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as feeds:
        yield feeds


def run(db: str, *args: str) -> Any:
    env = {"SITROOM_FOLLOW_HOST_SPACING": "0"}
    return CliRunner(env=env).invoke(cli, [*args, "--db", db], catch_exceptions=False)


def test_follow_once_reads_the_sources_file_reports_a_bad_line_and_lists_the_sources(
    server: FeedServer, tmp_path: Path
) -> None:
    server.feeds["a"] = Feed(items=[1, 2])
    db = f"sqlite:///{tmp_path / 'f.db'}"
    listed = tmp_path / "sources.txt"
    listed.write_text(f"# followed\n{server.url('a')} 10m Outlet A\nftp://example.org/feed 60\n")
    first = run(db, "follow", "--sources", str(listed), "--once", "--allow-private")
    assert first.exit_code == 1  # the bad line
    assert f"Error: {listed}:3: 'ftp://example.org/feed' is not an http(s) URL; skipped" in first.stderr
    assert (
        "polled 1 source(s) (0 unchanged, 0 failed), 2 new item(s): stored 2 new article(s)" in first.stderr
    )

    again = run(db, "follow", "--once", "--allow-private")  # the store remembers its sources
    assert again.exit_code == 0, again.stderr
    assert again.stderr.startswith("polled 0 source(s)")  # nothing was due yet

    listing = run(db, "sources", "--format", "jsonl")
    (record,) = [json.loads(line) for line in listing.stdout.splitlines()]
    assert record["url"] == server.url("a") and record["interval_s"] == 600 and record["outlet"] == "Outlet A"
    assert (record["status"], record["items_seen"], record["articles_stored"]) == ("ok", 2, 2)
    table = run(db, "sources")
    assert "Outlet A" in table.stdout and "ok; next poll" in table.stdout


def test_follow_once_exits_1_when_a_source_fails_and_says_why(server: FeedServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'f.db'}"
    result = run(db, "follow", f"{server.base}/feed/none.xml", "--once", "--allow-private")
    assert result.exit_code == 1
    assert f"\n{server.base}/feed/none.xml: HTTP 404 [fetch-status]; next try" in "\n" + result.stderr


def test_a_second_follower_of_one_sqlite_store_is_refused(server: FeedServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'f.db'}"
    with follower_lock(db):
        result = run(db, "follow", server.url("a"), "--once", "--allow-private")
    assert result.exit_code == 2
    assert "another follower (pid" in result.stderr and "run one follower per SQLite file" in result.stderr


def test_follow_without_sources_is_a_usage_error(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'f.db'}", "follow", "--once")
    assert result.exit_code == 2 and "no sources to follow" in result.stderr


# the follower as a process: no NLP model, and each article takes a while, so SIGTERM lands mid-batch
FOLLOWER = """
import sys, time
from sitroom import stages
from sitroom.pipeline import Sitroom
from tests.follow.feeds import FakeParser, no_analysis
def slow(*args):
    time.sleep(0.4)
    return no_analysis(*args)
stages.analyze_article = slow
Sitroom.resources = type("Resources", (), {"parser": FakeParser()})()
from sitroom.cli import main
sys.argv = ["sitroom", *sys.argv[1:]]
main()
"""


def test_sigterm_mid_batch_finishes_the_item_in_hand_exits_0_and_loses_nothing(
    server: FeedServer, tmp_path: Path
) -> None:
    server.feeds["a"] = Feed(items=list(range(1, 13)))
    db = f"sqlite:///{tmp_path / 'f.db'}"
    env = {**os.environ, "SITROOM_BATCH_SIZE": "2", "SITROOM_FOLLOW_HOST_SPACING": "0"}
    process = subprocess.Popen(
        [sys.executable, "-c", FOLLOWER, "follow", server.url("a"), "--db", db, "--allow-private"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and taken(db) < 2:  # the first batch is stored
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    store = open_store(db)
    (source,) = state.list_sources(store)
    stored = store.count("articles")
    assert 2 <= stored < 12  # stopped mid-feed
    assert (
        source.items_seen == stored and source.lease_owner is None
    )  # every item taken is stored, and only those

    rest = run(db, "follow", "--once", "--allow-private")  # due again at once: the rest, nothing twice
    assert rest.exit_code == 0, rest.stderr
    assert store.count("articles") == 12 and store.count("sightings") == 12
    assert state.list_sources(store)[0].items_seen == 12
    store.close()


def taken(db: str) -> int:
    """Items the follower process recorded so far (0 while it is still making the store)."""
    try:
        store = open_store(db, migrate=False)
    except StoreError:
        return 0
    try:
        return sum(s.items_seen for s in state.list_sources(store))
    except SQLAlchemyError:
        return 0
    finally:
        store.close()


@pytest.fixture
def sitroom(tmp_path: Path) -> Iterator[Sitroom]:
    app = Sitroom(
        Settings(
            db=f"sqlite:///{tmp_path / 'api.db'}", api_token=TOKEN, allow_private=True, follow_host_spacing=0
        )
    )
    yield app
    app.store.close()


def test_the_sources_api_lists_adds_and_removes_sources(sitroom: Sitroom) -> None:
    client = TestClient(create_app(sitroom))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/sources").json() == {"updated_at": None, "sources": []}
    assert client.post("/api/sources", json={"url": "https://example.org/feed.xml"}).status_code == 401
    bad = client.post("/api/sources", json={"url": "file:///etc/passwd"}, headers=auth)
    assert bad.status_code == 422 and "is not an http(s) URL" in bad.text
    added = client.post(
        "/api/sources",
        json={"url": "https://example.org/feed.xml", "interval_s": 120, "outlet": "Ex"},
        headers=auth,
    )
    assert added.status_code == 201
    body = added.json()
    assert (body["url"], body["interval_s"], body["outlet"], body["status"]) == (
        "https://example.org/feed.xml", 120, "Ex", "new"
    )  # fmt: skip
    assert [s["id"] for s in client.get("/api/sources").json()["sources"]] == [body["id"]]
    assert client.delete(f"/api/sources/{body['id']}").status_code == 401
    assert client.delete(f"/api/sources/{body['id']}", headers=auth).status_code == 204
    assert client.delete(f"/api/sources/{body['id']}", headers=auth).status_code == 404
    assert client.get("/api/sources").json()["sources"] == []


def test_the_follower_runs_beside_the_api_and_stops_with_it(server: FeedServer, sitroom: Sitroom) -> None:
    server.feeds["a"] = Feed(items=[1, 2, 3])
    state.save_sources(sitroom.store, [SourceSpec(server.url("a"), 60)], state_now())
    follower = BackgroundFollower(sitroom)
    with TestClient(create_app(sitroom, follower=follower)) as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            listed = client.get("/api/sources").json()
            if listed["sources"][0]["articles_stored"] == 3:
                break
            time.sleep(0.1)
        assert listed["updated_at"] is not None and listed["sources"][0]["status"] == "ok"
        assert client.get("/api/articles").json()  # served as soon as stored
    assert follower._thread is not None and not follower._thread.is_alive()  # stopped on shutdown


def state_now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_serve_follow_is_refused_while_another_follower_holds_the_sqlite_store(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'f.db'}"
    listed = tmp_path / "sources.txt"
    listed.write_text("https://example.org/feed.xml\n")
    with follower_lock(db):
        result = run(db, "serve", "--follow", str(listed), "--port", "0")
    assert result.exit_code == 2 and "another follower (pid" in result.stderr

"""The event endpoints' response cache: same answers, kept until the store changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.api.app import WORKER_ENV, create_worker_app, worker_environment
from sitroom.api.cache import (
    DEFAULT_CACHE_MB,
    Cached,
    ResponseCache,
    SharedAnswers,
    cache_key,
    store_generation,
)
from sitroom.cli import cli
from sitroom.config import Settings
from sitroom.models import EventCluster
from sitroom.pipeline import Sitroom
from sitroom.store import Store
from tests.api.sample import Sample, populate


def test_a_cache_key_ignores_the_order_of_query_items() -> None:
    assert cache_key("/api/events", "place=Aleppo&limit=5") == cache_key(
        "/api/events", "limit=5&place=Aleppo"
    )
    assert cache_key("/api/events", "place=Aleppo") != cache_key("/api/events", "place=Idlib")
    assert cache_key("/api/events", "place=SYR&place=PSE") != cache_key("/api/events", "place=PSE&place=SYR")


def test_the_cache_is_on_for_a_file_store_and_answers_again_from_it(
    client: TestClient, sample: Sample
) -> None:
    cache: ResponseCache = client.app.state.response_cache  # type: ignore[attr-defined]
    assert cache.enabled
    first = client.get("/api/events", params={"place": "SYR", "limit": 2})
    key = cache_key("/api/events", "place=SYR&limit=2")
    cached = cache.get(key)
    assert cached is not None and cached.body == first.content
    again = client.get("/api/events?limit=2&place=SYR")
    assert again.content == first.content and again.headers["content-type"] == "application/json"
    assert again.headers["x-content-type-options"] == "nosniff"


def test_a_cached_answer_is_sent_gzipped_to_clients_that_accept_it(
    client: TestClient, sample: Sample
) -> None:
    path = f"/api/events/{sample.wire}"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
    zipped = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.headers["vary"] == "Accept-Encoding"
    assert int(zipped.headers["content-length"]) < len(plain.content) and zipped.content == plain.content


def test_a_write_to_the_store_empties_the_cache(sitroom: Sitroom, client: TestClient, sample: Sample) -> None:
    before = client.get(f"/api/events/{sample.evac}").json()
    listed = client.get("/api/events", params={"min_sources": 2, "group": "report"}).json()["events"]
    assert before["cluster"] is None and sample.evac not in {e["id"] for e in listed}
    sitroom.store.write_clusters([EventCluster("ev-evac", (sample.evac, sample.protest), 2, credibility=3)])
    after = client.get(f"/api/events/{sample.evac}").json()
    assert after["cluster"]["id"] == "ev-evac" and [r["id"] for r in after["reports"]] == [sample.protest]
    assert sample.evac in {
        k
        for e in client.get("/api/events", params={"min_sources": 2}).json()["events"]
        for k in e["report_ids"]
    }


def test_the_store_generation_moves_with_every_write(store: Store) -> None:
    """On both backends (PostgreSQL: the server's transaction snapshot, which other writers move too)."""
    generation = store_generation(store.engine)
    assert generation is not None
    first = generation()
    if store.engine.dialect.name == "sqlite":
        assert generation() == first
    sample = populate(store)
    second = generation()
    assert second != first
    store.write_clusters([EventCluster("ev-evac", (sample.evac, sample.protest), 2)])
    assert generation() != second


def test_errors_are_not_cached(client: TestClient, sample: Sample) -> None:
    assert client.get("/api/events/nope").status_code == 404
    assert client.app.state.response_cache.get(cache_key("/api/events/nope", "")) is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("cache_mb", [0, 64])
def test_answers_are_the_same_with_and_without_the_cache(
    sitroom: Sitroom, sample: Sample, cache_mb: int
) -> None:
    client = TestClient(create_app(sitroom, cache_mb=cache_mb))
    assert client.app.state.response_cache.enabled is (cache_mb > 0)  # type: ignore[attr-defined]
    plain = TestClient(create_app(sitroom, cache_mb=0))
    for path in ("/api/events?limit=2", f"/api/events/{sample.wire}", "/api/events?actor=hts"):
        for encoding in ("identity", "gzip"):
            headers = {"Accept-Encoding": encoding}
            assert client.get(path, headers=headers).content == client.get(path, headers=headers).content
            assert client.get(path, headers=headers).content == plain.get(path, headers=headers).content


def test_an_in_memory_store_is_served_without_a_cache() -> None:
    app = Sitroom(Settings(db="sqlite://"))
    assert not create_app(app).state.response_cache.enabled
    app.store.close()


def test_a_worker_process_builds_the_app_from_the_settings_serve_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(db=f"sqlite:///{tmp_path / 'w.db'}", api_token="t", lexicon=("a.tsv",))
    env = worker_environment(settings, cache_mb=0)
    assert json.loads(env[WORKER_ENV])["cache_mb"] == 0
    monkeypatch.setitem(os.environ, WORKER_ENV, env[WORKER_ENV])
    api = create_worker_app()
    assert api.state.sitroom.settings == settings and not api.state.response_cache.enabled
    api.state.sitroom.store.close()


def test_serve_documents_workers_and_the_cache() -> None:
    out = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "--workers" in out and "--cache-mb" in out and f"[default: {DEFAULT_CACHE_MB};" in out


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_a_kept_answer_has_the_headers_of_the_first(
    client: TestClient, sample: Sample, encoding: str
) -> None:
    path = f"/api/events?place=SYR&limit=2&_={encoding}"
    first, again = (client.get(path, headers={"Accept-Encoding": encoding}) for _ in range(2))
    assert again.content == first.content and again.status_code == 200
    assert {k: v for k, v in again.headers.items() if k != "date"} == {
        k: v for k, v in first.headers.items() if k != "date"
    }


def test_server_processes_share_answers_of_the_same_store_generation(
    tmp_path: Path, sitroom: Sitroom, sample: Sample
) -> None:
    """Two processes of one server (two caches, each with its own generation connection)."""
    shared = str(tmp_path / "answers.sqlite")
    first, second = (
        ResponseCache(store_generation(sitroom.store.engine), 10**6, SharedAnswers(shared, 10**6))
        for _ in range(2)
    )
    first.stamp(), second.stamp()  # each start moves the epoch
    key = cache_key("/api/events", "limit=2")
    first.put(key, Cached(b"made by the first"), first.stamp())
    found = second.get(key, second.stamp())
    assert found is not None and found.body == b"made by the first"
    # A write: whichever process sees it first, neither answers from before it again.
    made_before = first.stamp()
    sitroom.store.write_clusters([EventCluster("ev-evac", (sample.evac, sample.protest), 2)])
    assert second.get(key, second.stamp()) is None
    first.put(cache_key("/api/events", "limit=3"), Cached(b"stale"), made_before)  # made before the write
    assert second.get(cache_key("/api/events", "limit=3"), second.stamp()) is None
    assert first.get(key, first.stamp()) is None


def test_a_second_server_process_answers_from_the_first_ones_work(
    tmp_path: Path, sitroom: Sitroom, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = str(tmp_path / "answers.sqlite")
    one, two = (TestClient(create_app(sitroom, shared_cache=shared)) for _ in range(2))
    two.get("/api/events?limit=1")  # both processes up before the first answer is made
    path = f"/api/events/{sample.wire}"
    made = one.get(path, headers={"Accept-Encoding": "gzip"})

    def not_again(*_: object) -> None:
        raise AssertionError("the answer was made twice")

    monkeypatch.setattr("sitroom.api.routes.events.event_detail", not_again)
    for encoding in ("gzip", "identity"):
        kept = two.get(path, headers={"Accept-Encoding": encoding})
        assert kept.status_code == 200 and kept.content == made.content


def test_event_reads_run_in_a_bounded_number_of_threads(
    sitroom: Sitroom, sample: Sample, monkeypatch
) -> None:
    """However many clients ask at once, at most READ_THREADS threads of a process read the
    store for the event endpoints (more only contend for the interpreter)."""
    import asyncio
    import threading
    import time

    import httpx

    from sitroom.api.app import READ_THREADS

    running, most, lock = 0, 0, threading.Lock()
    page = type(sitroom.store).event_json_page

    def counted(self, flt, group="report"):  # type: ignore[no-untyped-def]
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return page(self, flt, group)

    monkeypatch.setattr(type(sitroom.store), "event_json_page", counted)
    app = create_app(sitroom, cache_mb=0)

    async def many() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as client:
            answers = await asyncio.gather(*(client.get(f"/api/events?limit={n}") for n in range(1, 25)))
        return [a.status_code for a in answers]

    assert asyncio.run(many()) == [200] * 24
    assert most == READ_THREADS


def test_the_api_reads_sqlite_through_a_memory_map(sitroom: Sitroom) -> None:
    from sqlalchemy import text

    from sitroom.store.store import SQLITE_MMAP_BYTES

    with sitroom.store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA mmap_size")).scalar_one() == 0  # ingest reads without
    create_app(sitroom)
    with sitroom.store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA mmap_size")).scalar_one() == SQLITE_MMAP_BYTES

"""The follower against a local server whose feeds change over time (loopback only)."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitroom import stages
from sitroom.follow import state
from sitroom.follow.follower import Follower, FollowOptions, RoundReport
from sitroom.follow.polite import MAX_BACKOFF_S, backoff_delay
from sitroom.follow.state import SourceSpec
from sitroom.pipeline import Sitroom
from sitroom.store import open_store
from tests.conftest import _pg_schema
from tests.follow.feeds import Feed, FeedServer, feed_server, make_sitroom, no_analysis

START = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
FAST = FollowOptions(host_spacing_s=0.0)


class Clock:
    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def _no_nlp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stages, "analyze_article", no_analysis)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as feeds:
        yield feeds


@pytest.fixture
def app(tmp_path: Path) -> Sitroom:
    return make_sitroom(f"sqlite:///{tmp_path / 'follow.db'}")


def follower(app: Sitroom, clock: Clock, **kw: object) -> Follower:
    return Follower(app, FAST, now=clock, rng=random.Random(7), **kw)  # type: ignore[arg-type]


def only_source(app: Sitroom) -> state.FollowedSource:
    (source,) = state.list_sources(app.store)
    return source


def test_new_items_are_picked_up_on_the_next_poll_and_an_unchanged_feed_costs_a_304(
    server: FeedServer, app: Sitroom
) -> None:
    server.feeds["a"] = Feed(items=[1, 2])
    clock = Clock()
    state.save_sources(app.store, [SourceSpec(server.url("a"), 300, "Outlet A")], clock())
    f = follower(app, clock)

    first = f.poll_due()
    assert (first.polled, first.new_items, first.ingest.stored) == (1, 2, 2)
    assert {a.outlet for a in app.store.articles()} == {"Outlet A"}
    assert f.poll_due().polled == 0  # not due again before its interval
    clock.advance(301)
    unchanged = f.poll_due()
    assert (unchanged.polled, unchanged.not_modified, unchanged.ingest.stored) == (1, 1, 0)
    assert server.not_modified["/feed/a.xml"] == 1  # the ETag was sent back and honoured

    server.feeds["a"].items.append(3)
    clock.advance(301)
    third = f.poll_due()
    assert (third.new_items, third.ingest.stored, third.ingest.known) == (1, 1, 0)
    source = only_source(app)
    assert (source.items_seen, source.articles_stored, source.status) == (3, 3, "ok")
    assert source.last_new_item == (START + timedelta(seconds=602)).isoformat()
    assert app.store.count("articles") == 3
    assert server.requests["/feed/a.xml"] == 3


def test_a_failing_source_backs_off_and_recovers(server: FeedServer, app: Sitroom) -> None:
    server.feeds["down"] = Feed(items=[1], fail=503, retry_after="900")
    clock = Clock()
    state.save_sources(app.store, [SourceSpec(server.url("down"), 60)], clock())
    f = follower(app, clock)

    report = f.poll_due()
    assert report.failed == 1 and "HTTP 503 (retry after 900 s)" in report.errors[0]
    source = only_source(app)
    assert source.status == "failing" and source.errors == 1 and "HTTP 503" in (source.last_error or "")
    assert "backing off until" in source.describe()
    assert datetime.fromisoformat(source.next_due) >= START + timedelta(seconds=900)  # Retry-After honoured
    clock.advance(600)
    assert f.poll_due().polled == 0 and server.requests["/feed/down.xml"] == 1  # not before it is due

    server.feeds["down"].retry_after = None
    clock.advance(400)
    assert f.poll_due().failed == 1
    second = only_source(app)
    waited = datetime.fromisoformat(second.next_due) - clock()
    assert second.errors == 2 and timedelta(seconds=120) <= waited <= timedelta(
        seconds=180
    )  # 60 x 2, jittered

    server.feeds["down"].fail = None
    clock.advance(181)
    back = f.poll_due()
    assert back.ingest.stored == 1
    recovered = only_source(app)
    assert (recovered.status, recovered.errors, recovered.last_error) == ("ok", 0, None)


def test_a_restart_neither_refetches_nor_duplicates(server: FeedServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'follow.db'}"
    server.feeds["links"] = Feed(items=[1, 2, 3], inline=False)  # each entry's page is fetched
    clock = Clock()
    first = make_sitroom(db)
    state.save_sources(first.store, [SourceSpec(server.url("links"), 300)], clock())
    assert follower(first, clock).poll_due().ingest.stored == 3
    first.store.close()

    clock.advance(301)
    again = make_sitroom(db)  # a new process on the same store
    report = follower(again, clock).poll_due()
    assert (report.not_modified, report.new_items) == (1, 0)
    # the feed changes: only the new entry's page is fetched, the others are known by their GUID
    server.feeds["links"].items.append(4)
    clock.advance(301)
    assert follower(again, clock).poll_due().ingest.stored == 1
    assert [server.requests[f"/page/links/{n}.html"] for n in (1, 2, 3, 4)] == [1, 1, 1, 1]
    assert again.store.count("articles") == 4 and again.store.count("sightings") == 4


def test_a_stop_between_items_loses_nothing_and_the_next_poll_takes_the_rest(
    server: FeedServer, app: Sitroom
) -> None:
    server.feeds["a"] = Feed(items=[1, 2, 3])
    clock = Clock()
    state.save_sources(app.store, [SourceSpec(server.url("a"), 300)], clock())
    f = follower(app, clock)
    ingest = app.ingest_items

    def stop_after_the_first(items: list[object], **kw: object) -> object:
        f.stop.set()  # as SIGTERM would, while the first item is being ingested
        return ingest(items, **kw)  # type: ignore[arg-type]

    app.ingest_items = stop_after_the_first  # type: ignore[method-assign]
    app.settings = app.settings.with_overrides({"batch_size": 1})
    assert f.poll_due().ingest.stored == 1
    source = only_source(app)
    assert (source.items_seen, source.etag, source.lease_owner) == (1, None, None)  # validators not kept

    app.ingest_items = ingest  # type: ignore[method-assign]
    rest = follower(app, clock).poll_due()  # due at once, a fresh follower
    assert (rest.new_items, rest.ingest.stored, rest.ingest.known) == (2, 2, 0)
    assert app.store.count("articles") == 3 and only_source(app).items_seen == 3


def test_robots_txt_is_honoured(server: FeedServer, app: Sitroom) -> None:
    server.robots = "User-agent: *\nDisallow: /feed/private\n"
    server.feeds["private"] = Feed(items=[1])
    server.feeds["public"] = Feed(items=[1])
    clock = Clock()
    state.save_sources(app.store, [SourceSpec(server.url(n), 300) for n in ("private", "public")], clock())
    report = follower(app, clock).poll_due()
    assert report.ingest.stored == 1 and report.failed == 1 and "robots.txt" in report.errors[0]
    assert (
        server.requests["/feed/private.xml"] == 0 and server.requests["/robots.txt"] == 1
    )  # cached per host


def test_a_bad_source_or_item_is_reported_with_its_reason_and_the_follower_goes_on(
    server: FeedServer, app: Sitroom
) -> None:
    server.feeds["a"] = Feed(items=[1, 2], inline=False)
    server.feeds["broken"] = Feed(items=[1])
    clock = Clock()
    urls = [server.url("broken"), f"{server.base}/feed/missing.xml", server.url("a")]
    state.save_sources(app.store, [SourceSpec(u, 300) for u in urls], clock())
    rss = server.rss

    def serve(name: str) -> bytes:
        if name == "broken":
            return b"<html>not a feed</html>"
        return rss(name).replace(b"/page/a/2.html", b"/page/a/2.png")  # its page will not be found

    server.rss = serve  # type: ignore[method-assign]
    report = follower(app, clock).poll_due()
    assert report.ingest.stored == 1  # entry 1 of feed a
    assert report.failed == 2
    assert any("broken.xml: not an RSS/Atom feed" in e for e in report.errors)
    assert any("missing.xml: HTTP 404 [fetch-status]; next try 2026-12-06T12:" in e for e in report.errors)
    # the entry whose page is missing: a rejection with its reason, stored; the source is ok
    assert report.ingest.rejected == 1 and "/page/a/2.png" in report.ingest.errors[0]
    assert [r.code for r in app.store.rejections()] == ["fetch-status"]
    assert [s.status for s in state.list_sources(app.store)] == ["failing", "failing", "ok"]


@pytest.mark.parametrize(
    ("errors", "interval", "retry_after", "low", "high"),
    [
        (1, 60, None, 60, 90),
        (3, 60, None, 240, 360),
        (1, 60, 900.0, 900, 900),
        (30, 60, None, MAX_BACKOFF_S, MAX_BACKOFF_S * 1.5),
        (30, 86400, None, 86400, 86400 * 1.5),
    ],
)
def test_backoff_is_exponential_jittered_capped_and_honours_retry_after(
    errors: int, interval: int, retry_after: float | None, low: float, high: float
) -> None:
    delays = [backoff_delay(errors, interval, retry_after, random.Random(seed)) for seed in range(20)]
    assert all(low <= d <= high for d in delays)


def poll_into(follower: Follower, reports: list[RoundReport]) -> None:
    reports.append(follower.poll_due())


@pytest.mark.postgres
def test_two_followers_on_one_postgresql_store_never_fetch_the_same_item_twice(server: FeedServer) -> None:
    names = [f"f{i}" for i in range(8)]
    for name in names:
        server.feeds[name] = Feed(items=[1, 2, 3], inline=False)
    for url, schema in _pg_schema():
        apps = [make_sitroom(url) for _ in range(2)]
        for app in apps:
            app.__dict__["store"] = open_store(url, schema=schema)
        clock = Clock()
        state.save_sources(apps[0].store, [SourceSpec(server.url(n), 300) for n in names], clock())
        followers = [Follower(app, FollowOptions(host_spacing_s=0.0, claim=1), now=clock) for app in apps]
        reports: list[RoundReport] = []
        threads = [threading.Thread(target=poll_into, args=(f, reports)) for f in followers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(r.ingest.stored for r in reports) == 24
        assert all(r.polled for r in reports)  # both took a share
        assert {server.requests[f"/feed/{n}.xml"] for n in names} == {1}
        assert {server.requests[f"/page/{n}/{i}.html"] for n in names for i in (1, 2, 3)} == {1}
        assert apps[0].store.count("articles") == 24
        for app in apps:
            app.store.close()


def test_the_watches_are_evaluated_after_a_round_that_stored_something_and_alerts_posted(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitroom.monitor import alerts, webhook

    calls: list[str] = []
    monkeypatch.setattr(
        alerts, "raise_alerts", lambda store, today, now: calls.append(f"raise {today}") or ["new"]
    )
    monkeypatch.setattr(
        webhook, "deliver_alerts", lambda store, url, now, timeout: calls.append(f"post {url}") or []
    )
    app = make_sitroom(f"sqlite:///{tmp_path / 'follow.db'}", webhook_url="https://hooks.example.org/x")
    server.feeds["a"] = Feed(items=[1])
    clock = Clock()
    state.save_sources(app.store, [SourceSpec(server.url("a"), 300)], clock())
    f = follower(app, clock)
    assert f.poll_due().alerts == 1
    assert calls == ["raise 2026-12-06", "post https://hooks.example.org/x"]
    clock.advance(301)
    assert f.poll_due().not_modified == 1
    assert len(calls) == 2  # nothing stored: the watches are not evaluated again


def test_a_dead_followers_lease_runs_out_and_another_follower_takes_the_source(
    server: FeedServer, app: Sitroom
) -> None:
    server.feeds["a"] = Feed(items=[1])
    clock = Clock()
    state.save_sources(app.store, [SourceSpec(server.url("a"), 300)], clock())
    assert len(state.claim_due(app.store, "dead-follower", clock(), 600, 8)) == 1  # then it dies
    alive = follower(app, clock)
    assert alive.poll_due().polled == 0  # leased: not polled twice
    clock.advance(601)
    assert alive.poll_due().ingest.stored == 1
    assert only_source(app).lease_owner is None


def test_a_page_source_is_ingested_when_its_content_is_new_and_only_then(
    server: FeedServer, app: Sitroom
) -> None:
    clock = Clock()
    page = f"{server.base}/page/p/1.html"  # no validators: every poll gets the body
    state.save_sources(app.store, [SourceSpec(page, 60, "Page Outlet")], clock())
    f = follower(app, clock)
    assert f.poll_due().ingest.stored == 1
    clock.advance(61)
    again = f.poll_due()
    assert (again.polled, again.new_items, again.ingest.seen) == (1, 0, 0)  # same content hash: not ingested
    assert server.requests["/page/p/1.html"] == 2 and app.store.count("articles") == 1
    assert app.store.articles()[0].outlet == "Page Outlet"

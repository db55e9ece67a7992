"""Alerts delivered to a webhook (a local HTTP server) and published as an Atom feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.etree import ElementTree as ET

import feedparser

from sitroom.monitor.alerts import MAX_ATTEMPTS, add_watch, list_alerts, save_alerts
from sitroom.monitor.feed import ATOM, render_atom
from sitroom.monitor.watches import Alert, make_watch
from sitroom.monitor.webhook import deliver_alerts
from sitroom.store import Store
from tests.monitor.builders import Hook

NOW = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)


def alert(key: str, day: date, count: int = 3) -> Alert:
    return Alert(
        key=f"watch:w:{key}",
        watch="w",
        kind="threshold",
        title=f"w: {count} event(s) & more <from {day}>",
        window_start=day,
        window_end=day + timedelta(days=6),
        count=count,
        threshold=3,
        event_ids=("m1", "m2", "m3"),
        places=("Ariha",),
    )


def test_alerts_are_posted_once_and_failures_are_recorded_not_fatal(store: Store, hook: Hook) -> None:
    add_watch(store, make_watch("w", 3, place="Ariha"), NOW)
    save_alerts(store, [alert("2026-01-05", date(2026, 1, 5)), alert("2026-01-12", date(2026, 1, 12))], NOW)
    hook.status = 500
    failed = deliver_alerts(store, hook.url, NOW)
    assert [(d.ok, d.status, d.error) for d in failed] == [(False, 500, "HTTP 500 Internal Server Error")] * 2
    assert [(a.attempts, a.last_error, a.delivered_at) for a in list_alerts(store)] == [
        (1, "HTTP 500 Internal Server Error", None)
    ] * 2
    hook.status = 204
    later = NOW + timedelta(minutes=5)
    assert [d.ok for d in deliver_alerts(store, hook.url, later)] == [True, True]
    assert deliver_alerts(store, hook.url, later) == []  # nothing left to post
    assert [(a.attempts, a.last_error, a.delivered_at) for a in list_alerts(store)] == [
        (2, None, "2026-01-14T09:05:00+00:00")
    ] * 2
    body = hook.bodies[-1]
    assert body["type"] == "sitroom.alert" and body["key"] == "watch:w:2026-01-12" and body["count"] == 3
    assert body["event_ids"] == ["m1", "m2", "m3"] and body["created_at"] == "2026-01-14T09:00:00+00:00"


def test_an_unreachable_webhook_is_tried_a_bounded_number_of_times(store: Store) -> None:
    add_watch(store, make_watch("w", 3, place="Ariha"), NOW)
    save_alerts(store, [alert("2026-01-12", date(2026, 1, 12))], NOW)
    closed = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{closed.server_address[1]}/hook"
    closed.server_close()  # nothing listens there now
    for attempt in range(1, MAX_ATTEMPTS + 1):
        (delivery,) = deliver_alerts(store, url, NOW, timeout=2.0)
        assert not delivery.ok and delivery.status is None and "ConnectError" in (delivery.error or "")
        assert list_alerts(store)[0].attempts == attempt
    assert deliver_alerts(store, url, NOW, timeout=2.0) == []


def test_the_atom_feed_is_valid_and_parses() -> None:
    alerts = [
        Alert(
            **{**alert("2026-01-12", date(2026, 1, 12)).__dict__, "created_at": "2026-01-14T09:00:00+00:00"}
        ),
        Alert(
            **{**alert("2026-01-05", date(2026, 1, 5)).__dict__, "created_at": "2026-01-07T18:30:00+00:00"}
        ),
    ]
    text = render_atom(
        alerts,
        updated=NOW,
        self_url="http://localhost:8000/api/alerts.atom",
        event_url="http://localhost:8000/api/events/{id}",
    )
    root = ET.fromstring(text.encode())
    assert root.tag == f"{{{ATOM}}}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{{{ATOM}}}{required}") is not None
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "sitroom alerts" and parsed.feed.updated == "2026-01-14T09:00:00+00:00"
    assert [e.title for e in parsed.entries] == [a.title for a in alerts]
    assert parsed.entries[0].id.startswith("urn:uuid:") and parsed.entries[0].id != parsed.entries[1].id
    assert "Places: Ariha." in parsed.entries[0].summary
    assert [link.href for link in parsed.entries[0].links if link.rel == "related"] == [
        "http://localhost:8000/api/events/m1",
        "http://localhost:8000/api/events/m2",
        "http://localhost:8000/api/events/m3",
    ]
    # the same alert keeps its id in a later rendering
    assert feedparser.parse(render_atom(alerts[:1], updated=NOW)).entries[0].id == parsed.entries[0].id
    empty = feedparser.parse(render_atom([], updated=NOW))
    assert not empty.bozo and empty.entries == [] and empty.feed.updated == "2026-01-14T09:00:00+00:00"

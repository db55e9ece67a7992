"""Plain event reads answered in front of the routes (sitroom.api.cache.QuickAnswers) are the
routes' answers, byte for byte; anything else still goes to the routes."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.api.deps import plain_event_filter
from sitroom.api.routes import events
from sitroom.pipeline import Sitroom
from sitroom.store.filters import EventFilter
from tests.api.sample import Sample

QUERIES = [
    "",
    "limit=2",
    "place=Idlib",
    "place=SYR&limit=1",
    "bbox=37.0,36.0,37.5,36.5",
    "actor=hayat",
    "event_type=protest",
    "event_type=ASSAULT&status=occurred",
    "since=2026-01-09&until=2026-01-10",
    "until=2026-01-06",
    "min_sources=2",
    "civilian_protection=corridor",
    "cluster_id=ev-ariha",
    "status=denied",
    "place=&actor=",
    "limit=007",
    "_=cache-buster&place=Idlib",
    # not plain: the routes answer (the same way with or without the layer)
    "limit=5000",
    "limit=0",
    "since=yesterday",
    "since=2026-01-10&until=2026-01-01",
    "min_sources=0",
    "civilian_protection=picnic",
    "cursor=%25%25%25",
    "event_type=bombing",
    "bbox=1,2,3",
    "place=A&place=B",
    "since=20260109",
    "status=",
    "limit=+5",
]


def answers(
    app_: Sitroom, paths: list[str], quick: bool, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[int, dict[str, str], bytes]]:
    with monkeypatch.context() as patch:
        if not quick:
            patch.setattr(events, "plain_answer", lambda *_: None)
        client = TestClient(create_app(app_, cache_mb=0))
        out = []
        for path in paths:
            got = client.get(path, headers={"Accept-Encoding": "identity"})
            out.append((got.status_code, {k: v for k, v in got.headers.items() if k != "date"}, got.content))
        return out


def test_plain_reads_are_the_routes_answers_byte_for_byte(
    sitroom: Sitroom, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [f"/api/events?{q}" for q in QUERIES] + [
        f"/api/events/{sample.wire}",
        f"/api/events/{sample.evac}",
        "/api/events/no-such-event",
        "/api/events/",
    ]
    quick, routed = answers(sitroom, paths, True, monkeypatch), answers(sitroom, paths, False, monkeypatch)
    for path, a, b in zip(paths, quick, routed, strict=True):
        assert a == b, path
    statuses = [status for status, _, _ in quick]
    assert statuses[:17] == [200] * 17 and statuses[-4:] == [200, 200, 404, 200]  # "/api/events/": redirected
    assert statuses[17:24] == [422] * 7  # "place=A&place=B", "since=20260109", "limit=+5": the route's 200


def test_the_layer_answers_plain_reads_without_the_routes(
    sitroom: Sitroom, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[str] = []
    original = events.cached_json

    async def counting(*args, **kw):  # type: ignore[no-untyped-def]
        called.append("route")
        return await original(*args, **kw)

    client = TestClient(create_app(sitroom, cache_mb=0))
    monkeypatch.setattr(events, "cached_json", counting)
    assert client.get("/api/events?place=Idlib").status_code == 200 and called == []
    assert client.get("/api/events?place=A&place=B").status_code == 200 and called == ["route"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", EventFilter()),
        ("place=Aleppo&limit=5&min_sources=2", EventFilter(place="Aleppo", limit=5, min_sources=2)),
        (
            "since=2026-01-01&status=planned&event_type=assault",
            EventFilter(since=date(2026, 1, 1), status="planned", event_type="assault"),
        ),
        (
            "bbox=36%2C35%2C38%2C37&actor=al+shabaab",
            EventFilter(bbox=(36, 35, 38, 37), actor="al shabaab"),
        ),
        (
            "unknown=1&civilian_protection=protected_site",
            EventFilter(civilian_protection="protected_site"),
        ),
        ("since=2026-02-30", None),
        ("limit=1001", None),
        ("limit=", None),
        ("min_sources=-1", None),
        ("status=occurred&status=planned", None),
        ("until=2026-1-1", None),
        ("event_type=riot", None),
    ],
)
def test_plain_event_filter(query: str, expected: object) -> None:
    assert plain_event_filter(query) == expected

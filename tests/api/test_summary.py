"""GET /api/summary: the header's totals count each real event once, at its conservative toll.

The expected total is computed here from the event records alone (group by cluster, keep
reports that say the event happened and are news, the lowest credible figure of each), not
with sitroom.corroborate.tolls."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.cli import DEMO_CORPUS
from sitroom.config import load_settings
from sitroom.pipeline import Sitroom
from tests.conftest import shared_data

pytestmark = pytest.mark.model


# how far a date of each precision reaches past its first day
_SPAN = {"day": 0, "week": 6, "month": 30, "year": 365}


def _stated(record: dict[str, Any]) -> bool:
    return bool(record["date"]) and record.get("date_source") not in ("report", "capture")


def _is_news(record: dict[str, Any]) -> bool:
    """Not background (issue 19): no date of its own, or one less than a year before its
    report, allowing its precision; a decade or century is history."""
    if not _stated(record):
        return True
    if record["date_precision"] in ("decade", "century"):
        return False
    published = record["evidence"]["published"]
    if not published:
        return True
    days = (date.fromisoformat(published[:10]) - date.fromisoformat(record["date"])).days
    return days - _SPAN[record["date_precision"] or "day"] <= 365


def expected_dead(records: list[dict[str, Any]]) -> tuple[int, int]:
    """(sum of conservative tolls, events counted) of distinct occurred, non-background,
    non-denied clusters among ``records``."""
    by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_cluster[record["cluster_id"] or record["id"]].append(record)
    total = counted = 0
    for reports in by_cluster.values():
        news = [r for r in reports if r["status"] in ("occurred", "ongoing") and _is_news(r)]
        if not news or reports[0]["credibility"] == 5:
            continue
        counted += 1
        # a figure dated only to a year is a year's tally ("so far this year"), not one event's
        figures = [
            r["size"]["dead"]["min"]
            for r in news
            if r["size"]["dead"]
            and 0 < (r["size"]["dead"]["min"] or 0) <= 5000
            and not (_stated(r) and r["date_precision"] == "year")
        ]
        total += min(figures, default=0)
    return total, counted


def _client(db: Path, sources: list[str]) -> Iterator[tuple[TestClient, Sitroom]]:
    app = Sitroom(load_settings({}, overrides={"db": f"sqlite:///{db}"}))
    app.ingest(sources)
    yield TestClient(create_app(app)), app
    app.store.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Sitroom]]:
    yield from _client(tmp_path_factory.mktemp("summary") / "demo.db", [str(DEMO_CORPUS)])


@pytest.mark.parametrize(
    "query",
    ["", "place=Idlib", "event_type=ASSAULT", "since=2026-01-08&until=2026-01-09", "status=occurred"],
)
def test_the_header_total_counts_each_event_once(demo, query):
    client, app = demo
    answer = client.get(f"/api/summary?{query}").json()
    params = dict(p.split("=") for p in query.split("&") if p)
    records = client.get("/api/events", params={**params, "group": "report", "limit": 1000}).json()["events"]
    assert answer["reports"] == len(records)
    assert answer["events"] == len({r["cluster_id"] or r["id"] for r in records})
    # the list, one row per event by default, has as many rows as the header counts events
    rows = client.get("/api/events", params={**params, "limit": 1000}).json()["events"]
    assert answer["events"] == len(rows) and answer["reports"] == sum(len(r["report_ids"]) for r in rows)
    assert (answer["dead"], answer["events_counted"]) == expected_dead(
        [
            r
            for cid in {r["cluster_id"] for r in records}
            for r in app.store.iter_events()
            if r["cluster_id"] == cid
        ]
    )


def test_the_demo_market_attack_counts_once_at_seven(demo):
    """ "At least seven" and "nine" are two reports of one attack: 7 (range 7-9), not 16; the
    demo's total was 21 (2 + 7 + 3 + 9)."""
    client, _app = demo
    answer = client.get("/api/summary").json()
    assert (answer["dead"], answer["dead_high"]) == (12, 14)
    assert answer["events"] < answer["reports"]
    assert answer["left_out"]["denied"] == 2  # the Ariha blast the ministry denies, a denied assault
    market = client.get("/api/events", params={"place": "Ariha", "group": "report", "limit": 1000}).json()[
        "events"
    ]
    toll = next(r for r in market if r["size"]["dead"] and r["size"]["dead"]["min"] == 9)
    # one row per event by default: the attack's reports are one row holding them all
    rows = client.get("/api/events", params={"place": "Ariha", "limit": 1000}).json()["events"]
    (attack,) = [r for r in rows if r["cluster_id"] == toll["cluster_id"]]
    reports = {r["id"] for r in market if r["cluster_id"] == toll["cluster_id"]}
    assert len(reports) > 1 and set(attack["report_ids"]) == reports
    cluster = client.get(f"/api/clusters/{toll['cluster_id']}").json()["cluster"]
    assert cluster["dead"] == {"min": 7, "max": 9, "text": "7+ / 9"}
    (spread,) = cluster["contradictions"]
    assert (spread["field"], spread["values"], spread["disputed"]) == ("dead", ["7+", "9"], False)
    assert sorted(r["value"] for r in spread["reports"]) == ["7+", "9"]
    assert cluster["credibility_basis"] == "2 independent sources: Demo Wire, Frontline Monitor"


@pytest.mark.shared
def test_dev_pages_and_demo_total_leaves_absurd_and_background_figures_out(tmp_path):
    """The 92 dev pages with the demo (about 330 reports; 480 before non-events such as ad copy
    and market news stopped being read as events): the header said 1,002,636 dead
    ("plague has killed millions" read as 1,000,000; a year's tally of 2,500)."""
    pages = shared_data("article-extraction") / "html"
    for client, app in _client(tmp_path / "dev.db", [str(DEMO_CORPUS), str(pages)]):
        answer = client.get("/api/summary").json()
        records = list(app.store.iter_events())
        assert answer["reports"] == len(records) > 250
        assert (answer["dead"], answer["events_counted"]) == expected_dead(records)
        assert answer["dead"] < 1000

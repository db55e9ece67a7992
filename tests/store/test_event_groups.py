"""Listing one row per event (cluster) rather than per report (issue 22), both backends."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sitroom.models import EventCluster
from sitroom.store.filters import EventFilter
from sitroom.store.store import Store
from tests.api.sample import populate
from tests.factories import analysis_of, make_article, make_mention


def test_one_row_per_event_with_its_matching_reports(store: Store) -> None:
    sample = populate(store)
    reports = store.events(EventFilter()).records
    events = store.events(EventFilter(), group="event").records
    assert len(reports) == 5 and len(events) == 4
    ariha = [r for r in events if r.get("cluster_id") == sample.cluster]
    assert len(ariha) == 1
    assert set(ariha[0]["report_ids"]) == {sample.wire, sample.monitor}
    assert ariha[0]["report_ids"][0] == ariha[0]["id"]  # the representative first
    lone = [r for r in events if r.get("cluster_id") != sample.cluster]
    assert all(r["report_ids"] == [r["id"]] for r in lone)
    assert "report_ids" not in reports[0]
    assert store.count_events(EventFilter(), group="event") == 4
    assert store.count_events(EventFilter()) == 5


def test_only_the_reports_matching_the_filter_count(store: Store) -> None:
    sample = populate(store)
    flt = EventFilter(q="Nine")
    [event] = store.events(flt, group="event").records
    assert event["id"] == sample.monitor and event["report_ids"] == [sample.monitor]
    assert store.count_events(flt, group="event") == 1


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_pages_count_events_not_reports(store: Store, limit: int) -> None:
    populate(store)
    seen: list[str] = []
    cursor = None
    while True:
        page = store.events(EventFilter(limit=limit, cursor=cursor), group="event")
        assert len(page.records) <= limit
        seen += [r["id"] for r in page.records]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [r["id"] for r in store.events(EventFilter(), group="event").records]
    assert len(seen) == len(set(seen)) == 4


def test_the_json_page_groups_alike(store: Store) -> None:
    populate(store)
    texts, cursor = store.event_json_page(EventFilter(limit=3), group="event")
    page = store.events(EventFilter(limit=3), group="event")
    assert [json.loads(x) for x in texts] == page.records and cursor == page.next_cursor


def test_a_denial_or_a_report_without_a_toll_does_not_stand_for_the_event(store: Store) -> None:
    """The newest report of the Ariha cluster denies it, the next gives no toll: the wire's
    report, saying it happened with seven dead, stands for it."""
    sample = populate(store)
    text = "The ministry denied that shelling hit Ariha. Residents said more people were hurt."
    article, source = make_article(text, "https://ministry.example/6", outlet="Ministry Page")
    denial = make_mention(
        article, "The ministry denied that shelling hit Ariha.", status="denied", when=date(2026, 1, 12)
    )
    hurt = make_mention(
        article, "Residents said more people were hurt.", event_type="COERCE", when=date(2026, 1, 10)
    )
    store.write_articles([(article, source)], {article.id: analysis_of(article, denial, hurt)})
    members = (sample.wire, sample.monitor, denial.id, hurt.id)
    store.write_clusters(
        [EventCluster(id=sample.cluster, mention_ids=members, independent_sources=3, credibility=2)]
    )
    [event] = [
        r for r in store.events(EventFilter(), group="event").records if r["cluster_id"] == sample.cluster
    ]
    assert event["status"] == "occurred" and event["size"]["dead"]["min"] in (7, 9)
    assert set(event["report_ids"]) == set(members) and event["report_ids"][0] == event["id"]
    assert store.count_events(EventFilter(), group="event") == 4

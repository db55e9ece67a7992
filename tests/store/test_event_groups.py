"""Listing one row per event (cluster) rather than per report (issue 22), both backends."""

from __future__ import annotations

import json

import pytest

from sitroom.store.filters import EventFilter
from sitroom.store.store import Store
from tests.api.sample import populate


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

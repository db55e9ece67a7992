"""Store.count_events: how many events a filter matches beyond its page ('100 of 514'), both backends."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.store.filters import EventFilter
from sitroom.store.store import Store
from tests.api.sample import populate


@pytest.mark.parametrize(
    ("flt", "count"),
    [
        (EventFilter(limit=1), 5),
        (EventFilter(place="Idlib", limit=1), 2),
        (EventFilter(event_type="ASSAULT", limit=1), 3),
        (EventFilter(since=date(2026, 1, 9), limit=2), 2),
        (EventFilter(min_sources=2), 2),
        (EventFilter(actor="nobody at all"), 0),
    ],
)
def test_the_count_ignores_the_limit_and_follows_the_filters(
    store: Store, flt: EventFilter, count: int
) -> None:
    populate(store)
    assert store.count_events(flt) == count
    assert store.count_events(flt) == sum(1 for _ in store.iter_events(flt))


def test_the_count_ignores_the_cursor(store: Store) -> None:
    populate(store)
    page = store.events(EventFilter(limit=2))
    assert page.next_cursor and store.count_events(EventFilter(limit=2, cursor=page.next_cursor)) == 5

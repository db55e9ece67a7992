"""The event filter checks itself: a value that means nothing names the field and the valid values."""

from __future__ import annotations

from datetime import date

import pytest

from sitroom.errors import FilterError
from sitroom.store.filters import MAX_PAGE, EventFilter, encode_cursor


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, EventFilter()),
        ({"event_type": "assault", "status": "planned"}, EventFilter(event_type="ASSAULT", status="planned")),
        ({"civilian_protection": "Evacuation"}, EventFilter(civilian_protection="evacuation")),
        (
            {"bbox": "36,35,38,37", "actor": "al shabaab"},
            EventFilter(bbox=(36, 35, 38, 37), actor="al shabaab"),
        ),
        (
            {"since": "2026-01-01", "until": "2026-01-31"},
            EventFilter(since=date(2026, 1, 1), until=date(2026, 1, 31)),
        ),
        ({"min_sources": "2", "limit": "007"}, EventFilter(min_sources=2, limit=7)),
        ({"place": "", "actor": "", "event_type": "", "bbox": ""}, EventFilter()),
        ({"place": None, "unknown": "x"}, EventFilter()),
    ],
)
def test_parse(values: dict[str, str | None], expected: EventFilter) -> None:
    assert EventFilter.parse(values) == expected


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"event_type": "BOMBING"}, "event_type", "valid: AGREE, CONSULT"),
        ({"status": "maybe"}, "status", "valid: occurred, ongoing, planned"),
        ({"status": ""}, "status", "valid: occurred"),
        ({"civilian_protection": "picnic"}, "civilian_protection", "valid: evacuation, corridor"),
        ({"bbox": "1,2,3"}, "bbox", "has 3 numbers"),
        ({"bbox": "a,b,c,d"}, "bbox", "is not four numbers"),
        ({"bbox": "10,0,5,1"}, "bbox", "is not a box"),
        ({"since": "yesterday"}, "since", "YYYY-MM-DD"),
        ({"until": "2026-02-30"}, "until", "YYYY-MM-DD"),
        ({"since": "2026-01-10", "until": "2026-01-01"}, "until", "before since"),
        ({"min_sources": "0"}, "min_sources", "1 or more"),
        ({"min_sources": "-1"}, "min_sources", "whole number"),
        ({"limit": "+5"}, "limit", "whole number"),
        ({"limit": "1001"}, "limit", f"({MAX_PAGE})"),
        ({"cursor": "%%%"}, "cursor", "not a cursor"),
        ({"cursor": encode_cursor("no bar")}, "cursor", "not a cursor"),
    ],
)
def test_a_bad_value_names_the_field_and_what_is_valid(values: dict[str, str], field: str, says: str) -> None:
    with pytest.raises(FilterError) as caught:
        EventFilter.parse(values, max_limit=MAX_PAGE)
    assert caught.value.name == field and says in caught.value.detail
    assert caught.value.message == f"{field}: {caught.value.detail}"


def test_a_filter_built_directly_is_checked_too() -> None:
    with pytest.raises(FilterError, match="is not a PLOVER event type"):
        EventFilter(event_type="riot")
    with pytest.raises(FilterError, match="page size"):
        EventFilter(limit=0)
    assert EventFilter(cursor=encode_cursor("2026-01-09|ev-1")).cursor == encode_cursor("2026-01-09|ev-1")

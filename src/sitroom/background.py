"""Background: what a report tells of the past rather than the news of its day.

One definition (issue 19) for every part that leaves such events out by default: the header
totals (:mod:`sitroom.corroborate.tolls`), the store's event filter (``background``
exclude | include | only, :class:`sitroom.store.filters.EventFilter`), the monitor's series,
signals, alerts, escalation and protection views (:mod:`sitroom.monitor.incidents`) and the
``background`` field of the event record (:func:`sitroom.records.event_record`).

An event is background when its own text (or an analyst) dates it more than
``BACKGROUND_DAYS`` before its report's publication, allowing its date's precision ("the
1967 war" in a 2026 article, "the cases were dropped in 2015" in a 2019 one), or only to a
decade or century ("the 1990s", "a 14th-century plague"). A year counts
like any other date: "2,500 killed in 2025" in a January 2026 article is last year's news,
not history. An event dated from its report (``date_source`` "report" or "capture") is never
background: the report's day says nothing of when it happened. Background events are kept
and listed with the filter; they are history, not the present picture.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sitroom.models import INFERRED_DATE_SOURCES

# More than a year before its report, as the issue and ACLED's practice of coding late-reported
# events have it: an attack first reported two months on is news of that attack.
BACKGROUND_DAYS = 365
# How far a date of each precision may reach past its first day (a week's Monday, a month's
# first, a year's January 1st), so that only a date wholly more than a year back is background.
_SPAN_DAYS: dict[str, int] = {"day": 0, "week": 6, "month": 30, "year": 365}
# A date known only to its decade or century ("the 1990s", "a 14th-century plague") is history.
HISTORY_PRECISIONS = frozenset({"decade", "century"})
# A report's news: what happened within the week before it (ACLED codes an undated event at its
# report's date, precision "week"). An act its text dates earlier is another story's, told in
# passing: the report's dateline or focus town says nothing of where it happened.
NEWS_DAYS = 7


def is_background(
    day: date | None, precision: str | None, source: str | None, published: date | None
) -> bool:
    """Whether an event dated ``day`` (first day of its ``precision``), its date coming from
    ``source`` (``date_source``), told in a report published on ``published``, is background
    (module docstring). Unknown publication: background only by a decade or century."""
    if day is None or source in INFERRED_DATE_SOURCES:
        return False
    if precision in HISTORY_PRECISIONS:
        return True
    if published is None:
        return False
    return (published - day).days - _SPAN_DAYS.get(precision or "day", 0) > BACKGROUND_DAYS


def is_news(day: date, precision: str | None, reference: date) -> bool:
    """Whether an act dated ``day`` (first day of its ``precision``) may be the news of a report
    of ``reference`` (its publication, else capture, day): its date reaches into the
    ``NEWS_DAYS`` before it. "On Friday" and "last month" in a report of December 6th are;
    "in April" and "the April 15, 2013, attack" are not."""
    if precision in HISTORY_PRECISIONS:
        return False
    return (reference - day).days - _SPAN_DAYS.get(precision or "day", 0) <= NEWS_DAYS


def record_is_background(record: Mapping[str, Any]) -> bool:
    """:func:`is_background` of an event record (docs/interfaces.md): its date, precision and
    source, and its evidence's publication date."""
    return is_background(
        record_day(record.get("date")),
        record.get("date_precision"),
        record.get("date_source"),
        record_day((record.get("evidence") or {}).get("published")),
    )


def record_day(value: str | None) -> date | None:
    """The day an event record's ISO date string names (its first ten characters); None for
    none or a value that is no date."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None

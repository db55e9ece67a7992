"""The escalation view of one place or dyad: its series and its signals over one span, as
``sitroom escalation --place/--dyad`` and ``GET /api/escalation`` both show it
(docs/monitoring.md)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sitroom.monitor.incidents import Incident, record_start
from sitroom.monitor.series import Period, SeriesPoint, Subject, build_series
from sitroom.monitor.signals import Signal, signals_for

# Periods shown when the caller names none: a quarter of weeks, four weeks of days.
DEFAULT_PERIODS: dict[Period, int] = {"week": 12, "day": 28}


@dataclass(frozen=True)
class EscalationView:
    """The series of ``subject`` up to ``today`` (oldest first) and its signals.
    ``incidents`` counts the subject's incidents on record, any day; ``record_start`` is the
    first day the store's record covers."""

    subject: Subject
    period: Period
    today: date
    record_start: date | None
    incidents: int
    series: tuple[SeriesPoint, ...]
    signals: tuple[Signal, ...]


def build_escalation_view(
    incidents: Sequence[Incident], subject: Subject, period: Period, today: date, periods: int | None = None
) -> EscalationView:
    """The last ``periods`` days or ISO weeks of ``subject`` (default ``DEFAULT_PERIODS``)
    and its signals: trend signals of the weeks the span covers (a span of days is rounded
    up to whole weeks), highest-in-a-long-time and de-escalation events."""
    count = periods or DEFAULT_PERIODS[period]
    start = record_start(incidents)
    weeks = count if period == "week" else math.ceil(count / 7)
    return EscalationView(
        subject=subject,
        period=period,
        today=today,
        record_start=start,
        incidents=sum(1 for i in incidents if subject.matches(i)),
        series=tuple(build_series(incidents, subject, period, today, count)),
        signals=tuple(signals_for(incidents, subject, today, start, weeks=weeks)),
    )


def latest_day(incidents: Sequence[Incident], subject: Subject, today: date) -> date:
    """The last day of the ISO week of ``subject``'s newest dated incident up to ``today`` (that
    week complete, so its trend is judged), else ``today``: where a store mixes dates (an archive
    beside a live feed), a place's chart ends at its own weeks."""
    newest = max((i.day for i in incidents if i.day and i.day <= today and subject.matches(i)), default=None)
    if newest is None:
        return today
    return min(today, newest + timedelta(days=6 - newest.weekday()))

"""Escalation and de-escalation signals with documented rules (docs/monitoring.md).

1. Trend, ACLED early-warning style: a complete ISO week against the average of the four
   weeks before it. More than +25 % is a large increase, +10 % to +25 % a moderate one
   (likewise -25 % and -10 % for decreases). Small numbers are guarded: an increase needs at
   least ``MIN_WEEK_EVENTS`` events in the week and ``MIN_CHANGE_EVENTS`` more than the
   average (so 1 -> 2 events is no signal); a decrease needs an average of at least
   ``MIN_WEEK_EVENTS`` and a drop of ``MIN_CHANGE_EVENTS``. A week is judged only when the
   store's record covers its four baseline weeks (an empty baseline before the store began
   is no evidence of calm).
2. Highest in a long time, as humanitarian signal services do: the 30-day total ending today
   is higher than every 30-day total ending on any day of the previous one (or three) years,
   and at least a minimum. Claimed only when the store's record reaches back that far.
3. De-escalation events: talks held, agreements, ceasefires, withdrawals, releases, access
   granted, concessions, evacuations completed, in the seven days ending today.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Literal

from sitroom.monitor.incidents import HAPPENED, Incident
from sitroom.monitor.series import Level, SeriesPoint, Subject, build_series, daily_values, group_by_subject

Direction = Literal["escalation", "de-escalation"]

# ACLED's early-warning bands: week against the average of the previous four.
LARGE_CHANGE = 0.25
MODERATE_CHANGE = 0.10
BASELINE_WEEKS = 4
# Small-number guards, set so that a week of 1 -> 2 or 2 -> 3 events raises nothing: a
# change of one event in a handful says nothing about a trend.
MIN_WEEK_EVENTS = 3
MIN_CHANGE_EVENTS = 2

# The highest-in-a-long-time rule: 30-day totals against one and three years back.
ROLLING_DAYS = 30
HORIZONS: tuple[tuple[str, int], ...] = (("3y", 3 * 365), ("1y", 365))
# Minimum 30-day totals for the rule to speak (a place going from 0 to 2 events is not news).
MIN_ROLLING: dict[str, float] = {"events": 5, "fatalities": 10}

# Days, ending today, in which de-escalation events are reported.
DEESCALATION_DAYS = 7
# Why an incident is a de-escalation sign: by mode first (more specific), then by type.
DEESCALATION_MODES = {
    "ceasefire": "ceasefire",
    "withdraw": "withdrawal",
    "release": "release",
    "access": "access granted",
}
DEESCALATION_TYPES = {"AGREE": "agreement", "CONSULT": "talks", "RETREAT": "easing", "CONCEDE": "concession"}
EVACUATION_COMPLETED = "evacuation completed"


@dataclass(frozen=True)
class Signal:
    """One signal about one subject. ``kind``: increase_large, increase_moderate,
    decrease_large, decrease_moderate, highest_1y, highest_3y or deescalation."""

    kind: str
    direction: Direction
    subject: str
    level: Level
    start: date
    end: date
    metric: str  # events, fatalities, intensity (deescalation: events)
    value: float
    baseline: float | None  # trend: average of the previous weeks; highest: previous maximum
    change: float | None  # trend: relative change (None when the baseline is 0)
    reason: str
    event_ids: tuple[str, ...] = ()


def classify_change(value: float, baseline: float) -> tuple[str, float | None] | None:
    """The trend kind of ``value`` against ``baseline`` (the rule above), or None."""
    change = (value - baseline) / baseline if baseline else None
    if value >= MIN_WEEK_EVENTS and value - baseline >= MIN_CHANGE_EVENTS:
        if change is None or change > LARGE_CHANGE:
            return "increase_large", change
        if change >= MODERATE_CHANGE:
            return "increase_moderate", change
    if baseline >= MIN_WEEK_EVENTS and baseline - value >= MIN_CHANGE_EVENTS and change is not None:
        if change < -LARGE_CHANGE:
            return "decrease_large", change
        if change <= -MODERATE_CHANGE:
            return "decrease_moderate", change
    return None


def detect_trend(
    points: Sequence[SeriesPoint], record_start: date | None, metric: str = "events"
) -> list[Signal]:
    """Trend signals of every complete week in a weekly series that has four weeks before it,
    all of them on record (``record_start``: the first day the store holds; None: nothing)."""
    signals = []
    for i in range(BASELINE_WEEKS, len(points)):
        point = points[i]
        if not point.complete or record_start is None or record_start > points[i - BASELINE_WEEKS].start:
            continue
        value = point.value(metric)
        baseline = sum(p.value(metric) for p in points[i - BASELINE_WEEKS : i]) / BASELINE_WEEKS
        found = classify_change(value, baseline)
        if found is None:
            continue
        kind, change = found
        percent = "new" if change is None else f"{change:+.0%}"
        signals.append(
            Signal(
                kind=kind,
                direction="escalation" if kind.startswith("increase") else "de-escalation",
                subject=point.subject,
                level=point.level,
                start=point.start,
                end=point.end,
                metric=metric,
                value=value,
                baseline=round(baseline, 3),
                change=None if change is None else round(change, 3),
                reason=f"{value:g} {metric} in the week of {point.start} against an average of {baseline:g} "
                f"over the previous {BASELINE_WEEKS} weeks ({percent})",
            )
        )
    return signals


def detect_highest(
    incidents: Sequence[Incident],
    subject: Subject,
    today: date,
    record_start: date | None,
    metric: str = "events",
) -> Signal | None:
    """The highest-in-a-long-time signal for ``subject``: the longest horizon (three years, else
    one) over which today's 30-day total is a new high, or None. ``record_start`` is the first
    day the store holds (a claim about a year needs a year of record)."""
    if record_start is None:
        return None
    longest = max(days for _, days in HORIZONS)
    first = today - timedelta(days=longest + ROLLING_DAYS - 1)
    recent = daily_values(incidents, subject, today - timedelta(days=ROLLING_DAYS - 1), today, metric)
    if sum(recent) < MIN_ROLLING.get(metric, 0):
        return None
    daily = daily_values(incidents, subject, first, today, metric)
    cumulative = [0.0, *accumulate(daily)]
    # rolling[k]: the 30-day total ending on day first + k + ROLLING_DAYS - 1
    rolling = [cumulative[k + ROLLING_DAYS] - cumulative[k] for k in range(len(daily) - ROLLING_DAYS + 1)]
    current = rolling[-1]
    for name, days in HORIZONS:
        if record_start > today - timedelta(days=days):
            continue
        previous = max(rolling[-1 - days : -1])
        if current > previous:
            years = "three years" if name == "3y" else "a year"
            return Signal(
                kind=f"highest_{name}",
                direction="escalation",
                subject=subject.name,
                level=subject.level,
                start=today - timedelta(days=ROLLING_DAYS - 1),
                end=today,
                metric=metric,
                value=current,
                baseline=previous,
                change=None,
                reason=f"{current:g} {metric} in the 30 days to {today}: the highest 30-day total in {years} "
                f"(previous high {previous:g})",
            )
    return None


def deescalation_reason(incident: Incident) -> str | None:
    """Why an incident is a sign of de-escalation, or None. Only what happened counts; an
    evacuation counts when it is reported done (status occurred)."""
    if "evacuation" in incident.civilian_protection and incident.status == "occurred":
        return EVACUATION_COMPLETED
    if incident.status not in HAPPENED:
        return None
    if incident.mode in DEESCALATION_MODES:
        return DEESCALATION_MODES[incident.mode]
    return DEESCALATION_TYPES.get(incident.event_type or "")


def detect_deescalation(incidents: Iterable[Incident], subject: Subject, today: date) -> list[Signal]:
    """One signal per reason with the de-escalation incidents of ``subject`` in the seven
    days ending ``today``."""
    start = today - timedelta(days=DEESCALATION_DAYS - 1)
    found: dict[str, list[str]] = {}
    for incident in incidents:
        if incident.day is None or not start <= incident.day <= today or not subject.matches(incident):
            continue
        if reason := deescalation_reason(incident):
            found.setdefault(reason, []).append(incident.report_id)
    return [
        Signal(
            kind="deescalation",
            direction="de-escalation",
            subject=subject.name,
            level=subject.level,
            start=start,
            end=today,
            metric="events",
            value=len(ids),
            baseline=None,
            change=None,
            reason=f"{reason}: {len(ids)} event(s) from {start} to {today}",
            event_ids=tuple(sorted(ids)),
        )
        for reason, ids in sorted(found.items())
    ]


def last_complete_week(today: date) -> date:
    """Monday of the latest ISO week whose Sunday is on or before ``today``."""
    monday = today - timedelta(days=today.weekday())
    return monday if today.weekday() == 6 else monday - timedelta(days=7)


def signals_for(
    incidents: Sequence[Incident], subject: Subject, today: date, record_start: date | None, weeks: int = 12
) -> list[Signal]:
    """Every signal about ``subject``: trend signals over the last ``weeks`` weeks (history
    included), highest-in-a-long-time on events and fatalities, and de-escalation events."""
    points = build_series(incidents, subject, "week", today, weeks + BASELINE_WEEKS)
    signals = detect_trend(points, record_start)
    for metric in ("events", "fatalities"):
        if highest := detect_highest(incidents, subject, today, record_start, metric):
            signals.append(highest)
    signals.extend(detect_deescalation(incidents, subject, today))
    return sort_signals(signals)


def scan_signals(
    incidents: Sequence[Incident],
    today: date,
    record_start: date | None,
    levels: Sequence[Level] = ("admin1", "city", "dyad"),
) -> list[Signal]:
    """The current signals of every place and dyad: the trend of the last complete week,
    highest-in-a-long-time and de-escalation events."""
    week = last_complete_week(today)
    signals: list[Signal] = []
    for level in levels:
        for subject, mine in group_by_subject(incidents, level).items():
            points = build_series(mine, subject, "week", today, BASELINE_WEEKS + 2)
            signals.extend(s for s in detect_trend(points, record_start) if s.start == week)
            for metric in ("events", "fatalities"):
                if highest := detect_highest(mine, subject, today, record_start, metric):
                    signals.append(highest)
            signals.extend(detect_deescalation(mine, subject, today))
    return sort_signals(signals)


def sort_signals(signals: Iterable[Signal]) -> list[Signal]:
    """Newest first, then by kind, level and subject (a stable order for tables and tests)."""
    return sorted(signals, key=lambda s: (-s.end.toordinal(), s.kind, s.level, s.subject, s.metric))

"""Signals on synthetic series with known changes: they fire where they should and not before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sitroom.monitor.incidents import Incident
from sitroom.monitor.series import Subject, build_series
from sitroom.monitor.signals import (
    classify_change,
    deescalation_reason,
    detect_deescalation,
    detect_highest,
    detect_trend,
    last_complete_week,
    scan_signals,
    signals_for,
)
from tests.monitor.builders import incident, numbered

IDLIB = Subject.of_place("Idlib", "admin1")
FIRST_MONDAY = date(2025, 10, 6)
STEP_WEEK = 8  # weeks 0-7: 4 events a week; from week 8: 7 a week


def step_series() -> list[Incident]:
    found = []
    for week in range(12):
        monday = FIRST_MONDAY + timedelta(weeks=week)
        for n in range(7 if week >= STEP_WEEK else 4):
            found.append(incident(monday + timedelta(days=n % 7)))
    return numbered(found)


@pytest.mark.parametrize(
    ("value", "baseline", "kind"),
    [
        (10, 4, "increase_large"),
        (6, 4, "increase_large"),
        (5, 4, None),  # +25 %, but one event more
        (22, 20, "increase_moderate"),  # +10 %
        (25, 20, "increase_moderate"),  # +25 % exactly: not "more than 25 %"
        (21, 20, None),  # +5 %, and one event
        (2, 1, None),  # 1 -> 2 is not large: too few events
        (3, 2, None),  # +50 % but one event more
        (3, 0, "increase_large"),  # from nothing to three
        (2, 0, None),
        (12, 20, "decrease_large"),
        (17, 20, "decrease_moderate"),
        (1, 2, None),  # baseline too small to speak of a decrease
    ],
)
def test_change_bands(value: float, baseline: float, kind: str | None) -> None:
    found = classify_change(value, baseline)
    assert (found[0] if found else None) == kind


def test_step_change_fires_in_the_step_week_and_not_before() -> None:
    found = step_series()
    step_monday = FIRST_MONDAY + timedelta(weeks=STEP_WEEK)
    # 7 against 4 (+75 %), then 7 against (4 + 4 + 4 + 7) / 4 = 4.75 (+47 %), then 5.5 (1.5 more: none)
    firing = {step_monday: 0.75, step_monday + timedelta(weeks=1): 0.474}
    for offset in range(4 * 7, 12 * 7):
        today = FIRST_MONDAY + timedelta(days=offset)
        week = last_complete_week(today)
        points = build_series(found, IDLIB, "week", today, 8)
        current = [s for s in detect_trend(points, FIRST_MONDAY) if s.start == week]
        if week in firing:
            assert [(s.kind, s.change) for s in current] == [("increase_large", firing[week])], today
        else:
            assert current == [], today
    # the step week's own Sunday is the first day it fires; the Saturday before, nothing
    saturday = step_monday + timedelta(days=5)
    assert [
        s
        for s in detect_trend(build_series(found, IDLIB, "week", saturday, 8), FIRST_MONDAY)
        if s.start >= step_monday
    ] == []


def test_history_stops_once_the_new_level_is_the_baseline() -> None:
    today = FIRST_MONDAY + timedelta(weeks=11, days=6)
    history = detect_trend(build_series(step_series(), IDLIB, "week", today, 12), FIRST_MONDAY)
    weeks = {(s.start - FIRST_MONDAY).days // 7: s.kind for s in history}
    # week 10: 7 against 5.5 (+27 %, but 1.5 events more); week 11: 7 against 6.25
    assert weeks == {8: "increase_large", 9: "increase_large"}
    # a record that begins in week 5 cannot judge week 8 (its baseline starts in week 4)
    late = detect_trend(
        build_series(step_series(), IDLIB, "week", today, 12), FIRST_MONDAY + timedelta(weeks=5)
    )
    assert {(s.start - FIRST_MONDAY).days // 7 for s in late} == {9}
    assert detect_trend(build_series(step_series(), IDLIB, "week", today, 12), None) == []


def _daily(first: date, last: date, every: int) -> list[Incident]:
    days = (last - first).days + 1
    return [incident(first + timedelta(days=d)) for d in range(0, days, every)]


def test_highest_in_a_year_and_in_three_years() -> None:
    today = date(2026, 1, 14)
    background = _daily(today - timedelta(days=4 * 365), today, 5)  # 6 in any 30 days
    spike = [incident(today - timedelta(days=d)) for d in range(4)]
    found = numbered(background + spike)
    signal = detect_highest(found, IDLIB, today, record_start=today - timedelta(days=4 * 365))
    # 6 + 4 events now; the window ending yesterday held 6 + 3
    assert signal is not None and (signal.kind, signal.value, signal.baseline) == ("highest_3y", 10, 9)
    # the store's record begins 18 months ago: a year can be claimed, three cannot
    signal = detect_highest(found, IDLIB, today, record_start=today - timedelta(days=540))
    assert signal is not None and signal.kind == "highest_1y"
    assert detect_highest(found, IDLIB, today, record_start=today - timedelta(days=100)) is None
    # a spike two years ago makes today's the highest in one year only
    old = [incident(today - timedelta(days=730 + d)) for d in range(10)]
    signal = detect_highest(
        numbered(background + spike + old), IDLIB, today, record_start=today - timedelta(days=4 * 365)
    )
    assert signal is not None and signal.kind == "highest_1y"
    # no spike: no signal; the day before the spike began: no signal
    assert detect_highest(numbered(background), IDLIB, today, today - timedelta(days=4 * 365)) is None
    assert detect_highest(found, IDLIB, today - timedelta(days=4), today - timedelta(days=4 * 365)) is None


def test_highest_needs_a_minimum_total() -> None:
    today = date(2026, 1, 14)
    found = numbered([incident(today), incident(today - timedelta(days=1))])
    assert detect_highest(found, IDLIB, today, record_start=today - timedelta(days=800)) is None


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"event_type": "RETREAT", "mode": "ceasefire"}, "ceasefire"),
        ({"event_type": "RETREAT", "mode": "withdraw"}, "withdrawal"),
        ({"event_type": "AGREE"}, "agreement"),
        ({"event_type": "CONSULT", "status": "ongoing"}, "talks"),
        ({"event_type": "RETREAT", "mode": "access", "protection": ("evacuation",)}, "evacuation completed"),
        (
            {"event_type": "RETREAT", "mode": "access", "protection": ("evacuation",), "status": "ongoing"},
            "access granted",
        ),
        ({"event_type": "CONSULT", "status": "planned"}, None),
        ({"event_type": "RETREAT", "mode": "ceasefire", "status": "denied"}, None),
        ({"event_type": "ASSAULT"}, None),
    ],
)
def test_deescalation_reasons(kwargs: dict[str, object], reason: str | None) -> None:
    assert deescalation_reason(incident(date(2026, 1, 5), **kwargs)) == reason  # type: ignore[arg-type]


def test_deescalation_signal_lists_the_events_of_the_last_seven_days() -> None:
    today = date(2026, 1, 14)
    found = numbered(
        [
            incident(today - timedelta(days=1), "RETREAT", mode="ceasefire"),
            incident(today - timedelta(days=6), "RETREAT", mode="ceasefire"),
            incident(today - timedelta(days=7), "RETREAT", mode="ceasefire"),  # eight days ago
            incident(today, "CONSULT"),
            incident(today, "CONSULT", admin1="Aleppo", city="Aleppo"),
        ]
    )
    signals = detect_deescalation(found, IDLIB, today)
    assert [(s.reason.split(":")[0], s.value, len(s.event_ids)) for s in signals] == [
        ("ceasefire", 2, 2),
        ("talks", 1, 1),
    ]
    assert all(s.direction == "de-escalation" and s.start == date(2026, 1, 8) for s in signals)


def test_scan_reports_current_signals_per_place_and_dyad() -> None:
    found = step_series()
    today = FIRST_MONDAY + timedelta(weeks=STEP_WEEK, days=6)
    signals = scan_signals(found, today, record_start=FIRST_MONDAY)
    kinds = {(s.level, s.subject, s.kind) for s in signals}
    assert ("admin1", "Idlib", "increase_large") in kinds
    assert ("city", "Ariha", "increase_large") in kinds
    assert ("dyad", "Hayat Tahrir al-Sham – Syrian Arab Army", "increase_large") in kinds
    assert scan_signals(found, today - timedelta(days=7), record_start=FIRST_MONDAY) == []
    assert signals_for(found, IDLIB, today, FIRST_MONDAY)[0].kind == "increase_large"

"""Series per place and dyad: counts, intensity weights, and what is kept apart."""

from __future__ import annotations

import math
from datetime import date

import pytest

from sitroom.models import PLOVER_TYPES
from sitroom.monitor.series import (
    FATALITY_WEIGHT,
    MODE_FACTORS,
    TYPE_WEIGHTS,
    Subject,
    build_series,
    group_by_subject,
    score_incident,
)
from tests.monitor.builders import incident, numbered

TODAY = date(2026, 1, 14)  # a Wednesday: the week of 12 January is not complete


def test_every_plover_type_has_a_weight_and_every_lexicon_mode_a_factor() -> None:
    assert set(TYPE_WEIGHTS) == set(PLOVER_TYPES)
    assert all(factor > 0 for factor in MODE_FACTORS.values())


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, 3.0),
        ({"mode": "aerial"}, 4.5),
        ({"mode": "aerial", "dead": 7}, 4.5 + 3 * FATALITY_WEIGHT),
        ({"event_type": "COERCE", "mode": "arrest"}, 1.5),
        ({"event_type": "THREATEN"}, 0.5),
        ({"event_type": "AGREE"}, 0.0),
        ({"status": "planned"}, 0.0),
        ({"status": "denied", "dead": 9}, 0.0),
    ],
)
def test_intensity_weights(kwargs: dict[str, object], expected: float) -> None:
    assert math.isclose(score_incident(incident(date(2026, 1, 5), **kwargs)), expected)  # type: ignore[arg-type]


def test_weekly_series_counts_what_happened_and_keeps_planned_and_denied_apart() -> None:
    found = numbered(
        [
            incident(date(2026, 1, 5), dead=2),
            incident(date(2026, 1, 11), mode="aerial"),
            incident(date(2026, 1, 6), status="planned"),
            incident(date(2026, 1, 7), status="denied"),
            incident(date(2026, 1, 7), "CONSULT"),
            incident(date(2026, 1, 12), status="ongoing"),
            incident(date(2026, 1, 13), admin1="Aleppo", city="Aleppo"),
            incident(date(2026, 1, 20)),  # after today: not yet
        ]
    )
    points = build_series(found, Subject.of_place("Idlib", "admin1"), "week", TODAY, 3)
    assert [p.start for p in points] == [date(2025, 12, 29), date(2026, 1, 5), date(2026, 1, 12)]
    assert [p.complete for p in points] == [True, True, False]
    week = points[1]
    assert (week.events, week.fatalities, week.planned, week.denied, week.deescalation) == (2, 2, 1, 1, 1)
    assert math.isclose(week.intensity, 3.0 + math.log2(3) + 4.5, abs_tol=1e-3)
    assert points[2].events == 1 and points[0].events == 0
    daily = build_series(found, Subject.of_place("Ariha"), "day", TODAY, 10)
    assert [p.events for p in daily] == [1, 0, 0, 0, 0, 0, 1, 1, 0, 0]


def test_dyads_are_unordered_pairs_of_canonical_names() -> None:
    found = numbered(
        [
            incident(date(2026, 1, 5)),
            incident(date(2026, 1, 6), actors=("Hayat Tahrir al-Sham",), recipients=("Syrian Arab Army",)),
            incident(date(2026, 1, 6), recipients=("Civilians (Syria)",)),
            incident(date(2026, 1, 6), recipients=()),
        ]
    )
    assert [(s.name, len(mine)) for s, mine in group_by_subject(found, "dyad").items()] == [
        ("Civilians (Syria) – Syrian Arab Army", 1),
        ("Hayat Tahrir al-Sham – Syrian Arab Army", 2),
    ]
    dyad = Subject.of_dyad("syrian arab army", "Hayat Tahrir al-Sham")
    assert sum(p.events for p in build_series(found, dyad, "week", TODAY, 2)) == 2
    assert [s.name for s in group_by_subject(found, "city")] == ["Ariha"]

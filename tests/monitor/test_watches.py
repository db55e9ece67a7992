"""Watches: validation, windows, and alerts raised once and stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sitroom.errors import WatchError
from sitroom.models import Count
from sitroom.monitor.alerts import add_watch, list_alerts, list_watches, raise_alerts, remove_watch
from sitroom.monitor.watches import evaluate_watch, make_watch, window_of
from sitroom.store import Store
from tests.factories import ALEPPO
from tests.monitor.builders import cluster, incident, numbered, store_mentions

NOW = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "watches nothing"),
        ({"place": "Idlib", "threshold": 0}, "threshold must be at least 1"),
        ({"place": "Idlib", "window_days": 0}, "window must be 1 to 366 days"),
        ({"event_type": "bombing"}, "'BOMBING' is not a PLOVER type"),
        ({"protection": "shelter"}, "'shelter' is not a civilian-protection kind"),
    ],
)
def test_bad_watches_say_what_is_wrong(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"threshold": 3, **kwargs}
    threshold = args.pop("threshold")
    with pytest.raises(WatchError, match=message):
        make_watch("w", threshold, **args)  # type: ignore[arg-type]


def test_windows_are_fixed_periods_so_seven_days_are_iso_weeks() -> None:
    assert window_of(date(2026, 1, 14), 7) == (date(2026, 1, 12), date(2026, 1, 18))
    assert window_of(date(2026, 1, 18), 7) == (date(2026, 1, 12), date(2026, 1, 18))
    assert window_of(date(2026, 1, 14), 1) == (date(2026, 1, 14), date(2026, 1, 14))


def test_a_watch_counts_matching_incidents_that_happened_in_a_window() -> None:
    watch = make_watch("idlib-assaults", 3, place="idlib", event_type="assault")
    week = [
        incident(date(2026, 1, 12)),
        incident(date(2026, 1, 13), status="planned"),
        incident(date(2026, 1, 13), "COERCE"),
        incident(date(2026, 1, 13), admin1="Aleppo", city="Aleppo"),
        incident(date(2026, 1, 14)),
    ]
    assert evaluate_watch(watch, numbered(week), TODAY) == []
    alerts = evaluate_watch(watch, numbered([*week, incident(date(2026, 1, 14), mode="aerial")]), TODAY)
    assert [(a.key, a.count, a.window_start, a.window_end) for a in alerts] == [
        ("watch:idlib-assaults:2026-01-12", 3, date(2026, 1, 12), date(2026, 1, 18))
    ]
    assert alerts[0].places == ("Ariha",) and len(alerts[0].event_ids) == 3


def test_late_reports_raise_last_weeks_alert_but_not_before_the_watch_was_added() -> None:
    last_week = numbered([incident(date(2026, 1, 6)) for _ in range(3)])
    watch = make_watch("w", 3, actor="syrian arab", added=date(2026, 1, 12))
    assert evaluate_watch(watch, last_week, TODAY) == []
    watch = make_watch("w", 3, actor="syrian arab", added=date(2026, 1, 11))
    assert [a.window_start for a in evaluate_watch(watch, last_week, TODAY)] == [date(2026, 1, 5)]


def test_watches_round_trip_and_names_are_unique(store: Store) -> None:
    add_watch(store, make_watch("b", 2, protection="evacuation", window_days=3), NOW)
    added = add_watch(store, make_watch("a", 5, place="Aleppo"), NOW)
    assert added.added == TODAY
    with pytest.raises(WatchError, match="'a' exists already"):
        add_watch(store, make_watch("a", 1, place="Idlib"), NOW)
    watches = list_watches(store)
    assert [(w.name, w.threshold, w.window_days, w.place, w.protection, w.added) for w in watches] == [
        ("a", 5, 7, "Aleppo", None, TODAY),
        ("b", 2, 3, None, "evacuation", TODAY),
    ]
    remove_watch(store, "a")
    assert [w.name for w in list_watches(store)] == ["b"]
    with pytest.raises(WatchError, match="no watch named 'a'"):
        remove_watch(store, "a")


def test_an_alert_is_raised_once_however_often_watches_run(store: Store) -> None:
    mentions = store_mentions(
        store,
        [
            {"when": date(2026, 1, 12), "dead": Count(2, 2, "two")},
            {"when": date(2026, 1, 12), "dead": Count(3, 3, "three")},  # the same strike, another outlet
            {"when": date(2026, 1, 13)},
            {"when": date(2026, 1, 13), "where": ALEPPO},
        ],
    )
    store.write_clusters([cluster("c-strike", mentions[:2])])
    add_watch(store, make_watch("ariha", 2, place="Ariha"), NOW)
    add_watch(store, make_watch("ariha-3", 3, place="Ariha"), NOW)  # two reports of one strike are one event
    first = raise_alerts(store, TODAY, NOW)
    assert [(a.watch, a.count, a.created_at) for a in first] == [("ariha", 2, "2026-01-14T09:00:00+00:00")]
    assert raise_alerts(store, TODAY, NOW + timedelta(hours=1)) == []
    assert raise_alerts(store, TODAY + timedelta(days=2), NOW + timedelta(days=2)) == []
    stored = list_alerts(store)
    assert [(a.key, a.attempts, a.delivered_at) for a in stored] == [("watch:ariha:2026-01-12", 0, None)]
    assert stored[0].event_ids == tuple(sorted((min(mentions[0].id, mentions[1].id), mentions[2].id)))
    assert list_alerts(store, watch="ariha-3") == []
    remove_watch(store, "ariha")
    assert list_alerts(store) == []

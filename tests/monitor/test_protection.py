"""The civilian-protection view on hand-built events."""

from __future__ import annotations

from datetime import date

from sitroom.models import Count
from sitroom.monitor.incidents import load_incidents
from sitroom.monitor.protection import build_protection_view
from sitroom.store import Store
from tests.factories import ALEPPO, CIVILIANS
from tests.monitor.builders import cluster, store_mentions

MARKET = "Shelling hit a hospital in Ariha on Thursday, killing seven civilians."
SAME = "Nine civilians died when shells struck the Ariha hospital."
EVAC = "About 400 civilians were evacuated from Sheikh Maksoud through a corridor."
PLANNED = "Officials said residents would be evacuated from Ariha next week."
SHIELDS = "The ministry accused fighters of using civilians as human shields in Ariha."
FLED = "Some 2,000 families fled their homes in Ariha."


def populate(store: Store) -> None:
    mentions = store_mentions(
        store,
        [
            {"text": MARKET, "dead": Count(7, 7, "seven"), "protection": ("protected_site", "civilian_casualties")},
            {"text": SAME, "dead": Count(9, 9, "Nine"), "protection": ("protected_site", "civilian_casualties")},
            {"text": EVAC, "event_type": "RETREAT", "mode": "access", "actor": (), "recipient": (CIVILIANS,),
             "when": date(2026, 1, 9), "where": ALEPPO, "protection": ("evacuation", "corridor")},
            {"text": PLANNED, "event_type": "RETREAT", "status": "planned", "when": date(2026, 1, 14), "protection": ("evacuation",)},
            {"text": SHIELDS, "event_type": "ACCUSE", "when": date(2026, 1, 13), "protection": ("human_shields",)},
            {"text": FLED, "event_type": "RETREAT", "when": date(2026, 1, 13), "protection": ("displacement",)},
        ],
    )  # fmt: skip
    store.write_clusters([cluster("c-hospital", mentions[:2])])


def test_the_view_by_place_and_week(store: Store) -> None:
    populate(store)
    rows = build_protection_view(load_incidents(store))
    table = [
        (r.start.isoformat(), r.place, r.kind, r.events, r.planned, r.completed, r.dead, r.sites)
        for r in rows
    ]
    assert table == [
        ("2026-01-12", "Idlib", "evacuation", 0, 1, 0, 0, ()),
        ("2026-01-12", "Idlib", "human_shields", 1, 0, 0, 0, ()),
        ("2026-01-12", "Idlib", "displacement", 1, 0, 0, 0, ()),
        ("2026-01-05", "Aleppo", "evacuation", 1, 0, 1, 0, ()),
        ("2026-01-05", "Aleppo", "corridor", 1, 0, 0, 0, ()),
        # two reports of one strike: one incident, the lowest toll
        ("2026-01-05", "Idlib", "protected_site", 1, 0, 0, 7, ("hospital",)),
        ("2026-01-05", "Idlib", "civilian_casualties", 1, 0, 0, 7, ("hospital",)),
    ]


def test_the_view_for_one_place_by_day_and_city(store: Store) -> None:
    populate(store)
    incidents = load_incidents(store)
    rows = build_protection_view(
        incidents, place="Ariha", period="day", level="city", since=date(2026, 1, 13)
    )
    assert [(r.start.isoformat(), r.place, r.kind) for r in rows] == [
        ("2026-01-14", "Ariha", "evacuation"),
        ("2026-01-13", "Ariha", "human_shields"),
        ("2026-01-13", "Ariha", "displacement"),
    ]
    aleppo = build_protection_view(incidents, place="aleppo", kinds=("evacuation",))
    assert [(r.kind, r.events, r.event_ids) for r in aleppo] == [("evacuation", 1, (aleppo[0].event_ids[0],))]
    assert store.event(aleppo[0].event_ids[0]) is not None

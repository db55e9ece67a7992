"""Stored events for the monitoring endpoints and dashboard views, on top of tests.api.sample:
a quiet month in Ariha (one shelling a week from 8 December 2025), then a step up in the week
of 5 January 2026 (three more shellings beside the sample's disputed one), and
civilian-protection reports (casualties, human shields, aid access, displacement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sitroom.models import Count
from sitroom.store import Store
from tests.factories import CIVILIANS, SAA
from tests.monitor.builders import store_mentions

# The Monday after the step week: the week of 5 January is complete, its four baseline weeks
# are on record.
TODAY = date(2026, 1, 12)
STEP_WEEK = date(2026, 1, 5)
BASELINE_DAYS = (date(2025, 12, 8), date(2025, 12, 15), date(2025, 12, 22), date(2025, 12, 29))
STEP_DAYS = (date(2026, 1, 6), date(2026, 1, 7), date(2026, 1, 10))


@dataclass(frozen=True)
class MonitorSample:
    """Report ids of what :func:`populate_monitoring` stored."""

    baseline: tuple[str, ...]
    step: tuple[str, ...]
    shields: str
    aid: str


def _published(day: date) -> str:
    return f"{day.isoformat()}T10:00:00+00:00"


def populate_monitoring(store: Store) -> MonitorSample:
    """Store the series above (one article and one mention each; no clusters)."""
    baseline = [
        {
            "text": f"Shelling hit the outskirts of Ariha on {day:%d %B}, residents said.",
            "when": day,
            "published": _published(day),
        }
        for day in BASELINE_DAYS
    ]
    step = [
        {
            "text": f"Artillery shelled Ariha again on {day:%d %B}, killing {n + 2} civilians.",
            "when": day,
            "published": _published(day),
            "dead": Count(n + 2, n + 2, str(n + 2)),
            "protection": ("civilian_casualties",),
        }
        for n, day in enumerate(STEP_DAYS)
    ]
    shields = {
        "text": "Fighters used residents of Ariha as human shields, a monitor said.",
        "event_type": "COERCE",
        "mode": "human-shield",
        "when": date(2025, 12, 23) + timedelta(days=1),
        "published": _published(date(2025, 12, 24)),
        "protection": ("human_shields",),
    }
    aid = {
        "text": "Aid convoys were blocked from entering Ariha and families fled north.",
        "event_type": "COERCE",
        "mode": "restrict",
        "when": date(2026, 1, 7),
        "published": _published(date(2026, 1, 7)),
        "protection": ("aid_access", "displacement"),
    }
    for spec in (*baseline, *step, shields, aid):
        spec.update(actor=(SAA,), recipient=(CIVILIANS,))
    mentions = store_mentions(store, [*baseline, *step, shields, aid])
    ids = [m.id for m in mentions]
    return MonitorSample(tuple(ids[:4]), tuple(ids[4:7]), ids[7], ids[8])

"""The civilian-protection view: evacuations, corridors, incidents at protected sites,
human-shield claims, civilian casualties, displacement and aid access, by place and by day
or ISO week.

Each row is one place, one period and one kind. An incident with several kinds (an air
strike on a hospital that killed civilians) is in the row of each. ``events`` counts what
happened (occurred or ongoing; an evacuation "ongoing" is under way, not completed);
``planned`` (planned or threatened) and ``denied`` are counted apart, and ``other``
(hypothetical or unknown status) too. Figures (dead, injured, displaced) add up the lowest
figure reported for each incident that happened.

"At a protected site" means the reports name the site (hospital, school, shelter, camp,
place of worship, aid facility); nearness to a site is not measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sitroom.models import CIVILIAN_PROTECTION_KINDS
from sitroom.monitor.incidents import Incident, status_group
from sitroom.monitor.series import Level, Period, Subject, period_end, period_start

UNLOCATED = "(no place)"
# Report ids listed in one row (the counts are always full).
MAX_ROW_EVENTS = 20


@dataclass(frozen=True)
class ProtectionRow:
    """One place, one day or ISO week, one civilian-protection kind."""

    place: str
    period: Period
    start: date
    end: date
    kind: str
    events: int = 0
    completed: int = 0  # evacuations reported done (status occurred)
    planned: int = 0
    denied: int = 0
    other: int = 0
    dead: int = 0
    injured: int = 0
    displaced: int = 0
    sites: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()


def _place_key(incident: Incident, level: Level) -> str:
    value = {"admin1": incident.admin1, "city": incident.city, "country": incident.country}.get(level)
    return value or incident.place or UNLOCATED


def _row(row: ProtectionRow, incident: Incident) -> ProtectionRow:
    changes: dict[str, object] = {}
    if incident.happened:
        changes["events"] = row.events + 1
        changes["completed"] = row.completed + (incident.status == "occurred" and row.kind == "evacuation")
        changes["dead"] = row.dead + (incident.dead or 0)
        changes["injured"] = row.injured + (incident.injured or 0)
        changes["displaced"] = row.displaced + (incident.displaced or 0)
    else:
        field = status_group(incident.status)
        changes[field] = getattr(row, field) + 1
    if incident.protected_site and incident.protected_site not in row.sites:
        changes["sites"] = tuple(sorted((*row.sites, incident.protected_site)))
    if len(row.event_ids) < MAX_ROW_EVENTS:
        changes["event_ids"] = (*row.event_ids, incident.report_id)
    return ProtectionRow(**{**row.__dict__, **changes})


def build_protection_view(
    incidents: Iterable[Incident],
    *,
    place: str | None = None,
    level: Level = "admin1",
    period: Period = "week",
    since: date | None = None,
    until: date | None = None,
    kinds: Iterable[str] = CIVILIAN_PROTECTION_KINDS,
) -> list[ProtectionRow]:
    """Rows of the civilian-protection view, newest period first, then place, then kind (in
    the order of ``CIVILIAN_PROTECTION_KINDS``). ``place`` keeps the incidents at that place
    (name, city, admin1 or country); ``level`` groups by admin1, city or country."""
    wanted = tuple(k for k in CIVILIAN_PROTECTION_KINDS if k in set(kinds))
    subject = Subject.of_place(place) if place else None
    rows: dict[tuple[date, str, str], ProtectionRow] = {}
    for incident in incidents:
        if incident.day is None or (since and incident.day < since) or (until and incident.day > until):
            continue
        if subject is not None and not subject.matches(incident):
            continue
        start = period_start(incident.day, period)
        key_place = _place_key(incident, level)
        for kind in wanted:
            if kind not in incident.civilian_protection:
                continue
            key = (start, key_place, kind)
            row = rows.get(key) or ProtectionRow(key_place, period, start, period_end(start, period), kind)
            rows[key] = _row(row, incident)
    order = {k: n for n, k in enumerate(CIVILIAN_PROTECTION_KINDS)}
    return sorted(rows.values(), key=lambda r: (-r.start.toordinal(), r.place, order[r.kind]))

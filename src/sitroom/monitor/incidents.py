"""One real event, counted once: the unit that series, signals, watches and the protection
view count.

The store holds one record per *mention* (one report of an event in one article);
corroboration stamps the mentions of the same real event with one ``cluster_id``. An
:class:`Incident` folds those mentions back into one event, with rules chosen to be
conservative and independent of the order reports arrived in:

- day: the earliest event date stated at day or week precision; a date stated only by month
  or year gives way to the publication day of the report when that falls inside the stated
  month or year; a mention with no date of its own (none, or ``date_source`` "report" or
  "capture") is dated by its report's publication day (``dated_by = "published"``); with neither, the incident is undated and not in any series;
- status: "occurred" when any report says it occurred, else "ongoing" when any says so,
  else the most frequent status (ties: alphabetical);
- type and mode: the most frequent PLOVER type (ties: alphabetical), and that type's most
  frequent mode;
- place: the finest resolved location any report gives (ties: most reports, then name);
- actors and recipients: every canonical name any report gives;
- dead, injured, displaced: the lowest figure reported (ACLED's conservative-count practice);
  a dead figure no single event has (over ``MAX_CREDIBLE_DEAD``, :mod:`sitroom.corroborate.tolls`)
  or dated only to a year (a period's tally, ``TALLY_PRECISIONS``) is left out;
- civilian-protection kinds: every kind any report raises;
- background: when every report of it is background (:mod:`sitroom.background`); such an
  incident is left out of what :func:`load_incidents` gives the monitor by default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from sitroom.background import record_day, record_is_background
from sitroom.corroborate.tolls import MAX_CREDIBLE_DEAD, TALLY_PRECISIONS
from sitroom.models import INFERRED_DATE_SOURCES, Precision
from sitroom.store import Store
from sitroom.store.filters import EventFilter

# Statuses of an event that took place; planned, threatened, denied, hypothetical and unknown
# events are counted apart and never as violence that happened.
HAPPENED = frozenset({"occurred", "ongoing"})
PLANNED = frozenset({"planned", "threatened"})
DENIED = frozenset({"denied"})

# Place precisions whose name is a locality (city level of the series).
LOCALITY_PRECISIONS = frozenset({"city", "neighbourhood", "site"})
# finest first, in the order models.Precision lists them
_PRECISION_RANK = {precision: rank for rank, precision in enumerate(get_args(Precision))}
_STATUS_PRIORITY = ("occurred", "ongoing")

DatedBy = Literal["event", "published"]
StatusGroup = Literal["happened", "planned", "denied", "other"]


def status_group(status: str) -> StatusGroup:
    """How an incident of this status is counted: as what happened (occurred, ongoing),
    planned (planned, threatened), denied, or other (hypothetical, unknown)."""
    if status in HAPPENED:
        return "happened"
    return "planned" if status in PLANNED else "denied" if status in DENIED else "other"


@dataclass(frozen=True)
class Incident:
    """One real event: the mentions of one cluster (or one unclustered mention) folded together."""

    id: str  # the cluster id, or the mention id of a mention no cluster holds
    day: date | None
    dated_by: DatedBy | None
    event_type: str | None
    mode: str | None
    status: str
    country: str | None = None
    admin1: str | None = None
    city: str | None = None  # the locality name when the place is a city, neighbourhood or site
    place: str | None = None  # the location name at whatever precision
    actors: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    dead: int | None = None
    injured: int | None = None
    displaced: int | None = None
    civilian_protection: tuple[str, ...] = ()
    protected_site: str | None = None
    mention_ids: tuple[str, ...] = ()
    sources: int = 1
    reported: date | None = None  # the earliest publication day of its reports
    background: bool = False  # every report of it is background (sitroom.background): history, not news

    @property
    def happened(self) -> bool:
        return self.status in HAPPENED

    @property
    def report_id(self) -> str:
        """One report (mention) id of the incident: what ``sitroom show`` and the API's event
        routes take, and which leads to the whole cluster."""
        return self.mention_ids[0] if self.mention_ids else self.id

    def dyads(self) -> tuple[tuple[str, str], ...]:
        """Unordered actor pairs (canonical names, sorted within the pair): each actor against
        each recipient; an event with one side only has no dyad."""
        pairs = {tuple(sorted((a, r))) for a in self.actors for r in self.recipients if a != r}
        return tuple(sorted((p[0], p[1]) for p in pairs))

    def in_place(self, query: str) -> bool:
        """Whether the place is ``query``: its name, city, admin1 or ISO3 country (any case)."""
        wanted = query.casefold()
        return any(
            v is not None and v.casefold() == wanted
            for v in (self.place, self.city, self.admin1, self.country)
        )

    def involves(self, query: str) -> bool:
        """Whether an actor or recipient's canonical name contains ``query`` (any case)."""
        wanted = query.casefold()
        return any(wanted in name.casefold() for name in (*self.actors, *self.recipients))


def _within(day: date, stated: date, precision: str | None) -> bool:
    if precision == "month":
        return (day.year, day.month) == (stated.year, stated.month)
    if precision == "year":
        return day.year == stated.year
    return False


def mention_day(record: Mapping[str, Any]) -> tuple[date | None, DatedBy | None]:
    """The day one mention dates its event to, and whether that is the event's stated date or
    its report's publication day (see the module docstring)."""
    # a date inferred from the report (ACLED's week before it) is the report's day, not a stated one
    inferred = record.get("date_source") in INFERRED_DATE_SOURCES
    stated = None if inferred else record_day(record.get("date"))
    precision = record.get("date_precision")
    if stated is not None and precision in (None, "day", "week"):
        return stated, "event"
    published = record_day((record.get("evidence") or {}).get("published"))
    if published is None:
        return None, None
    if stated is None or _within(published, stated, precision):
        return published, "published"
    return None, None


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def _lowest(records: Sequence[Mapping[str, Any]], name: str) -> int | None:
    if name == "dead":  # "plague has killed millions" read as 1,000,000 dead of one event; a year's tally
        records = [r for r in records if _stated_precision(r) not in TALLY_PRECISIONS]
    figures = [
        c["min"] for r in records if (c := (r.get("size") or {}).get(name)) and c.get("min") is not None
    ]
    if name == "dead":
        figures = [figure for figure in figures if figure <= MAX_CREDIBLE_DEAD]
    return min(figures) if figures else None


def _stated_precision(record: Mapping[str, Any]) -> str | None:
    """The precision of the date a record's text states (None where its date is its report's)."""
    return None if record.get("date_source") in INFERRED_DATE_SOURCES else record.get("date_precision")


def _status(records: Sequence[Mapping[str, Any]]) -> str:
    statuses = [r.get("status") or "unknown" for r in records]
    for status in _STATUS_PRIORITY:
        if status in statuses:
            return status
    return _most_common(statuses) or "unknown"


def _location(records: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    places = [loc for r in records if (loc := r.get("location")) and loc.get("name")]
    if not places:
        return {}
    resolved = [p for p in places if p.get("lat") is not None] or places
    names = Counter(p["name"] for p in resolved)
    return min(
        resolved,
        key=lambda p: (_PRECISION_RANK.get(p.get("precision") or "country", 9), -names[p["name"]], p["name"]),
    )


def _fold(key: str, records: Sequence[Mapping[str, Any]]) -> Incident:
    dated = [(d, by) for r in records for d, by in [mention_day(r)] if d is not None]
    stated = [d for d, by in dated if by == "event"]
    day = min(stated) if stated else min((d for d, _ in dated), default=None)
    dated_by: DatedBy | None = None if day is None else ("event" if stated else "published")
    event_type = _most_common(r.get("event_type") for r in records)
    mode = _most_common(r.get("mode") for r in records if r.get("event_type") == event_type)
    place = _location(records)
    precision = place.get("precision")
    return Incident(
        id=key,
        day=day,
        dated_by=dated_by,
        event_type=event_type,
        mode=mode,
        status=_status(records),
        country=place.get("country"),
        admin1=place.get("admin1") or (place.get("name") if precision == "admin1" else None),
        city=place.get("name") if precision in LOCALITY_PRECISIONS else None,
        place=place.get("name"),
        actors=tuple(sorted({a["name"] for r in records for a in r.get("actor") or () if a.get("name")})),
        recipients=tuple(
            sorted({a["name"] for r in records for a in r.get("recipient") or () if a.get("name")})
        ),
        dead=_lowest(records, "dead"),
        injured=_lowest(records, "injured"),
        displaced=_lowest(records, "displaced"),
        civilian_protection=tuple(sorted({k for r in records for k in r.get("civilian_protection") or ()})),
        protected_site=min((s for r in records if (s := r.get("protected_site"))), default=None),
        mention_ids=tuple(sorted(r["id"] for r in records)),
        sources=max((int(r.get("independent_sources") or 1) for r in records), default=1),
        reported=min(
            (d for r in records if (d := record_day((r.get("evidence") or {}).get("published")))),
            default=None,
        ),
        background=all(record_is_background(r) for r in records),
    )


def fold_mentions(records: Iterable[Mapping[str, Any]]) -> list[Incident]:
    """Fold event records (one per mention) into incidents, one per cluster, sorted by day
    (undated last) then id. The result does not depend on the order of ``records``."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        groups.setdefault(record.get("cluster_id") or record["id"], []).append(record)
    incidents = [_fold(key, sorted(group, key=lambda r: r["id"])) for key, group in groups.items()]
    return sorted(incidents, key=lambda i: (i.day is None, i.day or date.min, i.id))


def load_incidents(store: Store, background: bool = False) -> list[Incident]:
    """Every incident in the store, without the background ones (history recalled in a report,
    :mod:`sitroom.background`) unless ``background``: series, signals, alerts, escalation and
    the protection view count the present picture. Reads all mentions (a cluster's reports
    may disagree on place or date, so filtering mentions before folding would split or
    misplace events), then leaves out the incidents all of whose reports are background."""
    incidents = fold_mentions(store.iter_events(EventFilter(background="include")))
    return incidents if background else [i for i in incidents if not i.background]


def record_start(incidents: Iterable[Incident]) -> date | None:
    """The first day the store's record covers: the earliest publication day of a report
    (an old event recalled in a new report does not extend it), else the earliest event day.
    Signals that compare with the past claim nothing about days before it."""
    found = list(incidents)
    return min((i.reported for i in found if i.reported), default=None) or min(
        (i.day for i in found if i.day is not None), default=None
    )

"""Review and correction of events by analysts (as ACLED's coders and Liveuamap's editors do).

An action on one event (an event mention, by its id) is one of:

- ``dismiss``: not an event, a duplicate, or wrong (``DISMISS_KINDS``); a dismissed event
  leaves every list, count, cluster, signal, alert and export (the ``review`` filter
  ``dismissed`` still finds it);
- ``confirm``: an analyst vouches for it as extracted;
- ``correct``: new values for some of ``CORRECTABLE`` fields (type, actors, recipients, place
  picked from the gazetteer by name, date and its precision, tolls);
- ``merge``: the event and another one (``other``) are one happening: their clusters become one;
- ``split``: the event is not the happening its cluster reports: it leaves it, alone.

Clustering honours merges and splits whenever it runs (:func:`cluster_constraints`,
:func:`apply_cluster_constraints`), ``sitroom recluster`` included.

Each needs a reason and is appended to the store's corrections log (who: the token's name;
when; what, with each field's value before and after; why). The log is keyed by the mention's
id, a hash of its article's text, offset and extracted type, which a re-ingest of the article
and ``sitroom recluster`` keep: the store replays the log on a mention whenever it writes it
again, so corrections outlive both. A reviewed event's record says so: ``review_status``
(``REVIEW_STATES``) and ``corrected`` (the fields an analyst changed, e.g. ``size.dead``).

Values arrive as text (CLI flags, JSON strings) and are read here into the record's shapes
(:func:`read_values`); :meth:`sitroom.pipeline.Sitroom.review` applies an action and
clusters again what it touches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, get_args

from sitroom.errors import ReviewError
from sitroom.models import PLOVER_TYPES, DatePrecision

if TYPE_CHECKING:
    from sitroom.read.gazetteer import Gazetteer
    from sitroom.read.lexicon import Lexicon

ReviewState = Literal["unreviewed", "confirmed", "corrected", "dismissed"]
REVIEW_STATES: tuple[str, ...] = get_args(ReviewState)
ACTIONS: tuple[str, ...] = ("dismiss", "confirm", "correct", "merge", "split")
# the actions on an event's cluster, which clustering honours (cluster_constraints)
CLUSTER_ACTIONS: tuple[str, ...] = ("merge", "split")
DISMISS_KINDS: tuple[str, ...] = ("not_event", "duplicate", "wrong")
SIZE_FIELDS: tuple[str, ...] = ("dead", "injured", "displaced", "arrested")
DATE_PRECISIONS: tuple[str, ...] = get_args(DatePrecision)
CORRECTABLE: tuple[str, ...] = (
    "event_type",
    "actor",
    "recipient",
    "location",
    "date",
    "date_precision",
    *(f"size.{kind}" for kind in SIZE_FIELDS),
)
# the record's keys the store adds to a reviewed event
STATUS_KEY, CORRECTED_KEY = "review_status", "corrected"
# a toll as "7" or "7-9" (a range, as reports give them)
TOLL = re.compile(r"(\d+)(?:\s*-\s*(\d+))?")


@dataclass(frozen=True)
class Correction:
    """One entry of the corrections log. ``changes``: ``{field: {"before", "after"}}`` for
    ``correct``, ``{"dismissed": kind}`` for ``dismiss``, empty for ``confirm``."""

    event_id: str
    action: str
    reason: str
    reviewer: str
    created_at: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "action": self.action,
            "changes": dict(self.changes),
            "reason": self.reason,
            "reviewer": self.reviewer,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class ReviewRequest:
    """What an analyst asks: an action, its reason, and (``correct``) the new values, read
    into the record's shapes by :func:`read_values`; (``dismiss``) the kind of dismissal."""

    action: str
    reason: str
    values: Mapping[str, Any] = field(default_factory=dict)
    dismiss_kind: str | None = None
    other: str | None = None  # merge: the other event

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ReviewError(f"action {self.action!r} is not one of {', '.join(ACTIONS)}")
        if not self.reason or not self.reason.strip():
            raise ReviewError(f"{self.action}: a reason is required (say why, for the log)")
        if self.action == "dismiss" and self.dismiss_kind not in DISMISS_KINDS:
            raise ReviewError(f"dismiss: kind {self.dismiss_kind!r} is not one of {', '.join(DISMISS_KINDS)}")
        if self.action == "merge" and not self.other:
            raise ReviewError("merge: name the other event (its id) whose happening this one is")
        if self.action == "correct" and not self.values:
            raise ReviewError(f"correct: give at least one field to correct ({', '.join(CORRECTABLE)})")
        unknown = sorted(set(self.values) - set(CORRECTABLE))
        if unknown:
            raise ReviewError(f"cannot correct {', '.join(unknown)}: fields are {', '.join(CORRECTABLE)}")


def get_field(record: Mapping[str, Any], name: str) -> Any:
    """A correctable field's value in an event record (``size.dead`` -> its dead count)."""
    if name.startswith("size."):
        return (record.get("size") or {}).get(name.removeprefix("size."))
    return record.get(name)


def _set_field(record: dict[str, Any], name: str, value: Any) -> None:
    if name.startswith("size."):
        record["size"] = {**(record.get("size") or {}), name.removeprefix("size."): value}
    else:
        record[name] = value
    if name == "date":  # an analyst's date is stated, no longer inferred from the report
        record["date_source"] = "review" if value else None


def changes_for(record: Mapping[str, Any], request: ReviewRequest) -> dict[str, Any]:
    """The log's ``changes`` of ``request`` on ``record`` as it stands (a correction that
    changes nothing is refused: the log holds what analysts changed)."""
    if request.action == "dismiss":
        return {"dismissed": request.dismiss_kind}
    if request.action == "confirm":
        return {}
    if request.action == "merge":
        if request.other == record["id"]:
            raise ReviewError(f"merge {record['id']}: an event cannot be merged with itself")
        return {"merged_with": request.other}
    if request.action == "split":
        return {"split_from": record.get("cluster_id")}
    changes = {
        name: {"before": get_field(record, name), "after": value}
        for name, value in request.values.items()
        if get_field(record, name) != value
    }
    if not changes:
        raise ReviewError(f"correct {record['id']}: every value given is the event's already")
    return changes


def apply_corrections(record: Mapping[str, Any], log: Iterable[Correction]) -> dict[str, Any]:
    """``record`` with ``log`` (one event's entries, oldest first) replayed: each correction's
    values, its ``review_status`` and the ``corrected`` fields. Replaying an entry already
    applied changes nothing, so a record rewritten by a re-ingest and one kept in the store
    come out the same."""
    out = dict(record)
    entries = list(log)
    if not entries:
        return out
    corrected = set(out.get(CORRECTED_KEY) or ())
    for entry in entries:
        if entry.action == "correct":
            for name, change in entry.changes.items():
                _set_field(out, name, change["after"])
                corrected.add(name)
        elif entry.action in CLUSTER_ACTIONS:
            corrected.add("cluster_id")
    out[CORRECTED_KEY] = sorted(corrected)
    out[STATUS_KEY] = status_of(entries, corrected)
    return out


def status_of(log: Sequence[Correction], corrected: Iterable[str] = ()) -> str:
    """The review status after ``log``: dismissed outranks corrected, which outranks confirmed."""
    actions = {entry.action for entry in log}
    if "dismiss" in actions:
        return "dismissed"
    if actions & {"correct", *CLUSTER_ACTIONS} or any(True for _ in corrected):
        return "corrected"
    return "confirmed" if "confirm" in actions else "unreviewed"


def read_values(
    given: Mapping[str, str | None], gazetteer: Gazetteer | None, lexicon: Lexicon | None = None
) -> dict[str, Any]:
    """Correction values given as text, in the record's shapes: ``event_type`` a PLOVER type
    (``none``: untyped); ``actor``/``recipient`` names separated by ``;`` (``none``: nobody);
    ``location`` a place name picked from the gazetteer (``Name, ISO3`` or an entry id such as
    ``geonames:703448`` where the name is ambiguous); an actor the ``lexicon`` knows gets its
    canonical name, country, sector and ACLED code; ``date`` YYYY-MM-DD; ``date_precision``;
    tolls as ``7`` or ``7-9`` (``none``: not reported). Unset (``None``) values are left out."""
    values: dict[str, Any] = {}
    for name, raw in given.items():
        if raw is None:
            continue
        text = raw.strip()
        empty = text.lower() in {"", "none", "null"}
        if name == "event_type":
            kind = text.upper()
            if not empty and kind not in PLOVER_TYPES:
                raise ReviewError(f"event_type {raw!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
            values[name] = None if empty else kind
        elif name in ("actor", "recipient"):
            names = [] if empty else [n.strip() for n in text.split(";") if n.strip()]
            values[name] = [_entity(n, lexicon) for n in names]
        elif name == "location":
            values[name] = None if empty else place_from_gazetteer(text, gazetteer)
        elif name == "date":
            try:
                values[name] = None if empty else date.fromisoformat(text).isoformat()
            except ValueError:
                raise ReviewError(f"date {raw!r} is not a date (YYYY-MM-DD)") from None
        elif name == "date_precision":
            if not empty and text not in DATE_PRECISIONS:
                raise ReviewError(f"date_precision {raw!r} is not one of {', '.join(DATE_PRECISIONS)}")
            values[name] = None if empty else text
        elif name.startswith("size.") and name.removeprefix("size.") in SIZE_FIELDS:
            values[name] = None if empty else _count(name, text)
        else:
            raise ReviewError(f"cannot correct {name}: fields are {', '.join(CORRECTABLE)}")
    return values


def _entity(name: str, lexicon: Lexicon | None) -> dict[str, Any]:
    """An actor named by an analyst: the lexicon's entry where it knows the name, else the
    name as given with no attributes guessed."""
    entry = lexicon.lookup(name) if lexicon is not None else None
    if entry is not None:
        return {
            "text": name,
            "name": entry.name,
            "country": entry.country,
            "sector": entry.sector,
            "acled_inter": entry.acled_inter,
            "source": "analyst",
        }
    return {
        "text": name,
        "name": name,
        "country": None,
        "sector": None,
        "acled_inter": None,
        "source": "analyst",
    }


def _count(name: str, text: str) -> dict[str, Any]:
    match = TOLL.fullmatch(text)
    if match is None:
        raise ReviewError(f"{name} {text!r} is not a number or a range such as 7-9")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if high < low:
        raise ReviewError(f"{name} {text!r}: the range's end is below its start")
    return {"min": low, "max": high, "text": text}


def place_from_gazetteer(query: str, gazetteer: Gazetteer | None) -> dict[str, Any]:
    """The place record of a gazetteer entry picked by name: ``Name``, ``Name, ISO3`` or an
    entry id; of several entries of one name, the most populous (the log shows which)."""
    if gazetteer is None:
        raise ReviewError("location: no gazetteer loaded to pick the place from")
    entry = gazetteer.by_id.get(query)
    name, _, country = (part.strip() for part in query.partition(","))
    if entry is not None:  # picked from a list (GET /api/places): the entry's own name
        name = entry.name
    else:
        found = [e for e in gazetteer.lookup(name) if not country or e.country == country.upper()]
        if not found:
            raise ReviewError(f"location {query!r} is not in the gazetteer (try 'Name, ISO3' or an entry id)")
        entry = max(found, key=lambda e: (e.population, e.id))
    return {
        "text": name,
        "name": entry.name,
        "lat": entry.lat,
        "lon": entry.lon,
        "country": entry.country,
        "admin1": entry.admin1,
        "precision": entry.precision,
        "geonameid": entry.geonameid,
        "source": "analyst",
        "gazetteer_id": entry.id,
    }


@dataclass(frozen=True)
class ClusterConstraints:
    """What analysts said of clusters, the latest word on each event winning: ``links``
    (pairs of events that are one happening) and ``alone`` (events split out of theirs)."""

    links: tuple[tuple[str, str], ...] = ()
    alone: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.links or self.alone)


def cluster_constraints(log: Iterable[Correction]) -> ClusterConstraints:
    """The constraints of the merge and split entries of the log, oldest first: a split
    undoes the earlier merges of its event, a merge an earlier split of either event."""
    links: list[tuple[str, str]] = []
    alone: set[str] = set()
    for entry in log:
        if entry.action == "split":
            alone.add(entry.event_id)
            links = [pair for pair in links if entry.event_id not in pair]
        elif entry.action == "merge":
            other = str(entry.changes["merged_with"])
            alone.difference_update({entry.event_id, other})
            links.append((entry.event_id, other))
    return ClusterConstraints(tuple(links), frozenset(alone))


def apply_cluster_constraints(
    groups: Iterable[Sequence[str]], constraints: ClusterConstraints
) -> list[list[str]]:
    """Groups of mention ids with the analysts' splits and merges applied (on the ids present):
    a split event alone, the groups of two merged events one. Sorted, each group sorted."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for group in groups:
        kept = [key for key in group if key not in constraints.alone]
        for key in group:
            parent[key] = key
        for key in kept[1:]:
            parent[root(key)] = root(kept[0])
    for a, b in constraints.links:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    merged: dict[str, list[str]] = {}
    for key in parent:
        merged.setdefault(root(key), []).append(key)
    return sorted(sorted(group) for group in merged.values())

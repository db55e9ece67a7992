"""Saved watches and the alerts they raise.

A watch names what to look for (a place, an actor, a PLOVER event type, a civilian-protection
kind; at least one, all given ones must hold) and a threshold: the number of incidents that
happened (status occurred or ongoing) in one window of ``window_days`` days.

Windows are consecutive periods of ``window_days`` days counted from Monday 3 January 2000,
so 7-day windows are ISO weeks and any two runs agree on them. A watch is evaluated on the
window holding "today" and on earlier windows back to the day it was added (at most
``MAX_WINDOWS_BACK``), so late reports of an earlier week still raise that week's alert. An
alert's key is the watch name and its window's first day: the same alert is raised once,
however often the watches are evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sitroom.errors import WatchError
from sitroom.models import CIVILIAN_PROTECTION_KINDS, PLOVER_TYPES
from sitroom.monitor.incidents import Incident

WINDOW_EPOCH = date(2000, 1, 3)  # a Monday
DEFAULT_WINDOW_DAYS = 7
MAX_WINDOW_DAYS = 366
# Windows before the current one that are (re)evaluated: reports arrive late, but a watch
# should not dig up alerts for periods long past.
MAX_WINDOWS_BACK = 4
# Incident ids listed in one alert (the count is always the full one).
MAX_ALERT_EVENTS = 50


@dataclass(frozen=True)
class Watch:
    """A saved watch. Build with :func:`make_watch` (which validates it)."""

    name: str
    threshold: int
    window_days: int = DEFAULT_WINDOW_DAYS
    place: str | None = None
    actor: str | None = None
    event_type: str | None = None
    protection: str | None = None
    added: date | None = None  # the day it was added: no alert for windows that ended before

    def matches(self, incident: Incident) -> bool:
        """Whether an incident is one this watch counts (it must also have happened)."""
        return (
            incident.happened
            and (self.place is None or incident.in_place(self.place))
            and (self.actor is None or incident.involves(self.actor))
            and (self.event_type is None or incident.event_type == self.event_type)
            and (self.protection is None or self.protection in incident.civilian_protection)
        )

    def describe(self) -> str:
        parts = [
            f"{label} {value}"
            for label, value in (
                ("place", self.place),
                ("actor", self.actor),
                ("type", self.event_type),
                ("protection", self.protection),
            )
            if value
        ]
        return f"{', '.join(parts)}: {self.threshold}+ in {self.window_days} day(s)"

    def spec(self) -> dict[str, Any]:
        """What the store keeps of a watch beside its name."""
        return {
            "threshold": self.threshold,
            "window_days": self.window_days,
            "place": self.place,
            "actor": self.actor,
            "event_type": self.event_type,
            "protection": self.protection,
            "added": self.added.isoformat() if self.added else None,
        }


def make_watch(
    name: str,
    threshold: int,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    place: str | None = None,
    actor: str | None = None,
    event_type: str | None = None,
    protection: str | None = None,
    added: date | None = None,
) -> Watch:
    """A validated watch; :class:`~sitroom.errors.WatchError` says what is wrong."""
    name = name.strip()
    if not name:
        raise WatchError("a watch needs a name")
    if not any((place, actor, event_type, protection)):
        raise WatchError(
            f"watch {name!r} watches nothing: give a place, an actor, an event type or a protection kind"
        )
    if threshold < 1:
        raise WatchError(f"watch {name!r}: the threshold must be at least 1 (got {threshold})")
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise WatchError(
            f"watch {name!r}: the window must be 1 to {MAX_WINDOW_DAYS} days (got {window_days})"
        )
    if event_type is not None:
        event_type = event_type.upper()
        if event_type not in PLOVER_TYPES:
            raise WatchError(
                f"watch {name!r}: {event_type!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})"
            )
    if protection is not None and protection not in CIVILIAN_PROTECTION_KINDS:
        raise WatchError(
            f"watch {name!r}: {protection!r} is not a civilian-protection kind ({', '.join(CIVILIAN_PROTECTION_KINDS)})"
        )
    return Watch(name, threshold, window_days, place or None, actor or None, event_type, protection, added)


def watch_from_spec(name: str, spec: Mapping[str, Any], added: date | None) -> Watch:
    """A stored watch; ``added`` (the day it was saved) counts when the spec names no day."""
    return Watch(
        name=name,
        threshold=int(spec["threshold"]),
        window_days=int(spec.get("window_days") or DEFAULT_WINDOW_DAYS),
        place=spec.get("place"),
        actor=spec.get("actor"),
        event_type=spec.get("event_type"),
        protection=spec.get("protection"),
        added=date.fromisoformat(spec["added"]) if spec.get("added") else added,
    )


@dataclass(frozen=True)
class Alert:
    """A watch's threshold reached in one window. ``event_ids`` holds one report (mention) id
    per incident (``sitroom show ID``). ``created_at``, ``delivered_at``, ``attempts`` and
    ``last_error`` are the store's (empty on a freshly evaluated alert)."""

    key: str
    watch: str
    kind: str
    title: str
    window_start: date
    window_end: date
    count: int
    threshold: int
    event_ids: tuple[str, ...]
    places: tuple[str, ...]
    created_at: str | None = None
    delivered_at: str | None = None
    attempts: int = 0
    last_error: str | None = None

    def record(self) -> dict[str, Any]:
        """The alert as JSON (stored, posted to the webhook, listed as JSONL)."""
        return {
            "key": self.key,
            "watch": self.watch,
            "kind": self.kind,
            "title": self.title,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "count": self.count,
            "threshold": self.threshold,
            "event_ids": list(self.event_ids),
            "places": list(self.places),
            "created_at": self.created_at,
        }


def alert_from_record(record: Mapping[str, Any], **stored: Any) -> Alert:
    return Alert(
        key=record["key"],
        watch=record["watch"],
        kind=record["kind"],
        title=record["title"],
        window_start=date.fromisoformat(record["window_start"]),
        window_end=date.fromisoformat(record["window_end"]),
        count=int(record["count"]),
        threshold=int(record["threshold"]),
        event_ids=tuple(record.get("event_ids") or ()),
        places=tuple(record.get("places") or ()),
        **stored,
    )


def window_of(day: date, window_days: int) -> tuple[date, date]:
    """The window (first and last day) of ``window_days`` days that holds ``day``."""
    start = WINDOW_EPOCH + timedelta(days=(day - WINDOW_EPOCH).days // window_days * window_days)
    return start, start + timedelta(days=window_days - 1)


def alert_key(watch: Watch, window_start: date) -> str:
    return f"watch:{watch.name}:{window_start.isoformat()}"


def evaluate_watch(watch: Watch, incidents: Iterable[Incident], today: date) -> list[Alert]:
    """The alerts ``watch`` raises: one per window (see the module docstring) in which at
    least ``threshold`` matching incidents happened, counting incidents up to ``today``."""
    start, _ = window_of(today, watch.window_days)
    windows = [start - timedelta(days=watch.window_days * k) for k in range(MAX_WINDOWS_BACK, -1, -1)]
    windows = [
        w for w in windows if watch.added is None or w + timedelta(days=watch.window_days - 1) >= watch.added
    ]
    if not windows:
        return []
    hits: dict[date, list[Incident]] = {w: [] for w in windows}
    for incident in incidents:
        if incident.day is None or not windows[0] <= incident.day <= today or not watch.matches(incident):
            continue
        hits[window_of(incident.day, watch.window_days)[0]].append(incident)
    alerts = []
    for window_start, found in hits.items():
        if len(found) < watch.threshold:
            continue
        window_end = window_start + timedelta(days=watch.window_days - 1)
        places = sorted({i.place for i in found if i.place})
        alerts.append(
            Alert(
                key=alert_key(watch, window_start),
                watch=watch.name,
                kind="threshold",
                title=f"{watch.name}: {len(found)} event(s) from {window_start} to {window_end} "
                f"(threshold {watch.threshold}; {watch.describe()})",
                window_start=window_start,
                window_end=window_end,
                count=len(found),
                threshold=watch.threshold,
                event_ids=tuple(sorted(i.report_id for i in found))[:MAX_ALERT_EVENTS],
                places=tuple(places),
            )
        )
    return alerts


def evaluate_watches(watches: Sequence[Watch], incidents: Sequence[Incident], today: date) -> list[Alert]:
    """The alerts of every watch, in watch then window order."""
    return [alert for watch in watches for alert in evaluate_watch(watch, incidents, today)]

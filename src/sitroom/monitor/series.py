"""Daily and weekly counts and an intensity per place (admin1, city, country) and per dyad.

Weeks are ISO weeks (Monday to Sunday); a week is *complete* once its Sunday is on or before
"today" (events dated today are taken as known). "Today" is always passed in.

Intensity of one incident that happened (status occurred or ongoing)::

    TYPE_WEIGHTS[type].weight * MODE_FACTORS.get(mode, 1.0) + FATALITY_WEIGHT * log2(1 + dead)

The weights are set by judgement to rank kinds of event against each other (an air strike
above an arrest above a troop build-up above a threat), not fitted to data; docs/monitoring.md
gives the reasons. De-escalatory and neutral types weigh 0 and are counted apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sitroom.monitor.incidents import Incident, status_group

Level = Literal["place", "admin1", "city", "country", "dyad"]
Period = Literal["day", "week"]
Role = Literal["violence", "escalation", "de-escalation", "neutral"]


@dataclass(frozen=True)
class TypeWeight:
    weight: float
    role: Role


# PLOVER type -> weight in the intensity and role. "violence" types are the events a series
# counts (ACLED's political violence: attacks, and coercion such as arrests, raids, sieges);
# "escalation" types add to the intensity without being counted as violent events.
TYPE_WEIGHTS: dict[str, TypeWeight] = {
    "ASSAULT": TypeWeight(3.0, "violence"),
    "COERCE": TypeWeight(1.5, "violence"),
    "MOBILIZE": TypeWeight(1.0, "escalation"),
    "THREATEN": TypeWeight(0.5, "escalation"),
    "SANCTION": TypeWeight(0.5, "escalation"),
    "PROTEST": TypeWeight(0.5, "escalation"),
    "ACCUSE": TypeWeight(0.25, "escalation"),
    "REJECT": TypeWeight(0.25, "escalation"),
    "REQUEST": TypeWeight(0.1, "escalation"),
    "AGREE": TypeWeight(0.0, "de-escalation"),
    "CONSULT": TypeWeight(0.0, "de-escalation"),
    "RETREAT": TypeWeight(0.0, "de-escalation"),
    "CONCEDE": TypeWeight(0.0, "de-escalation"),
    "SUPPORT": TypeWeight(0.0, "neutral"),
    "COOPERATE": TypeWeight(0.0, "neutral"),
    "AID": TypeWeight(0.0, "neutral"),
}

# PLOVER mode -> factor on its type's weight (modes of sitroom's PLOVER lexicon): weapons
# that strike wide areas or whole populations weigh more, remote or symbolic acts less.
MODE_FACTORS: dict[str, float] = {
    "chemical": 2.0,
    "aerial": 1.5,
    "heavy-weapons": 1.5,
    "besiege": 1.5,
    "sexual": 1.5,
    "human-shield": 1.5,
    "explosives": 1.3,
    "drone": 1.3,
    "expel": 1.3,
    "torture": 1.2,
    "riot": 1.5,
    "firearms": 1.0,
    "targeted": 1.0,
    "abduct": 1.0,
    "seize": 1.0,
    "arrest": 1.0,
    "curfew": 0.8,
    "restrict": 0.8,
    "cyber": 0.5,
    "censor": 0.5,
}

# Added per doubling of the (lowest reported) death toll: one death adds 1, seven add 3,
# a hundred about 6.7, so mass-casualty events dominate without swamping the count.
FATALITY_WEIGHT = 1.0


def role_of(incident: Incident) -> Role:
    weight = TYPE_WEIGHTS.get(incident.event_type or "")
    return weight.role if weight else "neutral"


def score_incident(incident: Incident) -> float:
    """The intensity one incident adds: 0 unless it happened (occurred or ongoing)."""
    if not incident.happened:
        return 0.0
    weight = TYPE_WEIGHTS.get(incident.event_type or "")
    base = weight.weight * MODE_FACTORS.get(incident.mode or "", 1.0) if weight else 0.0
    if base == 0.0 and not incident.dead:
        return 0.0
    return base + FATALITY_WEIGHT * math.log2(1 + (incident.dead or 0))


@dataclass(frozen=True)
class Subject:
    """What a series is about: a place at one level, or a dyad (two canonical actor names)."""

    level: Level
    name: str
    pair: tuple[str, str] | None = None

    @classmethod
    def of_place(cls, name: str, level: Level = "place") -> Subject:
        """A place by name; level "place" matches the name, city, admin1 or country."""
        return cls(level, name)

    @classmethod
    def of_dyad(cls, a: str, b: str) -> Subject:
        first, second = sorted((a.strip(), b.strip()), key=str.casefold)
        return cls("dyad", f"{first} – {second}", (first, second))

    def matches(self, incident: Incident) -> bool:
        if self.pair is not None:
            wanted = tuple(sorted(p.casefold() for p in self.pair))
            return any(tuple(sorted((x.casefold(), y.casefold()))) == wanted for x, y in incident.dyads())
        if self.level == "place":
            return incident.in_place(self.name)
        value = {"admin1": incident.admin1, "city": incident.city, "country": incident.country}.get(
            self.level
        )
        return value is not None and value.casefold() == self.name.casefold()


def group_by_subject(incidents: Iterable[Incident], level: Level) -> dict[Subject, list[Incident]]:
    """The incidents of every admin1, city, country or dyad they name (one pass; subjects
    sorted by name, names compared without case as :meth:`Subject.matches` does)."""
    groups: dict[tuple[str, ...], list[Incident]] = {}
    names: dict[tuple[str, ...], Subject] = {}
    for incident in incidents:
        if level == "dyad":
            found = [Subject.of_dyad(a, b) for a, b in incident.dyads()]
        else:
            value = getattr(incident, level)
            found = [Subject(level, value)] if value else []
        for subject in found:
            key = tuple(p.casefold() for p in subject.pair) if subject.pair else (subject.name.casefold(),)
            names.setdefault(key, subject)
            groups.setdefault(key, []).append(incident)
    return {names[key]: groups[key] for key in sorted(names, key=lambda k: names[k].name)}


@dataclass(frozen=True)
class SeriesPoint:
    """One day or ISO week of one subject. ``events`` counts violent incidents that happened;
    ``deescalation`` de-escalatory ones that happened; ``planned`` (planned or threatened),
    ``denied`` and ``other`` (hypothetical or unknown status) count violent and escalatory
    incidents that did not (yet) happen and are never in ``events`` or ``intensity``."""

    subject: str
    level: Level
    period: Period
    start: date
    end: date
    events: int = 0
    fatalities: int = 0
    intensity: float = 0.0
    deescalation: int = 0
    planned: int = 0
    denied: int = 0
    other: int = 0
    complete: bool = True

    def value(self, metric: str) -> float:
        """``events``, ``fatalities`` or ``intensity`` of this point."""
        return float(getattr(self, metric))


def period_start(day: date, period: Period) -> date:
    return day - timedelta(days=day.weekday()) if period == "week" else day


def period_end(start: date, period: Period) -> date:
    return start + timedelta(days=6) if period == "week" else start


def _add(point: SeriesPoint, incident: Incident) -> SeriesPoint:
    role = role_of(incident)
    changes: dict[str, float] = {}
    if incident.happened:
        if role == "violence":
            changes["events"] = point.events + 1
        if role == "de-escalation":
            changes["deescalation"] = point.deescalation + 1
        changes["fatalities"] = point.fatalities + (incident.dead or 0)
        changes["intensity"] = round(point.intensity + score_incident(incident), 3)
    elif role in ("violence", "escalation"):
        field = status_group(incident.status)
        changes[field] = getattr(point, field) + 1
    return SeriesPoint(**{**point.__dict__, **changes})


def build_series(
    incidents: Iterable[Incident], subject: Subject, period: Period, today: date, periods: int
) -> list[SeriesPoint]:
    """The last ``periods`` days or ISO weeks of ``subject`` up to the one holding ``today``,
    oldest first, empty periods included (as zeros)."""
    last = period_start(today, period)
    step = timedelta(days=7 if period == "week" else 1)
    starts = [last - step * k for k in range(periods - 1, -1, -1)]
    points = {
        s: SeriesPoint(
            subject.name,
            subject.level,
            period,
            s,
            period_end(s, period),
            complete=period_end(s, period) <= today,
        )
        for s in starts
    }
    for incident in incidents:
        if incident.day is None or incident.day > today or not subject.matches(incident):
            continue
        start = period_start(incident.day, period)
        if start in points:
            points[start] = _add(points[start], incident)
    return [points[s] for s in starts]


def daily_values(
    incidents: Sequence[Incident], subject: Subject, first: date, last: date, metric: str
) -> list[float]:
    """One value a day from ``first`` to ``last`` (inclusive) of ``events``, ``fatalities`` or
    ``intensity``, for the rolling totals of the highest-in-a-long-time rule."""
    values = [0.0] * ((last - first).days + 1)
    for incident in incidents:
        if incident.day is None or not first <= incident.day <= last or not subject.matches(incident):
            continue
        point = _add(SeriesPoint(subject.name, subject.level, "day", incident.day, incident.day), incident)
        values[(incident.day - first).days] += point.value(metric)
    return values

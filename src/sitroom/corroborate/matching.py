"""Could two reports describe the same event? Type, place, date and actor relations.

Each relation answers "match", "conflict" or "unknown" (one side lacks the information),
so that missing data never counts as agreement or as disagreement. The tolerances grow with
the coarser precision of the two sides: a village shelled "near Afrin" and one placed at
Afrin's centre may be 20 km apart and still be one event; "last week" and "on Tuesday" may
be six days apart.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

from sitroom.models import Actor, Place

Relation = Literal["match", "conflict", "unknown"]

# PLOVER types that reports of one incident use interchangeably: a raid with arrests is
# COERCE for one outlet and ASSAULT for another; a withdrawal reported as a concession.
COMPATIBLE_TYPES: frozenset[frozenset[str]] = frozenset(
    {frozenset({"ASSAULT", "COERCE"}), frozenset({"RETREAT", "CONCEDE"})}
)

# How far apart two places may be and still be the place of one event, by the coarser
# precision of the two (km). Chosen from the size of the unit: a site is a building or a
# checkpoint, a city's built-up area spans ~25 km, an admin1 (Syrian governorate) ~150 km.
PLACE_TOLERANCE_KM: dict[str, float] = {
    "site": 5.0,
    "neighbourhood": 10.0,
    "city": 25.0,
    "admin2": 60.0,
    "admin1": 150.0,
}
# Countries and regions are compared by country code / name, not by distance.
COUNTRY_LEVEL = frozenset({"country", "region"})
# Places this precise (or finer) pin down where an event happened; coarser ones only agree.
PRECISE_PLACE = frozenset({"site", "neighbourhood", "city"})

# Days two dates may differ by, by the coarser precision of the two. A day-dated report
# may count from publication ("yesterday") or the local date: +-2 days.
DATE_TOLERANCE_DAYS: dict[str, int] = {
    "day": 2,
    "week": 7,
    "month": 31,
    "year": 366,
    "decade": 3653,
    "century": 36525,
}
# Precisions, finest first.
PLACE_PRECISIONS = ("site", "neighbourhood", "city", "admin2", "admin1", "country", "region")
DATE_PRECISIONS = ("day", "week", "month", "year", "decade", "century")
_EARTH_RADIUS_KM = 6371.0


def types_compatible(a: str | None, b: str | None) -> bool:
    """Same PLOVER type or a compatible pair. A mention whose type is unknown corroborates
    nothing: "something happened in Beijing" is not a second report of a hospital admission."""
    return a is not None and b is not None and (a == b or frozenset({a, b}) in COMPATIBLE_TYPES)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def place_rank(place: Place) -> int:
    """A place's precision as its index in ``PLACE_PRECISIONS`` (unknown precision counts as city)."""
    return PLACE_PRECISIONS.index(place.precision or "city")


def date_rank(precision: str | None) -> int:
    """A date precision as its index in ``DATE_PRECISIONS`` (unknown precision counts as week)."""
    return DATE_PRECISIONS.index(precision or "week")


def coarser_place_precision(a: Place, b: Place) -> str:
    """The coarser precision of two places (unknown precision counts as city)."""
    return PLACE_PRECISIONS[max(place_rank(a), place_rank(b))]


def place_relation(a: Place | None, b: Place | None, slack: float = 1.0) -> Relation:
    """Whether two event places can be one place, given their precision (tolerance times ``slack``)."""
    if a is None or b is None:
        return "unknown"
    if a.country and b.country and a.country != b.country:
        return "conflict"
    precision = coarser_place_precision(a, b)
    if precision in COUNTRY_LEVEL:
        if a.country and b.country:
            return "match"
        return "match" if a.name.casefold() == b.name.casefold() else "unknown"
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        within = distance_km(a.lat, a.lon, b.lat, b.lon) <= PLACE_TOLERANCE_KM[precision] * slack
        return "match" if within else "conflict"
    return "match" if a.name.casefold() == b.name.casefold() else "unknown"


def is_precise(place: Place | None) -> bool:
    """Whether a place is a site, neighbourhood or city (not a region or a country)."""
    return place is not None and (place.precision or "city") in PRECISE_PLACE


def date_relation(
    a: date | None, a_precision: str | None, b: date | None, b_precision: str | None, slack: float = 1.0
) -> Relation:
    """Whether two event dates can be one date, given their precision (unknown precision = week)."""
    if a is None or b is None:
        return "unknown"
    tolerance = (
        DATE_TOLERANCE_DAYS[DATE_PRECISIONS[max(date_rank(a_precision), date_rank(b_precision))]] * slack
    )
    return "match" if abs((a - b).days) <= tolerance else "conflict"


def actor_keys(actor: Actor) -> set[str]:
    """What identifies an actor for matching: canonical names (and members), and country+sector."""
    keys = {"name:" + name.casefold() for name in (actor.name, *actor.members) if name}
    if actor.country and actor.sector:
        keys.add(f"cs:{actor.country}/{actor.sector}")
    return keys


def actors_relation(a: tuple[Actor, ...], b: tuple[Actor, ...]) -> Relation:
    """Whether two actor lists share an actor: "match" for a canonical name in common;
    "unknown" when they share only a country+sector (compatible, as "Syrian forces" and the
    Syrian army are, yet the Pentagon and the US President are both US/GOV: no evidence of
    one event); "conflict" when they share neither."""
    if not a or not b:
        return "unknown"
    shared = set().union(*(actor_keys(actor) for actor in a)) & set().union(
        *(actor_keys(actor) for actor in b)
    )
    if any(key.startswith("name:") for key in shared):
        return "match"
    return "unknown" if shared else "conflict"


def describe_actors(actors: tuple[Actor, ...]) -> str:
    """Actor names as one stable string ("A / B")."""
    return " / ".join(sorted({actor.name for actor in actors}))

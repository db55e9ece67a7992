"""``/api/places``: gazetteer places by name or near a point, for picking the place of an event
under review."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import get_sitroom
from sitroom.api.problems import InvalidParameter
from sitroom.api.schemas import PlacePick
from sitroom.pipeline import Sitroom
from sitroom.read.gazetteer import GazetteerEntry

router = APIRouter(prefix="/api/places", tags=["places"])
SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]


@router.get("", response_model=list[PlacePick], summary="Gazetteer places by name or near a point")
def find_places(
    sitroom: SitroomDep,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="a name or its start ('Ari'), 'Name, ISO3' for one country's, or an entry id",
        ),
    ] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="with lon: the places nearest")] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[dict[str, Any]]:
    """By name (``q``): whole-name matches first (accents and case ignored, alternate names
    too: Halab finds Aleppo), then names starting with ``q``; the more populous first. Near a
    point (``lat`` and ``lon``, a click on the map): the towns, villages and sites nearest to
    it, with their ``distance_km``. An entry's ``id`` is what a correction's ``location``
    takes (``POST /api/events/{id}/review``). The first request of a process loads the
    gazetteer (seconds)."""
    if (q is None) == (lat is None or lon is None) or (lat is None) != (lon is None):
        raise InvalidParameter("q", "give either a name (q) or a point (lat and lon)")
    if q is not None:
        return [_pick(e) for e in sitroom.place_finder.find(q, limit)]
    assert lat is not None and lon is not None
    return [_pick(e, km) for e, km in sitroom.place_finder.nearest(lat, lon, limit)]


def _pick(entry: GazetteerEntry, km: float | None = None) -> dict[str, Any]:
    return {
        "id": entry.id,
        "name": entry.name,
        "kind": entry.kind,
        "precision": entry.precision,
        "country": entry.country,
        "admin1": entry.admin1,
        "lat": entry.lat,
        "lon": entry.lon,
        "population": entry.population,
        "distance_km": None if km is None else round(km, 1),
    }

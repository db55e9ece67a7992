"""``/api/places``: gazetteer places by name, for picking the place of an event under review."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from sitroom.api.deps import get_sitroom
from sitroom.api.schemas import PlacePick
from sitroom.pipeline import Sitroom

router = APIRouter(prefix="/api/places", tags=["places"])
SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]


@router.get("", response_model=list[PlacePick], summary="Gazetteer places by name or its start")
def find_places(
    sitroom: SitroomDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="a name or its start ('Ari'), 'Name, ISO3' for one country's, or an entry id",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[dict[str, Any]]:
    """Whole-name matches first (accents and case ignored, alternate names too: Halab finds
    Aleppo), then names starting with ``q``; the more populous first. An entry's ``id`` is
    what a correction's ``location`` takes (``POST /api/events/{id}/review``). The first
    request of a process loads the gazetteer (seconds)."""
    return [
        {
            "id": e.id,
            "name": e.name,
            "kind": e.kind,
            "precision": e.precision,
            "country": e.country,
            "admin1": e.admin1,
            "lat": e.lat,
            "lon": e.lon,
            "population": e.population,
        }
        for e in sitroom.place_finder.find(q, limit)
    ]

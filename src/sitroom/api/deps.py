"""What the routes take from a request: the composition root and the event filters.

Both are ``async``: they only read the request, and a plain ``def`` dependency would cost
every request a hop to the thread pool.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, Request

from sitroom.api.problems import InvalidParameter
from sitroom.models import PLOVER_TYPES, CivilianProtection, Status
from sitroom.pipeline import Sitroom
from sitroom.store.events import EventFilter, decode_cursor

MAX_PAGE = 1000


async def get_sitroom(request: Request) -> Sitroom:
    sitroom: Sitroom = request.app.state.sitroom
    return sitroom


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``min_lon,min_lat,max_lon,max_lat`` as four floats, checked."""
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        raise InvalidParameter(
            "bbox", f"{value!r} is not four numbers min_lon,min_lat,max_lon,max_lat"
        ) from None
    if len(parts) != 4:
        raise InvalidParameter(
            "bbox", f"{value!r} has {len(parts)} numbers; give min_lon,min_lat,max_lon,max_lat"
        )
    min_lon, min_lat, max_lon, max_lat = parts
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InvalidParameter(
            "bbox", f"{value!r} is not a box: need -180<=min_lon<=max_lon<=180, -90<=min_lat<=max_lat<=90"
        )
    return min_lon, min_lat, max_lon, max_lat


async def event_filter(
    place: Annotated[str | None, Query(description="place name, admin1 name or ISO3 country code")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    actor: Annotated[str | None, Query(description="actor name or text, case-insensitive substring")] = None,
    event_type: Annotated[str | None, Query(description="PLOVER type, e.g. ASSAULT")] = None,
    status: Annotated[Status | None, Query()] = None,
    since: Annotated[date | None, Query(description="first event date, YYYY-MM-DD")] = None,
    until: Annotated[date | None, Query(description="last event date, YYYY-MM-DD")] = None,
    min_sources: Annotated[int | None, Query(ge=1, description="minimum independent sources")] = None,
    civilian_protection: Annotated[CivilianProtection | None, Query()] = None,
    article_id: Annotated[str | None, Query()] = None,
    cluster_id: Annotated[str | None, Query()] = None,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> EventFilter:
    """The filters of ``GET /api/events`` (and of the export endpoint), validated."""
    if event_type and event_type.upper() not in PLOVER_TYPES:
        raise InvalidParameter(
            "event_type", f"{event_type!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})"
        )
    if cursor:
        try:
            key = decode_cursor(cursor)
        except ValueError:
            key = ""
        # a cursor is an encoded "<date>|<id>" sort key (store.events); anything else was not given out here
        if "|" not in key:
            raise InvalidParameter("cursor", f"{cursor!r} is not a cursor this API gave out")
    if since and until and since > until:
        raise InvalidParameter("until", f"until {until} is before since {since}")
    return EventFilter(
        event_type=event_type.upper() if event_type else None,
        status=status,
        actor=actor or None,
        place=place or None,
        bbox=parse_bbox(bbox) if bbox else None,
        since=since,
        until=until,
        min_sources=min_sources,
        civilian_protection=civilian_protection,
        article_id=article_id,
        cluster_id=cluster_id,
        cursor=cursor or None,
        limit=limit,
    )

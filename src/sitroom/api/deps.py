"""What the routes take from a request: the composition root and the event filters.

Both are ``async``: they only read the request, and a plain ``def`` dependency would cost
every request a hop to the thread pool.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, get_args
from urllib.parse import parse_qsl

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
    return checked_event_filter(
        place=place,
        bbox=bbox,
        actor=actor,
        event_type=event_type,
        status=status,
        since=since,
        until=until,
        min_sources=min_sources,
        civilian_protection=civilian_protection,
        article_id=article_id,
        cluster_id=cluster_id,
        cursor=cursor,
        limit=limit,
    )


def checked_event_filter(
    *,
    place: str | None = None,
    bbox: str | None = None,
    actor: str | None = None,
    event_type: str | None = None,
    status: Status | None = None,
    since: date | None = None,
    until: date | None = None,
    min_sources: int | None = None,
    civilian_protection: CivilianProtection | None = None,
    article_id: str | None = None,
    cluster_id: str | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> EventFilter:
    """The filter of parameters of the right types, checked together (InvalidParameter)."""
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


# the parameters of event_filter, by how plain_event_filter reads them
_TEXTS = frozenset({"place", "bbox", "actor", "event_type", "article_id", "cluster_id", "cursor"})
_CHOICES: dict[str, frozenset[str]] = {
    "status": frozenset(get_args(Status)),
    "civilian_protection": frozenset(get_args(CivilianProtection)),
}
_DATES = frozenset({"since", "until"})
_COUNTS = {"min_sources": (1, None), "limit": (1, MAX_PAGE)}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGITS = re.compile(r"[0-9]{1,9}")


def plain_event_filter(query: str) -> EventFilter | None:
    """The filter of a query string written the plain way (each parameter once, dates as
    YYYY-MM-DD, counts as digits), valid: what :func:`event_filter` makes of it, without
    FastAPI's parameter machinery (half the cost of a list request: sitroom.api.cache).
    ``None`` for anything else, which the route then answers, errors included."""
    values: dict[str, Any] = {}
    try:
        items = parse_qsl(query, keep_blank_values=True, strict_parsing=False, max_num_fields=64)
    except ValueError:
        return None
    for name, value in items:
        if name in values:
            return None  # repeated: the route decides which counts
        if name in _TEXTS:
            values[name] = value
        elif name in _CHOICES:
            if value not in _CHOICES[name]:
                return None
            values[name] = value
        elif name in _DATES:
            if not _ISO_DAY.fullmatch(value):
                return None
            try:
                values[name] = date.fromisoformat(value)
            except ValueError:
                return None
        elif name in _COUNTS:
            low, high = _COUNTS[name]
            if not _DIGITS.fullmatch(value) or int(value) < low or (high is not None and int(value) > high):
                return None
            values[name] = int(value)
        # other names are not parameters of the endpoint: ignored, as by the route
    try:
        return checked_event_filter(**values)
    except InvalidParameter:
        return None

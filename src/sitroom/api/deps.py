"""What the routes take from a request: the composition root and the event filters.

Both are ``async``: they only read the request, and a plain ``def`` dependency would cost
every request a hop to the thread pool.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Query, Request

from sitroom.api.problems import InvalidParameter
from sitroom.errors import FilterError
from sitroom.models import CivilianProtection, Status
from sitroom.pipeline import Sitroom
from sitroom.review import ReviewState
from sitroom.store.filters import MAX_PAGE, Background, EventFilter, parse_bbox


async def get_sitroom(request: Request) -> Sitroom:
    sitroom: Sitroom = request.app.state.sitroom
    return sitroom


async def event_filter(
    place: Annotated[
        str | None,
        Query(
            description="place name (any spelling, accents optional, GeoNames alternate names: Halab), admin1, ISO3 code or country name"
        ),
    ] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    actor: Annotated[
        str | None, Query(description="actor name or text, substring; case, accents and punctuation ignored")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            description='full-text search of sentences, actors, places, outlets and titles: words, "a phrase", '
            "prefix*; every one required"
        ),
    ] = None,
    event_type: Annotated[str | None, Query(description="PLOVER type, e.g. ASSAULT")] = None,
    status: Annotated[Status | None, Query()] = None,
    since: Annotated[date | None, Query(description="first event date, YYYY-MM-DD")] = None,
    until: Annotated[date | None, Query(description="last event date, YYYY-MM-DD")] = None,
    min_sources: Annotated[int | None, Query(ge=1, description="minimum independent sources")] = None,
    civilian_protection: Annotated[CivilianProtection | None, Query()] = None,
    article_id: Annotated[str | None, Query()] = None,
    cluster_id: Annotated[str | None, Query()] = None,
    review: Annotated[
        ReviewState | None, Query(description="review status; without it, every event but the dismissed")
    ] = None,
    background: Annotated[
        Background,
        Query(
            description="events dated more than a year before their report (history, not news): "
            "exclude (default), include or only"
        ),
    ] = "exclude",
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> EventFilter:
    """The filters of ``GET /api/events`` (and of the export endpoint), validated by the
    filter itself (a bad value answers 422 naming it)."""
    try:
        return EventFilter(
            place=place,
            q=q,
            bbox=parse_bbox(bbox) if bbox else None,
            actor=actor,
            event_type=event_type,
            status=status,
            since=since,
            until=until,
            min_sources=min_sources,
            civilian_protection=civilian_protection,
            article_id=article_id,
            cluster_id=cluster_id,
            review=review,
            background=background,
            cursor=cursor,
            limit=limit,
        )
    except FilterError as exc:
        raise InvalidParameter(exc.name, exc.detail) from None


def plain_event_filter(query: str) -> EventFilter | None:
    """The filter of a query string written the plain way (each parameter once, dates as
    YYYY-MM-DD, counts as digits), valid: what :func:`event_filter` makes of it, without
    FastAPI's parameter machinery (half the cost of a list request: sitroom.api.cache).
    ``None`` for anything else, which the route then answers, errors included."""
    values: dict[str, str] = {}
    try:
        items = parse_qsl(query, keep_blank_values=True, strict_parsing=False, max_num_fields=64)
    except ValueError:
        return None
    for name, value in items:
        if name in values:
            return None  # repeated: the route decides which counts
        values[name] = value  # names that are no filter are ignored, as by the route
    try:
        return EventFilter.parse(values, max_limit=MAX_PAGE)
    except FilterError:
        return None

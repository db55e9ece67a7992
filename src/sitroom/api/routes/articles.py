"""``/api/articles`` and ``/api/rejections``: what was ingested, with provenance."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from sitroom.api.deps import MAX_PAGE, get_sitroom
from sitroom.api.schemas import ArticleDetail, ArticlePage, Rejection
from sitroom.models import Sighting
from sitroom.pipeline import Sitroom
from sitroom.records import article_record
from sitroom.store.filters import EventFilter
from sitroom.store.store import ArticleFilter

router = APIRouter(tags=["articles"])
SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]
MAX_EVENTS_PER_ARTICLE = 1000


def _sighting(s: Sighting) -> dict[str, Any]:
    return {
        "origin": s.origin,
        "url": s.url,
        "outlet": s.outlet,
        "published": s.published,
        "captured_at": s.captured_at.isoformat(),
    }


@router.get(
    "/api/articles", response_model=ArticlePage, summary="Stored articles, newest first (without text)"
)
def list_articles(
    sitroom: SitroomDep,
    outlet: str | None = None,
    since: Annotated[date | None, Query(description="published on or after, YYYY-MM-DD")] = None,
    until: Annotated[date | None, Query(description="published on or before, YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Article records without their text; ``next_offset`` pages on (null on the last page)."""
    rows = sitroom.store.articles(
        ArticleFilter(outlet=outlet, since=since, until=until, limit=limit + 1, offset=offset)
    )
    records = [{**article_record(a), "text": None} for a in rows[:limit]]
    return {"articles": records, "next_offset": offset + limit if len(rows) > limit else None}


@router.get("/api/articles/{article_id}", response_model=ArticleDetail, summary="One article in full")
def get_article(article_id: str, sitroom: SitroomDep) -> dict[str, Any]:
    """The article record with its text, every sighting (URL/outlet it was seen at), its
    resolved entity mentions (actors, places, dates with offsets) and the ids of its events."""
    article = sitroom.store.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    events = sitroom.store.events(
        EventFilter(article_id=article_id, limit=MAX_EVENTS_PER_ARTICLE, background="include")
    ).records
    return {
        "article": article_record(article),
        "sightings": [_sighting(s) for s in sitroom.store.sightings(article_id)],
        "entity_mentions": sitroom.store.entity_mentions(article_id),
        "event_ids": [r["id"] for r in events],
    }


@router.get(
    "/api/rejections", response_model=list[Rejection], summary="Inputs that were refused, with the reason"
)
def list_rejections(
    sitroom: SitroomDep, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100
) -> list[dict[str, Any]]:
    return [
        {"origin": r.origin, "code": r.code, "reason": r.reason, "captured_at": r.captured_at.isoformat()}
        for r in sitroom.store.rejections(limit)
    ]

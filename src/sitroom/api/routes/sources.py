"""``/api/sources``: the sources the follower polls (``sitroom follow``, ``serve --follow``),
each with its state; adding and removing them needs the bearer token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Response
from pydantic import BaseModel, Field

from sitroom.api.auth import require_token
from sitroom.api.deps import get_sitroom
from sitroom.api.problems import InvalidParameter
from sitroom.follow import state
from sitroom.follow.sources_file import MIN_INTERVAL_S, check_source
from sitroom.pipeline import Sitroom

router = APIRouter(tags=["sources"])
SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]


class SourceIn(BaseModel):
    url: str = Field(max_length=2000, description="http(s) URL of an RSS/Atom feed or a page")
    interval_s: int | None = Field(
        None, ge=MIN_INTERVAL_S, description="seconds between polls (default: setting follow_interval)"
    )
    outlet: str | None = Field(None, max_length=200, description="outlet its reports are credited to")


class Source(BaseModel):
    id: int
    url: str
    outlet: str | None
    interval_s: int
    status: Literal["new", "ok", "failing"]
    state: str = Field(description="ok / failing with the last error, backing off until the next poll")
    last_poll: str | None
    last_new_item: str | None
    next_due: str
    errors: int = Field(description="consecutive failed polls")
    last_error: str | None
    items_seen: int
    articles_stored: int


class Sources(BaseModel):
    updated_at: str | None = Field(description="when a followed source last gave a new article")
    sources: list[Source]


@router.get("/api/sources", response_model=Sources, summary="Followed sources and their state")
def list_sources(sitroom: SitroomDep) -> dict[str, Any]:
    """Every followed source: ok, failing (with the last error) or new, when it is polled
    next, items seen and articles stored; ``updated_at`` is the latest new article of any."""
    rows = state.list_sources(sitroom.store)
    latest = max((r.last_new_item for r in rows if r.last_new_item), default=None)
    return {"updated_at": latest, "sources": [r.record() for r in rows]}


@router.post(
    "/api/sources",
    response_model=Source,
    status_code=201,
    dependencies=[Depends(require_token)],
    tags=["write"],
    summary="Follow a source (or change a followed one's interval and outlet)",
)
def add_source(body: SourceIn, sitroom: SitroomDep) -> dict[str, Any]:
    """Follow ``url``: a follower polls it from its next look for due sources (a few
    seconds). A URL followed already keeps its state and takes the interval and outlet given."""
    interval = body.interval_s or sitroom.settings.follow_interval
    problem = check_source(body.url.strip(), interval)
    if problem:
        raise InvalidParameter("url", problem, where="body")
    spec = state.SourceSpec(body.url.strip(), interval, (body.outlet or "").strip() or None)
    (saved,) = state.save_sources(sitroom.store, [spec], datetime.now(UTC))
    return saved.record()


@router.delete(
    "/api/sources/{source_id}",
    status_code=204,
    dependencies=[Depends(require_token)],
    tags=["write"],
    summary="Stop following a source",
)
def remove_source(source_id: Annotated[int, Path(ge=1)], sitroom: SitroomDep) -> Response:
    """Stop following the source and forget which items it gave (its articles stay)."""
    if not state.remove_source(sitroom.store, source_id):
        raise HTTPException(404, f"no followed source with id {source_id}; list them with GET /api/sources")
    return Response(status_code=204)

"""``/api/events``: event records with filters and cursor pagination, and one event in full.

Both answers are kept in the response cache (:mod:`sitroom.api.cache`) until the store
changes; the JSON is the response model's, made once per store generation, and sent
gzipped to clients that accept it. The routes are ``async`` so that a cached answer is
sent from the event loop; the store is read (and an answer compressed) in the thread pool.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qsl

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel

from sitroom.api.auth import require_reviewer
from sitroom.api.cache import LOOKED_UP, ResponseCache, cache_key, keep_made
from sitroom.api.deps import event_filter, get_sitroom, plain_event_filter
from sitroom.api.schemas import EventDetail, EventPage, ReviewBody, ReviewResult
from sitroom.config import ApiToken
from sitroom.pipeline import Sitroom
from sitroom.records import article_record, cluster_record
from sitroom.review import SIZE_FIELDS, ReviewRequest
from sitroom.store.events import Group
from sitroom.store.filters import EventFilter

router = APIRouter(prefix="/api/events", tags=["events"])

# characters of article text shown on each side of the evidence
EXCERPT_CHARS = 600
MAX_REPORTS = 500

SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]


async def cached_json(
    request: Request, model: type[BaseModel], make: Callable[[], dict[str, Any] | bytes]
) -> Response:
    """The JSON of ``model`` over ``make()`` (or ``make()``'s bytes, JSON of ``model``
    already), from the cache while the store is unchanged."""
    cache: ResponseCache = request.app.state.response_cache
    # the key and stamp QuickAnswers looked up in front (no second stamp read), else our own
    looked_up = getattr(request.state, LOOKED_UP, None)
    key, stamp = looked_up or (cache_key(request.url.path, request.url.query), cache.stamp())
    answer = cache.get(key, stamp)
    gzipped = cache.enabled and "gzip" in request.headers.get("accept-encoding", "").lower()
    reads = request.app.state.store_reads  # a bounded number of threads (api.app.READ_THREADS)
    if answer is None:
        made = await to_thread.run_sync(lambda: _encoded(model, make()), limiter=reads)
        answer = await keep_made(cache, key, stamp, made, gzipped, reads)
    headers = {"Vary": "Accept-Encoding"}
    if gzipped:
        body = answer.gzipped or await to_thread.run_sync(answer.compress, limiter=reads)
        return Response(body, media_type="application/json", headers={**headers, "Content-Encoding": "gzip"})
    return Response(answer.body, media_type="application/json", headers=headers)


def _encoded(model: type[BaseModel], made: dict[str, Any] | bytes) -> bytes:
    return made if isinstance(made, bytes) else model.model_validate(made).model_dump_json().encode()


@router.get("", response_model=EventPage, summary="Event records, newest first")
async def list_events(
    request: Request,
    sitroom: SitroomDep,
    flt: Annotated[EventFilter, Depends(event_filter)],
    group: Annotated[
        Group,
        Query(
            description="event: one record per event (cluster), the matching report standing for it "
            "(not a denial, with a toll, newest), with "
            "report_ids; report: one per report. limit and cursor count these rows"
        ),
    ] = "event",
) -> Response:
    """Event records matching every given filter, newest first, ``limit`` at a time: one
    per event (its reports' ids in ``report_ids``), or with ``group=report`` one per report.

    Follow ``next_cursor`` (as ``?cursor=``, with the same filters) for the next page.
    """

    return await cached_json(request, EventPage, lambda: event_page_json(sitroom, flt, group))


def event_page_json(sitroom: Sitroom, flt: EventFilter, group: Group = "event") -> bytes:
    """What ``GET /api/events`` answers: the stored records are the event records (the store
    writes them from the models), so they are sent as stored, not decoded and encoded again."""
    records, cursor = sitroom.store.event_json_page(flt, group)
    return (
        b'{"events":[' + ",".join(records).encode() + b'],"next_cursor":' + json.dumps(cursor).encode() + b"}"
    )


def plain_answer(sitroom: Sitroom, path: str, query: str) -> Callable[[], bytes | None] | None:
    """For a plain ``GET /api/events?...`` or ``GET /api/events/{id}``: a function making the
    route's answer (``None`` when there is no such event), which sitroom.api.cache runs without
    routing; ``None`` for any other request (the application answers it, errors included)."""
    if path == router.prefix:
        flt = plain_event_filter(query)
        group = plain_group(query)
        return None if flt is None or group is None else (lambda: event_page_json(sitroom, flt, group))
    event_id = path.removeprefix(router.prefix + "/")
    if event_id == path or not event_id or "/" in event_id:
        return None

    def detail() -> bytes | None:
        try:
            return _encoded(EventDetail, event_detail(sitroom, event_id))
        except HTTPException:
            return None  # 404: the route says so, as a problem

    return detail


def plain_group(query: str) -> Group | None:
    """The ``group`` of a plain query string ("event" where not given); ``None`` where it is
    no group or given twice (the route answers that, with its error)."""
    given = [value for name, value in parse_qsl(query, keep_blank_values=True) if name == "group"]
    if not given:
        return "event"
    if len(given) > 1:
        return None
    return "event" if given[0] == "event" else "report" if given[0] == "report" else None


def cluster_reports(sitroom: Sitroom, cluster_id: str) -> list[dict[str, Any]]:
    """Every stored report (mention) of one event cluster, oldest first."""
    page = sitroom.store.events(EventFilter(cluster_id=cluster_id, limit=MAX_REPORTS, background="include"))
    return list(reversed(page.records))


@router.get("/{event_id}", response_model=EventDetail, summary="One event with its evidence in context")
async def get_event(event_id: str, request: Request, sitroom: SitroomDep) -> Response:
    """One event record with its article (full text), the evidence with the text around it,
    its cluster with the contradictions between reports, and the other reports of the event."""
    return await cached_json(request, EventDetail, lambda: event_detail(sitroom, event_id))


def event_detail(sitroom: Sitroom, event_id: str) -> dict[str, Any]:
    """What ``GET /api/events/{event_id}`` answers (404 when there is no such event)."""
    record = sitroom.store.event(event_id)
    if record is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    evidence = record["evidence"]
    article = sitroom.store.article(evidence["article_id"])
    excerpt = None
    if article is not None:
        start, end = evidence["start"], evidence["end"]
        excerpt = {
            "before": article.text[max(0, start - EXCERPT_CHARS) : start],
            "evidence": article.text[start:end],
            "after": article.text[end : end + EXCERPT_CHARS],
        }
    cluster = sitroom.store.cluster(record["cluster_id"]) if record.get("cluster_id") else None
    reports = cluster_reports(sitroom, cluster.id) if cluster else []
    return {
        "event": record,
        "article": article_record(article) if article else None,
        "excerpt": excerpt,
        "cluster": cluster_record(cluster) if cluster else None,
        "reports": [r for r in reports if r["id"] != event_id],
        "corrections": [c.as_dict() for c in sitroom.store.corrections(event_id)],
    }


@router.post(
    "/{event_id}/review",
    response_model=ReviewResult,
    summary="Dismiss, confirm, correct, merge or split an event (reviewer token)",
    tags=["write"],
)
def review(
    event_id: str,
    body: ReviewBody,
    sitroom: SitroomDep,
    token: Annotated[ApiToken, Depends(require_reviewer)],
) -> dict[str, Any]:
    """Apply one review action, with its reason, and append it to the event's corrections
    log under the token's name. The event's record (and every list, count and export) then
    shows the corrected values; a dismissed event leaves them (``?review=dismissed`` finds it).
    422 names a bad value; 404 when there is no such event."""
    fields = body.model_dump(exclude={"action", "reason", "kind", "other"})
    given = {("size." + k if k in SIZE_FIELDS else k): v for k, v in fields.items()}
    request = ReviewRequest(body.action, body.reason, sitroom.review_values(given), body.kind, body.other)
    record, entry = sitroom.review(event_id, request, token.name)
    return {"event": record, "correction": entry.as_dict()}

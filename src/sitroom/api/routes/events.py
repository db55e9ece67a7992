"""``/api/events``: event records with filters and cursor pagination, and one event in full."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException

from sitroom.api.deps import event_filter, get_sitroom
from sitroom.api.schemas import EventDetail, EventPage
from sitroom.pipeline import Sitroom
from sitroom.records import article_record, cluster_record
from sitroom.store.events import EventFilter

router = APIRouter(prefix="/api/events", tags=["events"])

# characters of article text shown on each side of the evidence
EXCERPT_CHARS = 600
MAX_REPORTS = 500

SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]


@router.get("", response_model=EventPage, summary="Event records, newest first")
def list_events(sitroom: SitroomDep, flt: Annotated[EventFilter, Depends(event_filter)]) -> dict[str, Any]:
    """Event records matching every given filter, newest first, ``limit`` at a time.

    Follow ``next_cursor`` (as ``?cursor=``, with the same filters) for the next page.
    """
    page = sitroom.store.events(flt)
    return {"events": page.records, "next_cursor": page.next_cursor}


def cluster_reports(sitroom: Sitroom, cluster_id: str) -> list[dict[str, Any]]:
    """Every stored report (mention) of one event cluster, oldest first."""
    page = sitroom.store.events(EventFilter(cluster_id=cluster_id, limit=MAX_REPORTS))
    return list(reversed(page.records))


@router.get("/{event_id}", response_model=EventDetail, summary="One event with its evidence in context")
def get_event(event_id: str, sitroom: SitroomDep) -> dict[str, Any]:
    """One event record with its article (full text), the evidence with the text around it,
    its cluster with the contradictions between reports, and the other reports of the event."""
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
    }

"""``/api/summary``: the figures of the events in view, each real event counted once.

The dashboard's header: how many events (clusters) and reports match the filters, in how
many places, and their dead at the conservative figure of each event
(:mod:`sitroom.corroborate.tolls`), with the events left out of the totals by reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from sitroom.api.deps import event_filter, get_sitroom
from sitroom.api.routes.events import cached_json
from sitroom.api.schemas import Summary
from sitroom.corroborate.credibility import IMPROBABLE
from sitroom.corroborate.tolls import event_toll, total_dead
from sitroom.models import EventCluster
from sitroom.pipeline import Sitroom
from sitroom.records import mention_from_record
from sitroom.store.filters import EventFilter

router = APIRouter(prefix="/api/summary", tags=["events"])
SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]


@router.get("", response_model=Summary, summary="Totals of the events in view, each event once")
async def get_summary(
    request: Request, sitroom: SitroomDep, flt: Annotated[EventFilter, Depends(event_filter)]
) -> Response:
    """Events, reports, places and dead of every event matching the filters (those of
    ``GET /api/events``; ``limit`` and ``cursor`` are ignored). An event counts once, at the
    lowest credible figure of its reports; background, denied, planned and other events no
    report says happened are left out of the dead and counted in ``left_out``."""
    return await cached_json(request, Summary, lambda: summary(sitroom, flt))


def summary(sitroom: Sitroom, flt: EventFilter) -> dict[str, Any]:
    """What ``GET /api/summary`` answers. Each event's toll is made from all its reports'
    records (in view or not), so a store clustered before tolls were kept counts right too."""
    in_view = list(sitroom.store.iter_events(replace(flt, cursor=None)))
    places = {r["location"]["name"] for r in in_view if r.get("location")}
    cluster_ids = sorted({r["cluster_id"] for r in in_view if r.get("cluster_id")})
    members = sitroom.store.mention_ids_of_clusters(cluster_ids) if cluster_ids else []
    reports: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in sitroom.store.mention_records_by_ids(sorted({key for key, _ in members})):
        reports[record["cluster_id"]].append(record)
    for record in in_view:
        if not record.get("cluster_id"):
            reports[record["id"]].append(record)
    total = total_dead(_toll(key, records) for key, records in reports.items())
    return {
        "events": len(reports),
        "reports": len(in_view),
        "places": len(places),
        "dead": total.dead,
        "dead_high": total.high,
        "events_counted": total.events,
        "events_with_dead": total.with_figures,
        "left_out": total.left_out,
    }


def _toll(key: str, records: list[dict[str, Any]]) -> EventCluster:
    """The event of these reports' records with its toll (:func:`event_toll`)."""
    mentions = [mention_from_record(record) for record in records]
    published = {r["evidence"]["article_id"]: _day(r["evidence"].get("published")) for r in records}
    improbable = any(record.get("credibility") == IMPROBABLE for record in records)
    dead, not_counted = event_toll(mentions, published, improbable=improbable)
    return EventCluster(key, tuple(m.id for m in mentions), 1, dead=dead, not_counted=not_counted)


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None

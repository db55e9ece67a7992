"""``/api/summary``: the figures of the events in view, each real event counted once.

The dashboard's header: how many events (clusters) and reports match the filters, in how
many places, and their dead at the conservative figure of each event
(:mod:`sitroom.corroborate.tolls`), with the events left out of the totals by reason.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from sitroom.api.deps import event_filter, get_sitroom
from sitroom.api.routes.events import cached_json
from sitroom.api.schemas import Summary
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
    """What ``GET /api/summary`` answers."""
    reports, places = 0, set[str]()
    clusters: dict[str, EventCluster] = {}
    for record in sitroom.store.iter_events(replace(flt, cursor=None)):
        reports += 1
        if record.get("location"):
            places.add(record["location"]["name"])
        key = record.get("cluster_id") or "ev-" + record["id"]
        if key not in clusters:
            stored = sitroom.store.cluster(key) if record.get("cluster_id") else None
            clusters[key] = stored or _alone(record)
    total = total_dead(clusters.values())
    return {
        "events": len(clusters),
        "reports": reports,
        "places": len(places),
        "dead": total.dead,
        "dead_high": total.high,
        "events_counted": total.events,
        "events_with_dead": total.with_figures,
        "left_out": total.left_out,
    }


def _alone(record: dict[str, Any]) -> EventCluster:
    """A report not clustered (yet) as an event of its own."""
    mention = mention_from_record(record)
    published = record["evidence"].get("published") or ""
    try:
        day: date | None = date.fromisoformat(published[:10])
    except ValueError:
        day = None
    dead, not_counted = event_toll([mention], {mention.article_id: day})
    return EventCluster("ev-" + mention.id, (mention.id,), 1, dead=dead, not_counted=not_counted)

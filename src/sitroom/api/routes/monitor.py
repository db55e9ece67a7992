"""Monitoring: escalation series and signals, the civilian-protection view, watches and alerts.

The rules live in :mod:`sitroom.monitor` (docs/monitoring.md); these routes only read the
request, call them and describe the result. "Today" is the ``today`` query parameter when
given (to replay a day exactly), else the current UTC date, read here at the edge.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import PlainTextResponse

from sitroom.api.auth import require_token
from sitroom.api.deps import MAX_PAGE, get_sitroom
from sitroom.api.monitor_schemas import (
    Alert,
    AlertRun,
    Escalation,
    Period,
    ProtectionView,
    SignalScan,
    Watch,
    WatchIn,
)
from sitroom.api.problems import InvalidParameter
from sitroom.errors import WatchError
from sitroom.models import CIVILIAN_PROTECTION_KINDS, CivilianProtection
from sitroom.monitor import alerts as stored
from sitroom.monitor import watches
from sitroom.monitor.escalation import build_escalation_view, latest_day
from sitroom.monitor.feed import render_atom
from sitroom.monitor.incidents import load_incidents, record_start
from sitroom.monitor.protection import build_protection_view
from sitroom.monitor.series import Subject
from sitroom.monitor.signals import scan_signals
from sitroom.monitor.webhook import deliver_alerts
from sitroom.pipeline import Sitroom

router = APIRouter(tags=["monitor"])
SitroomDep = Annotated[Sitroom, Depends(get_sitroom)]
ATOM = "application/atom+xml"
MAX_PERIODS = 400


def as_of(
    today: Annotated[
        date | None, Query(description="run as of this day, YYYY-MM-DD (default: today, UTC)")
    ] = None,
) -> date:
    """The day monitoring runs for."""
    return today or datetime.now(UTC).date()


Today = Annotated[date, Depends(as_of)]


def _subject(place: str | None, dyad: str | None) -> Subject:
    if place and dyad:
        raise InvalidParameter("dyad", "give place or dyad, not both")
    if place:
        return Subject.of_place(place.strip())
    if dyad:
        pair = [p.strip() for p in dyad.split(",")]
        if len(pair) != 2 or not all(pair):
            raise InvalidParameter("dyad", f"{dyad!r} is not two actor names separated by a comma")
        return Subject.of_dyad(pair[0], pair[1])
    raise InvalidParameter("place", "give place=NAME or dyad=A,B (GET /api/signals lists every place)")


@router.get(
    "/api/escalation", response_model=Escalation, summary="Escalation series and signals of a place or dyad"
)
def get_escalation(
    sitroom: SitroomDep,
    today: Today,
    place: Annotated[str | None, Query(description="place name, city, admin1 or ISO3 country")] = None,
    dyad: Annotated[str | None, Query(description="two actor canonical names: A,B")] = None,
    period: Period = "week",
    periods: Annotated[
        int | None, Query(ge=1, le=MAX_PERIODS, description="days or weeks (default 28 days, 12 weeks)")
    ] = None,
    latest: Annotated[
        bool,
        Query(
            description="end at the subject's newest event on or before `today` (its own weeks in a store of mixed dates)"
        ),
    ] = False,
) -> dict[str, Any]:
    """The daily or ISO-weekly series of one place or actor pair up to ``today`` (events,
    fatalities, intensity, de-escalation, planned, denied) and its signals: trend weeks in
    the span shown, highest-in-a-long-time and de-escalation events (docs/monitoring.md).
    With ``latest``, the series ends at the subject's own newest event instead."""
    incidents = load_incidents(sitroom.store)
    subject = _subject(place, dyad)
    if latest:
        today = latest_day(incidents, subject, today)
    view = build_escalation_view(incidents, subject, period, today, periods)
    return {
        "subject": view.subject.name,
        "level": view.subject.level,
        "period": view.period,
        "today": view.today,
        "record_start": view.record_start,
        "incidents": view.incidents,
        "series": [asdict(p) for p in view.series],
        "signals": [asdict(s) for s in view.signals],
    }


@router.get("/api/signals", response_model=SignalScan, summary="The current signals of every place and dyad")
def list_signals(
    sitroom: SitroomDep,
    today: Today,
    level: Annotated[
        list[Literal["admin1", "city", "country", "dyad"]] | None,
        Query(description="admin1, city, country or dyad; repeat for several (default admin1, city, dyad)"),
    ] = None,
    direction: Literal["escalation", "de-escalation"] | None = None,
) -> dict[str, Any]:
    """The trend of the last complete ISO week, highest-in-a-long-time and de-escalation
    signals of every admin1, city and dyad (or the given levels)."""
    incidents = load_incidents(sitroom.store)
    start = record_start(incidents)
    found = scan_signals(incidents, today, start, tuple(level) if level else ("admin1", "city", "dyad"))
    return {
        "today": today,
        "record_start": start,
        "signals": [asdict(s) for s in found if direction is None or s.direction == direction],
    }


@router.get(
    "/api/protection", response_model=ProtectionView, summary="Civilian protection by place and period"
)
def get_protection(
    sitroom: SitroomDep,
    place: Annotated[
        str | None, Query(description="only this place: name, city, admin1 or ISO3 country")
    ] = None,
    level: Annotated[
        Literal["admin1", "city", "country"], Query(description="rows per admin1, city or country")
    ] = "admin1",
    period: Period = "week",
    since: Annotated[date | None, Query(description="first day, YYYY-MM-DD")] = None,
    until: Annotated[date | None, Query(description="last day, YYYY-MM-DD")] = None,
    kind: Annotated[
        list[CivilianProtection] | None, Query(description="only these kinds; repeat for several")
    ] = None,
) -> dict[str, Any]:
    """Evacuations, corridors, incidents at protected sites, human-shield claims, civilian
    casualties, displacement and aid access: one row per place, day or ISO week and kind,
    with the report ids of its incidents."""
    if since and until and since > until:
        raise InvalidParameter("until", f"until {until} is before since {since}")
    rows = build_protection_view(
        load_incidents(sitroom.store),
        place=place or None,
        level=level,
        period=period,
        since=since,
        until=until,
        kinds=kind or CIVILIAN_PROTECTION_KINDS,
    )
    return {"rows": [asdict(r) for r in rows]}


def _alert(alert: watches.Alert) -> dict[str, Any]:
    return asdict(alert)


@router.get("/api/alerts", response_model=list[Alert], summary="Stored alerts, newest first")
def list_alerts(
    sitroom: SitroomDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    watch: Annotated[str | None, Query(description="only the alerts of this watch")] = None,
) -> list[dict[str, Any]]:
    """The alerts the watches raised (``POST /api/alerts/evaluate`` or ``sitroom alerts``),
    with their webhook delivery state."""
    return [_alert(a) for a in stored.list_alerts(sitroom.store, limit, watch)]


@router.get(
    "/api/alerts.atom",
    response_class=PlainTextResponse,
    summary="Stored alerts as an Atom feed",
    responses={200: {"content": {ATOM: {}}}},
)
def alerts_feed(
    request: Request, sitroom: SitroomDep, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100
) -> Response:
    """The stored alerts as Atom (RFC 4287); each entry links the reports of its incidents."""
    document = render_atom(
        stored.list_alerts(sitroom.store, limit),
        updated=datetime.now(UTC),
        self_url=str(request.url),
        event_url=str(request.base_url) + "api/events/{id}",
    )
    return Response(document, media_type=ATOM)


@router.post(
    "/api/alerts/evaluate",
    response_model=AlertRun,
    dependencies=[Depends(require_token)],
    tags=["write"],
    summary="Evaluate the watches, store new alerts, post them to the webhook",
)
def evaluate_alerts(sitroom: SitroomDep, today: Today) -> dict[str, Any]:
    """Evaluate every watch as of ``today``; store the alerts not raised before and post the
    undelivered ones to ``webhook_url`` when it is set (failures are recorded, not raised)."""
    now = datetime.now(UTC)
    fresh = stored.raise_alerts(sitroom.store, today, now)
    url = sitroom.settings.webhook_url
    deliveries = (
        deliver_alerts(sitroom.store, url, now, timeout=sitroom.settings.fetch_timeout) if url else []
    )
    return {"new": [_alert(a) for a in fresh], "deliveries": [asdict(d) for d in deliveries]}


def _watch(watch: watches.Watch) -> dict[str, Any]:
    return {**asdict(watch), "description": watch.describe()}


@router.get("/api/watches", response_model=list[Watch], summary="Saved watches, by name")
def list_watches(sitroom: SitroomDep) -> list[dict[str, Any]]:
    return [_watch(w) for w in stored.list_watches(sitroom.store)]


@router.post(
    "/api/watches",
    response_model=Watch,
    status_code=201,
    dependencies=[Depends(require_token)],
    tags=["write"],
    summary="Save a watch",
)
def add_watch(body: WatchIn, sitroom: SitroomDep, today: Today) -> dict[str, Any]:
    """Save a watch (a place, an actor, an event type or a protection kind, and a threshold);
    it raises no alert for windows that ended before ``today``. 400 when it watches nothing
    or names an unknown type; 409 when the name is taken."""
    try:
        spec = watches.make_watch(
            body.name,
            body.threshold,
            window_days=body.window_days,
            place=body.place,
            actor=body.actor,
            event_type=body.event_type,
            protection=body.protection,
            added=today,
        )
    except WatchError as exc:
        raise HTTPException(400, exc.message) from None
    try:
        return _watch(stored.add_watch(sitroom.store, spec, datetime.now(UTC)))
    except WatchError as exc:
        raise HTTPException(409, exc.message) from None


@router.delete(
    "/api/watches/{name}",
    status_code=204,
    dependencies=[Depends(require_token)],
    tags=["write"],
    summary="Remove a watch and its alerts",
)
def remove_watch(name: str, sitroom: SitroomDep) -> Response:
    try:
        stored.remove_watch(sitroom.store, name)
    except WatchError as exc:
        raise HTTPException(404, exc.message) from None
    return Response(status_code=204)

"""The pydantic models of the monitoring routes: escalation series and signals, the
civilian-protection view, watches, alerts and outlet grades.

They describe the frozen dataclasses of :mod:`sitroom.monitor` at the edge (for validation
and the OpenAPI document); the routes fill them with ``dataclasses.asdict``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from sitroom.models import CivilianProtection

Period = Literal["day", "week"]
Level = Literal["place", "admin1", "city", "country", "dyad"]


class SeriesPoint(BaseModel):
    subject: str
    level: Level
    period: Period
    start: date
    end: date
    events: int = Field(description="violent incidents that happened (occurred or ongoing)")
    fatalities: int
    intensity: float = Field(description="weighted by type, mode and deaths (docs/monitoring.md)")
    deescalation: int = Field(description="de-escalatory incidents that happened")
    planned: int
    denied: int
    other: int
    complete: bool = Field(description="false for the day or week that holds today")


class Signal(BaseModel):
    kind: str = Field(
        description="increase_large, increase_moderate, decrease_large, decrease_moderate, "
        "highest_1y, highest_3y or deescalation"
    )
    direction: Literal["escalation", "de-escalation"]
    subject: str
    level: Level
    start: date
    end: date
    metric: str
    value: float
    baseline: float | None
    change: float | None = Field(description="relative change against the baseline; null when it is 0")
    reason: str
    event_ids: list[str] = Field(description="one report id per incident (GET /api/events/{id})")


class Escalation(BaseModel):
    subject: str
    level: Level
    period: Period
    today: date
    record_start: date | None = Field(description="the first day the store's record covers")
    incidents: int = Field(description="incidents of this place or dyad on record, any day")
    series: list[SeriesPoint] = Field(description="oldest first, empty periods as zeros")
    signals: list[Signal]


class SignalScan(BaseModel):
    today: date
    record_start: date | None
    signals: list[Signal] = Field(description="newest first, then kind, level and subject")


class ProtectionRow(BaseModel):
    place: str
    period: Period
    start: date
    end: date
    kind: CivilianProtection
    events: int = Field(description="incidents that happened (occurred or ongoing)")
    completed: int = Field(description="evacuations reported done")
    planned: int
    denied: int
    other: int
    dead: int
    injured: int
    displaced: int
    sites: list[str]
    event_ids: list[str] = Field(description="one report id per incident, at most 20")


class ProtectionView(BaseModel):
    rows: list[ProtectionRow] = Field(description="newest period first, then place, then kind")


class WatchIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    threshold: int = Field(ge=1, description="incidents that happened in one window that raise an alert")
    window_days: int = Field(7, ge=1, le=366, description="window length in days (7: ISO weeks)")
    place: str | None = Field(None, description="place name, city, admin1 or ISO3 country")
    actor: str | None = Field(None, description="actor canonical name, case-insensitive substring")
    event_type: str | None = Field(None, description="PLOVER type, e.g. ASSAULT")
    protection: CivilianProtection | None = None


class Watch(BaseModel):
    name: str
    threshold: int
    window_days: int
    place: str | None
    actor: str | None
    event_type: str | None
    protection: str | None
    added: date | None = Field(description="no alert for windows that ended before this day")
    description: str


class Alert(BaseModel):
    key: str = Field(description="the watch and its window: the same alert is raised once")
    watch: str
    kind: str
    title: str
    window_start: date
    window_end: date
    count: int
    threshold: int
    event_ids: list[str]
    places: list[str]
    created_at: str | None
    delivered_at: str | None
    attempts: int = Field(description="webhook tries so far")
    last_error: str | None


class Delivery(BaseModel):
    key: str
    ok: bool
    status: int | None
    error: str | None


class AlertRun(BaseModel):
    new: list[Alert] = Field(description="alerts raised by this run (each is raised once)")
    deliveries: list[Delivery] = Field(description="webhook posts (none without webhook_url)")


class OutletGradeIn(BaseModel):
    reliability: str = Field(pattern="^[A-Fa-f]$", description="Admiralty source reliability, A to F")
    country: str | None = Field(
        None, pattern="^([A-Za-z]{3})?$", description="ISO3 of the owner's seat; left out: kept, '': cleared"
    )
    group: str | None = Field(
        None,
        max_length=200,
        description="syndication group (counted as one source); left out: kept, '': cleared",
    )
    domains: list[str] = Field([], max_length=50, description="URL domains; left out or empty: kept")
    notes: str | None = Field(None, max_length=2000)

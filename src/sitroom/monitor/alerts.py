"""Watches and alerts in the store (tables ``watches`` and ``alerts``), and the run that
evaluates every watch and keeps the alerts it raises.

Moments (``now``) and days (``today``) are always passed in: nothing here reads the clock.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from sitroom.errors import StoreError, WatchError
from sitroom.monitor.incidents import Incident, load_incidents
from sitroom.monitor.watches import Alert, Watch, alert_from_record, evaluate_watches, watch_from_spec
from sitroom.store import Store
from sitroom.store import schema as t

# Webhook tries per alert; after that it stays listed (and in the feed) but is not posted again.
MAX_ATTEMPTS = 5


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def add_watch(store: Store, watch: Watch, now: datetime) -> Watch:
    """Save a watch (made with :func:`~sitroom.monitor.watches.make_watch`); its name must be new.
    A watch without an ``added`` day is added on ``now``'s day."""
    if watch.added is None:
        watch = replace(watch, added=now.date())
    try:
        with store.engine.begin() as conn:
            conn.execute(t.watches.insert().values(name=watch.name, spec=watch.spec(), created_at=_iso(now)))
    except IntegrityError as exc:
        raise WatchError(
            f"a watch named {watch.name!r} exists already; remove it first or pick another name"
        ) from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot save watch {watch.name!r} in {store.url}: {exc}") from exc
    return watch


def list_watches(store: Store) -> list[Watch]:
    """Every saved watch, by name."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.watches).order_by(t.watches.c.name)).all()
    return [watch_from_spec(r.name, _json(r.spec), date.fromisoformat(r.created_at[:10])) for r in rows]


def remove_watch(store: Store, name: str) -> None:
    """Remove a watch and the alerts it raised."""
    with store.engine.begin() as conn:
        found = conn.execute(select(t.watches.c.id).where(t.watches.c.name == name)).scalar()
        if found is None:
            raise WatchError(f"no watch named {name!r}; list them with 'sitroom watch list'")
        # the foreign key cascades on PostgreSQL and on SQLite with foreign keys on; say it anyway
        conn.execute(delete(t.alerts).where(t.alerts.c.watch_id == found))
        conn.execute(delete(t.watches).where(t.watches.c.id == found))


def _stored(row: Any) -> Alert:
    return alert_from_record(
        _json(row.record),
        created_at=row.created_at,
        delivered_at=row.delivered_at,
        attempts=row.attempts,
        last_error=row.last_error,
    )


def save_alerts(store: Store, alerts: Sequence[Alert], now: datetime) -> list[Alert]:
    """Store the alerts whose key is new; returns those (as stored), in the given order."""
    if not alerts:
        return []
    dialect = sqlite if store.engine.dialect.name == "sqlite" else postgresql
    created = _iso(now)
    fresh: list[Alert] = []
    with store.engine.begin() as conn:
        ids = {row.name: row.id for row in conn.execute(select(t.watches.c.name, t.watches.c.id))}
        for alert in alerts:
            record = {**alert.record(), "created_at": created}
            row = conn.execute(
                dialect.insert(t.alerts)
                .values(
                    watch_id=ids.get(alert.watch),
                    key=alert.key,
                    kind=alert.kind,
                    title=alert.title,
                    record=record,
                    created_at=created,
                    attempts=0,
                )
                .on_conflict_do_nothing()
                .returning(t.alerts.c.id)
            ).first()
            if row is not None:
                fresh.append(alert_from_record(record, created_at=created))
    return fresh


def list_alerts(store: Store, limit: int = 100, watch: str | None = None) -> list[Alert]:
    """Stored alerts, newest first (then by key)."""
    query = select(t.alerts).order_by(t.alerts.c.created_at.desc(), t.alerts.c.key).limit(limit)
    if watch is not None:
        query = query.where(t.alerts.c.watch_id.in_(select(t.watches.c.id).where(t.watches.c.name == watch)))
    with store.engine.connect() as conn:
        return [_stored(row) for row in conn.execute(query)]


def undelivered_alerts(store: Store, max_attempts: int = MAX_ATTEMPTS) -> list[Alert]:
    """Alerts not yet delivered to the webhook and tried fewer than ``max_attempts`` times,
    oldest first."""
    query = (
        select(t.alerts)
        .where(t.alerts.c.delivered_at.is_(None), t.alerts.c.attempts < max_attempts)
        .order_by(t.alerts.c.created_at, t.alerts.c.key)
    )
    with store.engine.connect() as conn:
        return [_stored(row) for row in conn.execute(query)]


def record_delivery(store: Store, key: str, now: datetime, error: str | None) -> None:
    """Note one webhook try of alert ``key``: delivered at ``now``, or failed with ``error``."""
    values: dict[str, Any] = {"attempts": t.alerts.c.attempts + 1, "last_error": error}
    if error is None:
        values["delivered_at"] = _iso(now)
    with store.engine.begin() as conn:
        conn.execute(update(t.alerts).where(t.alerts.c.key == key).values(**values))


def raise_alerts(
    store: Store, today: date, now: datetime, incidents: Sequence[Incident] | None = None
) -> list[Alert]:
    """Evaluate every saved watch on the store's incidents up to ``today`` and store the alerts
    not raised before; returns the new ones. ``incidents`` saves a second read of the store."""
    watches = list_watches(store)
    if not watches:
        return []
    found = evaluate_watches(watches, incidents if incidents is not None else load_incidents(store), today)
    return save_alerts(store, found, now)

"""What the follower keeps in the store (tables ``followed_sources`` and ``follow_seen``,
migration 0005): each source's polling state and lease, and the keys of the items it gave.

Several followers share one PostgreSQL store: :func:`claim_due` takes due sources with
``SELECT ... FOR UPDATE SKIP LOCKED`` and leases them to one follower until a moment, so
no two poll a source at once and a dead follower's sources come free when its lease runs
out. SQLite takes one follower at a time (:mod:`sitroom.follow.lock`).

Moments (``now``) are always passed in: nothing here reads the clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from sitroom.errors import StoreError
from sitroom.store import Store
from sitroom.store import schema as t

SourceStatus = Literal["new", "ok", "failing"]


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def item_key(value: str | bytes) -> str:
    """The key an item is remembered by: sha256 of its GUID, link or content."""
    return hashlib.sha256(value.encode("utf-8") if isinstance(value, str) else value).hexdigest()


@dataclass(frozen=True)
class SourceSpec:
    """A source to follow, as a sources file line or ``POST /api/sources`` gives it."""

    url: str
    interval_s: int
    outlet: str | None = None


@dataclass(frozen=True)
class FollowedSource:
    """One followed source and where its polling stands."""

    id: int
    url: str
    outlet: str | None
    interval_s: int
    etag: str | None
    last_modified: str | None
    added_at: str
    last_poll: str | None
    last_new_item: str | None
    next_due: str
    errors: int
    last_error: str | None
    items_seen: int
    articles_stored: int
    lease_owner: str | None
    lease_until: str | None

    @property
    def status(self) -> SourceStatus:
        if self.errors:
            return "failing"
        return "ok" if self.last_poll else "new"

    def describe(self) -> str:
        """One line: ok / failing with the last error, backing off until the next poll."""
        if self.status == "failing":
            return f"failing ({self.errors} in a row: {self.last_error}); backing off until {self.next_due}"
        if self.status == "new":
            return "new: not polled yet"
        return f"ok; next poll {self.next_due}"

    def record(self) -> dict[str, Any]:
        """The source as ``GET /api/sources`` and ``sitroom sources --format jsonl`` show it."""
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "interval_s": self.interval_s,
            "status": self.status,
            "state": self.describe(),
            "last_poll": self.last_poll,
            "last_new_item": self.last_new_item,
            "next_due": self.next_due,
            "errors": self.errors,
            "last_error": self.last_error,
            "items_seen": self.items_seen,
            "articles_stored": self.articles_stored,
        }


def _source(row: Any) -> FollowedSource:
    return FollowedSource(**{name: getattr(row, name) for name in FollowedSource.__dataclass_fields__})


def _insert_ignore(store: Store, table: Any) -> Any:
    dialect = sqlite if store.engine.dialect.name == "sqlite" else postgresql
    return dialect.insert(table).on_conflict_do_nothing()


def save_sources(store: Store, specs: Iterable[SourceSpec], now: datetime) -> list[FollowedSource]:
    """Follow these sources: new ones are due at once; a known URL takes the interval and
    outlet given (its state and what it gave are kept). Returns them as stored."""
    specs = list(specs)
    try:
        with store.engine.begin() as conn:
            for spec in specs:
                conn.execute(
                    _insert_ignore(store, t.followed_sources).values(
                        url=spec.url,
                        outlet=spec.outlet,
                        interval_s=spec.interval_s,
                        added_at=iso(now),
                        next_due=iso(now),
                    )
                )
                conn.execute(
                    update(t.followed_sources)
                    .where(t.followed_sources.c.url == spec.url)
                    .values(interval_s=spec.interval_s, outlet=spec.outlet)
                )
            rows = conn.execute(
                select(t.followed_sources).where(t.followed_sources.c.url.in_([s.url for s in specs]))
            ).all()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot save {len(specs)} followed source(s) in {store.url}: {exc}") from exc
    by_url = {row.url: _source(row) for row in rows}
    return [by_url[spec.url] for spec in specs]


def list_sources(store: Store) -> list[FollowedSource]:
    """Every followed source, by id."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.followed_sources).order_by(t.followed_sources.c.id)).all()
    return [_source(row) for row in rows]


def get_source(store: Store, source_id: int) -> FollowedSource | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(t.followed_sources).where(t.followed_sources.c.id == source_id)).first()
    return _source(row) if row else None


def remove_source(store: Store, source_id: int) -> bool:
    """Stop following a source (and forget what it gave); False when there is none of that id."""
    with store.engine.begin() as conn:
        conn.execute(delete(t.follow_seen).where(t.follow_seen.c.source_id == source_id))
        gone = conn.execute(
            delete(t.followed_sources)
            .where(t.followed_sources.c.id == source_id)
            .returning(t.followed_sources.c.id)
        ).first()
    return gone is not None


def claim_due(store: Store, owner: str, now: datetime, lease_s: float, limit: int) -> list[FollowedSource]:
    """Lease up to ``limit`` sources due by ``now`` and not leased to a live follower to
    ``owner`` for ``lease_s`` seconds, most overdue first.

    PostgreSQL: the due rows are locked ``FOR UPDATE SKIP LOCKED`` while they are leased, so
    two followers claiming at once get different sources. SQLite has one writer at a time."""
    sources = t.followed_sources
    free = or_(
        sources.c.lease_until.is_(None), sources.c.lease_until <= iso(now), sources.c.lease_owner == owner
    )
    query = (
        select(sources.c.id)
        .where(sources.c.next_due <= iso(now), free)
        .order_by(sources.c.next_due)
        .limit(limit)
    )
    if store.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    until = iso(now + timedelta(seconds=lease_s))
    with store.engine.begin() as conn:
        ids = list(conn.execute(query).scalars())
        if not ids:
            return []
        conn.execute(
            update(sources).where(sources.c.id.in_(ids)).values(lease_owner=owner, lease_until=until)
        )
        rows = conn.execute(select(sources).where(sources.c.id.in_(ids)).order_by(sources.c.next_due)).all()
    return [_source(row) for row in rows]


def next_due(store: Store) -> str | None:
    """The earliest moment any source is due, or None when none is followed."""
    with store.engine.connect() as conn:
        return conn.execute(
            select(t.followed_sources.c.next_due).order_by(t.followed_sources.c.next_due).limit(1)
        ).scalar()


def unseen(store: Store, source_id: int, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` the source has not given before."""
    if not keys:
        return set()
    with store.engine.connect() as conn:
        known = set(
            conn.execute(
                select(t.follow_seen.c.key).where(
                    t.follow_seen.c.source_id == source_id, t.follow_seen.c.key.in_(list(set(keys)))
                )
            ).scalars()
        )
    return set(keys) - known


def _owned(source_id: int, owner: str) -> Any:
    return and_(t.followed_sources.c.id == source_id, t.followed_sources.c.lease_owner == owner)


def record_items(
    store: Store, source_id: int, owner: str, keys: Sequence[str], stored: int, now: datetime, lease_s: float
) -> None:
    """Remember that the source gave the items ``keys`` (``stored`` of them new articles) and
    extend the lease: one transaction, after the items are in the store, so an interrupted
    poll neither loses an item nor takes one twice."""
    if not keys:
        return
    values: dict[str, Any] = {
        "items_seen": t.followed_sources.c.items_seen + len(keys),
        "articles_stored": t.followed_sources.c.articles_stored + stored,
        "lease_until": iso(now + timedelta(seconds=lease_s)),
    }
    if stored:
        values["last_new_item"] = iso(now)
    try:
        with store.engine.begin() as conn:
            _remember(store, conn, source_id, keys, now)
            conn.execute(update(t.followed_sources).where(_owned(source_id, owner)).values(**values))
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot record the items of followed source {source_id} in {store.url}: {exc}"
        ) from exc


def _remember(store: Store, conn: Connection, source_id: int, keys: Sequence[str], now: datetime) -> None:
    conn.execute(
        _insert_ignore(store, t.follow_seen),
        [{"source_id": source_id, "key": key, "seen_at": iso(now)} for key in dict.fromkeys(keys)],
    )


def finish_poll(
    store: Store,
    source_id: int,
    owner: str,
    now: datetime,
    due: datetime,
    *,
    error: str | None = None,
    validators: tuple[str | None, str | None] | None = None,
) -> None:
    """End a poll: its moment, the next one (``due``), the error (consecutive errors counted,
    reset by a success), the validators to send next time (``None``: keep them), and the lease
    given back. Nothing happens when the lease went to another follower meanwhile."""
    values: dict[str, Any] = {
        "last_poll": iso(now),
        "next_due": iso(due),
        "lease_owner": None,
        "lease_until": None,
        "last_error": error,
        "errors": t.followed_sources.c.errors + 1 if error else 0,
    }
    if validators is not None:
        values["etag"], values["last_modified"] = validators
    with store.engine.begin() as conn:
        conn.execute(update(t.followed_sources).where(_owned(source_id, owner)).values(**values))


def release(store: Store, source_id: int, owner: str) -> None:
    """Give a lease back without polling (the follower is stopping): due as it was."""
    with store.engine.begin() as conn:
        conn.execute(
            update(t.followed_sources)
            .where(_owned(source_id, owner))
            .values(lease_owner=None, lease_until=None)
        )

"""The corrections log and each event's review status in the store (mixed into :class:`Store`).

The log (table ``corrections``) is append-only: an action adds an entry, nothing edits or
deletes one. An event mention's stored record and row are the extractor's with its log
replayed (:func:`sitroom.review.apply_corrections`): at each review here, and whenever the
mention is written again (:meth:`ReviewStoreMixin._with_corrections`, on a re-ingest).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from sitroom.errors import EventNotFound
from sitroom.records import with_cluster
from sitroom.review import (
    CLUSTER_ACTIONS,
    ClusterConstraints,
    Correction,
    ReviewRequest,
    apply_corrections,
    changes_for,
    cluster_constraints,
)
from sitroom.store import schema as t
from sitroom.store.events import _json, chunks, mention_row


def _correction(row: Any) -> Correction:
    changes = json.loads(row.changes) if isinstance(row.changes, str) else row.changes  # text on some drivers
    return Correction(
        id=row.id,
        event_id=row.event_id,
        action=row.action,
        changes=changes,
        reason=row.reason,
        reviewer=row.reviewer,
        created_at=row.created_at,
    )


class ReviewStoreMixin:
    engine: Engine
    refresh_statistics: Callable[..., bool]  # Store's

    def corrections(self, event_id: str) -> list[Correction]:
        """One event's log, oldest first."""
        with self.engine.connect() as conn:
            return self._corrections_of(conn, [event_id]).get(event_id, [])

    def reviewed_ids(self, event_ids: Sequence[str]) -> set[str]:
        """Those of ``event_ids`` that the corrections log names."""
        c = t.corrections.c
        with self.engine.connect() as conn:
            return {
                key
                for chunk in chunks(sorted(set(event_ids)))
                for key in conn.execute(select(c.event_id).where(c.event_id.in_(chunk)).distinct()).scalars()
            }

    def cluster_constraints(self) -> ClusterConstraints:
        """The analysts' merges and splits, which clustering honours (sitroom.review)."""
        c = t.corrections.c
        query = select(t.corrections).where(c.action.in_(CLUSTER_ACTIONS)).order_by(c.id)
        with self.engine.connect() as conn:
            return cluster_constraints(_correction(row) for row in conn.execute(query))

    @staticmethod
    def _corrections_of(conn: Connection, event_ids: Sequence[str]) -> dict[str, list[Correction]]:
        c = t.corrections.c
        found: dict[str, list[Correction]] = defaultdict(list)
        for chunk in chunks(sorted(set(event_ids))):
            for row in conn.execute(select(t.corrections).where(c.event_id.in_(chunk)).order_by(c.id)):
                found[row.event_id].append(_correction(row))
        return found

    def _with_corrections(self, conn: Connection, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Records about to be written with their events' logs replayed (one indexed query)."""
        if not records:
            return records
        logs = self._corrections_of(conn, [r["id"] for r in records])
        if not logs:
            return records
        replayed = [apply_corrections(r, logs[r["id"]]) if r["id"] in logs else r for r in records]
        # a dismissed report stays out of clusters (and so out of cluster_pending)
        return [with_cluster(r, None) if r.get("review_status") == "dismissed" else r for r in replayed]

    def append_correction(
        self, event_id: str, request: ReviewRequest, reviewer: str
    ) -> tuple[dict[str, Any], Correction]:
        """Log ``request`` on one event and rewrite its record and row; return the record as
        it was before and the entry. A dismissed event leaves its cluster (the caller
        clusters the rest again)."""
        m = t.event_mentions.c
        with self.engine.begin() as conn:
            query = select(m.record, m.article_id).where(m.id == event_id)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()  # two reviewers of one event: one after the other
            row = conn.execute(query).first()
            if row is None:
                raise EventNotFound(f"no event with id {event_id!r}")
            before = _json(row.record)
            entry = Correction(
                event_id=event_id,
                action=request.action,
                reason=request.reason.strip(),
                reviewer=reviewer,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                changes=changes_for(before, request),
            )
            inserted = conn.execute(
                t.corrections.insert().values(
                    event_id=entry.event_id,
                    action=entry.action,
                    changes=dict(entry.changes),
                    reason=entry.reason,
                    reviewer=entry.reviewer,
                    created_at=entry.created_at,
                )
            )
            key = inserted.inserted_primary_key
            entry = replace(entry, id=key[0] if key else None)
            record = self._with_corrections(conn, [before])[0]
            title = conn.execute(select(t.articles.c.title).where(t.articles.c.id == row.article_id)).scalar()
            values = mention_row(record, title)
            del values["id"]
            conn.execute(update(t.event_mentions).where(m.id == event_id).values(**values))
        self.refresh_statistics()
        return before, entry

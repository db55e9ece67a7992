"""Event search: folded keys for the place and actor filters, and full-text search.

Adds to ``event_mentions`` the place keys (``place_keys``, "|key|key|") and the full-text
words (``search_text``) of :mod:`sitroom.store.search`, and rewrites ``actors`` as keys, for
every stored event (computed in Python from the stored record and its article's title, the
write path's own functions). Full text: SQLite, an FTS5 table over ``search_text`` (external
content: the words are stored once, in ``event_mentions``) kept in step by triggers on
insert, delete and a change of ``search_text``; PostgreSQL, a GIN index on
``to_tsvector('simple', search_text)``, which a query names the same way.

SQLite: the FTS5 table points at ``event_mentions`` rows by rowid, so a later migration must
not copy that table (Alembic's batch mode: the triggers go with the old table) and a VACUUM
may renumber the rows; after either, ``INSERT INTO event_search(event_search) VALUES ('rebuild')``
indexes them again.

Revision ID: 0006
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from sitroom.store import search

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE event_search USING fts5(search_text, content='event_mentions', content_rowid='rowid')",
    "CREATE TRIGGER event_search_insert AFTER INSERT ON event_mentions BEGIN "
    "INSERT INTO event_search(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER event_search_delete AFTER DELETE ON event_mentions BEGIN "
    "INSERT INTO event_search(event_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER event_search_update AFTER UPDATE OF search_text ON event_mentions BEGIN "
    "INSERT INTO event_search(event_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO event_search(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "INSERT INTO event_search(event_search) VALUES ('rebuild')",
]
POSTGRESQL_FTS = (
    "CREATE INDEX ix_event_mentions_search ON event_mentions USING gin (to_tsvector('simple', search_text))"
)


def upgrade() -> None:
    op.add_column("event_mentions", sa.Column("place_keys", sa.Text, nullable=False, server_default=""))
    op.add_column("event_mentions", sa.Column("search_text", sa.Text, nullable=False, server_default=""))
    search.rewrite_event_keys(op.get_bind())
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(POSTGRESQL_FTS)


def _old_actors(record: dict[str, Any], _title: str | None) -> dict[str, str]:
    people = record.get("actor", []) + record.get("recipient", [])
    names = sorted({p["name"].lower() for p in people} | {p["text"].lower() for p in people})
    return {"actors": "|" + "|".join(names) + "|" if names else ""}


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER event_search_{name}")
        op.execute("DROP TABLE event_search")
    else:
        op.drop_index("ix_event_mentions_search", table_name="event_mentions")
    with op.batch_alter_table("event_mentions") as batch:
        batch.drop_column("search_text")
        batch.drop_column("place_keys")
    search.rewrite_event_keys(op.get_bind(), _old_actors)

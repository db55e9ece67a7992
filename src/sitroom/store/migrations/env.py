"""Alembic environment: sitroom runs migrations in-process on the connection it passes.

``sitroom.store.migrate`` calls Alembic with ``config.attributes["connection"]`` set, so
the same code migrates SQLite and PostgreSQL (and a PostgreSQL schema chosen per run).
"""

from __future__ import annotations

from alembic import context

from sitroom.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    version_table_schema=context.config.attributes.get("schema"),
)
with context.begin_transaction():
    context.run_migrations()

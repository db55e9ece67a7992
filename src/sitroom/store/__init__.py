"""The store: every stage's output is persisted here; the API, dashboard and exports read it.

One implementation over SQLAlchemy Core serves SQLite (the default) and PostgreSQL.
``open_store(url)`` opens the database and applies pending Alembic migrations.
"""

from sitroom.store.store import IngestOutcome, Store, open_store

__all__ = ["IngestOutcome", "Store", "open_store"]

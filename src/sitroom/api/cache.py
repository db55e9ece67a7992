"""A cache of the event endpoints' JSON, emptied whenever the store changes.

Analysts on one dashboard ask for the same views (a country, a type since a date) again and
again, and the store changes only when an ingest batch lands. So a response is kept under
its path and normalised query string, and stamped with the store's *generation*: a value
that any committed write changes. Every request reads the generation first (one cheap
statement) and empties the cache when it moved, so a cached response never outlives a
write. Reading the stamp before the query makes the race harmless: a write that lands in
between moves the stamp, and the next request drops what this one stored.

The generation is, in SQLite, ``PRAGMA data_version`` on a connection of the cache's own
(it changes when any other connection commits); in PostgreSQL, the server's WAL position,
which moves with every write on the server, so a write elsewhere on it empties the cache
too (safe, only less useful). Where neither can be read (an in-memory SQLite store, a
standby server), nothing is cached.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

# 64 MB holds about 500 list pages of 100 events (130 kB each) or 20,000 single events
DEFAULT_CACHE_MB = 64

Generation = Callable[[], object]


def cache_key(path: str, query: str) -> str:
    """The path with its query items sorted: ``?b=1&a=2`` and ``?a=2&b=1`` are one view."""
    return f"{path}?{urlencode(sorted(parse_qsl(query, keep_blank_values=True)))}"


def store_generation(engine: Engine) -> Generation | None:
    """A function returning the store's current generation, or ``None`` when it has none."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            return None
        # its own connection: data_version counts the commits of *other* connections
        conn = sqlite3.connect(database, check_same_thread=False)
        lock = threading.Lock()

        def sqlite_generation() -> object:
            with lock:
                return conn.execute("PRAGMA data_version").fetchone()[0]

        return sqlite_generation

    def wal_position() -> object:
        with engine.connect() as conn:
            return conn.execute(text("SELECT pg_current_wal_lsn()")).scalar()

    try:
        wal_position()
    except SQLAlchemyError:
        return None
    return wal_position


class ResponseCache:
    """JSON bodies by :func:`cache_key`, least recently used dropped past ``max_bytes``."""

    def __init__(self, generation: Generation | None, max_bytes: int) -> None:
        self._generation = generation if max_bytes > 0 else None
        self._max_bytes = max_bytes
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._stamp: object = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._generation is not None

    def stamp(self) -> object:
        """The store's generation now; empties the cache when it moved since the last look."""
        if self._generation is None:
            return None
        stamp = self._generation()
        with self._lock:
            if stamp != self._stamp:
                self._bodies.clear()
                self._size = 0
                self._stamp = stamp
        return stamp

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, key: str, body: bytes, stamp: object) -> None:
        """Keep ``body`` if the store is still at ``stamp`` (the generation read before making it)."""
        if self._generation is None or len(body) > self._max_bytes:
            return
        with self._lock:
            if stamp != self._stamp or key in self._bodies:
                return
            self._bodies[key] = body
            self._size += len(body)
            while self._size > self._max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped)

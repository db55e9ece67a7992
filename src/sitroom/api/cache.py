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

The routes (``routes/events.py``) make and keep the answers; :class:`CachedAnswers`, an
ASGI layer in front of the application, sends a kept answer straight away, without routing,
dependencies or a response object: most of what a warm request cost.

A cached answer is also kept gzipped, made the first time a client that accepts gzip (every
browser) asks for it: a page of 100 events is 130 kB of JSON and about 10 kB gzipped, and
writing the larger one to the socket was a third of the server's time on a warm page.
"""

from __future__ import annotations

import gzip
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

# 64 MB holds about 500 list pages of 100 events (130 kB each) or 20,000 single events
DEFAULT_CACHE_MB = 64

Generation = Callable[[], object]
# request-state name under which CachedAnswers leaves the key and stamp it looked up
LOOKED_UP = "response_cache_lookup"
# gzip level for cached answers: made once per answer and store generation
GZIP_LEVEL = 6


@dataclass
class Cached:
    """One answer: its JSON, and that JSON gzipped once a client accepting gzip asked."""

    body: bytes
    gzipped: bytes | None = None

    def compress(self) -> bytes:
        if self.gzipped is None:
            self.gzipped = gzip.compress(self.body, compresslevel=GZIP_LEVEL, mtime=0)
        return self.gzipped


def cache_key(path: str, query: str) -> str:
    """The path with its query items sorted by name: ``?b=1&a=2`` and ``?a=2&b=1`` are one
    view. A repeated name keeps the order of its values (the last one is the one used)."""
    items = sorted(parse_qsl(query, keep_blank_values=True), key=lambda item: item[0])
    return f"{path}?{urlencode(items)}"


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

    if engine.dialect.driver != "psycopg":
        return None
    position = WalPosition(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        position()
    except OSError:
        return None
    return position


class WalPosition:
    """PostgreSQL's WAL position, read on a connection of its own (autocommit: it holds no
    transaction open between requests), reopened when the server dropped it."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._conn: Any = None
        self._lock = threading.Lock()

    def __call__(self) -> object:
        import psycopg

        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
                return self._conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
            except psycopg.Error as exc:
                raise OSError(f"cannot read the store's WAL position: {exc}") from exc


class ResponseCache:
    """Answers by :func:`cache_key`, least recently used dropped past ``max_bytes`` of JSON."""

    def __init__(self, generation: Generation | None, max_bytes: int) -> None:
        self._generation = generation if max_bytes > 0 else None
        self._max_bytes = max_bytes
        self._bodies: OrderedDict[str, Cached] = OrderedDict()
        self._size = 0
        self._stamp: object = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._generation is not None

    def stamp(self) -> object:
        """The store's generation now; empties the cache when it moved since the last look.

        Called on the event loop: it costs a local read (SQLite) or one round trip on a
        connection of its own (PostgreSQL, about 0.1 ms here), less than a hop to the thread
        pool and back."""
        if self._generation is None:
            return None
        stamp = self._generation()
        with self._lock:
            if stamp != self._stamp:
                self._bodies.clear()
                self._size = 0
                self._stamp = stamp
        return stamp

    def get(self, key: str) -> Cached | None:
        with self._lock:
            found = self._bodies.get(key)
            if found is not None:
                self._bodies.move_to_end(key)
            return found

    def put(self, key: str, answer: Cached, stamp: object) -> None:
        """Keep ``answer`` if the store is still at ``stamp`` (the generation read before making it)."""
        if self._generation is None or len(answer.body) > self._max_bytes:
            return
        with self._lock:
            if stamp != self._stamp or key in self._bodies:
                return
            self._bodies[key] = answer
            self._size += len(answer.body)
            while self._size > self._max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped.body)


class CachedAnswers:
    """ASGI layer that answers a ``GET`` from the cache when it holds the answer in the form
    the client takes (gzipped or not); anything else goes on to the application."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and self.cache.enabled:
            key = cache_key(scope["path"], scope["query_string"].decode("latin-1"))
            stamp = self.cache.stamp()
            # a route that makes the answer keeps it under this key and stamp (no second look)
            scope.setdefault("state", {})[LOOKED_UP] = (key, stamp)
            answer = self.cache.get(key)
            if answer is not None:
                accepts = b"".join(v for k, v in scope["headers"] if k == b"accept-encoding").lower()
                headers = [(b"content-type", b"application/json"), (b"vary", b"Accept-Encoding")]
                body: bytes | None = answer.body
                if b"gzip" in accepts:
                    body = answer.gzipped
                    headers.append((b"content-encoding", b"gzip"))
                if body is not None:
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({"type": "http.response.start", "status": 200, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)

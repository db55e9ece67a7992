"""A cache of the event endpoints' JSON, emptied whenever the store changes.

Analysts on one dashboard ask for the same views (a country, a type since a date) again and
again, and the store changes only when an ingest batch lands. So a response is kept under
its path and normalised query string, and stamped with the store's *generation*: a value
that any committed write changes. Every request reads the generation first (one cheap
statement) and empties the cache when it moved, so a cached response never outlives a
write. Reading the stamp before the query makes the race harmless: a write that lands in
between moves the stamp, and the next request drops what this one stored.

The generation is, in SQLite, ``PRAGMA data_version`` on a connection of the cache's own
(it changes when any other connection commits); in PostgreSQL, the server's transaction
snapshot (``txid_current_snapshot()``: the next transaction id and those in progress), which
moves when a transaction that writes starts or ends anywhere on the server, so a write
elsewhere on it empties the cache too (safe, only less useful). Not the WAL position: that
moves without any data changing (autovacuum, checkpoints), and emptied the cache every few
requests after a large ingest. Where neither can be read (an in-memory SQLite store),
nothing is cached.

:class:`QuickAnswers`, an ASGI layer in front of the application, sends a kept answer
straight away, without routing, dependencies or a response object (most of what a warm
request cost), and makes and keeps the answer of a plain event read (``GET /api/events``
with its parameters written the plain way, ``GET /api/events/{id}``) the same way; the
routes (``routes/events.py``) make and keep the others, and answer every request they must
refuse.

With ``sitroom serve --workers N`` the processes also share their answers through
:class:`SharedAnswers`, a SQLite file in a folder the serving parent made: an answer is made
once per store generation, not once per process (a client's connection stays with one
process, another client's view may have been made by the other). Each SQLite process reads
a ``data_version`` of its own, so the file keeps an *epoch* of its own: a process that sees
the store move (or starts) moves the epoch and empties the file; rows carry the epoch read
before their answer was made, and only rows of the current epoch are read.

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

from anyio import CapacityLimiter, to_thread
from sqlalchemy import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

# 64 MB holds about 500 list pages of 100 events (130 kB each) or 20,000 single events
DEFAULT_CACHE_MB = 64

Generation = Callable[[], object]
# request-state name under which QuickAnswers leaves the key and stamp it looked up
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
    snapshot = ServerSnapshot(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        snapshot()
    except OSError:
        return None
    return snapshot


class ServerSnapshot:
    """PostgreSQL's transaction snapshot as text (``xmin:xmax:in-progress ids``), read on a
    connection of its own (autocommit: it holds no transaction open between requests),
    reopened when the server dropped it. A reading transaction takes no id, so it moves only
    with transactions that write; one in progress is in it, so its commit moves it too."""

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
                return self._conn.execute("SELECT txid_current_snapshot()::text").fetchone()[0]
            except psycopg.Error as exc:
                raise OSError(f"cannot read the store's transaction snapshot: {exc}") from exc


class SharedAnswers:
    """Answers shared by the processes of one server: a SQLite file (see the module docstring).

    Best effort: a read or write that finds the file busy past a moment is skipped, never an
    error; the bytes of its answers are kept under ``max_bytes``, the oldest dropped first.
    """

    BUSY_MS = 200
    TRIM_EVERY = 64  # puts between two size checks

    def __init__(self, path: str, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._puts = 0
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=self.BUSY_MS / 1000
        )
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=OFF")  # a cache: a crash loses nothing of value
            self._conn.execute("CREATE TABLE IF NOT EXISTS epoch (n INTEGER NOT NULL)")
            self._conn.execute("INSERT INTO epoch (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM epoch)")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, epoch INTEGER NOT NULL, "
                "body BLOB NOT NULL, gzipped BLOB)"
            )

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any] | None:
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.OperationalError:  # busy past BUSY_MS: skip, the answer is made here
                return None

    def epoch(self) -> int | None:
        rows = self._run("SELECT n FROM epoch")
        return rows[0][0] if rows else None

    def move(self) -> None:
        """The store moved: a new epoch, and the answers of the old ones dropped."""
        self._run("UPDATE epoch SET n = n + 1")
        self._run("DELETE FROM answers WHERE epoch < (SELECT n FROM epoch)")

    def get(self, key: str, epoch: int) -> Cached | None:
        rows = self._run("SELECT body, gzipped FROM answers WHERE key = ? AND epoch = ?", (key, epoch))
        return Cached(rows[0][0], rows[0][1]) if rows else None

    def put(self, key: str, answer: Cached, epoch: int) -> None:
        self._run(
            "INSERT OR REPLACE INTO answers (key, epoch, body, gzipped) VALUES (?, ?, ?, ?)",
            (key, epoch, answer.body, answer.gzipped),
        )
        self._puts += 1
        if self._puts % self.TRIM_EVERY == 0:
            self._trim()

    def _trim(self) -> None:
        rows = self._run(
            "SELECT rowid, length(body) + ifnull(length(gzipped), 0) FROM answers ORDER BY rowid DESC"
        )
        total, keep_from = 0, None
        for rowid, size in rows or []:
            total += size
            if total > self._max_bytes:
                keep_from = rowid
                break
        if keep_from is not None:
            self._run("DELETE FROM answers WHERE rowid <= ?", (keep_from,))


class ResponseCache:
    """Answers by :func:`cache_key`, least recently used dropped past ``max_bytes`` of JSON;
    behind it, with ``shared``, the answers of the server's other processes."""

    def __init__(
        self, generation: Generation | None, max_bytes: int, shared: SharedAnswers | None = None
    ) -> None:
        self._generation = generation if max_bytes > 0 else None
        self._max_bytes = max_bytes
        self._shared = shared if self._generation is not None else None
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
        generation = self._generation()
        if self._shared is not None:
            moved = not isinstance(self._stamp, tuple) or self._stamp[0] != generation
            if moved:  # this process sees a write (or starts): a new epoch for every process
                self._shared.move()
            stamp: object = (generation, self._shared.epoch())
        else:
            stamp = generation
        with self._lock:
            if stamp != self._stamp:
                self._bodies.clear()
                self._size = 0
                self._stamp = stamp
        return stamp

    def get(self, key: str, stamp: object = None) -> Cached | None:
        """The answer kept under ``key``: this process's, else (given the ``stamp`` read for
        this request) one another process made in the same epoch."""
        with self._lock:
            found = self._bodies.get(key)
            if found is not None:
                self._bodies.move_to_end(key)
                return found
        epoch = stamp[1] if isinstance(stamp, tuple) else None
        if self._shared is None or epoch is None:
            return None
        found = self._shared.get(key, epoch)
        if found is not None:
            self._keep(key, found, stamp)
        return found

    def put(self, key: str, answer: Cached, stamp: object) -> None:
        """Keep ``answer`` if the store is still at ``stamp`` (the generation read before making it)."""
        if self._generation is None or len(answer.body) > self._max_bytes:
            return
        if (
            self._keep(key, answer, stamp)
            and self._shared is not None
            and isinstance(stamp, tuple)
            and stamp[1] is not None
        ):
            self._shared.put(key, answer, stamp[1])

    def _keep(self, key: str, answer: Cached, stamp: object) -> bool:
        with self._lock:
            if stamp != self._stamp or key in self._bodies:
                return False
            self._bodies[key] = answer
            self._size += len(answer.body)
            while self._size > self._max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped.body)
            return True


async def keep_made(
    cache: ResponseCache,
    key: str | None,
    stamp: object,
    body: bytes,
    gzipped: bool,
    reads: CapacityLimiter | None,
) -> Cached:
    """A freshly made answer, gzipped first when the client takes it (the server's other
    processes may take it from the cache), kept under ``key`` when there is one."""
    answer = Cached(body)
    if gzipped:
        await to_thread.run_sync(answer.compress, limiter=reads)
    if key is not None:
        cache.put(key, answer, stamp)
    return answer


# what QuickAnswers asks the routes for a request: None, or a function making its answer's
# JSON (returning None where the route must answer, e.g. a 404)
PlainAnswer = Callable[[str, str], Callable[[], bytes | None] | None]


class QuickAnswers:
    """ASGI layer in front of the application for ``GET`` requests: it sends a kept answer
    (in the form the client takes, gzipped or not) and, when none is kept, makes the answer
    of a plain event read itself (``plain``: routes.events.plain_answer), in at most
    ``reads`` threads at once, keeps it and sends it. Anything else goes on to the
    application. Routing and FastAPI's parameter machinery were half the CPU time of an
    uncached list page of 100 events (0.9 of 1.75 ms); with 50 clients on 2 cores that time
    was queueing."""

    def __init__(
        self,
        app: ASGIApp,
        cache: ResponseCache,
        plain: PlainAnswer | None = None,
        reads: CapacityLimiter | None = None,
    ) -> None:
        self.app = app
        self.cache = cache
        self.plain = plain
        self.reads = reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        query = scope["query_string"].decode("latin-1")
        key, stamp, answer = None, None, None
        if self.cache.enabled:
            key = cache_key(scope["path"], query)
            stamp = self.cache.stamp()
            # a route that makes the answer keeps it under this key and stamp (no second look)
            scope.setdefault("state", {})[LOOKED_UP] = (key, stamp)
            answer = self.cache.get(key, stamp)
        gzipped = (
            self.cache.enabled
            and b"gzip" in b"".join(v for k, v in scope["headers"] if k == b"accept-encoding").lower()
        )
        if answer is None:
            make = self.plain(scope["path"], query) if self.plain is not None else None
            body = None if make is None else await to_thread.run_sync(make, limiter=self.reads)
            if body is None:
                await self.app(scope, receive, send)
                return
            answer = await keep_made(self.cache, key, stamp, body, gzipped, self.reads)
        elif gzipped and answer.gzipped is None:
            await to_thread.run_sync(answer.compress, limiter=self.reads)
        # the headers of routes.events.cached_json's answers
        headers = [(b"content-type", b"application/json"), (b"vary", b"Accept-Encoding")]
        body = answer.body
        if gzipped:
            body = answer.compress()  # made above
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

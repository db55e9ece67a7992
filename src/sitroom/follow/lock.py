"""One follower per SQLite store: a lock file next to the database.

PostgreSQL needs none (followers share its sources through leases, :mod:`sitroom.follow.state`).
SQLite takes one writer at a time, so a second follower would only wait on the first: it
is refused with a clear error instead. The lock is the operating system's (``flock``), so
it goes with the process that holds it, however that process ends.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from sitroom.errors import ConfigError


def lock_path(db_url: str) -> Path | None:
    """The lock file of an SQLite store (``<file>.follow.lock``); None for other stores."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).with_name(Path(url.database).name + ".follow.lock")


@contextmanager
def follower_lock(db_url: str) -> Iterator[None]:
    """Hold the store's follower lock for the block; ConfigError when another process has it."""
    path = lock_path(db_url)
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise ConfigError(
                f"another follower ({holder}) is following the SQLite store {url_path(db_url)}: "
                "run one follower per SQLite file (several can share a PostgreSQL store)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()  # closing the file releases the lock


def url_path(db_url: str) -> str:
    return str(make_url(db_url).database)

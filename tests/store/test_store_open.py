"""Opening a store: concurrent first opens, URLs with passwords, reads that create nothing."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitroom.errors import StoreOpenError
from sitroom.store import open_store
from sitroom.store.store import mask_url
from tests.conftest import PG_URL, pg_admin

# each process waits for this moment, then opens (and migrates) the store: they race
OPEN_AT = """
import sys, time
from sitroom.store import open_store
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
open_store(sys.argv[1]).close()
"""
PROCESSES = 4


def open_at_once(url: str) -> list[subprocess.CompletedProcess[str]]:
    """Open the store at ``url`` from PROCESSES processes at the same moment."""
    start = str(time.time() + 6)  # importing sitroom takes a few seconds on a busy machine
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT, url, start],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    return [subprocess.CompletedProcess(p.args, p.wait(120), *p.communicate()) for p in procs]


@pytest.fixture
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (dropped afterwards): no schema, no alembic_version."""
    name = f"sitroom_race_{uuid.uuid4().hex[:10]}"
    with pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def assert_all_opened(results: list[subprocess.CompletedProcess[str]], url: str) -> None:
    failed = [r.stderr.strip().splitlines()[-1] for r in results if r.returncode != 0]
    assert not failed, failed
    store = open_store(url)
    try:
        assert store.revision() is not None
    finally:
        store.close()


@pytest.mark.postgres
def test_processes_opening_a_fresh_postgresql_store_at_once_all_succeed(fresh_pg_database: str) -> None:
    assert_all_opened(open_at_once(fresh_pg_database), fresh_pg_database)


def test_processes_opening_a_fresh_sqlite_store_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    assert_all_opened(open_at_once(url), url)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://ana:s3cr3t@db.example:5432/x",
            "postgresql+psycopg://ana:***@db.example:5432/x",
        ),
        (
            "postgresql+psycopg://ana:s3cr3t@db.example:54x2/x",
            "postgresql+psycopg://ana:***@db.example:54x2/x",
        ),
        ("nodriver://ana:s3cr3t@db.example/x", "nodriver://ana:***@db.example/x"),
        ("sqlite:///tmp/x.db", "sqlite:///tmp/x.db"),
    ],
)
def test_mask_url_hides_the_password_even_of_a_url_that_does_not_parse(url: str, shown: str) -> None:
    assert mask_url(url) == shown


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql+nodriver://ana:s3cr3t@127.0.0.1/test", "Can't load plugin"),
        ("postgresql+psycopg://ana:s3cr3t@127.0.0.1:54x2/test", "not a valid URL"),
        ("nodb://ana:s3cr3t@127.0.0.1/test", "Can't load plugin"),
        ("postgresql+psycopg://ana:s3cr3t@127.0.0.1:1/test", "cannot connect"),
    ],
)
def test_a_store_that_cannot_be_opened_is_named_without_its_password(url: str, said: str) -> None:
    with pytest.raises(StoreOpenError) as raised:
        open_store(url)
    message = raised.value.message
    assert "s3cr3t" not in message and "ana:***@127.0.0.1" in message
    assert said in message and "\n" not in message


def test_a_read_creates_no_store_and_no_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'typo' / 'sitroom.db'}"
    with pytest.raises(StoreOpenError, match=r"^no store at sqlite:///.*typo/sitroom\.db"):
        open_store(url, create=False)
    assert not (tmp_path / "typo").exists()
    open_store(url).close()
    open_store(url, create=False).close()


@pytest.mark.postgres
def test_a_read_of_an_empty_postgresql_database_creates_no_tables(fresh_pg_database: str) -> None:
    with pytest.raises(StoreOpenError, match=r"^no store at postgresql"):
        open_store(fresh_pg_database, create=False)
    open_store(fresh_pg_database).close()
    open_store(fresh_pg_database, create=False).close()

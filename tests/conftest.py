"""Shared fixtures: a store on each backend, the shared folder, and hand-made records."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitroom.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("SITROOM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def shared_path(*parts: str) -> Path:
    """A path under ../shared: a clone without it skips the test, CI (``CI`` set) fails it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing in CI: the seed and the gold data must be there")
        pytest.skip(f"{path} not present (tests that read ../shared run in CI)")
    return path


def shared_data(name: str) -> Path:
    """A dev data folder under ../shared/data, as :func:`shared_path` finds it."""
    return shared_path("data", name)


@pytest.fixture
def seed_dir() -> Path:
    return shared_path("seed")


def pg_admin() -> Any:
    """A psycopg connection in autocommit to the test server (to make schemas and databases);
    where there is none the test skips (in CI it fails)."""
    import psycopg

    dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        return psycopg.connect(dsn, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")


def _pg_schema() -> Iterator[tuple[str, str]]:
    schema = f"sitroom_test_{uuid.uuid4().hex[:10]}"
    with pg_admin() as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield PG_URL, schema
        finally:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The store contract suite runs on both backends."""
    if request.param == "sqlite":
        opened = open_store(f"sqlite:///{tmp_path / 'test.db'}")
        yield opened
        opened.close()
        return
    for url, schema in _pg_schema():
        opened = open_store(url, schema=schema)
        yield opened
        opened.close()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"

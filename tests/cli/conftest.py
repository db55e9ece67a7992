"""Fixtures of the CLI tests."""

from __future__ import annotations

import pytest

from sitroom.store import open_store
from tests.api.sample import Sample, populate


@pytest.fixture
def sample(db_url: str) -> Sample:
    """The API tests' five sample events, in the store of ``db_url``."""
    store = open_store(db_url)
    try:
        return populate(store)
    finally:
        store.close()

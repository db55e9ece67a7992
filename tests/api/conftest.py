"""An API client over a temporary SQLite store holding the hand-built sample events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.config import Settings
from sitroom.pipeline import Sitroom
from tests.api.sample import Sample, populate

TOKEN = "s3cret-token"


@pytest.fixture
def sitroom(tmp_path: Path) -> Iterator[Sitroom]:
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path / 'api.db'}", api_token=TOKEN))
    yield app
    app.store.close()


@pytest.fixture
def sample(sitroom: Sitroom) -> Sample:
    return populate(sitroom.store)


@pytest.fixture
def client(sitroom: Sitroom, sample: Sample) -> TestClient:
    return TestClient(create_app(sitroom))

"""Fixtures of the monitor tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.monitor.builders import Hook


@pytest.fixture
def hook() -> Iterator[Hook]:
    receiver = Hook()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()

"""A live server (uvicorn in a thread, free local port) over the sample events, and Debian's chromium.

Browser tests are marked ``browser``. They skip only when /usr/bin/chromium is missing and CI
is not set (scripts/test installs it); Playwright never downloads a browser of its own.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from sitroom.config import Settings
from sitroom.pipeline import Sitroom
from tests.api.sample import Sample, populate

CHROMIUM = Path(os.environ.get("SITROOM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
STARTUP_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Sitroom) -> Iterator[str]:
    """Run the app's server (uvicorn in a thread, a free local port); yields its base URL."""
    import uvicorn

    from sitroom.api import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(app), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"the test server did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Sample]]:
    """(base URL, sample ids) of a running sitroom server."""
    db = tmp_path_factory.mktemp("web") / "web.db"
    app = Sitroom(Settings(db=f"sqlite:///{db}"))
    sample = populate(app.store)
    with serve(app) as base:
        yield base, sample
    app.store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI; scripts/test installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live: tuple[str, Sample]) -> Iterator[Any]:
    """A page whose requests may only go to the test server; any other is aborted and recorded."""
    base, _ = live
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.outside = []  # requests that tried to leave localhost
    page.errors = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(base + "/") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()

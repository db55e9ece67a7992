#!/usr/bin/env python3
"""Make the README's screenshots of the dashboard from the demo corpus, in Debian's chromium.

Ingests the demo corpus into a fresh SQLite store in a temporary folder, serves it on a free
local port (``sitroom serve``) and saves, at 1600x1000:

- ``docs/dashboard.jpg``: the map, the timeline and the event list;
- ``docs/dashboard-review.jpg``: the event with the most reports, its review form open on
  "correct fields".

JPEG (quality :data:`QUALITY`), so that each stays under :data:`MAX_BYTES`; exit status 1
when one does not.

Run from the repository root: ``.venv/bin/python scripts/dashboard_screenshot.py`` (the
spaCy model and /usr/bin/chromium are needed; ``SITROOM_CHROMIUM`` names another chromium).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SITROOM = ROOT / ".venv" / "bin" / "sitroom"
CHROMIUM = Path(os.environ.get("SITROOM_CHROMIUM", "/usr/bin/chromium"))
SIZE: ViewportSize = {"width": 1600, "height": 1000}
STARTUP_S = 60
QUALITY = 85  # the lowest at which the list's small type stays crisp
MAX_BYTES = 300_000
SHOTS = ("dashboard.jpg", "dashboard-review.jpg")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server did not answer at {url} within {STARTUP_S} s")


def most_reported(base: str) -> str:
    """The id of the listed event with the most reports."""
    with urllib.request.urlopen(f"{base}/api/events?limit=100", timeout=30) as answer:
        events = json.load(answer)["events"]
    return max(events, key=lambda e: (len(e.get("report_ids") or []), e["id"]))["id"]


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found (apt-get install chromium, or set SITROOM_CHROMIUM)")
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'demo.db'}"
        subprocess.run([SITROOM, "demo", "--db", db, "--quiet", "--no-serve"], check=True)
        port = free_port()
        server = subprocess.Popen([SITROOM, "serve", "--db", db, "--port", str(port)])
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/api/summary")
            shoot(base, most_reported(base))
        finally:
            server.terminate()
            server.wait(timeout=30)


def shoot(base: str, event_id: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"]
        )
        page = browser.new_context(viewport=SIZE, color_scheme="light").new_page()
        page.goto(base + "/")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        page.screenshot(path=str(ROOT / "docs" / SHOTS[0]), type="jpeg", quality=QUALITY)
        page.evaluate(f"location.hash = 'event={event_id}'")
        page.wait_for_selector("form.review-form")
        page.select_option("form.review-form select[name=action]", "correct")
        page.locator("form.review-form").scroll_into_view_if_needed()
        page.screenshot(path=str(ROOT / "docs" / SHOTS[1]), type="jpeg", quality=QUALITY)
        browser.close()
    sizes = {name: (ROOT / "docs" / name).stat().st_size for name in SHOTS}
    for name, size in sizes.items():
        print(f"docs/{name}: {size // 1000} KB")
    if max(sizes.values()) > MAX_BYTES:
        sys.exit(f"a screenshot is over {MAX_BYTES // 1000} KB: lower QUALITY")


if __name__ == "__main__":
    main()

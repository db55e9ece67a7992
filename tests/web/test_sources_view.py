"""The dashboard's "updated N min ago" and its sources tab, in Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from sitroom.config import Settings
from sitroom.follow import state
from sitroom.follow.state import SourceSpec
from sitroom.pipeline import Sitroom
from tests.api.sample import Sample, populate
from tests.web.conftest import ARTIFACTS, serve
from tests.web.test_dashboard import open_dashboard

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Sample]]:
    """The sample events and two followed sources: one gave an article 7 minutes ago, one fails."""
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path_factory.mktemp('sources-web') / 'web.db'}"))
    sample = populate(app.store)
    now = datetime.now(UTC)
    ok, failing = state.save_sources(
        app.store,
        [
            SourceSpec("https://example.org/feed.xml", 300, "Example News"),
            SourceSpec("https://down.example/rss", 60),
        ],
        now - timedelta(minutes=30),
    )
    assert len(state.claim_due(app.store, "test", now, 60, 10)) == 2
    state.record_items(app.store, ok.id, "test", ["k1", "k2"], 2, now - timedelta(minutes=7), 60)
    state.finish_poll(app.store, ok.id, "test", now, now + timedelta(minutes=5))
    state.finish_poll(
        app.store,
        failing.id,
        "test",
        now,
        now + timedelta(minutes=2),
        error="https://down.example/rss: HTTP 503",
    )
    with serve(app) as base:
        yield base, sample
    app.store.close()


def test_the_top_bar_says_when_the_picture_was_updated_and_the_sources_tab_lists_them(
    page: Any, live: tuple[str, Sample]
) -> None:
    base, _ = live
    open_dashboard(page, base)
    expect(page.locator("#updated")).to_have_text("updated 7 min ago")
    page.click("[data-tab=sources]")
    expect(page.locator("#tab-sources li.source")).to_have_count(2)
    ok, failing = page.locator("#tab-sources li.source").all()
    assert ok.get_attribute("data-status") == "ok" and "Example News" in ok.inner_text()
    assert "2 items seen · 2 articles stored" in ok.inner_text()
    assert failing.get_attribute("data-status") == "failing"
    assert "HTTP 503" in failing.inner_text() and "backing off until" in failing.inner_text()
    page.screenshot(path=str(ARTIFACTS / "sources.png"))
    assert page.outside == [] and page.errors == []

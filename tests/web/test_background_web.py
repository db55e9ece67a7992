"""The dashboard's History select (issue 19): a background event (a 2026 report of 1967 deaths)
is not in the default list, the header or the map; "only history" lists it with a badge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from sitroom.config import Settings
from sitroom.models import Count
from sitroom.pipeline import Sitroom
from tests.api.sample import Sample, populate
from tests.monitor.builders import store_mentions
from tests.web.conftest import serve
from tests.web.test_dashboard import listed, open_dashboard

pytestmark = pytest.mark.browser
HISTORY = "Residents recalled that artillery killed 40 civilians in Ariha on 5 June 1967."


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, tuple[Sample, str]]]:
    """(base URL, (sample ids, the background event's id)) of a running sitroom server."""
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path_factory.mktemp('web-bg') / 'web.db'}"))
    sample = populate(app.store)
    (war,) = store_mentions(
        app.store,
        [
            {
                "text": HISTORY,
                "published": "2026-01-08T09:00:00+00:00",
                "when": date(1967, 6, 5),
                "dead": Count(40, 40, "40"),
            }
        ],
    )
    with serve(app) as base:
        yield base, (sample, war.id)
    app.store.close()


def test_history_is_listed_only_when_asked_and_marked(
    page: Any, live: tuple[str, tuple[Sample, str]]
) -> None:
    base, (_sample, war) = live
    open_dashboard(page, base)
    assert war not in listed(page) and len(listed(page)) == 4
    assert page.locator(f'circle.marker[data-id="{war}"]').count() == 0
    assert page.inner_text("#summary").startswith("4 events (5 reports)")
    page.select_option("#f-background", "only")
    page.click("button[type=submit]")
    expect(page.locator("#event-list li.event")).to_have_count(1)
    assert listed(page) == [war]
    assert page.inner_text(f'#event-list li[data-id="{war}"] .badge.background') == "background"
    page.click(f'#event-list li[data-id="{war}"]')
    page.wait_for_selector("#evidence")
    assert page.locator(".panel-sub .badge.background").count() == 1
    page.click("button[type=reset]")
    expect(page.locator("#event-list li.event")).to_have_count(4)
    assert page.outside == [] and page.errors == []

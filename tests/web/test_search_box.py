"""The dashboard's search box (issue 22) in Debian's chromium: ``q`` narrows the list and the
export links, and a search the API refuses shows its reason in the banner."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.api.sample import Sample
from tests.web.test_dashboard import listed, open_dashboard

pytestmark = pytest.mark.browser


def test_the_search_box_searches_and_says_why_a_search_is_refused(
    page: Any, live: tuple[str, Sample]
) -> None:
    base, sample = live
    open_dashboard(page, base)
    page.fill("#f-q", "corridor")
    page.click("button[type=submit]")
    expect(page.locator("#event-list li.event")).to_have_count(1)
    assert listed(page) == [sample.evac]
    assert "q=corridor" in page.get_attribute('a[data-format="acled-csv"]', "href")
    page.fill("#f-q", '"market')
    page.click("button[type=submit]")
    expect(page.locator("#error")).to_contain_text("unbalanced double quote")
    assert page.outside == []

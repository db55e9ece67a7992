"""The dashboard in Debian's chromium: offline, map, filters, timeline brush, the event panel."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.api.sample import Sample
from tests.web.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
READY = "body[data-ready=true]"


def open_dashboard(page: Any, base: str, path: str = "/") -> None:
    page.goto(base + path)
    page.wait_for_selector(READY, timeout=20_000)


def listed(page: Any) -> list[str]:
    return page.eval_on_selector_all("#event-list li.event", "items => items.map(i => i.dataset.id)")


def test_page_loads_offline_with_countries_and_markers(page: Any, live: tuple[str, Sample]) -> None:
    base, sample = live
    open_dashboard(page, base)
    assert page.outside == [] and page.errors == []
    assert int(page.get_attribute("#map", "data-countries")) > 150
    assert page.locator("#map path.country").count() > 150
    markers = page.eval_on_selector_all(
        "#map circle.marker", "ms => ms.map(m => [m.dataset.id, m.classList.contains('coarse')])"
    )
    # one per event: the wire's report stands for the Ariha attack, the monitor's inside it
    assert dict(markers) == {
        sample.wire: False,
        sample.evac: False,
        sample.protest: True,
    }
    radius = {
        m: float(page.get_attribute(f'circle.marker[data-id="{m}"]', "data-radius"))
        for m in (sample.wire, sample.evac)
    }
    assert radius[sample.wire] > radius[sample.evac]  # sized by deaths
    assert set(listed(page)) == sample.all - {sample.monitor}
    assert "2 reports" in page.inner_text(f'#event-list li[data-id="{sample.wire}"] .badge.reports')
    assert page.locator(f'#event-list li[data-id="{sample.evac}"] .badge.reports').count() == 0
    assert page.inner_text("#summary").startswith(
        "4 events (5 reports) · 3 places · at least 7 reported dead"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))


def test_filters_change_the_list(page: Any, live: tuple[str, Sample]) -> None:
    base, sample = live
    open_dashboard(page, base)
    page.select_option("#f-event_type", "PROTEST")
    expect(page.locator("#event-list li.event")).to_have_count(1)
    assert listed(page) == [sample.protest]
    page.click("button[type=reset]")
    expect(page.locator("#event-list li.event")).to_have_count(4)
    page.fill("#f-place", "Idlib")
    page.fill("#f-min_sources", "2")
    page.click("button[type=submit]")
    expect(page.locator("#event-list li.event")).to_have_count(1)  # two reports of one attack
    assert listed(page) == [sample.wire]
    page.check("#f-per_report")
    page.click("button[type=submit]")
    expect(page.locator("#event-list li.event")).to_have_count(2)  # one row per report
    assert set(listed(page)) == {sample.wire, sample.monitor}
    assert "place=Idlib" in page.get_attribute('a[data-format="acled-csv"]', "href")
    assert page.outside == [] and page.errors == []


def test_timeline_brush_selects_dates(page: Any, live: tuple[str, Sample]) -> None:
    base, sample = live
    open_dashboard(page, base)
    box = page.locator("#timeline svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 2, y, steps=5)
    page.mouse.up()
    expect(page.locator("#brush-clear")).to_be_visible()
    remaining = set(listed(page))
    assert remaining and sample.hostile not in remaining  # the earliest event (5 January) is left out
    assert "–" in page.inner_text("#brush-label")
    page.click("#brush-clear")
    expect(page.locator("#event-list li.event")).to_have_count(4)


def test_clicking_an_event_shows_highlighted_evidence_attribution_and_other_reports(
    page: Any, live: tuple[str, Sample]
) -> None:
    base, sample = live
    open_dashboard(page, base)
    page.click(f'#event-list li[data-id="{sample.wire}"]')
    page.wait_for_selector("#evidence")
    assert (
        page.inner_text("#evidence") == "Shelling hit a market in Ariha on Thursday, killing seven civilians."
    )
    assert page.inner_text("[data-testid=article-text]").startswith("Shelling hit a market")
    chain = page.eval_on_selector_all(".chain-step", "steps => steps.map(s => s.textContent)")
    assert chain == ["Demo Wire", "local health officials"]
    assert "2 · Probably true" in page.inner_text("[data-testid=credibility]")
    assert "dead: 7 vs 9" in page.inner_text(".contradictions")
    assert page.locator("table.reports td.disputed").count() == 2
    assert page.get_attribute(f'circle.marker[data-id="{sample.wire}"]', "class") == "marker selected"
    page.screenshot(path=str(ARTIFACTS / "event.png"))
    page.click('table.reports button:has-text("Frontline Monitor")')
    expect(page.locator("#evidence")).to_have_text("Nine civilians were killed in Ariha, a monitor said.")
    assert page.eval_on_selector_all(".chain-step", "steps => steps.map(s => s.textContent)") == [
        "Frontline Monitor",
        "a monitor",
    ]
    page.click("button.back")
    assert page.is_visible("#event-list") and page.outside == [] and page.errors == []


def test_article_text_is_rendered_as_text_never_as_html(page: Any, live: tuple[str, Sample]) -> None:
    base, sample = live
    open_dashboard(page, base, f"/#event={sample.hostile}")
    page.wait_for_selector("#evidence")
    text = page.inner_text("[data-testid=article-text]")
    assert text.startswith("<script>window.__pwned = 1</script><img src=x")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("[data-testid=article-text] script, [data-testid=article-text] img").count() == 0
    assert page.outside == []  # the <img src=x> was never requested


def test_a_listed_event_says_its_type_in_words_its_date_and_its_evidence(
    page: Any, live: tuple[str, Sample]
) -> None:
    base, sample = live
    open_dashboard(page, base)
    row = page.locator(f'#event-list li[data-id="{sample.wire}"]')
    assert row.locator(".event-type").inner_text() == "ASSAULT (attack)"
    assert row.locator(".event-date").inner_text() == "2026-01-08"
    assert row.locator(".event-line2").inner_text().startswith("Shelling hit a market in Ariha")
    assert "2 sources" in row.inner_text()
    assert "unknown actor" not in page.inner_text("#event-list")


def test_a_server_that_does_not_answer_is_one_message_and_the_list_comes_back(
    page: Any, live: tuple[str, Sample]
) -> None:
    base, _ = live
    open_dashboard(page, base)
    page.route("**/api/events?*", lambda route: route.abort())
    page.click("button[type=submit]")
    expect(page.locator("#error")).to_contain_text(f"Cannot reach the sitroom server at {base}; retrying")
    assert "Failed to fetch" not in page.inner_text("#error")
    assert page.locator("#event-list li").count() == 0  # not "No event matches the filters."
    page.unroute("**/api/events?*")
    expect(page.locator("#event-list li.event")).to_have_count(4, timeout=15_000)
    assert page.is_hidden("#error")


def test_events_loading_is_shown_over_the_map_and_in_the_list(page: Any, live: tuple[str, Sample]) -> None:
    base, _ = live
    held: list[Any] = []
    page.route("**/api/events?*", lambda route: held.append(route))
    page.goto(base + "/")
    page.wait_for_selector("#map[data-loading] svg", timeout=20_000)  # the countries drawn meanwhile
    assert page.inner_text("#event-list") == "Loading events…"
    assert page.inner_text("#summary") == "Loading events…"
    for _ in range(200):  # the first request of events, held until the checks above are done
        if held:
            break
        page.wait_for_timeout(50)
    page.unroute("**/api/events?*")
    held[0].continue_()
    page.wait_for_selector(READY, timeout=20_000)
    assert page.get_attribute("#map", "data-loading") is None


def test_an_older_answer_arriving_last_does_not_replace_the_newer_filters(
    page: Any, live: tuple[str, Sample]
) -> None:
    base, sample = live
    open_dashboard(page, base)
    held: list[Any] = []
    every = lambda url: url.endswith("/api/events?limit=1000")  # noqa: E731
    page.route(every, lambda route: held.append(route))
    page.click("button[type=reset]")  # asks for every event: held back
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    page.select_option("#f-event_type", "PROTEST")  # asks for the protests: answered at once
    expect(page.locator("#event-list li.event")).to_have_count(1)
    page.unroute(every)
    held[0].continue_()  # the older answer comes last
    page.wait_for_timeout(1000)
    assert listed(page) == [sample.protest]
    assert page.errors == []

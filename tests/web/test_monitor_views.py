"""The dashboard's escalation, civilian-protection and alerts tabs in Debian's chromium,
over the sample events plus a month of history with a step change (tests.api.monitor_sample)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from sitroom.config import Settings
from sitroom.models import CIVILIAN_PROTECTION_KINDS
from sitroom.monitor.alerts import add_watch, raise_alerts
from sitroom.monitor.watches import make_watch
from sitroom.pipeline import Sitroom
from tests.api.monitor_sample import STEP_WEEK, TODAY, MonitorSample, populate_monitoring
from tests.api.sample import Sample, populate
from tests.web.conftest import ARTIFACTS, serve
from tests.web.test_dashboard import open_dashboard

pytestmark = pytest.mark.browser
Live = tuple[str, tuple[Sample, MonitorSample]]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The server over the sample, the monitoring history and one alert raised by a watch."""
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path_factory.mktemp('monitor-web') / 'web.db'}"))
    sample = populate(app.store)
    history = populate_monitoring(app.store)
    now = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    add_watch(
        app.store, make_watch("ariha-shelling", 3, place="Ariha", event_type="ASSAULT", added=STEP_WEEK), now
    )
    assert raise_alerts(app.store, TODAY, now)
    with serve(app) as base:
        yield base, (sample, history)
    app.store.close()


def test_escalation_chart_of_a_place_picked_on_the_map(page: Any, live: Live) -> None:
    base, _ = live
    open_dashboard(page, base)
    page.click("[data-tab=escalation]")
    expect(page.locator("#tab-escalation[data-loaded=scan] .signal-list li").first).to_be_visible()
    assert "Ariha" in page.inner_text("#tab-escalation .signal-list")
    page.locator('#map g.cluster:has(circle[cx^="36.61"])').click()  # the events at Ariha, one disc
    page.locator(".map-stack .stack-item").first.click()  # listed: any of them picks the place
    expect(page.locator("[data-testid=escalation-subject]")).to_contain_text("Ariha")
    chart = page.locator("#tab-escalation svg.escalation-chart")
    expect(chart).to_be_visible()
    weeks = page.eval_on_selector_all(
        "svg.escalation-chart g.period", "gs => gs.map(g => [g.dataset.start, Number(g.dataset.events)])"
    )
    assert len(weeks) == 12 and dict(weeks)[str(STEP_WEEK)] == 5 and dict(weeks)["2025-12-29"] == 1
    assert page.locator("svg.escalation-chart rect.bar-events").count() == 5  # the weeks with violent events
    marks = page.eval_on_selector_all(
        "path.signal-mark", "ms => ms.map(m => [m.dataset.kind, m.dataset.start])"
    )
    assert ["increase_large", str(STEP_WEEK)] in marks
    assert "as of 2026-01-11" in page.inner_text(
        "#tab-escalation .tab-head"
    )  # the newest event, not the clock
    assert "+300%" in page.inner_text("#tab-escalation .signals")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "escalation.png"))
    page.click("#tab-escalation .scope button:has-text('Idlib')")
    expect(page.locator("[data-testid=escalation-subject]")).to_contain_text("Idlib")
    page.click("#tab-escalation button:has-text('Days')")
    expect(page.locator("svg.escalation-chart g.period")).to_have_count(28)
    assert page.outside == [] and page.errors == []


def test_escalation_follows_the_place_filter(page: Any, live: Live) -> None:
    base, _ = live
    open_dashboard(page, base)
    page.fill("#f-place", "Aleppo")
    page.click("button[type=submit]")
    page.click("[data-tab=escalation]")
    expect(page.locator("[data-testid=escalation-subject]")).to_contain_text("Aleppo")
    expect(page.locator("#tab-escalation .signals li[data-kind=deescalation]")).to_have_count(1)
    assert page.locator("path.signal-mark.de-escalation").count() == 1
    assert page.outside == [] and page.errors == []


def test_protection_tab_table_timeline_and_links_to_events(page: Any, live: Live) -> None:
    base, (_, history) = live
    open_dashboard(page, base)
    page.click("[data-tab=protection]")
    table = page.locator("table.protection-table")
    expect(table).to_be_visible()
    kinds = set(
        page.eval_on_selector_all("table.protection-table tbody tr", "rows => rows.map(r => r.dataset.kind)")
    )
    assert kinds == set(CIVILIAN_PROTECTION_KINDS)
    dots = page.eval_on_selector_all(
        "svg.protection-timeline circle.dot", "ds => ds.map(d => d.dataset.kind)"
    )
    assert len(dots) == page.locator("table.protection-table tbody tr").count() and set(dots) == kinds
    assert page.locator("svg.protection-timeline text.lane-label").count() == 7
    page.screenshot(path=str(ARTIFACTS / "protection.png"))
    page.click(f'tr[data-kind=human_shields] a.event-link[data-id="{history.shields}"]')
    expect(page.locator("#evidence")).to_have_text(
        "Fighters used residents of Ariha as human shields, a monitor said."
    )
    assert page.get_attribute("[data-tab=events]", "aria-selected") == "true"
    page.click("[data-tab=protection]")
    page.click("tr[data-kind=evacuation] td button.link")  # only this place
    expect(page.locator("table.protection-table tbody tr")).to_have_count(3)
    assert page.outside == [] and page.errors == []


def test_alerts_tab_lists_alerts_with_the_atom_feed(page: Any, live: Live) -> None:
    base, _ = live
    open_dashboard(page, base)
    page.click("[data-tab=alerts]")
    expect(page.locator("#tab-alerts li.alert")).to_have_count(1)
    assert "ariha-shelling" in page.inner_text("#tab-alerts li.alert") and "4 ≥ 3" in page.inner_text(
        "#tab-alerts li.alert"
    )
    assert page.get_attribute("[data-testid=atom-feed]", "href") == "/api/alerts.atom"
    assert page.locator("#tab-alerts li.alert a.event-link").count() == 4
    page.screenshot(path=str(ARTIFACTS / "alerts.png"))
    assert page.outside == [] and page.errors == []

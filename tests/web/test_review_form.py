"""The dashboard's review form and watch form in Debian's chromium, at 1600 and 400 px wide:
every review action through the form (correct, dismiss, merge, split, confirm) changes the
list, the panel and the header's totals; a reader's token gets the 403 line; a watch is added
and deleted with an admin's token; nothing is wider than a 400 px screen with a form open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from sitroom.config import Settings
from sitroom.pipeline import Sitroom
from tests.api.sample import Sample, populate
from tests.web.conftest import ARTIFACTS, serve

pytestmark = pytest.mark.browser
READY = "body[data-ready=true]"
ADMIN = "admin-token-0123456789"
REVIEWER = "reviewer-token-0123456789"
READER = "reader-token-0123456789"
TOKENS = (f"ana:reviewer:{REVIEWER}", f"rita:reader:{READER}")
GAZETTEER_MS = 60_000  # the server's first place lookup loads the gazetteer
AL_BAB = (37.5167, 36.3706)  # lon, lat: a town of Aleppo province with no event on the map


@pytest.fixture
def live(tmp_path: Any) -> Iterator[tuple[str, Sample]]:
    """A server of its own for each test (reviews change the store), with named tokens."""
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path / 'review.db'}", api_token=ADMIN, tokens=TOKENS))
    sample = populate(app.store)
    with serve(app) as base:
        yield base, sample
    app.store.close()


def opened(browser: Any, base: str, width: int, path: str = "/") -> Any:
    """A page ``width`` px wide showing the dashboard; requests may only go to the test server."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort()
    )
    page.goto(base + path)
    page.wait_for_selector(READY, timeout=20_000)
    return page


def open_event(page: Any, event_id: str) -> None:
    page.evaluate(f"location.hash = 'event={event_id}'")
    expect(page.locator("[data-testid=review]")).to_be_visible()


def review(page: Any, action: str, reason: str, token: str = REVIEWER, **fields: str) -> str:
    """Fill the review form (selects by value, inputs by text) and save; the status line."""
    form = page.locator("form.review-form")
    form.locator("select[name=action]").select_option(action)
    for name, value in fields.items():
        control = form.locator(f"[name={name}]")
        if control.evaluate("c => c.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.locator("[name=reason]").fill(reason)
    form.locator("[name=token]").fill(token)
    form.locator("button[type=submit]").click()
    said = page.locator("[data-testid=review-said]")
    expect(said).to_have_text(re.compile(r"^(Not saved: |Saved \()"), timeout=GAZETTEER_MS)
    return str(said.inner_text())


def pick_place(page: Any, name: str) -> str:
    """Type ``name`` in the place input and pick the first place the gazetteer offers."""
    place = page.locator("form.review-form [name=location]")
    page.locator("form.review-form select[name=action]").select_option("correct")
    place.fill(name)
    expect(page.locator("#review-places option").first).to_be_attached(timeout=GAZETTEER_MS)
    label = str(page.locator("#review-places option").first.get_attribute("value"))
    place.fill(label)
    return label


def row(page: Any, event_id: str) -> Any:
    return page.locator(f'#event-list li[data-id="{event_id}"]')


def mapped(page: Any) -> int:
    """Events drawn on the map: markers, and those inside the discs of nearby ones."""
    return int(
        page.evaluate(
            "document.querySelectorAll('#map circle.marker').length + [...document.querySelectorAll('#map .cluster')]"
            ".reduce((n, c) => n + Number(c.dataset.count), 0)"
        )
    )


def no_overflow(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_correcting_type_place_and_toll_changes_the_list_the_panel_and_the_totals(
    browser: Any, live: tuple[str, Sample]
) -> None:
    base, sample = live
    page = opened(browser, base, 1600)
    assert page.inner_text("#summary").startswith(
        "4 events (5 reports) · 3 places · at least 7 reported dead"
    )
    assert mapped(page) == 3  # the event has no place yet
    open_event(page, sample.hostile)
    label = pick_place(page, "Ariha")
    assert label == "Arīḩā · Idlib · SYR · city"
    said = review(page, "correct", "a raid, not an attack (AP)", event_type="COERCE", dead="3-4")
    assert said == "Saved (correct): now corrected"
    panel = page.locator("#panel")
    expect(panel.locator("h2")).to_contain_text("COERCE")
    assert "Arīḩā, Idlib, SYR" in panel.locator(".panel-sub").inner_text()
    assert "3–4" in panel.locator(".fact", has_text="Dead").first.inner_text()
    log = page.locator("[data-testid=review-log]").inner_text()
    assert "ana: event_type ASSAULT → COERCE; location — → Arīḩā; size.dead — → 3–4 — a raid" in log
    assert "corrected: event_type, location, size.dead" in page.locator("[data-testid=review]").inner_text()
    page.click("button.back")
    assert row(page, sample.hostile).locator(".event-type").inner_text() == "COERCE (coercion)"
    assert row(page, sample.hostile).locator(".event-place").inner_text() == "Arīḩā, Idlib, SYR"
    assert "3–4 dead" in row(page, sample.hostile).inner_text()
    expect(page.locator("#summary")).to_contain_text("4 places · at least 10 reported dead")
    assert mapped(page) == 4  # now it has one
    assert page.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-corrected-1600.png"))


def test_a_click_on_the_map_picks_the_place_nearest_to_it(browser: Any, live: tuple[str, Sample]) -> None:
    base, sample = live
    page = opened(browser, base, 1600)
    open_event(page, sample.hostile)
    page.locator("form.review-form select[name=action]").select_option("correct")
    page.click("[data-testid=pick-on-map]")
    expect(page.locator("#map[data-picking]")).to_have_count(1)
    page.keyboard.press("Escape")  # cancels
    expect(page.locator("#map[data-picking]")).to_have_count(0)
    expect(page.locator("[data-testid=pick-on-map]")).to_have_attribute("aria-pressed", "false")
    page.click("[data-testid=pick-on-map]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-map-pick-1600.png"))
    x, y = page.evaluate(
        """([lon, lat]) => {
          const svg = document.querySelector("#map svg.map-svg");
          const point = svg.createSVGPoint();
          point.x = lon;
          point.y = -Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * 180 / Math.PI;
          const screen = point.matrixTransform(svg.getScreenCTM());
          return [screen.x, screen.y];
        }""",
        AL_BAB,
    )
    page.mouse.click(x, y)
    expect(page.locator("form.review-form [name=location]")).to_have_value(
        re.compile(r"^Al Bāb · Aleppo · SYR"), timeout=GAZETTEER_MS
    )
    assert "km away" in str(page.locator("#review-places option").first.inner_text())
    assert review(page, "correct", "the town east of Aleppo") == "Saved (correct): now corrected"
    assert "Al Bāb, Aleppo, SYR" in page.locator("#panel .panel-sub").inner_text()
    place = page.evaluate(
        f"fetch('/api/events/{sample.hostile}').then(r => r.json()).then(d => d.event.location)"
    )
    assert abs(place["lon"] - AL_BAB[0]) < 0.05 and abs(place["lat"] - AL_BAB[1]) < 0.05
    assert page.errors == []


def test_split_and_merge_through_the_form(browser: Any, live: tuple[str, Sample]) -> None:
    base, sample = live
    page = opened(browser, base, 1600)
    expect(page.locator("#event-list li.event")).to_have_count(4)
    open_event(page, sample.monitor)
    assert review(page, "split", "a different market") == "Saved (split): now corrected"
    expect(page.locator("#panel .cluster h3")).to_have_text("Reports of this event (1)")
    page.click("button.back")
    expect(page.locator("#event-list li.event")).to_have_count(5)
    # two events now, each with its own toll: 7 and 9
    expect(page.locator("#summary")).to_contain_text("5 events · 3 places · at least 16 reported dead")
    assert row(page, sample.wire).locator(".badge.reports").count() == 0
    open_event(page, sample.monitor)
    options = page.eval_on_selector_all("#review-merge option", "os => os.map(o => o.value)")
    # the events listed, this one left out, the one at the same place first
    assert options[0] == sample.wire and sample.monitor not in options and len(options) == 4
    assert review(page, "merge", "the same shelling", other=sample.wire) == "Saved (merge): now corrected"
    expect(page.locator("#panel .cluster h3")).to_have_text("Reports of this event (2)")
    assert "merged with" in page.locator("[data-testid=review-log]").inner_text()
    page.click("button.back")
    expect(page.locator("#event-list li.event")).to_have_count(4)
    expect(page.locator("#summary")).to_contain_text(
        "4 events (5 reports) · 3 places · at least 7 reported dead"
    )
    assert page.errors == []


def test_dismiss_and_confirm_and_each_error_is_one_line(browser: Any, live: tuple[str, Sample]) -> None:
    base, sample = live
    page = opened(browser, base, 1600)
    open_event(page, sample.evac)
    said = review(page, "confirm", "seen on video", token=READER)
    assert said == "Not saved: 403: token 'rita' has role reader; this needs reviewer or above"
    assert page.locator("[data-testid=review-said].error").count() == 1
    assert review(page, "confirm", "seen", token="").startswith("Not saved: 401: missing bearer token")
    assert (
        review(page, "correct", "r", dead="many")
        == "Not saved: 422: size.dead 'many' is not a number or a range such as 7-9"
    )
    assert review(page, "correct", "r", dead="").startswith(
        "Not saved: 422: correct: give at least one field"
    )
    assert "\n" not in said
    page.screenshot(path=str(ARTIFACTS / "review-403-1600.png"))
    assert review(page, "confirm", "seen on video") == "Saved (confirm): now confirmed"
    assert "Status: confirmed" in page.locator("[data-testid=review]").inner_text()
    open_event(page, sample.protest)
    assert review(page, "dismiss", "a football crowd", kind="not_event") == "Saved (dismiss): now dismissed"
    assert "dismissed (not_event) — a football crowd" in page.locator("[data-testid=review-log]").inner_text()
    page.click("button.back")
    expect(page.locator("#event-list li.event")).to_have_count(3)
    assert row(page, sample.protest).count() == 0
    assert page.errors == []


def test_a_watch_is_added_and_deleted_with_an_admins_token(browser: Any, live: tuple[str, Sample]) -> None:
    base, _ = live
    page = opened(browser, base, 1600)
    page.click("[data-tab=alerts]")
    form = page.locator("[data-testid=watch-form]")
    expect(form).to_be_visible()
    form.locator("[name=name]").fill("idlib-attacks")
    form.locator("[name=threshold]").fill("2")
    form.locator("[name=place]").fill("Idlib")
    form.locator("[name=event_type]").select_option("ASSAULT")
    form.locator("[name=token]").fill(REVIEWER)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=watch-said]")).to_have_text(
        "Not saved: 403: token 'ana' has role reviewer; this needs admin or above"
    )
    form.locator("[name=token]").fill(ADMIN)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=watch-said]")).to_have_text("Saved watch idlib-attacks")
    item = page.locator('.watch-list li[data-name="idlib-attacks"]')
    expect(item).to_contain_text("Idlib")
    expect(page.locator(".watches h3")).to_have_text("Watches (1)")
    page.screenshot(path=str(ARTIFACTS / "watch-added-1600.png"))
    item.locator("button", has_text="delete").click()
    expect(page.locator("[data-testid=watch-said]")).to_have_text("Deleted watch idlib-attacks")
    expect(page.locator(".watches h3")).to_have_text("Watches (0)")
    assert page.errors == []


def test_at_400_px_the_open_forms_fit_the_screen_and_work(browser: Any, live: tuple[str, Sample]) -> None:
    base, sample = live
    page = opened(browser, base, 400)
    open_event(page, sample.evac)
    page.locator("form.review-form select[name=action]").select_option("correct")
    page.locator("form.review-form").scroll_into_view_if_needed()
    no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "review-form-400.png"), full_page=True)
    assert (
        review(page, "correct", "the bulletin's later count", injured="2") == "Saved (correct): now corrected"
    )
    assert "size.injured — → 2" in page.locator("[data-testid=review-log]").inner_text()
    no_overflow(page)
    page.click("button.back")
    page.click("[data-tab=alerts]")
    expect(page.locator("[data-testid=watch-form]")).to_be_visible()
    no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "watch-form-400.png"), full_page=True)
    assert page.errors == []

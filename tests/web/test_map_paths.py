"""The map's country outlines (js/map.js pathOf over the vendored world-atlas, run by node):
no ring jumps across the world at the antimeridian, which drew horizontal bands."""

from __future__ import annotations

import os
import re

import pytest

from tests.web.node import STATIC, run_js

ATLAS = STATIC / "vendor" / "world-atlas" / "countries-110m.json"
SCRIPT = """
import fs from "fs";
import { decodeTopology } from "./topo.js";
import { pathOf } from "./map.js";
const topology = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const out = {};
for (const feature of decodeTopology(topology, "countries")) out[feature.name] = pathOf(feature.polygons);
console.log(JSON.stringify(out));
"""
MOVE = re.compile(r"([ML])(-?[\d.]+) (-?[\d.]+)")
EDGE_Y = 179  # |y| of the map's top and bottom edge (85 degrees): a ring around a pole runs along it


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not ATLAS.is_file():
        missing = f"{ATLAS} (scripts/fetch_map_data.py)"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing in CI")
        pytest.skip(f"{missing} not found")
    modules = ("map.js", "topo.js", "dom.js")
    loaded: dict[str, str] = run_js(tmp_path_factory.mktemp("mapjs"), modules, SCRIPT, str(ATLAS))
    return loaded


def widest_step(path: str) -> float:
    """The longest horizontal line drawn within one subpath (M starts a new one), but along the
    map's edge."""
    widest = 0.0
    previous: tuple[float, float] | None = None
    for command, x, y in MOVE.findall(path):
        point = (float(x), float(y))
        if command == "L" and previous and min(abs(point[1]), abs(previous[1])) < EDGE_Y:
            widest = max(widest, abs(point[0] - previous[0]))
        previous = point
    return widest


def test_no_outline_crosses_the_world(paths: dict[str, str]) -> None:
    assert len(paths) > 150
    wide = {name: round(widest_step(p)) for name, p in paths.items() if widest_step(p) > 180}
    assert wide == {}


@pytest.mark.parametrize("country", ["Russia", "Fiji", "Antarctica"])
def test_antimeridian_countries_are_drawn_on_both_sides(paths: dict[str, str], country: str) -> None:
    xs = [float(x) for _, x, _ in MOVE.findall(paths[country])]
    assert min(xs) < -170 and max(xs) > 170

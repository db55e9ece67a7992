"""The dashboard's event-type colours (js/dom.js, read by node): grouped by PLOVER quad and
told apart with normal vision and simulated red-green colour blindness."""

from __future__ import annotations

import itertools
import math

import pytest

from sitroom.evaluation.events import QUAD, TO_PLV
from tests.web.node import run_js

MIN_DELTA_E = 13.0  # CIE76 units; the palette was searched to keep at least this
# Vienot, Brettel & Mollon (1999) dichromat simulation in linear RGB
SIMULATIONS: dict[str, tuple[tuple[float, ...], ...] | None] = {
    "normal vision": None,
    "deuteranopia": ((0.29275, 0.70725, 0.0), (0.29275, 0.70725, 0.0), (-0.02234, 0.02234, 1.0)),
    "protanopia": ((0.11238, 0.88762, 0.0), (0.11238, 0.88762, 0.0), (0.00401, -0.00401, 1.0)),
}
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@pytest.fixture(scope="module")
def quads(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    script = 'import { QUADS } from "./dom.js";\nconsole.log(JSON.stringify(QUADS));\n'
    loaded: list[dict[str, object]] = run_js(tmp_path_factory.mktemp("palette"), ("dom.js",), script)
    return loaded


def lab(hex_colour: str, matrix: tuple[tuple[float, ...], ...] | None) -> tuple[float, float, float]:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5)]
    if matrix:
        rgb = [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix]
    x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047
    y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_every_plover_type_has_a_colour_in_its_quad(quads: list[dict[str, object]]) -> None:
    placed = {str(t): str(q["name"]) for q in quads for t in q["types"]}  # type: ignore[attr-defined]
    expected = {t: QUAD_NAMES[QUAD[TO_PLV.get(t, t)]] for t in [*QUAD, *TO_PLV] if t != "YIELD"}
    assert placed == expected


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_any_two_types_are_told_apart(quads: list[dict[str, object]], vision: str) -> None:
    colours = {str(t): str(c) for q in quads for t, c in q["types"].items()}  # type: ignore[attr-defined]
    points = {t: lab(c, SIMULATIONS[vision]) for t, c in colours.items()}
    closest = min((math.dist(points[a], points[b]), a, b) for a, b in itertools.combinations(points, 2))
    assert closest[0] >= MIN_DELTA_E, f"{closest[1]} and {closest[2]} are {closest[0]:.1f} apart"

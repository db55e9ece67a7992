"""docs/monitoring.md states the weights and rules the code uses (the two change together)."""

from __future__ import annotations

from pathlib import Path

from sitroom.monitor.alerts import MAX_ATTEMPTS
from sitroom.monitor.series import FATALITY_WEIGHT, MODE_FACTORS, TYPE_WEIGHTS
from sitroom.monitor.signals import (
    LARGE_CHANGE,
    MIN_CHANGE_EVENTS,
    MIN_ROLLING,
    MIN_WEEK_EVENTS,
    MODERATE_CHANGE,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "monitoring.md"


def _documented(first_header: str) -> dict[str, float]:
    """name -> number from the markdown table whose header starts with ``first_header``
    (rows of name-list / number cell pairs)."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    found: dict[str, float] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        for names, number in zip(cells[0::2], cells[1::2], strict=False):
            for name in filter(None, (n.strip() for n in names.split(","))):
                found[name] = float(number)
    return found


def test_type_weights_and_mode_factors_are_documented() -> None:
    assert _documented("PLOVER type") == {name: w.weight for name, w in TYPE_WEIGHTS.items()}
    assert _documented("mode") == MODE_FACTORS
    assert f"{FATALITY_WEIGHT:.1f} × log2(1 + dead)" in DOC.read_text(encoding="utf-8")


def test_signal_rules_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    large, moderate = f"{LARGE_CHANGE * 100:g} %", f"{MODERATE_CHANGE * 100:g} %"
    assert f"more than +{large}" in text and f"+{moderate} to +{large}" in text
    assert f"at least **{MIN_WEEK_EVENTS} events**" in text and f"**{MIN_CHANGE_EVENTS} more**" in text
    assert (
        f"at least {MIN_ROLLING['events']:g} in the 30 days" in text
        and f"(at least {MIN_ROLLING['fatalities']:g})" in text
    )
    assert f"at most {MAX_ATTEMPTS} times" in text

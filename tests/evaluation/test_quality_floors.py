"""The quality gate: every stage's floors in ``tests/quality_floors.json``, checked here alone.

Each entry names a stage of ``sitroom eval``, its data folder under ``../shared/data``, a
metric, the bound the metric must keep (``direction`` ``>=``: a floor; ``<=``: a ceiling, for
metrics where lower is better), the figure measured when the bound was set, and the SHA-256
of the data it was measured on (:func:`data_sha256`). Each stage is scored once per session
with the function ``sitroom eval`` calls, and every metric is compared with its bound; a
failure names the stage, the metric, the figure measured and the bound.

Without ``../shared`` the gate skips, except in CI (``CI`` set), where it fails: CI never
passes without the gate. Data whose SHA-256 is not the recorded one is not the data the floor
was measured on, so the floor says nothing about it: CI fails (re-measure, record the new
SHA-256 and say why in the commit), elsewhere the test skips and says so, since a developer
with another copy of the data learns nothing from a floor set on other items. How to set a
floor honestly: CONTRIBUTING.md. ``python -m tests.evaluation.test_quality_floors [STAGE]``
prints the figures and the SHA-256 of the data now, beside the recorded ones.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitroom.evaluation import STAGES, evaluator
from sitroom.evaluation.datasets import files_sha256
from tests.conftest import shared_data

FLOORS = Path(__file__).resolve().parents[1] / "quality_floors.json"
# Stages whose scoring runs the spaCy model (marked ``model``, so ``-m "not model"`` leaves them).
MODEL_STAGES = frozenset({"geoparsing", "ner", "attribution", "events", "events-e2e"})
DIRECTIONS = (">=", "<=")
ENTRY_KEYS = frozenset({"stage", "data", "metric", "direction", "floor", "measured", "sha256"})
OUTCOMES = (pytest.fail.Exception, pytest.skip.Exception)  # a failed or a skipped test


@dataclass(frozen=True)
class Floor:
    """One metric's bound, with the figure and the data it was set on."""

    stage: str
    data: str  # the folder under ../shared/data
    metric: str
    direction: str  # ">=": the metric must stay at or above ``floor``; "<=": at or below it
    floor: float
    measured: float
    sha256: str

    @property
    def name(self) -> str:
        return f"{self.stage}:{self.metric}"

    def breach(self, metrics: dict[str, float | int]) -> str | None:
        """Why ``metrics`` break this bound, or None when they keep it."""
        if self.metric not in metrics:
            return f"{self.stage}: no metric {self.metric!r} in its results ({', '.join(sorted(metrics))})"
        value = float(metrics[self.metric])
        if value >= self.floor if self.direction == ">=" else value <= self.floor:
            return None  # a NaN keeps no bound
        bound = "floor" if self.direction == ">=" else "ceiling"
        return (
            f"{self.stage} {self.metric}: measured {value:.4f}, {bound} {self.floor} "
            f"({self.measured} when the {bound} was set) on ../shared/data/{self.data}"
        )


def read_floors(path: Path = FLOORS) -> list[Floor]:
    """The entries of the floors file, each checked for its keys and its direction."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    floors = []
    for number, entry in enumerate(entries, 1):
        if set(entry) != ENTRY_KEYS:
            raise ValueError(f"{path} entry {number}: keys {sorted(entry)}, expected {sorted(ENTRY_KEYS)}")
        if entry["direction"] not in DIRECTIONS:
            raise ValueError(
                f"{path} entry {number}: direction {entry['direction']!r} is not one of {DIRECTIONS}"
            )
        floors.append(Floor(**entry))
    return floors


def data_sha256(folder: Path) -> str:
    """The SHA-256 of every file under ``folder``, read in the order of their relative paths."""
    files = sorted(
        (path for path in folder.rglob("*") if path.is_file()), key=lambda p: p.relative_to(folder).parts
    )
    return files_sha256(files)


def check_data(floor: Floor, folder: Path) -> None:
    """Fail in CI, skip elsewhere, when ``folder`` is not the data ``floor`` was measured on."""
    found = data_sha256(folder)
    if found == floor.sha256:
        return
    message = (
        f"{floor.name}: the floor was measured on other data ({folder} has SHA-256 {found}, "
        f"the floor {floor.sha256}): re-measure it and record the new SHA-256 (CONTRIBUTING.md)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


_MEASURED: dict[str, dict[str, float | int]] = {}


def measure(stage: str, folder: Path) -> dict[str, float | int]:
    """A stage's metrics on ``folder``, scored once per session."""
    if stage not in _MEASURED:
        _MEASURED[stage] = evaluator(stage)(folder).metrics
    return _MEASURED[stage]


def _params() -> list[object]:
    marks = {
        stage: [pytest.mark.shared] + ([pytest.mark.model] if stage in MODEL_STAGES else [])
        for stage in STAGES
    }
    return [pytest.param(floor, id=floor.name, marks=marks.get(floor.stage, [])) for floor in read_floors()]


@pytest.mark.parametrize("floor", _params())
def test_stage_keeps_its_floor(floor: Floor) -> None:
    folder = shared_data(floor.data)
    check_data(floor, folder)
    breach = floor.breach(measure(floor.stage, folder))
    assert breach is None, breach


def test_every_stage_has_a_floor_and_every_floor_a_stage() -> None:
    floors = read_floors()
    assert {floor.stage for floor in floors} == set(STAGES)
    assert len({floor.name for floor in floors}) == len(floors), "a stage's metric has two floors"
    for stage in STAGES:
        assert len({(f.data, f.sha256) for f in floors if f.stage == stage}) == 1, f"{stage}: one data folder"


def test_every_floor_is_under_its_measured_figure_by_a_small_margin() -> None:
    for floor in read_floors():
        margin = floor.measured - floor.floor if floor.direction == ">=" else floor.floor - floor.measured
        assert 0 <= margin <= 0.05, f"{floor.name}: bound {floor.floor}, measured {floor.measured}"
        assert len(floor.sha256) == 64 and int(floor.sha256, 16) >= 0, floor.name


@pytest.mark.parametrize(
    ("direction", "value", "kept"),
    [(">=", 0.71, True), (">=", 0.70, True), (">=", 0.69, False), ("<=", 0.69, True), ("<=", 0.71, False)],
)
def test_a_floor_or_a_ceiling_names_stage_metric_measured_and_bound(
    direction: str, value: float, kept: bool
) -> None:
    floor = Floor("events-e2e", "events-e2e", "role_inversion", direction, 0.70, 0.72, "0" * 64)
    breach = floor.breach({"role_inversion": value, "n": 20})
    if kept:
        assert breach is None
    else:
        bound = "floor" if direction == ">=" else "ceiling"
        assert breach == (
            f"events-e2e role_inversion: measured {value:.4f}, {bound} 0.7 (0.72 when the {bound} was set) "
            "on ../shared/data/events-e2e"
        )
    assert floor.breach({"n": 20}) == "events-e2e: no metric 'role_inversion' in its results (n)"
    assert floor.breach({"role_inversion": float("nan")}) is not None


def test_a_malformed_entry_is_named(tmp_path: Path) -> None:
    path = tmp_path / "floors.json"
    entry = {"stage": "ner", "data": "ner-conflict", "metric": "micro_f1", "floor": 0.4, "measured": 0.44}
    path.write_text(
        json.dumps([{**entry, "direction": ">=", "sha256": "0" * 64, "note": "x"}]), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="entry 1: keys"):
        read_floors(path)
    path.write_text(json.dumps([{**entry, "direction": ">", "sha256": "0" * 64}]), encoding="utf-8")
    with pytest.raises(ValueError, match="entry 1: direction '>'"):
        read_floors(path)


@pytest.mark.parametrize("ci", ["", "true"])
def test_data_other_than_the_measured_fails_in_ci_and_skips_elsewhere(
    ci: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.tsv").write_bytes(b"one\n")
    (tmp_path / "b" / "c.tsv").write_bytes(b"two\n")
    measured = data_sha256(tmp_path)
    floor = Floor("events", "events-plover", "macro_f1", ">=", 0.7, 0.72, measured)
    monkeypatch.setenv("CI", ci)
    check_data(floor, tmp_path)  # the same bytes: nothing to say
    (tmp_path / "b" / "c.tsv").write_bytes(b"two rows\n")
    with pytest.raises(OUTCOMES, match=r"events:macro_f1: the floor was measured on other data") as caught:
        check_data(floor, tmp_path)
    assert caught.type is (pytest.fail.Exception if ci else pytest.skip.Exception)


@pytest.mark.parametrize("ci", ["", "true"])
def test_missing_shared_data_fails_in_ci_and_skips_elsewhere(
    ci: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tests.conftest.SHARED", tmp_path / "shared")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(OUTCOMES, match=r"ner-conflict") as caught:
        shared_data("ner-conflict")
    assert caught.type is (pytest.fail.Exception if ci else pytest.skip.Exception)


def main(stages: list[str]) -> None:
    """Print each stage's figures and data SHA-256 now beside the recorded floors (to re-measure)."""
    from tests.conftest import SHARED

    floors = read_floors()
    for stage in stages or sorted({floor.stage for floor in floors}):
        own = [floor for floor in floors if floor.stage == stage]
        if not own:
            sys.exit(f"{stage}: no floors in {FLOORS} (stages: {', '.join(sorted(STAGES))})")
        folder = SHARED / "data" / own[0].data
        print(
            f"{stage}: ../shared/data/{own[0].data} sha256 {data_sha256(folder)} (recorded {own[0].sha256})"
        )
        metrics = evaluator(stage)(folder).metrics
        for floor in own:
            print(
                f"  {floor.metric}: now {metrics.get(floor.metric)}, recorded {floor.measured}, bound {floor.direction} {floor.floor}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])

"""``sitroom events``, ``show``, ``export`` and ``demo --no-serve`` over hand-built events."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import cli, place_label
from sitroom.store import open_store
from tests.api.sample import Sample, populate


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sample(db_url: str) -> Sample:
    store = open_store(db_url)
    try:
        return populate(store)
    finally:
        store.close()


def test_events_jsonl_with_filters(db_url: str, sample: Sample) -> None:
    code, out, _ = run(
        "events", "--db", db_url, "--format", "jsonl", "--place", "Idlib", "--min-sources", "2"
    )
    assert code == 0
    assert {json.loads(line)["id"] for line in out.splitlines()} == {sample.wire, sample.monitor}
    code, out, _ = run(
        "events", "--db", db_url, "--format", "jsonl", "--since", "2026-01-09", "--type", "retreat"
    )
    assert [json.loads(line)["id"] for line in out.splitlines()] == [sample.evac]


def test_events_table_and_bad_bbox(db_url: str, sample: Sample) -> None:
    code, out, _ = run("events", "--db", db_url)
    assert code == 0 and sample.protest in out and "Al-Hasakah (SYR)" in out
    assert "Al-Razi hospital, Aleppo (SYR)" in out
    code, _, err = run("events", "--db", db_url, "--bbox", "1,2")
    assert code == 2 and "--bbox" in err


@pytest.mark.parametrize(
    ("place", "label"),
    [
        (
            {"name": "Numan", "admin1": "Adamawa", "country": "NGA", "precision": "city"},
            "Numan, Adamawa (NGA)",
        ),
        ({"name": "Aleppo", "admin1": "Aleppo", "country": "SYR", "precision": "city"}, "Aleppo (SYR)"),
        ({"name": "Syria", "admin1": None, "country": "SYR", "precision": "country"}, "Syria"),
        ({"name": "Qamishli", "admin1": None, "country": None, "precision": "city"}, "Qamishli"),
        (None, ""),
    ],
)
def test_a_place_is_listed_with_its_country(place: dict[str, str | None] | None, label: str) -> None:
    assert place_label(place) == label


def test_show_prints_evidence_attribution_cluster_and_contradictions(db_url: str, sample: Sample) -> None:
    code, out, _ = run("show", sample.wire, "--db", db_url)
    assert code == 0
    assert "evidence: Shelling hit a market in Ariha on Thursday, killing seven civilians." in out
    assert "said by: Demo Wire > local health officials" in out
    assert "contradiction: dead: 7 / 9" in out and f"also reported: {sample.monitor}" in out
    code, _, err = run("show", "nope", "--db", db_url)
    assert code == 1 and "no event with id 'nope'" in err


def test_export_to_a_file_with_coarsening(db_url: str, sample: Sample, tmp_path: Path) -> None:
    target = tmp_path / "events.csv"
    code, _, err = run(
        "export", "--db", db_url, "--format", "acled-csv", "--output", str(target), "--coarsen"
    )
    assert code == 0 and "exported 5 event(s) as acled-csv" in err
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(target.open(encoding="utf-8"))}
    assert rows[sample.evac]["latitude"] == "36.2"
    code, out, _ = run("export", "--db", db_url, "--format", "geojson", "--civilian-protection", "evacuation")
    assert code == 0 and [f["id"] for f in json.loads(out)["features"]] == [sample.evac]


def test_export_needs_a_known_format(db_url: str) -> None:
    code, _, err = run("export", "--db", db_url, "--format", "xlsx")
    assert code == 2 and "xlsx" in err

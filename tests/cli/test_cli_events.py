"""``sitroom events``, ``show``, ``export`` and ``demo --no-serve`` over hand-built events."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import cli, place_label
from tests.api.sample import Sample


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_events_jsonl_with_filters(db_url: str, sample: Sample) -> None:
    code, out, _ = run(
        "events",
        "--db",
        db_url,
        "--format",
        "jsonl",
        "--place",
        "Idlib",
        "--min-sources",
        "2",
        "--per-report",
    )
    assert code == 0
    assert {json.loads(line)["id"] for line in out.splitlines()} == {sample.wire, sample.monitor}
    # one line per event by default: the two reports of the Ariha attack are one
    code, out, _ = run(
        "events", "--db", db_url, "--format", "jsonl", "--place", "Idlib", "--min-sources", "2"
    )
    [event] = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and set(event["report_ids"]) == {sample.wire, sample.monitor}
    code, out, _ = run(
        "events", "--db", db_url, "--format", "jsonl", "--since", "2026-01-09", "--type", "retreat"
    )
    assert [json.loads(line)["id"] for line in out.splitlines()] == [sample.evac]


def test_events_table_and_bad_bbox(db_url: str, sample: Sample) -> None:
    # a wide terminal: each place on one line (80 columns fold the long ones)
    result = CliRunner().invoke(cli, ["events", "--db", db_url], env={"COLUMNS": "200"})
    code, out = result.exit_code, result.stdout
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


# one filter each, by field: the CLI's option and the API's parameter carry the same text
OPTION = {"event_type": "--type"}  # the option of a field whose name is not the field's
SAME_FILTERS = [
    {},
    {"place": "Idlib"},
    {"place": "SYR", "min_sources": "2"},
    {"bbox": "37.0,36.0,37.5,36.5"},
    {"actor": "hayat"},
    {"actor": "%"},
    {"event_type": "assault", "status": "occurred"},
    {"event_type": "protest"},
    {"since": "2026-01-09", "until": "2026-01-10"},
    {"until": "2026-01-06"},
    {"civilian_protection": "corridor"},
    {"status": "denied"},
]


@pytest.mark.parametrize("values", SAME_FILTERS)
def test_the_cli_and_the_api_list_the_same_events_for_the_same_filter(
    db_url: str, sample: Sample, values: dict[str, str]
) -> None:
    from fastapi.testclient import TestClient

    from sitroom.api import create_app
    from sitroom.config import Settings
    from sitroom.pipeline import Sitroom

    options = [
        a for field, v in values.items() for a in (OPTION.get(field, "--" + field.replace("_", "-")), v)
    ]
    code, out, err = run("events", "--db", db_url, "--format", "jsonl", *options)
    assert code == 0, err
    app = Sitroom(Settings(db=db_url))
    try:
        answer = TestClient(create_app(app, cache_mb=0)).get("/api/events", params=values)
    finally:
        app.store.close()
    assert answer.status_code == 200, answer.text
    listed = [json.loads(line)["id"] for line in out.splitlines()]
    assert listed == [e["id"] for e in answer.json()["events"]]
    assert listed or values in ({"actor": "%"}, {"status": "denied"}, {"until": "2026-01-06"})


@pytest.mark.parametrize(
    ("args", "option", "says"),
    [
        (["--type", "BOMBING"], "--type", "'BOMBING' is not a PLOVER event type (valid: AGREE, CONSULT,"),
        (["--status", "maybe"], "--status", "valid: occurred, ongoing, planned, threatened, denied"),
        (["--civilian-protection", "picnic"], "--civilian-protection", "valid: evacuation, corridor"),
        (["--since", "2026-13-01"], "--since", "is not a date YYYY-MM-DD"),
        (["--since", "2026-01-10", "--until", "2026-01-01"], "--until", "before since"),
        (["--min-sources", "0"], "--min-sources", "1 or more"),
        (["--bbox", "10,0,5,1"], "--bbox", "is not a box"),
    ],
)
@pytest.mark.parametrize("command", ["events", "export"])
def test_a_bad_filter_value_exits_2_naming_the_option_and_the_valid_values(
    db_url: str, sample: Sample, command: str, args: list[str], option: str, says: str
) -> None:
    extra = ["--format", "jsonl"] if command == "export" else []
    code, out, err = run(command, "--db", db_url, *extra, *args)
    assert code == 2 and out == ""
    assert f"Invalid value for '{option}': " in err and says in err

"""``sitroom events`` lists one line per event (cluster) by default, one per report with
``--per-report`` (issue 22), and agrees with ``GET /api/events``: over the demo corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sitroom.api import create_app
from sitroom.cli import cli
from sitroom.config import load_settings
from sitroom.pipeline import Sitroom


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('groups') / 'demo.db'}"
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "-q", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def client(demo_db: str) -> Iterator[TestClient]:
    app = Sitroom(load_settings({}, overrides={"db": demo_db}))
    yield TestClient(create_app(app))
    app.store.close()


def events(db: str, *args: str) -> tuple[list[dict], str]:
    result = CliRunner().invoke(cli, ["events", "--db", db, "--limit", "1000", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")], result.stderr


def test_the_market_attack_is_one_line_holding_its_reports(demo_db: str) -> None:
    reports, _ = events(demo_db, "--place", "Ariha", "--format", "jsonl", "--per-report")
    rows, _ = events(demo_db, "--place", "Ariha", "--format", "jsonl")
    toll = next(r for r in reports if (r["size"]["dead"] or {}).get("min") == 9)  # "Nine civilians"
    market = {r["id"] for r in reports if r["cluster_id"] == toll["cluster_id"]}
    assert len(market) >= 2
    (attack,) = [r for r in rows if r["cluster_id"] == toll["cluster_id"]]
    assert set(attack["report_ids"]) == market and attack["report_ids"][0] == attack["id"]
    assert sorted(k for r in rows for k in r["report_ids"]) == sorted(r["id"] for r in reports)
    assert all("report_ids" not in r for r in reports)
    # a report denying the attack does not stand for an event another report says happened
    denied = next(r for r in reports if r["status"] == "denied")
    (row,) = [r for r in rows if r["cluster_id"] == denied["cluster_id"]]
    if any(r["status"] == "occurred" and r["cluster_id"] == denied["cluster_id"] for r in reports):
        assert row["status"] == "occurred" and denied["id"] in row["report_ids"]


@pytest.mark.parametrize(("flag", "group"), [((), "event"), (("--per-report",), "report")])
def test_the_cli_and_the_api_list_the_same_rows(
    demo_db: str, client: TestClient, flag: tuple[str, ...], group: str
) -> None:
    rows, _ = events(demo_db, "--format", "jsonl", *flag)
    answer = client.get("/api/events", params={"group": group, "limit": 1000}).json()["events"]
    assert [r["id"] for r in rows] == [r["id"] for r in answer]
    assert [r.get("report_ids") for r in rows] == [r.get("report_ids") for r in answer]


def test_the_table_counts_events_or_reports(demo_db: str) -> None:
    every, _ = events(demo_db, "--format", "jsonl", "--per-report")
    grouped, _ = events(demo_db, "--format", "jsonl")
    _, said = events(demo_db, "--limit", "2")
    assert f"2 of {len(grouped)} event(s)" in said
    _, said = events(demo_db, "--limit", "2", "--per-report")
    assert f"2 of {len(every)} report(s) of events" in said
    assert len(grouped) < len(every)


def test_export_stays_one_row_per_report(demo_db: str, tmp_path: Path) -> None:
    every, _ = events(demo_db, "--format", "jsonl", "--per-report")
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(cli, ["export", "--db", demo_db, "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == len(every)

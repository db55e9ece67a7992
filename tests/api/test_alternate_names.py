"""A place's alternate names in the API's and the CLI's place filter and search (issue 22): the
sample's evacuation is at the Al-Razi hospital in Aleppo, which GeoNames also calls "Halab"."""

from __future__ import annotations

import json

from click.testing import CliRunner
from fastapi.testclient import TestClient

from sitroom.cli import cli
from sitroom.pipeline import Sitroom
from tests.api.sample import Sample


def test_the_api_finds_a_place_by_an_alternate_name(client: TestClient, sample: Sample) -> None:
    for query in ("place=Halab", "q=Halab", "q=halab%20corridor", "place=Halab&group=report"):
        events = client.get(f"/api/events?{query}").json()["events"]
        assert [e["id"] for e in events] == [sample.evac], query
    assert client.get("/api/events?q=halab%20market").json()["events"] == []


def test_the_cli_finds_a_place_by_an_alternate_name(sitroom: Sitroom, sample: Sample) -> None:
    for option in ("--place", "--query"):
        result = CliRunner().invoke(
            cli,
            ["events", "--db", sitroom.settings.db, "--format", "jsonl", option, "Halab"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.stderr
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [sample.evac], option

"""``sitroom events --query`` / ``export --query`` and the folded place/actor options (issue 22)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import cli
from sitroom.store import open_store
from tests.store.test_search import populate


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ids(db_url: str) -> dict[str, str]:
    store = open_store(db_url)
    try:
        return populate(store)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--place", "Ariha"], {"ariha"}),
        (["--place", "Arīḩā"], {"ariha"}),
        (["--place", "Sheikh Maksoud"], {"sheikh"}),
        (["--place", "Syria"], {"ariha", "sheikh", "syria", "damascus"}),
        (["--actor", "Hayat Tahrir al-Sham"], {"ariha"}),
        (["--query", '"car bomb"'], {"damascus"}),
        (["--query", "Maqsoud", "--place", "Aleppo"], {"sheikh"}),
        (["--query", "NEAR(market"], set()),
    ],
)
def test_events_query_and_folded_filters(
    db_url: str, ids: dict[str, str], options: list[str], expected: set[str]
) -> None:
    code, out, err = run("events", "--db", db_url, "--format", "jsonl", *options)
    assert code == 0, err
    assert {json.loads(line)["id"] for line in out.splitlines()} == {ids[k] for k in expected}


@pytest.mark.parametrize("command", ["events", "export"])
@pytest.mark.parametrize(("query", "says"), [('"', "unbalanced double quote"), ("*", "no word to search")])
def test_a_bad_query_exits_2_naming_the_option(
    db_url: str, ids: dict[str, str], command: str, query: str, says: str
) -> None:
    given = ["--format", "jsonl"] if command == "export" else []
    code, _, err = run(command, "--db", db_url, *given, "--query", query)
    assert code == 2 and "'--query'" in err and says in err


def test_export_query(db_url: str, ids: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "found.geojson"
    code, _, err = run("export", "--db", db_url, "--format", "geojson", "--query", "checkp*", "-o", str(out))
    assert code == 0, err
    assert [f["properties"]["id"] for f in json.loads(out.read_text())["features"]] == [ids["damascus"]]


def test_query_is_in_the_help() -> None:
    for command in ("events", "export"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "--query TEXT" in out and "Full-text search" in out

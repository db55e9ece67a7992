"""``sitroom events`` as an analyst reads it: fits the terminal (80 and 160 columns), says
what each event is in words, counts the ones not shown; ``show`` has the count's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import cli
from sitroom.describe import TYPE_WORDS, count_label, date_label, type_label
from sitroom.models import PLOVER_TYPES
from tests.api.sample import Sample


def run(*args: str, columns: int = 80) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(columns)}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("columns", [80, 160])
def test_the_event_list_fits_the_terminal_and_says_what_each_event_is(
    db_url: str, sample: Sample, columns: int
) -> None:
    code, out, err = run("events", "--db", db_url, "--per-report", columns=columns)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= columns
    # every id whole (for 'sitroom show'), the type in words, the place with its country
    for event_id in sample.all:
        assert event_id in out
    assert "ASSAULT (attack)" in out and "RETREAT (withdrawal)" in out
    assert "Ariha, Idlib (SYR)" in out
    # the dead as a number, not the report's words; the start of the evidence
    wire_line = next(line for line in out.splitlines() if sample.wire in line)
    assert re.search(r"\s7 +2\b", wire_line)
    assert "Shelling hit a market" in out
    assert err.strip() == "5 report(s) of events, newest first; 'sitroom show ID' for one in full"
    # one row per event (the default): the wire's and the monitor's reports are one, of 2 reports
    code, out, err = run("events", "--db", db_url, columns=columns)
    assert max(len(line) for line in out.splitlines()) <= columns
    assert sum(i in out for i in (sample.wire, sample.monitor)) == 1
    ariha = next(line for line in out.splitlines() if sample.wire in line or sample.monitor in line)
    # the count of its reports: under its type, or a column of its own (dead, src, rep) when wide
    assert "2 reports" in out or re.search(r"\s7 +2 +2\s", ariha)
    assert err.strip() == "4 event(s), newest first; 'sitroom show ID' for one in full"


def test_a_wide_terminal_adds_the_parties_and_the_speakers(db_url: str, sample: Sample) -> None:
    _, narrow, _ = run("events", "--db", db_url, columns=80)
    _, wide, _ = run("events", "--db", db_url, columns=200)
    assert narrow.splitlines()[0].split() == ["id", "date", "event", "/", "evidence", "place", "dead", "src"]
    assert "2 reports" in narrow  # the Ariha attack's, under its type in the event's column
    assert "src rep said by" in " ".join(wide.splitlines()[0].split())  # a column of its own
    _, narrow, _ = run("events", "--db", db_url, "--per-report", columns=80)
    assert "2 reports" not in narrow
    assert "said by" in wide.splitlines()[0] and "actor -> recipient" in wide.splitlines()[0]
    assert "Demo Wire > local" in wide and "occurred" in wide
    assert max(len(line) for line in wide.splitlines()) <= 200


def test_the_count_line_says_how_many_match_beyond_the_limit(db_url: str, sample: Sample) -> None:
    code, out, err = run("events", "--db", db_url, "--limit", "2")
    assert code == 0 and len({i for i in sample.all if i in out}) == 2
    assert err.startswith("2 of 4 event(s), newest first; --limit or the filters for the others")
    _, _, err = run("events", "--db", db_url, "--limit", "2", "--place", "Idlib")
    assert err.startswith("1 event(s)")  # the wire's and the monitor's reports of one attack
    _, _, err = run("events", "--db", db_url, "--limit", "2", "--place", "Idlib", "--per-report")
    assert err.startswith("2 report(s) of events")
    _, _, err = run("events", "--db", db_url, "--limit", "1", "--place", "Idlib", "--per-report")
    assert err.startswith("1 of 2 report(s) of events")


def test_show_gives_the_count_and_the_words_it_was_read_from(db_url: str, sample: Sample) -> None:
    code, out, _ = run("show", sample.wire, "--db", db_url)
    assert code == 0
    assert out.splitlines()[0].startswith("ASSAULT (attack), occurred  2026-01-08  Ariha, Idlib (SYR)")
    assert "dead: 7 (seven)" in out


def test_every_plover_type_has_words_and_the_dashboard_says_the_same() -> None:
    assert set(TYPE_WORDS) == set(PLOVER_TYPES)
    dom = (Path(__file__).parents[2] / "src/sitroom/web/static/js/words.js").read_text(encoding="utf-8")
    block = dom[dom.index("export const TYPE_WORDS") :]
    block = block[: block.index("};")]
    assert dict(re.findall(r"([A-Z]+): \"([^\"]+)\"", block)) == TYPE_WORDS


@pytest.mark.parametrize(
    ("record", "label"),
    [
        ({"date": "2026-01-14", "date_precision": "day"}, "2026-01-14"),
        ({"date": "2026-01-12", "date_precision": "week"}, "2026-01-12 (week)"),
        ({"date": "2026-01-01", "date_precision": "month"}, "2026-01 (month)"),
        ({"date": "2026-01-01", "date_precision": "year"}, "2026 (year)"),
        ({"date": "1990-01-01", "date_precision": "decade"}, "1990s (decade)"),
        ({"date": "1300-01-01", "date_precision": "century"}, "1300s (century)"),
        ({"date": None, "date_precision": None}, "undated"),
    ],
)
def test_a_date_says_how_precise_it_is(record: dict[str, str | None], label: str) -> None:
    assert date_label(record) == label


@pytest.mark.parametrize(
    ("count", "label"),
    [
        ({"min": 3, "max": 3, "text": "killed three"}, "3"),
        ({"min": 7, "max": 9, "text": "seven to nine"}, "7-9"),
        ({"min": 20, "max": None, "text": "more than 20"}, "20+"),
        ({"min": None, "max": None, "text": "dozens"}, "?"),
        (None, ""),
    ],
)
def test_a_count_is_a_number(count: dict[str, int | str | None] | None, label: str) -> None:
    assert count_label(count) == label


def test_a_type_in_words() -> None:
    assert type_label("ASSAULT") == "ASSAULT (attack)"
    assert type_label(None) == "no type"

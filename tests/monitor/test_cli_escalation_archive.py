"""``sitroom escalation`` on an archive (no event near today): runs as of the newest event and
says so in one line, instead of an empty table; a missing baseline prints '-', not 'None'."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sitroom.cli import cli
from tests.monitor.test_cli_monitor import TODAY, populate


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_an_archive_is_shown_as_of_its_newest_event_and_the_line_says_so(db_url: str) -> None:
    populate(db_url)
    code, out, err = run("escalation", "--db", db_url)
    assert code == 0 and "ceasefire: 1 event(s)" in out
    assert err.startswith("escalation: no event in the 14 days to ") and err.endswith(
        "(the newest is of 2026-01-13): shown as of 2026-01-13; --today YYYY-MM-DD for another day\n"
    )
    code, out, err = run(
        "escalation", "--place", "Ariha", "--weekly", "--periods", "2", "--format", "jsonl", "--db", db_url
    )
    assert code == 0 and "the 14 days" in err and "(the newest is of 2026-01-13)" in err
    assert [json.loads(line)["events"] for line in out.splitlines()] == [0, 2]


def test_no_note_with_today_or_with_recent_events(db_url: str) -> None:
    populate(db_url)
    code, out, err = run("escalation", "--today", "2026-06-01", "--db", db_url)
    assert code == 0 and err == "" and "ceasefire" not in out  # asked for: an empty table, no note
    assert run("escalation", "--today", TODAY, "--db", db_url)[2] == ""


def test_a_missing_baseline_is_a_dash(db_url: str) -> None:
    populate(db_url)
    _, out, _ = run("escalation", "--today", TODAY, "--db", db_url)
    assert "None" not in out
    ceasefire = next(line for line in out.splitlines() if "ceasefire" in line)
    assert ceasefire.split()[6:8] == ["-", "-"]  # baseline and change of a de-escalation event

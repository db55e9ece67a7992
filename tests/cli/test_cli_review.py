"""'sitroom review' in-process (CliRunner): each action, the token's role, batches with a bad id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import cli
from tests.api.sample import Sample

REVIEWER = "reviewer-token-0123456789"
READER = "reader-token-0123456789"
ENV = {"SITROOM_TOKENS": f"ana:reviewer:{REVIEWER},rita:reader:{READER}", "SITROOM_TOKEN": None}


def run(*args: str, token: str | None = REVIEWER) -> tuple[int, str, str]:
    env = {**ENV, "SITROOM_TOKEN": token}
    result = CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def listed(db_url: str, *options: str) -> set[str]:
    code, out, _ = run("events", "--db", db_url, "--format", "jsonl", *options)
    assert code == 0
    return {json.loads(line)["id"] for line in out.splitlines()}


def test_dismiss_takes_the_event_out_of_events_and_exports(db_url: str, sample: Sample) -> None:
    code, out, err = run(
        "review", "dismiss", sample.wire, "--db", db_url, "--kind", "duplicate", "--reason", "a copy"
    )
    assert (code, err) == (0, "")
    assert out == f"{sample.wire}: dismiss by ana; now dismissed\n"
    assert listed(db_url) == sample.all - {sample.wire}
    assert listed(db_url, "--review", "dismissed") == {sample.wire}
    code, out, _ = run("export", "--db", db_url, "--format", "jsonl")
    assert sample.wire not in out


def test_correct_then_show_and_log_give_the_correction(db_url: str, sample: Sample) -> None:
    code, out, err = run(
        "review",
        "correct",
        sample.hostile,
        "--db",
        db_url,
        "--type",
        "COERCE",
        "--dead",
        "3",
        "--reason",
        "raid",
    )
    assert (code, err) == (0, ""), err
    assert listed(db_url, "--type", "COERCE") == {sample.hostile}
    code, out, _ = run("show", sample.hostile, "--db", db_url)
    assert "review: corrected  corrected: event_type, size.dead" in out
    assert "ana: event_type ASSAULT -> COERCE; size.dead - -> 3  because: raid" in out
    code, out, _ = run("review", "log", sample.hostile, "--db", db_url, "--format", "jsonl")
    [entry] = [json.loads(line) for line in out.splitlines()]
    assert (entry["reviewer"], entry["action"], entry["reason"]) == ("ana", "correct", "raid")
    assert REVIEWER not in out


def test_confirm_sets_the_status(db_url: str, sample: Sample) -> None:
    code, _, _ = run("review", "confirm", sample.protest, "--db", db_url, "--reason", "seen on video")
    assert code == 0
    assert listed(db_url, "--review", "confirmed") == {sample.protest}


def test_a_bad_id_in_a_batch_is_named_and_the_others_are_reviewed(db_url: str, sample: Sample) -> None:
    code, out, err = run("review", "confirm", "m-none", sample.evac, "--db", db_url, "--reason", "checked")
    assert code == 1
    assert err == "Error: m-none: no event with id 'm-none'\n"
    assert out == f"{sample.evac}: confirm by ana; now confirmed\n"


@pytest.mark.parametrize(
    ("args", "token", "code", "said"),
    [
        (
            ["--reason", "r"],
            READER,
            2,
            "review needs a reviewer's or admin's token: token 'rita' has role reader",
        ),
        (["--reason", "r"], None, 2, "no token given (--token or $SITROOM_TOKEN)"),
        (["--reason", "r"], "guessed-token-000000000", 2, "the token is none of setting tokens or api_token"),
        (["--reason", "  "], REVIEWER, 1, "confirm: a reason is required"),
        ([], REVIEWER, 2, "Missing option '--reason'"),
    ],
)
def test_refused_without_a_reviewer_token_or_a_reason(
    db_url: str, sample: Sample, args: list[str], token: str | None, code: int, said: str
) -> None:
    got, _, err = run("review", "confirm", sample.evac, "--db", db_url, *args, token=token)
    assert got == code and said in err
    assert listed(db_url, "--review", "confirmed") == set()


def test_a_place_is_picked_by_name(db_url: str, sample: Sample, tmp_path: Path) -> None:
    code, _, err = run(
        "review", "correct", sample.hostile, "--db", db_url, "--place", "Ariha, SYR", "--reason", "r"
    )
    assert (code, err) == (0, "")
    assert listed(db_url, "--place", "Ariha") >= {sample.hostile}
    code, _, err = run(
        "review", "correct", sample.hostile, "--db", db_url, "--place", "Nowhereville", "--reason", "r"
    )
    assert code == 1 and "'Nowhereville' is not in the gazetteer" in err


def test_merge_then_split(db_url: str, sample: Sample) -> None:
    code, out, err = run(
        "review", "merge", sample.protest, "--with", sample.evac, "--db", db_url, "--reason", "one"
    )
    assert (code, err) == (0, "")
    code, out, _ = run("show", sample.protest, "--db", db_url)
    assert f"also reported: {sample.evac}" in out and f"merged with {sample.evac}" in out
    code, out, err = run("review", "split", sample.evac, "--db", db_url, "--reason", "two")
    assert (code, err) == (0, "")
    code, out, _ = run("show", sample.protest, "--db", db_url)
    assert f"also reported: {sample.evac}" not in out

"""The command line, driven in-process with click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.cli import DEMO_CORPUS, cli

INTERFACE_ARTICLE_KEYS = {
    "id",
    "url",
    "canonical_url",
    "outlet",
    "title",
    "author",
    "published",
    "language",
    "text",
    "sha256",
    "captured_at",
}


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_twice_changes_nothing_and_syndicated_copy_is_a_sighting(db_url: str) -> None:
    code, _, err = run("ingest", str(DEMO_CORPUS), "--db", db_url)
    assert code == 0, err
    assert "rejected 0" in err and "1 new sighting(s)" in err  # Levant Daily republished the wire copy
    code, _, err = run("ingest", str(DEMO_CORPUS), "--db", db_url)
    assert code == 0
    assert err.strip().startswith("stored 0 new article(s)") and "0 new sighting(s)" in err


def test_articles_jsonl_gives_the_interface_record(db_url: str) -> None:
    run("ingest", str(DEMO_CORPUS), "--db", db_url, "-q")
    code, out, _ = run("articles", "--db", db_url, "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 9
    assert all(set(r) >= INTERFACE_ARTICLE_KEYS for r in records)
    sabah = next(r for r in records if r["outlet"] == "Daily Sabah")
    assert sabah["published"] == "2026-01-10T11:32:00+03:00"
    code, out, _ = run("articles", sabah["id"], "--db", db_url)
    assert code == 0 and "PKK snipers operating from tunnels" in out and "SIGN ME UP" not in out


def test_bad_items_are_named_and_the_batch_goes_on(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "empty.html").write_text("")
    (tmp_path / "nav.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav></body></html>"
    )
    (tmp_path / "broken.html").write_text(
        "<html><body><article><p>"
        + "Fighters shelled the town of Ariha on Monday, officials said. " * 8
        + "<div><span></p></b>"
    )
    stdin = (
        '{"url": "https://x.example/1", "text": "'
        + "A report on fighting in Aleppo. " * 10
        + '"}\n{broken json\n'
    )
    code, _, err = run("ingest", str(tmp_path), "-", "--db", db_url, stdin=stdin)
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("rejected")]
    assert len(lines) == 4
    for name in ("binary.html", "empty.html", "nav.html", "stdin:2"):
        assert sum(name in line for line in lines) == 1, (name, lines)
    assert "stored 2 new article(s)" in err  # the broken-but-readable page and the stdin report
    code, out, _ = run("rejections", "--db", db_url)
    assert code == 0 and len(out.splitlines()) == 4


def test_nothing_stored_is_lost_when_a_later_batch_has_bad_items(db_url: str, tmp_path: Path) -> None:
    run("ingest", str(DEMO_CORPUS), "--db", db_url, "-q")
    (tmp_path / "bad.html.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    code, _, _ = run("ingest", str(tmp_path), "--db", db_url, "-q")
    assert code == 1
    _, out, _ = run("articles", "--db", db_url, "--format", "jsonl")
    assert len(out.splitlines()) == 9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "x.html", "--db", "not-a-url"], "not an SQLAlchemy URL"),
        (["eval", "nosuchstage", "--data", "."], "Invalid value"),
        (["eval", "extraction", "--data", "/nonexistent/folder"], "/nonexistent/folder"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert message in err


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        code, out, _ = run(name, "--help")
        assert code == 0 and (command.help or "").split("\n")[0][:30] in out


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [name for name in cli.commands if f"sitroom {name}" not in readme]
    assert missing == []

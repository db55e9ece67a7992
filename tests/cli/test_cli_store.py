"""The command line and the store's URL: exit 2 and one line, passwords masked, reads make nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sitroom.cli import cli

SECRET = "s3cr3t"

# every command that only reads, with the arguments it needs besides --db
READS = {
    "events": [],
    "show": ["m0"],
    "export": ["--format", "jsonl"],
    "articles": [],
    "rejections": [],
    "escalation": [],
    "protection": [],
    "alerts": [],
    "watch list": [],
    "watch remove": ["w"],
    "sources": [],
    "review dismiss": ["m0", "--kind", "wrong", "--reason", "r"],
    "review confirm": ["m0", "--reason", "r"],
    "review correct": ["m0", "--type", "ASSAULT", "--reason", "r"],
    "review merge": ["m0", "--with", "m1", "--reason", "r"],
    "review split": ["m0", "--reason", "r"],
    "review log": ["m0"],
}
# the commands that make a store where there is none
WRITES = {"ingest", "demo", "recluster", "serve", "watch add", "follow"}


def store_commands(group: click.Group, prefix: str = "") -> Iterator[str]:
    """The names of the commands that open a store (those with --db), subcommands included."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from store_commands(command, f"{prefix}{name} ")
        elif any(param.name == "db" for param in command.params):
            yield f"{prefix}{name}"


def test_every_command_that_opens_a_store_either_reads_it_or_may_make_it() -> None:
    assert sorted(store_commands(cli)) == sorted({*WRITES, *READS})


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (f"postgresql+nodriver://ana:{SECRET}@127.0.0.1/test", "Can't load plugin"),
        (f"postgresql+psycopg://ana:{SECRET}@127.0.0.1:54x2/test", "not a valid URL"),
        (f"postgresql+psycopg://ana:{SECRET}@127.0.0.1:1/test", "cannot connect to store"),
    ],
)
@pytest.mark.parametrize("command", [["ingest", "x.html"], ["events"], ["recluster"]])
def test_a_bad_or_unreachable_store_exits_2_with_one_line_and_no_password(
    command: list[str], url: str, said: str
) -> None:
    code, err = run(*command, "--db", url)
    assert code == 2
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert said in err and SECRET not in err and "ana:***@127.0.0.1" in err


def test_a_db_setting_that_is_no_url_is_named_without_its_password() -> None:
    code, err = run("events", "--db", f"ana:{SECRET}@db.example/x")
    assert (code, err) == (
        2,
        "Error: db '***@db.example/x' is not an SQLAlchemy URL (e.g. sqlite:///sitroom.db)\n",
    )


@pytest.mark.parametrize("command", READS)
def test_a_read_of_a_mistyped_store_makes_no_store_and_exits_2(command: str, tmp_path: Path) -> None:
    db = tmp_path / "typo" / "sitroom.db"
    code, err = run(*command.split(), *READS[command], "--db", f"sqlite:///{db}")
    assert (code, err) == (
        2,
        f"Error: no store at sqlite:///{db}; 'sitroom ingest' or 'sitroom demo' makes one\n",
    )
    assert not (tmp_path / "typo").exists()


def test_a_write_makes_the_store_then_reads_find_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'sitroom.db'}"
    assert run("recluster", "--db", url) == (0, "0 cluster(s) written\n")
    assert run("events", "--db", url)[0] == 0

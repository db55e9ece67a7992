"""Ingest progress (a bar with the total and the time left where the total is known, a running
count otherwise, advanced per item) and ``demo -q`` (only errors and one summary line)."""

from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from sitroom.cli import DEMO_CORPUS, _progress, cli
from sitroom.config import Settings
from sitroom.ingest.sources import count_items
from sitroom.pipeline import Sitroom

DEMO_PAGES = ("demowire-ariha-market-shelling.html", "cityherald-qamishli-protest.html")


def test_the_items_of_files_folders_and_jsonl_are_counted_beforehand(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>x</p>")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text("x")
    (sub / "notes.md").write_text("not read by ingest")
    lines = tmp_path / "reports.jsonl"
    lines.write_text('{"text": "a"}\n\n{"text": "b"}\n' + "x" * 50 + "\n")  # blank: no item
    assert count_items([str(sub)], max_bytes=1000) == 1
    assert count_items([str(tmp_path / "a.html"), str(sub)], max_bytes=1000) == 2
    assert count_items([str(lines)], max_bytes=1000) == 3
    assert count_items([str(lines)], max_bytes=10) == 3  # an over-long line is one item (rejected)
    assert count_items([str(tmp_path / "missing.html")], max_bytes=1000) == 1  # one rejection
    assert count_items([str(tmp_path)], max_bytes=1000) == 5


@pytest.mark.parametrize(
    "source",
    ["-", "https://example.org/feed", "feed.xml", "reports.jsonl.gz", "folder-with-a-feed"],
)
def test_no_total_where_it_is_not_known_before_reading(tmp_path: Path, source: str) -> None:
    (tmp_path / "feed.xml").write_text("<rss/>")
    (tmp_path / "reports.jsonl.gz").write_bytes(gzip.compress(b'{"text": "a"}\n'))
    (tmp_path / "folder-with-a-feed").mkdir()
    (tmp_path / "folder-with-a-feed" / "feed.rss").write_text("<rss/>")
    path = source if source.startswith(("-", "http")) else str(tmp_path / source)
    assert count_items([path], max_bytes=1000) is None


def terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, color_system=None, width=100)


def test_a_known_total_is_a_bar_with_the_count_and_the_time_left() -> None:
    console = terminal()
    with _progress(False, 92, console) as progress:
        assert progress is not None
        for _ in range(4):
            progress(1)
    shown = console.file.getvalue()
    assert "4/92 item(s)" in shown and "left" in shown and "ingesting" in shown


def test_an_unknown_total_is_a_running_count() -> None:
    console = terminal()
    with _progress(False, None, console) as progress:
        assert progress is not None
        progress(0)
        progress(2)
    assert "2 item(s)" in console.file.getvalue()


def test_quiet_or_no_terminal_shows_nothing() -> None:
    with _progress(True, 3, terminal()) as progress:
        assert progress is None
    with _progress(False, 3, Console(file=io.StringIO())) as progress:
        assert progress is None


def test_progress_is_heard_per_item_not_per_batch(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in DEMO_PAGES:
        shutil.copy(DEMO_CORPUS / name, folder / name)
    steps: list[int] = []
    app = Sitroom(Settings(db=f"sqlite:///{tmp_path / 'p.db'}"), create_store=True)
    report = app.ingest([str(folder)], progress=steps.append)
    assert report.stored == 2 and sum(steps) == 2
    assert steps.count(1) == 2  # each article as its analysis is done (a batch holds 64)
    steps.clear()
    app.ingest([str(folder)], progress=steps.append)
    assert sum(steps) == 2  # read before: done at once


def test_demo_quiet_prints_only_one_summary_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["demo", "--no-serve", "-q", "--db", f"sqlite:///{tmp_path / 'demo.db'}"], catch_exceptions=False
    )
    assert result.exit_code == 0 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("stored ") and "event mention(s) extracted" in line

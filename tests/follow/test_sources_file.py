"""The sources file: URL [INTERVAL] [OUTLET NAME], a bad line named and skipped."""

from __future__ import annotations

import pytest

from sitroom.follow.lock import lock_path
from sitroom.follow.sources_file import parse_interval, read_sources
from sitroom.follow.state import SourceSpec


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("90s", 90), ("10m", 600), ("1H", 3600), ("ten", None), ("5d", None)]
)
def test_intervals_are_seconds_or_have_a_unit(text: str, seconds: int | None) -> None:
    assert parse_interval(text) == seconds


def test_a_sources_file_gives_each_line_its_interval_and_outlet_and_names_bad_lines() -> None:
    lines = [
        "# wires",
        "",
        "https://a.example/feed.xml",
        "https://b.example/rss 15m Daily Sabah",
        "https://c.example/page Reuters Africa",
        "example.org/feed.xml",
        "https://d.example/feed 5",
    ]
    read = read_sources(lines, "sources.txt", 300)
    assert read.specs == [
        SourceSpec("https://a.example/feed.xml", 300),
        SourceSpec("https://b.example/rss", 900, "Daily Sabah"),
        SourceSpec("https://c.example/page", 300, "Reuters Africa"),
    ]
    assert read.errors == [
        "sources.txt:6: 'example.org/feed.xml' is not an http(s) URL",
        "sources.txt:7: interval 5 s is under the 10 s floor",
    ]


@pytest.mark.parametrize(
    ("url", "lock"),
    [
        ("sqlite:////var/lib/sitroom/s.db", "/var/lib/sitroom/s.db.follow.lock"),
        ("sqlite:///:memory:", None),
        ("postgresql+psycopg://u@h/db", None),
    ],
)
def test_only_an_sqlite_file_has_a_follower_lock(url: str, lock: str | None) -> None:
    path = lock_path(url)
    assert (str(path) if path else None) == lock

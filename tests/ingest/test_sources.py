"""Acquisition: every kind of source, and every kind of bad item, becomes a document or a rejection."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from sitroom.errors import FetchError
from sitroom.ingest.fetch import Fetched, FetchPolicy
from sitroom.ingest.sources import SourceOptions, iter_sources
from sitroom.models import RawDocument, Rejection

POLICY = FetchPolicy(user_agent="sitroom-test", max_bytes=10_000)
PAGE = (
    b"<html><body><article><p>" + b"Shelling hit a market in Ariha. " * 20 + b"</p></article></body></html>"
)
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Crossing Watch</title>
<item><title>One</title><link>https://news.example/one</link><pubDate>Mon, 12 Jan 2026 07:30:00 +0000</pubDate></item>
<item><title>Two</title><link>https://news.example/two</link></item></channel></rss>"""


def no_network(url: str, policy: FetchPolicy) -> Fetched:
    raise AssertionError(f"unexpected fetch of {url}")


def items(
    sources: list[str], fetcher=no_network, stdin: bytes | None = None
) -> list[RawDocument | Rejection]:
    options = SourceOptions(policy=POLICY, fetcher=fetcher)
    return list(iter_sources(sources, options, stdin=io.BytesIO(stdin) if stdin is not None else None))


def test_folder_is_read_recursively_in_sorted_order_skipping_other_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.html").write_bytes(PAGE)
    (tmp_path / "a.txt").write_text("A plain report.")
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    got = items([str(tmp_path)])
    assert [Path(d.origin).name for d in got] == ["a.txt", "z.html", "c.html.gz"]
    assert [d.kind for d in got if isinstance(d, RawDocument)] == ["text", "html", "html"]
    assert got[2].data == PAGE


def test_jsonl_lines_become_documents_and_bad_lines_rejections(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "url": "https://x.example/1",
                        "html": "<p>hi</p>",
                        "outlet": "X",
                        "published": "2026-01-05",
                    }
                ),
                "{not json",
                json.dumps({"url": "https://x.example/2", "text": "Plain text report."}),
                json.dumps([1, 2]),
                json.dumps({"url": "https://x.example/3", "html": ""}),
            ]
        )
    )
    got = items([str(path)])
    assert [type(i).__name__ for i in got] == [
        "RawDocument",
        "Rejection",
        "RawDocument",
        "Rejection",
        "Rejection",
    ]
    first = got[0]
    assert isinstance(first, RawDocument)
    assert (
        first.origin == f"{path}:1" and first.hints.url == "https://x.example/1" and first.hints.outlet == "X"
    )
    assert first.hints.published == "2026-01-05"
    bad = got[1]
    assert isinstance(bad, Rejection) and bad.origin == f"{path}:2" and bad.code == "bad-json"
    assert "malformed JSON" in bad.reason


def test_stdin_jsonl() -> None:
    got = items(["-"], stdin=b'{"url": "https://x.example/1", "text": "A report."}\n\n')
    assert len(got) == 1 and isinstance(got[0], RawDocument) and got[0].origin == "stdin:1"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("truncated.html.gz", gzip.compress(PAGE)[:40], "gzip"),
        ("huge.html", b"<p>" + b"x" * 20_000 + b"</p>", "too-large"),
        ("notafeed.rss", b"<html><body>nope</body></html>", "not-a-feed"),
        ("empty.jsonl", b"", "empty"),
    ],
)
def test_bad_files_are_rejected_with_a_reason_naming_the_file(
    tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    (rejection,) = items([str(path)])
    assert isinstance(rejection, Rejection)
    assert rejection.code == code
    assert name in rejection.reason and "\n" not in rejection.reason


def test_missing_path_is_a_rejection_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("A report.")
    got = items([str(tmp_path / "nope.html"), str(good)])
    assert isinstance(got[0], Rejection) and got[0].code == "missing"
    assert isinstance(got[1], RawDocument)


def test_feed_entries_are_fetched_with_feed_hints() -> None:
    pages = {"https://news.example/feed": FEED, "https://news.example/one": PAGE}

    def fetcher(url: str, policy: FetchPolicy) -> Fetched:
        if url not in pages:
            raise FetchError(f"{url}: HTTP 404", code="fetch-status")
        return Fetched(
            url=url,
            data=pages[url],
            content_type="application/rss+xml" if url.endswith("feed") else "text/html",
        )

    got = items(["https://news.example/feed"], fetcher=fetcher)
    assert isinstance(got[0], RawDocument)
    assert got[0].hints.outlet == "Crossing Watch" and got[0].hints.title == "One"
    assert got[0].hints.published == "2026-01-12T07:30:00+00:00"
    assert (
        isinstance(got[1], Rejection)
        and got[1].origin == "https://news.example/two"
        and "404" in got[1].reason
    )


def test_local_feed_with_inline_content(tmp_path: Path) -> None:
    body = "<p>" + "The crossing reopened for aid convoys. " * 30 + "</p>"
    feed = f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
    <channel><title>W</title><item><title>T</title><link>https://w.example/1</link>
    <content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>"""
    path = tmp_path / "feed.xml"
    path.write_text(feed)
    (doc,) = items([str(path)])
    assert isinstance(doc, RawDocument) and doc.origin == f"{path}#entry1" and doc.data.decode() == body
    assert doc.hints.url == "https://w.example/1"


def test_a_200_mb_file_is_rejected_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    (rejection,) = items([str(path)])
    assert isinstance(rejection, Rejection) and rejection.code == "too-large"
    assert "209,715,200 bytes" in rejection.reason and "huge.html" in rejection.reason

"""Fuzzing the whole ingest path (issue 21): generated malformed pages (HTML), feeds (RSS, Atom,
RDF) and JSONL lines go through acquisition, extraction, the real spaCy reading, event
extraction and the store (a temporary SQLite file), as ``sitroom ingest`` runs them.

Each generated example is a folder of files ingested in one call. The properties:

- nothing raises (zero crashes): every item is stored or rejected;
- nothing is lost silently: every file is named by a stored sighting or a rejection, unless it
  holds no item at all (a feed without entries, a JSONL file of blank lines) or its items were
  already stored by an earlier example (counted as known) or are URLs whose fetch was refused
  (rejections named by the URL);
- every rejection names its item (the reason starts with the item's origin) and has a code;
- the report adds up with the store (new articles and rejections), and the store stays whole:
  ``PRAGMA integrity_check`` says ok and ``PRAGMA foreign_key_check`` finds nothing.

Links in feeds and URL-only JSONL lines are never fetched: the fetcher answers that the
network is off, which the path rejects like any fetch failure.

By default a few dozen examples run (under a minute with the model loaded). With
``SITROOM_FUZZ_LONG=1`` examples run until at least :data:`LONG_ITEMS` items have gone
through, and the figures are printed (``-s``). Long run, 2026-12-06 (2 shared cores): 10,005
items in 1,153 examples (4,781 files): 205 stored, 1,305 already known, 8,495 rejected, 0
crashes, integrity and foreign-key checks clean; 221 s in all, 74 s of it ingesting.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql

from sitroom.config import load_settings
from sitroom.errors import FetchError, InputError
from sitroom.ingest.feeds import looks_like_feed, parse_feed
from sitroom.ingest.fetch import Fetched, FetchPolicy
from sitroom.ingest.sources import SourceOptions, iter_sources
from sitroom.pipeline import Sitroom

pytestmark = pytest.mark.model

LONG = os.environ.get("SITROOM_FUZZ_LONG") == "1"
# Items (files, feed entries, JSONL lines) the long run sends through at least.
LONG_ITEMS = 10_000
# Examples of the default run: each is a folder of up to 8 files (about 6 items).
SHORT_EXAMPLES = 25
# Examples the long run may draw; once it has sent LONG_ITEMS items the rest return at once.
LONG_EXAMPLES = 5_000
# A small max_bytes, so that over-long lines and pages are cheap to generate.
MAX_BYTES = 16 * 1024

WORDS = [
    "Shelling",
    "hit",
    "the",
    "market",
    "in",
    "Ariha",
    "on",
    "Thursday",
    "killing",
    "seven",
    "civilians",
    "local",
    "officials",
    "said",
    ".",
    "Syrian",
    "government",
    "forces",
    "shelled",
    "Aleppo",
    "Monday",
    "the",
    "YPG",
    "Hamas",
    "protesters",
    "gathered",
    "in",
    "Kyiv",
    "police",
    "arrested",
    "12",
    "people",
    "an",
    "airstrike",
    "killed",
    "two",
    "children",
    "near",
    "Gaza",
    "according",
    "to",
    "witnesses",
    "reportedly",
    "allegedly",
    '"',
    "“",
    "”",
    "«",
    "»",
    "'",
    ",",
    ";",
    ":",
    "(",
    ")",
    "2026",
    "January",
    "3",
    "yesterday",
    "last",
    "week",
]
TAG_SOUP = (
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<div>", "</div>", "<p>", "</p>",
    "<span>", "<b>", "</i>", "<br/>", "<table><tr><td>", "</td></tr>", "<ul><li>", "<article>",
    "<main>", "<nav>", "<script>", "</script>", "<style>p{}</style>", "<!--", "-->", "<![CDATA[",
    "]]>", "<title>", "</title>", "<h1>", "</h1>", "&amp;", "&nbsp;", "&#0;", "&#x110000;", "&bogus;",
    "<meta charset='utf-8'>", "<meta charset=\"bogus-9\">", "<meta charset=utf-16>",
    '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">',
    '<meta property="og:title" content="A title">', '<meta property="article:published_time" content="2026-13-45">',
    '<link rel="canonical" href="javascript:alert(1)">', '<script type="application/ld+json">{"headline": [1, {}]}</script>',
    '<script type="application/ld+json">{"datePublished": "yesterday", "author": {"name": null}}</script>',
    "<svg><foreignObject>", "<math><mi>", "<template>", "<iframe src=x>", "<?php echo 1 ?>", "<!DOCTYPE html>",
    '<div class="newsletter signup">Sign up for our newsletter</div>', "<time datetime='9999-99-99'>",
    "\x00", "\x0c", "\u200b", "\ufeff", "\u202e", "\r\n", "\n\n",
)  # fmt: skip
ENCODINGS = ("utf-8", "utf-8", "cp1252", "latin-1", "utf-16", "shift_jis", "koi8-r", "gb18030")
BINARY_HEADS = (
    b"",
    b"",
    b"",
    b"%PDF-1.4\n",
    b"\x89PNG\r\n\x1a\n",
    b"\x1f\x8b",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"PK\x03\x04",
)
DOCTYPES = (
    "",
    "",
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">',
    '<!DOCTYPE rss [<!ENTITY note "a note"><!ENTITY nbsp "&#160;">]>',
    '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;">]>',
    '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE feed [<!ENTITY % p SYSTEM "https://evil.invalid/x.dtd"> %p;]>',
    "<!DOCTYPE rss [",
)  # fmt: skip


def offline(url: str, policy: FetchPolicy) -> Fetched:
    raise FetchError(f"{url}: the network is off in the fuzz tests", code="offline")


# --- generated inputs -------------------------------------------------------------------------

prose = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
noise = st.text(max_size=40)
fragment = st.one_of(
    prose.map(lambda words: f"<p>{words}.</p>"),
    st.sampled_from(TAG_SOUP),
    noise,
    st.integers(1, 400).map(lambda depth: "<div><span>" * depth),
)


@st.composite
def mangled(draw: st.DrawFn, text: str) -> bytes:
    """``text`` encoded some way, then maybe given a binary head, bytes flipped or cut short."""
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    data = draw(st.sampled_from(BINARY_HEADS)) + data
    for position, value in draw(
        st.lists(st.tuples(st.integers(0, max(0, len(data) - 1)), st.integers(0, 255)), max_size=4)
    ):
        if data:
            data = data[:position] + bytes([value]) + data[position + 1 :]
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, bytes]:
    html = "".join(draw(st.lists(fragment, max_size=30)))
    data = draw(mangled(html))
    kind = draw(st.integers(0, 9))
    if kind == 0:  # compressed, maybe truncated
        packed = gzip.compress(data)
        return ".html.gz", packed[: draw(st.integers(1, len(packed)))] if draw(st.booleans()) else packed
    if kind == 1:
        return ".txt", data
    if kind == 2:  # too large
        return ".html", data + b" " * MAX_BYTES
    return ".html", data


@st.composite
def feeds(draw: st.DrawFn) -> tuple[str, bytes]:
    entries = []
    for index in range(draw(st.integers(0, 4))):
        link = draw(
            st.sampled_from(["", f"https://news.invalid/{index}", "javascript:x", "not a url", "ftp://x/"])
        )
        body = "".join(draw(st.lists(fragment, max_size=8)))
        title = draw(st.one_of(prose, noise, st.just("&note;")))
        date = draw(
            st.sampled_from(
                ["", "Mon, 12 Jan 2026 07:30:00 +0000", "2026-02-30", "yesterday", "Tue, 99 Foo 1900"]
            )
        )
        entries.append((link, body, title, date))
    flavour = draw(st.sampled_from(["rss", "atom", "rdf"]))
    if flavour == "atom":
        items = "".join(
            f'<entry><title>{t}</title><link href="{link}"/><updated>{d}</updated>'
            f'<content type="html"><![CDATA[{body}]]></content></entry>'
            for link, body, t, d in entries
        )
        feed = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(noise)}</title>{items}</feed>'
    elif flavour == "rdf":
        items = "".join(
            f"<item><title>{t}</title><link>{link}</link><description>{body}</description></item>"
            for link, body, t, _ in entries
        )
        feed = f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">{items}</rdf:RDF>'
    else:
        items = "".join(
            f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
            f"<description><![CDATA[{body}]]></description></item>"
            for link, body, t, d in entries
        )
        feed = f'<rss version="{draw(st.sampled_from(["0.91", "2.0", "x"]))}"><channel><title>{draw(noise)}</title>{items}</channel></rss>'
    text = '<?xml version="1.0"?>' + draw(st.sampled_from(DOCTYPES)) + feed
    return draw(st.sampled_from([".rss", ".xml", ".atom"])), draw(mangled(text))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def jsonl_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind <= 3:  # a record, its fields of any type
        record = {
            key: draw(st.one_of(prose, json_values, st.just("")))
            for key in draw(
                st.sets(st.sampled_from(["url", "text", "html", "title", "outlet", "published", "author"]))
            )
        }
        if kind == 0:
            record["text"] = draw(prose)
        if kind == 1:
            record["html"] = "".join(draw(st.lists(fragment, max_size=10)))
        return json.dumps(record, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if kind == 4:  # lone surrogates and escapes JSON allows but UTF-8 does not
        return b'{"text": "A report \\ud800 from \\udfff Ariha said officials.", "title": "\\ud83d"}'
    if kind == 5:
        return draw(st.binary(max_size=60))
    if kind == 6:  # over the cap
        return b'{"text": "' + b"x" * (MAX_BYTES + draw(st.integers(0, 100))) + b'"}'
    if kind == 7:
        return json.dumps(draw(json_values)).encode()
    if kind == 8:  # nested past the JSON parser's recursion limit
        return b'{"text": ' + b"[" * draw(st.integers(500, 5000))
    return b""


@st.composite
def jsonl_files(draw: st.DrawFn) -> tuple[str, bytes]:
    lines = draw(st.lists(jsonl_lines(), min_size=1, max_size=12))
    data = b"\n".join(lines) + draw(st.sampled_from([b"\n", b"", b"\r\n"]))
    if draw(st.integers(0, 7)) == 0:
        return ".jsonl.gz", gzip.compress(data)
    return ".jsonl", data


batches = st.lists(st.one_of(pages(), feeds(), jsonl_files()), min_size=1, max_size=8)


# --- the path and its checks ------------------------------------------------------------------


@dataclass
class Tally:
    examples: int = 0
    files: int = 0
    items: int = 0
    stored: int = 0
    known: int = 0
    rejected: int = 0
    events: int = 0
    seconds: float = 0.0


TALLY = Tally()
STARTED = time.perf_counter()
CODES: Counter[str] = Counter()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Sitroom:
    """One app and store for the whole run: examples add to the same store, as ingests do."""
    folder = tmp_path_factory.mktemp("fuzz")
    app = Sitroom(
        load_settings({}, overrides={"db": f"sqlite:///{folder / 'fuzz.db'}", "max_bytes": MAX_BYTES})
    )
    app.resources  # noqa: B018  # loaded once, before the examples
    return app


def counts(app: Sitroom) -> tuple[int, int]:
    return app.store.count("articles"), app.store.count("rejections")


def has_no_items(path: Path, data: bytes) -> bool:
    """True for a file that holds nothing to ingest: a feed without entries, blank JSONL lines."""
    if path.name.endswith((".jsonl", ".jsonl.gz")):
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        return not data.strip()
    if not looks_like_feed(data):
        return False
    try:
        return not parse_feed(data, str(path))[1]
    except InputError:
        return False


def feed_links_named(path: Path, data: bytes, named: set[str]) -> bool:
    """True for a feed whose entries are links that were fetched (and refused: the network is off)."""
    if not looks_like_feed(data):
        return False
    try:
        entries = parse_feed(data, str(path))[1]
    except InputError:
        return False
    return bool(entries) and all(entry.link in named for entry in entries if entry.link)


def check_store(app: Sitroom) -> None:
    database = app.store.engine.url.database
    assert database
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@settings(
    max_examples=LONG_EXAMPLES if LONG else SHORT_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not LONG,
    database=None,
)
@given(files=batches)
def test_malformed_inputs_are_stored_or_rejected_and_the_store_stays_whole(
    app: Sitroom, files: list[tuple[str, bytes]]
) -> None:
    if LONG and TALLY.items >= LONG_ITEMS:
        return
    folder = Path(tempfile.mkdtemp(prefix="batch-", dir=Path(str(app.store.engine.url.database)).parent))
    paths = []
    for index, (suffix, data) in enumerate(files):
        path = folder / f"f{index}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    articles_before, rejections_before = counts(app)
    started = time.perf_counter()
    items = iter_sources([str(folder)], SourceOptions(policy=app.fetch_policy(), fetcher=offline))
    report = app.ingest_items(items)
    TALLY.seconds += time.perf_counter() - started
    articles_after, rejections_after = counts(app)
    assert articles_after - articles_before == report.stored
    # a rejection already stored (the same unreachable link in an earlier example) is not stored twice
    assert rejections_after - rejections_before <= report.rejected == len(report.errors)
    with app.store.engine.connect() as conn:
        rejected = conn.execute(
            sql("SELECT origin, code, reason FROM rejections WHERE origin LIKE :folder"),
            {"folder": f"{folder}%"},
        ).fetchall()
        seen = conn.execute(
            sql("SELECT origin FROM sightings WHERE origin LIKE :folder"), {"folder": f"{folder}%"}
        )
        named = {origin for (origin,) in seen} | {origin for origin, _, _ in rejected}
    for origin, code, reason in rejected:
        assert code and reason.startswith(origin), (origin, code, reason)
        CODES[code] += 1
    links = {line.split(": ", 1)[0].removeprefix("rejected ") for line in report.errors}
    unnamed = [
        path.name
        for path, (_, data) in zip(paths, files, strict=True)
        if not any(origin == str(path) or origin.startswith((f"{path}:", f"{path}#")) for origin in named)
        and not feed_links_named(path, data, links)
        and not has_no_items(path, data)
    ]
    # an item already in the store (the same text at the same locator in an earlier example)
    # leaves no new row, and a URL-only JSONL line's failed fetch is named by its URL: each
    # such item may account for one file
    elsewhere = sum(1 for origin in links if not origin.startswith(str(folder)))
    assert len(unnamed) <= report.known + elsewhere, f"neither stored nor rejected: {unnamed}"
    check_store(app)
    shutil.rmtree(folder)
    TALLY.examples += 1
    TALLY.files += len(files)
    TALLY.items += report.seen
    TALLY.stored += report.stored
    TALLY.known += report.known + report.sightings
    TALLY.rejected += report.rejected
    TALLY.events += report.events


def test_fuzz_figures() -> None:
    """Prints the run's figures (``pytest -s``); the long run must have reached its size."""
    print(
        f"\nfuzz: {TALLY.examples} examples, {TALLY.files} files, {TALLY.items} items: "
        f"{TALLY.stored} stored, {TALLY.known} already known, {TALLY.rejected} rejected, 0 crashes, "
        f"{TALLY.events} event mentions; ingest {TALLY.seconds:.1f} s of {time.perf_counter() - STARTED:.1f} s in all; rejection codes {dict(CODES.most_common())}"
    )
    assert TALLY.examples > 0
    if LONG:
        assert TALLY.items >= LONG_ITEMS

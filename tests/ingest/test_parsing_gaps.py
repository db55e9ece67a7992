"""Inputs that used to fall through the parsers' gaps (issue 21.7): feeds with a DOCTYPE, pages
nested past libxml2's depth limit, UTF-8 pages with a few broken bytes, over-long JSONL lines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sitroom.ingest import sources
from sitroom.ingest.decode import decode_bytes
from sitroom.ingest.extract import _readability_paragraphs, extract_article, flatten_html
from sitroom.ingest.fetch import Fetched, FetchPolicy
from sitroom.ingest.sources import SourceOptions, iter_sources, now_utc, read_bounded_lines
from sitroom.models import RawDocument, Rejection, SourceHints

CAP = 10_000
OPTIONS = SourceOptions(policy=FetchPolicy(user_agent="sitroom-test", max_bytes=CAP))
BODY = "The crossing reopened for aid convoys on Monday, the ministry said. " * 12
ITEM = (
    f"<item><title>Crossing &note; reopens</title><description><![CDATA[<p>{BODY}</p>]]></description></item>"
)
NETSCAPE = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"\n'
    ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
    '<rss version="0.91"><channel><title>Border Wire</title><link>https://wire.example/</link>'
    "<description>News</description><language>en</language>"
    "<item><title>Crossing reopens</title><link>https://wire.example/1</link></item>"
    "<item><title>Convoy waits</title><link>https://wire.example/2</link></item></channel></rss>"
)


def items_of(path: Path) -> list[RawDocument | Rejection]:
    return list(iter_sources([str(path)], SourceOptions(policy=OPTIONS.policy, fetcher=fetched_page)))


def fetched_page(url: str, policy: FetchPolicy) -> Fetched:
    return Fetched(
        url=url, data=f"<html><body><p>{BODY}</p></body></html>".encode(), content_type="text/html"
    )


@pytest.mark.parametrize("name", ["wire.rss", "wire.xml"])
def test_an_rss_091_feed_with_the_netscape_doctype_is_read_as_a_feed(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(NETSCAPE, encoding="latin-1")
    got = items_of(tmp_path / name)
    assert [type(i).__name__ for i in got] == ["RawDocument", "RawDocument"]
    assert [i.hints.title for i in got if isinstance(i, RawDocument)] == ["Crossing reopens", "Convoy waits"]
    assert all(isinstance(i, RawDocument) and i.hints.outlet == "Border Wire" for i in got)


def test_a_feed_with_an_internal_subset_is_a_feed_and_its_entities_are_not_expanded(tmp_path: Path) -> None:
    feed = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n  <!ENTITY note "EXPANDED">\n  <!ENTITY nbsp "&#160;">\n]>\n'
        f'<rss version="2.0"><channel><title>Border Wire</title>{ITEM}</channel></rss>'
    )
    (tmp_path / "feed.xml").write_text(feed)
    (doc,) = items_of(tmp_path / "feed.xml")
    assert isinstance(doc, RawDocument) and doc.origin.endswith("feed.xml#entry1")
    assert doc.hints.title == "Crossing &note; reopens" and BODY.strip() in doc.data.decode()
    assert b"EXPANDED" not in doc.data and b"<rss" not in doc.data


@pytest.mark.parametrize(
    ("declarations", "entity"),
    [
        ('<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;"><!ENTITY note "&b;&b;&b;&b;">', "b"),
        ('<!ENTITY note SYSTEM "file:///etc/passwd">', "note"),
        ('<!ENTITY % remote SYSTEM "https://evil.example/x.dtd"> %remote;', "remote"),
    ],
)
def test_entity_bombs_and_external_entities_in_a_feed_are_refused(
    tmp_path: Path, declarations: str, entity: str
) -> None:
    feed = f'<?xml version="1.0"?><!DOCTYPE rss [{declarations}]><rss version="2.0"><channel>{ITEM}</channel></rss>'
    (tmp_path / "bomb.rss").write_text(feed)
    (rejection,) = items_of(tmp_path / "bomb.rss")
    assert isinstance(rejection, Rejection) and rejection.code == "unsafe-xml"
    assert rejection.reason.startswith(
        f"{tmp_path / 'bomb.rss'}: the feed's DOCTYPE declares entity '{entity}'"
    )


@pytest.mark.parametrize("depth", [300, 5_000])
def test_a_page_nested_past_libxml2s_depth_limit_keeps_its_paragraphs(depth: int) -> None:
    lead = "Shelling hit the market in Ariha on Thursday, killing seven civilians, local officials said. " * 3
    after = "Rescue teams searched the rubble until dawn, the civil defence said. " * 3
    html = (
        "<html><head><title>Deep</title></head><body>"
        + '<div class="wrap"><span>' * depth
        + f"<p>{lead}</p>"
        + "</span></div>" * depth
        + f"<p>{after}</p></body></html>"
    )
    raw = RawDocument("deep.html", html.encode(), now_utc(), "html", hints=SourceHints())
    article = extract_article(raw)
    assert article.title == "Deep"
    assert article.text == f"{lead.strip()}\n\n{after.strip()}"


def test_flattening_keeps_text_blocks_and_words_apart() -> None:
    html = '<div id="a"><div><p>One <b>bold</b> word</p><div>two</div>three</div></div>'
    assert flatten_html(html) == "\n\n<p>One bold word</p>\ntwo\nthree\n\n"


def test_a_page_declaring_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    body = "<p>Le café du marché a été touché, selon des témoins.</p>" + "<p>Officials said so.</p>" * 20
    data = body.encode()
    page = (
        b'<html><head><meta charset="utf-8"></head><body>'
        + data[:80]
        + b"\xff\xfe"
        + data[80:]
        + b"\x92</body>"
    )
    for content_type in (None, "text/html; charset=UTF-8"):
        text = decode_bytes(page, "p.html", content_type)
        assert "Le café du marché a été touché, selon des témoins." in text
        assert text.count("\ufffd") == 3 and "├" not in text and "Ã" not in text


def test_a_cp1252_page_mislabelled_utf8_is_still_read_as_cp1252() -> None:
    page = '<meta charset="utf-8"><p>Le café du marché a été touché, selon des “témoins”.</p>'.encode(
        "cp1252"
    )
    assert "Le café du marché a été touché, selon des “témoins”." in decode_bytes(page, "p.html")


class ReadSpy(io.BytesIO):
    """Records the longest piece of a line held at once, however the lines are read."""

    longest = 0

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.longest = max(self.longest, len(line))
        return line

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def test_an_over_long_jsonl_line_is_rejected_without_being_read_whole_and_the_next_line_is_read() -> None:
    good = b'{"text": "A short report."}\n'
    stdin = ReadSpy(good + b'{"text": "' + b"x" * (40 * CAP) + b'"}\n' + good)
    got = list(iter_sources(["-"], OPTIONS, stdin=stdin))
    assert [type(i).__name__ for i in got] == ["RawDocument", "Rejection", "RawDocument"]
    rejection = got[1]
    assert isinstance(rejection, Rejection) and rejection.code == "too-large"
    assert (
        rejection.reason == "stdin:2: line of 400,013 bytes exceeds the 10,000-byte cap (setting max_bytes)"
    )
    assert stdin.longest <= CAP + 1


def test_an_over_long_last_line_without_a_newline_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_bytes(b'{"text": "A short report."}\n' + b"y" * (3 * CAP))
    got = list(iter_sources([str(path)], OPTIONS))
    assert isinstance(got[0], RawDocument) and isinstance(got[1], Rejection)
    assert got[1].reason.startswith(f"{path}:2: line of 30,000 bytes exceeds")


def test_bounded_lines_give_short_lines_whole() -> None:
    lines = list(read_bounded_lines(io.BytesIO(b"a\n" + b"b" * 20 + b"\nc"), 10))
    assert lines == [b"a\n", 21, b"c"]


def test_lone_surrogates_in_a_jsonl_line_become_replacement_characters() -> None:
    line = b'{"text": "Shelling hit \\ud800 Ariha.", "title": "Ariha \\udfff", "outlet": "\\ud83d"}\n'
    (doc,) = iter_sources(["-"], OPTIONS, stdin=io.BytesIO(line))
    assert isinstance(doc, RawDocument) and doc.data.decode() == "Shelling hit \ufffd Ariha."
    assert (doc.hints.title, doc.hints.outlet) == ("Ariha \ufffd", "\ufffd")


def test_control_characters_lxml_refuses_are_taken_out_when_decoding() -> None:
    assert (
        decode_bytes(b"<p>a\x08b\x1cc\x0bd\x0ce\x00f</p>" + b" " * 2000, "p.html").rstrip()
        == "<p>abc d ef</p>"
    )


def test_a_deep_page_with_a_control_character_is_read_not_crashed_on() -> None:
    # found by the ingest fuzzer: lxml raised ValueError ("All strings must be XML compatible")
    prose = (
        "Shelling hit the market in Ariha on Thursday, killing seven civilians, local officials said. " * 3
    )
    html = "<div><span>" * 300 + "x\x1cy " + f"<p>{prose}</p>"
    article = extract_article(RawDocument("deep.html", html.encode(), now_utc(), "html", hints=SourceHints()))
    assert article.text.endswith(prose.strip()) and "\x1c" not in article.text


def test_a_feed_that_breaks_feedparser_is_rejected_and_the_next_file_read(tmp_path: Path) -> None:
    # found by the ingest fuzzer: feedparser's lenient parser raised ValueError (chr() arg not
    # in range) on a character reference past U+10FFFF, and the whole ingest stopped
    feed = '<?xml version="1.0"?><rss version="2.0"><channel><item><description>&#x110000;</description></item></channel></rss>'
    (tmp_path / "a.rss").write_text(feed)
    (tmp_path / "b.txt").write_text("A plain report.")
    rejection, doc = items_of(tmp_path)
    assert isinstance(rejection, Rejection) and rejection.code == "bad-feed"
    assert rejection.reason.startswith(
        f"{tmp_path / 'a.rss'}: the feed cannot be parsed (ValueError: chr() arg"
    )
    assert isinstance(doc, RawDocument) and doc.origin == str(tmp_path / "b.txt")


def test_json_nested_too_deep_for_the_parser_is_malformed_json() -> None:
    lines = b"[" * 9_000 + b"\n" + b'{"text": "A short report."}\n'
    rejection, doc = iter_sources(["-"], OPTIONS, stdin=io.BytesIO(lines))
    assert isinstance(rejection, Rejection) and rejection.code == "bad-json" and "stdin:1" in rejection.reason
    assert isinstance(doc, RawDocument)


def test_a_source_whose_reading_breaks_is_rejected_and_the_next_source_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: bytes, content_type: str | None = None) -> bool:
        raise RuntimeError("a bug in a parser\nwith a long story")

    monkeypatch.setattr(sources, "looks_like_feed", broken)
    (tmp_path / "a.xml").write_text("<rss></rss>")
    (tmp_path / "b.txt").write_text("A plain report.")
    rejection, doc = items_of(tmp_path)
    assert isinstance(rejection, Rejection) and rejection.code == "acquire-failed"
    assert (
        rejection.reason
        == f"{tmp_path / 'a.xml'}: reading failed (RuntimeError: a bug in a parser); please report it with the input"
    )
    assert isinstance(doc, RawDocument) and doc.origin == str(tmp_path / "b.txt")


def test_a_page_readability_sums_up_as_nothing_gives_no_paragraphs_instead_of_failing() -> None:
    # found by the ingest fuzzer (16 of 10,015 items): readability's summary of an unclosed
    # <script> page is '<html><head></head></html>', on which lxml's fragment parser asserts
    assert _readability_paragraphs("<script><p>the Aleppo.</p>") == []

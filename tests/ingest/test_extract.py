"""Article extraction: body without boilerplate, metadata, dates, normalised text."""

from __future__ import annotations

import json
import unicodedata
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trafilatura

from sitroom.errors import DecodeError, ExtractionError
from sitroom.ingest.extract import extract_article, normalise_text
from sitroom.ingest.pubdate import find_published, format_datetime, parse_datetime
from sitroom.models import RawDocument, SourceHints, article_id_for, sha256_hex

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"
CAPTURED = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
PARAGRAPH = (
    "Shelling hit the northern district overnight, local officials said, and two schools "
    "that were sheltering displaced families were damaged."
)


def raw_html(data: bytes | str, origin: str = "page.html", **hints: str) -> RawDocument:
    return RawDocument(
        origin=origin,
        data=data.encode() if isinstance(data, str) else data,
        captured_at=CAPTURED,
        kind="html",
        hints=SourceHints(**hints),
    )


def fixture(name: str, **hints: str) -> RawDocument:
    return raw_html((FIXTURES / name).read_bytes(), origin=name, **hints)


@pytest.mark.shared
def test_seed_page_end_to_end() -> None:
    if not SEED.exists():
        pytest.skip("../shared/seed not present")
    expected = json.loads((SEED / "aleppo-2026-01.expected.json").read_text("utf-8"))["article"]
    article = extract_article(fixture_from(SEED / "aleppo-2026-01.html"))
    for snippet in expected["text_must_contain"]:
        assert snippet in article.text
    for snippet in expected["text_must_not_contain"]:
        assert snippet not in article.text
    assert expected["title_contains"] in (article.title or "")
    assert article.outlet == "Daily Sabah"
    assert article.published == "2026-01-10T11:32:00+03:00"
    assert (
        article.canonical_url
        == "https://www.dailysabah.com/politics/turkiye-works-with-syria-to-defuse-aleppo-tensions"
    )
    assert article.language == "en"


def fixture_from(path: Path) -> RawDocument:
    return raw_html(path.read_bytes(), origin=str(path))


def test_boilerplate_inside_the_article_container_is_dropped() -> None:
    article = extract_article(fixture("newsletter-inside-article.html"))
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("A convoy of twenty trucks")
    assert paragraphs[-1].startswith("Humanitarian agencies warned")
    for junk in (
        "cookies",
        "Sign up",
        "newsletter",
        "Subscribe",
        "unsubscribe",
        "Share on",
        "Related stories",
        "Talks over safe passage",
        "Most read",
        "Trucks wait at the checkpoint",
        "All rights reserved",
        "Home",
    ):
        assert junk not in article.text, junk


def test_page_metadata_is_read() -> None:
    article = extract_article(
        fixture(
            "newsletter-inside-article.html",
            url="https://courier.example/world/aid-convoy-reaches-town?ref=rss",
        )
    )
    assert article.title == "Aid convoy reaches besieged town after week of talks"
    assert article.author == "Mara Quinlan"
    assert article.outlet == "The Riverside Courier"
    assert article.url == "https://courier.example/world/aid-convoy-reaches-town?ref=rss"
    assert article.canonical_url == "https://courier.example/world/aid-convoy-reaches-town"
    assert article.published == "2025-11-04T08:15:00-05:00"  # datePublished, not dateModified
    assert article.language == "en"


def test_article_identity_and_provenance() -> None:
    raw = fixture("newsletter-inside-article.html")
    article = extract_article(raw)
    assert article.sha256 == sha256_hex(article.text)
    assert article.id == article_id_for(article.sha256)
    assert article.raw_sha256 == raw.sha256
    assert article.origin == "newsletter-inside-article.html"
    assert article.captured_at == CAPTURED
    assert article.extractor.startswith("sitroom-extract/1 trafilatura/")
    assert extract_article(raw) == article  # deterministic


def test_latin1_page_gives_clean_text_outlet_from_title_and_date() -> None:
    article = extract_article(fixture("latin1-no-charset.html"))
    assert "Les pompiers ont évacué près de deux cents habitants" in article.text
    assert "Ã" not in article.text
    assert article.title == "Les secours évacuent le quartier après l'incendie"
    assert article.outlet == "Le Courrier du Réservoir"
    assert article.language == "fr"
    assert article.published == "2025-03-02"


def test_navigation_only_page_has_no_article() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_article(fixture("navigation-only.html"))
    assert caught.value.code == "no-article"
    assert caught.value.message.startswith("navigation-only.html: no article text")


@pytest.mark.parametrize("data", ["", "   \n\t  ", "<html><head><title>x</title></head><body></body></html>"])
def test_empty_documents_are_refused(data: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_article(raw_html(data, origin="empty.html"))
    assert caught.value.code == "empty"


def test_binary_document_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        extract_article(raw_html(b"\x89PNG\r\n\x1a\n" + bytes(200), origin="photo.html"))


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize("wrap", ["{}", "<p>{}</p>", "<div>{}</div><div>footer</div>"])
def test_fragments_and_tagless_text_labelled_html_are_read(wrap: str) -> None:
    text = f"{PARAGRAPH} {PARAGRAPH.replace('two schools', 'a clinic')}"
    article = extract_article(raw_html(wrap.format(text), origin="fragment.html"))
    assert article.text.startswith("Shelling hit the northern district overnight")


def test_hints_fill_what_the_page_lacks() -> None:
    html = page(f"<p>{PARAGRAPH}</p><p>{PARAGRAPH.replace('two schools', 'a clinic')}</p>")
    article = extract_article(
        raw_html(
            html,
            url="https://www.example-news.org/a/1",
            outlet="Example News",
            title="Schools hit",
            author="A. Writer",
            published="Mon, 05 Jan 2026 14:30:00 +0200",
        )
    )
    assert (article.title, article.author, article.outlet) == ("Schools hit", "A. Writer", "Example News")
    assert article.published == "2026-01-05T14:30:00+02:00"


def test_page_stated_date_wins_over_the_hint_and_domain_is_the_last_outlet() -> None:
    head = '<meta property="article:published_time" content="2026-01-05T09:10:00Z">'
    html = page(f"<p>{PARAGRAPH}</p><p>{PARAGRAPH.replace('two schools', 'a clinic')}</p>", head)
    article = extract_article(raw_html(html, url="https://www.example-news.org/a/1", published="2026-01-06"))
    assert article.published == "2026-01-05T09:10:00+00:00"
    assert article.outlet == "example-news.org"


def test_text_documents_are_normalised_and_keep_hints() -> None:
    text = "First  paragraph\r\nwrapped  here.\u00a0\r\n\r\n\r\n" + "Cafe\u0301 second. " * 10 + "\n \n\n"
    raw = RawDocument(origin="report.txt", data=text.encode(), captured_at=CAPTURED, kind="text")
    article = extract_article(raw)
    assert article.text.split("\n\n")[0] == "First paragraph wrapped here."
    assert article.text.count("\n\n") == 1
    assert unicodedata.is_normalized("NFC", article.text) and "Café second." in article.text
    assert article.title is None and article.published is None
    hinted = RawDocument(
        origin="report.txt",
        data=text.encode(),
        captured_at=CAPTURED,
        kind="text",
        hints=SourceHints(title="Cafe report", published="2026-01-05T07:00:00.000Z"),
    )
    assert (extract_article(hinted).title, extract_article(hinted).published) == (
        "Cafe report",
        "2026-01-05T07:00:00+00:00",
    )


def test_short_text_documents_are_kept_and_blank_ones_refused() -> None:
    short = RawDocument(
        origin="flash.txt", data=b"Explosion reported at the port.", captured_at=CAPTURED, kind="text"
    )
    assert extract_article(short).text == "Explosion reported at the port."
    blank = RawDocument(origin="blank.txt", data=b" \n\n ", captured_at=CAPTURED, kind="text")
    with pytest.raises(ExtractionError) as caught:
        extract_article(blank)
    assert caught.value.code == "empty"


def test_normalisation_is_idempotent_and_has_no_trailing_space() -> None:
    messy = " A\u200b  b \t\n\n\n  c\u00ad d \n\n\n\n e\u0301 "
    once = normalise_text(messy)
    assert once == "A b\n\nc d\n\né"
    assert normalise_text(once) == once


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-10T11:32:00+03:00", "2026-01-10T11:32:00+03:00"),
        ("2026-01-10T08:32:00.000Z", "2026-01-10T08:32:00+00:00"),
        ("2026-01-10T11:32:00+0300", "2026-01-10T11:32:00+03:00"),
        ("2026-01-10 11:32", "2026-01-10T11:32:00"),
        ("2026-01-10T00:00:00", "2026-01-10"),
        ("2026-01-10", "2026-01-10"),
        ("Tue, Sep 15 2020 10:01:41 EDT", "2020-09-15T10:01:41-04:00"),
        ("Sat, 10 Jan 2026 08:32:00 GMT", "2026-01-10T08:32:00+00:00"),
        ("Sat, 10 Jan 2026 11:32:00 +0300", "2026-01-10T11:32:00+03:00"),
    ],
)
def test_machine_dates_keep_time_and_offset(value: str, expected: str) -> None:
    parsed = parse_datetime(value)
    assert parsed is not None
    assert format_datetime(parsed) == expected


@pytest.mark.parametrize("value", ["Tue, Sep 15 2020 10:01:41 IST", "Tue, Sep 15 2020 10:01:41 XYZT"])
def test_unknown_or_ambiguous_zone_keeps_local_time_quietly(value: str) -> None:
    # IST is India, Israel or Ireland: the time stays, no offset is guessed, nothing warns
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parsed = parse_datetime(value)
    assert parsed is not None
    assert format_datetime(parsed) == "2020-09-15T10:01:41"


@pytest.mark.parametrize("value", ["", "yesterday", "n/a", "12345"])
def test_non_dates_are_none(value: str) -> None:
    assert parse_datetime(value) is None


def tree_of(html: str):  # type: ignore[no-untyped-def]
    return trafilatura.load_html(html)


def test_original_date_not_modification_and_future_dates_ignored() -> None:
    ld = {
        "@type": "NewsArticle",
        "dateModified": "2026-01-11T10:00:00+01:00",
        "datePublished": "2026-01-09T18:05:00+01:00",
    }
    head = (
        '<meta property="article:modified_time" content="2026-01-11T10:00:00+01:00">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    assert find_published(tree_of(page("<p>x</p>", head)), latest=CAPTURED) == "2026-01-09T18:05:00+01:00"
    future = '<meta property="article:published_time" content="2031-05-01T10:00:00Z">'
    dated_url = "https://example.org/2026/01/08/story.html"
    assert find_published(tree_of(page("<p>x</p>", future)), dated_url, latest=CAPTURED) == "2026-01-08"


def test_itemprop_time_element_is_read() -> None:
    body = (
        '<p>By staff, <time itemprop="datePublished" datetime="2025-12-30T21:15:00+02:00">30 Dec</time></p>'
    )
    assert find_published(tree_of(page(body)), latest=CAPTURED) == "2025-12-30T21:15:00+02:00"

"""Raw bytes to an :class:`~sitroom.models.Article`: clean body text and page metadata.

``extract_article`` runs these stages over one document:

1. decode the bytes (:mod:`sitroom.ingest.decode`: binary data and bad gzip are refused);
2. parse the HTML once (lxml, through trafilatura's tolerant loader);
3. read the metadata the page states: title, author, outlet, canonical URL, language,
   publication date with time and offset (:mod:`sitroom.ingest.pubdate`);
4. remove blocks that are boilerplate by their class or id (newsletter, cookie consent,
   share bars, related links), the article container included;
5. find the body: trafilatura in precision mode; when that finds little, the one of
   trafilatura's recall mode and readability that reads most like prose;
6. drop paragraphs that are boilerplate by their wording (newsletter, cookie, subscription,
   share and copyright lines) and a first line that repeats the headline;
7. normalise the text so character offsets stay stable: NFC, one space inside a paragraph,
   paragraphs separated by exactly one blank line;
8. fill what the page lacks from the carrier's hints and build the record.

Hints (a JSONL line, a feed entry) fill fields the page lacks. For the publication date,
the rules of ``data/pubdate_rules.tsv`` (chosen and cross-validated on the pubdate dev pages)
win where they apply; otherwise, when there is a hinted date (the feed's own statement), the
date the page states for machines wins over it, and the hint over htmldate's day; htmldate's
day is the last resort, with the page's stated time and offset when they give that day.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement
from readability import Document as ReadabilityDocument

from sitroom.errors import ExtractionError
from sitroom.ingest.decode import decode_bytes
from sitroom.ingest.pubdate import (
    find_published,
    format_datetime,
    parse_datetime,
    read_json_ld,
    read_meta_tags,
)
from sitroom.models import Article, RawDocument, article_id_for, sha256_hex

EXTRACTOR_NAME = "sitroom-extract/1"
# Fewer words of prose than this and the page holds no article (a navigation page, an error
# page, a cookie wall). Short wire items run to 40 words and more. Prose is paragraphs that
# hold a sentence: menus and teaser lists have many words but no sentence ends.
MIN_ARTICLE_WORDS = 25
# A paragraph this long counts as prose even without a sentence end (a long caption-less
# quotation, a paragraph cut by the markup).
PROSE_MIN_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?…؟।]['\"”’»)\]]*(?:\s|$)|[。！？]")
# Below this many words the precision pass may have cut the article: try the recall pass.
# Calibrated on article-extraction dev: 50 keeps the precision gains (F1 0.9645 -> 0.9736).
RECALL_RETRY_WORDS = 50
# A paragraph is judged for boilerplate wording only when it is this short; a long paragraph
# that mentions a newsletter is reporting, not an advert for one.
BOILERPLATE_MAX_WORDS = 40
BOILERPLATE_PATTERNS = re.compile(
    r"""
    \b(?:sign(?:ing)?\s+up|subscribe|subscription|subscriber)\b.{0,80}\b(?:newsletter|e-?mail|inbox|briefing|updates?|alerts?)\b
    | \b(?:newsletter|briefing)\b.{0,80}\b(?:sign\s+up|subscribe|inbox|e-?mail\s+address)\b
    | \bunsubscribe\b
    | \b(?:we|this\s+(?:web)?site)\s+uses?\s+cookies\b
    | \b(?:accept|manage)\s+(?:all\s+)?cookies\b
    | \ball\s+rights\s+reserved\b
    | \bprotected\s+by\s+recaptcha\b
    | ^(?:share|share\s+this(?:\s+article)?|share\s+on\s+\w+|email\s+this\s+article)$
    | ^(?:related|related\s+(?:stories|articles|links|content)|read\s+more|most\s+(?:read|popular)|advertisement)\s*:?$
    | ^(?:related|read\s+more|see\s+also|also\s+read|more\s+on\s+this(?:\s+story)?)\s*:
    | ^(?:\S+\s+){0,4}newsletter$
    """,
    re.IGNORECASE | re.VERBOSE,
)
# class or id words of blocks that are never article text: sign-up and consent boxes, share
# bars, related and recommended links, promotions. Matched on word boundaries of
# class/id values ("Newsletter-container", "related_links", "share-tools").
BOILERPLATE_BLOCK = re.compile(
    r"(?:^|[\s_-])(?:newsletters?|subscribe|subscription|sign-?up|signup|cookies?|consent|gdpr|"
    r"related|recommended|share|sharing|social|promo|outbrain|taboola|advert|"
    r"most-?read|most-?popular|trending|read-?more)(?:$|[\s_-])",
    re.IGNORECASE,
)
# A block matched by class or id is removed only when it holds at most this share of the
# page's text (in characters), so a wrapper with an unlucky class ("post share-enabled") never takes the
# article with it.
BOILERPLATE_BLOCK_MAX_SHARE = 0.2
# libxml2 parses at most this many nested elements; it drops the rest of a deeper page
# (its "excessive depth" error), so a tree that reaches it was cut.
LIBXML2_MAX_DEPTH = 256
_AT_MAX_DEPTH = lxml.etree.XPath("/*" * LIBXML2_MAX_DEPTH)
# Tags that keep their place when a too-deep page is flattened: the document's frame, its
# metadata and the blocks that hold its text; paragraphs and headings cannot nest.
FLAT_KEPT_TAGS = frozenset(
    {"html", "head", "body", "title", "meta", "link", "script", "style", "p", "br", "hr", "pre"}
    | {f"h{level}" for level in range(1, 7)}
)
_INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span"}
    | {"strong", "sub", "sup", "time", "u"}
)
_TAG = re.compile(r"</?([A-Za-z][\w:-]*)[^>]*>")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|::|»)\s+")
# zero-width space, word joiner, BOM, soft hyphen
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_WHITESPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")


def extract_article(raw: RawDocument) -> Article:
    """Turn one acquired document into an article, or raise why it holds none.

    Raises :class:`~sitroom.errors.DecodeError` for binary or undecodable input and
    :class:`~sitroom.errors.ExtractionError` (code ``empty`` or ``no-article``) when there is
    no article text.
    """
    text = decode_bytes(raw.data, raw.origin, raw.content_type)
    if not text.strip():
        raise ExtractionError(f"{raw.origin}: the document is empty", code="empty")
    hints = raw.hints
    url = hints.url or (raw.origin if raw.origin.startswith(("http://", "https://")) else None)
    if raw.kind == "text":
        # Text was handed over as the article: only emptiness refuses it, not brevity.
        body = normalise_text(text)
        if not body:
            raise ExtractionError(f"{raw.origin}: the document holds only invisible characters", code="empty")
        return _build(
            raw,
            body,
            url=url,
            title=hints.title,
            author=hints.author,
            outlet=hints.outlet,
            published=_normalise_hint_date(hints.published),
        )

    tree, text = _parse_html(text)
    if tree is None or not _visible_root(tree).text_content().strip():
        raise ExtractionError(f"{raw.origin}: the page holds no visible text", code="empty")
    meta = read_metadata(tree, url)
    published = find_published(
        tree,
        url,
        raw.captured_at,
        html=text,
        canonical=meta.canonical,
        hint=_normalise_hint_date(hints.published),
    )
    paragraphs = _body_paragraphs(tree, text, meta.title)
    _require_article(paragraphs, raw.origin)
    body = normalise_paragraphs(paragraphs)
    return _build(
        raw,
        body,
        url=url,
        canonical_url=meta.canonical,
        title=meta.title or hints.title,
        author=meta.author or hints.author,
        outlet=meta.outlet or hints.outlet or _domain(meta.canonical or url),
        published=published,
        language=meta.language,
    )


def normalise_text(text: str) -> str:
    """Plain text to sitroom's stable form: paragraphs are split at blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return normalise_paragraphs(_PARAGRAPH_BREAK.split(text))


def normalise_paragraphs(paragraphs: list[str]) -> str:
    """Join paragraphs in sitroom's stable form.

    Unicode NFC, invisible characters removed, every run of whitespace inside a paragraph
    one space, no leading or trailing spaces, empty paragraphs dropped, paragraphs joined
    by exactly one blank line. Deterministic, and idempotent: stored offsets rely on it.
    """
    cleaned = []
    for paragraph in paragraphs:
        paragraph = unicodedata.normalize("NFC", paragraph.translate(_INVISIBLE))
        paragraph = _WHITESPACE.sub(" ", paragraph).strip()
        if paragraph:
            cleaned.append(paragraph)
    return "\n\n".join(cleaned)


def count_prose_words(paragraphs: list[str]) -> int:
    """Words in the paragraphs that read as prose (hold a sentence end, or are long)."""
    total = 0
    for paragraph in paragraphs:
        words = count_words(paragraph)
        if words >= PROSE_MIN_WORDS or _SENTENCE_END.search(paragraph):
            total += words
    return total


def count_words(text: str) -> int:
    """Words in ``text``; each Chinese, Japanese or Korean character counts as one."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + cjk if cjk else len(_WORD.findall(text))


@lru_cache(maxsize=1)
def extractor_versions() -> str:
    """The ``Article.extractor`` value: this extractor and the libraries it runs."""
    parts = [EXTRACTOR_NAME]
    for package in ("trafilatura", "htmldate", "readability-lxml"):
        try:
            parts.append(f"{package.removesuffix('-lxml')}/{version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package.removesuffix('-lxml')}/unknown")
    return " ".join(parts)


# --- body -------------------------------------------------------------------------


def _visible_root(tree: HtmlElement) -> HtmlElement:
    """The <body>, or the whole tree for a fragment parsed without one."""
    body = tree.find("body")
    return body if body is not None else tree


def _parse_html(text: str) -> tuple[HtmlElement | None, str]:
    """The page as an lxml tree (fragments and tag-less text too, which trafilatura's loader
    refuses), with the HTML it was parsed from.

    libxml2 stops at :data:`LIBXML2_MAX_DEPTH` nested elements and drops the rest of the page;
    a tree that reaches that depth is parsed again with every tag but the few that carry text
    structure taken out (:func:`flatten_html`), and that HTML is the page from then on.
    """
    tree = _load_html(text)
    if tree is not None and _AT_MAX_DEPTH(tree):
        flat = flatten_html(text)
        flat_tree = _load_html(flat)
        if flat_tree is not None:
            return flat_tree, flat
    return tree, text


def _load_html(text: str) -> HtmlElement | None:
    tree = trafilatura.load_html(text)
    if tree is not None:
        return tree
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None


def flatten_html(html: str) -> str:
    """``html`` without nesting: the tags of :data:`FLAT_KEPT_TAGS` stay, inline tags go, every
    other tag becomes a line break (so the words either side stay apart)."""

    def replace(tag: re.Match[str]) -> str:
        name = tag.group(1).lower()
        if name in FLAT_KEPT_TAGS:
            return tag.group(0)
        return "" if name in _INLINE_TAGS else "\n"

    return _TAG.sub(replace, html)


def _body_paragraphs(tree: HtmlElement, html: str, title: str | None) -> list[str]:
    _strip_boilerplate_blocks(tree)
    paragraphs = _trafilatura_paragraphs(tree, favor_precision=True)
    if count_prose_words(paragraphs) < RECALL_RETRY_WORDS:
        paragraphs = _choose_body(
            [paragraphs, _trafilatura_paragraphs(tree, favor_precision=False), _readability_paragraphs(html)]
        )
    kept = [p for p in paragraphs if not _is_boilerplate(p)]
    if kept and title and _same_text(kept[0], title):
        kept = kept[1:]  # the headline is the title field, not body text
    return kept


def _choose_body(candidates: list[list[str]]) -> list[str]:
    """The candidate with the highest share of prose among those with enough prose.

    When the precision pass finds little, the recall pass and readability disagree: one
    usually adds menus and link lists (short lines without sentence ends) to the article.
    "Enough" is at least half the prose of the richest candidate.
    """
    richest = max(count_prose_words(c) for c in candidates)
    eligible = [c for c in candidates if count_prose_words(c) * 2 >= richest and c]
    if not eligible:
        return candidates[0]
    return max(eligible, key=lambda c: count_prose_words(c) / max(1, count_words(" ".join(c))))


def _strip_boilerplate_blocks(tree: HtmlElement) -> None:
    """Remove sign-up, consent, share and related-links blocks, wherever they sit."""
    root = _visible_root(tree)
    page_chars = len(root.text_content())
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("body", "article", "main"):
            continue
        label = f"{element.get('class', '')} {element.get('id', '')}"
        if (
            BOILERPLATE_BLOCK.search(label)
            and len(element.text_content()) <= BOILERPLATE_BLOCK_MAX_SHARE * page_chars
        ):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()


def _trafilatura_paragraphs(tree: HtmlElement, *, favor_precision: bool) -> list[str]:
    text = trafilatura.extract(
        tree,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=favor_precision,
        favor_recall=not favor_precision,
        with_metadata=False,
    )
    return text.split("\n") if text else []


def _readability_paragraphs(html: str) -> list[str]:
    try:
        summary = ReadabilityDocument(html).summary(html_partial=True)
        fragment = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # readability raises bare Unparseable/ValueError on odd pages, and lxml an
        # AssertionError ("too many bodies") on its summary of a page that is all script; the stage goes on
        return []
    blocks = fragment.xpath(".//p|.//li|.//h2|.//h3|.//h4|.//blockquote|.//pre|.//td")
    return [block.text_content() for block in blocks] or [fragment.text_content()]


def _is_boilerplate(paragraph: str) -> bool:
    return (
        count_words(paragraph) <= BOILERPLATE_MAX_WORDS
        and BOILERPLATE_PATTERNS.search(paragraph.strip()) is not None
    )


def _same_text(a: str, b: str) -> bool:
    return _WORD.findall(a.lower()) == _WORD.findall(b.lower())


def _require_article(paragraphs: list[str], origin: str) -> None:
    words = count_prose_words(paragraphs)
    if words < MIN_ARTICLE_WORDS:
        raise ExtractionError(
            f"{origin}: no article text found ({words} words of prose, at least {MIN_ARTICLE_WORDS} needed); "
            "the page may be navigation, an index or a cookie wall",
            code="no-article",
        )


# --- metadata ---------------------------------------------------------------------


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about itself, before hints are applied."""

    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    canonical: str | None = None
    language: str | None = None


def read_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Title, author, outlet, canonical URL and language as the page states them.

    Each field takes the first source that has it: Open Graph and ``<meta>``, then JSON-LD,
    then the visible page (``<h1>``, the ``<title>`` and its " | Outlet" suffix).
    """
    metas = read_meta_tags(tree)
    ld = _json_ld_article(tree)
    page_title = _clean(tree.findtext(".//title"))
    title = (
        _clean(metas.get("og:title"))
        or _clean(metas.get("twitter:title"))
        or _clean(_ld_text(ld.get("headline")))
        or _first_heading(tree)
    )
    outlet = (
        _clean(metas.get("og:site_name"))
        or _clean(_ld_name(ld.get("publisher")))
        or _clean(metas.get("application-name"))
        or _title_suffix(page_title, title)
    )
    if not title and page_title:
        title = _title_without_outlet(page_title, outlet)
    return PageMetadata(
        title=title,
        author=_author(tree, metas, ld),
        outlet=outlet,
        canonical=_canonical(tree, metas, url),
        language=_language(tree, metas, ld),
    )


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object with a headline or an author (the article's own record)."""
    return next((node for node in read_json_ld(tree) if "headline" in node or "author" in node), {})


def _ld_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [_ld_name(item) for item in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, dict):
        return _ld_text(value.get("name"))
    return _ld_text(value)


def _author(tree: HtmlElement, metas: dict[str, str], ld: dict[str, Any]) -> str | None:
    for candidate in (
        metas.get("author"),
        metas.get("article:author"),
        metas.get("parsely-author"),
        metas.get("sailthru.author"),
        metas.get("dc.creator"),
    ):
        candidate = _clean(candidate)
        if candidate and not candidate.startswith(("http://", "https://", "/")):
            return candidate
    from_ld = _clean(_ld_name(ld.get("author")))
    if from_ld:
        return from_ld
    for element in tree.xpath('.//*[@rel="author" or @itemprop="author"]'):
        name = _clean(element.text_content())
        if name and count_words(name) <= 6:
            return name
    return None


def _canonical(tree: HtmlElement, metas: dict[str, str], url: str | None) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return _absolute(link.get("href", ""), url)
    og_url = metas.get("og:url")
    return _absolute(og_url, url) if og_url else None


def _absolute(href: str, base: str | None) -> str | None:
    href = href.strip()
    if href.startswith(("http://", "https://")):
        return href
    if base:
        return urljoin(base, href)
    return None


def _language(tree: HtmlElement, metas: dict[str, str], ld: dict[str, Any]) -> str | None:
    """Primary language subtag, lowercased ("en" for "en-GB")."""
    for value in (
        tree.get("lang"),
        tree.get("xml:lang"),
        metas.get("content-language"),
        metas.get("og:locale"),
        _ld_text(ld.get("inLanguage")),
    ):
        if value:
            primary = re.split(r"[-_,;\s]", value.strip())[0].lower()
            if re.fullmatch(r"[a-z]{2,3}", primary):
                return primary
    return None


def _first_heading(tree: HtmlElement) -> str | None:
    for heading in tree.iter("h1"):
        text = _clean(heading.text_content())
        if text:
            return text
    return None


def _title_suffix(page_title: str | None, title: str | None) -> str | None:
    """The outlet in "Headline | Outlet" when the rest is the headline (or there is none)."""
    if not page_title:
        return None
    parts = _TITLE_SEPARATORS.split(page_title)
    if len(parts) < 2:
        return None
    head, suffix = " - ".join(parts[:-1]), parts[-1].strip()
    if title and not (_same_text(head, title) or title.lower().startswith(head.lower())):
        return None
    return suffix if 0 < count_words(suffix) <= 6 else None


def _title_without_outlet(page_title: str, outlet: str | None) -> str:
    parts = _TITLE_SEPARATORS.split(page_title)
    if len(parts) >= 2 and (outlet is None or _same_text(parts[-1], outlet)):
        return " - ".join(parts[:-1])
    return page_title


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = unicodedata.normalize("NFC", _WHITESPACE.sub(" ", value.translate(_INVISIBLE))).strip()
    return value or None


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _normalise_hint_date(value: str | None) -> str | None:
    """A carrier's date (RFC 2822 in feeds, ISO in JSONL) in the form pubdate gives."""
    if not value:
        return None
    parsed = parse_datetime(value)
    return format_datetime(parsed) if parsed is not None else None


def _build(raw: RawDocument, text: str, **fields: str | None) -> Article:
    text_sha = sha256_hex(text)
    return Article(
        id=article_id_for(text_sha),
        text=text,
        sha256=text_sha,
        raw_sha256=raw.sha256,
        origin=raw.origin,
        captured_at=raw.captured_at,
        extractor=extractor_versions(),
        **fields,
    )

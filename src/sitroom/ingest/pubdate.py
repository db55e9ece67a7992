"""Find when a page was first published, with the time and UTC offset when it says so.

The finder runs these steps and stops at the first that gives a date:

1. JSON-LD: ``datePublished`` (then ``dateCreated``) of the page's article-like object;
2. ``<meta>`` tags that name the publication time (``article:published_time`` and kin);
3. elements marked ``itemprop="datePublished"`` (``<time datetime>``, ``<meta content>``);
4. htmldate's heuristics (URL, visible dates, text patterns) with ``original_date`` set,
   which give a day only.

Steps 1-3 are what the publisher states for machines, usually with a time and offset, so
they win over htmldate's guesses (on the pubdate dev set htmldate picks a date from the URL
or from a related item where the JSON-LD is right). Modification dates are never used.
A time written without an offset is kept as local time; a bare midnight is a date only,
because content systems fill ``T00:00:00`` in when they know only the day.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dateutil import parser as dateutil_parser
from htmldate import find_date
from lxml.html import HtmlElement

# Names (of ``property``, ``name`` or ``itemprop``, lowercased) of <meta> tags that carry the
# original publication time, most specific first. From the Open Graph, Dublin Core,
# Parse.ly, Sailthru and schema.org conventions seen on news sites.
PUBLISHED_META_NAMES: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "published_time",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "publication_date",
    "original-publish-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "article:created",
    "date",
    "dc.date",
    "dcterms.date",
)
# schema.org types whose ``datePublished`` dates the page itself (not an image or a video
# embedded in it).
ARTICLE_TYPES: frozenset[str] = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "webpage",
        "report",
        "scholarlyarticle",
        "techarticle",
    }
)
# Earliest plausible publication date of a web page.
MIN_YEAR = 1995
# Offsets of the time-zone abbreviations news sites write in full dates ("10:01:41 EDT");
# ambiguous ones (IST, CST in Asia) are left out and read as local time.
TZ_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "BST": 3600,
    "CET": 3600,
    "CEST": 2 * 3600,
    "EET": 2 * 3600,
    "EEST": 3 * 3600,
    "MSK": 3 * 3600,
    "TRT": 3 * 3600,
}
_YEAR = re.compile(r"(?:19|20)\d\d")
_JSON_LD_XPATH = './/script[@type="application/ld+json"]'
_ITEMPROP_XPATH = './/*[@itemprop="datePublished"]'


def find_published(tree: HtmlElement, url: str | None = None, latest: datetime | None = None) -> str | None:
    """The page's original publication date as ISO 8601, or None.

    ``"2026-01-10T11:32:00+03:00"`` when the page states a time and offset,
    ``"2026-01-10T11:32:00"`` for a local time, ``"2026-01-10"`` when only the day is
    known. ``url`` lets htmldate read dates in the address; dates after ``latest`` (the
    capture time, default now) are impossible and ignored.
    """
    return find_stated_published(tree, latest) or guess_published(tree, url, latest)


def find_stated_published(tree: HtmlElement, latest: datetime | None = None) -> str | None:
    """The publication date the page states for machines (steps 1-3), or None."""
    latest = latest or datetime.now(UTC)
    for raw in _stated_dates(tree):
        found = parse_datetime(raw)
        if found is not None and _plausible(found, latest):
            return format_datetime(found)
    return None


def guess_published(tree: HtmlElement, url: str | None = None, latest: datetime | None = None) -> str | None:
    """htmldate's day (step 4): the URL, visible dates and text patterns; None if nothing."""
    latest = latest or datetime.now(UTC)
    max_date = (latest + timedelta(days=1)).strftime("%Y-%m-%d")
    # The quick search first: the extensive one costs ten times as much.
    for extensive in (False, True):
        day = find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=extensive,
            outputformat="%Y-%m-%d",
            max_date=max_date,
        )
        if day:
            return day
    return None


def parse_datetime(value: str) -> datetime | date | None:
    """Read a machine-written date or date-time; None when it is not one.

    Handles ISO 8601 in its common variants, RFC 2822 and "Tue, Sep 15 2020 10:01:41 EDT".
    A date without a time comes back as a :class:`date`.
    """
    value = value.strip()
    if not _YEAR.search(value):
        return None
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        pass
    try:
        return dateutil_parser.parse(value, tzinfos=_zone_offset)
    except (ValueError, OverflowError, TypeError):
        return None


def _zone_offset(name: str | None, offset: int | None) -> int | None:
    """dateutil's ``tzinfos`` hook: the UTC offset, in seconds, of a zone abbreviation in
    :data:`TZ_ABBREVIATIONS`, or the numeric offset written; None (local time) for any other
    name, such as IST (India, Israel or Ireland): the time is kept, the offset not guessed."""
    return TZ_ABBREVIATIONS.get(name or "", offset)


def format_datetime(value: datetime | date) -> str:
    """ISO 8601 text: a day, a local time, or a time with its UTC offset."""
    if not isinstance(value, datetime):
        return value.isoformat()
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    return value.replace(microsecond=0).isoformat()


def _plausible(value: datetime | date, latest: datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return day.year >= MIN_YEAR and day <= (latest + timedelta(days=1)).date()


def read_meta_tags(tree: HtmlElement) -> dict[str, str]:
    """First non-empty ``content`` of each <meta>, keyed by lowercased property/name/itemprop/http-equiv."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or ""
        key = key.strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content
    return values


def read_json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every object of the page's JSON-LD, ``@graph`` and ``mainEntity`` included, in page order."""
    objects: list[dict[str, Any]] = []
    for script in tree.xpath(_JSON_LD_XPATH):
        try:
            data = json.loads(script.text_content(), strict=False)
        except ValueError:
            continue  # broken JSON-LD is common; the page's other statements still count
        objects.extend(_json_ld_nodes(data))
    return objects


def _stated_dates(tree: HtmlElement) -> Iterator[str]:
    """Date strings the page states for machines, in order of trust."""
    yield from _json_ld_dates(tree)
    metas = read_meta_tags(tree)
    for name in PUBLISHED_META_NAMES:
        if name in metas:
            yield metas[name]
    for element in tree.xpath(_ITEMPROP_XPATH):
        value = element.get("datetime") or element.get("content") or element.text_content()
        if value:
            yield value


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    articles = [node for node in read_json_ld(tree) if _is_article(node)]
    for key in ("datePublished", "dateCreated"):
        for node in articles:
            if isinstance(node.get(key), str):
                yield node[key]


def _json_ld_nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document, @graph and nested lists included (not values)."""
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _json_ld_nodes(graph)
        main = data.get("mainEntity") or data.get("mainEntityOfPage")
        if isinstance(main, dict):
            yield from _json_ld_nodes(main)


def _is_article(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.lower() in ARTICLE_TYPES for k in kinds)

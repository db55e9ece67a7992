"""Find when a page was first published, with the time and UTC offset when it says so.

htmldate's answer (``find_date(html, url=url, extensive_search=True, original_date=True)``,
a day only) is the default. A small set of rules on top of it may override it, each only where it
applies (:data:`RULES`, in this order):

- ``home_page``: a site's home page (its address has no path) has no publication date;
- ``stated``: the date the page states for machines: JSON-LD ``datePublished`` (then
  ``dateCreated``) of its article-like object, else a ``<meta>`` tag that names the publication
  time (``article:published_time`` ...), else an element marked ``itemprop="datePublished"``.
  A time stated in UTC is read on the outlet's local day (content systems write UTC; a UTC
  night is the evening before in the Americas): the day of the page's address when that is the
  moment's day somewhere news is written (:data:`NEWS_ZONES`), else, before the rule's value,
  an hour, the evening before;
- ``url_date``: a full date written in the address or the canonical address, or the UTC day
  of a post's time the address encodes (a Twitter/X status number);
- ``year_only``: htmldate's 1 January with no other source for it is a bare year: no date.

A rule *applies* to a page where it has an answer (even htmldate's). Which rules are used, and
their parameters, is data: ``data/pubdate_rules.tsv``, chosen by ``scripts/train pubdate`` on
the pubdate dev pages and judged by k-fold cross-validation
(:mod:`sitroom.ingest.pubdate_model`): a rule is kept only when it is right, where it applies,
at least as often as htmldate alone is, with enough pages to show it, and does not lower the
right days; the choice is judged on pages it was not made on. When a day comes from htmldate
or the address, the page's stated time and offset are kept if the page states that day
(stated times are usually exact; htmldate and addresses give days).
Modification dates are never used. A time written without an offset is kept as local time;
a bare midnight is a date only, because content systems fill ``T00:00:00`` in when they know
only the day.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as dateutil_parser
from htmldate import find_date
from lxml.html import HtmlElement, tostring

from sitroom.errors import ConfigError

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
# The UTC offsets of the zones news outlets write from, farthest west (Pacific time) to farthest
# east (New Zealand): the local days a UTC time can be on where it was published.
NEWS_ZONES: tuple[timedelta, timedelta] = (timedelta(hours=-8), timedelta(hours=12))
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
# A full date in an address: /2020/08/24/, /2020-08-24, -20200113, _2020_08_24 (year first).
_URL_DATE = re.compile(
    r"(?<![0-9])(?P<year>(?:19|20)\d\d)"
    r"(?:(?P<sep>[/_-])(?P<month>0?[1-9]|1[0-2])(?P=sep)(?P<day>0?[1-9]|[12]\d|3[01])"
    r"|(?P<cmonth>0[1-9]|1[0-2])(?P<cday>0[1-9]|[12]\d|3[01]))(?![0-9])"
)
# Twitter/X status numbers ("snowflakes", since 4 November 2010) start with the post's time:
# milliseconds since the service's epoch, shifted left 22 bits. Older, serial numbers are smaller
# than SNOWFLAKE_MIN (a day after the epoch) and carry no time.
TWEET_HOSTS: frozenset[str] = frozenset({"twitter.com", "x.com"})
SNOWFLAKE_EPOCH = datetime(2010, 11, 4, 1, 42, 54, 657000, tzinfo=UTC)
SNOWFLAKE_MIN = 86_400_000 << 22
_TWEET_PATH = re.compile(r"/[^/]+/status(?:es)?/(\d+)")
_JSON_LD_XPATH = './/script[@type="application/ld+json"]'
_ITEMPROP_XPATH = './/*[@itemprop="datePublished"]'


def find_published(
    tree: HtmlElement,
    url: str | None = None,
    latest: datetime | None = None,
    *,
    html: str | None = None,
    canonical: str | None = None,
    hint: str | None = None,
    rules: Sequence[RuleChoice] | None = None,
) -> str | None:
    """The page's original publication date as ISO 8601, or None.

    ``"2026-01-10T11:32:00+03:00"`` when the page states a time and offset,
    ``"2026-01-10T11:32:00"`` for a local time, ``"2026-01-10"`` when only the day is
    known. ``html`` is the text ``tree`` was parsed from (htmldate reads it; default: the
    tree written out); ``url`` and ``canonical`` are the page's addresses; dates after
    ``latest`` (the capture time, default now) are impossible and ignored. ``hint`` (a
    carrier's date, such as a feed's) comes after the rules and the page's stated date, and
    before htmldate. ``rules`` default to the shipped table.
    """
    page = PageDates(tree, html, (url, canonical), latest or datetime.now(UTC))
    return choose_published(page, load_chooser() if rules is None else rules, hint)


@dataclass(frozen=True)
class RuleChoice:
    """One rule of the chooser, with its parameter (``stated``'s hour) where it has one."""

    name: str
    value: float | None = None


@dataclass(frozen=True)
class Verdict:
    """A rule's answer: a publication date, or None for "this page has no date"."""

    published: str | None


class PageDates:
    """What one page says of its publication date, source by source: the chooser's candidates.

    Each source is read when first asked for (htmldate costs most), once.
    """

    def __init__(
        self, tree: HtmlElement | None, html: str | None, urls: Sequence[str | None], latest: datetime
    ) -> None:
        self.tree = tree
        self.html = html
        self.urls = tuple(u for u in urls if u)
        self.latest = latest

    @cached_property
    def stated(self) -> dict[str, datetime | date]:
        """The first plausible date of each stated source (``json_ld``, ``meta``, ``itemprop``)."""
        found: dict[str, datetime | date] = {}
        if self.tree is None:
            return found
        for source, raw in _stated_dates(self.tree):
            if source not in found:
                value = parse_datetime(raw)
                if value is not None and _plausible(value, self.latest):
                    found[source] = value
        return found

    @cached_property
    def url_day(self) -> date | None:
        """A full date written in the address or the canonical address (year, month, day), or the
        UTC day of the post a Twitter/X status address names."""
        for url in (*self.urls, *self._declared_urls()):
            posted = tweet_time(url)
            if posted is not None and _plausible(posted, self.latest):
                return posted.date()
            for match in _URL_DATE.finditer(urlsplit(url).path):
                month, day_of_month = match["month"] or match["cmonth"], match["day"] or match["cday"]
                try:
                    day = date(int(match["year"]), int(month), int(day_of_month))
                except ValueError:
                    continue
                if _plausible(day, self.latest):
                    return day
        return None

    def _declared_urls(self) -> list[str]:
        """The addresses the page gives itself: ``<link rel="canonical">`` and ``og:url``."""
        if self.tree is None:
            return []
        found = [str(href) for href in self.tree.xpath('//link[@rel="canonical"]/@href')]
        og_url = read_meta_tags(self.tree).get("og:url")
        return [*found, og_url] if og_url else found

    @cached_property
    def htmldate(self) -> str | None:
        """htmldate's day for the page and its address (``extensive_search``, ``original_date``)."""
        source: str | HtmlElement | None = self.html
        if source is None and self.tree is not None:
            source = tostring(self.tree, encoding="unicode")
        if not source:
            return None
        max_date = (self.latest + timedelta(days=1)).strftime("%Y-%m-%d")
        url = self.urls[0] if self.urls else None
        day = find_date(source, url=url, extensive_search=True, original_date=True, max_date=max_date)
        return day or None

    @property
    def home_page(self) -> bool:
        """Whether the page's own address (not its canonical one) is a home page: no path, no query."""
        if not self.urls:
            return False
        parts = urlsplit(self.urls[0])
        return parts.path.strip("/") == "" and not parts.query


def choose_published(page: PageDates, rules: Sequence[RuleChoice], hint: str | None = None) -> str | None:
    """The first verdict of ``rules`` (in :data:`RULES` order); with none, htmldate's day, or
    with a ``hint``, the date the page states, else the hint.

    htmldate's day comes with the page's stated time and offset when the page states that day.
    A rule that answers ``None`` does not apply to the page (a :class:`Verdict` of None is
    "no date").
    """
    verdict = next((v for v in (RULES[rule.name](page, rule.value) for rule in rules) if v is not None), None)
    if verdict is not None:
        if verdict.published and hint and hint[:10] == verdict.published[:10] == verdict.published:
            return hint  # a day the carrier dates too: its time and offset
        return verdict.published
    if hint:
        # two statements of the date: the page's own wins over its carrier's
        stated = next(iter(page.stated.values()), None)
        return format_datetime(stated) if stated is not None else hint
    day = page.htmldate
    return None if day is None else _with_stated_time(page, day)


def _with_stated_time(page: PageDates, day: str) -> str:
    """``day`` with the time and offset the page states for it, if it states that day."""
    for value in page.stated.values():
        if format_datetime(value)[:10] == day:
            return format_datetime(value)
    return day


def tweet_time(url: str) -> datetime | None:
    """The UTC time a Twitter/X status address's number encodes; None for any other address."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("mobile.")
    match = _TWEET_PATH.match(parts.path)
    if host not in TWEET_HOSTS or match is None or int(match[1]) < SNOWFLAKE_MIN:
        return None
    return SNOWFLAKE_EPOCH + timedelta(milliseconds=int(match[1]) >> 22)


def _rule_home_page(page: PageDates, _value: float | None) -> Verdict | None:
    return Verdict(None) if page.home_page else None


def _rule_stated(page: PageDates, value: float | None) -> Verdict | None:
    stated = next(iter(page.stated.values()), None)
    if stated is None:
        return None
    if isinstance(stated, datetime) and stated.utcoffset() == timedelta(0):
        local = _local_day_in_address(stated, page.url_day)
        if local is not None and local != stated.date():
            return Verdict(local.isoformat())
        if local is None and _before_utc_hour(stated, value):
            return Verdict((stated.date() - timedelta(days=1)).isoformat())
    return Verdict(format_datetime(stated))


def _local_day_in_address(moment: datetime, day: date | None) -> date | None:
    """The address's ``day`` when it is the day of the UTC ``moment`` in a zone between the two
    offsets of :data:`NEWS_ZONES` (a content system writes its address on the outlet's local day)."""
    west, east = NEWS_ZONES
    if day is None or not (moment + west).date() <= day <= (moment + east).date():
        return None
    return day


def _before_utc_hour(moment: datetime, hour: float | None) -> bool:
    """Whether ``moment`` is stated in UTC and earlier in its day than ``hour`` (None, 0: never)."""
    if not hour or moment.utcoffset() != timedelta(0):
        return False
    return moment.hour + moment.minute / 60 < hour


def _rule_url_date(page: PageDates, _value: float | None) -> Verdict | None:
    day = page.url_day
    return None if day is None else Verdict(_with_stated_time(page, day.isoformat()))


def _rule_year_only(page: PageDates, _value: float | None) -> Verdict | None:
    day = page.htmldate
    if day is None or not day.endswith("-01-01"):
        return None
    others = [format_datetime(v)[:10] for v in page.stated.values()]
    if page.url_day is not None:
        others.append(page.url_day.isoformat())
    return None if day in others else Verdict(None)


Rule = Callable[[PageDates, float | None], Verdict | None]
# The rules the chooser may use, in the order it applies them (the module's docstring says
# what each does); the table names a subset.
RULES: dict[str, Rule] = {
    "home_page": _rule_home_page,
    "stated": _rule_stated,
    "url_date": _rule_url_date,
    "year_only": _rule_year_only,
}
# Rules that take a number (the ``value`` column), with what it means.
RULE_VALUES: dict[str, str] = {"stated": "the hour, 0-24, before which a UTC time is the evening before"}
CHOOSER_FILE = "pubdate_rules.tsv"
CHOOSER_HEADER = ("rule", "value")


def shipped_chooser_path() -> Path:
    """The packaged table of the rules used on top of htmldate."""
    return Path(__file__).resolve().parent.parent / "data" / CHOOSER_FILE


def load_chooser(path: Path | None = None) -> tuple[RuleChoice, ...]:
    """The rules a chooser table names, in :data:`RULES` order; ConfigError naming a bad row."""
    path = path or shipped_chooser_path()
    return _load_chooser(path)


@cache
def _load_chooser(path: Path) -> tuple[RuleChoice, ...]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the publication-date rules ({exc}); reinstall sitroom"
        ) from exc
    rows = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    if not rows or tuple(rows[0][1].split("\t")) != CHOOSER_HEADER:
        raise ConfigError(
            f"{path}: the first row must be the header {' '.join(CHOOSER_HEADER)!r} (tab-separated)"
        )
    chosen = {}
    for number, line in rows[1:]:
        name, _, raw = line.partition("\t")
        name, raw = name.strip(), raw.strip()
        if name not in RULES:
            raise ConfigError(f"{path}: row {number}: {name!r} is not a rule ({', '.join(RULES)})")
        value = None
        if name in RULE_VALUES:
            try:
                value = float(raw)
            except ValueError:
                raise ConfigError(
                    f"{path}: row {number}: {name} needs a value, {RULE_VALUES[name]}; got {raw!r}"
                ) from None
        elif raw:
            raise ConfigError(f"{path}: row {number}: {name} takes no value; got {raw!r}")
        chosen[name] = RuleChoice(name, value)
    return tuple(chosen[name] for name in RULES if name in chosen)


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


def _stated_dates(tree: HtmlElement) -> Iterator[tuple[str, str]]:
    """Date strings the page states for machines, with their source, in order of trust."""
    for raw in _json_ld_dates(tree):
        yield "json_ld", raw
    metas = read_meta_tags(tree)
    for name in PUBLISHED_META_NAMES:
        if name in metas:
            yield "meta", metas[name]
    for element in tree.xpath(_ITEMPROP_XPATH):
        value = element.get("datetime") or element.get("content") or element.text_content()
        if value:
            yield "itemprop", value


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

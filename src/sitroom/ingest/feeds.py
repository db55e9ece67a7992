"""RSS and Atom feeds: recognise them and turn their entries into documents to ingest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from sitroom.errors import DecodeError, describe_failure
from sitroom.models import SourceHints

# What may come before a feed's root element, one part at a time: the XML declaration and
# other processing instructions, comments, a DOCTYPE (RSS 0.91's Netscape one, or one with an
# internal subset in brackets).
_PROLOG_PART = re.compile(
    rb"\s*(?:<\?.*?\?>|<!--.*?-->|"
    rb"(?P<doctype><!DOCTYPE\s+(?P<name>[^\s\[>]+)(?P<external>[^\[>]*)(?:\[(?P<subset>.*?)\]\s*)?>))",
    re.S | re.I,
)
_FEED_ROOT = re.compile(rb"\s*<(rss|feed|rdf:RDF)\b", re.I)
# How far into a document its prolog is looked through (a DOCTYPE's subset can run long).
PROLOG_BYTES = 64 * 1024
# An entity declaration in a DOCTYPE's internal subset: parameter entity or not, its name, and
# what follows (an external identifier or the quoted value).
_ENTITY_DECL = re.compile(rb"""<!ENTITY\s+(%\s+)?(\S+)\s+(SYSTEM\b|PUBLIC\b|"[^"]*"|'[^']*')""", re.I)
# A reference to an entity in an entity's value (a character reference like &#160; is none).
_ENTITY_REFERENCE = re.compile(rb"[&%][A-Za-z_:][\w.:-]*;")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
# An entry's inline content shorter than this is a teaser: fetch the page instead.
MIN_INLINE_CHARS = 600


@dataclass(frozen=True)
class FeedEntry:
    """One entry: either its page to fetch (``link``) or its inline HTML; ``guid`` is the
    feed's id of it (RSS ``guid``, Atom ``id``) when it gives one."""

    link: str | None
    inline_html: str | None
    hints: SourceHints
    guid: str | None = None


def looks_like_feed(data: bytes, content_type: str | None = None) -> bool:
    """True when the bytes start like an RSS/Atom/RDF document or the server says so."""
    if content_type and content_type.startswith(FEED_TYPES):
        return True
    return _prolog_end(data) is not None


def _prolog_end(data: bytes) -> int | None:
    """Where the root element starts when it is a feed's (``rss``, ``feed``, ``rdf:RDF``)."""
    head = data[:PROLOG_BYTES]
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while (part := _PROLOG_PART.match(head, pos)) and part.end() > pos:
        pos = part.end()
    return pos if _FEED_ROOT.match(head, pos) else None


def _without_internal_subset(data: bytes, origin: str) -> bytes:
    """The feed with its DOCTYPE's internal subset taken out, so that no entity it declares is
    expanded (a reference stays as written). Declarations that expand into other entities or
    load external ones (the "billion laughs" bomb, external entities) are refused."""
    end = _prolog_end(data)
    if end is None:
        return data
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while (part := _PROLOG_PART.match(data, pos, end)) and part.end() > pos:
        subset = part.group("subset")
        if subset is not None:
            for parameter, name, value in _ENTITY_DECL.findall(subset):
                if parameter or value[:1] not in (b'"', b"'") or _ENTITY_REFERENCE.search(value):
                    raise DecodeError(
                        f"{origin}: the feed's DOCTYPE declares entity {name.decode('ascii', 'replace')!r} "
                        "that is external or expands into other entities (an XML bomb?); refused",
                        code="unsafe-xml",
                    )
            doctype = b"<!DOCTYPE " + part.group("name") + part.group("external").rstrip() + b">"
            return data[: part.start("doctype")] + doctype + data[part.end() :]
        pos = part.end()
    return data


def _entry_time(entry: Any) -> str | None:
    """The entry's publication time in ISO 8601 UTC (feedparser normalises it to UTC)."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    year, month, day, hour, minute, second = stamp[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()


def parse_feed(data: bytes, origin: str) -> tuple[str | None, list[FeedEntry]]:
    """Parse a feed; return its title and entries. Raise DecodeError when it is not a feed,
    or when its DOCTYPE declares entities that are external or expand into others."""
    cleaned = _without_internal_subset(data, origin)
    try:
        parsed = feedparser.parse(cleaned)
    except Exception as exc:  # its lenient parser raises on some malformed input (&#x110000;)
        raise DecodeError(
            f"{origin}: the feed cannot be parsed ({describe_failure(exc)})", code="bad-feed"
        ) from exc
    version = parsed.get("version") or ""
    if not version:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise DecodeError(f"{origin}: not an RSS/Atom feed ({reason})", code="not-a-feed")
    outlet = parsed.feed.get("title") or None
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        inline = max(contents, key=len) if contents else None
        if inline is None and not link:
            inline = entry.get("summary") or None
        if inline is not None and len(inline) < MIN_INLINE_CHARS and link:
            inline = None
        entries.append(
            FeedEntry(
                link=link,
                inline_html=inline,
                hints=SourceHints(
                    url=link,
                    outlet=outlet,
                    title=entry.get("title") or None,
                    published=_entry_time(entry),
                    author=entry.get("author") or None,
                ),
                guid=entry.get("id") or None,
            )
        )
    return outlet, entries

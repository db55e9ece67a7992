"""RSS and Atom feeds: recognise them and turn their entries into documents to ingest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from sitroom.errors import DecodeError
from sitroom.models import SourceHints

_FEED_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S | re.I)
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
    return bool(_FEED_ROOT.match(data[:4096].lstrip(b"\xef\xbb\xbf")))


def _entry_time(entry: Any) -> str | None:
    """The entry's publication time in ISO 8601 UTC (feedparser normalises it to UTC)."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    year, month, day, hour, minute, second = stamp[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).isoformat()


def parse_feed(data: bytes, origin: str) -> tuple[str | None, list[FeedEntry]]:
    """Parse a feed; return its title and entries. Raise DecodeError when it is not a feed."""
    parsed = feedparser.parse(data)
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

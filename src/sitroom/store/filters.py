"""The event filter: one typed object for ``sitroom events`` and ``sitroom export``, ``GET
/api/events`` and ``GET /api/export``, and the store that answers them.

An :class:`EventFilter` is valid once made: its values are checked (and normalised) when it
is built, whoever builds it, and a value that means nothing raises
:class:`~sitroom.errors.FilterError` naming the field and, where there are few, the valid
values. :meth:`EventFilter.parse` builds one from text (a query string's values, the CLI's
options); the API's typed parameters build one directly.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal, get_args

from sitroom.errors import FilterError
from sitroom.models import CIVILIAN_PROTECTION_KINDS, PLOVER_TYPES, Status
from sitroom.review import REVIEW_STATES
from sitroom.store.search import parse_query

STATUSES: tuple[str, ...] = get_args(Status)
# The most event records one page of GET /api/events holds.
MAX_PAGE = 1000

BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGITS = re.compile(r"[0-9]{1,9}")
# Background events (sitroom.background): left out (the default), listed with the rest, or alone.
Background = Literal["exclude", "include", "only"]
BACKGROUND_CHOICES: tuple[str, ...] = get_args(Background)


def encode_cursor(key: str) -> str:
    """A page's sort key ("<date>|<id>") as the opaque cursor given out for the next page."""
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The sort key of a cursor; ``ValueError`` for anything that is not one."""
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode()).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"invalid cursor {cursor!r}") from exc


def parse_bbox(value: str) -> BBox:
    """``min_lon,min_lat,max_lon,max_lat`` as four floats, checked."""
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        raise FilterError("bbox", f"{value!r} is not four numbers min_lon,min_lat,max_lon,max_lat") from None
    if len(parts) != 4:
        raise FilterError("bbox", f"{value!r} has {len(parts)} numbers; give min_lon,min_lat,max_lon,max_lat")
    return parts[0], parts[1], parts[2], parts[3]


def _choices(values: tuple[str, ...]) -> str:
    return "valid: " + ", ".join(values)


@dataclass(frozen=True)
class EventFilter:
    """Filters of the event listings and exports; all optional, combined with AND."""

    event_type: str | None = None  # PLOVER type, any case
    status: str | None = None
    actor: str | None = None  # canonical name or mention text, substring; accents, case, spelling folded
    place: str | None = None  # place name (article's or gazetteer's), admin1, ISO3 or country name; folded
    q: str | None = None  # full-text search: words, "phrases", prefix*, all required (store.search)
    bbox: BBox | None = None
    since: date | None = None
    until: date | None = None
    min_sources: int | None = None
    civilian_protection: str | None = None  # a kind, any case
    article_id: str | None = None
    cluster_id: str | None = None
    review: str | None = None  # review status (sitroom.review); without it, every event but the dismissed
    background: Background = "exclude"  # history events (sitroom.background): exclude | include | only
    cursor: str | None = None  # next_cursor of the previous page
    limit: int = 100

    def __post_init__(self) -> None:
        for name in ("event_type", "actor", "place", "q", "article_id", "cluster_id", "review", "cursor"):
            if getattr(self, name) == "":
                object.__setattr__(self, name, None)  # an empty parameter filters nothing
        if self.event_type is not None:
            kind = self.event_type.upper()
            if kind not in PLOVER_TYPES:
                raise FilterError(
                    "event_type", f"{self.event_type!r} is not a PLOVER event type ({_choices(PLOVER_TYPES)})"
                )
            object.__setattr__(self, "event_type", kind)
        if self.q is not None:
            parse_query(self.q)  # raises FilterError for a search without a word or a lone quote
        if self.review is not None and self.review not in REVIEW_STATES:
            raise FilterError("review", f"{self.review!r} is not a review status ({_choices(REVIEW_STATES)})")
        if self.background not in BACKGROUND_CHOICES:
            raise FilterError(
                "background",
                f"{self.background!r} is not a background choice ({_choices(BACKGROUND_CHOICES)})",
            )
        if self.status is not None and self.status not in STATUSES:
            raise FilterError("status", f"{self.status!r} is not a status ({_choices(STATUSES)})")
        if self.civilian_protection is not None:
            kind = self.civilian_protection.lower()
            if kind not in CIVILIAN_PROTECTION_KINDS:
                raise FilterError(
                    "civilian_protection",
                    f"{self.civilian_protection!r} is not a civilian-protection kind ({_choices(CIVILIAN_PROTECTION_KINDS)})",
                )
            object.__setattr__(self, "civilian_protection", kind)
        if self.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
                raise FilterError(
                    "bbox",
                    f"{','.join(map(str, self.bbox))} is not a box: need -180<=min_lon<=max_lon<=180, -90<=min_lat<=max_lat<=90",
                )
        if self.since and self.until and self.since > self.until:
            raise FilterError("until", f"until {self.until} is before since {self.since}")
        if self.min_sources is not None and self.min_sources < 1:
            raise FilterError("min_sources", f"{self.min_sources} is not a count of sources (1 or more)")
        if self.limit < 1:
            raise FilterError("limit", f"{self.limit} is not a page size (1 or more)")
        if self.cursor is not None:
            try:
                key = decode_cursor(self.cursor)
            except ValueError:
                key = ""
            # a cursor is an encoded "<date>|<id>" sort key (encode_cursor); anything else was not given out
            if "|" not in key:
                raise FilterError("cursor", f"{self.cursor!r} is not a cursor given out with a page")

    @classmethod
    def parse(cls, values: Mapping[str, str | None], *, max_limit: int | None = None) -> EventFilter:
        """The filter of text values by field name (a query string's, the CLI's options;
        ``None`` where not given, other names ignored), written the plain way: dates as
        YYYY-MM-DD, counts as digits, the box as four comma-separated numbers. ``max_limit``
        caps ``limit``. Raises FilterError naming the first bad value."""
        given = {name: values[name] for name in FILTER_FIELDS if values.get(name) is not None}
        typed: dict[str, Any] = {}
        for name, text in given.items():
            assert text is not None
            if name == "bbox":
                typed[name] = parse_bbox(text) if text else None
            elif name in ("since", "until"):
                typed[name] = _parse_day(name, text)
            elif name in ("min_sources", "limit"):
                typed[name] = _parse_count(name, text)
            else:
                typed[name] = text
        if max_limit is not None and typed.get("limit", 0) > max_limit:
            raise FilterError("limit", f"{typed['limit']} is more than a page holds ({max_limit})")
        return cls(**typed)


def _parse_day(name: str, text: str) -> date:
    if _ISO_DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise FilterError(name, f"{text!r} is not a date YYYY-MM-DD")


def _parse_count(name: str, text: str) -> int:
    if not _DIGITS.fullmatch(text):
        raise FilterError(name, f"{text!r} is not a whole number")
    return int(text)


FILTER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(EventFilter))

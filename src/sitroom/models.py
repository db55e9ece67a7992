"""Typed records that flow between sitroom's stages.

Every stage takes and returns these frozen dataclasses; no bare dicts cross module
boundaries. The JSON shapes users see (docs/interfaces.md) are produced from them by
``to_record`` helpers in :mod:`sitroom.records`.

Offsets (``start``/``end``) are always character offsets into ``Article.text``,
which never changes once stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, get_args

Precision = Literal["site", "neighbourhood", "city", "admin2", "admin1", "country", "region"]
# "decade" and "century" (value: their first year) only of history: "the 1990s", "the 14th century"
DatePrecision = Literal["day", "week", "month", "year", "decade", "century"]
# Where an event's date comes from: its own text, else (ACLED's convention, precision "week")
# its report's publication day, else the day the report was captured; "review": an analyst's.
DateSource = Literal["text", "story", "report", "capture", "review"]
INFERRED_DATE_SOURCES = frozenset({"report", "capture"})
Day = date  # the type, for annotations in classes whose field ``date`` shadows it
Status = Literal["occurred", "ongoing", "planned", "threatened", "denied", "hypothetical", "unknown"]

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

CivilianProtection = Literal[
    "evacuation",
    "corridor",
    "protected_site",
    "human_shields",
    "civilian_casualties",
    "displacement",
    "aid_access",
]
CIVILIAN_PROTECTION_KINDS: tuple[str, ...] = get_args(CivilianProtection)


def sha256_hex(data: bytes | str) -> str:
    """SHA-256 of bytes, or of a string's UTF-8 encoding, as lowercase hex."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


# --- 1. acquire -------------------------------------------------------------------


@dataclass(frozen=True)
class SourceHints:
    """What the carrier of a document (JSONL line, feed entry) says about it."""

    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class RawDocument:
    """Bytes as acquired, before any interpretation."""

    origin: str  # path, URL, "stdin:<line>", "<file>.jsonl:<line>" ...
    data: bytes
    captured_at: datetime  # UTC
    kind: Literal["html", "text"]
    content_type: str | None = None
    hints: SourceHints = field(default_factory=SourceHints)

    @property
    def sha256(self) -> str:
        return sha256_hex(self.data)


@dataclass(frozen=True)
class Rejection:
    """An input that could not become an article, with the reason (stored, never dropped)."""

    origin: str
    reason: str
    code: str  # short machine-readable reason, e.g. "binary", "empty", "fetch"
    captured_at: datetime
    raw_sha256: str | None = None


# --- 2. extract -------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """A stored news report. ``text`` is immutable; all spans point into it."""

    id: str
    text: str
    sha256: str  # of text
    raw_sha256: str
    origin: str
    captured_at: datetime
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601, with time and offset when known
    language: str | None = None
    extractor: str = ""  # versions of the extractors used

    @property
    def published_date(self) -> date | None:
        if not self.published:
            return None
        try:
            return date.fromisoformat(self.published[:10])
        except ValueError:
            return None


def article_id_for(text_sha256: str) -> str:
    """Articles are identified by their text: a syndicated copy is the same article."""
    return "a" + text_sha256[:15]


@dataclass(frozen=True)
class Sighting:
    """One place an article was seen (an article can be seen at several URLs/outlets)."""

    article_id: str
    origin: str
    url: str | None
    outlet: str | None
    raw_sha256: str
    captured_at: datetime
    published: str | None = None


# --- 3. read ----------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Actor:
    """A normalised actor mention: a group or institution, never a private person.

    ``country`` is ISO 3166-1 alpha-3 or a PLOVER code (IGO, NGO ...); ``sector`` a PLOVER
    sector code (GOV, MIL, COP, SPY, REB, CVL, ...); ``acled_inter`` ACLED's actor type 1-8.
    ``label`` keeps descriptive wording from the text (e.g. "terrorist group") as quoted text
    only: it never sets a sector.
    """

    text: str
    name: str
    start: int = -1
    end: int = -1
    country: str | None = None
    sector: str | None = None
    acled_inter: int | None = None
    members: tuple[str, ...] = ()  # canonical names when the mention names several ("PKK/YPG")
    source: Literal["lexicon", "composed", "unresolved"] = "lexicon"
    label: str | None = None


@dataclass(frozen=True)
class Site:
    """The words an event's clause names its own site by ("a police station", "a restaurant on
    Main Street"), with their character span: kept beside the resolved place, whose coordinates
    are the town's."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Place:
    """A place mention, resolved (``lat``/``lon`` set) or kept unresolved with its text."""

    text: str
    name: str
    start: int = -1
    end: int = -1
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO3
    admin1: str | None = None
    precision: Precision | None = None
    geonameid: int | None = None
    # "geonames", "gazetteer:<id>", "country", "admin1", "focus:<source>",
    # "antecedent:<source>", "unresolved"
    source: str = "unresolved"
    site: Site | None = None  # an event's place only: the site its clause names

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class DateMention:
    """A time expression resolved against the publication date.

    ``kind`` "date" has ``value``/``precision``; a "duration" ("nearly 10 months") has
    ``duration`` in ISO 8601 (P10M) and no value.
    """

    text: str
    start: int
    end: int
    kind: Literal["date", "time", "duration", "set"] = "date"
    value: date | None = None
    precision: DatePrecision | None = None
    timeml: str | None = None  # TimeML value (2026-01-05, 2026-W02, PRESENT_REF, P10M ...)
    modifier: str | None = None  # "early", "late", "nearly", "about" ...


@dataclass(frozen=True)
class Reading:
    """What the reading stage finds in one article."""

    article_id: str
    sentences: tuple[Span, ...]
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    dates: tuple[DateMention, ...] = ()


# --- 4. events and claims ---------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """Who says an event happened: chain from the outlet to the innermost speaker."""

    speaker: str | None
    speaker_type: (
        str | None
    )  # official, security_source, military, armed_group, witness, ngo_un, media, anonymous, outlet
    cue: str | None
    hedge: str | None
    direct_quote: bool
    chain: tuple[str, ...]
    speaker_start: int = -1
    speaker_end: int = -1


@dataclass(frozen=True)
class Count:
    """A conservative count range with the original words ("dozens" -> min 12)."""

    min: int | None
    max: int | None
    text: str


@dataclass(frozen=True)
class Size:
    dead: Count | None = None
    injured: Count | None = None
    displaced: Count | None = None
    arrested: Count | None = None


@dataclass(frozen=True)
class Evidence:
    article_id: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class EventMention:
    """One extracted event in one article, with its evidence and its claim."""

    id: str
    article_id: str
    event_type: str | None
    mode: str | None
    evidence: Evidence
    attribution: Claim
    context: tuple[str, ...] = ()
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    status: Status = "unknown"
    actor: tuple[Actor, ...] = ()
    recipient: tuple[Actor, ...] = ()
    date: date | None = None
    date_precision: DatePrecision | None = None
    date_source: DateSource | None = None
    location: Place | None = None
    size: Size = field(default_factory=Size)
    civilian_protection: tuple[str, ...] = ()
    protected_site: str | None = None
    confidence: float = 0.5

    @property
    def stated_date(self) -> Day | None:
        """The date the event's text (or an analyst) gives; None where ``date`` is only its
        report's day (``date_source`` "report" or "capture")."""
        return None if self.date_source in INFERRED_DATE_SOURCES else self.date


# --- 5. corroborate ---------------------------------------------------------------


@dataclass(frozen=True)
class Contradiction:
    """Reports of one event giving different values of one field. ``disputed``: two of them
    cannot both be right (7 and 9 dead); False for a spread that can ("at least 7" and 9),
    listed so that the reader sees it. ``reports``: (mention id, its value) per report."""

    field: str
    values: tuple[str, ...]
    disputed: bool = True
    reports: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EventCluster:
    """Reports of one real event across articles."""

    id: str
    mention_ids: tuple[str, ...]
    independent_sources: int
    outlets: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    credibility: int | None = None  # Admiralty 1..6
    credibility_basis: str = ""  # what the grade rests on: "2 independent sources: A, B"
    # the conservative dead count (min) and the highest figure a report gives (max), see
    # sitroom.corroborate.tolls; not_counted: why totals leave the event out ("" = counted)
    dead: Count | None = None
    not_counted: str = ""


@dataclass(frozen=True)
class OutletGrade:
    """A user's grade of one outlet, kept in the store (``PUT /api/outlets/{name}``). Fields
    left ``None`` (``domains`` empty) keep the value of the outlet table's row of that name;
    an empty string clears it."""

    name: str
    reliability: str
    country: str | None = None
    group: str | None = None
    domains: tuple[str, ...] = ()
    notes: str | None = None


# --- stages 3-4 together: what analysing one article yields ------------------------


@dataclass(frozen=True)
class Analysis:
    """The reading and the event mentions of one article, written with it in one transaction."""

    reading: Reading
    events: tuple[EventMention, ...] = ()

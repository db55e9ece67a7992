"""The API's pydantic models: the JSON shapes of docs/interfaces.md, for validation and the OpenAPI document.

Records are built by :mod:`sitroom.records` and the store; these models only describe them
at the edge. ``extra="allow"`` keeps fields the records carry beyond the documented ones.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from sitroom.models import DatePrecision, DateSource, Precision, Status


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")


class Entity(Record):
    text: str
    name: str
    country: str | None = None
    sector: str | None = None
    acled_inter: int | None = None


class Site(Record):
    text: str
    start: int = Field(description="character offset of the site's words in the stored article text")
    end: int


class Place(Record):
    text: str
    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    precision: Precision | None = None
    geonameid: int | None = None
    site: Site | None = Field(None, description="an event's site, as its clause names it: 'police station'")


class PlacePick(BaseModel):
    """A gazetteer entry an analyst may pick as an event's place (``GET /api/places``)."""

    id: str = Field(description="the entry id, what POST /api/events/{id}/review takes as location")
    name: str
    kind: str = Field(description="city, admin1, admin2, country, continent, site ...")
    precision: Precision
    country: str | None = Field(description="ISO3")
    admin1: str | None
    lat: float
    lon: float
    population: int
    distance_km: float | None = Field(None, description="from the point asked (lat, lon)")


class Count(Record):
    min: int | None = None
    max: int | None = None
    text: str = ""


class Size(Record):
    dead: Count | None = None
    injured: Count | None = None
    displaced: Count | None = None
    arrested: Count | None = None


class Evidence(Record):
    article_id: str
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    sentence: str
    start: int = Field(description="character offset of the evidence in the stored article text")
    end: int


class Attribution(Record):
    speaker: str | None = None
    speaker_type: str | None = None
    cue: str | None = None
    hedge: str | None = None
    direct_quote: bool = False
    chain: list[str] = Field(description="from the outlet to the innermost speaker")


class ContradictionReport(Record):
    id: str = Field(description="the report (event mention) id")
    value: str


class Contradiction(Record):
    field: str
    values: list[str]
    disputed: bool = Field(
        True, description="false for counts that differ but can all be right ('at least 7' and '9')"
    )
    reports: list[ContradictionReport] = Field([], description="each report's value")


class Event(Record):
    """The event record of docs/interfaces.md (one report of an event, with its cluster's figures)."""

    id: str
    event_type: str | None = None
    mode: str | None = None
    context: list[str] = []
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    status: Status
    actor: list[Entity] = []
    recipient: list[Entity] = []
    date: str | None = None
    date_precision: DatePrecision | None = None
    date_source: DateSource | None = None
    background: bool = Field(
        False,
        description="history, not news: dated more than a year before its report (sitroom.background); "
        "left out of listings, counts and the monitor unless background=include|only",
    )
    location: Place | None = None
    size: Size
    civilian_protection: list[str] = []
    protected_site: str | None = None
    evidence: Evidence
    attribution: Attribution
    cluster_id: str | None = None
    independent_sources: int = 1
    contradictions: list[Contradiction] = []
    credibility: int | None = Field(None, ge=1, le=6, description="Admiralty information credibility")
    confidence: float
    report_ids: list[str] | None = Field(
        None,
        description="group=event listings: the ids of the event's reports matching the filters, this one first",
    )


class EventPage(BaseModel):
    events: list[Event]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last page")


class Article(Record):
    """The article record of docs/interfaces.md (``text`` only on the one-article endpoint)."""

    id: str
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    text: str | None = None
    sha256: str
    captured_at: str


class Sighting(BaseModel):
    origin: str
    url: str | None
    outlet: str | None
    published: str | None
    captured_at: str


class ArticlePage(BaseModel):
    articles: list[Article]
    next_offset: int | None


class ArticleDetail(BaseModel):
    article: Article
    sightings: list[Sighting]
    entity_mentions: list[dict[str, Any]]
    event_ids: list[str]


class Cluster(Record):
    id: str
    mention_ids: list[str]
    independent_sources: int
    outlets: list[str] = []
    speakers: list[str] = []
    contradictions: list[Contradiction] = []
    credibility: int | None = None
    credibility_basis: str = Field(
        "", description="what the grade rests on: 'single source: X', '2 independent sources: X, Y'"
    )
    dead: Count | None = Field(
        None, description="conservative dead (min) and the highest figure a report gives (max)"
    )
    not_counted: str = Field(
        "", description="why totals leave the event out (background, denied, planned ...); empty when counted"
    )
    headline: Event | None = Field(None, description="the earliest report of the event")


class Summary(BaseModel):
    """The figures of the events in view (``GET /api/summary``), each real event (cluster) once."""

    events: int = Field(description="distinct events (clusters) with a report in view")
    reports: int = Field(description="reports (event records) in view")
    places: int = Field(description="distinct place names of the reports")
    dead: int = Field(description="sum of each counted event's conservative (lowest credible) figure")
    dead_high: int = Field(description="sum of the highest figure a report of each counted event gives")
    events_counted: int = Field(
        description="events in the totals: reported as having happened, not background or denied"
    )
    events_with_dead: int = Field(description="counted events whose reports give a credible figure of dead")
    left_out: dict[str, int] = Field(
        description="events left out of the totals, by reason (background, denied, planned ...)"
    )


class ClusterDetail(BaseModel):
    cluster: Cluster
    reports: list[Event] = Field(description="every report of the event, side by side")


class Excerpt(BaseModel):
    before: str
    evidence: str
    after: str


class EventDetail(BaseModel):
    event: Event
    article: Article | None = Field(description="the reporting article, with its full text")
    excerpt: Excerpt | None = Field(description="the evidence with the article text around it")
    cluster: Cluster | None
    reports: list[Event] = Field(description="the other reports of the same event")
    corrections: list[CorrectionEntry] = Field(
        [], description="the analysts' review actions on this event, oldest first (sitroom.review)"
    )


class CorrectionEntry(BaseModel):
    """One entry of the corrections log."""

    id: int | None
    event_id: str
    action: Literal["dismiss", "confirm", "correct", "merge", "split"]
    changes: dict[str, Any] = Field(
        description='correct: {field: {"before": value, "after": value}}; dismiss: {"dismissed": kind}; '
        'merge: {"merged_with": id}; split: {"split_from": cluster id}'
    )
    reason: str
    reviewer: str = Field(description="the name of the token that acted (never its value)")
    created_at: str


class ReviewBody(BaseModel):
    """A review action on one event. ``reason`` is required. ``kind`` is a dismissal's
    (not_event, duplicate, wrong); ``other`` a merge's (their clusters become one; ``split``
    takes the event out of its cluster). A correction gives one or more fields as text: a PLOVER
    type; actor/recipient names separated by ';'; a place name from the gazetteer ('Name,
    ISO3' or an entry id where ambiguous); YYYY-MM-DD; a date precision; tolls as '7' or
    '7-9'; 'none' clears a field."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["dismiss", "confirm", "correct", "merge", "split"]
    reason: str = Field(min_length=1, max_length=2000)
    kind: Literal["not_event", "duplicate", "wrong"] | None = None
    other: str | None = Field(None, description="merge: the id of the other event of the same happening")
    event_type: str | None = None
    actor: str | None = None
    recipient: str | None = None
    location: str | None = None
    date: str | None = None
    date_precision: str | None = None
    dead: str | None = None
    injured: str | None = None
    displaced: str | None = None
    arrested: str | None = None


class ReviewResult(BaseModel):
    event: Event = Field(description="the event as it now is")
    correction: CorrectionEntry


class Rejection(BaseModel):
    origin: str
    code: str
    reason: str
    captured_at: str


def web_url(value: str) -> str:
    """``value`` as an ``http://`` or ``https://`` URL with a host, its scheme in lower case.

    Anything else (a path, a folder, ``-``, ``file://``) would name something on the server
    itself, which the API never reads; it is refused without looking at the filesystem.
    """
    try:
        parts = urlsplit(value.strip())
        scheme, host = parts.scheme.lower(), parts.hostname
    except ValueError:
        scheme, host = "", None
    if scheme not in {"http", "https"} or not host:
        raise ValueError(
            f"{value!r} is not an http:// or https:// URL: the API fetches web pages and feeds only "
            "(send reports themselves as a JSONL body)"
        )
    # rebuilt, so what the pipeline sees starts with exactly "http://" or "https://"
    return urlunsplit(parts._replace(scheme=scheme))


class IngestRequest(BaseModel):
    urls: list[Annotated[str, AfterValidator(web_url)]] = Field(
        min_length=1, max_length=1000, description="http(s) pages or RSS/Atom feeds for the server to fetch"
    )


class IngestResult(Record):
    stored: int
    sightings: int
    known: int
    rejected: int
    events: int = 0
    errors: list[str]


class Outlet(BaseModel):
    name: str
    domains: list[str]
    reliability: str = Field(description="Admiralty source reliability, A (reliable) to F (cannot be judged)")
    country: str | None = None
    group: str | None = Field(
        None, description="syndication group: outlets that share copy count as one source"
    )
    notes: str = ""

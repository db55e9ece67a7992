"""Event mentions, entity mentions and clusters in the store (mixed into :class:`Store`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, get_args

from sqlalchemy import (
    Connection,
    Dialect,
    Engine,
    Text,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    update,
)

from sitroom.background import record_is_background
from sitroom.models import Analysis, Article, EventCluster
from sitroom.records import cluster_from_record, cluster_record, event_record, with_cluster
from sitroom.store import schema as t
from sitroom.store import search
from sitroom.store.filters import EventFilter, decode_cursor, encode_cursor

# How a listing counts: one row per event (cluster) or one per report of an event (mention).
Group = Literal["event", "report"]
GROUPS: tuple[str, ...] = get_args(Group)


@dataclass(frozen=True)
class EventPage:
    records: list[dict[str, Any]]
    next_cursor: str | None


def sort_key(record: Mapping[str, Any]) -> str:
    return f"{record.get('date') or '0000-00-00'}|{record['id']}"


# The ESCAPE character of the LIKE filters: a filter's own % and _ match themselves, not
# any text (an actor filter "%" matched every event).
LIKE_ESCAPE = "/"


def like_escaped(text: str) -> str:
    """``text`` matching itself alone in a LIKE pattern with ``ESCAPE LIKE_ESCAPE``."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def _bars(values: Sequence[str]) -> str:
    """'|a|b|' so that LIKE '%|a|%' matches whole items on every backend."""
    return "|" + "|".join(v.lower() for v in values) + "|" if values else ""


def mention_row(record: Mapping[str, Any], title: str | None = None) -> dict[str, Any]:
    """The ``event_mentions`` row of an event record (``title``: its article's, searched too)."""
    background = record_is_background(record)  # again: an analyst's correction may move the date
    if record.get("background") != background:
        record = {**record, "background": background}
    loc = record.get("location") or {}
    size = record.get("size") or {}
    dead = (size.get("dead") or {}).get("min")
    return {
        "id": record["id"],
        "article_id": record["evidence"]["article_id"],
        "event_type": record["event_type"],
        "status": record["status"],
        "date": date.fromisoformat(record["date"]) if record.get("date") else None,
        "country": loc.get("country"),
        "admin1": loc.get("admin1"),
        "place": loc.get("name"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        **search.event_keys(record, title),
        "civilian_protection": _bars(record.get("civilian_protection") or []),
        "dead_min": dead,
        "cluster_id": record.get("cluster_id"),
        "independent_sources": record.get("independent_sources") or 1,
        "credibility": record.get("credibility"),
        "sort_key": sort_key(record),
        "start": record["evidence"]["start"],
        "review": record.get("review_status") or "unreviewed",
        "background": background,
        "record": record,
    }


class EventStoreMixin:
    engine: Engine
    reader: Engine  # Store's: the engine of the event endpoints' reads
    refresh_statistics: Callable[..., bool]  # Store's
    # Store's (ReviewStoreMixin): records with their corrections log replayed
    _with_corrections: Callable[[Connection, list[dict[str, Any]]], list[dict[str, Any]]]

    def _write_analysis(self, conn: Connection, article: Article, analysis: Analysis) -> None:
        """Replace what the store holds from analysing ``article`` (idempotent)."""
        conn.execute(delete(t.entity_mentions).where(t.entity_mentions.c.article_id == article.id))
        conn.execute(delete(t.event_mentions).where(t.event_mentions.c.article_id == article.id))
        reading = analysis.reading
        entity_rows = (
            [
                {
                    "article_id": article.id,
                    "kind": "actor",
                    "start": a.start,
                    "end": a.end,
                    "text": a.text,
                    "name": a.name,
                    "country": a.country,
                    "record": {
                        "sector": a.sector,
                        "acled_inter": a.acled_inter,
                        "members": list(a.members),
                        "source": a.source,
                        "label": a.label,
                    },
                }
                for a in reading.actors
            ]
            + [
                {
                    "article_id": article.id,
                    "kind": "place",
                    "start": p.start,
                    "end": p.end,
                    "text": p.text,
                    "name": p.name,
                    "country": p.country,
                    "record": {
                        "lat": p.lat,
                        "lon": p.lon,
                        "admin1": p.admin1,
                        "precision": p.precision,
                        "geonameid": p.geonameid,
                        "source": p.source,
                    },
                }
                for p in reading.places
            ]
            + [
                {
                    "article_id": article.id,
                    "kind": "date",
                    "start": d.start,
                    "end": d.end,
                    "text": d.text,
                    "name": d.value.isoformat() if d.value else d.timeml,
                    "country": None,
                    "record": {
                        "kind": d.kind,
                        "precision": d.precision,
                        "timeml": d.timeml,
                        "modifier": d.modifier,
                    },
                }
                for d in reading.dates
            ]
        )
        if entity_rows:
            conn.execute(t.entity_mentions.insert(), entity_rows)
        records = self._with_corrections(conn, [event_record(m, article) for m in analysis.events])
        rows = [mention_row(record, article.title) for record in records]
        if rows:
            conn.execute(t.event_mentions.insert(), rows)

    def entity_mentions(self, article_id: str) -> list[dict[str, Any]]:
        query = (
            select(t.entity_mentions)
            .where(t.entity_mentions.c.article_id == article_id)
            .order_by(t.entity_mentions.c.start, t.entity_mentions.c.kind)
        )
        with self.engine.connect() as conn:
            return [
                {
                    "kind": r.kind,
                    "start": r.start,
                    "end": r.end,
                    "text": r.text,
                    "name": r.name,
                    "country": r.country,
                    **r.record,
                }
                for r in conn.execute(query)
            ]

    def events(self, flt: EventFilter | None = None, group: Group = "report") -> EventPage:
        """Event records, newest first, a page at a time (keyset cursor).

        ``group="event"``: one record per event (cluster; a report of none is an event of its
        own), the report that stands for it among those matching the filter
        (:func:`_representative_first`: not a denial, with a death toll, newest), with ``report_ids``: the ids of all its matching reports, that one first. The limit
        and the cursor then count events, not reports. ``"report"``: every matching report."""
        flt = flt or EventFilter()
        if group == "event":
            return self._event_groups(flt)
        with self.reader.connect() as conn:
            query, params = _event_query(flt, conn.dialect.name, dense=_dense_box(conn, flt))
            rows = conn.execute(query, params).all()
        more = len(rows) > flt.limit
        rows = rows[: flt.limit]
        records = [_json(r.record) for r in rows]
        return EventPage(records, encode_cursor(rows[-1].sort_key) if more and rows else None)

    def _event_groups(self, flt: EventFilter) -> EventPage:
        """:meth:`events` with ``group="event"``: the page's events (:func:`_page_of_events`),
        then their representatives' records."""
        with self.reader.connect() as conn:
            params: dict[str, Any] = {}

            def value(name: str, given: Any) -> Any:
                params[name] = given
                return bindparam(name)

            conditions = _conditions(flt, conn.dialect.name, _dense_box(conn, flt), value)
            below = decode_cursor(flt.cursor) if flt.cursor else None
            groups = _page_of_events(conn, conditions, params, below, flt.limit + 1)
            records_by_id: dict[str, dict[str, Any]] = {}
            c = t.event_mentions.c
            for chunk in chunks([g.report_ids[0] for g in groups]):
                for row in conn.execute(select(c.id, c.record).where(c.id.in_(chunk))):
                    records_by_id[row.id] = _json(row.record)
        more = len(groups) > flt.limit
        groups = groups[: flt.limit]
        records = []
        for group in groups:
            record = records_by_id[group.report_ids[0]]
            record["report_ids"] = list(group.report_ids)
            records.append(record)
        return EventPage(records, encode_cursor(groups[-1].sort_key) if more and groups else None)

    def event_json_page(
        self, flt: EventFilter | None = None, group: Group = "report"
    ) -> tuple[list[str], str | None]:
        """:meth:`events` as the records' stored JSON texts, not decoded: the API sends them as
        they are (a page of 100 decoded, validated and encoded again cost 10 ms of CPU).

        The API's hot path: the statement of each combination of filters is compiled once
        and run on the driver's own cursor, without SQLAlchemy's execution and result layers
        (half the client's CPU time of a page on PostgreSQL: 0.67 -> 0.34 ms)."""
        flt = flt or EventFilter()
        if group == "event":
            page = self._event_groups(flt)
            return [json.dumps(r, ensure_ascii=False) for r in page.records], page.next_cursor
        with self.reader.connect() as conn:
            dense = _dense_box(conn, flt)
            query, params = _event_query(flt, conn.dialect.name, dense=dense, raw=True)
            sql, order, fixed = _compiled(conn.dialect, tuple(sorted(params)), dense, query)
            params.update(fixed)
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(sql, tuple(params[name] for name in order) if order is not None else params)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        more = len(rows) > flt.limit
        rows = rows[: flt.limit]
        return [row[0] for row in rows], encode_cursor(rows[-1][1]) if more and rows else None

    def iter_events(self, flt: EventFilter | None = None, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every matching event record, newest first, in pages (flat memory for exports)."""
        flt = flt or EventFilter()
        cursor = flt.cursor
        while True:
            page = self.events(replace(flt, cursor=cursor, limit=batch))
            yield from page.records
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def count_events(self, flt: EventFilter | None = None, group: Group = "report") -> int:
        """How many events match the filter, whatever its limit and cursor ('100 of 514'):
        reports, or with ``group="event"`` events (clusters) with a matching report."""
        flt = replace(flt or EventFilter(), cursor=None)
        with self.reader.connect() as conn:
            query, params = _event_query(flt, conn.dialect.name, dense=_dense_box(conn, flt))
            del params["page_rows"]
            if group == "event":
                query = query.with_only_columns(_group_key().label("grp"))
            matching = query.order_by(None).limit(None).subquery()
            counted = func.count(func.distinct(matching.c.grp)) if group == "event" else func.count()
            return int(conn.execute(select(counted).select_from(matching), params).scalar_one())

    def event(self, mention_id: str) -> dict[str, Any] | None:
        with self.reader.connect() as conn:
            row = conn.execute(
                select(t.event_mentions.c.record).where(t.event_mentions.c.id == mention_id)
            ).first()
        return _json(row.record) if row else None

    def write_clusters(self, clusters: Sequence[EventCluster], dissolved: Sequence[str] = ()) -> None:
        """Upsert clusters and stamp their figures on their mentions, in one transaction.

        Each mention's record carries its cluster's figures (:func:`with_cluster`), and a
        mention that carries a cluster's id carries that cluster's stored figures (they are
        written together). So a member is stamped again only where its cluster id or its
        cluster's figures change: a cluster that gains a report whose outlet it already
        counts rewrites that report alone, not the hundreds before it. A cluster already
        stored exactly so, every member carrying it, is skipped; the rest are written with
        one batched statement per kind of change (few round-trips on PostgreSQL)."""
        m, e = t.event_mentions.c, t.events.c
        with self.engine.begin() as conn:
            stored = {
                row.id: _json(row.record)
                for chunk in chunks(sorted(c.id for c in clusters))
                for row in conn.execute(select(e.id, e.record).where(e.id.in_(chunk)))
            }
            members = {
                row.id: row
                for chunk in chunks(sorted(k for c in clusters for k in c.mention_ids))
                for row in conn.execute(
                    select(m.id, m.cluster_id, m.sort_key, m.event_type, m.date, m.country, m.admin1).where(
                        m.id.in_(chunk)
                    )
                )
            }
            changed: list[EventCluster] = []
            restamp: dict[str, EventCluster] = {}  # mention id -> its cluster, where its stamp changes
            for cluster in clusters:
                old, new = stored.get(cluster.id), cluster_record(cluster)
                figures_kept = old is not None and _figures(old) == _figures(new)
                moved = [
                    k for k in cluster.mention_ids if k in members and members[k].cluster_id != cluster.id
                ]
                if old == new and not moved:
                    continue  # unchanged (a new mention carries no cluster yet: moved)
                changed.append(cluster)
                restamp.update(
                    (k, cluster) for k in (moved if figures_kept else cluster.mention_ids) if k in members
                )
            gone = sorted({*dissolved, *(c.id for c in changed if c.id in stored)})
            for chunk in chunks(gone):
                conn.execute(delete(t.events).where(e.id.in_(chunk)))
            stamped = [
                {
                    "b_id": row.id,
                    "cluster_id": restamp[row.id].id,
                    "independent_sources": restamp[row.id].independent_sources,
                    "credibility": restamp[row.id].credibility,
                    "record": with_cluster(_json(row.record), restamp[row.id]),
                }
                for chunk in chunks(sorted(restamp))
                for row in conn.execute(select(m.id, m.record).where(m.id.in_(chunk)))
            ]
            if stamped:
                conn.execute(
                    update(t.event_mentions)
                    .where(m.id == bindparam("b_id"))
                    .values(
                        cluster_id=bindparam("cluster_id"),
                        independent_sources=bindparam("independent_sources"),
                        credibility=bindparam("credibility"),
                        record=bindparam("record"),
                    ),
                    stamped,
                )
            rows = []
            for cluster in changed:
                first = min(
                    (members[k] for k in cluster.mention_ids if k in members),
                    key=lambda r: r.sort_key,
                    default=None,
                )
                rows.append(
                    {
                        "id": cluster.id,
                        "event_type": first.event_type if first else None,
                        "date": first.date if first else None,
                        "country": first.country if first else None,
                        "admin1": first.admin1 if first else None,
                        "independent_sources": cluster.independent_sources,
                        "credibility": cluster.credibility,
                        "record": cluster_record(cluster),
                    }
                )
            if rows:
                conn.execute(t.events.insert(), rows)
        if stamped:
            self.refresh_statistics()

    def cluster(self, cluster_id: str) -> EventCluster | None:
        with self.reader.connect() as conn:
            row = conn.execute(select(t.events.c.record).where(t.events.c.id == cluster_id)).first()
        return cluster_from_record(_json(row.record)) if row else None

    def clusters(
        self, limit: int = 100, offset: int = 0, min_sources: int | None = None
    ) -> list[EventCluster]:
        query = (
            select(t.events.c.record)
            .order_by(t.events.c.date.desc(), t.events.c.id)
            .limit(limit)
            .offset(offset)
        )
        if min_sources:
            query = query.where(t.events.c.independent_sources >= min_sources)
        with self.engine.connect() as conn:
            return [cluster_from_record(_json(r.record)) for r in conn.execute(query)]


def _group_key() -> Any:
    """What makes reports one event: their cluster, else the report itself (ids apart)."""
    c = t.event_mentions.c
    return func.coalesce(c.cluster_id, literal("report:") + c.id)


def _representative_first() -> tuple[Any, ...]:
    """The order of an event's reports whose first stands for it in a per-event listing: a
    report of it happening before one denying it, one giving a death toll before one without,
    then the newest (latest date, then highest id)."""
    c = t.event_mentions.c
    return (
        case((c.status == "denied", 1), else_=0),
        case((c.dead_min.is_(None), 1), else_=0),
        c.sort_key.desc(),
    )


# Reports a per-event page reads at each step of its walk, as a multiple of the page's rows
# (most events are one report; one step read a page on the benchmark's 22,000 reports).
WALK_STEP_FACTOR = 2


@dataclass(frozen=True)
class _EventRow:
    """One event of a per-event page: its matching reports' ids, the representative first,
    and the representative's sort key (the event's place in the listing)."""

    sort_key: str
    report_ids: tuple[str, ...]


def _page_of_events(
    conn: Connection, conditions: list[Any], params: dict[str, Any], below: str | None, rows: int
) -> list[_EventRow]:
    """The first ``rows`` events, newest first by their representative (the first of their
    matching reports in :func:`_representative_first`'s order), of those whose representative
    sorts below the cursor key ``below``.

    The matching reports are walked newest first off the sort-key index, a step at a time;
    the matching reports of each cluster met are read by its index. An event not met yet has
    all its matching reports below the walk, so its representative too: once ``rows`` events
    met sort at or above the walk, they are the page. (A window over every matching report
    ranked them all: 114 ms a first page over 22,000 reports on SQLite.)"""
    c = t.event_mentions.c
    step = max(50, rows * WALK_STEP_FACTOR)
    found: dict[str, _EventRow] = {}  # by cluster id, or report id for a report of no cluster
    walk = below
    while True:
        query = select(c.id, c.sort_key, c.cluster_id).where(and_(*conditions))
        if walk is not None:
            query = query.where(c.sort_key < walk)
        reports = conn.execute(query.order_by(c.sort_key.desc()).limit(step), params).all()
        met = sorted({r.cluster_id for r in reports if r.cluster_id and r.cluster_id not in found})
        for chunk in chunks(met):
            members = (
                select(c.id, c.sort_key, c.cluster_id)
                .where(and_(*conditions), c.cluster_id.in_(chunk))
                .order_by(c.cluster_id, *_representative_first())
            )
            by_cluster: dict[str, list[Any]] = {}
            for member in conn.execute(members, params):
                by_cluster.setdefault(member.cluster_id, []).append(member)
            for cluster_id, ranked in by_cluster.items():
                first, others = ranked[0], sorted(ranked[1:], key=lambda m: m.sort_key, reverse=True)
                found[cluster_id] = _EventRow(first.sort_key, (first.id, *(m.id for m in others)))
        for report in reports:
            if not report.cluster_id:
                found[report.id] = _EventRow(report.sort_key, (report.id,))
        if reports:
            walk = reports[-1].sort_key
        done = len(reports) < step
        settled = [
            e
            for e in found.values()
            if (below is None or e.sort_key < below) and (done or walk is None or e.sort_key >= walk)
        ]
        if done or len(settled) >= rows:
            return sorted(settled, key=lambda e: e.sort_key, reverse=True)[:rows]


def _event_query(
    flt: EventFilter, dialect: str, *, dense: bool = False, raw: bool = False
) -> tuple[Any, dict[str, Any]]:
    """The statement of a filter's page of reports (its limit + 1 rows, newest first) and its parameters.

    Values are named parameters, so one combination of filters is one statement, whatever
    the values (event_json_page compiles each once). ``dialect``: the backend's name (the
    full-text condition is its own). ``raw``: the record as JSON text."""
    c = t.event_mentions.c
    params: dict[str, Any] = {"page_rows": flt.limit + 1}

    def value(name: str, given: Any) -> Any:
        params[name] = given
        return bindparam(name)

    conditions = _conditions(flt, dialect, dense, value)
    if flt.cursor:
        conditions.append(c.sort_key < value("cursor", decode_cursor(flt.cursor)))
    query = select(cast(c.record, Text).label("record") if raw else c.record, c.sort_key)
    if conditions:
        query = query.where(and_(*conditions))
    return query.order_by(c.sort_key.desc()).limit(bindparam("page_rows")), params


def _conditions(flt: EventFilter, dialect: str, dense: bool, value: Callable[[str, Any], Any]) -> list[Any]:
    """The conditions of a filter's values but its cursor (``value``: a value's parameter)."""
    c = t.event_mentions.c
    conditions = []
    # a dismissed event is in no answer but those asking for dismissed ones
    if flt.review:
        conditions.append(c.review == value("review", flt.review))
    else:
        conditions.append(c.review != "dismissed")
    if flt.background != "include":
        conditions.append(c.background == value("background", flt.background == "only"))
    if flt.event_type:
        conditions.append(c.event_type == value("event_type", flt.event_type))
    if flt.status:
        conditions.append(c.status == value("status", flt.status))
    if flt.actor:
        pattern = f"%{like_escaped(search.actor_pattern(flt.actor))}%"
        conditions.append(c.actors.like(value("actor", pattern), escape=LIKE_ESCAPE))
    if flt.place:
        # the place's key, or the key of a place it is an alternate name of ("Halab": Aleppo)
        key = search.name_key(flt.place)
        keys = (key, *search.also_known_as(key))
        conditions.append(
            or_(
                *(
                    c.place_keys.like(value(f"place{i or ''}", f"%|{like_escaped(k)}|%"), escape=LIKE_ESCAPE)
                    for i, k in enumerate(keys)
                )
            )
        )
    if flt.q:
        conditions.append(_full_text(dialect, flt.q, value))
    if flt.bbox:
        # a box holding many events is read newest first off the sort_key index, the others
        # off the (lat, lon) index. PostgreSQL chooses well from its joint statistics of
        # (lat, lon) (migration 0004); SQLite, with none, took the (lat, lon) index even for
        # a box holding a quarter of the events, then sorted them all (54 ms a page of 100),
        # so there the box is counted first (_dense_box) and a dense one hidden from it
        lat, lon = (c.lat + 0, c.lon + 0) if dense else (c.lat, c.lon)
        min_lon, min_lat, max_lon, max_lat = flt.bbox
        conditions.append(
            and_(
                lon >= value("min_lon", min_lon),
                lon <= value("max_lon", max_lon),
                lat >= value("min_lat", min_lat),
                lat <= value("max_lat", max_lat),
            )
        )
    # dates as bounds on sort_key ("<date>|<id>", undated events "0000-00-00|<id>"): the
    # newest-first indexes read the page off the range instead of sorting every event of
    # the span. Not on the date column too: PostgreSQL took the two bounds for independent
    # and expected a month to hold 144 of 4,800 events (read and sorted)
    if flt.since or flt.until:
        conditions.append(c.sort_key >= value("first_key", (flt.since or date.min).isoformat()))
    if flt.until:
        conditions.append(c.sort_key < value("end_key", f"{flt.until.isoformat()}~"))  # '|' < '~'
    if flt.min_sources:
        conditions.append(c.independent_sources >= value("min_sources", flt.min_sources))
    if flt.civilian_protection:
        pattern = f"%|{like_escaped(flt.civilian_protection)}|%"
        conditions.append(
            c.civilian_protection.like(value("civilian_protection", pattern), escape=LIKE_ESCAPE)
        )
    if flt.article_id:
        conditions.append(c.article_id == value("article_id", flt.article_id))
    if flt.cluster_id:
        conditions.append(c.cluster_id == value("cluster_id", flt.cluster_id))
    return conditions


def _full_text(dialect: str, query: str, value: Callable[[str, Any], Any]) -> Any:
    """The condition of a full-text search (store.search): the FTS5 table's matches on
    SQLite, the GIN-indexed tsvector of ``search_text`` on PostgreSQL (written as its index is)."""
    terms = [term.with_others() for term in search.parse_query(query)]
    if dialect == "sqlite":
        value("q", search.sqlite_match(terms))
        return text("event_mentions.rowid IN (SELECT rowid FROM event_search WHERE event_search MATCH :q)")
    value("q", search.postgresql_tsquery(terms))
    return text("to_tsvector('simple', event_mentions.search_text) @@ to_tsquery('simple', :q)")


def _compiled(dialect: Dialect, shape: tuple[str, ...], dense: bool, query: Any) -> _Compiled:
    """The SQL text of a raw page statement of this shape (the names of its parameters and
    whether the box is dense), the order of its parameters where the driver takes them by
    position (SQLite) and the values SQLAlchemy adds; compiled the first time the shape is seen."""
    key = (dialect.name, dialect.driver, shape, dense)
    found = _SQL.get(key)
    if found is None:
        compiled = query.compile(dialect=dialect)
        # the values SQLAlchemy added itself (SQLite's OFFSET 0 after a LIMIT parameter)
        fixed = {name: v for name, v in compiled.params.items() if name not in shape and v is not None}
        found = _SQL[key] = (
            compiled.string,
            tuple(compiled.positiontup or ()) if compiled.positional else None,
            fixed,
        )
    return found


# compiled page statements by (dialect, driver, parameter names, dense box): at most one per
# combination of the 12 filters, in practice a few dozen
_Compiled = tuple[str, tuple[str, ...] | None, dict[str, Any]]
_SQL: dict[tuple[str, str, tuple[str, ...], bool], _Compiled] = {}


def _dense_box(conn: Connection, flt: EventFilter) -> bool:
    """Whether the filter's box is dense where that changes the statement (SQLite)."""
    return flt.bbox is not None and conn.dialect.name == "sqlite" and _dense(conn, flt.bbox)


# A bounding box holding at least this many events is dense (see _dense).
DENSE_BBOX_EVENTS = 5000


def _dense(conn: Connection, bbox: tuple[float, float, float, float]) -> bool:
    """Whether a box holds at least DENSE_BBOX_EVENTS events, counted off the (lat, lon)
    index no further than that. Reading newest first until a page is full then takes at most
    limit x (events / DENSE_BBOX_EVENTS) rows; a sparser box is cheaper read off its index
    and sorted (at most DENSE_BBOX_EVENTS rows)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    c = t.event_mentions.c
    inside = (
        select(c.lat)
        .where(c.lat.between(min_lat, max_lat), c.lon.between(min_lon, max_lon))
        .limit(DENSE_BBOX_EVENTS)
        .subquery()
    )
    return bool(conn.execute(select(func.count()).select_from(inside)).scalar_one() >= DENSE_BBOX_EVENTS)


def _figures(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """What :func:`with_cluster` stamps of a cluster record on its mentions."""
    return record["id"], record["independent_sources"], record["contradictions"], record["credibility"]


def _json(value: Any) -> dict[str, Any]:
    """JSON columns come back as dicts (or as text on some drivers)."""
    return json.loads(value) if isinstance(value, str) else dict(value)


class WindowMixin:
    engine: Engine

    def mention_ids_between(self, lo: date, hi: date) -> list[tuple[str, str | None]]:
        """(mention id, cluster id) of the mentions dated in [lo, hi], or undated with their
        article published then, without reading their records."""
        m, a = t.event_mentions.c, t.articles.c
        kept = m.review != "dismissed"  # a dismissed report joins no cluster
        dated = select(m.id, m.cluster_id).where(m.date.between(lo, hi), kept)
        undated = (
            select(m.id, m.cluster_id)
            .select_from(t.event_mentions.join(t.articles, m.article_id == a.id))
            .where(m.date.is_(None), a.published_day.between(lo, hi), kept)
        )
        with self.engine.connect() as conn:
            return [(row.id, row.cluster_id) for query in (dated, undated) for row in conn.execute(query)]

    def mention_records_by_ids(self, mention_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The event records of these mentions (those that exist)."""
        m = t.event_mentions.c
        with self.engine.connect() as conn:
            return [
                _json(r)
                for chunk in chunks(sorted(mention_ids))
                for r in conn.execute(select(m.record).where(m.id.in_(chunk))).scalars()
            ]

    def mention_ids_of_clusters(self, cluster_ids: Sequence[str]) -> list[tuple[str, str | None]]:
        """(mention id, cluster id) of every member of these clusters (ids that are no
        cluster are mention ids), without reading their records."""
        m = t.event_mentions.c
        with self.engine.connect() as conn:
            return [
                (row.id, row.cluster_id)
                for chunk in chunks(sorted(cluster_ids))
                for row in conn.execute(
                    select(m.id, m.cluster_id).where(or_(m.cluster_id.in_(chunk), m.id.in_(chunk)))
                )
            ]

    def unclustered_mention_ids(self) -> list[str]:
        """Mentions in no cluster, in id order: stored, but the reclustering of their batch
        never ran (the process died between the two commits)."""
        m = t.event_mentions.c
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(m.id).where(m.cluster_id.is_(None), m.review != "dismissed").order_by(m.id)
                ).scalars()
            )


def chunks(items: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    """IN lists of bounded length (SQLite limits bound parameters)."""
    for i in range(0, len(items), size):
        yield list(items[i : i + size])

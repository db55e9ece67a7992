"""The storage contract and its SQLAlchemy implementation (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, OperationalError, SQLAlchemyError

from sitroom.errors import StoreError, StoreOpenError
from sitroom.models import Analysis, Article, OutletGrade, Rejection, Sighting
from sitroom.store import schema as t
from sitroom.store.events import EventStoreMixin, WindowMixin, chunks
from sitroom.store.reviews import ReviewStoreMixin

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)

# PostgreSQL's planner statistics are refreshed when this many event rows, plus this share
# of the table, changed since the last ANALYZE (autovacuum's rule, with its defaults' share)
STATISTICS_MIN_ROWS = 1000
STATISTICS_SHARE = 0.1
# a pooled PostgreSQL connection idle this long is checked before it is lent (_ping_when_idle)
PING_AFTER_IDLE_S = 10.0
# how much of an SQLite file a reading process maps into memory (Store.read_mostly)
SQLITE_MMAP_BYTES = 1 << 30
STATISTICS_TABLES = ("event_mentions", "events", "articles", "sightings", "entity_mentions")
# Key of the PostgreSQL advisory lock that serialises migrations (pipeline.CLUSTER_LOCK_KEY + 1)
MIGRATION_LOCK_KEY = 0x5175_7201
# the password of a URL, found without parsing it (a URL that does not parse is still shown)
_USERINFO = re.compile(r"(?P<user>://[^/@:]*:)(?P<password>[^@]*)@")


class IngestOutcome(StrEnum):
    """What writing one input did to the store."""

    STORED = "stored"  # a new article
    SIGHTING = "sighting"  # a known article seen at a new URL/outlet (syndicated copy)
    KNOWN = "known"  # nothing new
    REJECTED = "rejected"


@dataclass(frozen=True)
class ArticleFilter:
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 100
    offset: int = 0


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _parse_moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Store(EventStoreMixin, WindowMixin, ReviewStoreMixin):
    """Reads and writes sitroom's records. Build with :func:`open_store`."""

    def __init__(self, engine: Engine, schema: str | None = None) -> None:
        self.engine = engine
        # the engine of the event endpoints' reads (read_mostly: PostgreSQL's own, in autocommit)
        self.reader = engine
        self.schema = schema

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()
        self.reader.dispose()

    def read_mostly(self, mmap_bytes: int = SQLITE_MMAP_BYTES) -> None:
        """Set the store up for a process that mostly reads (the API's).

        SQLite: read the file through a memory map of up to ``mmap_bytes`` on every
        connection from now on (a page of 100 events is read off the map instead of a system
        call per database page; 50 clients of uncached list pages were served 970-1,110
        requests/s instead of 710-730). The pages read count in the process's RSS: they are
        the kernel's page cache, shared, not memory of its own. So ingest, whose memory is
        measured and bounded, reads without it.

        PostgreSQL: the event endpoints read (``reader``) on connections of their own in
        autocommit, each statement its own snapshot as each read was its own transaction
        before, without a BEGIN and a ROLLBACK round trip around it (an event-list page:
        1.9 -> 1.5 ms, 15-25 % less CPU). Never prepared: psycopg prepares a statement run 5
        times on a connection outside a transaction, and PostgreSQL then plans it for any
        parameters: a bounding box ignored the (lat, lon) statistics, read the whole table
        and sorted it (86 ms a page instead of 1.7)."""
        if self.engine.dialect.name != "sqlite":
            if self.reader is self.engine:
                self.reader = _engine(
                    self.engine.url,
                    self.schema,
                    isolation_level="AUTOCOMMIT",
                    connect_args={"prepare_threshold": None},
                )
            return

        def _mmap(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA mmap_size={int(mmap_bytes)}")

        event.listen(self.engine, "connect", _mmap)
        self.engine.dispose()  # connections pooled before get it too, made anew

    # --- planner statistics ---------------------------------------------------------

    def refresh_statistics(self, *, force: bool = False) -> bool:
        """PostgreSQL: ANALYZE the article and event tables once a tenth of the events (and
        1,000 rows) changed since they were last analysed; ``force`` analyses them now.
        Returns whether it did.

        The API's filters need them: with none, or with those of a store a tenth its size, the
        planner reads every event to sort them instead of reading the newest off ``sort_key``
        (an actor filter on 100,000 events: 130 ms a page instead of 2.5). Autovacuum does
        this where it is on, a minute or more behind a bulk load, and it may be off (as on
        the PostgreSQL sitroom was measured on). The count is PostgreSQL's own, of every writer,
        so several ingest processes share one threshold; the check is one query a batch.
        SQLite: nothing (no statistics are kept; the store's queries were measured without)."""
        if self.engine.dialect.name != "postgresql":
            return False
        try:
            with self.engine.connect() as conn:
                if not force:
                    changed, rows = conn.execute(
                        text(
                            "SELECT s.n_mod_since_analyze, c.reltuples FROM pg_stat_user_tables s"
                            " JOIN pg_class c ON c.oid = s.relid WHERE s.relid = 'event_mentions'::regclass"
                        )
                    ).one()
                    if changed < STATISTICS_MIN_ROWS + STATISTICS_SHARE * max(rows, 0):
                        return False
                conn.execute(text(f"ANALYZE {', '.join(STATISTICS_TABLES)}"))
                conn.commit()
        except SQLAlchemyError as exc:
            # after a batch has landed: say so, but the batch stands (the next one retries)
            log.warning("cannot refresh the planner statistics of %s: %s", self.url, str(exc).splitlines()[0])
            return False
        return True

    # --- migrations -----------------------------------------------------------------

    def migrate(self) -> None:
        """Apply pending migrations (recorded in ``alembic_version``; each runs once).

        One process at a time, in one transaction: processes that open a fresh store at
        once would each create the tables and record the revision, and all but one fail
        (PostgreSQL: a unique violation on ``alembic_version``; SQLite: "table already
        exists"). PostgreSQL: a transaction-level advisory lock, released at the commit;
        SQLite: ``BEGIN IMMEDIATE`` takes the file's write lock first (the driver would
        otherwise run each DDL statement in a transaction of its own). The next process
        then finds the store at head and does nothing."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.connect() as conn:
                if self.engine.dialect.name == "sqlite":
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                elif self.engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                config.attributes["connection"] = conn
                config.attributes["schema"] = self.schema
                command.upgrade(config, "head")
                conn.commit()
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot migrate the store at {self.url}: {exc.__class__.__name__}: "
                f"{_scrub(str(exc), self.engine.url.password)}"
            ) from exc

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    # --- writing --------------------------------------------------------------------

    def _insert_ignore(self, table: Any) -> Any:
        dialect = sqlite if self.engine.dialect.name == "sqlite" else postgresql
        return dialect.insert(table).on_conflict_do_nothing()

    def write_articles(
        self,
        items: Sequence[tuple[Article, Sighting] | Rejection],
        analyses: Mapping[str, Analysis] | None = None,
    ) -> list[IngestOutcome]:
        """Write a batch of articles (with the sighting that brought them), the analyses of
        the new ones, and rejections in one transaction: the whole batch lands or nothing."""
        outcomes: list[IngestOutcome] = []
        analyses = analyses or {}
        try:
            with self.engine.begin() as conn:
                for item in items:
                    if isinstance(item, Rejection):
                        self._write_rejection(conn, item)
                        outcomes.append(IngestOutcome.REJECTED)
                        continue
                    outcome = self._write_article(conn, *item)
                    if outcome is IngestOutcome.STORED and item[0].id in analyses:
                        self._write_analysis(conn, item[0], analyses[item[0].id])
                    outcomes.append(outcome)
        except SQLAlchemyError as exc:
            raise StoreError(f"writing {len(items)} item(s) to {self.url} failed: {exc}") from exc
        if analyses:
            self.refresh_statistics()
        return outcomes

    def _write_article(self, conn: Connection, article: Article, sighting: Sighting) -> IngestOutcome:
        inserted = conn.execute(
            self._insert_ignore(t.articles)
            .values(
                id=article.id,
                sha256=article.sha256,
                raw_sha256=article.raw_sha256,
                origin=article.origin,
                url=article.url,
                canonical_url=article.canonical_url,
                outlet=article.outlet,
                title=article.title,
                author=article.author,
                published=article.published,
                published_day=article.published_date,
                language=article.language,
                text=article.text,
                extractor=article.extractor,
                captured_at=_iso(article.captured_at),
            )
            .returning(t.articles.c.id)
        ).first()
        seen = conn.execute(
            self._insert_ignore(t.sightings)
            .values(
                article_id=sighting.article_id,
                locator=sighting.url or sighting.origin,
                origin=sighting.origin,
                url=sighting.url,
                outlet=sighting.outlet,
                published=sighting.published,
                raw_sha256=sighting.raw_sha256,
                captured_at=_iso(sighting.captured_at),
            )
            .returning(t.sightings.c.id)
        ).first()
        # RETURNING gives a row only when the insert happened (rowcount is -1 on psycopg)
        if inserted is not None:
            return IngestOutcome.STORED
        return IngestOutcome.SIGHTING if seen is not None else IngestOutcome.KNOWN

    def _write_rejection(self, conn: Connection, rejection: Rejection) -> None:
        conn.execute(
            self._insert_ignore(t.rejections).values(
                origin=rejection.origin,
                code=rejection.code,
                reason=rejection.reason,
                raw_sha256=rejection.raw_sha256 or "",
                captured_at=_iso(rejection.captured_at),
            )
        )

    # --- reading --------------------------------------------------------------------

    @staticmethod
    def _article(row: Any) -> Article:
        return Article(
            id=row.id,
            text=row.text,
            sha256=row.sha256,
            raw_sha256=row.raw_sha256,
            origin=row.origin,
            captured_at=_parse_moment(row.captured_at),
            url=row.url,
            canonical_url=row.canonical_url,
            outlet=row.outlet,
            title=row.title,
            author=row.author,
            published=row.published,
            language=row.language,
            extractor=row.extractor,
        )

    def known_articles(self, ids: Sequence[str]) -> set[str]:
        """Which of these article ids are already stored."""
        if not ids:
            return set()
        with self.engine.connect() as conn:
            return set(conn.execute(select(t.articles.c.id).where(t.articles.c.id.in_(list(ids)))).scalars())

    def articles_by_ids(self, ids: Sequence[str]) -> list[Article]:
        found: list[Article] = []
        with self.engine.connect() as conn:
            for chunk in chunks(ids):
                found.extend(
                    self._article(r)
                    for r in conn.execute(select(t.articles).where(t.articles.c.id.in_(chunk)))
                )
        return found

    def article(self, article_id: str) -> Article | None:
        with self.reader.connect() as conn:
            row = conn.execute(select(t.articles).where(t.articles.c.id == article_id)).first()
        return self._article(row) if row else None

    def articles(self, flt: ArticleFilter | None = None) -> list[Article]:
        """Articles, newest publication first (then id, for a stable order)."""
        flt = flt or ArticleFilter()
        query = select(t.articles)
        if flt.outlet:
            query = query.where(t.articles.c.outlet == flt.outlet)
        if flt.since:
            query = query.where(t.articles.c.published_day >= flt.since)
        if flt.until:
            query = query.where(t.articles.c.published_day <= flt.until)
        query = (
            query.order_by(t.articles.c.published_day.desc(), t.articles.c.id)
            .limit(flt.limit)
            .offset(flt.offset)
        )
        with self.engine.connect() as conn:
            return [self._article(row) for row in conn.execute(query)]

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        """Every article in id order, a batch at a time (flat memory on large stores)."""
        last = ""
        while True:
            query = select(t.articles).where(t.articles.c.id > last).order_by(t.articles.c.id).limit(batch)
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield self._article(row)
            last = rows[-1].id

    def sightings(self, article_id: str) -> list[Sighting]:
        query = select(t.sightings).where(t.sightings.c.article_id == article_id).order_by(t.sightings.c.id)
        with self.engine.connect() as conn:
            return [
                Sighting(
                    article_id=row.article_id,
                    origin=row.origin,
                    url=row.url,
                    outlet=row.outlet,
                    raw_sha256=row.raw_sha256,
                    captured_at=_parse_moment(row.captured_at),
                    published=row.published,
                )
                for row in conn.execute(query)
            ]

    def rejections(self, limit: int = 1000) -> list[Rejection]:
        query = select(t.rejections).order_by(t.rejections.c.id).limit(limit)
        with self.engine.connect() as conn:
            return [
                Rejection(
                    origin=row.origin,
                    reason=row.reason,
                    code=row.code,
                    captured_at=_parse_moment(row.captured_at),
                    raw_sha256=row.raw_sha256 or None,
                )
                for row in conn.execute(query)
            ]

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.metadata.tables[table])).scalar_one())

    def outlet_grades(self) -> list[OutletGrade]:
        """The outlet grades users keep in the store (table ``outlets``), by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.outlets).order_by(t.outlets.c.name)).all()
        return [
            OutletGrade(
                name=row.name,
                reliability=row.reliability,
                country=row.country,
                group=row.group_name,
                domains=tuple(d for d in (row.domains or "").split(",") if d),
                notes=row.notes,
            )
            for row in rows
        ]

    def write_outlet_grade(self, grade: OutletGrade) -> None:
        """Keep ``grade``, replacing a stored grade of the same name (any case)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(t.outlets).where(func.lower(t.outlets.c.name) == grade.name.lower()))
                conn.execute(
                    t.outlets.insert().values(
                        name=grade.name,
                        reliability=grade.reliability,
                        country=grade.country,
                        domains=",".join(grade.domains),
                        group_name=grade.group,
                        notes=grade.notes,
                    )
                )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot save the grade of outlet {grade.name!r} in {self.url}: {exc}") from exc


def mask_url(url: str | URL) -> str:
    """``url`` with its password shown as ``***``, for every message and log that names a
    store; also a URL that does not parse (a malformed port, say)."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _USERINFO.sub(lambda m: f"{m['user']}***@", url)


def _scrub(message: str, password: str | None) -> str:
    """``message`` (a driver's or SQLAlchemy's) with ``password`` replaced by ``***``."""
    return message.replace(password, "***") if password else message


def _password(url: str) -> str | None:
    found = _USERINFO.search(url)
    return found["password"] if found else None


def _sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _has_tables(conn: Connection, schema: str | None) -> bool:
    """Whether a store was made here (its migrations recorded), not merely a database."""
    return conn.dialect.has_table(conn, "alembic_version", schema=schema)


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection that sat idle PING_AFTER_IDLE_S or more before lending it
    (a server restart or an idle timeout may have closed it): the pool then replaces it.
    SQLAlchemy's pre-ping checks every connection lent, a round trip each: 12 % of the
    CPU time of an event-list page on PostgreSQL. A connection in steady use is not
    checked; if the server restarts under load, the statements already on the way fail
    once with a store error and the pool reconnects."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return  # new, or in steady use
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"a pooled connection was closed: {exc}") from exc


def _engine(url: str | URL, schema: str | None, **options: Any) -> Engine:
    """An engine for the store at ``url``, its connections set up as the store needs."""
    engine = create_engine(url, future=True, **options)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            # first: switching a new file to WAL waits for another process doing it too
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    _ping_when_idle(engine)
    if schema:

        @event.listens_for(engine, "connect")
        def _search_path(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute(f'SET search_path TO "{schema}"')
            cur.close()
            dbapi_conn.commit()

    return engine


def open_store(url: str, *, schema: str | None = None, migrate: bool = True, create: bool = True) -> Store:
    """Open the store at an SQLAlchemy URL and migrate it; ``create``: make it (an SQLite
    file and its folders, the tables) where there is none, else :class:`StoreOpenError`
    (a command that only reads says so instead of making an empty store of a typo).

    ``schema`` (PostgreSQL only) puts every table in that schema, so several stores can share
    one database (the tests use one schema per run). Every message names the URL with its
    password masked; a bad URL, an unreachable server or a missing store raise
    :class:`StoreOpenError`.
    """
    shown, password = mask_url(url), _password(url)
    missing = f"no store at {shown}; 'sitroom ingest' or 'sitroom demo' makes one"
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        reason = _scrub(str(exc), password)
        raise StoreOpenError(f"cannot open store {shown}: not a valid URL: {reason}") from exc
    try:
        path = _sqlite_path(parsed)
        if path is not None:
            if not create and not path.is_file():
                raise StoreOpenError(missing)
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = _engine(parsed, schema)
    except (ArgumentError, ValueError, OSError) as exc:
        raise StoreOpenError(f"cannot open store {shown}: {_scrub(str(exc), password)}") from exc
    except ModuleNotFoundError as exc:
        raise StoreOpenError(
            f"cannot open store {shown}: driver missing ({exc.name}); install it or use another URL"
        ) from exc
    store = Store(engine, schema=schema)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            found = _has_tables(conn, schema)
    except OperationalError as exc:
        engine.dispose()
        reason = _scrub(str(exc.orig), password).strip().splitlines()[0]
        raise StoreOpenError(f"cannot connect to store {shown}: {reason}") from exc
    if not create and not found:
        engine.dispose()
        raise StoreOpenError(missing)
    if migrate:
        store.migrate()
    return store

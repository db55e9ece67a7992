"""The store's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

The schema is created and changed only by Alembic migrations in ``store/migrations``;
this module is the Python description the queries use. Full records that users see
(event JSON) are kept in ``record`` columns beside the columns that filters and
indexes need, so the API and exports read one row per event.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("raw_sha256", String(64), nullable=False),
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", String(40)),
    Column("published_day", Date),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("extractor", Text, nullable=False),
    Column("captured_at", String(40), nullable=False),
    Index("ix_articles_published_day", "published_day"),
    Index("ix_articles_outlet", "outlet"),
)

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    # where it was seen: the URL when known, else the origin (path, "stdin:3" ...)
    Column("locator", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("published", String(40)),
    Column("raw_sha256", String(64), nullable=False),
    Column("captured_at", String(40), nullable=False),
    UniqueConstraint("article_id", "locator", name="uq_sightings_article_locator"),
    Index("ix_sightings_article", "article_id"),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("code", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw_sha256", String(64), nullable=False, default=""),
    Column("captured_at", String(40), nullable=False),
    UniqueConstraint("origin", "raw_sha256", "code", name="uq_rejections_item"),
)

# One row per resolved or unresolved actor/place/date mention of an article.
entity_mentions = Table(
    "entity_mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # actor | place | date
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("name", Text),
    Column("country", String(8)),
    Column("record", JSON, nullable=False),
    Index("ix_entity_mentions_article", "article_id"),
    Index("ix_entity_mentions_kind_name", "kind", "name"),
)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("event_type", String(16)),
    Column("status", String(16), nullable=False),
    Column("date", Date),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("place", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("actors", Text, nullable=False, default=""),  # "|key|key|" (store.search) for LIKE filters
    Column("civilian_protection", Text, nullable=False, default=""),  # "|kind|kind|"
    Column("dead_min", Integer),
    Column("cluster_id", String(40)),
    Column("independent_sources", Integer, nullable=False, default=1),
    Column("credibility", Integer),
    # "<date or 0000-00-00>|<id>": keyset pagination, newest first
    Column("sort_key", String(64), nullable=False),
    Column("start", Integer, nullable=False),
    Column("record", JSON, nullable=False),
    # migration 0006 (store.search): the place filter's keys "|key|key|" and the words of
    # full-text search (SQLite: FTS5 table event_search; PostgreSQL: GIN index on its tsvector)
    Column("place_keys", Text, nullable=False, default="", server_default=""),
    Column("search_text", Text, nullable=False, default="", server_default=""),
    # migration 0007 (sitroom.review): unreviewed | confirmed | corrected | dismissed
    Column("review", String(16), nullable=False, default="unreviewed", server_default="unreviewed"),
    # migration 0009 (sitroom.background): history, not news; left out of listings by default
    Column("background", Boolean, nullable=False, default=False, server_default=false()),
    Index("ix_event_mentions_article", "article_id"),
    Index("ix_event_mentions_date", "date"),
    Index("ix_event_mentions_type_date", "event_type", "date"),
    Index("ix_event_mentions_country_admin1", "country", "admin1"),
    Index("ix_event_mentions_cluster", "cluster_id"),
    Index("ix_event_mentions_latlon", "lat", "lon"),
    Index("ix_event_mentions_sort_key", "sort_key"),
    # migration 0003: a type filter reads its page, newest first, off the index
    Index("ix_event_mentions_type_sort_key", "event_type", "sort_key"),
    # migration 0004: the corroborated events, newest first, whatever the planner's statistics
    Index(
        "ix_event_mentions_corroborated_sort_key",
        "sort_key",
        postgresql_where=text("independent_sources >= 2"),
        sqlite_where=text("independent_sources >= 2"),
    ),
)

events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("event_type", String(16)),
    Column("date", Date),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("independent_sources", Integer, nullable=False),
    Column("credibility", Integer),
    Column("record", JSON, nullable=False),
    Index("ix_events_date", "date"),
)

# The analysts' review actions, append-only (migration 0007, sitroom.review): keyed by the
# event mention's id, which a re-ingest of its article and a recluster keep, and replayed on
# the mention's record whenever the mention is written again.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), nullable=False),
    Column("action", String(16), nullable=False),  # dismiss | confirm | correct
    Column("changes", JSON, nullable=False),  # {field: {"before": ..., "after": ...}} (+ dismissal kind)
    Column("reason", Text, nullable=False),
    Column("reviewer", Text, nullable=False),  # the token's name, never its value
    Column("created_at", String(40), nullable=False),
    Index("ix_corrections_event", "event_id"),
)

outlets = Table(
    "outlets",
    metadata,
    Column("name", Text, primary_key=True),
    Column("reliability", String(1), nullable=False, default="F"),
    Column("country", String(8)),
    Column("domains", Text, nullable=False, default=""),
    Column("group_name", Text),
    Column("notes", Text),
)

watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("spec", JSON, nullable=False),
    Column("created_at", String(40), nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watch_id", Integer, ForeignKey("watches.id", ondelete="CASCADE")),
    Column("key", Text, nullable=False, unique=True),  # deterministic: the same alert is raised once
    Column("kind", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("record", JSON, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("delivered_at", String(40)),
    # webhook bookkeeping (migration 0002): tries so far and the last failure, kept not fatal
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text),
    Index("ix_alerts_created_at", "created_at"),
)

# --- followed sources (migration 0005, sitroom.follow) ----------------------------------
# Moments are ISO 8601 UTC strings to the second, as elsewhere: they sort as they compare.
followed_sources = Table(
    "followed_sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("outlet", Text),
    Column("interval_s", Integer, nullable=False),
    # the validators of the last answer with a body, sent back as a conditional GET
    Column("etag", Text),
    Column("last_modified", Text),
    Column("added_at", String(40), nullable=False),
    Column("last_poll", String(40)),
    Column("last_new_item", String(40)),
    Column("next_due", String(40), nullable=False),
    Column("errors", Integer, nullable=False, default=0, server_default="0"),  # consecutive
    Column("last_error", Text),
    Column("items_seen", Integer, nullable=False, default=0, server_default="0"),
    Column("articles_stored", Integer, nullable=False, default=0, server_default="0"),
    # the follower polling it now, until when (a dead follower's lease runs out)
    Column("lease_owner", Text),
    Column("lease_until", String(40)),
    Index("ix_followed_sources_next_due", "next_due"),
)

# what each source already gave: sha256 of an entry's GUID (else link, else content) or of a page's body
follow_seen = Table(
    "follow_seen",
    metadata,
    Column("source_id", Integer, ForeignKey("followed_sources.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("seen_at", String(40), nullable=False),
)

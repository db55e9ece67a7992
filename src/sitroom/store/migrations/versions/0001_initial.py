"""Initial store: articles, sightings, rejections, entity and event mentions, events,
outlets, watches, alerts.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("published_day", sa.Date),
        sa.Column("language", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("extractor", sa.Text, nullable=False),
        sa.Column("captured_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_articles_published_day", "articles", ["published_day"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])

    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("locator", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("captured_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("article_id", "locator", name="uq_sightings_article_locator"),
    )
    op.create_index("ix_sightings_article", "sightings", ["article_id"])

    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("captured_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("origin", "raw_sha256", "code", name="uq_rejections_item"),
    )

    op.create_table(
        "entity_mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("country", sa.String(8)),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_index("ix_entity_mentions_article", "entity_mentions", ["article_id"])
    op.create_index("ix_entity_mentions_kind_name", "entity_mentions", ["kind", "name"])

    op.create_table(
        "event_mentions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("event_type", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("place", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("actors", sa.Text, nullable=False),
        sa.Column("civilian_protection", sa.Text, nullable=False),
        sa.Column("dead_min", sa.Integer),
        sa.Column("cluster_id", sa.String(40)),
        sa.Column("independent_sources", sa.Integer, nullable=False),
        sa.Column("credibility", sa.Integer),
        sa.Column("sort_key", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_index("ix_event_mentions_article", "event_mentions", ["article_id"])
    op.create_index("ix_event_mentions_date", "event_mentions", ["date"])
    op.create_index("ix_event_mentions_type_date", "event_mentions", ["event_type", "date"])
    op.create_index("ix_event_mentions_country_admin1", "event_mentions", ["country", "admin1"])
    op.create_index("ix_event_mentions_cluster", "event_mentions", ["cluster_id"])
    op.create_index("ix_event_mentions_latlon", "event_mentions", ["lat", "lon"])
    op.create_index("ix_event_mentions_sort_key", "event_mentions", ["sort_key"])

    op.create_table(
        "events",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("event_type", sa.String(16)),
        sa.Column("date", sa.Date),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("independent_sources", sa.Integer, nullable=False),
        sa.Column("credibility", sa.Integer),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_index("ix_events_date", "events", ["date"])

    op.create_table(
        "outlets",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("reliability", sa.String(1), nullable=False),
        sa.Column("country", sa.String(8)),
        sa.Column("domains", sa.Text, nullable=False),
        sa.Column("group_name", sa.Text),
        sa.Column("notes", sa.Text),
    )

    op.create_table(
        "watches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("watch_id", sa.Integer, sa.ForeignKey("watches.id", ondelete="CASCADE")),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("delivered_at", sa.String(40)),
    )


def downgrade() -> None:
    for table in (
        "alerts",
        "watches",
        "outlets",
        "events",
        "event_mentions",
        "entity_mentions",
        "rejections",
        "sightings",
        "articles",
    ):
        op.drop_table(table)

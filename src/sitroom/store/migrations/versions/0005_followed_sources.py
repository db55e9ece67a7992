"""Followed sources (``sitroom follow``): each source's polling state and lease, and the
keys of the items each one already gave, so a restart neither refetches nor re-ingests.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followed_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("outlet", sa.Text),
        sa.Column("interval_s", sa.Integer, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("last_poll", sa.String(40)),
        sa.Column("last_new_item", sa.String(40)),
        sa.Column("next_due", sa.String(40), nullable=False),
        sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("items_seen", sa.Integer, nullable=False, server_default="0"),
        sa.Column("articles_stored", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lease_owner", sa.Text),
        sa.Column("lease_until", sa.String(40)),
    )
    op.create_index("ix_followed_sources_next_due", "followed_sources", ["next_due"])
    op.create_table(
        "follow_seen",
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("followed_sources.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("seen_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("follow_seen")
    op.drop_index("ix_followed_sources_next_due", table_name="followed_sources")
    op.drop_table("followed_sources")

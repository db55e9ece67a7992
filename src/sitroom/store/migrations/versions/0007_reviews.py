"""Review and correction (``sitroom review``): the append-only log of analysts' actions
(``corrections``), keyed by the event mention's id (a hash of its article's text, offset and
extracted type: the same after a re-ingest and a recluster), and each mention's review
status (``event_mentions.review``), which every event query filters on.

Revision ID: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(40), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_corrections_event", "corrections", ["event_id"])
    op.add_column(
        "event_mentions", sa.Column("review", sa.String(16), nullable=False, server_default="unreviewed")
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite's own DROP COLUMN (3.35+): a batch copy of the table would lose 0006's triggers
        op.execute("ALTER TABLE event_mentions DROP COLUMN review")
    else:
        op.drop_column("event_mentions", "review")
    op.drop_index("ix_corrections_event", table_name="corrections")
    op.drop_table("corrections")

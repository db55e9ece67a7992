"""Indexes for the event filters of the API that the first schema left to a scan.

``GET /api/events`` orders by ``sort_key`` (newest first) and stops at a page: a filter that
matches few rows of a large store would otherwise walk the whole ``sort_key`` index.
- ``event_type`` with ``sort_key``: a type filter reads its page straight off the index;
- ``place`` and ``admin1``: the place filter (name, admin1 or country, OR-ed) can combine
  these with the ``country`` index instead of scanning.

Revision ID: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_mentions_type_sort_key", "event_mentions", ["event_type", "sort_key"])
    op.create_index("ix_event_mentions_place", "event_mentions", ["place"])
    op.create_index("ix_event_mentions_admin1", "event_mentions", ["admin1"])


def downgrade() -> None:
    op.drop_index("ix_event_mentions_admin1", table_name="event_mentions")
    op.drop_index("ix_event_mentions_place", table_name="event_mentions")
    op.drop_index("ix_event_mentions_type_sort_key", table_name="event_mentions")

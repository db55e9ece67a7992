"""The corroborated-events filter and the bounding-box filter, planned from what they hold.

``GET /api/events`` reads the newest events first off ``sort_key`` and stops at a page when
its planner expects the filter to keep many events, and reads the matching events then
sorts them when it expects few. Two filters misled the planners (bench/api_load.py data,
100,000 events):

- ``min_sources``: an index on ``sort_key`` of the events counted by two or more
  independent sources. The share of corroborated events changes as reports are clustered,
  faster than PostgreSQL's statistics follow (they are refreshed once a tenth of the
  events changed): after a pass that clustered a tenth of the events it still expected
  none, scanned the table and sorted, 61-89 ms a page. Off this index the page is the
  index's first 100 entries, whatever the statistics say. SQLite uses it for
  ``min_sources=2``, the common case (its planner matches the index's condition as written).
- PostgreSQL only: joint statistics (most common values) of latitude and longitude. It
  estimates a box as (share of latitudes inside) x (share of longitudes inside), as if they
  were independent; events sit on a few thousand gazetteer points, so that underestimates a
  box around a city by ten times or more and picks the sort: 43 ms a page for a box
  holding 8,300 events. With these statistics the same box estimates 8,120 events and is
  read off ``sort_key`` (3 ms). SQLite keeps no statistics; there the store counts the box
  first (store.events._dense).

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CORROBORATED = sa.text("independent_sources >= 2")


def upgrade() -> None:
    op.create_index(
        "ix_event_mentions_corroborated_sort_key",
        "event_mentions",
        ["sort_key"],
        postgresql_where=CORROBORATED,
        sqlite_where=CORROBORATED,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE STATISTICS IF NOT EXISTS st_event_mentions_latlon (mcv) ON lat, lon FROM event_mentions"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_event_mentions_latlon")
    op.drop_index("ix_event_mentions_corroborated_sort_key", table_name="event_mentions")

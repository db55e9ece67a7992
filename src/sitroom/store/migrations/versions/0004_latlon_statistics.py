"""PostgreSQL: joint statistics of latitude and longitude, for the bounding-box filter.

``GET /api/events?bbox=...`` wants the newest events inside a box. PostgreSQL's planner
reads them newest first off ``sort_key`` when it expects the box to hold many events, and
off the (lat, lon) index then sorts them when it expects few. It estimates the box as
(share of latitudes inside) x (share of longitudes inside), as if they were independent;
events sit on a few thousand gazetteer points, so that underestimates a box around a city
by ten times or more and picks the sort: 43 ms a page for a box holding 8,300 of 100,000
events (bench/api_load.py data). A multivariate most-common-values list on (lat, lon)
gives the planner those points; the same box then estimates 8,120 events, is read off
``sort_key`` and takes 3 ms. SQLite has no such statistics: there the store counts the box
first (store.events._dense).

Revision ID: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE STATISTICS IF NOT EXISTS st_event_mentions_latlon (mcv) ON lat, lon FROM event_mentions")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_event_mentions_latlon")

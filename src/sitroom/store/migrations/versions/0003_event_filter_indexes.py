"""An index for the event-type filter of the API: type, then newest first.

``GET /api/events`` orders by ``sort_key`` (newest first) and stops at a page. With a type
filter, the first schema's indexes left a choice between walking ``sort_key`` past every
other type and reading every event of the type to sort them; ``(event_type, sort_key)``
reads the page straight off the index. Measured on 100,000 synthetic events (bench/api_load.py)
in SQLite: a rare type 15-20 ms -> 2-4 ms. Indexes on ``place`` and ``admin1`` were tried and
left out: SQLite then sorted every event of a common place (3 ms -> 20-35 ms).

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


def downgrade() -> None:
    op.drop_index("ix_event_mentions_type_sort_key", table_name="event_mentions")

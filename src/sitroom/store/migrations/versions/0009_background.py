"""Background events (issue 19, :mod:`sitroom.background`): each event mention's
``background`` flag, which every event query filters on (left out unless asked for), set for
the stored events from their records, whose JSON gains the same ``background`` field.

Revision ID: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sitroom.background import record_is_background

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    # ADD COLUMN in place, never a batch copy: that would drop 0006's full-text triggers
    op.add_column(
        "event_mentions", sa.Column("background", sa.Boolean, nullable=False, server_default=sa.false())
    )
    conn = op.get_bind()
    m = sa.table("event_mentions", sa.column("id"), sa.column("record", sa.JSON), sa.column("background"))
    last = ""
    while True:
        rows = conn.execute(
            sa.select(m.c.id, m.c.record).where(m.c.id > last).order_by(m.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        values = []
        for row in rows:
            record = row.record if isinstance(row.record, dict) else {}
            background = record_is_background(record)
            values.append(
                {"b_id": row.id, "b_record": {**record, "background": background}, "b_bg": background}
            )
        conn.execute(
            m.update()
            .where(m.c.id == sa.bindparam("b_id"))
            .values(record=sa.bindparam("b_record", type_=sa.JSON), background=sa.bindparam("b_bg")),
            values,
        )
        last = rows[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite's own DROP COLUMN (3.35+): a batch copy of the table would lose 0006's triggers
        op.execute("ALTER TABLE event_mentions DROP COLUMN background")
    else:
        op.drop_column("event_mentions", "background")

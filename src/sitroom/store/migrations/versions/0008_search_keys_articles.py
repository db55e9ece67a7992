"""Event search keys made again: a name's leading Arabic article ("Ar Raqqah", "Al-Hasakah")
and a final "h" after a vowel ("Raqqah") are folded now (sitroom.store.search), so the place,
actor and full-text keys of every stored event are rewritten (SQLite's triggers re-index the
full text of each row whose words change; PostgreSQL's index follows the column).

Revision ID: 0008
"""

from __future__ import annotations

from alembic import op

from sitroom.store import search

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.rewrite_event_keys(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the schema is unchanged, and the keys are those the running code makes."""

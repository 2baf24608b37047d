"""the log of changes the matching engines of other processes follow

Revision ID: 0014_matching_changes
Revises: 0013_notifications
Create Date: 2026-12-05 06:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_matching_changes"
down_revision: str | None = "0013_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: an empty change log (a snapshot built later starts from it)."""
    op.create_table(
        "matching_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("upsert", "delete", "reset", name="changekind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_changes")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Revert this revision: the log is dropped (snapshots are built again from the data)."""
    op.drop_table("matching_changes")

"""row versions for optimistic locking of needs, offers, organisations, memoranda,
commitments and deals

Revision ID: 0010_row_versions
Revises: 0009_sessions_tokens
Create Date: 2026-12-08 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_row_versions"
down_revision: str | None = "0009_sessions_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("needs", "offers", "organisations", "memoranda", "commitments", "deals")


def upgrade() -> None:
    """Apply this revision: every existing row is at version 1 with no field changed yet."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )
            batch_op.add_column(
                sa.Column("field_versions", sa.JSON(), server_default="{}", nullable=False)
            )


def downgrade() -> None:
    """Revert this revision: the versions are dropped."""
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("field_versions")
            batch_op.drop_column("version")

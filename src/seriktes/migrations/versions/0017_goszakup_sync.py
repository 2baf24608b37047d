"""goszakup sync state, exact plan quantities, a member's own lines of a whole-portal file

Revision ID: 0017_goszakup_sync
Revises: 0016_meeting_days
Create Date: 2026-12-05 09:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_goszakup_sync"
down_revision: str | None = "0016_meeting_days"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: the sync state table, empty; quantities keep six decimals; uploads
    import every line unless told otherwise."""
    op.create_table(
        "goszakup_syncs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("next_page", sa.String(length=1000), nullable=True),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("running_id", sa.BigInteger(), nullable=False),
        sa.Column("last_timestamp", sa.String(length=32), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goszakup_syncs")),
        sa.UniqueConstraint("target", "year", name=op.f("uq_goszakup_syncs_target_year")),
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.alter_column(
            "quantity",
            existing_type=sa.Numeric(precision=18, scale=3),
            type_=sa.Numeric(precision=18, scale=6),
            existing_nullable=True,
        )
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("own_lines_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Revert this revision: the sync state is dropped; quantities are rounded to three
    decimals again."""
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.drop_column("own_lines_only")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.alter_column(
            "quantity",
            existing_type=sa.Numeric(precision=18, scale=6),
            type_=sa.Numeric(precision=18, scale=3),
            existing_nullable=True,
        )
    op.drop_table("goszakup_syncs")

"""memoranda fully managed: signatories' posts, withdrawal, a commitment's responsible person,
commitment milestones

Revision ID: 0018_memorandum_parties
Revises: 0017_goszakup_sync
Create Date: 2026-12-05 12:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_memorandum_parties"
down_revision: str | None = "0017_goszakup_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: new nullable columns (existing rows keep their values and get
    none), and the milestones table, empty. The status «withdrawn» needs no change: the
    status column is a VARCHAR of 16 without a CHECK."""
    with op.batch_alter_table("memorandum_parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signatory_post", sa.String(length=300), nullable=True))
    with op.batch_alter_table("memoranda", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("responsible_person", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("responsible_post", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("responsible_contact", sa.String(length=300), nullable=True))
    op.create_table(
        "commitment_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("target", sa.Numeric(precision=20, scale=3), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_milestones_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_milestones")),
        sa.UniqueConstraint(
            "commitment_id", "due_on", name=op.f("uq_commitment_milestones_commitment_id_due_on")
        ),
    )
    with op.batch_alter_table("commitment_milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_milestones_commitment_id"), ["commitment_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision: milestones, posts, responsible persons and withdrawal details are
    dropped; withdrawn memoranda become closed ones."""
    with op.batch_alter_table("commitment_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_milestones_commitment_id"))
    op.drop_table("commitment_milestones")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_column("responsible_contact")
        batch_op.drop_column("responsible_post")
        batch_op.drop_column("responsible_person")
    op.execute("UPDATE memoranda SET status = 'closed' WHERE status = 'withdrawn'")
    with op.batch_alter_table("memoranda", schema=None) as batch_op:
        batch_op.drop_column("withdrawal_reason")
        batch_op.drop_column("withdrawn_on")
    with op.batch_alter_table("memorandum_parties", schema=None) as batch_op:
        batch_op.drop_column("signatory_post")

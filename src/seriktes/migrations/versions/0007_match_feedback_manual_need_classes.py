"""feedback on matches, KP VED classes set by a person (manual) on needs and offers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 20:40:53.981231
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLASS_SOURCE = sa.Enum("file", "derived", "manual", name="classsource", native_enum=False, length=8)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "match_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "verdict",
            sa.Enum("suitable", "not_suitable", name="verdict", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "reason",
            sa.Enum(
                "wrong_product",
                "wrong_class",
                "cannot_supply",
                name="reason",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["needs.id"],
            name=op.f("fk_match_feedback_need_id_needs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offers.id"],
            name=op.f("fk_match_feedback_offer_id_offers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_match_feedback_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_feedback")),
        sa.UniqueConstraint("need_id", "offer_id", name=op.f("uq_match_feedback_need_id_offer_id")),
    )
    with op.batch_alter_table("match_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_feedback_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_feedback_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_feedback_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("class_source", CLASS_SOURCE, nullable=True))


def downgrade() -> None:
    """Revert this revision; offers' manual classes are kept, their source forgotten."""
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_column("class_source")
    op.execute("UPDATE offers SET class_source = NULL WHERE class_source = 'manual'")

    with op.batch_alter_table("match_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_feedback_user_id"))
        batch_op.drop_index(batch_op.f("ix_match_feedback_offer_id"))
        batch_op.drop_index(batch_op.f("ix_match_feedback_need_id"))

    op.drop_table("match_feedback")

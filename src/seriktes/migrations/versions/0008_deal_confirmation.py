"""deal confirmation: a deal counts once both sides (or a coordinator of a party region) confirm it

Revision ID: 0008_deal_confirmation
Revises: 0007
Create Date: 2026-12-10 10:00:00.000000

Deals that exist before this revision were never confirmed, so they start as awaiting
confirmation and stop counting until someone confirms them; the demo's deals (source
"demo", fictional) are confirmed with their contract number as evidence, as the demo loader
now confirms them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_deal_confirmation"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONFIRMATION = sa.Enum(
    "awaiting",
    "awaiting_coordinator",
    "confirmed",
    "disputed",
    name="confirmation",
    native_enum=False,
    length=24,
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmation", CONFIRMATION, nullable=False, server_default="awaiting")
        )
        batch_op.add_column(
            sa.Column("buyer_confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("supplier_confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("evidence", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("dispute_reason", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("disputed_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_deals_confirmation"), ["confirmation"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_deals_confirmed_by_id_users"),
            "users",
            ["confirmed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deals_disputed_by_id_users"),
            "users",
            ["disputed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(
        "UPDATE deals SET confirmation = 'confirmed', evidence = number, "
        "confirmed_at = CURRENT_TIMESTAMP WHERE source = 'demo'"
    )
    with op.batch_alter_table("deals", schema=None) as batch_op:
        for name in ("confirmation", "buyer_confirmed", "supplier_confirmed"):
            batch_op.alter_column(name, server_default=None)


def downgrade() -> None:
    """Revert this revision; who confirmed or disputed which deal is forgotten."""
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_deals_disputed_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_deals_confirmed_by_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_deals_confirmation"))
        for name in (
            "disputed_by_id",
            "dispute_reason",
            "confirmed_at",
            "evidence",
            "confirmed_by_id",
            "supplier_confirmed",
            "buyer_confirmed",
            "confirmation",
        ):
            batch_op.drop_column(name)

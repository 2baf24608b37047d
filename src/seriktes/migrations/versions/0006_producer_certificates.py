"""producer certificates, organisations without a BIN, derived offer classes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:01:01.136279
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "industrial",
                "stkz_origin",
                "stkz_serial",
                name="certificatekind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "valid",
                "expired",
                "suspended",
                "revoked",
                name="certificatestatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("local_content", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("chamber_code", sa.String(length=8), nullable=True),
        sa.Column("chamber", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offers.id"],
            name=op.f("fk_certificates_offer_id_offers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_certificates_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint(
            "kind", "number", "offer_id", name=op.f("uq_certificates_kind_number_offer_id")
        ),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_certificates_organisation_id"), ["organisation_id"], unique=False
        )

    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "class_source",
                sa.Enum("file", "derived", name="classsource", native_enum=False, length=8),
                nullable=True,
            )
        )

    # on SQLite this rebuilds the table; env.py turns foreign keys off meanwhile
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identity_key", sa.String(length=40), nullable=True))
        batch_op.alter_column("bin", existing_type=sa.String(length=12), nullable=True)
        batch_op.create_unique_constraint(
            batch_op.f("uq_organisations_identity_key"), ["identity_key"]
        )
        batch_op.create_check_constraint(
            "identified", "bin IS NOT NULL OR identity_key IS NOT NULL"
        )


def downgrade() -> None:
    """Revert this revision; refused while organisations without a BIN exist."""
    count = sa.text("SELECT count(*) FROM organisations WHERE bin IS NULL")
    unverified = op.get_bind().scalar(count)
    if unverified:
        raise RuntimeError(
            f"{unverified} organisation(s) have no BIN; give them one or delete them "
            "before going below revision 0006"
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint("identified", type_="check")
        batch_op.drop_constraint(batch_op.f("uq_organisations_identity_key"), type_="unique")
        batch_op.alter_column("bin", existing_type=sa.String(length=12), nullable=False)
        batch_op.drop_column("identity_key")

    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_column("class_source")

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_offer_id"))

    op.drop_table("certificates")

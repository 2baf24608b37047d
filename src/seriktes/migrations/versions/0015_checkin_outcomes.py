"""B2B days: check-ins, meeting outcomes, topics, online meetings, contacts and meeting targets

Revision ID: 0015_checkin_outcomes
Revises: 0014_matching_changes
Create Date: 2026-12-05 09:07:00.263982
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_checkin_outcomes"
down_revision: str | None = "0014_matching_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: two new tables, empty; new columns empty, or false for online."""
    op.create_table(
        "event_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column(
            "method",
            sa.Enum("qr", "tick", name="checkinmethod", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f("fk_event_checkins_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["event_participants.id"],
            name=op.f("fk_event_checkins_participant_id_event_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_checkins")),
        sa.UniqueConstraint(
            "participant_id", "day", name=op.f("uq_event_checkins_participant_id_day")
        ),
    )
    with op.batch_alter_table("event_checkins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_checkins_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "meeting_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "no_interest",
                "cooperation_possible",
                "deal_expected",
                "contract_signed",
                name="outcome",
                native_enum=False,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting_requests.id"],
            name=op.f("fk_meeting_outcomes_meeting_id_meeting_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["event_participants.id"],
            name=op.f("fk_meeting_outcomes_participant_id_event_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_outcomes_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_outcomes")),
        sa.UniqueConstraint(
            "meeting_id",
            "participant_id",
            name=op.f("uq_meeting_outcomes_meeting_id_participant_id"),
        ),
    )
    with op.batch_alter_table("meeting_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_outcomes_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_outcomes_participant_id"), ["participant_id"], unique=False
        )

    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_person", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("online", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("min_meetings", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_meetings", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("checkin_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_event_participants_checkin_token"), ["checkin_token"]
        )

    with op.batch_alter_table("meeting_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("topic", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("online", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("meeting_url", sa.String(length=500), nullable=True))


def downgrade() -> None:
    """Revert this revision: check-ins and outcomes are dropped with the new columns."""
    with op.batch_alter_table("meeting_requests", schema=None) as batch_op:
        batch_op.drop_column("meeting_url")
        batch_op.drop_column("online")
        batch_op.drop_column("topic")

    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_event_participants_checkin_token"), type_="unique")
        batch_op.drop_column("checkin_token")
        batch_op.drop_column("max_meetings")
        batch_op.drop_column("min_meetings")
        batch_op.drop_column("online")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_person")

    with op.batch_alter_table("meeting_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_outcomes_participant_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_outcomes_meeting_id"))

    op.drop_table("meeting_outcomes")
    with op.batch_alter_table("event_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_checkins_participant_id"))

    op.drop_table("event_checkins")

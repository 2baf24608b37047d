"""Several meeting days: an event's sessions, pauses and tables move to event_meeting_days

Revision ID: 0016_meeting_days
Revises: 0015_checkin_outcomes
Create Date: 2026-12-05 09:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0016_meeting_days"
down_revision: str | None = "0015_checkin_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the columns of an event's one meeting day, moved into its first (and only) day's row
MOVED = (
    "morning_start",
    "afternoon_start",
    "morning_slots",
    "afternoon_slots",
    "tables",
    "pause_after",
    "pause_minutes",
)

# an event without a day goes back with the defaults the events table had
DEFAULT_DAY = {
    "morning_start": time(10, 0),
    "afternoon_start": time(14, 0),
    "morning_slots": 6,
    "afternoon_slots": 6,
    "tables": 10,
    "pause_after": [],
    "pause_minutes": 0,
}


def _events() -> sa.TableClause:
    """The events table's meeting-day columns as this revision reads and writes them."""
    columns: list[sa.ColumnClause[Any]] = [
        sa.column("id", sa.Integer()),
        sa.column("meetings_on", sa.Date()),
        sa.column("morning_start", sa.Time()),
        sa.column("afternoon_start", sa.Time()),
        sa.column("morning_slots", sa.Integer()),
        sa.column("afternoon_slots", sa.Integer()),
        sa.column("tables", sa.Integer()),
        sa.column("pause_after", sa.JSON()),
        sa.column("pause_minutes", sa.Integer()),
    ]
    return sa.table("events", *columns)


def _days() -> sa.TableClause:
    return sa.table(
        "event_meeting_days",
        sa.column("id", sa.Integer()),
        sa.column("event_id", sa.Integer()),
        sa.column("position", sa.Integer()),
        sa.column("meets_on", sa.Date()),
        sa.column("morning_start", sa.Time()),
        sa.column("afternoon_start", sa.Time()),
        sa.column("morning_slots", sa.Integer()),
        sa.column("afternoon_slots", sa.Integer()),
        sa.column("tables", sa.Integer()),
        sa.column("pause_after", sa.JSON()),
        sa.column("pause_minutes", sa.Integer()),
    )


def upgrade() -> None:
    """Apply this revision: every event's meeting day becomes its first day's row, and the
    moved columns leave the events table."""
    op.create_table(
        "event_meeting_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("meets_on", sa.Date(), nullable=False),
        sa.Column("morning_start", sa.Time(), nullable=False),
        sa.Column("afternoon_start", sa.Time(), nullable=False),
        sa.Column("morning_slots", sa.Integer(), nullable=False),
        sa.Column("afternoon_slots", sa.Integer(), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("pause_after", sa.JSON(), nullable=False),
        sa.Column("pause_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_meeting_days_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_meeting_days")),
        sa.UniqueConstraint(
            "event_id", "meets_on", name=op.f("uq_event_meeting_days_event_id_meets_on")
        ),
        sa.UniqueConstraint(
            "event_id", "position", name=op.f("uq_event_meeting_days_event_id_position")
        ),
    )
    with op.batch_alter_table("event_meeting_days", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_meeting_days_event_id"), ["event_id"], unique=False
        )
    events, days = _events(), _days()
    connection = op.get_bind()
    rows = connection.execute(sa.select(events)).mappings().all()
    if rows:
        connection.execute(
            days.insert(),
            [
                {
                    "event_id": row["id"],
                    "position": 0,
                    "meets_on": row["meetings_on"],
                    **{name: row[name] for name in MOVED},
                }
                for row in rows
            ],
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        for name in ("meetings_on", *MOVED):
            batch_op.drop_column(name)


def downgrade() -> None:
    """Revert this revision: the events table takes back its first meeting day (later days
    are lost; an event without a day keeps its first day as the meeting day)."""
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meetings_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("morning_start", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("afternoon_start", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("morning_slots", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("afternoon_slots", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("tables", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pause_after", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("pause_minutes", sa.Integer(), nullable=True))
    events, days = _events(), _days()
    connection = op.get_bind()
    first = {
        row["event_id"]: row
        for row in connection.execute(
            sa.select(days).order_by(days.c.event_id, days.c.position.desc())
        ).mappings()
    }
    starts = sa.table("events", sa.column("id", sa.Integer()), sa.column("starts_on", sa.Date()))
    for event_id, starts_on in connection.execute(sa.select(starts.c.id, starts.c.starts_on)).all():
        row = first.get(event_id)
        if row is not None:
            values = {"meetings_on": row["meets_on"], **{name: row[name] for name in MOVED}}
        else:
            values = {"meetings_on": starts_on, **DEFAULT_DAY}
        connection.execute(events.update().where(events.c.id == event_id).values(**values))
    with op.batch_alter_table("events", schema=None) as batch_op:
        for column in _events().columns:
            if column.name != "id":
                batch_op.alter_column(column.name, existing_type=column.type, nullable=False)
    with op.batch_alter_table("event_meeting_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_meeting_days_event_id"))
    op.drop_table("event_meeting_days")

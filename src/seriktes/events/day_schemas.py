"""Pydantic shapes of the meeting days: arrivals, check-ins, meeting outcomes, the funnel."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field, model_validator

from seriktes.events.checkin import Arrival, Arrivals
from seriktes.events.models import MeetingOutcome, Outcome
from seriktes.events.schemas import _In
from seriktes.kit.db import MAX_ID


class CheckinIn(_In):
    """An arrival to record or take back, on a 0-based meeting day."""

    participant_id: int = Field(ge=1, le=MAX_ID)
    day: int = Field(default=0, ge=0, le=30)


class ScanIn(_In):
    """An arrival recorded from a scanned check-in code."""

    token: str = Field(min_length=1, max_length=64)
    day: int = Field(default=0, ge=0, le=30)


class AbsentIn(_In):
    """Participants not arrived by the start of their first meeting, to mark absent."""

    participant_ids: list[int] = Field(min_length=1, max_length=500)
    day: int = Field(default=0, ge=0, le=30)

    @model_validator(mode="after")
    def _ids(self) -> AbsentIn:
        if any(not 1 <= i <= MAX_ID for i in self.participant_ids):
            raise ValueError("participant ids are between 1 and 2147483647")
        return self


class ArrivalOut(BaseModel):
    """A participant on a day's arrivals list."""

    participant_id: int
    organisation: str
    arrived: bool
    method: str | None
    checked_in_at: datetime | None
    first_meeting: datetime | None
    late: bool
    status: str

    @classmethod
    def of(cls, row: Arrival) -> ArrivalOut:
        """The view of an arrivals row."""
        p, c = row.participant, row.checkin
        return cls(
            participant_id=p.id,
            organisation=p.organisation.name_ru,
            arrived=c is not None,
            method=c.method.value if c is not None else None,
            checked_in_at=c.checked_in_at if c is not None else None,
            first_meeting=row.first_meeting,
            late=row.late,
            status=p.status.value,
        )


class ArrivalsOut(BaseModel):
    """A meeting day's arrivals: the count and the list."""

    event_id: int
    day: int
    date: date
    arrived: int
    expected: int
    participants: list[ArrivalOut]

    @classmethod
    def of(cls, found: Arrivals) -> ArrivalsOut:
        """The view of a day's arrivals."""
        return cls(
            event_id=found.event.id,
            day=found.day,
            date=found.date,
            arrived=found.arrived,
            expected=found.expected,
            participants=[ArrivalOut.of(row) for row in found.rows],
        )


class OutcomeIn(_In):
    """One side's record of a meeting: held or not (the other side did not come) and, when
    held, its outcome."""

    participant_id: int = Field(ge=1, le=MAX_ID, description="The side recording")
    held: bool
    outcome: Outcome | None = None
    comment: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _outcome_when_held(self) -> OutcomeIn:
        if self.held and self.outcome is None:
            raise ValueError("a meeting that was held needs its outcome")
        if not self.held:
            self.outcome = None
        return self


class OutcomeOut(BaseModel):
    """One side's recorded outcome of a meeting."""

    meeting_id: int
    participant_id: int
    held: bool
    outcome: Outcome | None
    comment: str | None
    updated_at: datetime | None

    @classmethod
    def of(cls, row: MeetingOutcome) -> OutcomeOut:
        """The view of a recorded outcome."""
        return cls(
            meeting_id=row.meeting_id,
            participant_id=row.participant_id,
            held=row.held,
            outcome=row.outcome,
            comment=row.comment,
            updated_at=row.updated_at,
        )


class FunnelOut(BaseModel):
    """An event's funnel: from requests to the confirmed amount of the deals they led to."""

    event_id: int
    requests: int
    accepted: int
    scheduled: int
    held: int
    cooperation: int = Field(description="Meetings held with cooperation possible or better")
    deals: int
    confirmed_deals: int
    confirmed_amount_kzt: Decimal

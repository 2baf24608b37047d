"""Events tables: B2B days, their meeting days, participants, meeting requests (and the
meetings they become), site visits and their sign-ups.

Slots are 0-based throughout and numbered across the event's meeting days: the first day's
morning slots, then its afternoon slots, then the second day's, and so on. Blocked slots,
visits and meetings keep these global numbers; `Event.day_of` gives a slot's day and its
slot within that day.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seriktes.catalog.models import Need, Offer
from seriktes.kit import clock
from seriktes.kit.db import Base, Timestamped, UTCDateTime
from seriktes.registry.models import Organisation, Region, enum_column


class EventStatus(enum.StrEnum):
    """Life cycle of an event: only published programmes are public."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class SessionWish(enum.StrEnum):
    """When a participant can meet."""

    ANY = "any"
    MORNING = "morning"
    AFTERNOON = "afternoon"


class ParticipantStatus(enum.StrEnum):
    """Whether a participant still takes part."""

    ACTIVE = "active"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class RequestState(enum.StrEnum):
    """Life cycle of a meeting request."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class MeetingStatus(enum.StrEnum):
    """What became of an accepted request's meeting."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Outcome(enum.StrEnum):
    """What one side says came of a meeting that was held, from least to most."""

    NO_INTEREST = "no_interest"
    COOPERATION_POSSIBLE = "cooperation_possible"
    DEAL_EXPECTED = "deal_expected"
    CONTRACT_SIGNED = "contract_signed"


class CheckinMethod(enum.StrEnum):
    """How an arrival was recorded: the agenda's QR code scanned, or ticked on the list."""

    QR = "qr"
    TICK = "tick"


class VisitKind(enum.StrEnum):
    """What a site visit goes to see."""

    PLANT = "plant"
    FARM = "farm"


class Event(Timestamped, Base):
    """A B2B day: the buyers of one region meet the producers of another at tables."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    host_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    guest_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    venue: Mapped[str | None] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Almaty")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    answer_days: Mapped[int] = mapped_column(Integer, default=3)
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.DRAFT)
    # the last scheduling run: breaks, optimal, seconds, unscheduled, conflicts, solved_at
    schedule_info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    host_region: Mapped[Region] = relationship(foreign_keys=[host_region_id])
    guest_region: Mapped[Region] = relationship(foreign_keys=[guest_region_id])

    days: Mapped[list[MeetingDay]] = relationship(
        back_populates="event",
        order_by="MeetingDay.position",
        lazy="selectin",
        cascade="all, delete-orphan",
    )

    @property
    def n_slots(self) -> int:
        """Slots of every meeting day together."""
        return sum(day.n_slots for day in self.days)

    @property
    def day_starts(self) -> list[int]:
        """The first global slot of each meeting day, in day order."""
        starts, first = [], 0
        for day in self.days:
            starts.append(first)
            first += day.n_slots
        return starts

    @property
    def slot_tables(self) -> list[int]:
        """Tables of every global slot (each day has its own number of tables)."""
        return [day.tables for day in self.days for _ in range(day.n_slots)]

    @property
    def max_tables(self) -> int:
        """The most tables of any meeting day (the columns of the grid)."""
        return max((day.tables for day in self.days), default=0)

    @property
    def first_day(self) -> date:
        """The date of the first meeting day (the first day of the event without one)."""
        return self.days[0].meets_on if self.days else self.starts_on

    def day_of(self, slot: int) -> tuple[int, int]:
        """The 0-based day of a global slot and the slot within that day; a slot beyond the
        last day is counted on the last day."""
        first = 0
        for index, day in enumerate(self.days):
            if slot < first + day.n_slots or index == len(self.days) - 1:
                return index, slot - first
            first += day.n_slots
        return 0, slot

    def date_of(self, slot: int) -> date:
        """The date of a global slot."""
        if not self.days:
            return self.starts_on
        return self.days[self.day_of(slot)[0]].meets_on

    def tables_of(self, slot: int) -> int:
        """Tables in a global slot: its day's."""
        return self.days[self.day_of(slot)[0]].tables if self.days else 0

    @property
    def zone(self) -> ZoneInfo:
        """The event's time zone; the product's (Asia/Almaty) when its name is unknown."""
        try:
            return ZoneInfo(self.timezone)
        except (KeyError, ValueError):
            return clock.ZONE


class MeetingDay(Base):
    """One day of an event's one-to-one meetings: its sessions, pauses and tables."""

    __tablename__ = "event_meeting_days"
    __table_args__ = (
        UniqueConstraint("event_id", "position"),
        UniqueConstraint("event_id", "meets_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0-based, in date order
    meets_on: Mapped[date] = mapped_column(Date)
    morning_start: Mapped[time] = mapped_column(Time, default=time(10, 0))
    afternoon_start: Mapped[time] = mapped_column(Time, default=time(14, 0))
    morning_slots: Mapped[int] = mapped_column(Integer, default=6)
    afternoon_slots: Mapped[int] = mapped_column(Integer, default=6)
    tables: Mapped[int] = mapped_column(Integer, default=10)
    # pauses (coffee breaks) come after these slots of the day; each lasts pause_minutes
    pause_after: Mapped[list[int]] = mapped_column(JSON, default=list)
    pause_minutes: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship(back_populates="days")

    @property
    def n_slots(self) -> int:
        """Slots of the day, morning and afternoon."""
        return self.morning_slots + self.afternoon_slots


class Participant(Timestamped, Base):
    """An organisation taking part in an event, with its representatives and availability."""

    __tablename__ = "event_participants"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    representatives: Mapped[str] = mapped_column(String(500), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # "ru", "kk", "en"
    session_wish: Mapped[SessionWish] = mapped_column(
        enum_column(SessionWish), default=SessionWish.ANY
    )
    blocked_slots: Mapped[list[int]] = mapped_column(JSON, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=0)  # anchor buyers: 1 to 3
    # the person the other sides of its meetings meet, and how to reach them on the day
    contact_person: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    online: Mapped[bool] = mapped_column(Boolean, default=False)  # joins its meetings online
    # meeting targets: the scheduler places at least / at most this many of its meetings
    min_meetings: Mapped[int | None] = mapped_column(Integer)
    max_meetings: Mapped[int | None] = mapped_column(Integer)
    # the secret of the check-in link its agenda carries as a QR code
    checkin_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus), default=ParticipantStatus.ACTIVE
    )

    event: Mapped[Event] = relationship()
    organisation: Mapped[Organisation] = relationship()


class MeetingRequest(Timestamped, Base):
    """A request for a one-to-one meeting; once accepted and scheduled, the meeting itself."""

    __tablename__ = "meeting_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="SET NULL"))
    proposed: Mapped[bool] = mapped_column(default=False)  # proposed from the matches
    topic: Mapped[str | None] = mapped_column(String(200))  # what the requester wants to discuss
    note: Mapped[str | None] = mapped_column(String(1000))  # the requester's message
    online: Mapped[bool] = mapped_column(Boolean, default=False)  # held by video link
    meeting_url: Mapped[str | None] = mapped_column(String(500))  # its video link, when online
    state: Mapped[RequestState] = mapped_column(
        enum_column(RequestState), default=RequestState.REQUESTED
    )
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    slot: Mapped[int | None] = mapped_column(Integer)
    table_no: Mapped[int | None] = mapped_column(Integer)  # 0-based; shown 1-based
    meeting_status: Mapped[MeetingStatus | None] = mapped_column(enum_column(MeetingStatus))

    event: Mapped[Event] = relationship()
    requester: Mapped[Participant] = relationship(foreign_keys=[requester_id])
    recipient: Mapped[Participant] = relationship(foreign_keys=[recipient_id])
    need: Mapped[Need | None] = relationship()
    offer: Mapped[Offer | None] = relationship()


class SiteVisit(Timestamped, Base):
    """A visit to a plant or a farm during the meeting day; it blocks its visitors' slots."""

    __tablename__ = "site_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[VisitKind] = mapped_column(enum_column(VisitKind), default=VisitKind.PLANT)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    address: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int] = mapped_column(Integer)
    travel_minutes: Mapped[int] = mapped_column(Integer, default=0)  # each way
    first_slot: Mapped[int] = mapped_column(Integer)
    slot_count: Mapped[int] = mapped_column(Integer, default=1)

    event: Mapped[Event] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class VisitSignup(Base):
    """A participant signed up for a site visit."""

    __tablename__ = "site_visit_signups"
    __table_args__ = (UniqueConstraint("visit_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("site_visits.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    visit: Mapped[SiteVisit] = relationship()
    participant: Mapped[Participant] = relationship()


class Checkin(Base):
    """A participant's arrival on one meeting day (0-based day of the event's meeting days)."""

    __tablename__ = "event_checkins"
    __table_args__ = (UniqueConstraint("participant_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[CheckinMethod] = mapped_column(
        enum_column(CheckinMethod), default=CheckinMethod.TICK
    )
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    participant: Mapped[Participant] = relationship()


class MeetingOutcome(Timestamped, Base):
    """What one side of a meeting recorded after it: held or not (the other side did not
    come) and, when held, its outcome."""

    __tablename__ = "meeting_outcomes"
    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE"), index=True
    )
    held: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, length=24))
    comment: Mapped[str | None] = mapped_column(String(1000))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    meeting: Mapped[MeetingRequest] = relationship()
    participant: Mapped[Participant] = relationship()

"""Pydantic shapes of the events domain: what comes in (checked) and what goes out."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from seriktes.events.models import (
    Event,
    EventStatus,
    MeetingDay,
    MeetingRequest,
    MeetingStatus,
    Participant,
    ParticipantStatus,
    RequestState,
    SessionWish,
    SiteVisit,
    VisitKind,
)
from seriktes.kit.db import MAX_ID
from seriktes.kit.values import plain_integer, takes_int
from seriktes.registry.kato import oblast_of
from seriktes.registry.schemas import OrganisationRef, RegionRef

LANGUAGES = ("ru", "kk", "en")
MAX_SLOTS = 48  # of one meeting day
MAX_DAYS = 7
MAX_EVENT_SLOTS = MAX_SLOTS * MAX_DAYS  # numbered across the days
TOPIC_LENGTH = 200  # MeetingRequest.topic
Id = Field(ge=1, le=MAX_ID)
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)


def known_languages(value: list[str]) -> list[str]:
    """Languages as ru, kk, en in that order; anything else is refused."""
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"languages are ru, kk, en; unknown: {', '.join(unknown)}")
    return sorted(set(value), key=LANGUAGES.index)


def slot_numbers(value: list[int]) -> list[int]:
    """Slot numbers sorted once each; a number no day can have is refused."""
    if any(not 0 <= slot < MAX_EVENT_SLOTS for slot in value):
        raise ValueError("a blocked slot is a slot number of the day")
    return sorted(set(value))


PHONE = r"^\+?[0-9 ()-]{5,40}$"  # digits with the usual separators


def meeting_targets(least: int | None, most: int | None) -> None:
    """Refuse a participant's meeting targets whose least exceeds its most."""
    if least is not None and most is not None and least > most:
        raise ValueError("the least number of meetings may not exceed the most")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        # PostgreSQL text cannot hold NUL characters
        if isinstance(data, dict) and any(
            isinstance(v, str) and "\x00" in v for v in data.values()
        ):
            raise ValueError("text may not contain NUL characters")
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _ascii_integers(cls, value: Any, info: ValidationInfo) -> Any:
        # pydantic reads «1_000» as 1000; a form's numbers are digits 0-9
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and takes_int(field.annotation):
            if isinstance(value, list):
                return [plain_integer(item) for item in value]
            return plain_integer(value)
        return value


class _Sessions(_In):
    """A meeting day's sessions, tables and pauses (after slots of the day, 0-based): the
    fields of a day, and of an event given as one day (`EventIn.meetings_on`)."""

    morning_start: time = time(10, 0)
    afternoon_start: time = time(14, 0)
    morning_slots: int = Field(default=6, ge=0, le=MAX_SLOTS)
    afternoon_slots: int = Field(default=6, ge=0, le=MAX_SLOTS)
    tables: int = Field(default=10, ge=1, le=500)
    pause_after: list[int] = Field(default_factory=list, max_length=MAX_SLOTS)
    pause_minutes: int = Field(default=0, ge=0, le=240)

    def sessions(self) -> dict[str, Any]:
        """The values of these fields."""
        return {name: getattr(self, name) for name in _Sessions.model_fields}


class MeetingDayIn(_Sessions):
    """One meeting day: its date, sessions, tables and pauses. `id` names a day of the event
    being changed; a day without one is new."""

    id: int | None = Field(default=None, ge=1, le=MAX_ID)
    meets_on: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    # read back from a MeetingDayOut and sent again: accepted and ignored (they follow the days)
    position: int | None = Field(default=None, ge=0, le=MAX_DAYS)
    first_slot: int | None = Field(default=None, ge=0, le=MAX_EVENT_SLOTS)

    def columns(self) -> dict[str, Any]:
        """The values of a stored day's own columns."""
        return self.model_dump(exclude={"id", "position", "first_slot"})

    def check(self, slot_minutes: int) -> None:
        """Refuse a day without slots, pauses outside it and a morning that runs into the
        afternoon (ValueError, as pydantic's validators do)."""
        slots = self.morning_slots + self.afternoon_slots
        if slots == 0:
            raise ValueError("the meeting day needs at least one slot")
        if any(not 0 <= after < slots - 1 for after in self.pause_after):
            raise ValueError("a pause must come after a slot of the day, not after the last")
        morning = [p for p in self.pause_after if p < self.morning_slots]
        minutes = self.morning_slots * slot_minutes + len(morning) * self.pause_minutes
        ends = self.morning_start.hour * 60 + self.morning_start.minute + minutes
        starts = self.afternoon_start.hour * 60 + self.afternoon_start.minute
        if self.morning_slots and self.afternoon_slots and ends > starts:
            raise ValueError("the morning session runs into the afternoon session")


def check_days(
    days: list[MeetingDayIn], starts_on: date, ends_on: date, slot_minutes: int
) -> list[MeetingDayIn]:
    """Meeting days in date order, each checked, on different dates within the event."""
    if not days:
        raise ValueError("the event needs at least one meeting day")
    if len({day.meets_on for day in days}) < len(days):
        raise ValueError("two meeting days fall on the same date")
    for day in days:
        if not starts_on <= day.meets_on <= ends_on:
            raise ValueError("the meeting day must fall between the first and last day")
        day.check(slot_minutes)
    return sorted(days, key=lambda day: day.meets_on)


class EventIn(_Sessions):
    """A new event; the regions are KATO codes of top-level regions. Its meeting days are
    `days`, or, as before there were several, the one day of `meetings_on` and the session
    fields beside it."""

    title: str = Field(min_length=3, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    host_region: str = Field(pattern=r"^[0-9]{2,9}$")
    guest_region: str = Field(pattern=r"^[0-9]{2,9}$")
    venue: str | None = Field(default=None, max_length=300)
    starts_on: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    ends_on: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    slot_minutes: int = Field(default=20, ge=5, le=240)
    days: list[MeetingDayIn] | None = Field(default=None, min_length=1, max_length=MAX_DAYS)
    meetings_on: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    answer_days: int = Field(default=3, ge=1, le=60)
    status: EventStatus = EventStatus.DRAFT

    @model_validator(mode="after")
    def _consistent(self) -> EventIn:
        if oblast_of(self.host_region) == oblast_of(self.guest_region):
            raise ValueError("the host and guest regions must differ")
        if self.days is None:
            if self.meetings_on is None:
                raise ValueError("the event needs at least one meeting day")
            self.days = [self.first_day()]
        self.days = check_days(self.days, self.starts_on, self.ends_on, self.slot_minutes)
        return self

    def first_day(self) -> MeetingDayIn:
        """The one meeting day of the flat fields."""
        assert self.meetings_on is not None
        return MeetingDayIn(meets_on=self.meetings_on, **self.sessions())

    def event_fields(self) -> dict[str, Any]:
        """The values of the event's own columns."""
        return self.model_dump(
            include={
                "title", "description", "venue", "starts_on", "ends_on", "slot_minutes",
                "answer_days", "status",
            }
        )  # fmt: skip


class EventChanges(_In):
    """Fields of an event that may change after it is created. `days` replaces the meeting
    days: a day sent with its `id` is changed, one without is added, one left out is removed
    (refused while it holds meetings or site visits); `tables` sets every day's tables."""

    title: str | None = Field(default=None, min_length=3, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    venue: str | None = Field(default=None, max_length=300)
    tables: int | None = Field(default=None, ge=1, le=500)
    answer_days: int | None = Field(default=None, ge=1, le=60)
    status: EventStatus | None = None
    days: list[MeetingDayIn] | None = Field(default=None, min_length=1, max_length=MAX_DAYS)


class ParticipantIn(_In):
    """An organisation joining an event."""

    organisation_id: int = Id
    representatives: str = Field(default="", max_length=500)
    languages: list[str] = Field(default_factory=lambda: ["ru"], max_length=3)
    session_wish: SessionWish = SessionWish.ANY
    blocked_slots: list[int] = Field(default_factory=list, max_length=MAX_EVENT_SLOTS)
    priority: int = Field(default=0, ge=0, le=3)
    contact_person: str | None = Field(default=None, max_length=200)
    contact_phone: str | None = Field(default=None, max_length=40, pattern=PHONE)
    online: bool = False
    min_meetings: int | None = Field(default=None, ge=0, le=MAX_EVENT_SLOTS)
    max_meetings: int | None = Field(default=None, ge=0, le=MAX_EVENT_SLOTS)

    @field_validator("max_meetings")
    @classmethod
    def _targets(cls, value: int | None, info: ValidationInfo) -> int | None:
        meeting_targets(info.data.get("min_meetings"), value)
        return value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        return known_languages(value)

    @field_validator("blocked_slots")
    @classmethod
    def _slots(cls, value: list[int]) -> list[int]:
        return slot_numbers(value)


class ParticipantChanges(_In):
    """Availability of a participant that may change after it is added; only the fields sent
    change. `unschedule_conflicts` (organisers) sends the meetings that would fall in slots no
    longer available back to waiting instead of refusing the change."""

    representatives: str | None = Field(default=None, max_length=500)
    languages: list[str] | None = Field(default=None, min_length=1, max_length=3)
    session_wish: SessionWish | None = None
    blocked_slots: list[int] | None = Field(default=None, max_length=MAX_EVENT_SLOTS)
    priority: int | None = Field(default=None, ge=0, le=3)
    contact_person: str | None = Field(default=None, max_length=200)
    contact_phone: str | None = Field(default=None, max_length=40, pattern=PHONE)
    online: bool | None = None
    min_meetings: int | None = Field(default=None, ge=0, le=MAX_EVENT_SLOTS)
    max_meetings: int | None = Field(default=None, ge=0, le=MAX_EVENT_SLOTS)
    unschedule_conflicts: bool = False

    @field_validator("max_meetings")
    @classmethod
    def _targets(cls, value: int | None, info: ValidationInfo) -> int | None:
        meeting_targets(info.data.get("min_meetings"), value)
        return value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else known_languages(value)

    @field_validator("blocked_slots")
    @classmethod
    def _slots(cls, value: list[int] | None) -> list[int] | None:
        return None if value is None else slot_numbers(value)


class RegistrationIn(_In):
    """A member registers their own organisation: its people and availability."""

    representatives: str = Field(default="", max_length=500)
    languages: list[str] = Field(default_factory=lambda: ["ru"], min_length=1, max_length=3)
    session_wish: SessionWish = SessionWish.ANY
    blocked_slots: list[int] = Field(default_factory=list, max_length=MAX_EVENT_SLOTS)
    contact_person: str | None = Field(default=None, max_length=200)
    contact_phone: str | None = Field(default=None, max_length=40, pattern=PHONE)
    online: bool = False

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        return known_languages(value)

    @field_validator("blocked_slots")
    @classmethod
    def _slots(cls, value: list[int]) -> list[int]:
        return slot_numbers(value)


class RequestIn(_In):
    """A meeting request from one participant to another."""

    requester_id: int = Id
    recipient_id: int = Id
    need_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    offer_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    topic: str | None = Field(
        default=None,
        max_length=TOPIC_LENGTH,
        description="What to discuss; by default the title of the need or offer named, else "
        "of the need of the two organisations' best match",
    )
    note: str | None = Field(
        default=None, max_length=1000, description="The requester's message to the other side"
    )


class AnswerIn(_In):
    """The recipient's answer to a request."""

    accept: bool


class ProposeIn(_In):
    """How many of each need's best producers to propose a meeting with."""

    per_need: int = Field(default=2, ge=1, le=10)


class VisitIn(_In):
    """A site visit: a plant or a farm, its capacity and the slots it occupies."""

    title: str = Field(min_length=3, max_length=300)
    kind: VisitKind = VisitKind.PLANT
    organisation_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    address: str | None = Field(default=None, max_length=300)
    capacity: int = Field(ge=1, le=10_000)
    travel_minutes: int = Field(default=0, ge=0, le=600)
    first_slot: int = Field(ge=0, lt=MAX_EVENT_SLOTS)  # a global slot: on any meeting day
    slot_count: int = Field(default=1, ge=1, le=MAX_SLOTS)


class SignupIn(_In):
    """Sign a participant up for a site visit."""

    participant_id: int = Id


class CancelIn(_In):
    """A participant cancels (or did not come); `move_others` lets other meetings move."""

    no_show: bool = False
    move_others: bool = False


class SolveIn(_In):
    """Scheduling options."""

    time_limit: float = Field(default=10.0, gt=0, le=60)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


# --- out ---------------------------------------------------------------------------------
class MeetingDayOut(BaseModel):
    """A meeting day as the API shows it, with its first global slot."""

    id: int
    position: int
    meets_on: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    morning_start: time
    afternoon_start: time
    morning_slots: int
    afternoon_slots: int
    tables: int
    pause_after: list[int]
    pause_minutes: int
    first_slot: int

    @classmethod
    def of(cls, day: MeetingDay, first_slot: int) -> MeetingDayOut:
        """The view of a meeting day."""
        return cls.model_construct(
            id=day.id,
            position=day.position,
            meets_on=day.meets_on,
            morning_start=day.morning_start,
            afternoon_start=day.afternoon_start,
            morning_slots=day.morning_slots,
            afternoon_slots=day.afternoon_slots,
            tables=day.tables,
            pause_after=list(day.pause_after or []),
            pause_minutes=day.pause_minutes,
            first_slot=first_slot,
        )


class EventOut(BaseModel):
    """An event as the API shows it: its meeting days in `days`; `meetings_on` and the
    session fields beside it are its first day's, as before there were several."""

    id: int
    title: str
    description: str | None
    host_region: RegionRef | None
    guest_region: RegionRef | None
    venue: str | None
    starts_on: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    ends_on: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    meetings_on: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    morning_start: time
    afternoon_start: time
    slot_minutes: int
    morning_slots: int
    afternoon_slots: int
    tables: int
    pause_after: list[int]
    pause_minutes: int
    days: list[MeetingDayOut]
    slots: int
    answer_days: int
    status: EventStatus
    schedule: dict[str, Any]

    @classmethod
    def of(cls, event: Event) -> EventOut:
        """The view of an event."""
        days = [MeetingDayOut.of(d, s) for d, s in zip(event.days, event.day_starts, strict=True)]
        first = days[0]
        return cls.model_construct(
            id=event.id,
            title=event.title,
            description=event.description,
            host_region=RegionRef.of(event.host_region),
            guest_region=RegionRef.of(event.guest_region),
            venue=event.venue,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            meetings_on=first.meets_on,
            morning_start=first.morning_start,
            afternoon_start=first.afternoon_start,
            slot_minutes=event.slot_minutes,
            morning_slots=first.morning_slots,
            afternoon_slots=first.afternoon_slots,
            tables=first.tables,
            pause_after=first.pause_after,
            pause_minutes=first.pause_minutes,
            days=days,
            slots=event.n_slots,
            answer_days=event.answer_days,
            status=event.status,
            schedule=dict(event.schedule_info or {}),
        )


class ParticipantOut(BaseModel):
    """A participant as the API shows it."""

    id: int
    event_id: int
    organisation: OrganisationRef
    side: str
    representatives: str | None  # None for readers who may not see names (the public)
    languages: list[str]
    session_wish: SessionWish
    blocked_slots: list[int]
    priority: int
    online: bool
    min_meetings: int | None
    max_meetings: int | None
    status: ParticipantStatus

    @classmethod
    def of(cls, participant: Participant, side: str, people: bool = True) -> ParticipantOut:
        """The view of a participant on the `side` ("host" or "guest"); without `people`, not
        the names of its representatives."""
        return cls.model_construct(
            id=participant.id,
            event_id=participant.event_id,
            organisation=OrganisationRef.of(participant.organisation),
            side=side,
            representatives=participant.representatives if people else None,
            languages=list(participant.languages or []),
            session_wish=participant.session_wish,
            blocked_slots=list(participant.blocked_slots or []),
            priority=participant.priority,
            online=participant.online,
            min_meetings=participant.min_meetings,
            max_meetings=participant.max_meetings,
            status=participant.status,
        )


class ParticipantChangedOut(ParticipantOut):
    """A participant after a change, with the meetings sent back to waiting."""

    unscheduled: list[int]


class RequestOut(BaseModel):
    """A meeting request (and its meeting, once scheduled)."""

    id: int
    event_id: int
    requester_id: int
    recipient_id: int
    requester: str
    recipient: str
    need_id: int | None
    offer_id: int | None
    proposed: bool
    topic: str | None
    note: str | None
    state: RequestState
    deadline: datetime
    slot: int | None
    table: int | None
    meeting_status: MeetingStatus | None
    interpreter: bool

    @classmethod
    def of(cls, request: MeetingRequest, state: RequestState, interpreter: bool) -> RequestOut:
        """The view of a request in its current `state` (expiry applied)."""
        return cls.model_construct(
            id=request.id,
            event_id=request.event_id,
            requester_id=request.requester_id,
            recipient_id=request.recipient_id,
            requester=request.requester.organisation.name_ru,
            recipient=request.recipient.organisation.name_ru,
            need_id=request.need_id,
            offer_id=request.offer_id,
            proposed=request.proposed,
            topic=request.topic,
            note=request.note,
            state=state,
            deadline=request.deadline,
            slot=request.slot,
            table=None if request.table_no is None else request.table_no + 1,
            meeting_status=request.meeting_status,
            interpreter=interpreter,
        )


class VisitOut(BaseModel):
    """A site visit with how many places are taken."""

    id: int
    event_id: int
    title: str
    kind: VisitKind
    organisation_id: int | None
    address: str | None
    capacity: int
    taken: int
    travel_minutes: int
    first_slot: int
    slot_count: int
    participant_ids: list[int]

    @classmethod
    def of(cls, visit: SiteVisit, participant_ids: list[int]) -> VisitOut:
        """The view of a visit and the participants signed up for it."""
        return cls.model_construct(
            id=visit.id,
            event_id=visit.event_id,
            title=visit.title,
            kind=visit.kind,
            organisation_id=visit.organisation_id,
            address=visit.address,
            capacity=visit.capacity,
            taken=len(participant_ids),
            travel_minutes=visit.travel_minutes,
            first_slot=visit.first_slot,
            slot_count=visit.slot_count,
            participant_ids=participant_ids,
        )


class MeetingOut(BaseModel):
    """A scheduled meeting in the grid."""

    request_id: int
    slot: int
    day: int  # 0-based meeting day of the slot
    table: int | None  # None for a meeting held online without a table
    online: bool
    starts: datetime  # aware (UTC): the slot on the meeting day in the event's time zone
    ends: datetime
    requester_id: int
    recipient_id: int
    requester: str
    recipient: str
    interpreter: bool


class ScheduleOut(BaseModel):
    """The stored schedule of an event and the last scheduling run."""

    event_id: int
    slots: int
    tables: int  # the most tables of any day
    days: list[MeetingDayOut]
    meetings: list[MeetingOut]
    waiting: list[int]
    info: dict[str, Any]


class AgendaItemOut(BaseModel):
    """One entry of a personal agenda: a meeting or a site visit."""

    kind: str
    slot: int
    day: int  # 0-based meeting day
    starts: datetime
    ends: datetime
    table: int | None
    title: str
    with_organisation: str | None
    with_people: str | None
    contact_person: str | None  # the other side's, for the meeting's sides and organisers
    contact_phone: str | None
    online: bool
    meeting_url: str | None
    interpreter: bool


class AgendaOut(BaseModel):
    """A participant's agenda over the meeting days."""

    event_id: int
    participant_id: int
    organisation: str
    items: list[AgendaItemOut]

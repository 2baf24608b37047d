"""Business rules of events: creating events, participants, site visits and sign-ups, and
reading them as a user may see them. Requests live in `requests`, schedules in `scheduling`."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.events import days, notices, repository
from seriktes.events.models import (
    Event,
    MeetingDay,
    MeetingStatus,
    Participant,
    ParticipantStatus,
    SiteVisit,
    VisitSignup,
)
from seriktes.events.policy import (
    acts_for_participant,
    can_manage_event,
    can_read_event,
    registering,
    side_of,
    visible_events,
)
from seriktes.events.schemas import (
    EventChanges,
    EventIn,
    ParticipantIn,
    RegistrationIn,
    VisitIn,
)
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, ErrorItem, Forbidden, NotFound, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import Page, PageRequest, paginate
from seriktes.registry import repository as registry_repository
from seriktes.registry.models import Organisation, Region


# --- events ------------------------------------------------------------------------------
def list_events(session: Session, user: User | None, request: PageRequest) -> Page[Event]:
    """The events `user` may read, newest meeting day first."""
    return paginate(session, repository.event_query(visible_events(user)), request)


def get_event(session: Session, user: User | None, event_id: int) -> Event:
    """An event `user` may read; NotFound otherwise (drafts are not revealed)."""
    event = get_by_id(session, Event, event_id)
    if event is None or not can_read_event(user, event):
        raise NotFound(N_("no event with id %(event_id)s"), params={"event_id": event_id})
    return event


def managed_event(session: Session, user: User | None, event_id: int) -> Event:
    """An event `user` organises; NotFound if unreadable, Forbidden if only readable."""
    event = get_event(session, user, event_id)
    if not can_manage_event(user, event):
        raise Forbidden(N_("only the coordinators of the host or guest region organise this event"))
    return event


def _top_region(session: Session, kato: str, field: str) -> Region:
    region = registry_repository.oblast_region(session, kato)
    region = region or registry_repository.region_by_kato(session, kato)
    if region is None:
        raise ValidationFailed(
            N_("unknown region %(kato)s"),
            [ErrorItem(("body", field), N_("unknown"))],
            params={"kato": kato},
        )
    return region


def create_event(session: Session, user: User, data: EventIn) -> Event:
    """Create an event; coordinators may create one only for their host or guest region."""
    host = _top_region(session, data.host_region, "host_region")
    guest = _top_region(session, data.guest_region, "guest_region")
    assert data.days is not None  # EventIn fills them in
    days = [MeetingDay(position=n, **day.columns()) for n, day in enumerate(data.days)]
    event = Event(
        **data.event_fields(), days=days, host_region=host, guest_region=guest, schedule_info={}
    )
    if not can_manage_event(user, event):
        raise Forbidden(N_("you may organise events only of your own region"))
    session.add(event)
    session.flush()
    return event


def update_event(session: Session, user: User, event_id: int, changes: EventChanges) -> Event:
    """Change the fields sent."""
    event = managed_event(session, user, event_id)
    for name, value in changes.model_dump(exclude_unset=True).items():
        if value is None and name in ("title", "tables", "answer_days", "status", "days"):
            raise ValidationFailed(
                N_("%(name)s may not be empty"),
                [ErrorItem(("body", name), N_("null"))],
                params={"name": name},
            )
        if name == "tables":
            for day in event.days:
                day.tables = value
        elif name != "days":
            setattr(event, name, value)
    if changes.days is not None:
        days.set_days(session, event, changes.days)
    session.flush()
    return event


# --- slots -------------------------------------------------------------------------------
def day_times(day: MeetingDay, slot_minutes: int) -> list[tuple[time, time]]:
    """Start and end of every slot of one meeting day, pauses included."""
    pauses = set(day.pause_after or [])
    result = []
    for slot in range(day.n_slots):
        first = 0 if slot < day.morning_slots else day.morning_slots
        begin = day.morning_start if slot < day.morning_slots else day.afternoon_start
        before = sum(1 for p in pauses if first <= p < slot)
        minutes = (
            begin.hour * 60 + begin.minute + (slot - first) * slot_minutes
            + before * day.pause_minutes
        )  # fmt: skip
        end = minutes + slot_minutes
        result.append((time(minutes // 60 % 24, minutes % 60), time(end // 60 % 24, end % 60)))
    return result


def slot_times(event: Event) -> list[tuple[time, time]]:
    """Start and end of every global slot, day after day, pauses included."""
    return [span for day in event.days for span in day_times(day, event.slot_minutes)]


def slot_moment(event: Event, day: date, at: time) -> datetime:
    """A time of a meeting day in the event's time zone, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=event.zone).astimezone(UTC)


def slot_span(
    event: Event, slot: int, last: int | None = None, times: list[tuple[time, time]] | None = None
) -> tuple[datetime, datetime]:
    """When a global slot (or slots `slot` to `last` of one day) starts and ends, as aware
    UTC datetimes on its own day's date."""
    times = times if times is not None else slot_times(event)
    on = event.date_of(slot)
    end = slot if last is None else last
    return slot_moment(event, on, times[slot][0]), slot_moment(event, on, times[end][1])


def visit_blocked_slots(event: Event, visit: SiteVisit) -> set[int]:
    """Slots a visitor loses: the visit's own slots and the travel there and back, within
    the visit's meeting day."""
    travel = math.ceil(visit.travel_minutes / event.slot_minutes) if visit.travel_minutes else 0
    index, _ = event.day_of(visit.first_slot)
    day_first = event.day_starts[index] if event.days else 0
    day_last = day_first + (event.days[index].n_slots if event.days else 0) - 1
    first = max(day_first, visit.first_slot - travel)
    last = min(day_last, visit.first_slot + visit.slot_count - 1 + travel)
    return set(range(first, last + 1))


# --- participants ------------------------------------------------------------------------
def add_participant(
    session: Session, user: User, event_id: int, data: ParticipantIn
) -> Participant:
    """Register an organisation of the host or guest region for the event."""
    event = managed_event(session, user, event_id)
    org = get_by_id(session, Organisation, data.organisation_id)
    if org is None:
        raise NotFound(
            N_("no organisation with id %(organisation_id)s"),
            params={"organisation_id": data.organisation_id},
        )
    if side_of(event, org) is None:
        detail = N_("the organisation is of neither the host nor the guest region")
        raise ValidationFailed(detail, [ErrorItem(("body", "organisation_id"), detail)])
    check_slots(event, data.blocked_slots)
    participant = Participant(event=event, **data.model_dump())
    return _added(session, participant, N_("this organisation already takes part in the event"))


def register_own(session: Session, user: User, event_id: int, data: RegistrationIn) -> Participant:
    """A member registers their own organisation for a published event of its region."""
    event = get_event(session, user, event_id)
    org = registering(session, user, event)
    check_slots(event, data.blocked_slots)
    participant = Participant(event=event, organisation=org, priority=0, **data.model_dump())
    return _added(session, participant, N_("your organisation already takes part in the event"))


CHECKIN_TOKEN_BYTES = 24  # the secret of a check-in link: 32 characters of base64url


def new_checkin_token() -> str:
    """A new unguessable check-in token (`checkin`)."""
    return secrets.token_urlsafe(CHECKIN_TOKEN_BYTES)


def _added(session: Session, participant: Participant, taken: str) -> Participant:
    """Write a new participant with its check-in token; Conflict(`taken`) when its
    organisation is registered."""
    participant.checkin_token = new_checkin_token()
    try:
        with session.begin_nested():
            session.add(participant)
            session.flush()
    except IntegrityError:
        raise Conflict(taken) from None
    return participant


def check_slots(event: Event, slots: list[int], field: str = "blocked_slots") -> None:
    """Refuse slot numbers beyond the event's last meeting day."""
    if any(slot >= event.n_slots for slot in slots):
        detail = N_("the meeting days have %(slots)s slots (0 to %(last)s)")
        params = {"slots": event.n_slots, "last": event.n_slots - 1}
        raise ValidationFailed(detail, [ErrorItem(("body", field), detail, params)], params)


def participants(session: Session, user: User | None, event_id: int) -> list[Participant]:
    """The participants of an event `user` may read."""
    get_event(session, user, event_id)
    return repository.participants(session, event_id)


def get_participant(session: Session, user: User | None, event_id: int, pid: int) -> Participant:
    """A participant of an event `user` may read."""
    get_event(session, user, event_id)
    participant = get_by_id(session, Participant, pid)
    if participant is None or participant.event_id != event_id:
        raise NotFound(
            N_("no participant %(pid)s in event %(event_id)s"),
            params={"pid": pid, "event_id": event_id},
        )
    return participant


def acting_participant(
    session: Session, user: User | None, event_id: int, pid: int, field: str
) -> Participant:
    """A participant `user` acts for; 404 when it is not in the event, 403 when not theirs."""
    participant = get_participant(session, user, event_id, pid)
    if not acts_for_participant(user, participant):
        raise Forbidden(
            N_("you may not act for participant %(pid)s (%(field)s)"),
            params={"pid": pid, "field": field},
        )
    return participant


def my_participants(user: User | None, found: list[Participant]) -> list[Participant]:
    """The participants among `found` that `user` acts for."""
    return [p for p in found if acts_for_participant(user, p)]


# --- site visits -------------------------------------------------------------------------
def add_visit(session: Session, user: User, event_id: int, data: VisitIn) -> SiteVisit:
    """Add a site visit to an event."""
    event = managed_event(session, user, event_id)
    index, local = event.day_of(data.first_slot)
    day = event.days[index]
    if data.first_slot >= event.n_slots or local + data.slot_count > day.n_slots:
        detail = N_("the day has %(slots)s slots; the visit must end within them")
        params = {"slots": day.n_slots}
        raise ValidationFailed(detail, [ErrorItem(("body", "first_slot"), detail, params)], params)
    if (
        data.organisation_id is not None
        and get_by_id(session, Organisation, data.organisation_id) is None
    ):
        raise NotFound(
            N_("no organisation with id %(organisation_id)s"),
            params={"organisation_id": data.organisation_id},
        )
    visit = SiteVisit(event=event, **data.model_dump())
    session.add(visit)
    session.flush()
    return visit


def get_visit(session: Session, user: User | None, event_id: int, visit_id: int) -> SiteVisit:
    """A site visit of an event `user` may read."""
    get_event(session, user, event_id)
    visit = get_by_id(session, SiteVisit, visit_id)
    if visit is None or visit.event_id != event_id:
        raise NotFound(
            N_("no site visit %(visit_id)s in event %(event_id)s"),
            params={"visit_id": visit_id, "event_id": event_id},
        )
    return visit


@dataclass(frozen=True)
class VisitView:
    """A site visit with the participants signed up."""

    visit: SiteVisit
    participant_ids: list[int]

    @property
    def free(self) -> int:
        """Places left."""
        return max(0, self.visit.capacity - len(self.participant_ids))


def visits(session: Session, user: User | None, event_id: int) -> list[VisitView]:
    """The site visits of an event with who signed up."""
    get_event(session, user, event_id)
    taken: dict[int, list[int]] = {}
    for signup in repository.signups(session, event_id):
        taken.setdefault(signup.visit_id, []).append(signup.participant_id)
    return [VisitView(v, taken.get(v.id, [])) for v in repository.visits(session, event_id)]


def sign_up(
    session: Session, user: User, event_id: int, visit_id: int, participant_id: int
) -> VisitSignup:
    """Sign a participant up for a visit: capacity is enforced and the visit's slots (with
    the travel) must not hold one of its scheduled meetings."""
    visit = get_visit(session, user, event_id, visit_id)
    participant = acting_participant(session, user, event_id, participant_id, "participant_id")
    if participant.status is not ParticipantStatus.ACTIVE:
        raise Conflict(N_("the participant has cancelled"))
    if session.scalar(
        select(VisitSignup.id).where(
            VisitSignup.visit_id == visit.id, VisitSignup.participant_id == participant.id
        )
    ):
        raise Conflict(N_("the participant is already signed up for this visit"))
    if repository.signup_count(session, visit.id) >= visit.capacity:
        raise Conflict(
            N_("the visit is full (%(capacity)s places)"), params={"capacity": visit.capacity}
        )
    blocked = visit_blocked_slots(visit.event, visit)
    clash = sorted(blocked & scheduled_slots(session, participant))
    if clash:
        raise Conflict(
            N_(
                "the participant has meetings during the visit (slots %(slots)s); cancel them "
                "or reschedule first"
            ),
            params={"slots": ", ".join(str(s + 1) for s in clash)},
        )
    signup = VisitSignup(visit_id=visit.id, participant_id=participant.id)
    session.add(signup)
    session.flush()
    at = slot_times(visit.event)[visit.first_slot][0].strftime("%H:%M")
    at = f"{visit.event.date_of(visit.first_slot):%d.%m.%Y} {at}"
    notices.signed_up(session, signup, at, repository.signup_count(session, visit.id))
    return signup


def scheduled_slots(session: Session, participant: Participant) -> set[int]:
    """Slots in which a participant has a scheduled meeting."""
    return {
        r.slot
        for r in repository.requests(session, participant.event_id, [participant.id])
        if r.meeting_status is MeetingStatus.SCHEDULED and r.slot is not None
    }


def default_deadline(event: Event, now: datetime) -> datetime:
    """When an unanswered request stops blocking: `answer_days` from now, and no later than
    the start of the first meeting day."""
    if not event.n_slots:
        return now + timedelta(days=event.answer_days)
    return min(now + timedelta(days=event.answer_days), slot_span(event, 0)[0])

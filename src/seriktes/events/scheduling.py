"""From accepted requests to a schedule: the scheduler's Problem built from the database,
the schedule stored back (slot and table per meeting), rescheduling after a cancellation,
availability changed under a stored schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.events import repository
from seriktes.events.conflicts import CONFLICTS_KEPT, conflict_texts, stored_conflict
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
)
from seriktes.events.online import set_online, takes_table
from seriktes.events.policy import can_set_priority
from seriktes.events.requests import expire_requests, needs_interpreter
from seriktes.events.schedule_changes import ScheduleStored, announce, seats
from seriktes.events.scheduler import EITHER, Meeting, Problem, Schedule, reschedule, solve
from seriktes.events.schemas import ParticipantChanges
from seriktes.events.service import (
    acting_participant,
    check_slots,
    get_event,
    managed_event,
    slot_times,
    visit_blocked_slots,
)
from seriktes.kit import clock
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, ErrorItem, Forbidden, Message, NotFound, ValidationFailed
from seriktes.kit.i18n import N_


@dataclass
class EventProblem:
    """The scheduler's problem of an event and the way back to the database rows."""

    event: Event
    problem: Problem
    participants: list[Participant]  # participant index → row
    requests: list[MeetingRequest]  # meeting index → row
    index: dict[int, int] = field(default_factory=dict)  # participant id → index


# fields a change may empty (None); the others may only be changed
CLEARABLE = {"representatives", "contact_person", "contact_phone", "min_meetings", "max_meetings"}


def unavailable_slots(event: Event, wish: SessionWish, blocked: list[int]) -> set[int]:
    """Slots ruled out by a participant's own availability: blocked ones and, on every
    meeting day, the other session when it wished for one."""
    slots = {s for s in blocked if 0 <= s < event.n_slots}
    for first, day in zip(event.day_starts, event.days, strict=True):
        noon = first + day.morning_slots
        if wish is SessionWish.MORNING:
            slots |= set(range(noon, first + day.n_slots))
        elif wish is SessionWish.AFTERNOON:
            slots |= set(range(first, noon))
    return slots


def forbidden_slots(event: Event, participant: Participant, visits: set[int]) -> set[int]:
    """Slots a participant cannot meet in: blocked ones, the other session when it wished for
    one, and site visits with the travel."""
    wish, blocked = participant.session_wish, participant.blocked_slots or []
    return unavailable_slots(event, wish, blocked) | visits


def problem_for_event(
    session: Session, event_id: int, meetings: list[MeetingRequest] | None = None
) -> EventProblem:
    """The scheduling problem of an event: every participant, the accepted requests of active
    participants (or `meetings`), forbidden slots from availability and visits, and weights
    from the anchor buyers' priority."""
    event = get_by_id(session, Event, event_id)
    if event is None:
        raise NotFound(N_("no event with id %(event_id)s"), params={"event_id": event_id})
    people = repository.participants(session, event_id)
    index = {p.id: i for i, p in enumerate(people)}
    visiting: dict[int, set[int]] = {}
    for signup in repository.signups(session, event_id):
        slots = visit_blocked_slots(event, signup.visit)
        visiting.setdefault(signup.participant_id, set()).update(slots)
    if meetings is None:
        meetings = [
            r
            for r in repository.requests(session, event_id)
            if r.state is RequestState.ACCEPTED
            and r.meeting_status in (None, MeetingStatus.SCHEDULED)
            and r.requester.status is ParticipantStatus.ACTIVE
            and r.recipient.status is ParticipantStatus.ACTIVE
        ]
    problem = Problem(
        n_participants=len(people),
        n_slots=event.n_slots,
        n_morning=event.days[0].morning_slots if event.days else 0,
        tables=event.max_tables,
        meetings=[
            Meeting(
                a=index[r.requester_id],
                b=index[r.recipient_id],
                session=EITHER,
                weight=1 + max(r.requester.priority, r.recipient.priority),
            )
            for r in meetings
        ],
        forbidden=[forbidden_slots(event, p, visiting.get(p.id, set())) for p in people],
        name=f"event-{event_id}",
        day_starts=event.day_starts or [0],
        slot_tables=event.slot_tables,
        min_meetings=[p.min_meetings for p in people],
        max_meetings=[p.max_meetings for p in people],
    )
    return EventProblem(event, problem, people, meetings, index)


def _tables(built: EventProblem, schedule: Schedule, keep: bool) -> dict[int, int | None]:
    """Tables of the scheduled meetings, within each slot's day's tables. After a reschedule
    (`keep`) a meeting that keeps its slot keeps its table too, so that nobody's agenda
    changes; others take the engine's table when free, else a free one. A meeting whose two
    sides are online takes none; one that finds no free table is left out (back to waiting)."""
    event = built.event
    tables: dict[int, int | None] = {}
    used: dict[int, set[int]] = {}
    for position, slot in schedule.slots.items():
        request = built.requests[position]
        before = request.table_no
        if not takes_table(request):
            tables[position] = None
        elif (
            keep
            and request.meeting_status is MeetingStatus.SCHEDULED
            and request.slot == slot
            and before is not None
            and before < event.tables_of(slot)
            and before not in used.setdefault(slot, set())
        ):
            tables[position] = before
            used[slot].add(before)
    for position, slot in sorted(schedule.slots.items()):
        if position in tables:
            continue
        taken = used.setdefault(slot, set())
        table = schedule.tables.get(position)
        if table is None or table in taken or table >= event.tables_of(slot):
            table = next((t for t in range(event.tables_of(slot)) if t not in taken), None)
        if table is None:
            continue  # more meetings than the day's tables: back to waiting
        tables[position] = table
        taken.add(table)
    return tables


def _store(built: EventProblem, schedule: Schedule, kind: str) -> dict[str, Any]:
    """Write slots, tables and online links into the requests and the run's summary into the
    event."""
    tables = _tables(built, schedule, keep=kind != "solve")
    details = [
        stored_conflict(c, built.requests, built.participants)
        for c in schedule.conflicts[:CONFLICTS_KEPT]
    ]
    people = {p.id: p for p in built.participants}
    for position, request in enumerate(built.requests):
        if position in schedule.slots and position in tables:
            request.slot = schedule.slots[position]
            request.table_no = tables[position]
            request.meeting_status = MeetingStatus.SCHEDULED
            set_online(request)
        elif request.meeting_status in (None, MeetingStatus.SCHEDULED):
            request.slot = request.table_no = None
            request.meeting_status = None
    placed = [p for p in schedule.slots if p in tables]
    info = {
        "run": kind,
        "meetings": len(built.requests),
        "scheduled": len(placed),
        "unscheduled": [
            r.id
            for i, r in enumerate(built.requests)
            if i not in tables and (i in schedule.slots or i in schedule.unscheduled)
        ],
        "breaks": schedule.breaks,
        "optimal": schedule.optimal,
        "seconds": round(schedule.seconds, 3),
        "conflicts": conflict_texts(built.event, details, people, "en"),
        "conflict_details": details,
        "solved_at": clock.now().isoformat(timespec="seconds"),
    }
    built.event.schedule_info = info
    return info


def schedule_event(
    session: Session, event_id: int, time_limit: float = 10.0, seed: int = 0
) -> tuple[EventProblem, Schedule]:
    """Solve the event's schedule from scratch and store it (no access check: the CLI)."""
    expire_requests(session, event_id)
    before = seats(session, event_id)
    built = problem_for_event(session, event_id)
    schedule = solve(built.problem, time_limit=time_limit, seed=seed)
    _store(built, schedule, "solve")
    session.flush()
    announce(session, ScheduleStored(event_id, "solve", before))
    return built, schedule


def solve_for(
    session: Session, user: User, event_id: int, time_limit: float = 10.0, seed: int = 0
) -> dict[str, Any]:
    """An organiser schedules the event; returns the run's summary."""
    managed_event(session, user, event_id)
    schedule_event(session, event_id, time_limit, seed)
    event = get_by_id(session, Event, event_id)
    assert event is not None
    return dict(event.schedule_info)


@dataclass(frozen=True)
class Solved:
    """A schedule computed apart from the transaction that stores it (a background job), with
    what it was computed from: the requests, the participants and the problem."""

    event_id: int
    request_ids: tuple[int, ...]
    participant_ids: tuple[int, ...]
    problem: Problem
    schedule: Schedule
    kind: str = "solve"  # or "place waiting": scheduled meetings kept where they were
    current: tuple[tuple[int, int], ...] = ()  # (meeting index, slot) kept, for "place waiting"


def solve_apart(
    session: Session, user: User, event_id: int, time_limit: float = 10.0, seed: int = 0
) -> Solved:
    """Solve the event's schedule reading `session` and writing nothing (on SQLite a write
    would hold the database's one write lock for the whole search): the first half of a
    background solve. Requests past their answer deadline are expired when it is stored;
    they were not accepted, so the problem is the same without them."""
    managed_event(session, user, event_id)
    built = problem_for_event(session, event_id)
    schedule = solve(built.problem, time_limit=time_limit, seed=seed)
    return Solved(
        event_id,
        tuple(r.id for r in built.requests),
        tuple(p.id for p in built.participants),
        built.problem,
        schedule,
    )


def store_solved(session: Session, user: User, solved: Solved) -> dict[str, Any]:
    """Store a schedule solved apart, when the event is still what it was solved for: the
    same accepted requests, participants, slots, tables and availability. Refused when they
    changed meanwhile, so that a schedule is never stored for an event it does not fit."""
    managed_event(session, user, solved.event_id)
    expire_requests(session, solved.event_id)
    built = problem_for_event(session, solved.event_id)
    same = (
        tuple(r.id for r in built.requests) == solved.request_ids
        and tuple(p.id for p in built.participants) == solved.participant_ids
        and built.problem == solved.problem
        and (solved.kind == "solve" or _kept(built) == solved.current)
    )
    if not same:
        raise Conflict(
            N_(
                "the event changed while its schedule was being built (requests, participants "
                "or their availability); build the schedule again"
            )
        )
    _store(built, solved.schedule, solved.kind)
    session.flush()
    return dict(built.event.schedule_info)


def _kept(built: EventProblem) -> tuple[tuple[int, int], ...]:
    """The meetings scheduled now, as (meeting index, slot)."""
    return tuple(
        (i, r.slot)
        for i, r in enumerate(built.requests)
        if r.meeting_status is MeetingStatus.SCHEDULED and r.slot is not None
    )


def place_apart(session: Session, user: User, event_id: int, time_limit: float = 5.0) -> Solved:
    """Place the waiting accepted requests in free slots reading `session` and writing
    nothing: the first half of a background placement (see `solve_apart`)."""
    managed_event(session, user, event_id)
    built = problem_for_event(session, event_id)
    kept = _kept(built)
    current = dict(kept)
    waiting = [i for i in range(len(built.requests)) if i not in current]
    schedule = reschedule(built.problem, current, set(), waiting, time_limit=time_limit)
    return Solved(
        event_id,
        tuple(r.id for r in built.requests),
        tuple(p.id for p in built.participants),
        built.problem,
        schedule,
        "place waiting",
        kept,
    )


def cancel_participant(
    session: Session,
    user: User,
    event_id: int,
    participant_id: int,
    no_show: bool = False,
    move_others: bool = False,
    time_limit: float = 5.0,
) -> dict[str, Any]:
    """A participant cancels (or did not come): its meetings are cancelled and their slots go
    to waiting accepted requests; other meetings stay where they are unless `move_others`."""
    info = cancel_participants(
        session, user, event_id, [participant_id], no_show, move_others, time_limit
    )
    info["cancelled_participant"] = participant_id
    return info


def cancel_participants(
    session: Session,
    user: User,
    event_id: int,
    participant_ids: list[int],
    no_show: bool = False,
    move_others: bool = False,
    time_limit: float = 5.0,
) -> dict[str, Any]:
    """Participants cancel (or did not come), all at once: their meetings are cancelled and
    one rescheduling gives their slots to waiting accepted requests; other meetings stay
    where they are unless `move_others`. Refused as a whole when one of them is unknown or
    no longer taking part."""
    event = managed_event(session, user, event_id)
    ids = dict.fromkeys(participant_ids)
    leaving = [_active_participant(session, event_id, pid) for pid in ids]
    gone = {p.id for p in leaving}
    expire_requests(session, event_id)
    before = seats(session, event_id)
    every = repository.requests(session, event_id)
    involved = [
        r for r in every
        if r.state is RequestState.ACCEPTED and r.meeting_status in (None, MeetingStatus.SCHEDULED)
        and _active_or(r.requester, gone) and _active_or(r.recipient, gone)
    ]  # fmt: skip
    built = problem_for_event(session, event_id, involved)
    current = {i: r.slot for i, r in enumerate(involved) if r.slot is not None
               and r.meeting_status is MeetingStatus.SCHEDULED}  # fmt: skip
    waiting = [i for i in range(len(involved)) if i not in current]
    schedule = reschedule(
        built.problem,
        current,
        {built.index[pid] for pid in gone},
        waiting,
        time_limit=time_limit,
        move_others=move_others,
    )
    status = ParticipantStatus.NO_SHOW if no_show else ParticipantStatus.CANCELLED
    for participant in leaving:
        participant.status = status
    lost = MeetingStatus.NO_SHOW if no_show else MeetingStatus.CANCELLED
    theirs = [position for position, r in enumerate(involved) if _touches(r, gone)]
    for position in theirs:
        schedule.slots.pop(position, None)
    was_scheduled = {r.id for r in involved if r.meeting_status is MeetingStatus.SCHEDULED}
    info = _store(built, schedule, "reschedule")
    for position in theirs:
        request = involved[position]
        request.meeting_status = lost if request.id in was_scheduled else None
        request.slot = request.table_no = None
    info["cancelled_participants"] = sorted(gone)
    event.schedule_info = dict(info)
    session.flush()
    announce(session, ScheduleStored(event_id, "reschedule", before))
    return info


def _active_participant(session: Session, event_id: int, participant_id: int) -> Participant:
    """The event's participant `participant_id`, still taking part; NotFound or Conflict."""
    participant = get_by_id(session, Participant, participant_id)
    if participant is None or participant.event_id != event_id:
        raise NotFound(
            N_("no participant %(participant_id)s in event %(event_id)s"),
            params={"participant_id": participant_id, "event_id": event_id},
        )
    if participant.status is not ParticipantStatus.ACTIVE:
        raise Conflict(N_("the participant has already cancelled"))
    return participant


def _touches(request: MeetingRequest, people: set[int]) -> bool:
    return request.requester_id in people or request.recipient_id in people


def place_waiting(
    session: Session, user: User, event_id: int, time_limit: float = 5.0
) -> dict[str, Any]:
    """Give free slots to accepted requests that are not scheduled yet (accepted after the
    schedule was built), without moving any scheduled meeting (organisers)."""
    managed_event(session, user, event_id)
    expire_requests(session, event_id)
    before = seats(session, event_id)
    built = problem_for_event(session, event_id)
    current = {
        i: r.slot
        for i, r in enumerate(built.requests)
        if r.meeting_status is MeetingStatus.SCHEDULED and r.slot is not None
    }
    waiting = [i for i in range(len(built.requests)) if i not in current]
    schedule = reschedule(built.problem, current, set(), waiting, time_limit=time_limit)
    info = _store(built, schedule, "place waiting")
    session.flush()
    announce(session, ScheduleStored(event_id, "place waiting", before))
    return info


@dataclass(frozen=True)
class AvailabilityChange:
    """A participant after its availability changed and the meetings sent back to waiting."""

    participant: Participant
    unscheduled: list[MeetingRequest]


def change_availability(
    session: Session, user: User, event_id: int, participant_id: int, changes: ParticipantChanges
) -> AvailabilityChange:
    """Change a participant's representatives, contacts, online, languages, session wish,
    blocked slots or (organisers) priority and meeting targets. Scheduled meetings that would
    fall in slots no longer available refuse the change (409 naming them) unless an organiser
    asks to unschedule them: they go back to waiting, like the meetings a cancellation frees,
    for "place waiting" to reseat."""
    participant = acting_participant(session, user, event_id, participant_id, "availability")
    event = participant.event
    organiser = can_set_priority(user, event)
    if not organiser and (changes.priority is not None or changes.unschedule_conflicts):
        raise Forbidden(N_("only the organisers set the priority or unschedule meetings"))
    targets = changes.model_fields_set & {"min_meetings", "max_meetings"}
    if not organiser and targets:
        raise Forbidden(N_("only the organisers set a participant's meeting targets"))
    if participant.status is not ParticipantStatus.ACTIVE:
        raise Conflict(N_("the participant has cancelled; its availability no longer matters"))
    if not organiser and event.status is EventStatus.CLOSED:
        raise Conflict(N_("the event is closed; ask the organisers to change the availability"))
    values = changes.model_dump(exclude_unset=True, exclude={"unschedule_conflicts"})
    empty = [name for name, value in values.items() if value is None and name not in CLEARABLE]
    if empty:
        items = [ErrorItem(("body", name), N_("null")) for name in empty]
        raise ValidationFailed(
            N_("%(value)s may not be empty"), items, params={"value": ", ".join(empty)}
        )
    check_slots(event, values.get("blocked_slots", []))
    least = values.get("min_meetings", participant.min_meetings)
    most = values.get("max_meetings", participant.max_meetings)
    if least is not None and most is not None and least > most:
        detail = N_("the least number of meetings (%(least)s) exceeds the most (%(most)s)")
        params = {"least": least, "most": most}
        raise ValidationFailed(detail, [ErrorItem(("body", "min_meetings"), detail)], params)
    clashes = clashing_meetings(session, participant, changes)
    if clashes and not changes.unschedule_conflicts:
        raise _clash(event, participant, clashes, organiser)
    for request in clashes:
        request.slot = request.table_no = None
        request.meeting_status = None
    for name, value in values.items():
        setattr(participant, name, "" if value is None and name == "representatives" else value)
    if "online" in values:
        clashes += _online_changed(session, participant)
    session.flush()
    return AvailabilityChange(participant, clashes)


def _online_changed(session: Session, participant: Participant) -> list[MeetingRequest]:
    """After a participant's online flag changed: its scheduled meetings become online (with
    a link) or not; one that now needs a table it does not have goes back to waiting."""
    back = []
    for request in repository.requests(session, participant.event_id, [participant.id]):
        if request.meeting_status is not MeetingStatus.SCHEDULED:
            continue
        set_online(request)
        if takes_table(request) and request.table_no is None:
            request.slot = None
            request.meeting_status = None
            back.append(request)
    return back


def clashing_meetings(
    session: Session, participant: Participant, changes: ParticipantChanges
) -> list[MeetingRequest]:
    """The participant's scheduled meetings in slots that `changes` would make unavailable."""
    wish = changes.session_wish or participant.session_wish
    blocked = (
        participant.blocked_slots or [] if changes.blocked_slots is None else changes.blocked_slots
    )
    lost = unavailable_slots(participant.event, wish, blocked)
    return [
        r
        for r in repository.requests(session, participant.event_id, [participant.id])
        if r.meeting_status is MeetingStatus.SCHEDULED and r.slot is not None and r.slot in lost
    ]


def _clash(
    event: Event, participant: Participant, clashes: list[MeetingRequest], organiser: bool
) -> Conflict:
    times = slot_times(event)
    items = []
    for r in clashes:
        other = r.recipient if r.requester_id == participant.id else r.requester
        at = times[r.slot or 0][0].strftime("%H:%M")
        if len(event.days) > 1:  # which day, when there are several
            at = f"{event.date_of(r.slot or 0):%d.%m} {at}"
        items.append(
            ErrorItem(
                ("body", "blocked_slots"),
                N_("request %(id)s: slot %(value)s at %(at)s, table %(value2)s, with %(name_ru)s"),
                params={
                    "id": r.id,
                    "value": (r.slot or 0) + 1,
                    "at": at,
                    "value2": (r.table_no or 0) + 1,
                    "name_ru": other.organisation.name_ru,
                },
            )
        )
    hint = (
        N_("send unschedule_conflicts to send them back to waiting")
        if organiser
        else N_("ask the organisers to move them first")
    )
    detail = N_("scheduled meetings fall in slots no longer available (%(listed)s); %(hint)s")
    return Conflict(detail, items, {"listed": tuple(items), "hint": Message(hint)})


def _active_or(participant: Participant, cancelling: set[int]) -> bool:
    return participant.status is ParticipantStatus.ACTIVE or participant.id in cancelling


# --- reading -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """One scheduled meeting in the grid."""

    request: MeetingRequest
    interpreter: bool


@dataclass
class Grid:
    """The schedule as organisers read it: a row per slot, a column per table of the slot's
    day; meetings without a table (both sides online) beside the row."""

    event: Event
    times: list[tuple[Any, Any]]
    rows: list[list[Cell | None]]
    waiting: list[MeetingRequest]
    info: dict[str, Any]
    online: list[list[Cell]] = field(default_factory=list)  # per slot

    @property
    def cells(self) -> list[Cell]:
        """Every scheduled meeting, slot by slot."""
        found = []
        for slot, row in enumerate(self.rows):
            found += [cell for cell in row if cell is not None]
            found += self.online[slot] if slot < len(self.online) else []
        return found

    @property
    def days(self) -> list[DayGrid]:
        """The grid cut into its meeting days."""
        found = []
        for index, (day, first) in enumerate(
            zip(self.event.days, self.event.day_starts, strict=True)
        ):
            last = first + day.n_slots
            found.append(
                DayGrid(index, day, first, self.times[first:last], self.rows[first:last],
                        self.online[first:last])
            )  # fmt: skip
        return found


@dataclass(frozen=True)
class DayGrid:
    """One meeting day of the grid: its slots from global slot `first` on."""

    index: int
    day: MeetingDay
    first: int
    times: list[tuple[Any, Any]]
    rows: list[list[Cell | None]]
    online: list[list[Cell]]


def grid(session: Session, user: User | None, event_id: int) -> Grid:
    """The stored schedule of an event `user` may read."""
    event = get_event(session, user, event_id)
    rows: list[list[Cell | None]] = [[None] * n for n in event.slot_tables]
    online: list[list[Cell]] = [[] for _ in range(event.n_slots)]
    waiting = []
    overflow = []
    for request in repository.requests(session, event_id):
        if request.meeting_status is MeetingStatus.SCHEDULED and request.slot is not None:
            cell = Cell(request, needs_interpreter(request))
            table, slot = request.table_no, request.slot
            if slot < event.n_slots and table is None and request.online:
                online[slot].append(cell)
            elif (
                slot < event.n_slots
                and table is not None
                and table < len(rows[slot])
                and rows[slot][table] is None
            ):
                rows[slot][table] = cell
            else:
                overflow.append(cell)  # tables or days were reduced after scheduling
        elif request.state is RequestState.ACCEPTED and request.meeting_status is None:
            waiting.append(request)
    for cell in overflow:
        waiting.append(cell.request)
    info = dict(event.schedule_info or {})
    return Grid(event, slot_times(event), rows, waiting, info, online)

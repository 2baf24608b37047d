"""An event's meeting days changed: days added, changed or removed, and every global slot
number that depends on them (meetings, blocked slots, site visits, check-ins' days) moved
with its day.

Slots are numbered across the days, so a day added before others, removed, or given fewer
or more slots moves the numbers of the days after it. A slot keeps its day and its place in
that day; a day that holds meetings or site visits, or would lose the slots that hold them,
is not changed (Conflict naming the date).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from seriktes.events import repository
from seriktes.events.models import Event, MeetingDay, MeetingRequest, MeetingStatus, SiteVisit
from seriktes.events.schemas import MeetingDayIn, check_days
from seriktes.kit.errors import Conflict, ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_

# the rules of `schemas.check_days` as the messages people read (their English starts)
DAY_RULES = {
    "the event needs at least one meeting day": N_("The event needs at least one meeting day."),
    "two meeting days fall on the same date": N_("Two meeting days fall on the same date."),
    "the meeting day must fall between": N_(
        "The meeting day must fall between the first and last day."
    ),
    "the meeting day needs at least one slot": N_("The meeting day needs at least one slot."),
    "a pause must come after a slot": N_(
        "A pause must come after a slot of the day, not after the last."
    ),
    "the morning session runs into": N_("The morning session runs into the afternoon session."),
}


@dataclass(frozen=True)
class Layout:
    """Where each day's slots start, by the day's row (None for a new day)."""

    days: list[tuple[MeetingDay | None, int, int]]  # (row, first global slot, slots)

    def slot_of(self, row: MeetingDay, local: int) -> int | None:
        """The global slot of slot `local` of a day, None when the day or the slot is gone."""
        for day, first, count in self.days:
            if day is row:
                return first + local if local < count else None
        return None


def _layout(days: list[tuple[MeetingDay | None, int]]) -> Layout:
    found, first = [], 0
    for row, count in days:
        found.append((row, first, count))
        first += count
    return Layout(found)


def _matched(event: Event, wanted: list[MeetingDayIn]) -> list[MeetingDay | None]:
    """The stored day each wanted day changes: by its id, else by its date; None: a new day."""
    by_id = {day.id: day for day in event.days}
    by_date = {day.meets_on: day for day in event.days}
    taken: set[int] = set()
    found: list[MeetingDay | None] = []
    for n, day in enumerate(wanted):
        row = by_id.get(day.id) if day.id is not None else by_date.get(day.meets_on)
        if day.id is not None and row is None:
            detail = N_("no meeting day %(id)s in this event")
            params = {"id": day.id}
            raise ValidationFailed(detail, [ErrorItem(("body", "days", n, "id"), detail)], params)
        if row is not None and row.id in taken:
            row = None
        if row is not None:
            taken.add(row.id)
        found.append(row)
    return found


def set_days(session: Session, event: Event, wanted: list[MeetingDayIn]) -> None:
    """Give the event the `wanted` meeting days; the slots of meetings, blocked slots, site
    visits and check-ins follow their days. Refused (Conflict) when a day to remove or a slot
    to lose holds a scheduled meeting or a site visit."""
    try:
        wanted = check_days(wanted, event.starts_on, event.ends_on, event.slot_minutes)
    except ValueError as exc:
        detail = next((t for start, t in DAY_RULES.items() if str(exc).startswith(start)), None)
        detail = detail or N_("check the meeting days")
        raise ValidationFailed(detail, [ErrorItem(("body", "days"), detail)]) from None
    rows = _matched(event, wanted)
    counts = [w.morning_slots + w.afternoon_slots for w in wanted]
    after = _layout(list(zip(rows, counts, strict=True)))
    old_position = {day.id: day.position for day in event.days}

    def moved(slot: int) -> int | None:
        index, local = event.day_of(slot)
        return after.slot_of(event.days[index], local)

    meetings = repository.scheduled_slots(session, event.id)
    visits = repository.visits(session, event.id)
    _refuse_lost(event, meetings, visits, moved)
    new_slots = {r.id: moved(r.slot) for r in meetings if r.slot is not None}
    new_visits = {v.id: moved(v.first_slot) for v in visits}
    people = repository.participants(session, event.id)
    blocked = {p.id: [m for s in p.blocked_slots or [] if (m := moved(s)) is not None]
               for p in people}  # fmt: skip

    # the unique (event, position) is kept while rows move: positions leave the way first
    for day in [day for day in event.days if day not in rows]:
        event.days.remove(day)
    for n, day in enumerate(event.days):
        day.position = -1 - n
    session.flush()
    final = _write_days(event, rows, wanted)
    for request in meetings:
        request.slot = new_slots.get(request.id)
        if request.slot is None:
            request.table_no = None
            if request.meeting_status is MeetingStatus.SCHEDULED:
                request.meeting_status = None
    for visit in visits:
        visit.first_slot = new_visits[visit.id] or 0  # never None: refused above
    for person in people:
        person.blocked_slots = blocked[person.id]
    positions = {old_position[row.id]: n for n, row in enumerate(final) if row.id in old_position}
    for checkin in repository.checkins(session, event.id):
        if checkin.day in positions:
            checkin.day = positions[checkin.day]
        else:
            session.delete(checkin)
    session.flush()


def _write_days(
    event: Event, rows: list[MeetingDay | None], wanted: list[MeetingDayIn]
) -> list[MeetingDay]:
    """The stored days changed and the new ones added, in position order."""
    final: list[MeetingDay] = []
    for n, (found, day) in enumerate(zip(rows, wanted, strict=True)):
        values = day.columns()
        row = found if found is not None else MeetingDay(position=n, **values)
        if found is None:
            event.days.append(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.position = n
        final.append(row)
    event.days.sort(key=lambda d: d.position)
    return final


def _refuse_lost(
    event: Event,
    meetings: list[MeetingRequest],
    visits: list[SiteVisit],
    moved: Callable[[int], int | None],
) -> None:
    """Conflict when a scheduled meeting or a site visit would lose its slot."""
    lost: dict[int, int] = {}
    for request in meetings:
        if (
            request.meeting_status is MeetingStatus.SCHEDULED
            and request.slot is not None
            and moved(request.slot) is None
        ):
            index = event.day_of(request.slot)[0]
            lost[index] = lost.get(index, 0) + 1
    for visit in visits:
        if moved(visit.first_slot) is None:
            index = event.day_of(visit.first_slot)[0]
            lost[index] = lost.get(index, 0) + 1
    if lost:
        index = min(lost)
        detail = N_(
            "the meeting day %(date)s holds %(count)s scheduled meetings or site visits in the "
            "slots to remove; cancel or move them first"
        )
        params = {"date": f"{event.days[index].meets_on:%d.%m.%Y}", "count": lost[index]}
        raise Conflict(detail, [ErrorItem(("body", "days"), detail, params)], params)


def holds_meetings(session: Session, event: Event, day_id: str) -> bool:
    """Whether the stored day of id `day_id` holds scheduled meetings or site visits."""
    index = next((n for n, d in enumerate(event.days) if str(d.id) == day_id), None)
    if index is None:
        return False
    first = event.day_starts[index]
    slots = range(first, first + event.days[index].n_slots)
    meetings = repository.scheduled_slots(session, event.id)
    return any(
        r.meeting_status is MeetingStatus.SCHEDULED and r.slot in slots for r in meetings
    ) or any(v.first_slot in slots for v in repository.visits(session, event.id))

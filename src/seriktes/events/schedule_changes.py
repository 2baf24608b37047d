"""Schedules stored, announced in the same transaction to whoever tells participants of them
(`schedule_notices` listens; `scheduling` only announces, so it need not import the agendas
that import it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from seriktes.events import repository

Seat = tuple[int | None, int | None, str | None]  # slot, table, meeting status


@dataclass(frozen=True)
class ScheduleStored:
    """An event's schedule as it was before a run (`solve`, `reschedule`, `place waiting`)."""

    event_id: int
    run: str
    before: dict[int, Seat]  # request id → its seat before the run


Listener = Callable[[Session, ScheduleStored], None]
_listeners: list[Listener] = []


def seats(session: Session, event_id: int) -> dict[int, Seat]:
    """Every request of the event with its slot, table and meeting status."""
    return {
        r.id: (r.slot, r.table_no, r.meeting_status.value if r.meeting_status else None)
        for r in repository.requests(session, event_id)
    }


def listen(listener: Listener) -> None:
    """Call `listener` with every stored schedule of this process (once however often added)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(session: Session, stored: ScheduleStored) -> None:
    """Tell the listeners that a schedule was stored (flushed) in `session`'s transaction."""
    for listener in tuple(_listeners):
        listener(session, stored)

"""Why a scheduling run left meetings out: the scheduler's conflicts as stored with the run
(request and participant ids, slots) and as read, in the reader's language, with
organisation names and slot times."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from seriktes.events import repository
from seriktes.events.models import Event, MeetingRequest, Participant
from seriktes.events.scheduler import EITHER, Conflict, ConflictKind, Names, describe
from seriktes.events.service import slot_times
from seriktes.kit.i18n import N_, translate

# Conflicts kept with a run: the scheduler names at most a core, but a run that leaves many
# meetings out gives a reason for each.
CONFLICTS_KEPT = 50


def stored_conflict(
    conflict: Conflict, requests: list[MeetingRequest], participants: list[Participant]
) -> dict[str, Any]:
    """A conflict as stored with the run (and answered by the API): the problem's meeting
    and participant indices become request and participant ids; slots stay the event's
    0-based slot numbers."""
    return {
        "kind": conflict.kind.value,
        "requests": [requests[i].id for i in conflict.meetings],
        "participants": [participants[p].id for p in conflict.participants],
        "slots": list(conflict.slots),
        "session": conflict.session,
        "unavailable": conflict.unavailable,
        "tables": conflict.tables,
        "count": conflict.count,
        "placed": conflict.placed,
    }


def _from_stored(detail: dict[str, Any]) -> Conflict:
    """The stored conflict back, with request and participant ids for indices."""
    return Conflict(
        ConflictKind(detail["kind"]),
        tuple(detail["requests"]),
        tuple(detail["participants"]),
        tuple(detail["slots"]),
        detail.get("session", EITHER),
        detail.get("unavailable", 0),
        detail.get("tables", 0),
        detail.get("count", 0),
        detail.get("placed", 0),
    )


def conflict_texts(
    event: Event, details: list[dict[str, Any]], people: dict[int, Participant], lang: str
) -> list[str]:
    """Stored conflicts as sentences in `lang`: requests by id, participants by their
    organisation's name (in Kazakh when it has one and `lang` is kk), slots with their time."""
    times = slot_times(event)

    def person(participant_id: int) -> str:
        participant = people.get(participant_id)
        if participant is None:
            return str(participant_id)
        org = participant.organisation
        return org.name_kk if lang == "kk" and org.name_kk else org.name_ru

    def slot(index: int) -> str:
        if 0 <= index < len(times):
            return f"{index + 1} ({times[index][0].strftime('%H:%M')})"
        return str(index + 1)

    names = Names(
        meeting=lambda request_id: translate(lang, N_("request {id}")).format(id=request_id),
        participant=person,
        slot=slot,
    )
    return [describe(_from_stored(detail), lang, names) for detail in details]


def shown_conflicts(session: Session, event: Event, lang: str) -> list[str]:
    """Why the event's last run left meetings out, in `lang`; a run stored before conflicts
    were kept structured shows the English texts it stored."""
    info = event.schedule_info or {}
    details = info.get("conflict_details")
    if details is None:
        return [str(text) for text in info.get("conflicts") or []]
    if not details:
        return []
    people = {p.id: p for p in repository.participants(session, event.id)}
    return conflict_texts(event, details, people, lang)

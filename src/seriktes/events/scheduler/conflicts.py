"""Why meetings could not be placed: structured conflicts and their texts in ru, kk and en.

The scheduler reports each reason as a `Conflict` of 0-based indices of the problem; a
caller that knows more (the events domain: requests, organisations, slot times) names them
through `Names`. `describe` renders a conflict from the translation catalogues, so the same
conflict reads in the language of whoever looks at it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from seriktes.events.scheduler.problem import AFTERNOON, EITHER, MORNING
from seriktes.kit.i18n import N_, translate


class ConflictKind(StrEnum):
    """What a conflict is about; the fields of `Conflict` each kind uses are listed."""

    TABLES = "tables"  # slots[0] holds at most `tables` meetings
    ORDER = "order"  # meetings[0] comes before meetings[1]
    PLACED = "placed"  # meetings[0] of participants takes place (slots: its fixed slot)
    ONE_AT_A_TIME = "one at a time"  # participants[0] meets once a slot
    NO_SLOT = "no slot"  # meetings[0]: no slot where both participants are free and allowed
    FULL = "full"  # meetings[0]: its open slots are full or taken by heavier meetings
    CANCELLED = "cancelled"  # meetings[0]: participants cancelled
    # meetings[0] left out: participants[0] has its maximum of `count` meetings already
    TARGET_REACHED = "target reached"
    # participants[0] has `placed` meetings, fewer than its minimum `count`
    TARGET_MISSED = "target missed"


@dataclass(frozen=True, order=True)
class Conflict:
    """One reason why meetings could not be placed (0-based indices of the problem).

    The unsatisfiable core of a schedule of every meeting gives kinds TABLES, ORDER, PLACED
    and ONE_AT_A_TIME, which only clash together; a meeting left out gives NO_SLOT, FULL or
    (after a cancellation) CANCELLED, each a reason on its own."""

    kind: ConflictKind
    meetings: tuple[int, ...] = ()
    participants: tuple[int, ...] = ()
    slots: tuple[int, ...] = ()
    session: int = EITHER  # PLACED: MORNING or AFTERNOON when the meeting is bound to one
    unavailable: int = field(default=0)  # PLACED: slots its participants cannot meet in
    tables: int = field(default=0)  # TABLES: the tables of the slot
    count: int = field(default=0)  # TARGET_REACHED, TARGET_MISSED: the participant's target
    placed: int = field(default=0)  # TARGET_MISSED: its meetings scheduled


@dataclass(frozen=True)
class Names:
    """How a text names the problem's meetings, participants and slots (0-based indices)."""

    meeting: Callable[[int], str]
    participant: Callable[[int], str]
    slot: Callable[[int], str]


def numbered(lang: str = "en") -> Names:
    """Names of a problem read from a file: meetings, participants and slots by number."""
    return Names(
        meeting=lambda index: translate(lang, N_("meeting {number}")).format(number=index + 1),
        participant=lambda index: str(index + 1),
        slot=lambda index: str(index + 1),
    )


TEXTS = {
    ConflictKind.TABLES: N_("{tables} tables in slot {slot}"),
    ConflictKind.ORDER: N_("{first} before {second}"),
    ConflictKind.PLACED: N_("{meeting} takes place ({details})"),
    ConflictKind.ONE_AT_A_TIME: N_("participant {participant} meets once a slot"),
    ConflictKind.NO_SLOT: N_(
        "{meeting} (participants {first} and {second}): "
        "no slot where both are free and allowed to meet"
    ),
    ConflictKind.FULL: N_(
        "{meeting} (participants {first} and {second}): the slots where both are free "
        "({slots}) are full or taken by heavier meetings"
    ),
    ConflictKind.CANCELLED: N_("{meeting}: a participant cancelled"),
    ConflictKind.TARGET_REACHED: N_(
        "{meeting}: participant {participant} has reached its maximum of {count} meetings"
    ),
    ConflictKind.TARGET_MISSED: N_(
        "participant {participant} wanted at least {count} meetings; "
        "only {placed} could be scheduled"
    ),
}


def describe(conflict: Conflict, lang: str = "en", names: Names | None = None) -> str:
    """The conflict as a sentence in `lang`, naming things by `names` (numbers by default)."""
    names = names or numbered(lang)
    meetings = [names.meeting(index) for index in conflict.meetings]
    people = [names.participant(index) for index in conflict.participants]
    slots = ", ".join(names.slot(slot) for slot in conflict.slots)
    kind = conflict.kind
    values: dict[str, object] = {"meeting": meetings[0] if meetings else "", "slots": slots}
    if kind is ConflictKind.TABLES:
        values.update(tables=conflict.tables, slot=slots)
    elif kind is ConflictKind.ORDER:
        values.update(first=meetings[0], second=meetings[1])
    elif kind is ConflictKind.PLACED:
        values["details"] = ", ".join(_details(conflict, lang, people, slots))
    elif kind is ConflictKind.ONE_AT_A_TIME:
        values["participant"] = people[0]
    elif kind in (ConflictKind.TARGET_REACHED, ConflictKind.TARGET_MISSED):
        values.update(participant=people[0], count=conflict.count, placed=conflict.placed)
    elif kind in (ConflictKind.NO_SLOT, ConflictKind.FULL):
        values.update(first=people[0], second=people[1])
    return translate(lang, TEXTS[kind]).format(**values)


def _details(conflict: Conflict, lang: str, people: list[str], slots: str) -> list[str]:
    """What restricts a meeting: its participants, fixed slot or session, unavailable slots."""
    parts = [
        translate(lang, N_("participants {first} and {second}")).format(
            first=people[0], second=people[1]
        )
    ]
    if slots:
        parts.append(translate(lang, N_("fixed to slot {slot}")).format(slot=slots))
    elif conflict.session == MORNING:
        parts.append(translate(lang, N_("morning only")))
    elif conflict.session == AFTERNOON:
        parts.append(translate(lang, N_("afternoon only")))
    if conflict.unavailable:
        text = translate(lang, N_("{count} slots unavailable"))
        parts.append(text.format(count=conflict.unavailable))
    return parts

"""The scheduling problem: participants, meetings, slots, tables and their constraints."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

MORNING, AFTERNOON, EITHER = 1, 2, 3


@dataclass(frozen=True)
class Meeting:
    """A requested one-to-one meeting between two participants (0-based indices)."""

    a: int
    b: int
    session: int = EITHER  # 1 morning only, 2 afternoon only, 3 either
    weight: int = 1
    fixed_slot: int | None = None  # 0-based slot, or None when free


@dataclass
class Problem:
    """A B2B scheduling instance; slots are 0-based, slots < n_morning are the morning."""

    n_participants: int
    n_slots: int
    n_morning: int
    tables: int
    meetings: list[Meeting]
    forbidden: list[set[int]] = field(default_factory=list)  # per participant, 0-based slots
    precedences: list[tuple[int, int]] = field(default_factory=list)  # (before, after)
    name: str = ""
    day_starts: list[int] = field(default_factory=lambda: [0])  # first slot of each day
    slot_tables: list[int] | None = None  # tables per slot; None: `tables` in every slot
    min_meetings: list[int | None] = field(default_factory=list)  # per participant
    max_meetings: list[int | None] = field(default_factory=list)  # per participant

    def __post_init__(self) -> None:
        if not self.forbidden:
            self.forbidden = [set() for _ in range(self.n_participants)]

    def allowed_slots(self, index: int) -> list[int]:
        """Slots where meeting `index` may take place, before considering other meetings."""
        meeting = self.meetings[index]
        if meeting.fixed_slot is not None:
            return [meeting.fixed_slot]
        if meeting.session == MORNING:
            slots = range(self.n_morning)
        elif meeting.session == AFTERNOON:
            slots = range(self.n_morning, self.n_slots)
        else:
            slots = range(self.n_slots)
        blocked = self.forbidden[meeting.a] | self.forbidden[meeting.b]
        return [slot for slot in slots if slot not in blocked]

    def meetings_of(self) -> list[list[int]]:
        """For each participant, the indices of its meetings."""
        lists: list[list[int]] = [[] for _ in range(self.n_participants)]
        for index, meeting in enumerate(self.meetings):
            lists[meeting.a].append(index)
            lists[meeting.b].append(index)
        return lists


def count_breaks(slots: list[int]) -> int:
    """Idle gaps between consecutive meetings of one participant (a gap of any length is one)."""
    ordered = sorted(slots)
    return sum(1 for first, second in itertools.pairwise(ordered) if second - first > 1)

"""The scheduling problem: participants, meetings, slots, tables and their constraints."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
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
    """A B2B scheduling instance; slots are 0-based and numbered across the days.

    Day d runs from `day_starts[d]` up to the next day's first slot (the last day up to
    `n_slots`); the first `n_morning` slots of each day are its morning. A gap between two
    meetings of a participant on the same day is a break; a gap across days is not.

    `slot_tables[s]`, when given, is the number of tables in slot s (else `tables` in every
    slot). `min_meetings[p]` and `max_meetings[p]`, when given and not None, are participant
    p's meeting targets: at least min(N, its requested meetings) and at most N of its meetings
    are scheduled.
    """

    n_participants: int
    n_slots: int
    n_morning: int
    tables: int
    meetings: list[Meeting]
    forbidden: list[set[int]] = field(default_factory=list)  # per participant, 0-based slots
    precedences: list[tuple[int, int]] = field(default_factory=list)  # (before, after)
    name: str = ""
    day_starts: list[int] = field(default_factory=lambda: [0])
    slot_tables: list[int] | None = None
    min_meetings: list[int | None] | None = None
    max_meetings: list[int | None] | None = None

    def __post_init__(self) -> None:
        if not self.forbidden:
            self.forbidden = [set() for _ in range(self.n_participants)]
        if not self.day_starts:
            self.day_starts = [0]
        starts = self.day_starts
        if starts[0] != 0 or any(b <= a for a, b in itertools.pairwise(starts)):
            raise ValueError(f"day_starts {starts}: must start at 0 and increase")
        if starts[-1] >= max(1, self.n_slots):
            raise ValueError(f"day_starts {starts}: a day starts at or after slot {self.n_slots}")
        if self.slot_tables is not None and len(self.slot_tables) != self.n_slots:
            raise ValueError(
                f"slot_tables has {len(self.slot_tables)} entries for {self.n_slots} slots"
            )
        for name in ("min_meetings", "max_meetings"):
            values = getattr(self, name)
            if values is not None and len(values) != self.n_participants:
                raise ValueError(
                    f"{name} has {len(values)} entries for {self.n_participants} participants"
                )

    def tables_at(self, slot: int) -> int:
        """Tables available in `slot`."""
        return self.tables if self.slot_tables is None else self.slot_tables[slot]

    def day_of(self, slot: int) -> int:
        """The 0-based day of `slot`."""
        return bisect.bisect_right(self.day_starts, slot) - 1

    def day_range(self, day: int) -> range:
        """The slots of day `day`."""
        end = self.day_starts[day + 1] if day + 1 < len(self.day_starts) else self.n_slots
        return range(self.day_starts[day], end)

    def is_morning(self, slot: int) -> bool:
        """Whether `slot` is among the first `n_morning` slots of its day."""
        return slot - self.day_starts[self.day_of(slot)] < self.n_morning

    def morning_slots(self) -> list[int]:
        return [s for s in range(self.n_slots) if self.is_morning(s)]

    def afternoon_slots(self) -> list[int]:
        return [s for s in range(self.n_slots) if not self.is_morning(s)]

    @property
    def multi_day(self) -> bool:
        return len(self.day_starts) > 1

    def allowed_slots(self, index: int) -> list[int]:
        """Slots where meeting `index` may take place, before considering other meetings."""
        meeting = self.meetings[index]
        if meeting.fixed_slot is not None:
            return [meeting.fixed_slot]
        if meeting.session == MORNING:
            slots: Sequence[int] = self.morning_slots()
        elif meeting.session == AFTERNOON:
            slots = self.afternoon_slots()
        else:
            slots = range(self.n_slots)
        blocked = self.forbidden[meeting.a] | self.forbidden[meeting.b]
        return [slot for slot in slots if slot not in blocked and self.tables_at(slot) > 0]

    def meetings_of(self) -> list[list[int]]:
        """For each participant, the indices of its meetings."""
        lists: list[list[int]] = [[] for _ in range(self.n_participants)]
        for index, meeting in enumerate(self.meetings):
            lists[meeting.a].append(index)
            lists[meeting.b].append(index)
        return lists

    def cap(self, person: int) -> int | None:
        """At most this many meetings for `person`, or None."""
        if self.max_meetings is None:
            return None
        return self.max_meetings[person]

    def floor(self, person: int, requested: int) -> int:
        """At least this many meetings for `person` (its target, at most what it requested)."""
        if self.min_meetings is None:
            return 0
        wanted = self.min_meetings[person]
        return 0 if wanted is None else max(0, min(wanted, requested))

    def capped(self) -> bool:
        """Whether some participant requested more meetings than its maximum allows."""
        if self.max_meetings is None:
            return False
        return any(
            (cap := self.cap(person)) is not None and len(indices) > cap
            for person, indices in enumerate(self.meetings_of())
        )

    def breaks_of(self, slots: list[int]) -> int:
        """Breaks of one participant busy in `slots`, counted day by day."""
        return count_breaks(slots, self.day_starts)


def count_breaks(slots: list[int], day_starts: Sequence[int] | None = None) -> int:
    """Idle gaps between consecutive meetings of one participant (a gap of any length is one);
    with `day_starts` (each day's first slot), a gap across days is not a break."""
    ordered = sorted(slots)
    if day_starts is None or len(day_starts) <= 1:
        return sum(1 for first, second in itertools.pairwise(ordered) if second - first > 1)
    return sum(
        1
        for first, second in itertools.pairwise(ordered)
        if second - first > 1
        and bisect.bisect_right(day_starts, first) == bisect.bisect_right(day_starts, second)
    )

"""A fast first schedule for large events: greedy placement, then repair by moving blockers.

Meetings are placed most constrained first (fixed, then fewest allowed slots, then those of
the busiest participants), each into the slot that keeps its two participants' days most
compact. A meeting that finds no slot is then inserted by moving the one or two meetings
that block it in some slot to another slot where they fit.
"""

from __future__ import annotations

import random

from seriktes.events.scheduler.problem import Problem


class Placement:
    """A partial schedule with the bookkeeping to place, move and check meetings quickly."""

    def __init__(self, problem: Problem, pinned: dict[int, int] | None = None) -> None:
        self.problem = problem
        self.slot: dict[int, int] = {}
        self.at: list[dict[int, int]] = [{} for _ in range(problem.n_participants)]
        self.count = [0] * problem.n_slots
        self.tables = [problem.tables_at(s) for s in range(problem.n_slots)]
        self.caps = [problem.cap(p) for p in range(problem.n_participants)]
        self.placed = [0] * problem.n_participants  # meetings placed per participant
        self.allowed = [problem.allowed_slots(i) for i in range(len(problem.meetings))]
        self.after: dict[int, list[int]] = {}
        self.before: dict[int, list[int]] = {}
        for first, second in problem.precedences:
            self.after.setdefault(first, []).append(second)
            self.before.setdefault(second, []).append(first)
        self.earliest, self.latest = self._windows()
        self.allowed = [
            [s for s in slots if self.earliest[i] <= s <= self.latest[i]] or slots
            for i, slots in enumerate(self.allowed)
        ]
        for index, slot in (pinned or {}).items():
            self.place(index, slot)

    def _windows(self) -> tuple[list[int], list[int]]:
        """Each meeting's earliest and latest slot given the chains of precedences: a meeting
        comes after the earliest slot of each meeting before it, and before the latest slot
        of each meeting after it (longest paths, relaxed until nothing changes)."""
        earliest = [min(slots, default=0) for slots in self.allowed]
        latest = [max(slots, default=0) for slots in self.allowed]
        pairs = self.problem.precedences
        for _ in range(self.problem.n_slots + 1):  # a cycle stops changing nothing: bounded
            changed = False
            for first, second in pairs:
                if earliest[second] <= earliest[first]:
                    earliest[second] = earliest[first] + 1
                    changed = True
                if latest[first] >= latest[second]:
                    latest[first] = latest[second] - 1
                    changed = True
            if not changed:
                break
        return earliest, latest

    def fits(self, index: int, slot: int, ignore: int = -1) -> bool:
        """Whether meeting `index` can go to `slot` now (`ignore`: a meeting about to leave)."""
        meeting = self.problem.meetings[index]
        for person in (meeting.a, meeting.b):
            there = self.at[person].get(slot, -1)
            if there >= 0 and there != ignore:
                return False
        full = self.count[slot] - (1 if self.slot.get(ignore) == slot else 0)
        if full >= self.tables[slot]:
            return False
        if index not in self.slot and not self.below_cap(index):
            return False
        # a meeting after this one, placed or not, must still find a later slot; one before
        # it an earlier slot
        for j in self.after.get(index, ()):
            if not slot < self.slot.get(j, self.latest[j] + 1):
                return False
        return all(
            self.slot.get(j, self.earliest[j] - 1) < slot for j in self.before.get(index, ())
        )

    def below_cap(self, index: int) -> bool:
        """Whether both participants of meeting `index` may have one meeting more."""
        meeting = self.problem.meetings[index]
        return all(
            (cap := self.caps[person]) is None or self.placed[person] < cap
            for person in (meeting.a, meeting.b)
        )

    def place(self, index: int, slot: int) -> None:
        """Put meeting `index` into `slot` (the caller checked that it fits)."""
        meeting = self.problem.meetings[index]
        self.at[meeting.a][slot] = index
        self.at[meeting.b][slot] = index
        self.count[slot] += 1
        self.slot[index] = slot
        self.placed[meeting.a] += 1
        self.placed[meeting.b] += 1

    def remove(self, index: int) -> int:
        """Take meeting `index` out of the schedule; return the slot it had."""
        slot = self.slot.pop(index)
        meeting = self.problem.meetings[index]
        del self.at[meeting.a][slot]
        del self.at[meeting.b][slot]
        self.count[slot] -= 1
        self.placed[meeting.a] -= 1
        self.placed[meeting.b] -= 1
        return slot

    def closeness(self, index: int, slot: int) -> int:
        """How far `slot` is from the participants' busy slots (0: next to one of them)."""
        meeting = self.problem.meetings[index]
        total = 0
        for person in (meeting.a, meeting.b):
            busy = self.at[person]
            if busy:
                total += min(abs(slot - s) for s in busy) - 1
        return total

    def best_slot(self, index: int) -> int | None:
        """The fitting slot that keeps the participants' days most compact."""
        options = [s for s in self.allowed[index] if self.fits(index, s)]
        if not options:
            return None
        return min(options, key=lambda s: (self.closeness(index, s), s))

    def insert_by_moving(self, index: int, rng: random.Random) -> bool:
        """Place `index` in some slot after moving the meetings that block it elsewhere."""
        meeting = self.problem.meetings[index]
        slots = list(self.allowed[index])
        rng.shuffle(slots)
        for slot in slots:
            blockers = {self.at[p][slot] for p in (meeting.a, meeting.b) if slot in self.at[p]}
            if self.count[slot] - len(blockers) >= self.tables[slot]:
                continue
            if any(self.problem.meetings[b].fixed_slot is not None for b in blockers):
                continue
            old = {b: self.remove(b) for b in blockers}
            if self.fits(index, slot):
                self.place(index, slot)
                moved = {b: self.best_slot(b) for b in blockers}
                if all(s is not None for s in moved.values()):
                    for b, s in moved.items():
                        if s is not None and self.fits(b, s):
                            self.place(b, s)
                        else:
                            break
                    else:
                        return True
                    for b in blockers:
                        if b in self.slot:
                            self.remove(b)
                self.remove(index)
            for b, s in old.items():
                self.place(b, s)
        return False


def greedy_schedule(
    problem: Problem, pinned: dict[int, int] | None = None, seed: int = 0, rounds: int = 3
) -> dict[int, int]:
    """Place as many meetings as the greedy and its repair manage; pinned ones stay put.
    Meetings of participants with a minimum number of meetings go first; none goes beyond a
    participant's maximum."""
    placement = Placement(problem, pinned)
    lists = problem.meetings_of()
    load = [len(m) for m in lists]
    wanting = {p for p, indices in enumerate(lists) if problem.floor(p, len(indices)) > 0}
    order = sorted(
        (i for i in range(len(problem.meetings)) if i not in placement.slot),
        key=lambda i: (
            not {problem.meetings[i].a, problem.meetings[i].b} & wanting,
            problem.meetings[i].fixed_slot is None,
            len(placement.allowed[i]),
            -max(load[problem.meetings[i].a], load[problem.meetings[i].b]),
            -problem.meetings[i].weight,
            i,
        ),
    )
    missing = []
    for index in order:
        slot = placement.best_slot(index)
        if slot is None:
            missing.append(index)
        else:
            placement.place(index, slot)
    rng = random.Random(seed)
    for _ in range(rounds):
        missing = [i for i in missing if not placement.insert_by_moving(i, rng)]
        if not missing:
            break
    return dict(placement.slot)

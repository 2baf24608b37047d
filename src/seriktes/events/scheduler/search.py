"""Local search for fewer breaks: simulated annealing over Kempe-chain slot swaps.

A schedule is an edge colouring of the multigraph "participants × requested meetings" with
the slots as colours, at most `tables` edges of a colour; a participant without breaks is
one whose colours form an interval. Moving meeting m from slot s to slot t clashes with the
meetings its participants have at t; swapping the whole chain of meetings that alternate
between s and t (a Kempe chain) keeps every participant at one meeting per slot, and only
the participants at the two ends of the chain change their busy slots. So each move is
checked and scored by looking at a handful of participants.

The walk is driven by the seeded random generator and counts its work (moves, and the
chain links they walk), not seconds, so a run is reproducible for a seed; only the
wall-clock time limit, when it strikes first, makes the result depend on the machine's speed.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from seriktes.events.scheduler.problem import Problem


def mask_breaks(mask: int, days: tuple[int, ...] = ()) -> int:
    """Breaks of a participant whose busy slots are the bits of `mask`; with `days` (the
    mask of each day's slots), counted day by day."""
    if days:
        return sum(mask_breaks(mask & day) for day in days)
    blocks = (mask & ~(mask << 1)).bit_count()
    return blocks - 1 if blocks > 1 else 0


def mask_idle(mask: int, days: tuple[int, ...] = ()) -> int:
    """Idle slots between the first and the last busy slot (a smoother measure than breaks),
    day by day with `days`."""
    if days:
        return sum(mask_idle(mask & day) for day in days)
    if not mask:
        return 0
    return mask.bit_length() - (mask & -mask).bit_length() + 1 - mask.bit_count()


def day_masks(problem: Problem) -> tuple[int, ...]:
    """The mask of each day's slots when the event lasts several days, else ()."""
    if not problem.multi_day:
        return ()
    return tuple(
        sum(1 << s for s in problem.day_range(day)) for day in range(len(problem.day_starts))
    )


# The work of one chain link, in moves: a move costs ~5 µs plus ~0.5 µs a link (2026-11-27,
# the benchmark's instances: 84,000 moves/s where chains are 10 links long, 209,000/s at 2.4).
LINK_COST = 0.11


@dataclass
class SearchResult:
    """The best schedule the walk met, its breaks, the iterations and the work they took."""

    slots: dict[int, int]
    breaks: int
    iterations: int
    work: float = 0.0  # iterations + LINK_COST × chain links walked


class Annealer:
    """Simulated annealing over a complete schedule of a fixed set of meetings."""

    def __init__(self, problem: Problem, slots: dict[int, int], seed: int = 0) -> None:
        self.problem = problem
        self.random = random.Random(seed)
        self.meetings = sorted(slots)
        self.slot = dict(slots)
        n = problem.n_slots
        self.at: list[list[int]] = [[-1] * n for _ in range(problem.n_participants)]
        self.mask = [0] * problem.n_participants
        self.count = [0] * n
        for index, s in slots.items():
            meeting = problem.meetings[index]
            for person in (meeting.a, meeting.b):
                self.at[person][s] = index
                self.mask[person] |= 1 << s
            self.count[s] += 1
        self.allowed = {i: frozenset(problem.allowed_slots(i)) for i in self.meetings}
        self.allowed_list = {i: sorted(slots) for i, slots in self.allowed.items()}
        self.movable = [i for i in self.meetings if len(self.allowed[i]) > 1]
        self.focus = 0.8
        self.links = 0  # Kempe-chain links walked, a measure of the work done
        self.after: dict[int, list[int]] = {}
        self.before: dict[int, list[int]] = {}
        for first, second in problem.precedences:
            if first in self.slot and second in self.slot:
                self.after.setdefault(first, []).append(second)
                self.before.setdefault(second, []).append(first)
        self.scores: dict[int, tuple[int, int]] = {}  # busy mask → (breaks, idle slots)
        self.days = day_masks(problem)
        self.tables = [problem.tables_at(s) for s in range(n)]
        self.breaks = sum(mask_breaks(m, self.days) for m in self.mask)
        self.idle = sum(mask_idle(m, self.days) for m in self.mask)

    def chain(self, start: int, target: int) -> list[int] | None:
        """The Kempe chain of `start` between its slot and `target`, or None if it cannot move."""
        here = self.slot[start]
        members, seen, stack = [], {start}, [start]
        meetings = self.problem.meetings
        while stack:
            index = stack.pop()
            now = self.slot[index]
            other = target if now == here else here
            if other not in self.allowed[index]:
                return None
            members.append(index)
            meeting = meetings[index]
            for person in (meeting.a, meeting.b):
                clash = self.at[person][other]
                if clash >= 0 and clash not in seen:
                    seen.add(clash)
                    stack.append(clash)
        return members

    def evaluate(self, members: list[int], here: int, target: int) -> tuple[int, int] | None:
        """Change of (breaks, idle slots) if the chain swaps slots; None if that breaks a rule."""
        leaving = sum(1 for i in members if self.slot[i] == here)
        arriving = len(members) - leaving
        if self.count[here] - leaving + arriving > self.tables[here]:
            return None
        if self.count[target] - arriving + leaving > self.tables[target]:
            return None
        swapped = {i: (target if self.slot[i] == here else here) for i in members}
        if self.after or self.before:
            for i, new in swapped.items():
                for j in self.after.get(i, ()):
                    if not new < swapped.get(j, self.slot[j]):
                        return None
                for j in self.before.get(i, ()):
                    if not swapped.get(j, self.slot[j]) < new:
                        return None
        flip = (1 << here) | (1 << target)
        toggled: dict[int, int] = {}
        meetings = self.problem.meetings
        for i in members:
            meeting = meetings[i]
            for person in (meeting.a, meeting.b):
                toggled[person] = toggled.get(person, 0) + 1
        d_breaks = d_idle = 0
        scores = self.scores
        for person, times in toggled.items():
            if times == 2:
                continue  # busy in both slots before and after the swap
            old = self.mask[person]
            new_mask = old ^ flip
            before = scores.get(old) or self._score(old)
            after = scores.get(new_mask) or self._score(new_mask)
            d_breaks += after[0] - before[0]
            d_idle += after[1] - before[1]
        return d_breaks, d_idle

    def apply(self, members: list[int], here: int, target: int) -> None:
        """Swap the chain's meetings between the two slots."""
        self.apply_moves(
            [(i, self.slot[i], target if self.slot[i] == here else here) for i in members]
        )

    def eject(
        self, start: int, target: int, rng: random.Random
    ) -> list[tuple[int, int, int]] | None:
        """Move `start` to `target` and each meeting in its way to a random slot where both
        its participants are free and it is allowed; None when one of them has no such slot."""
        meetings = self.problem.meetings
        meeting = meetings[start]
        here = self.slot[start]
        moves = [(start, here, target)]
        clashes = {self.at[p][target] for p in (meeting.a, meeting.b)} - {-1}
        if start in clashes:
            return None
        taken = 1 << target
        for clash in sorted(clashes):
            other = meetings[clash]
            busy = self.mask[other.a] | self.mask[other.b] | taken
            for person in (other.a, other.b):
                if person in (meeting.a, meeting.b):
                    busy &= ~(1 << here)
            options = [s for s in self.allowed_list[clash] if not busy >> s & 1]
            if not options:
                return None
            # Mostly next to a busy slot of its participants, where a break is least likely.
            both = self.mask[other.a] | self.mask[other.b]
            near = ((both << 1) | (both >> 1)) & ~both
            close = [s for s in options if near >> s & 1]
            if close and rng.random() < self.focus:
                options = close
            new = options[int(rng.random() * len(options))]
            taken |= 1 << new
            moves.append((clash, target, new))
        return moves

    def evaluate_moves(self, moves: list[tuple[int, int, int]]) -> tuple[int, int] | None:
        """Change of (breaks, idle slots) if the meetings move; None if that breaks a rule."""
        meetings = self.problem.meetings
        count: dict[int, int] = {}
        masks: dict[int, int] = {}
        for i, old, new in moves:
            count[old] = count.get(old, 0) - 1
            count[new] = count.get(new, 0) + 1
            meeting = meetings[i]
            for person in (meeting.a, meeting.b):
                masks[person] = masks.get(person, self.mask[person]) & ~(1 << old)
        for i, _old, new in moves:
            meeting = meetings[i]
            for person in (meeting.a, meeting.b):
                if masks[person] >> new & 1:
                    return None
                masks[person] |= 1 << new
        if any(self.count[s] + c > self.tables[s] for s, c in count.items() if c > 0):
            return None
        if (self.after or self.before) and not self._ordered({i: n for i, _o, n in moves}):
            return None
        d_breaks = d_idle = 0
        for person, new_mask in masks.items():
            old_mask = self.mask[person]
            new_score, old_score = self._score(new_mask), self._score(old_mask)
            d_breaks += new_score[0] - old_score[0]
            d_idle += new_score[1] - old_score[1]
        return d_breaks, d_idle

    def apply_moves(self, moves: list[tuple[int, int, int]]) -> None:
        """Move each meeting from its old slot to its new one."""
        meetings = self.problem.meetings
        for i, old, _new in moves:
            meeting = meetings[i]
            for person in (meeting.a, meeting.b):
                self.at[person][old] = -1
                self.mask[person] &= ~(1 << old)
            self.count[old] -= 1
        for i, _old, new in moves:
            meeting = meetings[i]
            for person in (meeting.a, meeting.b):
                self.at[person][new] = i
                self.mask[person] |= 1 << new
            self.count[new] += 1
            self.slot[i] = new

    def _score(self, mask: int) -> tuple[int, int]:
        """(breaks, idle slots) of a busy mask, remembered."""
        score = self.scores.get(mask)
        if score is None:
            score = self.scores[mask] = (mask_breaks(mask, self.days), mask_idle(mask, self.days))
        return score

    def _ordered(self, moved: dict[int, int]) -> bool:
        """Whether the precedences still hold once the meetings of `moved` have moved."""
        for i, new in moved.items():
            for j in self.after.get(i, ()):
                if not new < moved.get(j, self.slot[j]):
                    return False
            for j in self.before.get(i, ()):
                if not moved.get(j, self.slot[j]) < new:
                    return False
        return True

    def _propose(
        self, start: int, here: int, target: int, rng: random.Random
    ) -> tuple[list[tuple[int, int, int]], tuple[int, int]] | None:
        """The moves sending `start` to `target` and their change of (breaks, idle slots):
        its Kempe chain, or, when a meeting of the chain may not go to the other slot
        (session or forbidden slot), the meetings in its way sent to free slots."""
        members = self.chain(start, target)
        self.links += len(members) if members else 1
        if members is None:
            ejection = self.eject(start, target, rng)
            if ejection is None:
                return None
            delta = self.evaluate_moves(ejection)
            return None if delta is None else (ejection, delta)
        delta = self.evaluate(members, here, target)
        if delta is None:
            return None
        moves = [(i, self.slot[i], target if self.slot[i] == here else here) for i in members]
        return moves, delta

    def run(
        self,
        deadline: float,
        max_work: float,
        patience: int,
        lower_bound: int = 0,
        idle_weight: float = 0.5,
    ) -> SearchResult:
        """Anneal until the deadline, `max_work` (see `work`), `patience` iterations without
        a new best, or a schedule with `lower_bound` breaks."""
        best = SearchResult(dict(self.slot), self.breaks, 0)
        if not self.movable or self.breaks <= lower_bound:
            return best
        rng = self.random
        # A break costs 1: at 0.2 a move adding one is taken about once in 150 tries. The
        # temperature falls from 0.5 to 0.2 in ~46,000 moves, then now and then is raised
        # again: short cycles did better than long ones on the benchmark's instances.
        temperature, cooling, floor, reheat = 0.5, 0.99998, 0.2, 0.5
        last_best = iteration = 0
        links = self.links
        while iteration < max_work:
            iteration += 1
            if iteration % 1024 == 0 and (
                iteration + LINK_COST * (self.links - links) >= max_work
                or time.monotonic() > deadline
            ):
                break
            if iteration - last_best > patience:
                break
            start, target = self._pick(rng)
            here = self.slot[start]
            if target == here:
                continue
            proposal = self._propose(start, here, target, rng)
            if proposal is None:
                continue
            moves, delta = proposal
            cost = delta[0] + idle_weight * delta[1]
            if cost <= 0 or rng.random() < math.exp(-cost / temperature):
                self.apply_moves(moves)
                self.breaks += delta[0]
                self.idle += delta[1]
                if self.breaks < best.breaks:
                    best = SearchResult(dict(self.slot), self.breaks, iteration)
                    last_best = iteration
                    if self.breaks <= lower_bound:
                        break
            temperature = max(floor, temperature * cooling)
            if temperature <= floor and rng.random() < 1e-4:
                temperature = reheat
        best.iterations = iteration
        best.work = iteration + LINK_COST * (self.links - links)
        return best

    def _pick(self, rng: random.Random) -> tuple[int, int]:
        """A movable meeting and a slot to move it to.

        Half of the time the meeting is one of a participant with breaks, sent next to or
        into a gap of that participant's busy slots; otherwise anything goes anywhere."""
        draw = rng.random
        if draw() < self.focus:
            person = int(draw() * len(self.mask))
            mask = self.mask[person]
            if self._score(mask)[0]:
                choices = [i for i in self.at[person] if i >= 0 and len(self.allowed[i]) > 1]
                if choices:
                    start = choices[int(draw() * len(choices))]
                    near = ((mask << 1) | (mask >> 1)) & ~mask
                    slots = [s for s in self.allowed_list[start] if near >> s & 1]
                    if slots:
                        return start, slots[int(draw() * len(slots))]
        start = self.movable[int(draw() * len(self.movable))]
        options = self.allowed_list[start]
        return start, options[int(draw() * len(options))]

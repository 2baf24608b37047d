"""The scheduler's public entry points: solve a problem, and reschedule after a cancellation."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from seriktes.events.scheduler.answer import Status
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.checker import check
from seriktes.events.scheduler.conflicts import Conflict, ConflictKind
from seriktes.events.scheduler.greedy import greedy_schedule
from seriktes.events.scheduler.partial import max_weight
from seriktes.events.scheduler.portfolio import (
    Running,
    collect_exact,
    improve_twice,
    start_exact,
    stop_exact,
)
from seriktes.events.scheduler.problem import Problem
from seriktes.events.scheduler.sat import Outcome, explain_infeasibility, first_schedule, improve
from seriktes.events.scheduler.search import Annealer, SearchResult
from seriktes.events.scheduler.tables import assign_tables

# The annealing stops after PATIENCE_PER_MEETING × meetings moves without a new best schedule,
# or when its share of the work budget is spent (see budget.py).
PATIENCE_PER_MEETING = 5_000
# Share of the work the annealing takes on events small enough for the SAT model; the search
# around its schedule takes the rest, and the exact search (exact.py) runs beside both on the
# second core for the whole budget. History: with the exact search beside the annealing only
# (before RC2 ran over CaDiCaL), a share of 0.6 left forum-13crafb and ticf-13crafb at 7 and 4
# breaks (references 6 and 3), 0.4 reached all 20 references. With the exact search
# throughout, `--quick --families prec15 prec25 fixed40` had 13 of 15 variants at their
# reference at 0.3 against 12 beside the annealing only at 0.4; since RC2 runs over CaDiCaL,
# ticf-13crafb reached its proven 3 breaks in 23 s and 22 s (seeds 0, 1) this way, against 4
# and 6 with the exact search beside the annealing only (exploratory runs).
ANNEALING_SHARE = 0.3
# When the first schedule comes from SAT completion, the annealing time is cut in RESTARTS + 1
# equal parts; each part after the first starts again from the best schedule with a generator
# of its own (seed-derived): tic-14crafc ended at 1 break in one run of 16 s, reached 0 in the
# second of two runs of 8 s. Not after a complete greedy start: ticf-14crafa went from 0 to 5.
RESTARTS = 1
# The SAT search is not started with less work than this left (encoding alone takes ~1 s).
SAT_MINIMUM = 2.0
# Up to this many meetings, SAT decides whether all fit and CP-SAT picks the heaviest subset
# when they do not; beyond it the models grow too big for the time limits, so the greedy
# placement with repair is the answer.
EXACT_LIMIT = 2_000


@dataclass
class Schedule:
    """A schedule: slots and tables of the scheduled meetings, and what could not be placed."""

    slots: dict[int, int]  # meeting index → 0-based slot, scheduled meetings only
    tables: dict[int, int]  # meeting index → 0-based table
    unscheduled: list[int]  # meeting indices that could not be placed
    breaks: int
    optimal: bool
    seconds: float
    conflicts: list[Conflict] = field(default_factory=list)  # why meetings could not be placed
    # False when the clock ended a search before its work budget was spent: then another run
    # with the same seed may give another schedule
    reproducible: bool = True


def solve(
    problem: Problem,
    time_limit: float = 30.0,
    seed: int = 0,
    require_all: bool = False,
    work: float | None = None,
) -> Schedule:
    """Schedule as many meetings (by weight) as possible, then with the fewest breaks.

    A greedy placement (or, when it leaves meetings out, a SAT solver) gives a first
    schedule of every meeting, then simulated annealing removes breaks. When not all
    meetings fit, `conflicts` names the constraints that clash and, unless `require_all`,
    the heaviest subset that fits is scheduled; with `require_all` nothing is.

    The searches spend `work` (nominal seconds, see budget.py; by default what the time
    limit allows) in moves and conflicts, not in seconds: the same seed gives the same
    schedule unless the machine is too slow to do that work within the time limit.
    """
    started = time.monotonic()
    budget = _budget(time_limit, work)
    everything = list(range(len(problem.meetings)))
    slots = greedy_schedule(problem, seed=seed)
    conflicts: list[Conflict] = []
    restarts = 0
    capped = problem.capped()  # some participant's maximum leaves meetings out anyway
    if len(slots) < len(everything) and len(everything) <= EXACT_LIMIT and not capped:
        with budget.part(0.5) as part:
            first = first_schedule(problem, part, hint=slots)
        if first.value is not None:
            slots, restarts = first.value, RESTARTS
        elif first.status is Status.NONE:
            conflicts = explain_infeasibility(problem, max(0.5, _left(budget.deadline) / 3))
    if len(slots) < len(everything):
        if require_all:
            conflicts = conflicts or _left_out(problem, everything, slots)
            seconds = time.monotonic() - started
            return Schedule({}, {}, everything, 0, False, seconds, conflicts, not budget.late)
        if len(everything) <= EXACT_LIMIT:
            with budget.part(0.5) as part:
                heaviest = max_weight(problem, everything, {}, set(), slots, part, seed).value
            if heaviest is not None and _value(problem, heaviest) > _value(problem, slots):
                slots = heaviest
        if conflicts and not capped:  # the core says why not all fit
            conflicts += missed_targets(problem, slots)
        else:
            conflicts = _left_out(problem, everything, slots)
    slots, optimal = _fewest_breaks(problem, slots, budget, seed, restarts)
    return _finish(problem, slots, conflicts, optimal, started, budget)


def reschedule(
    problem: Problem,
    current: dict[int, int],
    cancelled_participants: set[int],
    waiting: list[int],
    time_limit: float = 10.0,
    move_others: bool = False,
    seed: int = 0,
    work: float | None = None,
) -> Schedule:
    """Give the slots freed by cancelled participants to waiting meetings.

    Meetings of cancelled participants are dropped; every other meeting of `current` keeps
    its slot unless `move_others`, in which case it stays scheduled but may move. Waiting
    meetings (indices not in `current`) are placed by weight, then with the fewest breaks.
    """
    started = time.monotonic()
    budget = _budget(time_limit, work)
    gone = cancelled_participants
    kept = {i: s for i, s in current.items() if not _touches(problem, i, gone)}
    candidates = sorted({i for i in waiting if i not in current and not _touches(problem, i, gone)})
    pinned = {} if move_others else kept
    indices = sorted(set(kept) | set(candidates))
    sub, back = restrict(problem, indices, pinned)
    position = {index: k for k, index in enumerate(back)}
    sub_kept = {position[i]: s for i, s in kept.items()}
    placed = greedy_schedule(sub, pinned=sub_kept, seed=seed)
    if len(placed) < len(indices) and len(indices) <= EXACT_LIMIT:
        with budget.part(0.5) as part:
            heaviest = max_weight(
                sub, list(range(len(indices))), {}, set(sub_kept), placed, part, seed
            ).value
        if heaviest is not None and _value(sub, heaviest) > _value(sub, placed):
            placed = heaviest
    sub_slots, _optimal = _fewest_breaks(sub, placed, budget, seed)
    slots = {back[i]: s for i, s in sub_slots.items()}
    conflicts = [
        Conflict(ConflictKind.CANCELLED, (index,), _gone(problem, index, gone))
        for index in sorted(current)
        if _touches(problem, index, gone)
    ]
    conflicts += _left_out(problem, candidates, slots)
    return _finish(problem, slots, conflicts, False, started, budget)


def _fewest_breaks(
    problem: Problem, placed: dict[int, int], budget: Budget, seed: int, restarts: int = 0
) -> tuple[dict[int, int], bool]:
    """Move the placed meetings for fewer breaks; True when proven optimal.

    Annealing takes the first part of the budget; on events small enough for the SAT model,
    a SAT search around the annealed schedule takes the rest (it finds the last breaks the
    annealing walks past, and can prove that none is left). The exact search (exact.py) runs
    beside both on the second core for the whole budget; on constrained days it does most of
    the work.
    """
    exact = len(placed) <= EXACT_LIMIT
    sub, back = restrict(problem, sorted(placed), {})
    position = {index: k for k, index in enumerate(back)}
    annealing = budget.part(ANNEALING_SHARE if exact else 1.0)
    below = None  # RC2 for the whole budget, on the second core (exact.py)
    if exact and annealing.seconds >= SAT_MINIMUM and sub.meetings:
        below = start_exact(sub, budget.part(1.0), seed)
    result = _anneal_runs(problem, placed, seed, annealing, restarts)
    budget.settle()
    done = result.breaks == 0  # nothing left to find
    if done or not exact or budget.seconds < SAT_MINIMUM or budget.exhausted:
        if below is not None:
            stop_exact(below)
        return result.slots, done
    start = {position[i]: s for i, s in result.slots.items()}
    if below is None:
        outcome = improve_twice(sub, start, budget, seed)
    else:  # the exact search holds the second core: one search here
        outcome = _improve_beside(sub, start, budget, seed, below)
    budget.settle()
    if outcome.breaks >= result.breaks:
        return result.slots, outcome.optimal and outcome.breaks == result.breaks
    return {back[i]: s for i, s in outcome.slots.items()}, outcome.optimal


def _improve_beside(
    sub: Problem, start: dict[int, int], budget: Budget, seed: int, below: Running
) -> Outcome:
    """The search around the annealed schedule in this process while the exact search goes
    on in the other: the better of the two, with the exact search's lower bound.

    The search here uses the plain formula, also where many meetings have a precedence
    (where `improve_twice` uses the crowding one, without the exact search beside). With
    the crowding formula on every event, ticf-13crafc ended at 2 breaks (reference 1); with
    it where many meetings have a precedence, forum-13crafc and ticf-13crafc with
    precedences on 15 % and 25 % of their meetings ended at 6, 3, 3 and 5 (optimum 1, the
    full benchmark); with the plain formula, at 1 in 9-11 s, while the exact search still
    gave the optima of forum-14, ticf-14crafa, forum-13crafb and ticf-13crafb with those
    precedences (`benchmarks/bench_scheduler.py --only forum-13crafc ticf-13crafc forum-14
    ticf-14crafa forum-13crafb ticf-13crafb --families prec15 prec25`: 12 of 12)."""
    outcome = improve(sub, start, budget, seed)
    if outcome.optimal:
        stop_exact(below)
        return outcome
    found = collect_exact(below, budget).value
    if found is None:
        return outcome
    if found.slots is not None and found.breaks is not None and found.breaks < outcome.breaks:
        return Outcome(found.slots, found.breaks, True, found.breaks)
    optimal = outcome.optimal or outcome.breaks <= found.lower
    return Outcome(outcome.slots, outcome.breaks, optimal, max(outcome.lower_bound, found.lower))


def _anneal_runs(
    problem: Problem, placed: dict[int, int], seed: int, annealing: Budget, restarts: int
) -> SearchResult:
    """The annealing from `placed`, in `restarts` + 1 runs that each take an equal part of
    what is left of its budget, each after the first from the best schedule so far."""
    patience = max(50_000, PATIENCE_PER_MEETING * len(placed))
    result = _anneal(problem, placed, seed, annealing.part(1 / (restarts + 1)), patience)
    for restart in range(1, restarts + 1):
        if result.breaks == 0 or annealing.exhausted:
            break
        part = annealing.part(1 / (restarts + 1 - restart))
        again = _anneal(problem, result.slots, seed + 7919 * restart, part, patience)
        if again.breaks < result.breaks:
            result = again
    return result


def _anneal(
    problem: Problem, start: dict[int, int], seed: int, budget: Budget, patience: int
) -> SearchResult:
    """One annealing run from `start` that spends (at most) `budget`."""
    with budget:
        result = Annealer(problem, start, seed).run(budget.deadline, budget.annealing(), patience)
        budget.spend_annealing(result.work)
    return result


def _budget(time_limit: float, work: float | None) -> Budget:
    """The work a run may do (by default what the time limit allows) and its clock."""
    usable = _usable(time_limit)
    return Budget.of(usable if work is None else work, time.monotonic() + usable)


def _usable(time_limit: float) -> float:
    """The part of the time limit the search may use: the rest covers building the result
    and the SAT encoding started just before the deadline on a loaded machine."""
    return max(0.1, time_limit - min(3.0, 0.1 * time_limit + 0.2))


def _left(deadline: float) -> float:
    return max(0.5, deadline - time.monotonic())


def _value(problem: Problem, slots: dict[int, int]) -> tuple[int, int]:
    """How good a set of scheduled meetings is: the meetings counted towards the
    participants' minimums, then the weight."""
    towards = 0
    if problem.min_meetings is not None:
        for person, indices in enumerate(problem.meetings_of()):
            placed = sum(1 for i in indices if i in slots)
            towards += min(placed, problem.floor(person, len(indices)))
    return towards, sum(problem.meetings[i].weight for i in slots)


def _touches(problem: Problem, index: int, people: set[int]) -> bool:
    meeting = problem.meetings[index]
    return meeting.a in people or meeting.b in people


def _gone(problem: Problem, index: int, people: set[int]) -> tuple[int, ...]:
    """The participants of meeting `index` among `people` (those who cancelled)."""
    meeting = problem.meetings[index]
    return tuple(person for person in (meeting.a, meeting.b) if person in people)


def _finish(
    problem: Problem,
    slots: dict[int, int],
    conflicts: list[Conflict],
    optimal: bool,
    started: float,
    budget: Budget,
) -> Schedule:
    unscheduled = [i for i in range(len(problem.meetings)) if i not in slots]
    breaks = check(problem, slots, require_all=False).breaks
    return Schedule(
        slots=dict(sorted(slots.items())),
        tables=assign_tables(problem, slots),
        unscheduled=unscheduled,
        breaks=breaks,
        optimal=optimal,
        seconds=time.monotonic() - started,
        conflicts=conflicts if unscheduled else [],
        reproducible=not budget.late,
    )


def restrict(
    problem: Problem, indices: list[int], pinned: dict[int, int]
) -> tuple[Problem, list[int]]:
    """The problem of only the meetings `indices` (some pinned to slots), and the way back."""
    position = {index: k for k, index in enumerate(indices)}
    meetings = [
        replace(problem.meetings[i], fixed_slot=pinned[i]) if i in pinned else problem.meetings[i]
        for i in indices
    ]
    precedences = [
        (position[a], position[b])
        for a, b in problem.precedences
        if a in position and b in position
    ]
    sub = Problem(
        n_participants=problem.n_participants,
        n_slots=problem.n_slots,
        n_morning=problem.n_morning,
        tables=problem.tables,
        meetings=meetings,
        forbidden=[set(f) for f in problem.forbidden],
        precedences=precedences,
        name=problem.name,
        day_starts=list(problem.day_starts),
        slot_tables=None if problem.slot_tables is None else list(problem.slot_tables),
        min_meetings=None if problem.min_meetings is None else list(problem.min_meetings),
        max_meetings=None if problem.max_meetings is None else list(problem.max_meetings),
    )
    return sub, list(indices)


def _left_out(problem: Problem, indices: list[int], slots: dict[int, int]) -> list[Conflict]:
    """Why the meetings of `indices` not in `slots` were left out, and which participants
    stay below their minimum number of meetings."""
    lists = problem.meetings_of()
    placed = [sum(1 for i in indices_ if i in slots) for indices_ in lists]
    conflicts = []
    for index in indices:
        if index in slots:
            continue
        meeting = problem.meetings[index]
        full = [
            person
            for person in (meeting.a, meeting.b)
            if (cap := problem.cap(person)) is not None and placed[person] >= cap
        ]
        if full:
            cap = problem.cap(full[0]) or 0
            conflicts.append(Conflict(ConflictKind.TARGET_REACHED, (index,), (full[0],), count=cap))
        else:
            conflicts.append(_why_not(problem, index, slots))
    return conflicts + missed_targets(problem, slots)


def missed_targets(problem: Problem, slots: dict[int, int]) -> list[Conflict]:
    """A TARGET_MISSED conflict for each participant below its minimum number of meetings."""
    if problem.min_meetings is None:
        return []
    conflicts = []
    for person, indices in enumerate(problem.meetings_of()):
        placed = sum(1 for i in indices if i in slots)
        floor = problem.floor(person, len(indices))
        if placed < floor:
            conflicts.append(
                Conflict(ConflictKind.TARGET_MISSED, (), (person,), count=floor, placed=placed)
            )
    return conflicts


def _why_not(problem: Problem, index: int, slots: dict[int, int]) -> Conflict:
    """Why a waiting meeting found no slot: its participants' free slots never coincide
    (NO_SLOT), or those where they do are full or taken by heavier meetings (FULL)."""
    meeting = problem.meetings[index]
    busy = {
        slot
        for other, slot in slots.items()
        if {problem.meetings[other].a, problem.meetings[other].b} & {meeting.a, meeting.b}
    }
    open_slots = tuple(s for s in problem.allowed_slots(index) if s not in busy)
    kind = ConflictKind.FULL if open_slots else ConflictKind.NO_SLOT
    return Conflict(kind, (index,), (meeting.a, meeting.b), open_slots)

"""The scheduler's public entry points: solve a problem, and reschedule after a cancellation."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from seriktes.events.scheduler import cpsat
from seriktes.events.scheduler.checker import check
from seriktes.events.scheduler.problem import Problem
from seriktes.events.scheduler.sat import explain_infeasibility, solve_min_breaks
from seriktes.events.scheduler.tables import assign_tables


@dataclass
class Schedule:
    """A schedule: slots and tables of the scheduled meetings, and what could not be placed."""

    slots: dict[int, int]  # meeting index → 0-based slot, scheduled meetings only
    tables: dict[int, int]  # meeting index → 0-based table
    unscheduled: list[int]  # meeting indices that could not be placed
    breaks: int
    optimal: bool
    seconds: float
    conflicts: list[str] = field(default_factory=list)  # why meetings could not be placed


def solve(
    problem: Problem, time_limit: float = 30.0, seed: int = 0, require_all: bool = False
) -> Schedule:
    """Schedule as many meetings (by weight) as possible, then with the fewest breaks.

    With `require_all`, a problem whose meetings cannot all be placed gets no schedule at
    all: every meeting is unscheduled and `conflicts` names the constraints that clash.
    """
    started = time.monotonic()
    outcome = solve_min_breaks(problem, time_limit, seed=seed)
    if outcome.slots is not None:
        return _finish(problem, outcome.slots, [], outcome.optimal, started)
    remaining = max(0.5, time_limit - (time.monotonic() - started))
    conflicts = outcome.conflict or explain_infeasibility(problem, remaining / 2)
    if not conflicts:
        conflicts = ["no complete schedule was found within the time limit"]
    if require_all:
        everything = list(range(len(problem.meetings)))
        return Schedule({}, {}, everything, 0, False, time.monotonic() - started, conflicts)
    placed = _max_weight(problem, {}, set(), remaining / 2, seed)
    slots = _fewest_breaks(problem, placed, remaining / 2, seed)
    return _finish(problem, slots, conflicts, False, started)


def reschedule(
    problem: Problem,
    current: dict[int, int],
    cancelled_participants: set[int],
    waiting: list[int],
    time_limit: float = 10.0,
    move_others: bool = False,
    seed: int = 0,
) -> Schedule:
    """Give the slots freed by cancelled participants to waiting meetings.

    Meetings of cancelled participants are dropped; every other meeting of `current` keeps
    its slot unless `move_others`, in which case it stays scheduled but may move. Waiting
    meetings (indices not in `current`) are placed by weight, then with the fewest breaks.
    """
    started = time.monotonic()
    kept = {
        index: slot
        for index, slot in current.items()
        if not _touches(problem, index, cancelled_participants)
    }
    candidates = [
        index
        for index in waiting
        if index not in current and not _touches(problem, index, cancelled_participants)
    ]
    pinned = {} if move_others else kept
    placed = _max_weight(
        problem, pinned, set(kept) | set(candidates), time_limit, seed, required=set(kept)
    )
    if move_others:
        slots = _fewest_breaks(problem, placed, time_limit / 2, seed)
    else:
        slots = {index: kept.get(index, slot) for index, slot in placed.items()}
    conflicts = [
        f"meeting {index + 1}: a participant cancelled"
        for index in sorted(current)
        if _touches(problem, index, cancelled_participants)
    ]
    conflicts += [_why_not(problem, index, slots) for index in candidates if index not in slots]
    return _finish(problem, slots, conflicts, False, started)


def _touches(problem: Problem, index: int, people: set[int]) -> bool:
    meeting = problem.meetings[index]
    return meeting.a in people or meeting.b in people


def _finish(
    problem: Problem,
    slots: dict[int, int],
    conflicts: list[str],
    optimal: bool,
    started: float,
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
    )


def _max_weight(
    problem: Problem,
    pinned: dict[int, int],
    allowed: set[int] | None,
    time_limit: float,
    seed: int,
    required: set[int] | None = None,
) -> dict[int, int]:
    """The heaviest set of meetings that fit together, with `pinned` ones in their slots."""
    indices = sorted(allowed) if allowed else list(range(len(problem.meetings)))
    sub, back = restrict(problem, indices, pinned)
    model = cpsat.build(sub, optional=True)
    for position, index in enumerate(back):
        if required and index in required:
            model.cp.add(model.placed[position] == 1)
    model.cp.maximize(sum(m.weight * model.placed[i] for i, m in enumerate(sub.meetings)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model.cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}
    return {back[i]: s for (i, s), var in model.x.items() if solver.boolean_value(var)}


def _fewest_breaks(
    problem: Problem, placed: dict[int, int], time_limit: float, seed: int
) -> dict[int, int]:
    """Rearrange the placed meetings for fewer breaks; keep `placed` if that finds nothing."""
    indices = sorted(placed)
    sub, back = restrict(problem, indices, {})
    outcome = solve_min_breaks(sub, time_limit, seed=seed)
    if outcome.slots is None or outcome.breaks is None:
        return placed
    if outcome.breaks >= check(problem, placed, require_all=False).breaks:
        return placed
    return {back[i]: s for i, s in outcome.slots.items()}


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
    )
    return sub, list(indices)


def _why_not(problem: Problem, index: int, slots: dict[int, int]) -> str:
    """Why a waiting meeting found no slot: its participants' free slots never coincide."""
    meeting = problem.meetings[index]
    busy = {
        slot
        for other, slot in slots.items()
        if {problem.meetings[other].a, problem.meetings[other].b} & {meeting.a, meeting.b}
    }
    open_slots = [s for s in problem.allowed_slots(index) if s not in busy]
    if not open_slots:
        return (
            f"meeting {index + 1} (participants {meeting.a + 1} and {meeting.b + 1}): "
            "no slot where both are free and allowed to meet"
        )
    return (
        f"meeting {index + 1} (participants {meeting.a + 1} and {meeting.b + 1}): "
        f"the slots where both are free ({', '.join(str(s + 1) for s in open_slots)}) "
        "are full or taken by heavier meetings"
    )

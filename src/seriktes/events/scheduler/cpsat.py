"""The CP-SAT model: meetings to slots, tables per slot, and breaks counted exactly.

Breaks of a participant are the number of blocks of consecutive busy slots minus one; a
block starts where the participant is busy and was not in the previous slot. Implied
constraints tie each participant's first and last busy slot to its number of meetings:
the span can only exceed the number of meetings if there is at least one break, and can
exceed it by at most (slots − meetings). These let the solver prune whole families of
schedules with breaks instead of discovering them one slot at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from seriktes.events.scheduler.problem import Problem


@dataclass
class Model:
    """The CP-SAT model with handles to its variables."""

    cp: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]
    placed: list[cp_model.IntVar]
    breaks: list[cp_model.LinearExprT]
    slot: list[cp_model.IntVar]


def build(problem: Problem, optional: bool = False) -> Model:
    """Build the model; with `optional`, meetings may stay unscheduled (weighted objective)."""
    cp = cp_model.CpModel()
    n = problem.n_slots
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    placed, slot_vars = [], []
    for index, _meeting in enumerate(problem.meetings):
        allowed = problem.allowed_slots(index)
        for s in allowed:
            x[index, s] = cp.new_bool_var(f"x{index}_{s}")
        done = cp.new_bool_var(f"p{index}") if optional else cp.new_constant(1)
        cp.add(sum(x[index, s] for s in allowed) == done)
        slot = cp.new_int_var_from_domain(cp_model.Domain.from_values(allowed or [0]), f"s{index}")
        cp.add(slot == sum(s * x[index, s] for s in allowed)).only_enforce_if(done)
        placed.append(done)
        slot_vars.append(slot)
    for s in range(n):
        in_slot = [x[i, s] for i in range(len(problem.meetings)) if (i, s) in x]
        if len(in_slot) > problem.tables:
            cp.add(sum(in_slot) <= problem.tables)
    for before, after in problem.precedences:
        both = [placed[before], placed[after]]
        cp.add(slot_vars[before] < slot_vars[after]).only_enforce_if(both)
    breaks = [
        _participant(cp, problem, x, placed, meetings, person)
        for person, meetings in enumerate(problem.meetings_of())
    ]
    return Model(cp, x, placed, breaks, slot_vars)


def _participant(
    cp: cp_model.CpModel,
    problem: Problem,
    x: dict[tuple[int, int], cp_model.IntVar],
    placed: list[cp_model.IntVar],
    meetings: list[int],
    person: int,
) -> cp_model.LinearExprT:
    """One meeting per slot for `person`, and an exact count of its breaks."""
    n = problem.n_slots
    busy = []
    for s in range(n):
        terms = [x[i, s] for i in meetings if (i, s) in x]
        if len(terms) > 1:
            cp.add_at_most_one(terms)
        busy.append(sum(terms) if terms else 0)
    if len(meetings) < 2:
        return 0
    starts = []
    for s in range(n):
        if isinstance(busy[s], int) and busy[s] == 0:
            continue
        start = cp.new_bool_var(f"st{person}_{s}")
        previous = busy[s - 1] if s > 0 else 0
        cp.add(start >= busy[s] - previous)
        starts.append(start)
    count = sum(placed[i] for i in meetings)
    first = cp.new_int_var(0, n - 1, f"first{person}")
    last = cp.new_int_var(0, n - 1, f"last{person}")
    for (i, s), var in x.items():
        if i in meetings:
            cp.add(first <= s).only_enforce_if(var)
            cp.add(last >= s).only_enforce_if(var)
    blocks = sum(starts)
    cp.add(blocks >= 1)
    idle = last - first + 1 - count
    cp.add(idle >= 0)
    # implied: some idle slot inside the span means at least one more block
    cp.add(n * (blocks - 1) >= idle)
    cp.add(blocks - 1 <= idle)
    return blocks - 1

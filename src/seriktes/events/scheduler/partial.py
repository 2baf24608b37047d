"""The heaviest set of meetings that fit together, when not all of them can (CP-SAT)."""

from __future__ import annotations

import time

from seriktes.events.scheduler.answer import Answer, Status
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.problem import Problem


def max_weight(
    problem: Problem,
    candidates: list[int],
    pinned: dict[int, int],
    required: set[int],
    hint: dict[int, int],
    budget: Budget,
    seed: int,
) -> Answer[dict[int, int]]:
    """Place a subset of `candidates` of greatest total weight: FOUND with the slots of the
    best subset found (optimal or not), NONE when the pinned and required meetings cannot
    all be placed, UNKNOWN when the budget ran out before any subset. Pinned meetings keep
    their slot, required ones must be placed.

    Breaks are left to the annealing afterwards: the model only decides which meetings fit.
    One worker, a seed and CP-SAT's deterministic time as the limit keep a run reproducible
    unless the clock (the budget's deadline) cuts it short.
    """
    # Imported here: OR-Tools (and the pandas it loads) costs half a second, which the SAT
    # search's child process (portfolio.py) would otherwise pay on every start.
    from ortools.sat.python import cp_model

    cp = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    placed: dict[int, cp_model.IntVar] = {}
    slot_of: dict[int, cp_model.LinearExprT] = {}
    by_slot: dict[int, list[cp_model.IntVar]] = {}
    by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for index in candidates:
        meeting = problem.meetings[index]
        allowed = [pinned[index]] if index in pinned else problem.allowed_slots(index)
        for s in allowed:
            var = cp.new_bool_var(f"x{index}_{s}")
            x[index, s] = var
            by_slot.setdefault(s, []).append(var)
            for person in (meeting.a, meeting.b):
                by_person_slot.setdefault((person, s), []).append(var)
            if hint.get(index) == s:
                cp.add_hint(var, True)
        done = cp.new_bool_var(f"p{index}")
        cp.add(sum(x[index, s] for s in allowed) == done)
        if index in required or index in pinned:
            cp.add(done == 1)
        placed[index] = done
        slot_of[index] = sum(s * x[index, s] for s in allowed)
    for vars_ in by_slot.values():
        if len(vars_) > problem.tables:
            cp.add(sum(vars_) <= problem.tables)
    for vars_ in by_person_slot.values():
        if len(vars_) > 1:
            cp.add_at_most_one(vars_)
    for before, after in problem.precedences:
        if before in placed and after in placed:
            both = [placed[before], placed[after]]
            cp.add(slot_of[before] < slot_of[after]).only_enforce_if(both)
    cp.maximize(sum(problem.meetings[i].weight * placed[i] for i in candidates))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = max(0.1, budget.seconds)
    solver.parameters.max_time_in_seconds = max(0.1, budget.deadline - time.monotonic())
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(cp)
    budget.spend(solver.response_proto.deterministic_time)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Answer.found({i: s for (i, s), var in x.items() if solver.boolean_value(var)})
    return Answer(Status.NONE if status == cp_model.INFEASIBLE else Status.UNKNOWN)

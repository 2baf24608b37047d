"""The heaviest set of meetings that fit together, when not all of them can (CP-SAT)."""

from __future__ import annotations

import time
from typing import Any

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

    No participant gets more meetings than its maximum; reaching the participants' minimums
    (`Problem.min_meetings`) comes before weight: each meeting towards a minimum outweighs
    all the weights together.

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
    for s, vars_ in by_slot.items():
        if len(vars_) > problem.tables_at(s):
            cp.add(sum(vars_) <= problem.tables_at(s))
    for vars_ in by_person_slot.values():
        if len(vars_) > 1:
            cp.add_at_most_one(vars_)
    for before, after in problem.precedences:
        if before in placed and after in placed:
            both = [placed[before], placed[after]]
            cp.add(slot_of[before] < slot_of[after]).only_enforce_if(both)
    weight = sum(problem.meetings[i].weight * placed[i] for i in candidates)
    cp.maximize(_targets(cp, problem, placed, weight))
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


def _targets(cp: Any, problem: Problem, placed: dict[int, Any], weight: Any) -> Any:
    """Add the participants' maximums to `cp`; the objective: the meetings counted towards
    the minimums first, then `weight`."""
    per_person: dict[int, list[Any]] = {}
    for index, var in placed.items():
        meeting = problem.meetings[index]
        for person in (meeting.a, meeting.b):
            per_person.setdefault(person, []).append(var)
    requested = [len(indices) for indices in problem.meetings_of()]
    towards = []
    for person, vars_ in per_person.items():
        cap = problem.cap(person)
        if cap is not None and len(vars_) > cap:
            cp.add(sum(vars_) <= cap)
        floor = min(problem.floor(person, requested[person]), len(vars_))
        if floor:
            reached = cp.new_int_var(0, floor, f"reached{person}")
            cp.add(reached <= sum(vars_))
            towards.append(reached)
    if not towards:
        return weight
    heavy = 1 + sum(problem.meetings[i].weight for i in placed)
    return heavy * sum(towards) + weight

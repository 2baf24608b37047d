"""The SAT searches over the formula of `encoding.py`: a first schedule, an anytime search
for the fewest breaks, and the constraints that clash when not every meeting fits.

Breaks are bounded with a totalizer whose outputs serve as assumptions, so one incremental
CaDiCaL instance answers "is there a schedule with at most B breaks?" for B = 0 first
(cheap when the answer is yes), then for B below the best schedule found so far, with
large-neighbourhood steps, until the work budget, the deadline or a proof that no better
schedule exists. Every solver call reports an `answer.Status`.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from pysat.card import ITotalizer
from pysat.solvers import Solver

from seriktes.events.scheduler.answer import Answer, Status
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.conflicts import Conflict, ConflictKind
from seriktes.events.scheduler.encoding import Encoding, breaks_of, decode, encode
from seriktes.events.scheduler.problem import Problem, count_breaks


@dataclass
class Outcome:
    """The best schedule found, its breaks, and whether it is proven optimal."""

    slots: dict[int, int]
    breaks: int
    optimal: bool
    lower_bound: int = 0


def first_schedule(
    problem: Problem, budget: Budget, hint: dict[int, int] | None = None
) -> Answer[dict[int, int]]:
    """Any schedule of every meeting, leaning towards no breaks: FOUND with its slots, NONE
    when there is none (proven), UNKNOWN when the budget ran out first. Spends what it used.

    With `hint` (a partial schedule, the greedy's), a first attempt keeps the hint's meetings
    that share no participant with a meeting it left out (nor a precedence with one) in
    their slots: the greedy's compact days stay, where the solver alone scatters them (on
    forum-14 with precedences on 15 % of its meetings, the greedy places 300 of 302 with 87
    breaks; kept, they give a schedule of all with 105, the solver alone one with 198)."""
    enc = encode(problem)
    clauses = len(enc.clauses)
    with Solver(name="glucose4", bootstrap_with=enc.clauses) as solver:
        solver.set_phases([-lit for lit in enc.breaks])
        status = Status.UNKNOWN
        if hint:
            keep = _kept(problem, hint)
            assumptions = [enc.x[i, s] for i, s in keep.items() if (i, s) in enc.x]
            attempt = budget.conflicts(clauses) // 4
            status = limited(solver, assumptions, budget.deadline, attempt)
        if status is not Status.FOUND:
            status = limited(solver, [], budget.deadline, budget.conflicts(clauses))
        budget.spend_conflicts(_conflicts(solver), clauses)
        model = solver.get_model() if status is Status.FOUND else None
    if model is None:  # a FOUND without a model would be pysat's fault: no verdict then
        return Answer(Status.UNKNOWN if status is Status.FOUND else status)
    return Answer.found(decode(problem, enc, model)[0])


def _kept(problem: Problem, hint: dict[int, int]) -> dict[int, int]:
    """The meetings of `hint` far from those it left out: no participant in common, no
    precedence with one."""
    missing = [i for i in range(len(problem.meetings)) if i not in hint]
    people = {p for i in missing for p in (problem.meetings[i].a, problem.meetings[i].b)}
    linked = set(missing)
    for first, second in problem.precedences:
        if first in linked or second in linked:
            linked.update((first, second))
    return {
        i: s
        for i, s in hint.items()
        if i not in linked and not {problem.meetings[i].a, problem.meetings[i].b} & people
    }


def improve(
    problem: Problem,
    slots: dict[int, int],
    budget: Budget,
    seed: int = 0,
    zero_share: float = 0.3,
    crowding: bool = False,
    lower: int = 0,
) -> Outcome:
    """Start from a complete schedule and look for one with fewer breaks.

    First a bounded attempt at no break at all, then large-neighbourhood search; the solver's
    phases follow the best schedule, so each call repairs it rather than starting over. The
    search spends `budget` in conflicts (and stops at its deadline if the machine is slow).
    `crowding` counts the tables over busy participants instead (see `encoding._crowding`).
    `lower` is a bound already proven (by the exact search, exact.py): no search below it.
    """
    enc = encode(problem, crowding=crowding)
    true = {enc.x[index, slot] for index, slot in slots.items()}
    start = Outcome(slots, breaks_of(problem, slots), False)
    if not enc.breaks or start.breaks <= lower:
        return Outcome(slots, start.breaks, True, lower)
    # Only bounds below the start are ever asked: a totalizer counting up to it is enough, and
    # far smaller than one up to every break literal (encoding in 0.3 s instead of 1-2 s).
    totalizer = ITotalizer(lits=enc.breaks, ubound=start.breaks, top_id=enc.pool.top)
    clauses = len(enc.clauses) + len(totalizer.cnf.clauses)
    total = budget.conflicts(clauses)
    with Solver(name=IMPROVE_SOLVER, bootstrap_with=enc.clauses) as solver:
        solver.append_formula(totalizer.cnf.clauses)
        _follow(solver, enc, [v if v in true else -v for v in enc.x.values()])
        status = Status.UNKNOWN
        if not lower:  # a bounded attempt at no break
            zero = int(zero_share * total)
            status = limited(solver, [-totalizer.rhs[0]], budget.deadline, zero)
        if status is Status.FOUND:
            outcome = Outcome(*decode(problem, enc, solver.get_model() or []), True)
        else:
            search = _Search(problem, enc, solver, totalizer, start, seed)
            search.lower = max(lower, 1 if status is Status.NONE else 0)
            search.run(budget.deadline, total)
            outcome = search.best
        budget.spend_conflicts(_conflicts(solver), clauses)
    return outcome


def _conflicts(solver: Solver) -> int:
    """Conflicts the solver has met since it was created."""
    return int((solver.accum_stats() or {}).get("conflicts", 0))


# Share of the search steps that look at the whole schedule rather than a neighbourhood. With
# the implied counts and work budgets (seed 0, 30 s), 0.3 left forum-13crafb, ticf-13crafb and
# ticf-14crafa at 7, 4 and 0 breaks where 0.1 left 7, 4 and 1.
WHOLE = 0.3
# Conflicts a neighbourhood step may take, and how many times more a whole-schedule step.
STEP_CONFLICTS = 3000
WHOLE_FACTOR = 10
# How many participants with breaks seed a neighbourhood: with the interval clauses, 2-6
# (freed with their partners) left ticf-13crafb at 5 and 7 breaks, forum-13crafb at 7 and 9
# (seeds 0 and 1, 15 s from the same annealed schedule) where 1-3 left 8, 10 and 8, 9.
PEOPLE = (2, 6)


class _Search:
    """Large-neighbourhood search over the incremental SAT solver."""

    def __init__(
        self,
        problem: Problem,
        enc: Encoding,
        solver: Solver,
        totalizer: ITotalizer,
        best: Outcome,
        seed: int,
    ) -> None:
        self.problem, self.enc, self.solver, self.totalizer = problem, enc, solver, totalizer
        self.best, self.lower = best, 0
        self.random = random.Random(seed)
        self.meetings_of = problem.meetings_of()

    def run(self, deadline: float, conflicts: int) -> None:
        """Improve the best schedule until the solver has met `conflicts` conflicts in all,
        the deadline comes, or the schedule is proven optimal."""
        step_failed = 0
        while (
            (left := conflicts - _conflicts(self.solver)) > 0
            and time.monotonic() < deadline
            and self.best.breaks > self.lower
        ):
            best = self.best.breaks
            # ask for a big step first, one break fewer after the big steps fail
            step = max(1, (best - self.lower) // 3) if step_failed < 3 else 1
            bound = best - step
            whole = self.random.random() < WHOLE
            assumptions = [-self.totalizer.rhs[bound]]
            if not whole:
                assumptions += self._keep(self._neighbourhood())
            step_conflicts = STEP_CONFLICTS * (WHOLE_FACTOR if whole else 1)
            status = limited(self.solver, assumptions, deadline, min(left, step_conflicts))
            if status is Status.FOUND:
                model = self.solver.get_model() or []
                slots, breaks = decode(self.problem, self.enc, model)
                self.best = Outcome(slots, breaks, False)
                _follow(self.solver, self.enc, model)
                step_failed = 0
                continue
            step_failed += 1
            if status is Status.NONE and whole:  # no schedule at all within the bound
                self.lower = max(self.lower, bound + 1)
        self.best.lower_bound = self.lower
        self.best.optimal = self.best.breaks == self.lower

    def _neighbourhood(self) -> set[int]:
        """Participants whose meetings are set free: some with breaks, and their partners."""
        slots = self.best.slots
        with_breaks = [
            person
            for person, meetings in enumerate(self.meetings_of)
            if count_breaks([slots[m] for m in meetings if m in slots], self.problem.day_starts)
        ]
        chosen = set(
            self.random.sample(with_breaks, min(len(with_breaks), self.random.randint(*PEOPLE)))
        )
        partners: set[int] = set()
        for person in chosen:
            for index in self.meetings_of[person]:
                meeting = self.problem.meetings[index]
                partners.update((meeting.a, meeting.b))
        if self.random.random() < 0.5:
            partners = set(self.random.sample(sorted(partners), max(1, len(partners) // 2)))
        return chosen | partners

    def _keep(self, free: set[int]) -> list[int]:
        """Assumptions that keep every meeting not touching `free` where it is, nor bound by a
        precedence to one that does (it would pin that one between its neighbours: from
        forum-14's annealed schedule with precedences on 15 % of its meetings, the search
        stayed at 11 breaks)."""
        meetings = self.problem.meetings
        touching = {i for i in self.best.slots if meetings[i].a in free or meetings[i].b in free}
        moving = set(touching)
        for first, second in self.problem.precedences:  # their direct partners only
            if first in touching or second in touching:
                moving.update((first, second))
        return [
            self.enc.x[index, slot]
            for index, slot in self.best.slots.items()
            if index not in moving
        ]


# CaDiCaL 1.9.5 reached the reference on ticf-14crafa (0) and forum-13crafb (6) from the
# annealed schedule where Glucose 4 stayed at 1 and 8, in the same 20 s.
IMPROVE_SOLVER = "cadical195"
# Conflicts per call when the solver cannot be interrupted: the deadline is checked between.
CHUNK = 2000
# Paced chunks (`limited` with `since`): the first, before the solver's conflict rate is
# known, and the smallest, near the deadline.
PACED_FIRST_CHUNK = 2000
PACED_LAST_CHUNK = 500


def limited(
    solver: Solver,
    assumptions: list[int],
    deadline: float,
    budget: int | None,
    chunk: int = CHUNK,
    since: float | None = None,
) -> Status:
    """Solve within a conflict budget and the deadline: FOUND (satisfiable), NONE
    (unsatisfiable) or UNKNOWN (out of budget or time).

    Solvers that can be interrupted are stopped by a timer at the deadline; CaDiCaL cannot,
    so it runs in chunks of conflicts and the deadline is checked between them. With `since`
    (when the solver began), chunks are paced: cut to what the solver's conflict rate since
    then fits in half the time left, so that a call overruns its deadline by a fraction of a
    second rather than by a chunk."""
    remaining = deadline - time.monotonic()
    if remaining <= 0 or (budget is not None and budget <= 0):  # (0 would mean no limit)
        return Status.UNKNOWN
    if not type(solver.solver).__name__.lower().startswith("cadical"):
        if budget is not None:
            solver.conf_budget(budget)
        timer = threading.Timer(remaining, solver.interrupt)
        timer.start()
        try:
            status: bool | None = solver.solve_limited(
                assumptions=assumptions, expect_interrupt=True
            )
        finally:
            timer.cancel()
            solver.clear_interrupt()
        return _status(status)
    spent = 0
    while True:
        step = chunk if since is None else _paced(solver, since, deadline, chunk)
        step = step if budget is None else min(step, budget - spent)
        solver.conf_budget(step)
        status = solver.solve_limited(assumptions=assumptions)
        spent += step
        if status is not None:
            return _status(status)
        if (budget is not None and spent >= budget) or time.monotonic() >= deadline:
            return Status.UNKNOWN


def _paced(solver: Solver, since: float, deadline: float, largest: int) -> int:
    """A chunk of conflicts that the solver's rate since `since` fits in half the time left,
    between PACED_LAST_CHUNK and `largest`."""
    now = time.monotonic()
    done = _conflicts(solver)
    if not done:
        return min(largest, PACED_FIRST_CHUNK)
    rate = done / max(0.5, now - since)
    return max(PACED_LAST_CHUNK, min(largest, int(rate * (deadline - now) / 2)))


def _status(solved: bool | None) -> Status:
    """pysat's answer of a limited call (True, False, None) as a `Status`."""
    if solved is None:
        return Status.UNKNOWN
    return Status.FOUND if solved else Status.NONE


def _follow(solver: Solver, enc: Encoding, model: list[int]) -> None:
    """Start the next search from the best schedule so far (solution-guided phases), still
    preferring no break: the solver then repairs the incumbent instead of starting over."""
    breaks = set(enc.breaks)
    solver.set_phases([-lit if abs(lit) in breaks else lit for lit in model])


def explain_infeasibility(problem: Problem, time_limit: float) -> list[Conflict]:
    """A small set of constraint groups that cannot all hold (an unsatisfiable core), in a
    stable order; none when the solver finds a schedule or runs out of time."""
    enc = encode(problem, explain=True)
    with Solver(name="glucose4", bootstrap_with=enc.clauses) as solver:
        selectors = list(enc.groups.values())
        status = limited(solver, selectors, time.monotonic() + time_limit, None)
        if status is not Status.NONE:
            return []
        core = set(solver.get_core() or [])
    names = {selector: conflict for conflict, selector in enc.groups.items()}
    return sorted((names[s] for s in core if s in names), key=_reading_order)


# In a core: the tables of slots, then meeting by meeting its order and that it takes place,
# then the participants.
_GROUPS = {ConflictKind.TABLES: 0, ConflictKind.ORDER: 1, ConflictKind.PLACED: 1}


def _reading_order(conflict: Conflict) -> tuple[int, tuple[int, ...], bool, Conflict]:
    first = conflict.meetings[:1] or conflict.slots or conflict.participants
    return _GROUPS.get(conflict.kind, 2), first, conflict.kind is ConflictKind.PLACED, conflict

"""An exact MaxSAT search for the fewest breaks (RC2 of python-sat).

The hard clauses are the formula of `encoding.py` that counts busy participants against the
tables (every meeting scheduled); each break literal is a soft clause of weight 1. RC2 is
core-guided: its cost only grows, and each core it finds proves one more break unavoidable,
so a run stopped early still gives a lower bound, and a run that finishes gives an optimal
schedule. It works from below, where the annealing and the large-neighbourhood search work
from above: on forum-14 with precedences on 25 % of its meetings it proved and found 2
breaks in 10-19 s where the searches from above mostly ended at 6 or more.

The scheduler runs it in its second process while the first anneals (portfolio.py), after
one CaDiCaL call for a schedule without any break (`zero`) over the order encoding of the
precedences, which finds one where RC2's first call does not. The benchmark uses longer
runs, without that call, as the reference of its variant families.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF
from pysat.solvers import Solver

from seriktes.events.scheduler.answer import Status
from seriktes.events.scheduler.budget import CLAUSE_CONFLICTS_PER_SECOND
from seriktes.events.scheduler.encoding import Encoding, decode, encode
from seriktes.events.scheduler.problem import Problem
from seriktes.events.scheduler.sat import limited


@dataclass(frozen=True)
class Exact:
    """What the exact search found: a lower bound on the breaks and, when it finished, an
    optimal schedule (`breaks` then its breaks, `optimal` True)."""

    lower: int
    breaks: int | None
    slots: dict[int, int] | None
    seconds: float
    feasible: bool = True  # False: proven that not every meeting can be scheduled
    late: bool = False  # the clock, not the conflict budget, stopped it

    @property
    def optimal(self) -> bool:
        return self.breaks is not None


class _Stop(Exception):
    """A SAT call of RC2 ran out of conflicts or time: the search ends there."""


# RC2's SAT solver: CaDiCaL 1.9.5. With RC2's options below (after a bug that ended every
# run at the first core minimisation call was fixed), from the 30 s schedules' variants with
# precedences on 25 % of forum-14's meetings and on 15 % of forum-13crafb's, it proved and
# found their optima (2 and 6) in 9.1 s and 14.1 s (each SAT call unbounded, RC2's -a on);
# Glucose 4 did not within 30 s (lower bounds 2 and 6, no schedule), Glucose 3 found
# forum-13crafb's only (16.2 s). Exploratory runs of `fewest_breaks`, one each.
RC2_SOLVER = "cadical195"
# CaDiCaL cannot be interrupted: RC2's calls run in chunks of conflicts, the clock checked
# between them. Each chunk starts the call's search over: chunks of 5,000 took forum-14's
# variant above 25 s, chunks of 20,000 as long as one call (10 s). Near the deadline the
# chunks are paced (sat.limited): with a 3 s limit, RC2 returned after 3.3 s.
RC2_CHUNK = 20_000
# RC2's detection of at-most-one constraints among the soft clauses (its -a): one unit
# propagation per break literal, which cannot be interrupted and took 4 s on forum-13crafb
# before the first SAT call. Without it, RC2 over CaDiCaL finished the variants above in
# 3.7-22 s instead of 12-18 s (ticf-13crafb with 25 %: 3.7 s instead of 16).
ADAPT = False
# RC2 bounds each SAT call of its core minimisation to this many conflicts (rc2.py).
MINIMIZE_CONFLICTS = 1000


class _Bounded(RC2):  # type: ignore[misc]
    """RC2 whose SAT calls share a budget of conflicts (so that a run is reproducible) and
    end at a deadline; a call that does not end stops the whole search (`_Stop`), except
    one of the core minimisation, which only ends that minimisation.

    RC2 itself reads an unfinished call as "unsatisfiable" while exhausting a core, which
    would raise its cost above the optimum (forum-14: 3 where 2 is optimal), so no such
    answer ever reaches it: the cost when `_Stop` is raised counts only proven cores."""

    def __init__(
        self, formula: WCNF, conflicts: int | None, deadline: float, **options: Any
    ) -> None:
        super().__init__(formula, **options)
        self.max_conflicts = conflicts
        self.deadline = deadline
        self.began = time.monotonic()
        self.out_of_budget = False
        self.stopped = False  # the deadline ended it
        self.minimizing = False

    def _call_oracle(self, assumptions: Any = (), expect_interrupt: bool = False) -> Any:
        left = None
        if self.max_conflicts is not None:
            spent = int((self.oracle.accum_stats() or {}).get("conflicts", 0))
            if spent >= self.max_conflicts:
                self.out_of_budget = True
                raise _Stop
            left = self.max_conflicts - spent
        bounded = self.minimizing and (left is None or left > MINIMIZE_CONFLICTS)
        if bounded:
            left = MINIMIZE_CONFLICTS
        answer = self._solve(list(assumptions), left)
        if answer is None:
            if time.monotonic() >= self.deadline:
                self.stopped = True
                raise _Stop
            if not bounded:
                self.out_of_budget = True
                raise _Stop
        return answer  # None only in the minimisation, which keeps the core it has

    def _solve(self, assumptions: list[int], budget: int | None) -> bool | None:
        """One SAT call of at most `budget` conflicts, in paced chunks until the deadline."""
        status = limited(self.oracle, assumptions, self.deadline, budget, RC2_CHUNK, self.began)
        return None if status is Status.UNKNOWN else status is Status.FOUND

    def minimize_core(self) -> None:
        """RC2's core minimisation (`minz`), whose calls it bounds to 1,000 conflicts: one
        that does not end leaves the core as it is, and the search goes on. (Before this,
        such a call ended the whole search: forum-13crafb with precedences on 25 % of its
        meetings stopped at a lower bound of 4 after 0.7 s, where RC2 now proves 6.)"""
        self.minimizing = True
        try:
            super().minimize_core()
        finally:
            self.minimizing = False


def fewest_breaks(
    problem: Problem, time_limit: float, work: float | None = None, zero: float = 0.0
) -> Exact:
    """RC2 on `problem` for at most about `time_limit` seconds and, when given, `work`
    nominal seconds of SAT conflicts (budget.py); with `zero`, that share of them (or of the
    time) first goes to CaDiCaL asking for no break at all (see ZERO_SOLVER)."""
    started = time.monotonic()
    enc = encode(problem, crowding=True)
    conflicts = None
    if work is not None:
        conflicts = int(work * CLAUSE_CONFLICTS_PER_SECOND / max(1, len(enc.clauses)))
    lower, late = 0, False
    if zero > 0 and enc.breaks:
        # its share of the conflicts, and the whole clock as a safety net (its share of it
        # without a conflict budget)
        until = started + (zero * time_limit if conflicts is None else time_limit)
        ordered = encode(problem, crowding=True, order=True)
        found, spent = _no_break(ordered, conflicts, zero, until)
        if found is not None:
            slots, breaks = decode(problem, ordered, found)
            return Exact(breaks, breaks, slots, time.monotonic() - started)
        if spent is None:  # proven: at least one break
            lower = 1
        else:
            late = conflicts is None or spent < int(zero * conflicts)  # the clock ended it
            if conflicts is not None:
                conflicts = max(1, conflicts - spent)
    formula = WCNF()
    formula.extend(enc.clauses)
    for brk in enc.breaks:
        formula.append([-brk], weight=1)
    # RC2's options as its command line's -x -m (no core trimming: its calls cannot be
    # bounded)
    options = {"solver": RC2_SOLVER, "adapt": ADAPT, "exhaust": True, "minz": True}
    with _Bounded(formula, conflicts, started + time_limit, **options) as rc2:
        try:
            model = rc2.compute()
        except _Stop:
            model = None
        seconds = time.monotonic() - started
        if model is None:
            stopped = rc2.stopped or rc2.out_of_budget
            late = late or (rc2.stopped and not rc2.out_of_budget)
            cost = max(lower, rc2.cost)
            return Exact(cost, None, None, seconds, feasible=stopped, late=late)
        slots, breaks = decode(problem, enc, model)
    return Exact(breaks, breaks, slots, seconds, late=late)


# The "no break at all" attempt before RC2: CaDiCaL, whose first call finds a schedule
# without a break where Glucose (RC2's oracle) does not. From the 30 s schedule of
# ticf-14crafa with precedences on 15 % of its meetings: CaDiCaL 1.9.5 found one in 8,700
# conflicts, Glucose 4 none in 100,000; with 25 %: CaDiCaL in 38,600.
ZERO_SOLVER = "cadical195"
# Its conflicts go to CaDiCaL in one call (it cannot be interrupted, and each call starts
# its search over: see portfolio.ZERO_SHARE); the exact search runs in a child process,
# killed when it overruns its deadline. Without a conflict budget, chunks of this many
# conflicts, with the clock checked between them.
ZERO_CHUNK = 20_000


def _no_break(
    enc: Encoding, conflicts: int | None, share: float, deadline: float
) -> tuple[list[int] | None, int | None]:
    """A model without a break (or None) and the conflicts spent, None when proven that
    there is none."""
    with Solver(name=ZERO_SOLVER, bootstrap_with=enc.clauses) as solver:
        solver.set_phases([-brk for brk in enc.breaks])
        limit = None if conflicts is None else max(1, int(share * conflicts))
        chunk = limit or ZERO_CHUNK
        status = limited(solver, [-brk for brk in enc.breaks], deadline, limit, chunk)
        spent = int((solver.accum_stats() or {}).get("conflicts", 0))
        if status is Status.FOUND:
            return solver.get_model(), spent
    return None, None if status is Status.NONE else spent

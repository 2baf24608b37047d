"""An exact MaxSAT search for the fewest breaks (RC2 of python-sat).

The hard clauses are the formula of `encoding.py` that counts busy participants against the
tables (every meeting scheduled); each break literal is a soft clause of weight 1. RC2 is
core-guided: its cost only grows, and each core it finds proves one more break unavoidable,
so a run stopped early still gives a lower bound, and a run that finishes gives an optimal
schedule. It works from below, where the annealing and the large-neighbourhood search work
from above: on forum-14 with precedences on 15 % of its meetings it proved and found 2
breaks in 25 s (a loaded machine) where the searches from above ended at 5 or more.

The scheduler runs it in its second process while the first anneals (portfolio.py), after
one CaDiCaL call for a schedule without any break (`zero`): RC2's Glucose does not find one
where CaDiCaL does at once. The benchmark uses longer runs, without that call, as the
reference of its variant families.
"""

from __future__ import annotations

import threading
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


class _Bounded(RC2):  # type: ignore[misc]
    """RC2 whose SAT calls share a budget of conflicts (so that a run is reproducible) and
    stop at an interrupt; a call that does not end stops the whole search (`_Stop`).

    RC2 itself reads an unfinished call as "unsatisfiable" while exhausting a core, which
    would raise its cost above the optimum (forum-14: 3 where 2 is optimal), so no such
    answer ever reaches it: the cost when `_Stop` is raised counts only proven cores."""

    def __init__(self, formula: WCNF, conflicts: int | None, **options: Any) -> None:
        super().__init__(formula, **options)
        self.max_conflicts = conflicts
        self.out_of_budget = False
        self.stopped = False

    def _call_oracle(self, assumptions: Any = (), expect_interrupt: bool = False) -> Any:
        if self.stopped:
            raise _Stop
        if self.max_conflicts is not None:
            spent = int((self.oracle.accum_stats() or {}).get("conflicts", 0))
            if spent >= self.max_conflicts:
                self.out_of_budget = True
                raise _Stop
            self.oracle.conf_budget(self.max_conflicts - spent)
        answer = self.oracle.solve_limited(assumptions=list(assumptions), expect_interrupt=True)
        if answer is None:
            self.out_of_budget = not self.stopped
            raise _Stop
        return answer

    def interrupt(self) -> None:
        self.stopped = True
        super().interrupt()


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
    # RC2's options as its command line's -a -x -m (no core trimming: its calls cannot be
    # bounded)
    options = {"solver": "g4", "adapt": True, "exhaust": True, "minz": True}
    with _Bounded(formula, conflicts, **options) as rc2:
        timer = threading.Timer(max(0.0, time_limit - (time.monotonic() - started)), rc2.interrupt)
        timer.start()
        try:
            model = rc2.compute()
        except _Stop:
            model = None
        finally:
            timer.cancel()
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

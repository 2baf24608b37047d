"""An exact MaxSAT search for the fewest breaks (RC2 of python-sat).

The hard clauses are the formula of `encoding.py` that counts busy participants against the
tables (every meeting scheduled); each break literal is a soft clause of weight 1. RC2 is
core-guided: its cost only grows, and each core it finds proves one more break unavoidable,
so a run stopped early still gives a lower bound, and a run that finishes gives an optimal
schedule. It works from below, where the annealing and the large-neighbourhood search work
from above: on forum-14 with precedences on 15 % of its meetings it proved and found 2
breaks in 25 s (a loaded machine) where the searches from above ended at 5 or more.

The scheduler runs it in its second process while the first anneals (portfolio.py); the
benchmark uses longer runs as the reference of its variant families.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF

from seriktes.events.scheduler.budget import CLAUSE_CONFLICTS_PER_SECOND
from seriktes.events.scheduler.encoding import decode, encode
from seriktes.events.scheduler.problem import Problem


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


def fewest_breaks(problem: Problem, time_limit: float, work: float | None = None) -> Exact:
    """RC2 on `problem` for at most about `time_limit` seconds and, when given, `work`
    nominal seconds of SAT conflicts (budget.py)."""
    started = time.monotonic()
    enc = encode(problem, crowding=True)
    conflicts = None
    if work is not None:
        conflicts = int(work * CLAUSE_CONFLICTS_PER_SECOND / max(1, len(enc.clauses)))
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
            late = rc2.stopped and not rc2.out_of_budget
            return Exact(rc2.cost, None, None, seconds, feasible=stopped, late=late)
        slots, breaks = decode(problem, enc, model)
    return Exact(breaks, breaks, slots, seconds)

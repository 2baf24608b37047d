"""An exact MaxSAT run for the fewest breaks (RC2 of python-sat): the benchmark's reference.

The hard clauses are the formula of `encoding.py` (every meeting scheduled); each break
literal is a soft clause of weight 1. RC2 is core-guided: its cost only grows, and each
core it finds proves one more break unavoidable, so a run stopped by the clock still gives a
lower bound. It is much slower than the scheduler's searches (minutes on the larger
instances) and meant for measuring them, not for events.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF

from seriktes.events.scheduler.encoding import decode, encode
from seriktes.events.scheduler.problem import Problem


@dataclass(frozen=True)
class Exact:
    """What the exact run found: a lower bound on the breaks, and when it finished, an
    optimal schedule (`optimal` then True and `breaks` its breaks)."""

    lower: int
    breaks: int | None
    slots: dict[int, int] | None
    seconds: float
    feasible: bool = True  # False: proven that not every meeting can be scheduled

    @property
    def optimal(self) -> bool:
        return self.breaks is not None


def fewest_breaks(problem: Problem, time_limit: float) -> Exact:
    """Run RC2 on `problem` for at most about `time_limit` seconds."""
    started = time.monotonic()
    enc = encode(problem, crowding=True)
    formula = WCNF()
    formula.extend(enc.clauses)
    for brk in enc.breaks:
        formula.append([-brk], weight=1)
    with RC2(formula, solver="g4", adapt=True, exhaust=True, minz=True, trim=5) as rc2:
        timer = threading.Timer(max(0.0, time_limit - (time.monotonic() - started)), rc2.interrupt)
        timer.start()
        try:
            model = rc2.compute(expect_interrupt=True)
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
        if model is None:
            return Exact(rc2.cost, None, None, seconds, feasible=rc2.interrupted)
        slots, breaks = decode(problem, enc, model)
    return Exact(breaks, breaks, slots, seconds)

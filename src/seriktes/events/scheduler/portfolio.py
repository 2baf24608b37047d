"""A second SAT search on another core, over another formula; the better one wins.

The child process searches from the same schedule with the same seed over the formula
that counts the tables over busy participants instead of meetings (`sat._crowding`). From
annealed schedules (exploratory runs), that formula proved forum-14's and forum-13crafb's
references optimal and reached ticf-14crafa's 0, but ended further from the reference on
forum-13crafc and ticf-13crafc, where the plain formula does best: neither dominates, so one
search of each runs. With both, `make bench-scheduler BENCH_ARGS="--time-limit 90 --work 27"`
(the work of a 30 s run) reaches ticf-13crafb's reference, 3 breaks, where two searches over
the plain formula ended at 4. The second search costs no wall time on a machine with a core
to spare, and keeps the result deterministic: each search spends its own work budget, and
the child's schedule replaces this process's only when it has fewer breaks.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from multiprocessing.pool import AsyncResult

from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.problem import Problem
from seriktes.events.scheduler.sat import Outcome, improve

log = logging.getLogger(__name__)

# How long past the deadline the child may take to return: like this process, it checks the
# deadline between chunks of conflicts (sat.CHUNK), so it may overrun it by one chunk.
GRACE = 1.0


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def improve_twice(problem: Problem, slots: dict[int, int], budget: Budget, seed: int) -> Outcome:
    """`improve` here and, on a machine with a second core, in a child process over the
    formula that counts busy participants, both with `seed` and the whole of `budget`: the
    schedule with fewer breaks (this process's on a tie). Marks `budget` late when the child
    could not finish in time."""
    if cores() < 2:
        return improve(problem, slots, budget, seed)
    with _context().Pool(1) as pool:
        pending = pool.apply_async(_search, (problem, slots, budget.seconds, budget.deadline, seed))
        own = improve(problem, slots, budget, seed)
        other = _collect(pending, budget)
    return own if other is None else better(own, other)


def _context() -> multiprocessing.context.BaseContext:
    """Fork where there is fork: a spawned child imports the caller's main module again, which
    runs a script without an `if __name__ == "__main__"` guard once more. The forked child
    only runs the SAT search, so the threads of a web server that calls this do not matter."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def better(first: Outcome, second: Outcome) -> Outcome:
    """The outcome with fewer breaks (`first` on a tie), with the tighter of the two lower
    bounds: a bound proven by either search holds for both."""
    best = second if _fewer(second, first) else first
    lower = max(first.lower_bound, second.lower_bound)
    optimal = best.optimal or (best.breaks is not None and best.breaks == lower)
    return Outcome(best.slots, best.breaks, optimal, lower, best.conflict)


def _fewer(candidate: Outcome, incumbent: Outcome) -> bool:
    if candidate.slots is None or candidate.breaks is None:
        return False
    return incumbent.breaks is None or candidate.breaks < incumbent.breaks


def _collect(pending: AsyncResult[tuple[Outcome, bool]], budget: Budget) -> Outcome | None:
    """The child's outcome, or None (and `budget` late) when it did not come back in time."""
    try:
        outcome, late = pending.get(timeout=max(0.0, budget.deadline - time.monotonic()) + GRACE)
    except multiprocessing.TimeoutError:
        budget.mark_late()
        return None
    except Exception:  # the child failed: this process's schedule stands
        log.exception("the second SAT search failed")
        budget.mark_late()
        return None
    if late:
        budget.mark_late()
    return outcome


def _search(
    problem: Problem, slots: dict[int, int], seconds: float, deadline: float, seed: int
) -> tuple[Outcome, bool]:
    """In the child: the SAT search over the formula that counts busy participants, with the
    parent's budget; its outcome and whether the clock, not the work, ended it."""
    with Budget.of(seconds, deadline) as budget:  # settles on leaving
        outcome = improve(problem, slots, budget, seed, crowding=True)
    return outcome, budget.late

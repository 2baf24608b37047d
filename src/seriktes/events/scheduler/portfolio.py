"""A second SAT search on another core, over another formula; the better one wins.

The child process searches from the same schedule with the same seed over the formula
that counts the tables over busy participants instead of meetings (`encoding._crowding`). From
annealed schedules (exploratory runs), that formula proved forum-14's and forum-13crafb's
references optimal and reached ticf-14crafa's 0, but ended further from the reference on
forum-13crafc and ticf-13crafc, where the plain formula does best: neither dominates, so one
search of each runs. With both, `make bench-scheduler BENCH_ARGS="--time-limit 90 --work 27"`
(the work of a 30 s run) reaches ticf-13crafb's reference, 3 breaks, where two searches over
the plain formula ended at 4. The second search costs no wall time on a machine with a core
to spare, and keeps the result deterministic: each search spends its own work budget, and
the child's schedule replaces this process's only when it has fewer breaks.

The child is a new interpreter started for the search (`child.py`), never a fork, and is
killed when it overruns the deadline: the caller goes on with its own schedule.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from seriktes.events.scheduler.answer import Answer, Status
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.exact import Exact, fewest_breaks
from seriktes.events.scheduler.problem import Problem
from seriktes.events.scheduler.sat import Outcome, improve

log = logging.getLogger(__name__)

# How long past the deadline the child may take to return: like this process, it checks the
# deadline between chunks of conflicts (sat.CHUNK), so it may overrun it by one chunk.
GRACE = 1.0
# After the grace, the child gets SIGTERM and this long to go before SIGKILL.
TERMINATE_WAIT = 1.0
# How long past its deadline the exact search (RC2, beside the annealing) may take: its SAT
# calls end in chunks of conflicts near the deadline, and writing its answer takes a moment.
EXACT_GRACE = 1.0
# The exact search in the child ends this long before the parent's deadline: its SAT calls
# run in chunks (exact.RC2_CHUNK) and a core's totalizer takes a moment to build, and a
# child still running at the deadline and EXACT_GRACE is killed with its lower bound.
EXACT_MARGIN = 0.5
# Share of the exact search's work that first goes to one call asking for no break at all
# (exact.ZERO_SOLVER). The searches from above both start with such an attempt too, but in
# chunks of conflicts (sat.CHUNK), each call starting over: from the 30 s schedule of
# ticf-14crafa with precedences on 25 % of its meetings, 55,900 conflicts in chunks found
# nothing, one call found a schedule without a break in 38,600 (the portfolio went from 7
# breaks to 0 with --work 27). Where a break is unavoidable the call mostly says so at once
# (forum-14 with 25 %: 0.1 s), and RC2 gets the rest.
ZERO_SHARE = 0.5
CHILD = "seriktes.events.scheduler.child"
# Test-only faults the child may be asked for: it raises, or ignores SIGTERM and sleeps.
FAIL, HANG = "fail", "hang"
FAULT = ""  # FAIL or HANG in tests only


@dataclass(frozen=True)
class Job:
    """What the child searches: the problem, the start schedule and the parent's budget."""

    problem: Problem
    slots: dict[int, int]
    seconds: float  # work, in nominal seconds (budget.py)
    deadline: float  # time.monotonic() of the parent: the clock is system-wide
    seed: int
    fault: str = ""
    exact: bool = False  # RC2 (exact.py) instead of the search over the crowding formula
    lower: int = 0  # a proven lower bound on the breaks


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def improve_twice(
    problem: Problem, slots: dict[int, int], budget: Budget, seed: int, lower: int = 0
) -> Outcome:
    """`improve` here and, on a machine with a second core, in a child process over the
    formula that counts busy participants, both with `seed` and the whole of `budget`: the
    schedule with fewer breaks (this process's on a tie). Marks `budget` late when the child
    could not finish in time.

    The child is a new interpreter (`child.py`), not a fork: a fork of a web server inherits
    its SIGTERM handler and would outlive `terminate()`. It is killed once the deadline and
    `GRACE` have passed, so a call never outlives its time limit by more than a few seconds.
    """
    if cores() < 2:
        return improve(problem, slots, budget, seed, crowding=ordered(problem), lower=lower)
    with tempfile.TemporaryDirectory(prefix="seriktes-sat-") as folder:
        job_path, out_path = Path(folder) / "job.pickle", Path(folder) / "outcome.pickle"
        job = Job(problem, slots, budget.seconds, budget.deadline, seed, FAULT, lower=lower)
        job_path.write_bytes(pickle.dumps(job))
        child = _start(job_path, out_path)
        try:
            if ordered(problem):  # both over the crowding formula, with different seeds
                own = improve(problem, slots, budget, seed + 1, crowding=True, lower=lower)
            else:
                own = improve(problem, slots, budget, seed, lower=lower)
            other = _collect(child, out_path, budget)
        finally:
            _stop(child)
    return (
        own
        if other.value is None or not isinstance(other.value, Outcome)
        else better(own, other.value)
    )


@dataclass
class Running:
    """An exact search running in a child process (`start_exact`)."""

    child: subprocess.Popen[bytes]
    folder: str
    out_path: Path
    deadline: float


def start_exact(problem: Problem, budget: Budget, seed: int) -> Running | None:
    """Start RC2 (exact.py) on `problem` in a child process with `budget` (work and clock),
    to run beside this process's annealing; None on a machine with one core."""
    if cores() < 2:
        return None
    folder = tempfile.mkdtemp(prefix="seriktes-exact-")
    job_path, out_path = Path(folder) / "job.pickle", Path(folder) / "outcome.pickle"
    job = Job(problem, {}, budget.seconds, budget.deadline, seed, FAULT, exact=True)
    job_path.write_bytes(pickle.dumps(job))
    return Running(_start(job_path, out_path), folder, out_path, budget.deadline)


def stop_exact(running: Running) -> None:
    """End the exact search if it still runs (at once: it holds nothing but its search)."""
    if running.child.poll() is None:
        running.child.kill()
        running.child.wait()
    shutil.rmtree(running.folder, ignore_errors=True)


def collect_exact(running: Running, budget: Budget) -> Answer[Exact]:
    """What the exact search found, once it ended (waiting at most until its deadline and
    `EXACT_GRACE`); UNKNOWN (and `budget` late) when it did not come back in time or failed.
    A child still running then is killed at once: it holds nothing but its search, and the
    time it would take comes out of the searches after the annealing."""
    try:
        found = _collect(running.child, running.out_path, budget, running.deadline, EXACT_GRACE)
    finally:
        stop_exact(running)
    value = found.value
    return Answer.found(value) if isinstance(value, Exact) else Answer(Status.UNKNOWN)


# From this share of meetings with a precedence on, this process searches over the crowding
# formula too (with another seed). From annealed schedules with 8 nominal seconds each, the
# search over the plain formula did not remove a single break on forum-14 with precedences on
# 15 % or 25 % of its meetings (11, 18) nor on ticf-14crafa with 15 % (9), where the one over
# the crowding formula reached 2, 7 and 3 (the optima: 2, 2, 0).
ORDERED_SHARE = 0.05


def ordered(problem: Problem) -> bool:
    """Whether many of the problem's meetings have a precedence (see ORDERED_SHARE)."""
    return len(problem.precedences) >= ORDERED_SHARE * max(1, len(problem.meetings))


def _start(job_path: Path, out_path: Path) -> subprocess.Popen[bytes]:
    """The child process, searching `job_path` into `out_path`."""
    command = [sys.executable, "-m", CHILD, str(job_path), str(out_path)]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """End the child if it still runs: SIGTERM, then SIGKILL when it ignores that."""
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(TERMINATE_WAIT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def better(first: Outcome, second: Outcome) -> Outcome:
    """The outcome with fewer breaks (`first` on a tie), with the tighter of the two lower
    bounds: a bound proven by either search holds for both."""
    best = second if second.breaks < first.breaks else first
    lower = max(first.lower_bound, second.lower_bound)
    optimal = best.optimal or best.breaks == lower
    return Outcome(best.slots, best.breaks, optimal, lower)


def _collect(
    child: subprocess.Popen[bytes],
    out_path: Path,
    budget: Budget,
    deadline: float | None = None,
    grace: float = GRACE,
) -> Answer[Outcome | Exact]:
    """The child's outcome, FOUND; UNKNOWN (and `budget` late) when it did not come back in
    time or failed: this process's schedule then stands."""
    deadline = budget.deadline if deadline is None else deadline
    try:
        status = child.wait(max(0.0, deadline - time.monotonic()) + grace)
    except subprocess.TimeoutExpired:
        log.warning("the second SAT search did not end in time: stopped")
        budget.mark_late()
        return Answer(Status.UNKNOWN)
    if status != 0 or not out_path.exists():
        log.error("the second SAT search failed (exit status %s)", status)
        budget.mark_late()
        return Answer(Status.UNKNOWN)
    outcome, late = pickle.loads(out_path.read_bytes())
    if late:
        budget.mark_late()
    if isinstance(outcome, Outcome | Exact):
        return Answer.found(outcome)
    return Answer(Status.UNKNOWN)


def search(job: Job) -> tuple[Outcome | Exact, bool]:
    """In the child: the SAT search over the formula that counts busy participants, with the
    parent's budget; its outcome and whether the clock, not the work, ended it."""
    if job.fault == FAIL:
        raise RuntimeError("the child was asked to fail")
    if job.fault == HANG:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(3600)
    if job.exact:
        left = job.deadline - EXACT_MARGIN - time.monotonic()
        exact = fewest_breaks(job.problem, left, work=job.seconds, zero=ZERO_SHARE)
        return exact, exact.late
    with Budget.of(job.seconds, job.deadline) as budget:  # settles on leaving
        outcome = improve(job.problem, job.slots, budget, job.seed, crowding=True, lower=job.lower)
    return outcome, budget.late

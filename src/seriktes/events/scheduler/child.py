"""The second SAT search's process: `python -m seriktes.events.scheduler.child JOB OUT`.

A fresh interpreter (never a fork of the caller): it inherits no signal handler, thread or
open connection of a web server, and imports only the scheduler and its solver library. It
reads a pickled `Job` from JOB, searches, and writes the pickled `(Outcome, late)` to OUT
(through a temporary name, so a killed child leaves no half-written answer).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.problem import Problem
from seriktes.events.scheduler.sat import Outcome, improve

# Test-only faults the parent may ask for: the child raises, or ignores SIGTERM and sleeps.
FAIL, HANG = "fail", "hang"


@dataclass(frozen=True)
class Job:
    """What the child searches: the problem, the start schedule and the parent's budget."""

    problem: Problem
    slots: dict[int, int]
    seconds: float  # work, in nominal seconds (budget.py)
    deadline: float  # time.monotonic() of the parent: the clock is system-wide
    seed: int
    fault: str = ""  # FAIL or HANG in tests only


def search(job: Job) -> tuple[Outcome, bool]:
    """The SAT search over the formula that counts busy participants, with the parent's
    budget; its outcome and whether the clock, not the work, ended it."""
    if job.fault == FAIL:
        raise RuntimeError("the child was asked to fail")
    if job.fault == HANG:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(3600)
    with Budget.of(job.seconds, job.deadline) as budget:  # settles on leaving
        outcome = improve(job.problem, job.slots, budget, job.seed, crowding=True)
    return outcome, budget.late


def main(argv: list[str]) -> int:
    """Read the job, search, write the answer; the exit status says whether it is there."""
    job_path, out_path = Path(argv[0]), Path(argv[1])
    job = pickle.loads(job_path.read_bytes())
    answer = pickle.dumps(search(job))
    partial = out_path.with_suffix(".part")
    partial.write_bytes(answer)
    os.replace(partial, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Search budgets counted in work, not seconds, so that a seed gives the same schedule.

A search stopped by the clock ends wherever the machine got to: a busy machine gives another
schedule than an idle one. The scheduler's searches therefore count their work (annealing
moves and the chains they walk, SAT conflicts weighted by the formula's size, CP-SAT's
deterministic time) and turn the time limit into work at fixed rates, measured on the
machine the benchmark runs on. The clock stays as a safety net: each phase also gets its
share of the clock, and stops there when the machine falls behind the rates (loaded, slower,
or an instance on which a move or a conflict costs more than usual); only then does the
result depend on the machine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

# Annealing work per nominal second: moves plus LINK_COST (search.py) per Kempe-chain link.
# Measured 2026-11-27 (4 s of annealing from the first schedule, idle 2-core machine, through
# a counting wrapper that slows it a little): 158,000-168,000/s on the four forumt-14
# instances, 176,000-262,000/s on forum-13crafb, forum-14, tic-13crafc, ticf-13crafc and
# ticf-14crafa (82,000-209,000 moves/s); at 180,000 the forumt-14 instances ran out of clock.
ANNEALING_WORK_PER_SECOND = 160_000
# SAT conflicts × clauses per nominal second: CaDiCaL in the same measurement ran 0.7-1.5 × 10⁹
# (20,000 conflicts from the annealed schedule; e.g. 3,600/s on forum-14's 325,000 clauses,
# 6,200/s on ticf-13crafb's 167,000); the search's short steps run faster than that.
CLAUSE_CONFLICTS_PER_SECOND = 1_300_000_000
# Both rates sit in the middle of what was measured: on the instances where moves or conflicts
# cost more, the clock ends a phase (as before budgets), elsewhere the work does.


@dataclass
class Budget:
    """Work left, in nominal seconds, and the wall-clock deadline behind it."""

    seconds: float
    deadline: float
    parent: Budget | None = None  # a part's spending counts against the whole too
    late: bool = False  # the clock, not the work, ended a phase: the result depends on the machine

    @classmethod
    def of(cls, seconds: float, deadline: float | None = None) -> Budget:
        """`seconds` of work, with the clock stopping at `deadline` (default: that many
        seconds from now)."""
        return cls(seconds, time.monotonic() + seconds if deadline is None else deadline)

    def part(self, share: float) -> Budget:
        """A share of the work and of the clock left; what it spends, this spends. Used as a
        context manager, it settles (see `settle`) when the phase it bounds is over."""
        now = time.monotonic()
        deadline = now + share * max(0.0, self.deadline - now)
        return Budget(max(0.0, share * self.seconds), deadline, self)

    @property
    def exhausted(self) -> bool:
        return self.seconds <= 0 or time.monotonic() >= self.deadline

    def annealing(self) -> float:
        return self.seconds * ANNEALING_WORK_PER_SECOND

    def conflicts(self, clauses: int) -> int:
        return int(self.seconds * CLAUSE_CONFLICTS_PER_SECOND / max(1, clauses))

    def settle(self) -> None:
        """After a phase: note it (and the whole) as late if the clock stopped it with work left."""
        if self.seconds > 0.001 and time.monotonic() >= self.deadline:
            self.mark_late()

    def mark_late(self) -> None:
        """Note this phase, and the whole, as ended by the clock."""
        budget: Budget | None = self
        while budget is not None:
            budget.late = True
            budget = budget.parent

    def __enter__(self) -> Budget:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.settle()

    def spend(self, seconds: float) -> None:
        self.seconds = max(0.0, self.seconds - seconds)
        if self.parent is not None:
            self.parent.spend(seconds)

    def spend_annealing(self, work: float) -> None:
        self.spend(work / ANNEALING_WORK_PER_SECOND)

    def spend_conflicts(self, conflicts: int, clauses: int) -> None:
        self.spend(conflicts * clauses / CLAUSE_CONFLICTS_PER_SECOND)

"""The B2B meeting scheduler: a pure library (no web, no database).

Call `solve(problem)` for a schedule and `reschedule(problem, current, ...)` after a
cancellation; both return a `Schedule`. Read instances with `read_dzn`, check any schedule
independently with `check`. A schedule's `conflicts` say why meetings could not be placed
(`Conflict`, 0-based indices); `describe` renders one in ru, kk or en.

A `Problem` may span several days (`day_starts`: slots are numbered across the days, breaks
counted within each), have its own number of tables in each slot (`slot_tables`) and
meeting targets per participant (`min_meetings`, `max_meetings`); the defaults keep one day,
`tables` everywhere and no targets.
"""

from seriktes.events.scheduler.checker import Verdict, check
from seriktes.events.scheduler.conflicts import Conflict, ConflictKind, Names, describe
from seriktes.events.scheduler.dzn import DznError, parse_dzn, read_dzn
from seriktes.events.scheduler.problem import (
    AFTERNOON,
    EITHER,
    MORNING,
    Meeting,
    Problem,
    count_breaks,
)
from seriktes.events.scheduler.solve import Schedule, reschedule, solve

__all__ = [
    "AFTERNOON",
    "EITHER",
    "MORNING",
    "Conflict",
    "ConflictKind",
    "DznError",
    "Meeting",
    "Names",
    "Problem",
    "Schedule",
    "Verdict",
    "check",
    "count_breaks",
    "describe",
    "parse_dzn",
    "read_dzn",
    "reschedule",
    "solve",
]

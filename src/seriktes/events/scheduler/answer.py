"""What a bounded search says: an answer, a proof that there is none, or no verdict.

Every search of the scheduler (SAT calls, the first schedule, CP-SAT's heaviest subset, the
second search in a child process) reports through `Status`, and those that find something
through `Answer`, so "nothing found" never has to be told apart by `None`, `False` or an
empty value.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")


class Status(Enum):
    """How a bounded search ended."""

    FOUND = "found"  # an answer (for SAT: the formula is satisfiable)
    NONE = "none"  # proven: there is no answer
    UNKNOWN = "unknown"  # the budget or the clock ran out before either


@dataclass(frozen=True)
class Answer(Generic[T]):
    """A search's status and, when it is FOUND, what it found."""

    status: Status
    value: T | None = None

    @classmethod
    def found(cls, value: T) -> Answer[T]:
        """An answer with its value."""
        return cls(Status.FOUND, value)

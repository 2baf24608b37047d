"""Small scheduling problems for the tests, written out meeting by meeting."""

from __future__ import annotations

from seriktes.events.scheduler import EITHER, Meeting, Problem


def make_problem(
    pairs: list[tuple[int, int]],
    n_slots: int = 4,
    tables: int = 4,
    forbidden: list[set[int]] | None = None,
    precedences: list[tuple[int, int]] | None = None,
) -> Problem:
    """A problem of meetings between the given pairs of (0-based) participants."""
    n_participants = max(max(pair) for pair in pairs) + 1
    return Problem(
        n_participants=n_participants,
        n_slots=n_slots,
        n_morning=n_slots // 2,
        tables=tables,
        meetings=[Meeting(a, b, EITHER) for a, b in pairs],
        forbidden=forbidden or [],
        precedences=precedences or [],
    )


def with_meeting(problem: Problem, index: int, meeting: Meeting) -> Problem:
    """The same problem with meeting `index` replaced."""
    meetings = list(problem.meetings)
    meetings[index] = meeting
    return Problem(
        n_participants=problem.n_participants,
        n_slots=problem.n_slots,
        n_morning=problem.n_morning,
        tables=problem.tables,
        meetings=meetings,
        forbidden=problem.forbidden,
        precedences=problem.precedences,
    )

"""Structured conflicts, their texts in ru, kk and en, and the one convention of the
searches: an answer, a proof that there is none, or no verdict within the budget."""

from __future__ import annotations

import time

import pytest

from seriktes.events.scheduler import (
    MORNING,
    Conflict,
    ConflictKind,
    Meeting,
    describe,
    solve,
)
from seriktes.events.scheduler.answer import Status
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.conflicts import TEXTS, Names
from seriktes.events.scheduler.partial import max_weight
from seriktes.events.scheduler.sat import first_schedule
from seriktes.kit.i18n import catalog
from tests.events.scheduler.factories import make_problem, with_meeting

EXAMPLES = [
    Conflict(ConflictKind.TABLES, slots=(2,), tables=4),
    Conflict(ConflictKind.ORDER, meetings=(0, 4)),
    Conflict(ConflictKind.PLACED, (1,), (2, 5), session=MORNING, unavailable=3),
    Conflict(ConflictKind.PLACED, (1,), (2, 5), slots=(6,)),
    Conflict(ConflictKind.ONE_AT_A_TIME, participants=(8,)),
    Conflict(ConflictKind.NO_SLOT, (9,), (0, 1)),
    Conflict(ConflictKind.FULL, (9,), (0, 1), (3, 4)),
    Conflict(ConflictKind.CANCELLED, (2,), (7,)),
]


def test_every_kind_reads_in_english_with_numbers_from_one() -> None:
    texts = [describe(conflict) for conflict in EXAMPLES]
    assert texts == [
        "4 tables in slot 3",
        "meeting 1 before meeting 5",
        "meeting 2 takes place (participants 3 and 6, morning only, 3 slots unavailable)",
        "meeting 2 takes place (participants 3 and 6, fixed to slot 7)",
        "participant 9 meets once a slot",
        "meeting 10 (participants 1 and 2): no slot where both are free and allowed to meet",
        "meeting 10 (participants 1 and 2): the slots where both are free (4, 5) are full or "
        "taken by heavier meetings",
        "meeting 3: a participant cancelled",
    ]
    assert set(TEXTS) == set(ConflictKind)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_kind_reads_in_russian_and_kazakh(lang: str) -> None:
    assert all(text in catalog(lang) for text in TEXTS.values())
    names = Names(meeting=lambda i: f"#{i}", participant=lambda p: f"P{p}", slot=lambda s: f"S{s}")
    for conflict in EXAMPLES:
        text = describe(conflict, lang, names)
        assert text != describe(conflict, "en", names)
        assert all(f"#{i}" in text for i in conflict.meetings)
        if conflict.kind is not ConflictKind.CANCELLED:
            assert all(f"P{p}" in text for p in conflict.participants)
            assert all(f"S{s}" in text for s in conflict.slots)


def test_a_schedule_that_cannot_exist_is_proven_none() -> None:
    problem = make_problem([(0, 1), (0, 2)], n_slots=1)
    far = time.monotonic() + 300
    assert first_schedule(problem, Budget.of(2, far)).status is Status.NONE
    pinned = max_weight(problem, [0, 1], {0: 0, 1: 0}, set(), {}, Budget.of(2, far), seed=0)
    assert (pinned.status, pinned.value) == (Status.NONE, None)


def test_a_search_without_budget_has_no_verdict() -> None:
    problem = make_problem([(0, 1), (0, 2)], n_slots=2)
    spent = Budget.of(2, time.monotonic() - 1)  # its clock has already run out
    assert first_schedule(problem, spent).status is Status.UNKNOWN


def test_a_schedule_found_comes_with_its_slots() -> None:
    problem = make_problem([(0, 1), (0, 2)], n_slots=2)
    found = first_schedule(problem, Budget.of(2, time.monotonic() + 300))
    assert found.status is Status.FOUND and found.value is not None
    assert sorted(found.value.values()) == [0, 1]


def test_conflicts_of_a_solve_are_indices_of_the_problem() -> None:
    problem = make_problem([(0, 1), (0, 2), (3, 4)], n_slots=1, tables=1)
    problem = with_meeting(problem, 2, Meeting(3, 4, weight=5))
    schedule = solve(problem, time_limit=5)
    assert schedule.slots == {2: 0}
    assert all(isinstance(c, Conflict) for c in schedule.conflicts)
    assert Conflict(ConflictKind.TABLES, slots=(0,), tables=1) in schedule.conflicts

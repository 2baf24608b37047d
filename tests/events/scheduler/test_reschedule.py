"""`reschedule`: freed slots go to waiting meetings; others move only when allowed to."""

from __future__ import annotations

from seriktes.events.scheduler import Meeting, Problem, check, describe, reschedule, solve
from seriktes.events.scheduler.generate import planted_problem
from seriktes.events.scheduler.solve import restrict
from tests.events.scheduler.factories import make_problem, with_meeting


def test_freed_slot_goes_to_a_waiting_meeting_and_the_others_stay() -> None:
    # 0 cancels; its slot 0 with 1 is free, so 1 can meet 3 there
    problem = make_problem([(0, 1), (2, 3), (1, 3)], n_slots=2, tables=1)
    schedule = reschedule(problem, {0: 0, 1: 1}, {0}, [2], time_limit=5)
    assert schedule.slots == {1: 1, 2: 0}
    assert schedule.unscheduled == [0]
    assert check(problem, schedule.slots, require_all=False).valid


def test_others_do_not_move_unless_asked() -> None:
    # waiting meeting 2 (2 with 4) fits only in slot 0, where meeting 1 (2 with 3) is
    problem = make_problem(
        [(0, 1), (2, 3), (2, 4)], n_slots=2, tables=1, forbidden=[set(), set(), set(), set(), {1}]
    )
    current = {0: 1, 1: 0}
    stay = reschedule(problem, current, {0}, [2], time_limit=5)
    assert stay.slots == {1: 0}
    assert 2 in stay.unscheduled
    assert any(c.meetings == (2,) for c in stay.conflicts)
    assert any(describe(c).startswith("meeting 3 ") for c in stay.conflicts)
    moved = reschedule(problem, current, {0}, [2], time_limit=5, move_others=True)
    assert moved.slots == {1: 1, 2: 0}


def test_waiting_meetings_by_weight_when_only_one_fits() -> None:
    problem = make_problem([(0, 1), (1, 2), (1, 3)], n_slots=1, tables=1)
    problem = with_meeting(problem, 2, Meeting(1, 3, weight=2))
    schedule = reschedule(problem, {0: 0}, {0}, [1, 2], time_limit=5)
    assert schedule.slots == {2: 0}


def test_a_no_show_on_a_generated_event_keeps_every_other_meeting() -> None:
    problem = planted_problem(40, 120, n_slots=10, n_morning=5, seed=2)
    waiting = list(range(100, 120))
    base = make_base(problem, waiting)
    no_show = problem.meetings[0].a
    schedule = reschedule(problem, base, {no_show}, waiting, time_limit=5, seed=1)
    for index, slot in base.items():
        meeting = problem.meetings[index]
        if no_show not in (meeting.a, meeting.b):
            assert schedule.slots[index] == slot
    assert not any(
        no_show in (problem.meetings[i].a, problem.meetings[i].b) for i in schedule.slots
    )
    assert check(problem, schedule.slots, require_all=False).valid
    assert len(schedule.slots) > len(base) - sum(
        1 for i in base if no_show in (problem.meetings[i].a, problem.meetings[i].b)
    )


def make_base(problem: Problem, waiting: list[int]) -> dict[int, int]:
    """A schedule of every meeting but the waiting ones."""
    keep = [i for i in range(len(problem.meetings)) if i not in waiting]
    sub, back = restrict(problem, keep, {})
    schedule = solve(sub, time_limit=5)
    return {back[i]: s for i, s in schedule.slots.items()}

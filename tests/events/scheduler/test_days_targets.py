"""Multi-day events, tables per slot and the participants' meeting targets."""

from __future__ import annotations

import pytest

from seriktes.events.scheduler import (
    MORNING,
    ConflictKind,
    Meeting,
    Problem,
    check,
    count_breaks,
    describe,
    reschedule,
    solve,
)
from seriktes.events.scheduler.exact import fewest_breaks
from seriktes.events.scheduler.greedy import greedy_schedule
from seriktes.events.scheduler.search import Annealer


def star(spokes: int, **fields: object) -> Problem:
    """Participant 0 meets participants 1..spokes, one meeting each."""
    defaults: dict[str, object] = {
        "n_participants": spokes + 1,
        "n_slots": 6,
        "n_morning": 3,
        "tables": 4,
        "meetings": [Meeting(0, k) for k in range(1, spokes + 1)],
    }
    return Problem(**{**defaults, **fields})  # type: ignore[arg-type]


def test_a_gap_across_days_is_no_break() -> None:
    assert count_breaks([0, 2, 5, 7]) == 3
    assert count_breaks([0, 2, 5, 7], [0, 4]) == 2
    assert count_breaks([2, 3, 4, 5], [0, 4]) == 0
    assert count_breaks([0, 1, 4, 5], [0]) == 1


def two_days() -> Problem:
    """Four meetings of participant 0 over two days of three slots; it cannot meet in
    slots 2 and 3, so its day splits in two around them."""
    forbidden = [{2, 3}] + [set() for _ in range(4)]
    return star(4, day_starts=[0, 3], forbidden=forbidden)


def test_breaks_across_days_are_not_counted_by_the_solver_and_the_checker() -> None:
    problem = two_days()
    schedule = solve(problem, time_limit=5)
    assert sorted(schedule.slots.values()) == [0, 1, 4, 5]
    assert schedule.breaks == 0
    assert schedule.optimal
    verdict = check(problem, schedule.slots)
    assert verdict.valid
    assert verdict.breaks == 0
    one_day = star(4, forbidden=problem.forbidden)
    assert check(one_day, schedule.slots).breaks == 1


def test_the_exact_model_counts_breaks_day_by_day() -> None:
    result = fewest_breaks(two_days(), 10)
    assert result.optimal
    assert result.breaks == 0
    one_day = fewest_breaks(star(4, forbidden=two_days().forbidden), 10)
    assert one_day.breaks == 1


def test_the_annealing_counts_breaks_day_by_day() -> None:
    problem = two_days()
    annealer = Annealer(problem, {0: 0, 1: 1, 2: 4, 3: 5})
    assert annealer.breaks == 0
    annealer = Annealer(problem, {0: 0, 1: 1, 2: 5, 3: 4})
    assert annealer.breaks == 0
    shifted = Annealer(star(4, day_starts=[0, 3]), {0: 0, 1: 2, 2: 3, 3: 5})
    assert shifted.breaks == 2


def test_a_multi_day_event_with_breaks_only_inside_days() -> None:
    # participants 0 and 1 each meet 2..5; days of 4 slots; 0 cannot meet in slot 1
    meetings = [Meeting(p, k) for p in (0, 1) for k in range(2, 6)]
    forbidden = [{1}, set(), set(), set(), set(), set()]
    problem = Problem(6, 8, 2, 2, meetings, forbidden, day_starts=[0, 4])
    schedule = solve(problem, time_limit=10)
    verdict = check(problem, schedule.slots)
    assert verdict.valid
    assert schedule.unscheduled == []
    assert verdict.breaks == schedule.breaks == 0


def test_morning_is_the_first_slots_of_each_day() -> None:
    problem = star(1, n_slots=8, n_morning=2, day_starts=[0, 4])
    problem.meetings[0] = Meeting(0, 1, MORNING)
    assert problem.allowed_slots(0) == [0, 1, 4, 5]
    assert not check(problem, {0: 2}).valid
    assert check(problem, {0: 5}).valid


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"day_starts": [1]}, "must start at 0"),
        ({"day_starts": [0, 3, 3]}, "must start at 0 and increase"),
        ({"day_starts": [0, 6]}, "a day starts at or after slot 6"),
        ({"slot_tables": [1, 2]}, "slot_tables has 2 entries for 6 slots"),
        ({"max_meetings": [1]}, "max_meetings has 1 entries for 3 participants"),
    ],
)
def test_bad_days_tables_or_targets_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        star(2, **fields)


def test_tables_per_slot_are_respected() -> None:
    # four disjoint pairs, two slots: one table in the first, three in the second
    meetings = [Meeting(2 * k, 2 * k + 1) for k in range(4)]
    problem = Problem(8, 2, 1, 4, meetings, slot_tables=[1, 3])
    schedule = solve(problem, time_limit=5)
    assert schedule.unscheduled == []
    assert sorted(schedule.slots.values()) == [0, 1, 1, 1]
    assert check(problem, schedule.slots).valid
    assert sorted(schedule.tables.values()) == [0, 0, 1, 2]
    verdict = check(problem, {0: 0, 1: 0, 2: 1, 3: 1})
    assert not verdict.valid
    assert "slot 1 holds 2 meetings for 1 tables" in verdict.problems


def test_a_slot_without_tables_takes_no_meeting() -> None:
    problem = star(3, n_slots=4, slot_tables=[2, 0, 2, 2])
    schedule = solve(problem, time_limit=5)
    assert 1 not in schedule.slots.values()
    assert problem.allowed_slots(0) == [0, 2, 3]
    assert check(problem, schedule.slots).valid


def test_at_most_n_meetings_leaves_the_rest_out_with_a_reason() -> None:
    problem = star(5, max_meetings=[3, None, None, None, None, None])
    schedule = solve(problem, time_limit=5)
    assert len(schedule.slots) == 3
    assert len(schedule.unscheduled) == 2
    assert check(problem, schedule.slots, require_all=False).valid
    assert [c.kind for c in schedule.conflicts] == [ConflictKind.TARGET_REACHED] * 2
    conflict = schedule.conflicts[0]
    assert conflict.participants == (0,) and conflict.count == 3
    assert describe(conflict, "en") == (
        f"meeting {conflict.meetings[0] + 1}: participant 1 has reached its maximum of 3 meetings"
    )
    for lang in ("ru", "kk"):
        text = describe(conflict, lang)
        assert "3" in text and text != describe(conflict, "en")


def test_at_most_n_meetings_keeps_the_heaviest() -> None:
    meetings = [Meeting(0, k, weight=w) for k, w in ((1, 1), (2, 5), (3, 1), (4, 5))]
    problem = Problem(5, 6, 3, 4, meetings, max_meetings=[2, None, None, None, None])
    schedule = solve(problem, time_limit=5)
    assert sorted(schedule.slots) == [1, 3]


def test_require_all_with_a_binding_maximum_schedules_nothing() -> None:
    problem = star(3, max_meetings=[2, None, None, None])
    schedule = solve(problem, time_limit=5, require_all=True)
    assert schedule.slots == {}
    assert {c.kind for c in schedule.conflicts} == {ConflictKind.TARGET_REACHED}


def test_at_least_n_meetings_comes_before_weight() -> None:
    # one slot, one table: the heavy meeting of 0 and 1, or the light one of 2 and 3
    meetings = [Meeting(0, 1, weight=5), Meeting(2, 3, weight=1)]
    plain = Problem(4, 1, 1, 1, meetings)
    assert sorted(solve(plain, time_limit=5).slots) == [0]
    wanting = Problem(4, 1, 1, 1, meetings, min_meetings=[None, None, 1, None])
    schedule = solve(wanting, time_limit=5)
    assert sorted(schedule.slots) == [1]
    assert check(wanting, schedule.slots, require_all=False).valid


def test_a_minimum_that_cannot_be_reached_is_explained() -> None:
    # participant 0 wants its two meetings, but there is one slot
    problem = star(2, n_slots=1, n_morning=1, min_meetings=[2, None, None])
    schedule = solve(problem, time_limit=5)
    assert len(schedule.slots) == 1
    missed = [c for c in schedule.conflicts if c.kind is ConflictKind.TARGET_MISSED]
    assert len(missed) == 1
    assert (missed[0].participants, missed[0].count, missed[0].placed) == ((0,), 2, 1)
    assert describe(missed[0], "en") == (
        "participant 1 wanted at least 2 meetings; only 1 could be scheduled"
    )
    assert "2" in describe(missed[0], "ru") and "2" in describe(missed[0], "kk")
    verdict = check(problem, schedule.slots, require_all=False)
    assert "participant 1 has 1 meetings, at least 2 wanted" in verdict.problems


def test_a_minimum_above_the_requests_asks_for_all_of_them() -> None:
    problem = star(2, min_meetings=[5, None, None])
    schedule = solve(problem, time_limit=5)
    assert len(schedule.slots) == 2
    assert check(problem, schedule.slots).valid


def test_the_checker_finds_a_participant_above_its_maximum() -> None:
    problem = star(3, max_meetings=[2, None, None, None])
    verdict = check(problem, {0: 0, 1: 1, 2: 2}, require_all=False)
    assert not verdict.valid
    assert "participant 1 has 3 meetings, at most 2 wanted" in verdict.problems
    assert check(problem, {0: 0, 1: 1}, require_all=False).valid


def test_the_greedy_placement_keeps_to_the_maximums() -> None:
    problem = star(5, max_meetings=[4, None, None, None, None, None])
    assert len(greedy_schedule(problem)) == 4


def test_rescheduling_keeps_to_the_maximums() -> None:
    problem = star(4, max_meetings=[2, None, None, None, None])
    current = {0: 0, 1: 1}
    schedule = reschedule(problem, current, cancelled_participants={1}, waiting=[2, 3])
    assert 1 in schedule.slots and 0 not in schedule.slots
    assert len(schedule.slots) == 2
    assert check(problem, schedule.slots, require_all=False).valid
    kinds = sorted(c.kind for c in schedule.conflicts)
    assert kinds == sorted([ConflictKind.CANCELLED, ConflictKind.TARGET_REACHED])

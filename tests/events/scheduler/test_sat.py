"""The SAT encoding and search: implied clauses never exclude a valid schedule."""

from __future__ import annotations

from collections import Counter

import pytest
from pysat.solvers import Solver

from seriktes.events.scheduler import check, count_breaks, read_dzn
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.encoding import decode, encode
from seriktes.events.scheduler.generate import planted_problem
from seriktes.events.scheduler.greedy import greedy_schedule
from seriktes.events.scheduler.sat import improve
from tests.conftest import shared_file
from tests.events.scheduler.factories import make_problem


@pytest.mark.parametrize("crowding", [False, True])
def test_a_valid_schedule_satisfies_the_encoding_with_its_breaks(crowding: bool) -> None:
    # The implied clauses (busy slots = meetings, morning-only meetings need busy mornings, "a
    # participant without a break fills one interval") must admit every real schedule: fixing
    # one (with session wishes, fixed meetings, forbidden slots) and declaring its breakless
    # participants breakless must stay satisfiable.
    # With `crowding`, the bound on busy participants must admit a slot whose tables are full.
    problem = planted_problem(40, 150, n_slots=10, n_morning=5, seed=3)
    slots = greedy_schedule(problem, seed=0)
    assert len(slots) == len(problem.meetings)
    assert max(Counter(slots.values()).values()) == problem.tables
    enc = encode(problem, crowding=crowding)
    chosen = [enc.x[index, slot] for index, slot in slots.items()]
    breakless = [
        -enc.pool.obj2id[key]
        for person, meetings in enumerate(problem.meetings_of())
        if count_breaks([slots[i] for i in meetings]) == 0
        for key in (("break", person, s) for s in range(problem.n_slots))
        if key in enc.pool.obj2id
    ]
    assert breakless
    with Solver(name="cadical195", bootstrap_with=enc.clauses) as solver:
        assert solver.solve(assumptions=chosen + breakless)


def test_improve_keeps_the_schedule_valid_and_never_adds_breaks() -> None:
    # forum-13crafc: the MaxSAT reference finds 1 break; an "optimal" claim above that
    # would mean the implied clauses cut off better schedules.
    problem = read_dzn(shared_file("b2b-msp/forum-13crafc.original.dzn"))
    start = greedy_schedule(problem, seed=0)
    assert len(start) == len(problem.meetings)
    before = check(problem, start).breaks
    outcome = improve(problem, start, Budget.of(10), seed=0)
    assert outcome.slots is not None
    verdict = check(problem, outcome.slots)
    assert verdict.valid, verdict.problems
    assert verdict.breaks == outcome.breaks
    assert verdict.breaks <= before
    assert outcome.lower_bound <= 1
    if outcome.optimal:
        assert verdict.breaks <= 1


def test_breaks_are_counted_from_the_schedule_not_from_the_break_literals() -> None:
    # The clauses force a break literal where there is a break and allow one elsewhere: a
    # model may carry spare true break literals, which must not count as breaks.
    problem = planted_problem(40, 150, n_slots=10, n_morning=5, seed=3)
    slots = greedy_schedule(problem, seed=0)
    enc = encode(problem)
    chosen = [enc.x[index, slot] for index, slot in slots.items()]
    with Solver(name="cadical195", bootstrap_with=enc.clauses) as solver:
        assert solver.solve(assumptions=chosen + enc.breaks)
        model = solver.get_model()
    assert model is not None
    decoded, breaks = decode(problem, enc, model)
    assert decoded == slots
    assert breaks == check(problem, slots).breaks < len(enc.breaks)


def test_the_crowding_constraint_rejects_a_crowded_slot_by_propagation_alone() -> None:
    # Four participants in a ring of meetings, one table: three of them busy in slot 0 need
    # two meetings there. Busy literals do not say which meeting, so counting meetings,
    # unit propagation sees no conflict; counting busy people, 3 > 2 × 1 table fails at once.
    problem = make_problem([(0, 1), (1, 2), (2, 3), (3, 0)], n_slots=4, tables=1)
    for crowding, conflict in ((False, False), (True, True)):
        enc = encode(problem, crowding=crowding)
        busy = [enc.pool.obj2id["busy", person, 0] for person in (0, 1, 2)]
        with Solver(name="glucose4", bootstrap_with=enc.clauses) as solver:
            consistent, _implied = solver.propagate(assumptions=busy)
            assert consistent is not conflict
            assert not solver.solve(assumptions=busy)


def test_counting_busy_participants_keeps_the_tables_without_counting_meetings() -> None:
    # The formula with `crowding` has no tables constraint over meetings: two meetings of four
    # people in a one-table slot must still fail, by propagation over the busy participants.
    problem = make_problem([(0, 1), (2, 3)], n_slots=2, tables=1)
    plain, crowded = encode(problem), encode(problem, crowding=True)
    for enc in (plain, crowded):
        both_first = [enc.x[0, 0], enc.x[1, 0]]
        with Solver(name="glucose4", bootstrap_with=enc.clauses) as solver:
            consistent, _implied = solver.propagate(assumptions=both_first)
            assert not consistent
            assert solver.solve(assumptions=[enc.x[0, 0], enc.x[1, 1]])

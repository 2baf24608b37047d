"""The SAT encoding and search: implied clauses never exclude a valid schedule."""

from __future__ import annotations

from pysat.solvers import Solver

from seriktes.events.scheduler import check, count_breaks, read_dzn
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.generate import planted_problem
from seriktes.events.scheduler.greedy import greedy_schedule
from seriktes.events.scheduler.sat import _decode, encode, improve
from tests.conftest import shared_file


def test_a_valid_schedule_satisfies_the_encoding_with_its_breaks() -> None:
    # The implied clauses (busy slots = meetings, morning-only meetings need busy mornings, "a
    # participant without a break fills one interval") must admit every real schedule: fixing
    # one (with session wishes, fixed meetings, forbidden slots) and declaring its breakless
    # participants breakless must stay satisfiable.
    problem = planted_problem(40, 150, n_slots=10, n_morning=5, seed=3)
    slots = greedy_schedule(problem, seed=0)
    assert len(slots) == len(problem.meetings)
    enc = encode(problem)
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
    decoded, breaks = _decode(problem, enc, model)
    assert decoded == slots
    assert breaks == check(problem, slots).breaks < len(enc.breaks)

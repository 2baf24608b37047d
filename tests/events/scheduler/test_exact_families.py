"""The exact MaxSAT search (RC2), the benchmark's families of constrained variants, and the
scheduler's handling of precedences."""

from __future__ import annotations

import itertools
import time

import pytest

from seriktes.events.scheduler import Meeting, Problem, check, portfolio, read_dzn, solve
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.exact import fewest_breaks
from seriktes.events.scheduler.generate import FAMILIES, family_variant, planted_problem
from seriktes.events.scheduler.greedy import greedy_schedule
from seriktes.events.scheduler.sat import first_schedule, improve
from tests.conftest import shared_file
from tests.events.scheduler.factories import make_problem


def brute_force(problem: Problem) -> int | None:
    """The fewest breaks of any valid schedule of every meeting, by enumeration."""
    best = None
    options = [problem.allowed_slots(i) for i in range(len(problem.meetings))]
    for slots in itertools.product(*options):
        schedule = dict(enumerate(slots))
        verdict = check(problem, schedule)
        if verdict.valid and (best is None or verdict.breaks < best):
            best = verdict.breaks
    return best


SMALL = [
    make_problem([(0, 1), (0, 2), (0, 3), (4, 1), (4, 2)], n_slots=5, tables=2),
    make_problem(
        [(0, 1), (0, 2), (3, 1), (3, 2), (0, 4)],
        n_slots=5,
        tables=1,
        forbidden=[{1}, set(), set(), set(), set()],
        precedences=[(4, 0), (2, 1)],
    ),
]


@pytest.mark.parametrize("problem", SMALL)
def test_the_exact_search_finds_the_fewest_breaks(problem: Problem) -> None:
    result = fewest_breaks(problem, 30)
    assert result.optimal and result.slots is not None
    assert result.breaks == brute_force(problem)
    assert check(problem, result.slots).breaks == result.breaks


def test_the_exact_search_says_when_no_schedule_exists() -> None:
    problem = make_problem([(0, 1), (0, 2), (0, 3)], n_slots=2)
    result = fewest_breaks(problem, 10)
    assert not result.optimal and not result.feasible


def test_an_exact_search_out_of_work_gives_a_lower_bound() -> None:
    problem = read_dzn(shared_file("b2b-msp/forum-14.original.dzn"))
    result = fewest_breaks(problem, 300, work=0.05)
    assert not result.optimal and not result.late
    assert 0 <= result.lower <= 2  # the reference's optimum


def test_the_exact_search_in_a_child_process() -> None:
    if portfolio.cores() < 2:
        pytest.skip("one core: no child is started")
    problem = SMALL[1]
    running = portfolio.start_exact(problem, Budget.of(5, time.monotonic() + 60), seed=0)
    assert running is not None
    found = portfolio.collect_exact(running, Budget.of(5, time.monotonic() + 60)).value
    assert found is not None and found.breaks == brute_force(problem)


def test_a_lower_bound_ends_the_search_at_once() -> None:
    problem = SMALL[0]
    start = greedy_schedule(problem)
    breaks = check(problem, start).breaks
    outcome = improve(problem, start, Budget.of(5), lower=breaks)
    assert outcome.optimal and outcome.breaks == breaks and outcome.slots == start


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_variant_keeps_its_witness_valid(family: str) -> None:
    problem = planted_problem(60, 300, seed=4)
    witness = solve(problem, time_limit=10, work=0.5).slots
    assert len(witness) == len(problem.meetings)
    variant = family_variant(problem, witness, family, seed=1)
    verdict = check(variant, witness)
    assert verdict.valid, verdict.problems
    added = len(variant.precedences) - len(problem.precedences)
    fixed = sum(m.fixed_slot is not None for m in variant.meetings)
    blocked = sum(map(len, variant.forbidden)) - sum(map(len, problem.forbidden))
    if family.startswith("prec"):
        share = int(family.removeprefix("prec")) / 100
        assert added == round(share * 300)
        assert fixed == sum(m.fixed_slot is not None for m in problem.meetings)
    elif family.startswith("fixed"):
        assert fixed >= round(int(family.removeprefix("fixed")) / 100 * 300)
        assert blocked > 0 and added == 0
    else:
        assert blocked > 0 and added == 0
    assert family_variant(problem, witness, family, seed=1) == variant  # seeded
    assert family_variant(problem, witness, family, seed=2) != variant


def test_an_unknown_family_is_refused() -> None:
    problem = planted_problem(10, 20, seed=1)
    with pytest.raises(ValueError, match="unknown family 'prec'"):
        family_variant(problem, {}, "prec")


def test_the_greedy_places_a_chain_of_precedences_in_order() -> None:
    # 0 meets 1..5, each meeting after the previous one, in 5 slots: only one order fits,
    # and placing the busiest meetings first would put a later one too early
    meetings = [Meeting(0, k) for k in range(1, 6)]
    chain = [(i, i + 1) for i in range(4)]
    problem = Problem(6, 5, 2, 5, meetings, precedences=chain)
    slots = greedy_schedule(problem)
    assert slots == {i: i for i in range(5)}


def test_the_first_schedule_keeps_the_hints_far_meetings() -> None:
    problem = make_problem([(0, 1), (2, 3), (4, 5), (0, 5)], n_slots=3, tables=2)
    hint = {0: 0, 1: 2, 2: 1}  # meeting 3 (0 and 5) is left out
    found = first_schedule(problem, Budget.of(5), hint=hint).value
    assert found is not None and len(found) == 4
    assert found[1] == 2  # 2 and 3 share no participant with meeting 3: kept
    assert check(problem, found).valid


def test_a_precedence_variant_of_a_real_instance_reaches_its_optimum() -> None:
    problem = read_dzn(shared_file("b2b-msp/tic-13crafb.original.dzn"))
    witness = solve(problem, time_limit=60, work=4)
    assert witness.breaks == 0  # the reference
    variant = family_variant(problem, witness.slots, "prec25", seed=0)
    schedule = solve(variant, time_limit=60, work=6)
    assert check(variant, schedule.slots).valid
    assert schedule.breaks == 0 and schedule.optimal


# A chain of precedences over meetings of participants with 3 slots: the order encoding must
# allow exactly the schedules the pairwise clauses allow.
CHAIN = make_problem(
    [(0, 1), (1, 2), (2, 3), (0, 3)],
    n_slots=4,
    tables=2,
    precedences=[(0, 1), (1, 2), (3, 2)],
)


@pytest.mark.parametrize("problem", [*SMALL, CHAIN])
def test_the_order_encoding_of_precedences_allows_the_same_schedules(problem: Problem) -> None:
    from pysat.solvers import Solver

    from seriktes.events.scheduler.encoding import decode, encode

    schedules = []
    for order in (False, True):
        enc = encode(problem, crowding=True, order=order)
        found = set()
        with Solver(name="glucose4", bootstrap_with=enc.clauses) as solver:
            while solver.solve() and len(found) <= 10_000:
                slots, _breaks = decode(problem, enc, solver.get_model() or [])
                found.add(tuple(sorted(slots.items())))
                solver.add_clause([-enc.x[index, slot] for index, slot in slots.items()])
        schedules.append(found)
    assert schedules[0] == schedules[1]
    assert schedules[1]  # not vacuous: the problems have schedules
    for schedule in schedules[1]:
        assert check(problem, dict(schedule)).valid


@pytest.mark.parametrize("problem", [*SMALL, CHAIN])
def test_the_no_break_call_before_rc2_keeps_the_optimum(problem: Problem) -> None:
    result = fewest_breaks(problem, 30, work=5, zero=0.5)
    assert result.optimal and result.slots is not None
    assert result.breaks == brute_force(problem)
    assert check(problem, result.slots).valid

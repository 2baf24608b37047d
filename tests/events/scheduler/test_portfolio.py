"""Two SAT searches at once (two formulas): the better schedule wins, a failed or stuck child
costs nothing and never outlives the deadline."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from seriktes.events.scheduler import check, portfolio, read_dzn, solve
from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.greedy import greedy_schedule
from seriktes.events.scheduler.portfolio import better, improve_twice
from seriktes.events.scheduler.problem import Problem
from seriktes.events.scheduler.sat import Outcome, improve
from tests.conftest import shared_file

# Work (nominal seconds) small enough for a quick test, with a clock far enough away that the
# work, not the clock, ends every search: the outcomes are then reproducible.
WORK = 1.5


def _budget(work: float = WORK) -> Budget:
    return Budget.of(work, time.monotonic() + 300)


def _start() -> tuple[Problem, dict[int, int]]:
    problem = read_dzn(shared_file("b2b-msp/forum-13crafc.original.dzn"))
    start = greedy_schedule(problem, seed=0)
    assert len(start) == len(problem.meetings)
    return problem, start


def test_the_other_outcome_wins_only_with_fewer_breaks() -> None:
    mine = Outcome({0: 1}, 3, False, lower_bound=2)
    theirs = Outcome({0: 2}, 3, False, lower_bound=1)
    assert better(mine, theirs).slots == {0: 1}  # a tie keeps this process's schedule
    fewer = Outcome({0: 3}, 2, False, lower_bound=0)
    chosen = better(mine, fewer)
    assert (chosen.slots, chosen.breaks) == ({0: 3}, 2)
    # a lower bound proven by either search holds for both: 2 breaks with a bound of 2 is optimal
    assert chosen.lower_bound == 2 and chosen.optimal
    assert not better(mine, theirs).optimal


def test_two_searches_give_the_better_of_their_two_schedules() -> None:
    problem, start = _start()
    budget = _budget(2 * WORK)
    # With this work the search over the plain formula ends at 19 breaks (from the greedy's
    # 66) and the child's over the formula counting busy participants at 18: the child wins.
    both = improve_twice(problem, start, budget, seed=0)
    alone = improve(problem, start, _budget(2 * WORK), seed=0)
    other = improve(problem, start, _budget(2 * WORK), seed=0, crowding=True)
    assert both.slots is not None and alone.breaks is not None and other.breaks is not None
    assert other.breaks < alone.breaks
    verdict = check(problem, both.slots)
    assert verdict.valid, verdict.problems
    expected = min(alone.breaks, other.breaks) if portfolio.cores() >= 2 else alone.breaks
    assert verdict.breaks == both.breaks == expected
    assert not budget.late


def test_a_failed_second_search_leaves_this_ones_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if portfolio.cores() < 2:
        pytest.skip("one core: no second search is started")
    monkeypatch.setattr(portfolio, "FAULT", portfolio.FAIL)  # the child process raises
    problem, start = _start()
    budget = _budget()
    both = improve_twice(problem, start, budget, seed=1)
    alone = improve(problem, start, _budget(), seed=1)
    assert (both.slots, both.breaks) == (alone.slots, alone.breaks)
    assert budget.late  # the schedule did not get the second search it would get elsewhere


def _record_children(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """The child processes `improve_twice` starts (real processes, only remembered here)."""
    started: list[subprocess.Popen[bytes]] = []
    start = portfolio._start

    def remember(*args: Path) -> subprocess.Popen[bytes]:
        started.append(start(*args))
        return started[-1]

    monkeypatch.setattr(portfolio, "_start", remember)
    return started


def test_a_stuck_child_is_killed_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    if portfolio.cores() < 2:
        pytest.skip("one core: no second search is started")
    monkeypatch.setattr(portfolio, "FAULT", portfolio.HANG)  # the child ignores SIGTERM and sleeps
    started = _record_children(monkeypatch)
    problem, start = _start()
    clock = 4.0
    began = time.monotonic()
    budget = Budget.of(WORK, began + clock)
    both = improve_twice(problem, start, budget, seed=1)
    elapsed = time.monotonic() - began
    assert elapsed < clock + portfolio.GRACE + portfolio.TERMINATE_WAIT + 1.0
    assert len(started) == 1 and started[0].returncode == -signal.SIGKILL  # SIGTERM was ignored
    alone = improve(problem, start, _budget(), seed=1)
    assert (both.slots, both.breaks) == (alone.slots, alone.breaks)
    assert budget.late


def test_a_solve_with_a_stuck_child_ends_in_time_with_a_valid_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if portfolio.cores() < 2:
        pytest.skip("one core: no second search is started")
    monkeypatch.setattr(portfolio, "FAULT", portfolio.HANG)
    started = _record_children(monkeypatch)
    problem, _ = _start()
    limit = 8.0
    began = time.monotonic()
    schedule = solve(problem, time_limit=limit, seed=0)
    elapsed = time.monotonic() - began
    assert started, "the SAT phase with its child process was reached"
    assert all(process.returncode is not None for process in started)
    assert elapsed < limit + portfolio.GRACE + portfolio.TERMINATE_WAIT + 1.0
    assert not schedule.unscheduled
    verdict = check(problem, schedule.slots)
    assert verdict.valid, verdict.problems
    assert verdict.breaks == schedule.breaks
    # the stuck child was waited for (and the schedule marked as the clock's) unless this
    # process proved its own schedule optimal and stopped the child at once
    assert schedule.optimal or not schedule.reproducible


def test_one_core_runs_one_search(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_child(*_args: object) -> None:
        raise AssertionError("no child process on one core")

    monkeypatch.setattr(portfolio, "cores", lambda: 1)
    monkeypatch.setattr(portfolio, "_start", no_child)
    problem, start = _start()
    one = improve_twice(problem, start, _budget(), seed=0)
    alone = improve(problem, start, _budget(), seed=0)
    assert (one.slots, one.breaks) == (alone.slots, alone.breaks)

"""The SAT encoding of the scheduling problem and an anytime search for the fewest breaks.

Hard constraints become clauses (cardinality constraints through pysat's encodings); a
break of participant p at slot s is a literal implied by "busy at s, idle at s−1, busy at
some earlier slot". Breaks are bounded with a totalizer whose outputs serve as
assumptions, so one incremental CaDiCaL instance answers "is there a schedule with at
most B breaks?" for B = 0 first (cheap when the answer is yes), then for B below the best
schedule found so far, until the time limit or a proof that no better schedule exists.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from seriktes.events.scheduler.budget import Budget
from seriktes.events.scheduler.problem import Problem, count_breaks


@dataclass
class Encoding:
    """Clauses of the hard constraints and the literals the search needs."""

    pool: IDPool = field(default_factory=IDPool)
    clauses: list[list[int]] = field(default_factory=list)
    x: dict[tuple[int, int], int] = field(default_factory=dict)
    breaks: list[int] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=dict)  # constraint group → selector

    def add(self, clauses: Iterable[list[int]], group: str | None = None) -> None:
        """Add clauses, guarded by a selector literal when they belong to a named group."""
        if group is None:
            self.clauses.extend(clauses)
            return
        selector = self.groups.setdefault(group, self.pool.id(("group", group)))
        self.clauses.extend([[-selector, *clause] for clause in clauses])

    def at_most(self, lits: list[int], bound: int, group: str | None = None) -> None:
        """At most `bound` of `lits` are true."""
        if len(lits) <= bound:
            return
        if bound == 1 and len(lits) <= 5:
            kind = EncType.pairwise
        elif len(lits) * bound <= 50_000:
            kind = EncType.seqcounter
        else:  # O(n log² k) clauses instead of O(n k): tables at a large event
            kind = EncType.cardnetwrk
        self.add(CardEnc.atmost(lits, bound, vpool=self.pool, encoding=kind).clauses, group)


def encode(problem: Problem, explain: bool = False, crowding: bool = False) -> Encoding:
    """Encode every hard constraint; with `explain`, constraint groups get selectors; with
    `crowding` (and not `explain`), the tables constraint counts busy participants instead
    of meetings (see `_crowding`)."""
    enc = Encoding()
    group = (lambda name: name) if explain else (lambda _name: None)
    for index, _meeting in enumerate(problem.meetings):
        allowed = problem.allowed_slots(index)
        for slot in allowed:
            enc.x[index, slot] = enc.pool.id(("x", index, slot))
        lits = [enc.x[index, slot] for slot in allowed]
        enc.add([lits], group(f"meeting {index + 1} takes place ({_why(problem, index)})"))
        enc.at_most(lits, 1)
    crowding = crowding and not explain  # explaining names the tables group of each slot
    for slot in range(0 if crowding else problem.n_slots):
        lits = [enc.x[i, slot] for i in range(len(problem.meetings)) if (i, slot) in enc.x]
        enc.at_most(lits, problem.tables, group(f"{problem.tables} tables in slot {slot + 1}"))
    for before, after in problem.precedences:
        name = group(f"meeting {before + 1} before meeting {after + 1}")
        enc.add(
            (
                [-enc.x[before, a], -enc.x[after, b]]
                for a in problem.allowed_slots(before)
                for b in problem.allowed_slots(after)
                if b <= a
            ),
            name,
        )
    busy = [
        _participant(
            enc, problem, person, meetings, group(f"participant {person + 1} meets once a slot")
        )
        for person, meetings in enumerate(problem.meetings_of())
    ]
    if crowding:
        _crowding(enc, problem, busy)
    return enc


def _crowding(enc: Encoding, problem: Problem, busy: list[list[int | None]]) -> None:
    """In any slot at most twice as many participants are busy as there are tables.

    Each meeting makes two participants busy and each busy participant is in one meeting, so
    this is the tables constraint counted over busy participants instead of meetings, and it
    replaces it in the formula. It propagates at least as much (a full slot empties every
    other participant's slot, and so every other meeting), and it also bounds the
    participants' intervals (`_interval_when_no_break`), which the search picks before the
    meetings: intervals that crowd a slot fail at once. From annealed schedules, a search over
    this formula proved forum-14's 2 breaks and forum-13crafb's 6 optimal where one over the
    plain formula did not, but ended further from the reference on forum-13crafc and
    ticf-13crafc (exploratory runs): the portfolio (portfolio.py) runs one search of each
    kind. Counting meetings as well, as the formula first did, only slowed it down: from the
    same annealed schedules the same breaks came in 1.0 s instead of 6.7 on forum-14, 11.8
    instead of 17.9 on ticf-13crafb (exploratory runs)."""
    for slot in range(problem.n_slots):
        enc.at_most([var for row in busy if (var := row[slot]) is not None], 2 * problem.tables)


def _why(problem: Problem, index: int) -> str:
    meeting = problem.meetings[index]
    parts = [f"participants {meeting.a + 1} and {meeting.b + 1}"]
    if meeting.fixed_slot is not None:
        parts.append(f"fixed to slot {meeting.fixed_slot + 1}")
    elif meeting.session in (1, 2):
        parts.append("morning only" if meeting.session == 1 else "afternoon only")
    blocked = problem.forbidden[meeting.a] | problem.forbidden[meeting.b]
    if blocked:
        parts.append(f"{len(blocked)} slots unavailable")
    return ", ".join(parts)


def _participant(
    enc: Encoding, problem: Problem, person: int, meetings: list[int], group: str | None
) -> list[int | None]:
    """A participant's constraints and breaks; returns its busy literal of each slot."""
    busy: list[int | None] = []
    for slot in range(problem.n_slots):
        lits = [enc.x[i, slot] for i in meetings if (i, slot) in enc.x]
        enc.at_most(lits, 1, group)
        if not lits:
            busy.append(None)
            continue
        var = enc.pool.id(("busy", person, slot))
        enc.add([[-lit, var] for lit in lits] + [[-var, *lits]])
        busy.append(var)
    if len(meetings) < 2:
        return busy
    break_at: dict[int, int] = {}
    before: int | None = None
    for slot in range(1, problem.n_slots):
        earlier = [v for v in (before, busy[slot - 1]) if v is not None]
        if earlier:
            var = enc.pool.id(("before", person, slot))
            enc.add([[-lit, var] for lit in earlier] + [[-var, *earlier]])
            before = var
        now = busy[slot]
        if now is None or before is None:
            continue
        brk = enc.pool.id(("break", person, slot))
        clause = [brk, -now, -before]
        if busy[slot - 1] is not None:
            clause.append(busy[slot - 1])
        enc.add([clause])
        enc.breaks.append(brk)
        break_at[slot] = brk
    _span_implies_breaks(enc, busy, break_at, len(meetings))
    if group is None:  # implied only when every meeting takes place once: not while explaining
        _busy_count(enc, busy, len(meetings))
        _session_counts(enc, problem, busy, meetings)
        _interval_when_no_break(enc, person, busy, list(break_at.values()), len(meetings))
    return busy


def _busy_count(enc: Encoding, busy: list[int | None], count: int) -> None:
    """Implied: a participant is busy in exactly as many slots as it has meetings.

    It follows from "each meeting once, one meeting a slot" only by pigeonhole reasoning,
    which CDCL solvers do badly; stated as a cardinality constraint, a participant whose
    remaining free slots are just enough gets them all at once."""
    lits = [var for var in busy if var is not None]
    if len(lits) <= count:
        enc.add([[var] for var in lits])
        return
    enc.add(CardEnc.equals(lits, count, vpool=enc.pool, encoding=EncType.seqcounter).clauses)


def _session_counts(
    enc: Encoding, problem: Problem, busy: list[int | None], meetings: list[int]
) -> None:
    """Implied: busy in the morning at least as often as it has meetings that can only be in
    the morning (session wish, fixed slot or blocked afternoon), and likewise after noon."""
    allowed = [set(problem.allowed_slots(i)) for i in meetings]
    for session in (range(problem.n_morning), range(problem.n_morning, problem.n_slots)):
        need = sum(1 for slots in allowed if slots <= set(session))
        lits = [var for s in session if (var := busy[s]) is not None]
        if need >= len(lits):
            enc.add([[var] for var in lits] if need else [])
        elif need:
            enc.add(
                CardEnc.atleast(lits, need, vpool=enc.pool, encoding=EncType.seqcounter).clauses
            )


def _interval_when_no_break(
    enc: Encoding, person: int, busy: list[int | None], breaks: list[int], count: int
) -> None:
    """Implied: a participant without a break is busy in exactly `count` consecutive slots.

    One literal per interval of that length where it may meet; unless the participant has a
    break, one of them holds, and it fills its slots and empties the others. Searching
    over the participants' intervals instead of slot by slot is what lets the solver prove
    "no break" or reach it (Bofill et al., MaxSAT-based scheduling of B2B meetings).
    """
    n = len(busy)
    starts = [
        f for f in range(n - count + 1) if all(busy[s] is not None for s in range(f, f + count))
    ]
    broken = enc.pool.id(("broken", person))
    enc.add([[-broken, *breaks]])
    chosen = []
    for f in starts:
        var = enc.pool.id(("interval", person, f))
        chosen.append(var)
        inside = range(f, f + count)
        enc.add([[-var, b] for s, b in enumerate(busy) if b is not None and s in inside])
        enc.add([[-var, -b] for s, b in enumerate(busy) if b is not None and s not in inside])
    enc.add([[broken, *chosen]])


def _span_implies_breaks(
    enc: Encoding, busy: list[int | None], break_at: dict[int, int], count: int
) -> None:
    """Implied: busy at s and at t with t − s ≥ count leaves an idle slot between them, so
    a break starts somewhere in (s, t]. Under a tight bound on breaks this forbids long
    spans at once instead of slot by slot."""
    slots = [s for s, var in enumerate(busy) if var is not None]
    for i, first in enumerate(slots):
        for last in slots[i + 1 :]:
            if last - first < count:
                continue
            inside = [break_at[u] for u in range(first + 1, last + 1) if u in break_at]
            enc.add([[-busy[first], -busy[last], *inside]])  # type: ignore[operator]


@dataclass
class Outcome:
    """The best schedule found, its breaks, and whether it is proven optimal."""

    slots: dict[int, int] | None
    breaks: int | None
    optimal: bool
    lower_bound: int = 0
    conflict: list[str] = field(default_factory=list)


def first_schedule(problem: Problem, budget: Budget) -> dict[int, int] | bool | None:
    """Any schedule of every meeting, leaning towards no breaks: slots, None if there is
    none (proven), or False if the budget ran out first. Spends what it used."""
    enc = encode(problem)
    with Solver(name="glucose4", bootstrap_with=enc.clauses) as solver:
        solver.set_phases([-lit for lit in enc.breaks])
        clauses = len(enc.clauses)
        status = _limited(solver, [], budget.deadline, budget.conflicts(clauses))
        budget.spend_conflicts(_conflicts(solver), clauses)
        model = solver.get_model() if status else None
    if status is None:
        return False
    if not status or model is None:
        return None
    return _decode(problem, enc, model)[0]


def improve(
    problem: Problem,
    slots: dict[int, int],
    budget: Budget,
    seed: int = 0,
    zero_share: float = 0.3,
    crowding: bool = False,
) -> Outcome:
    """Start from a complete schedule and look for one with fewer breaks.

    First a bounded attempt at no break at all, then large-neighbourhood search; the solver's
    phases follow the best schedule, so each call repairs it rather than starting over. The
    search spends `budget` in conflicts (and stops at its deadline if the machine is slow).
    `crowding` counts the tables over busy participants instead (see `_crowding`).
    """
    enc = encode(problem, crowding=crowding)
    true = {enc.x[index, slot] for index, slot in slots.items()}
    start = Outcome(slots, sum(count_breaks(s) for s in _busy(problem, slots)), False)
    if not enc.breaks or not start.breaks:
        return Outcome(slots, start.breaks, True)
    # Only bounds below the start are ever asked: a totalizer counting up to it is enough, and
    # far smaller than one up to every break literal (encoding in 0.3 s instead of 1-2 s).
    totalizer = ITotalizer(lits=enc.breaks, ubound=start.breaks, top_id=enc.pool.top)
    clauses = len(enc.clauses) + len(totalizer.cnf.clauses)
    total = budget.conflicts(clauses)
    with Solver(name=IMPROVE_SOLVER, bootstrap_with=enc.clauses) as solver:
        solver.append_formula(totalizer.cnf.clauses)
        _follow(solver, enc, [v if v in true else -v for v in enc.x.values()])
        status = _limited(solver, [-totalizer.rhs[0]], budget.deadline, int(zero_share * total))
        if status:
            outcome = Outcome(*_decode(problem, enc, solver.get_model() or []), True)
        else:
            search = _Search(problem, enc, solver, totalizer, start, seed)
            search.lower = 1 if status is False else 0
            search.run(budget.deadline, total)
            outcome = search.best
        budget.spend_conflicts(_conflicts(solver), clauses)
    return outcome


def _conflicts(solver: Solver) -> int:
    """Conflicts the solver has met since it was created."""
    return int((solver.accum_stats() or {}).get("conflicts", 0))


def _busy(problem: Problem, slots: dict[int, int]) -> list[list[int]]:
    per_person: list[list[int]] = [[] for _ in range(problem.n_participants)]
    for index, slot in slots.items():
        meeting = problem.meetings[index]
        per_person[meeting.a].append(slot)
        per_person[meeting.b].append(slot)
    return per_person


# Share of the search steps that look at the whole schedule rather than a neighbourhood. With
# the implied counts and work budgets (seed 0, 30 s), 0.3 left forum-13crafb, ticf-13crafb and
# ticf-14crafa at 7, 4 and 0 breaks where 0.1 left 7, 4 and 1.
WHOLE = 0.3
# Conflicts a neighbourhood step may take, and how many times more a whole-schedule step.
STEP_CONFLICTS = 3000
WHOLE_FACTOR = 10
# How many participants with breaks seed a neighbourhood: with the interval clauses, 2-6
# (freed with their partners) left ticf-13crafb at 5 and 7 breaks, forum-13crafb at 7 and 9
# (seeds 0 and 1, 15 s from the same annealed schedule) where 1-3 left 8, 10 and 8, 9.
PEOPLE = (2, 6)


class _Search:
    """Large-neighbourhood search over the incremental SAT solver."""

    def __init__(
        self,
        problem: Problem,
        enc: Encoding,
        solver: Solver,
        totalizer: ITotalizer,
        best: Outcome,
        seed: int,
    ) -> None:
        import random

        self.problem, self.enc, self.solver, self.totalizer = problem, enc, solver, totalizer
        self.best, self.lower = best, 0
        self.random = random.Random(seed)
        self.meetings_of = problem.meetings_of()

    def run(self, deadline: float, conflicts: int) -> None:
        """Improve the best schedule until the solver has met `conflicts` conflicts in all,
        the deadline comes, or the schedule is proven optimal."""
        step_failed = 0
        while (
            (left := conflicts - _conflicts(self.solver)) > 0
            and time.monotonic() < deadline
            and (self.best.breaks or 0) > self.lower
        ):
            best = self.best.breaks or 0
            # ask for a big step first, one break fewer after the big steps fail
            step = max(1, (best - self.lower) // 3) if step_failed < 3 else 1
            bound = best - step
            whole = self.random.random() < WHOLE
            assumptions = [-self.totalizer.rhs[bound]]
            if not whole:
                assumptions += self._keep(self._neighbourhood())
            step_conflicts = STEP_CONFLICTS * (WHOLE_FACTOR if whole else 1)
            status = self._solve(assumptions, deadline, min(left, step_conflicts))
            if status is True:
                model = self.solver.get_model() or []
                slots, breaks = _decode(self.problem, self.enc, model)
                self.best = Outcome(slots, breaks, False)
                _follow(self.solver, self.enc, model)
                step_failed = 0
                continue
            step_failed += 1
            if status is False and whole:  # no schedule at all within the bound
                self.lower = max(self.lower, bound + 1)
        self.best.lower_bound = self.lower
        self.best.optimal = self.best.breaks == self.lower

    def _solve(self, assumptions: list[int], deadline: float, budget: int) -> bool | None:
        return _limited(self.solver, assumptions, deadline, budget)

    def _neighbourhood(self) -> set[int]:
        """Participants whose meetings are set free: some with breaks, and their partners."""
        slots = self.best.slots or {}
        with_breaks = [
            person
            for person, meetings in enumerate(self.meetings_of)
            if count_breaks([slots[m] for m in meetings if m in slots]) > 0
        ]
        chosen = set(
            self.random.sample(with_breaks, min(len(with_breaks), self.random.randint(*PEOPLE)))
        )
        partners: set[int] = set()
        for person in chosen:
            for index in self.meetings_of[person]:
                meeting = self.problem.meetings[index]
                partners.update((meeting.a, meeting.b))
        if self.random.random() < 0.5:
            partners = set(self.random.sample(sorted(partners), max(1, len(partners) // 2)))
        return chosen | partners

    def _keep(self, free: set[int]) -> list[int]:
        """Assumptions that keep every meeting not touching `free` where it is."""
        slots = self.best.slots or {}
        return [
            self.enc.x[index, slot]
            for index, slot in slots.items()
            if self.problem.meetings[index].a not in free
            and self.problem.meetings[index].b not in free
        ]


def _run(solver: Solver, assumptions: list[int], deadline: float) -> list[int] | bool | None:
    """Solve until the deadline: a model, None (UNSAT) or False (timed out)."""
    status = _limited(solver, assumptions, deadline, None)
    if status is None:
        return False
    if not status:
        return None
    model: list[int] = solver.get_model() or []
    return model


# CaDiCaL 1.9.5 reached the reference on ticf-14crafa (0) and forum-13crafb (6) from the
# annealed schedule where Glucose 4 stayed at 1 and 8, in the same 20 s.
IMPROVE_SOLVER = "cadical195"
# Conflicts per call when the solver cannot be interrupted: the deadline is checked between.
CHUNK = 2000


def _limited(
    solver: Solver, assumptions: list[int], deadline: float, budget: int | None
) -> bool | None:
    """Solve within a conflict budget and the deadline: True, False (UNSAT) or None.

    Solvers that can be interrupted are stopped by a timer at the deadline; CaDiCaL cannot,
    so it runs in chunks of conflicts and the deadline is checked between them."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    if not type(solver.solver).__name__.lower().startswith("cadical"):
        if budget is not None:
            solver.conf_budget(budget)
        timer = threading.Timer(remaining, solver.interrupt)
        timer.start()
        try:
            status: bool | None = solver.solve_limited(
                assumptions=assumptions, expect_interrupt=True
            )
        finally:
            timer.cancel()
            solver.clear_interrupt()
        return status
    spent = 0
    while True:
        chunk = CHUNK if budget is None else min(CHUNK, budget - spent)
        solver.conf_budget(chunk)
        status = solver.solve_limited(assumptions=assumptions)
        spent += chunk
        if status is not None:
            return status
        if (budget is not None and spent >= budget) or time.monotonic() >= deadline:
            return None


def _follow(solver: Solver, enc: Encoding, model: list[int]) -> None:
    """Start the next search from the best schedule so far (solution-guided phases), still
    preferring no break: the solver then repairs the incumbent instead of starting over."""
    breaks = set(enc.breaks)
    solver.set_phases([-lit if abs(lit) in breaks else lit for lit in model])


def _decode(problem: Problem, enc: Encoding, model: list[int]) -> tuple[dict[int, int], int]:
    """The schedule of a model and its breaks, counted from the schedule: the clauses only
    force a break literal where there is a break, so a model may set more of them."""
    true = {lit for lit in model if lit > 0}
    slots = {index: slot for (index, slot), var in enc.x.items() if var in true}
    return slots, sum(count_breaks(s) for s in _busy(problem, slots))


def explain_infeasibility(problem: Problem, time_limit: float) -> list[str]:
    """Name a small set of constraint groups that cannot all hold (an unsatisfiable core)."""
    enc = encode(problem, explain=True)
    with Solver(name="glucose4", bootstrap_with=enc.clauses) as solver:
        selectors = list(enc.groups.values())
        status = _run(solver, selectors, time.monotonic() + time_limit)
        if status is not None:
            return []
        core = set(solver.get_core() or [])
    names = {selector: name for name, selector in enc.groups.items()}
    return sorted(names[s] for s in core if s in names)

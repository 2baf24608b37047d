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

from seriktes.events.scheduler.problem import Problem


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
        kind = EncType.pairwise if bound == 1 and len(lits) <= 5 else EncType.seqcounter
        self.add(CardEnc.atmost(lits, bound, vpool=self.pool, encoding=kind).clauses, group)


def encode(problem: Problem, explain: bool = False) -> Encoding:
    """Encode every hard constraint; with `explain`, constraint groups get selectors."""
    enc = Encoding()
    group = (lambda name: name) if explain else (lambda _name: None)
    for index, _meeting in enumerate(problem.meetings):
        allowed = problem.allowed_slots(index)
        for slot in allowed:
            enc.x[index, slot] = enc.pool.id(("x", index, slot))
        lits = [enc.x[index, slot] for slot in allowed]
        enc.add([lits], group(f"meeting {index + 1} takes place ({_why(problem, index)})"))
        enc.at_most(lits, 1)
    for slot in range(problem.n_slots):
        lits = [enc.x[i, slot] for i in range(len(problem.meetings)) if (i, slot) in enc.x]
        enc.at_most(lits, problem.tables, group(f"{problem.tables} tables in slot {slot + 1}"))
    for before, after in problem.precedences:
        name = group(f"meeting {before + 1} before meeting {after + 1}")
        enc.add(
            (
                [-enc.x[before, a], -enc.x[after, b]]
                for (i, a) in enc.x
                if i == before
                for (j, b) in enc.x
                if j == after and b <= a
            ),
            name,
        )
    for person, meetings in enumerate(problem.meetings_of()):
        _participant(
            enc, problem, person, meetings, group(f"participant {person + 1} meets once a slot")
        )
    return enc


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
) -> None:
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
        return
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


def solve_min_breaks(
    problem: Problem, time_limit: float, solver_name: str = "glucose4", zero_share: float = 0.25
) -> Outcome:
    """Schedule every meeting with as few breaks as the time allows.

    The solver is told to prefer "no break" for every break literal, so its first schedule
    is already compact. Then a quarter of the time goes to asking for a schedule without
    any break (often found at once), the rest to asking for one break fewer than the best
    schedule so far, until the time is up or no better schedule exists.
    """
    started = time.monotonic()
    deadline = started + time_limit
    enc = encode(problem)
    totalizer = (
        ITotalizer(lits=enc.breaks, ubound=len(enc.breaks), top_id=enc.pool.top)
        if enc.breaks
        else None
    )
    with Solver(name=solver_name, bootstrap_with=enc.clauses) as solver:
        solver.set_phases([-lit for lit in enc.breaks])
        if totalizer is not None:
            solver.append_formula(totalizer.cnf.clauses)
        first = _run(solver, [], deadline)
        if first is None:
            return Outcome(None, None, False, conflict=explain_infeasibility(problem, time_limit))
        if not isinstance(first, list):
            return Outcome(None, None, False)
        slots, breaks = _decode(enc, first)
        outcome = Outcome(slots, breaks, breaks == 0)
        if totalizer is None or breaks == 0:
            outcome.optimal = True
            return outcome
        zero_deadline = min(deadline, time.monotonic() + zero_share * time_limit)
        model = _run(solver, [-totalizer.rhs[0]], zero_deadline)
        if isinstance(model, list):
            slots, breaks = _decode(enc, model)
            return Outcome(slots, breaks, True)
        if model is None:
            outcome.lower_bound = 1
        while breaks > outcome.lower_bound and time.monotonic() < deadline:
            model = _run(solver, [-totalizer.rhs[breaks - 1]], deadline)
            if model is None:
                outcome.lower_bound = breaks
                break
            if not isinstance(model, list):
                break
            slots, breaks = _decode(enc, model)
            outcome.slots, outcome.breaks = slots, breaks
        outcome.optimal = breaks == outcome.lower_bound
        return outcome


def _run(solver: Solver, assumptions: list[int], deadline: float) -> list[int] | bool | None:
    """Solve with an interrupt at the deadline: a model, None (UNSAT) or False (timed out)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return False
    timer = threading.Timer(remaining, solver.interrupt)
    timer.start()
    try:
        status = solver.solve_limited(assumptions=assumptions, expect_interrupt=True)
    finally:
        timer.cancel()
        solver.clear_interrupt()
    if status is None:
        return False
    if not status:
        return None
    model: list[int] = solver.get_model() or []
    return model


def _decode(enc: Encoding, model: list[int]) -> tuple[dict[int, int], int]:
    true = {lit for lit in model if lit > 0}
    slots = {index: slot for (index, slot), var in enc.x.items() if var in true}
    return slots, sum(1 for lit in enc.breaks if lit in true)


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

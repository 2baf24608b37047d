"""The SAT encoding of the scheduling problem: the formula's variables and clauses.

A variable x[m, s] says that meeting m takes place in slot s. Hard constraints become
clauses (cardinality constraints through pysat's encodings); a break of participant p at
slot s is a literal implied by "busy at s, idle at s−1, busy at some earlier slot". Implied
constraints (busy slots = meetings, session counts, intervals without a break, spans that
force a break) only help the search (`sat.py`) along. While explaining a failure, each
group of constraints is guarded by a selector literal that names its `Conflict`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType
from pysat.formula import IDPool

from seriktes.events.scheduler.conflicts import Conflict, ConflictKind
from seriktes.events.scheduler.problem import EITHER, Problem, count_breaks


@dataclass
class Encoding:
    """Clauses of the hard constraints and the literals the search needs."""

    pool: IDPool = field(default_factory=IDPool)
    clauses: list[list[int]] = field(default_factory=list)
    x: dict[tuple[int, int], int] = field(default_factory=dict)
    breaks: list[int] = field(default_factory=list)
    groups: dict[Conflict, int] = field(default_factory=dict)  # constraint group → selector

    def add(self, clauses: Iterable[list[int]], group: Conflict | None = None) -> None:
        """Add clauses, guarded by a selector literal when they belong to a named group."""
        if group is None:
            self.clauses.extend(clauses)
            return
        selector = self.groups.setdefault(group, self.pool.id(("group", group)))
        self.clauses.extend([[-selector, *clause] for clause in clauses])

    def at_most(self, lits: list[int], bound: int, group: Conflict | None = None) -> None:
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


def encode(
    problem: Problem, explain: bool = False, crowding: bool = False, order: bool = False
) -> Encoding:
    """Encode every hard constraint; with `explain`, constraint groups get selectors; with
    `crowding` (and not `explain`), the tables constraint counts busy participants instead
    of meetings (see `_crowding`); with `order`, precedences are in the order encoding (see
    `_ordered`) instead of pairwise clauses."""
    enc = Encoding()
    group = _named if explain else _unnamed
    for index, _meeting in enumerate(problem.meetings):
        allowed = problem.allowed_slots(index)
        for slot in allowed:
            enc.x[index, slot] = enc.pool.id(("x", index, slot))
        lits = [enc.x[index, slot] for slot in allowed]
        enc.add([lits], group(_placed(problem, index)))
        enc.at_most(lits, 1)
    crowding = crowding and not explain  # explaining names the tables group of each slot
    for slot in range(0 if crowding else problem.n_slots):
        lits = [enc.x[i, slot] for i in range(len(problem.meetings)) if (i, slot) in enc.x]
        tables = Conflict(ConflictKind.TABLES, slots=(slot,), tables=problem.tables_at(slot))
        enc.at_most(lits, problem.tables_at(slot), group(tables))
    if order:
        _ordered(enc, problem, group)
    for before, after in [] if order else problem.precedences:
        name = group(Conflict(ConflictKind.ORDER, meetings=(before, after)))
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
            enc,
            problem,
            person,
            meetings,
            group(Conflict(ConflictKind.ONE_AT_A_TIME, participants=(person,))),
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
        lits = [var for row in busy if (var := row[slot]) is not None]
        enc.at_most(lits, 2 * problem.tables_at(slot))


def _ordered(enc: Encoding, problem: Problem, group: Callable[[Conflict], Conflict | None]) -> None:
    """Each precedence in the order encoding: y[m, s] says that meeting m is in slot s or
    earlier, and "after in s or earlier" implies "before in s − 1 or earlier".

    Pairwise clauses (not both before in a and after in b ≤ a) propagate only once a meeting
    has its slot; these also carry bounds: when every slot up to s is ruled out for the
    meeting before, slots up to s + 1 are for the one after, along whole chains. From the
    30 s schedule of ticf-14crafa with precedences on 15 % of its meetings, one CaDiCaL call
    for "no break" over the crowding formula took 8,700 conflicts with these, 41,900 with
    pairwise clauses (25 %: 38,600 and 40,600). Only that call uses them (exact.py): in the
    whole portfolio, forum-14 with 25 % ended at 6 breaks with them everywhere, at its
    optimum 2 with pairwise clauses (one run each, --work 27)."""
    upto: dict[int, list[int]] = {}

    def order(index: int) -> list[int]:
        if index not in upto:
            lits, previous = [], None
            for slot in range(problem.n_slots):
                var = enc.pool.id(("upto", index, slot))
                here = enc.x.get((index, slot))
                # var ↔ previous ∨ here
                enc.add([[-lit, var] for lit in (previous, here) if lit is not None])
                enc.add([[-var, *(lit for lit in (previous, here) if lit is not None)]])
                lits.append(var)
                previous = var
            upto[index] = lits
        return upto[index]

    for before, after in problem.precedences:
        name = group(Conflict(ConflictKind.ORDER, meetings=(before, after)))
        first, second = order(before), order(after)
        enc.add(
            [[-second[0]]] + [[-second[s], first[s - 1]] for s in range(1, problem.n_slots)],
            name,
        )


def _named(conflict: Conflict) -> Conflict | None:
    return conflict


def _unnamed(_conflict: Conflict) -> Conflict | None:
    return None


def _placed(problem: Problem, index: int) -> Conflict:
    """The group "meeting `index` takes place", with what restricts it."""
    meeting = problem.meetings[index]
    fixed = meeting.fixed_slot
    blocked = problem.forbidden[meeting.a] | problem.forbidden[meeting.b]
    return Conflict(
        ConflictKind.PLACED,
        meetings=(index,),
        participants=(meeting.a, meeting.b),
        slots=() if fixed is None else (fixed,),
        session=meeting.session if fixed is None else EITHER,
        unavailable=len(blocked),
    )


def _participant(
    enc: Encoding, problem: Problem, person: int, meetings: list[int], group: Conflict | None
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
    day_starts = set(problem.day_starts)
    for slot in range(1, problem.n_slots):
        if slot in day_starts:  # a gap across days is no break: count afresh
            before = None
            continue
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
    _span_implies_breaks(enc, problem, busy, break_at, len(meetings))
    if group is None:  # implied only when every meeting takes place once: not while explaining
        _busy_count(enc, busy, len(meetings))
        _session_counts(enc, problem, busy, meetings)
        if not problem.multi_day:  # one interval a day would need one literal per day
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
    the morning (session wish, fixed slot or blocked afternoon), and likewise after noon (and
    on each day of a multi-day event)."""
    allowed = [set(problem.allowed_slots(i)) for i in meetings]
    sessions = [problem.morning_slots(), problem.afternoon_slots()]
    if problem.multi_day:
        sessions += [list(problem.day_range(day)) for day in range(len(problem.day_starts))]
    for session in sessions:
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
    enc: Encoding,
    problem: Problem,
    busy: list[int | None],
    break_at: dict[int, int],
    count: int,
) -> None:
    """Implied: busy at s and at t (the same day) with t − s ≥ count leaves an idle slot
    between them, so a break starts somewhere in (s, t]. Under a tight bound on breaks this
    forbids long spans at once instead of slot by slot."""
    slots = [s for s, var in enumerate(busy) if var is not None]
    day = [problem.day_of(s) for s in range(problem.n_slots)]
    for i, first in enumerate(slots):
        for last in slots[i + 1 :]:
            if last - first < count or day[first] != day[last]:
                continue
            inside = [break_at[u] for u in range(first + 1, last + 1) if u in break_at]
            enc.add([[-busy[first], -busy[last], *inside]])  # type: ignore[operator]


def decode(problem: Problem, enc: Encoding, model: list[int]) -> tuple[dict[int, int], int]:
    """The schedule of a model and its breaks, counted from the schedule: the clauses only
    force a break literal where there is a break, so a model may set more of them."""
    true = {lit for lit in model if lit > 0}
    slots = {index: slot for (index, slot), var in enc.x.items() if var in true}
    return slots, breaks_of(problem, slots)


def breaks_of(problem: Problem, slots: dict[int, int]) -> int:
    """The breaks of a (partial) schedule, over every participant."""
    per_person: list[list[int]] = [[] for _ in range(problem.n_participants)]
    for index, slot in slots.items():
        meeting = problem.meetings[index]
        per_person[meeting.a].append(slot)
        per_person[meeting.b].append(slot)
    return sum(count_breaks(s, problem.day_starts) for s in per_person)

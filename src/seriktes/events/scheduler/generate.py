"""Random B2B instances with a planted schedule, so every meeting can be placed, and
constrained variants of given instances that a known schedule satisfies."""

from __future__ import annotations

import random
import re
from dataclasses import replace

from seriktes.events.scheduler.problem import AFTERNOON, EITHER, MORNING, Meeting, Problem


def planted_problem(
    n_participants: int,
    n_meetings: int,
    n_slots: int = 16,
    n_morning: int = 8,
    tables: int | None = None,
    seed: int = 0,
) -> Problem:
    """A feasible instance: buyers (first half) meet producers (second half).

    Meetings are first laid into a hidden schedule, then given constraints that schedule
    satisfies: some are morning- or afternoon-only, a few fixed, some participants have
    forbidden slots where they are idle, and some pairs of a participant's meetings must keep
    their order. Popular participants (anchor buyers) get more meetings than others.
    """
    rng = random.Random(seed)
    buyers = n_participants // 2
    if tables is None:
        tables = -(-n_meetings * 6 // (5 * n_slots))  # about 5/6 of the tables used
    popularity = [rng.paretovariate(2.0) for _ in range(n_participants)]
    busy = [set[int]() for _ in range(n_participants)]
    used = [0] * n_slots
    pairs: set[tuple[int, int]] = set()
    meetings: list[Meeting] = []
    planted: list[int] = []
    attempts = 0
    while len(meetings) < n_meetings:
        attempts += 1
        if attempts > 200 * n_meetings:
            raise ValueError(f"cannot plant {n_meetings} meetings among {n_participants}")
        a = rng.choices(range(buyers), popularity[:buyers])[0]
        b = buyers + rng.choices(range(n_participants - buyers), popularity[buyers:])[0]
        free = [s for s in range(n_slots) if used[s] < tables and s not in busy[a] | busy[b]]
        if (a, b) in pairs or not free or max(len(busy[a]), len(busy[b])) >= n_slots - 2:
            continue
        slot = rng.choice(free)
        pairs.add((a, b))
        busy[a].add(slot)
        busy[b].add(slot)
        used[slot] += 1
        meetings.append(_constrained(rng, a, b, slot, n_morning))
        planted.append(slot)
    forbidden = [
        set(rng.sample(sorted(set(range(n_slots)) - slots), 1))
        if rng.random() < 0.1 and len(slots) < n_slots
        else set()
        for slots in busy
    ]
    return Problem(
        n_participants=n_participants,
        n_slots=n_slots,
        n_morning=n_morning,
        tables=tables,
        meetings=meetings,
        forbidden=forbidden,
        precedences=_precedences(rng, meetings, planted),
        name=f"planted-{n_participants}x{n_meetings}-seed{seed}",
    )


def _constrained(rng: random.Random, a: int, b: int, slot: int, n_morning: int) -> Meeting:
    roll = rng.random()
    if roll < 0.01:
        return Meeting(a, b, EITHER, weight=rng.choice((1, 1, 2)), fixed_slot=slot)
    session = EITHER
    if roll < 0.2:
        session = MORNING if slot < n_morning else AFTERNOON
    return Meeting(a, b, session, weight=rng.choice((1, 1, 2)))


def _precedences(
    rng: random.Random, meetings: list[Meeting], planted: list[int]
) -> list[tuple[int, int]]:
    """About one meeting in a hundred must come before another of the same buyer."""
    by_buyer: dict[int, list[int]] = {}
    for index, meeting in enumerate(meetings):
        by_buyer.setdefault(meeting.a, []).append(index)
    pairs = []
    for indices in by_buyer.values():
        if len(indices) >= 2 and rng.random() < 0.1:
            first, second = sorted(rng.sample(indices, 2), key=lambda i: planted[i])
            if planted[first] < planted[second]:
                pairs.append((first, second))
    return pairs


def constrained_variant(
    problem: Problem,
    witness: dict[int, int],
    seed: int = 0,
    fixed: float = 0.05,
    ordered: float = 0.2,
    blocked: float = 0.1,
) -> Problem:
    """`problem` with the kinds of constraints real variants add, all satisfied by `witness`
    (a complete schedule of it): a share `fixed` of the meetings fixed to their slot in it, a
    share `ordered` of the participants with two of their meetings in its order, and a share
    `blocked` of the participants with a slot forbidden where it has them idle. Its optimum
    lies between the problem's and the witness's breaks."""
    rng = random.Random(seed)
    meetings = [
        replace(meeting, fixed_slot=witness[index]) if rng.random() < fixed else meeting
        for index, meeting in enumerate(problem.meetings)
    ]
    precedences = list(problem.precedences)
    forbidden = [set(slots) for slots in problem.forbidden]
    for person, indices in enumerate(problem.meetings_of()):
        if len(indices) >= 2 and rng.random() < ordered:
            first, second = sorted(rng.sample(indices, 2), key=lambda i: witness[i])
            if witness[first] < witness[second]:
                precedences.append((first, second))
        idle = sorted(set(range(problem.n_slots)) - {witness[i] for i in indices})
        if idle and rng.random() < blocked:
            forbidden[person].add(rng.choice(idle))
    return replace(
        problem,
        meetings=meetings,
        forbidden=forbidden,
        precedences=precedences,
        name=f"{problem.name} variant {seed}",
    )


# The constrained families of the benchmark, each built from an instance and a complete
# schedule of it (the witness), which satisfies every constraint added:
#   precNN  precedences on NN % of the meetings (each such meeting after another one),
#   fixedNN NN % of the meetings fixed to their witness slot, with forbidden slots,
#   forbid  extra forbidden slots only.
FAMILIES = ("prec15", "prec25", "fixed20", "fixed40", "forbid")


def family_variant(
    problem: Problem, witness: dict[int, int], family: str, seed: int = 0
) -> Problem:
    """The variant of `problem` of `family` (see FAMILIES; any share works: prec10, fixed30),
    satisfied by `witness`."""
    if not re.fullmatch(r"(prec|fixed)\d+|forbid", family):
        raise ValueError(f"unknown family {family!r}: one of {', '.join(FAMILIES)}")
    rng = random.Random(f"{family}/{seed}")
    if family.startswith("prec"):
        share = int(family.removeprefix("prec")) / 100
        return replace(
            problem,
            precedences=list(problem.precedences) + _ordered_pairs(problem, witness, share, rng),
            name=f"{problem.name} {family} s{seed}",
        )
    if family.startswith("fixed"):
        share = int(family.removeprefix("fixed")) / 100
        chosen = set(rng.sample(range(len(problem.meetings)), round(share * len(problem.meetings))))
        meetings = [
            replace(meeting, fixed_slot=witness[index]) if index in chosen else meeting
            for index, meeting in enumerate(problem.meetings)
        ]
        forbidden = _blocked(problem, witness, 0.3, 2, rng)
        return replace(
            problem, meetings=meetings, forbidden=forbidden, name=f"{problem.name} {family} s{seed}"
        )
    if family == "forbid":
        forbidden = _blocked(problem, witness, 0.6, 3, rng)
        return replace(problem, forbidden=forbidden, name=f"{problem.name} {family} s{seed}")
    raise ValueError(f"unknown family {family!r}: one of {', '.join(FAMILIES)}")


def _ordered_pairs(
    problem: Problem, witness: dict[int, int], share: float, rng: random.Random
) -> list[tuple[int, int]]:
    """Precedences on a `share` of the meetings, each after an earlier meeting of the witness:
    mostly one of the same participant (as at a real event: "see the bank before the
    ministry"), sometimes any earlier meeting."""
    lists = problem.meetings_of()
    existing = set(problem.precedences)
    count = round(share * len(problem.meetings))
    later = rng.sample(range(len(problem.meetings)), len(problem.meetings))
    pairs: list[tuple[int, int]] = []
    for after in later:
        if len(pairs) >= count:
            break
        meeting = problem.meetings[after]
        if rng.random() < 0.8:
            pool = [i for p in (meeting.a, meeting.b) for i in lists[p]]
        else:
            pool = list(range(len(problem.meetings)))
        earlier = [i for i in pool if witness[i] < witness[after] and (i, after) not in existing]
        if earlier:
            pair = (rng.choice(earlier), after)
            existing.add(pair)
            pairs.append(pair)
    return pairs


def _blocked(
    problem: Problem, witness: dict[int, int], share: float, most: int, rng: random.Random
) -> list[set[int]]:
    """Forbidden slots: a `share` of the participants get 1..`most` more, where the witness
    has them idle."""
    forbidden = [set(slots) for slots in problem.forbidden]
    for person, indices in enumerate(problem.meetings_of()):
        idle = sorted(
            set(range(problem.n_slots)) - {witness[i] for i in indices} - forbidden[person]
        )
        if idle and rng.random() < share:
            forbidden[person].update(rng.sample(idle, min(len(idle), rng.randint(1, most))))
    return forbidden

"""An independent check of a schedule against every hard constraint, and its break count."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from seriktes.events.scheduler.problem import AFTERNOON, MORNING, Problem, count_breaks


@dataclass
class Verdict:
    """Whether a schedule is valid, what is wrong, and how good it is."""

    valid: bool
    scheduled: int
    breaks: int
    problems: list[str] = field(default_factory=list)


def check(problem: Problem, slots: dict[int, int], require_all: bool = True) -> Verdict:
    """Check `slots` (meeting index → 0-based slot) written without the solver's model."""
    issues: list[str] = []
    if require_all:
        missing = [i for i in range(len(problem.meetings)) if i not in slots]
        if missing:
            issues.append(
                f"{len(missing)} meetings unscheduled, e.g. {[m + 1 for m in missing[:5]]}"
            )
    busy: dict[tuple[int, int], list[int]] = defaultdict(list)
    per_slot: Counter[int] = Counter()
    for index, slot in slots.items():
        issues.extend(_placement_issues(problem, index, slot))
        if not 0 <= slot < problem.n_slots:
            continue
        meeting = problem.meetings[index]
        for person in (meeting.a, meeting.b):
            busy[(person, slot)].append(index)
        per_slot[slot] += 1
    issues.extend(
        f"participant {person + 1} has {len(indices)} meetings in slot {slot + 1}"
        for (person, slot), indices in busy.items()
        if len(indices) > 1
    )
    issues.extend(
        f"slot {slot + 1} holds {used} meetings for {problem.tables_at(slot)} tables"
        for slot, used in per_slot.items()
        if used > problem.tables_at(slot)
    )
    issues.extend(
        f"meeting {before + 1} must come before meeting {after + 1}"
        for before, after in problem.precedences
        if before in slots and after in slots and not slots[before] < slots[after]
    )
    per_person: dict[int, list[int]] = defaultdict(list)
    for person, slot in busy:
        per_person[person].append(slot)
    issues.extend(_target_issues(problem, slots))
    breaks = sum(count_breaks(s, problem.day_starts) for s in per_person.values())
    return Verdict(not issues, len(slots), breaks, issues)


def _placement_issues(problem: Problem, index: int, slot: int) -> list[str]:
    meeting = problem.meetings[index]
    if not 0 <= slot < problem.n_slots:
        return [f"meeting {index + 1} in slot {slot + 1}, outside 1..{problem.n_slots}"]
    issues = []
    if meeting.session == MORNING and not problem.is_morning(slot):
        issues.append(f"meeting {index + 1} is morning-only but in slot {slot + 1}")
    if meeting.session == AFTERNOON and problem.is_morning(slot):
        issues.append(f"meeting {index + 1} is afternoon-only but in slot {slot + 1}")
    if meeting.fixed_slot is not None and slot != meeting.fixed_slot:
        issues.append(f"meeting {index + 1} is fixed to slot {meeting.fixed_slot + 1}")
    issues.extend(
        f"participant {person + 1} cannot meet in slot {slot + 1}"
        for person in (meeting.a, meeting.b)
        if slot in problem.forbidden[person]
    )
    return issues


def _target_issues(problem: Problem, slots: dict[int, int]) -> list[str]:
    """Participants above their maximum or below their minimum number of meetings."""
    issues = []
    for person, indices in enumerate(problem.meetings_of()):
        placed = sum(1 for i in indices if i in slots)
        cap = problem.cap(person)
        if cap is not None and placed > cap:
            issues.append(f"participant {person + 1} has {placed} meetings, at most {cap} wanted")
        floor = problem.floor(person, len(indices))
        if placed < floor:
            issues.append(
                f"participant {person + 1} has {placed} meetings, at least {floor} wanted"
            )
    return issues

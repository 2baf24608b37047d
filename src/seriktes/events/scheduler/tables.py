"""Tables for a schedule: distinct per slot, and a participant stays at its table when it can."""

from __future__ import annotations

from collections import defaultdict

from seriktes.events.scheduler.problem import Problem


def assign_tables(problem: Problem, slots: dict[int, int]) -> dict[int, int]:
    """Give each scheduled meeting a 0-based table, at most `problem.tables_at(slot)` per slot.

    Slot by slot, a meeting first asks for the table one of its participants sat at in the
    previous slot (the participant with more meetings first: it moves the most otherwise),
    then for the table its participants used last, then for the lowest free one.
    """
    by_slot: dict[int, list[int]] = defaultdict(list)
    for index, slot in slots.items():
        by_slot[slot].append(index)
    load = [len(m) for m in problem.meetings_of()]
    last_table: dict[int, int] = {}
    last_slot: dict[int, int] = {}
    tables: dict[int, int] = {}
    for slot in sorted(by_slot):
        free = set(range(max(problem.tables_at(slot), len(by_slot[slot]))))
        pending = sorted(by_slot[slot])
        for continuing_only in (True, False):
            rest = []
            for index in pending:
                wishes = _wishes(problem, index, slot, load, last_table, last_slot, continuing_only)
                table = next((t for t in wishes if t in free), None)
                if table is None:
                    rest.append(index)
                    continue
                tables[index] = table
                free.discard(table)
            pending = rest
        for index in pending:
            tables[index] = min(free)
            free.discard(tables[index])
        for index in by_slot[slot]:
            meeting = problem.meetings[index]
            for person in (meeting.a, meeting.b):
                last_table[person] = tables[index]
                last_slot[person] = slot
    return tables


def _wishes(
    problem: Problem,
    index: int,
    slot: int,
    load: list[int],
    last_table: dict[int, int],
    last_slot: dict[int, int],
    continuing_only: bool,
) -> list[int]:
    meeting = problem.meetings[index]
    people = sorted((meeting.a, meeting.b), key=lambda p: -load[p])
    return [
        last_table[person]
        for person in people
        if person in last_table and (not continuing_only or last_slot[person] == slot - 1)
    ]

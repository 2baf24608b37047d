"""Scheduler benchmark: the 20 B2B instances of ../shared/data/b2b-msp against the MaxSAT
reference, then a generated event of 1,000 participants and 6,000 meetings.

Targets (issue 5): on every instance all meetings scheduled, the independent checker's
verdict valid, breaks ≤ the reference (reference_maxsat.csv: UWrMaxSat on another machine),
within 30 s; at 1,000 × 6,000 no meeting lost and at most 60 s. Wall and CPU seconds are both
printed because the machine is shared; "same run" says whether the work budget ended every
search (the same seed then gives the same schedule) or the clock cut one short ("clock").

The variants table tests the kinds of constraints real variants add (fixed meetings,
precedences, forbidden slots), which the 20 instances leave empty: each instance gets some
of each, all satisfied by the schedule of a short run on it (the witness). Constraints only
add breaks, so the instance's reference is a lower bound on a variant's optimum and the
witness an upper bound; a variant passes with every meeting scheduled, valid, no more breaks
than the witness, within 30 s; "optimal" says the solver proved its breaks the fewest. The
witness comes from this solver, so a change to it may change the variants too.

These are measurements: the exit code is 0 unless something crashes.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from seriktes.events.scheduler import Problem, Schedule, Verdict, check, read_dzn, solve
from seriktes.events.scheduler.generate import constrained_variant, planted_problem

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "b2b-msp"
# The targets, whatever the time limit given: 30 s an instance, 60 s at 1,000 × 6,000.
TARGET_S, LARGE_TARGET_S = 30.0, 60.0
# The witness of a variant comes from a short run (nominal seconds of work, see budget.py).
WITNESS_WORK = 3.0
VARIANT_HEADERS = (
    "variant of",
    "meetings",
    "fixed",
    "precedences",
    "forbidden +",
    "scheduled",
    "breaks",
    "ref (lower)",
    "witness",
    "optimal",
    "our s",
    "our cpu s",
    "valid",
    "same run",
    "verdict",
)
HEADERS = (
    "instance",
    "meetings",
    "scheduled",
    "breaks",
    "ref breaks",
    "ref s",
    "our s",
    "our cpu s",
    "valid",
    "same run",
    "verdict",
)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Align a plain-text table: first column left, the others right."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(cell).rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def reference(data: Path) -> dict[str, tuple[int, float]]:
    """Breaks and seconds of the MaxSAT reference, by instance file name."""
    with (data / "reference_maxsat.csv").open(encoding="utf-8") as handle:
        return {
            row["instance"]: (int(row["breaks"]), float(row["seconds"]))
            for row in csv.DictReader(handle)
        }


def run_one(
    problem: Problem,
    time_limit: float,
    seed: int,
    target_breaks: int | None,
    target_s: float,
    work: float | None = None,
) -> list[str]:
    """Solve one problem and return its table row (without the reference columns)."""
    schedule, verdict, wall, cpu = measure(problem, time_limit, seed, work)
    passed = (
        verdict.valid
        and (target_breaks is None or verdict.breaks <= target_breaks)
        and wall <= target_s
    )
    return [
        str(len(problem.meetings)),
        str(len(schedule.slots)),
        str(verdict.breaks),
        *_measured(schedule, verdict, wall, cpu, passed),
    ]


def measure(
    problem: Problem, time_limit: float, seed: int, work: float | None = None
) -> tuple[Schedule, Verdict, float, float]:
    """The schedule, the independent checker's verdict on it, wall and CPU seconds."""
    wall, cpu = time.monotonic(), _cpu()
    schedule = solve(problem, time_limit=time_limit, seed=seed, work=work)
    wall, cpu = time.monotonic() - wall, _cpu() - cpu
    return schedule, check(problem, schedule.slots, require_all=True), wall, cpu


def run_variant(
    problem: Problem,
    reference_breaks: int | None,
    time_limit: float,
    seed: int,
    work: float | None = None,
) -> list[str]:
    """Derive a constrained variant of `problem` from a short run's schedule (the witness) and
    solve it: the row of the variants table (without the instance name)."""
    witness = solve(problem, time_limit=time_limit, seed=seed, work=WITNESS_WORK)
    variant = constrained_variant(problem, witness.slots, seed)
    schedule, verdict, wall, cpu = measure(variant, time_limit, seed, work)
    passed = (
        verdict.valid
        and len(schedule.slots) == len(variant.meetings)
        and verdict.breaks <= witness.breaks
        and wall <= TARGET_S
    )
    return [
        str(len(variant.meetings)),
        str(sum(m.fixed_slot is not None for m in variant.meetings)),
        str(len(variant.precedences)),
        str(sum(map(len, variant.forbidden)) - sum(map(len, problem.forbidden))),
        str(len(schedule.slots)),
        str(verdict.breaks),
        "-" if reference_breaks is None else str(reference_breaks),
        str(witness.breaks),
        "yes" if schedule.optimal else "no",
        *_measured(schedule, verdict, wall, cpu, passed),
    ]


def _measured(
    schedule: Schedule, verdict: Verdict, wall: float, cpu: float, passed: bool
) -> list[str]:
    """The last cells of both tables: seconds, validity, reproducibility, verdict."""
    return [
        f"{wall:.1f}",
        f"{cpu:.1f}",
        "yes" if verdict.valid else "NO",
        "yes" if schedule.reproducible else "clock",
        "PASS" if passed else "FAIL",
    ]


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the second SAT search)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--work",
        type=float,
        default=None,
        help="work budget per instance in nominal seconds (default: what the time limit "
        "allows); with a longer --time-limit, a slow machine finds the schedules of the "
        "machine the rates were measured on",
    )
    parser.add_argument("--only", nargs="*", default=None, help="instance name prefixes")
    parser.add_argument("--large-time-limit", type=float, default=60.0)
    parser.add_argument("--skip-large", action="store_true", help="skip the 1,000 × 6,000 case")
    parser.add_argument(
        "--skip-variants", action="store_true", help="skip the constrained variants table"
    )
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"{os.cpu_count()} cores; time limit {args.time_limit:g} s; "
        f"work {'from the time limit' if args.work is None else f'{args.work:g}'}; "
        f"seed {args.seed}",
        flush=True,
    )
    paths = [] if not args.data.exists() else sorted(args.data.glob("*.dzn"))
    if not paths:
        print(f"{args.data}: no real instances to run")
    paths = [p for p in paths if not args.only or any(p.name.startswith(o) for o in args.only)]
    refs = reference(args.data) if paths else {}
    rows = []
    for path in paths:
        ref_breaks, ref_s = refs.get(path.name, (None, float("nan")))
        cells = run_one(read_dzn(path), args.time_limit, args.seed, ref_breaks, TARGET_S, args.work)
        row = [_name(path), *cells[:3], str(ref_breaks), f"{ref_s:.1f}", *cells[3:]]
        rows.append(row)
        print("  ".join(row), file=sys.stderr, flush=True)
    if not args.skip_large:
        problem = planted_problem(1000, 6000, seed=args.seed)
        cells = run_one(problem, args.large_time_limit, args.seed, None, LARGE_TARGET_S)
        rows.append(
            [f"generated 1000×6000 (seed {args.seed})", *cells[:3], "-", "≤60 s", *cells[3:]]
        )
    print(format_table(HEADERS, rows))
    _verdicts(rows)
    if args.skip_variants or not paths:
        return 0
    variants = []
    for path in paths:
        ref_breaks = refs.get(path.name, (None, 0.0))[0]
        row = [
            _name(path),
            *run_variant(read_dzn(path), ref_breaks, args.time_limit, args.seed, args.work),
        ]
        variants.append(row)
        print("  ".join(row), file=sys.stderr, flush=True)
    print(f"\nConstrained variants (witness: a run of {WITNESS_WORK:g} nominal s of work)")
    print(format_table(VARIANT_HEADERS, variants))
    _verdicts(variants)
    return 0


def _name(path: Path) -> str:
    return path.name.removesuffix(".dzn").removesuffix(".original")


def _verdicts(rows: list[list[str]]) -> None:
    verdicts = [row[-1] for row in rows]
    print(f"{verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL", flush=True)


if __name__ == "__main__":
    sys.exit(main())

"""Scheduler benchmark: the 20 B2B instances of ../shared/data/b2b-msp against the MaxSAT
reference, a generated event of 1,000 participants and 6,000 meetings, then constrained
families of variants of the 20 instances with exact references.

Targets (issues 5 and 20): on every instance all meetings scheduled, the independent
checker's verdict valid, breaks ≤ the reference (reference_maxsat.csv: UWrMaxSat on another
machine), within 30 s; at 1,000 × 6,000 no meeting lost and at most 60 s. Wall and CPU
seconds are both printed because the machine is shared; "same run" says whether the work
budget ended every search (the same seed then gives the same schedule) or the clock cut one
short ("clock").

The families (generate.FAMILIES) add to an instance what real variants add: precedences on
15 % or 25 % of the meetings (prec15, prec25), 20 % or 40 % of the meetings fixed with
forbidden slots (fixed20, fixed40), extra forbidden slots (forbid). Each variant is built
from a complete schedule of the instance (its witness), which satisfies every constraint
added, so every meeting fits.

- Seed 0's witness is the schedule of the instance's own row. When it has the reference's
  breaks, the variant's optimum is exactly that: constraints only add breaks, so the
  instance's optimum is a lower bound and the witness an upper bound ("proven: instance").
- Other seeds' witnesses are rough schedules (a fraction of a second of work), far from
  optimal, so the constraints are not those of an optimal schedule. Their reference is an
  exact MaxSAT run (RC2 of python-sat, exact.py) of up to --ref-limit seconds: "proven: rc2"
  when it finishes; otherwise its lower bound with the witness as upper bound ("lb..ub").

Exact runs are cached in --cache by the variant's content. A row passes with every meeting
scheduled, valid, breaks ≤ its reference (≤ the upper bound when unproven), within 30 s.
These are measurements: the exit code is 0 unless something crashes.

Run time on 2 idle cores: ~22 min (2026-12-05: 21.2 and 23.4 min): the originals ~4 min,
the large case ~1 min, each family row up to 30 s (5 families × 20 instances: ~17 min) plus,
for seeds > 0, the first exact runs of up to --ref-limit each (cached after).
`--quick` runs five instances only (forum-14, forum-13crafb, ticf-14crafa,
ticf-13crafb, tic-13crafc); `--families`, `--family-seeds`, `--only`, `--skip-originals`,
`--skip-large` and `--skip-families` choose the rest.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from seriktes.events.scheduler import Problem, Schedule, Verdict, check, read_dzn, solve
from seriktes.events.scheduler.exact import fewest_breaks
from seriktes.events.scheduler.generate import FAMILIES, family_variant, planted_problem

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "b2b-msp"
CACHE = Path.home() / ".cache" / "seriktes" / "bench-scheduler-exact.json"
# The targets, whatever the time limit given: 30 s an instance, 60 s at 1,000 × 6,000.
TARGET_S, LARGE_TARGET_S = 30.0, 60.0
# Part of the cache's keys: runs of an older exact search are not reused. 2: RC2 over
# CaDiCaL, whose core minimisation no longer ends the search (exact.py).
EXACT_VERSION = 2
# The rough witness of seeds > 0: a run of this much work (nominal seconds, see budget.py).
ROUGH_WORK = 0.2
QUICK = ("forum-14.", "forum-13crafb", "ticf-14crafa", "ticf-13crafb", "tic-13crafc")
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
FAMILY_HEADERS = (
    "variant",
    "meetings",
    "fixed",
    "precedences",
    "forbidden +",
    "scheduled",
    "breaks",
    "reference",
    "proven",
    "witness",
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
) -> tuple[list[str], Schedule]:
    """Solve one problem: its table row (without the reference columns) and the schedule."""
    schedule, verdict, wall, cpu = measure(problem, time_limit, seed, work)
    passed = (
        verdict.valid
        and (target_breaks is None or verdict.breaks <= target_breaks)
        and wall <= target_s
    )
    cells = [
        str(len(problem.meetings)),
        str(len(schedule.slots)),
        str(verdict.breaks),
        *_measured(schedule, verdict, wall, cpu, passed),
    ]
    return cells, schedule


def measure(
    problem: Problem, time_limit: float, seed: int, work: float | None = None
) -> tuple[Schedule, Verdict, float, float]:
    """The schedule, the independent checker's verdict on it, wall and CPU seconds."""
    wall, cpu = time.monotonic(), _cpu()
    schedule = solve(problem, time_limit=time_limit, seed=seed, work=work)
    wall, cpu = time.monotonic() - wall, _cpu() - cpu
    return schedule, check(problem, schedule.slots, require_all=True), wall, cpu


@dataclass(frozen=True)
class Reference:
    """A variant's reference: its fewest breaks when `proven`, else bounds on them."""

    lower: int
    upper: int
    proven: str  # how: "instance", "rc2", or "" when not proven
    seconds: float

    def __str__(self) -> str:
        return str(self.upper) if self.proven else f"{self.lower}..{self.upper}"


def exact_reference(
    variant: Problem, lower: int, witness: int, limit: float, cache: Path
) -> Reference:
    """RC2's answer on `variant` (cached by content), with `lower` (the instance's optimum)
    and `witness` (the witness's breaks) as bounds when it does not finish."""
    key = hashlib.sha256(f"{EXACT_VERSION}/{variant!r}".encode()).hexdigest()
    known = json.loads(cache.read_text()) if cache.exists() else {}
    entry = known.get(key)
    if entry is None or (entry["breaks"] is None and entry["limit"] < limit):
        result = fewest_breaks(variant, limit)
        entry = {
            "name": variant.name,
            "lower": result.lower,
            "breaks": result.breaks,
            "seconds": result.seconds,
            "limit": limit,
        }
        known[key] = entry
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(known, indent=1, sort_keys=True))
    if entry["breaks"] is not None:
        return Reference(entry["breaks"], entry["breaks"], "rc2", entry["seconds"])
    low = max(lower, entry["lower"])
    if low >= witness:
        return Reference(witness, witness, "rc2+witness", entry["seconds"])
    return Reference(low, witness, "", entry["seconds"])


def run_family(
    problem: Problem,
    family: str,
    seed: int,
    witness: Schedule,
    instance_ref: int | None,
    args: argparse.Namespace,
) -> list[str]:
    """Build the variant of `family` from `witness`, find its reference, solve it: its row."""
    variant = family_variant(problem, witness.slots, family, seed)
    if seed == 0 and instance_ref is not None and witness.breaks <= instance_ref:
        ref = Reference(witness.breaks, witness.breaks, "instance", 0.0)
    else:
        lower = instance_ref or 0
        ref = exact_reference(variant, lower, witness.breaks, args.ref_limit, args.cache)
    schedule, verdict, wall, cpu = measure(variant, args.time_limit, seed, args.work)
    passed = (
        verdict.valid
        and len(schedule.slots) == len(variant.meetings)
        and verdict.breaks <= ref.upper
        and wall <= TARGET_S
    )
    return [
        f"{_name(problem.name)} {family} s{seed}",
        str(len(variant.meetings)),
        str(sum(m.fixed_slot is not None for m in variant.meetings)),
        str(len(variant.precedences)),
        str(sum(map(len, variant.forbidden)) - sum(map(len, problem.forbidden))),
        str(len(schedule.slots)),
        str(verdict.breaks),
        str(ref),
        ref.proven or "no",
        str(witness.breaks),
        f"{ref.seconds:.0f}",
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


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
        "--skip-originals",
        action="store_true",
        help="no table of the instances themselves (their schedules, the families' seed-0 "
        "witnesses, are still computed)",
    )
    parser.add_argument(
        "--skip-families", "--skip-variants", action="store_true", help="skip the families"
    )
    parser.add_argument("--families", nargs="*", default=list(FAMILIES), choices=FAMILIES)
    parser.add_argument(
        "--family-seeds",
        nargs="*",
        type=int,
        default=[0],
        help="0: witness = the instance's 30 s schedule; others: rough witnesses, exact "
        "references by RC2",
    )
    parser.add_argument(
        "--quick", action="store_true", help="five instances only (and their families)"
    )
    parser.add_argument("--ref-limit", type=float, default=120.0, help="seconds per RC2 run")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where RC2 runs are kept")
    parser.add_argument("--data", type=Path, default=DATA)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    args = _arguments(argv)
    load = os.getloadavg()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"{os.cpu_count()} cores; time limit {args.time_limit:g} s; "
        f"work {'from the time limit' if args.work is None else f'{args.work:g}'}; "
        f"seed {args.seed}",
        flush=True,
    )
    began = time.monotonic()
    paths = [] if not args.data.exists() else sorted(args.data.glob("*.dzn"))
    if not paths:
        print(f"{args.data}: no real instances to run")
    paths = [p for p in paths if not args.only or any(p.name.startswith(o) for o in args.only)]
    if args.quick:
        paths = [p for p in paths if p.name.startswith(QUICK)]
    refs = reference(args.data) if paths else {}
    rows, witnesses = [], {}
    for path in paths:
        ref_breaks, ref_s = refs.get(path.name, (None, float("nan")))
        cells, schedule = run_one(
            read_dzn(path), args.time_limit, args.seed, ref_breaks, TARGET_S, args.work
        )
        witnesses[path.name] = schedule
        row = [_name(path.name), *cells[:3], str(ref_breaks), f"{ref_s:.1f}", *cells[3:]]
        rows.append(row)
        print("  ".join(row), file=sys.stderr, flush=True)
    if not args.skip_large:
        cells, _schedule = run_one(
            planted_problem(1000, 6000, seed=args.seed),
            args.large_time_limit,
            args.seed,
            None,
            LARGE_TARGET_S,
        )
        rows.append(
            [f"generated 1000×6000 (seed {args.seed})", *cells[:3], "-", "≤60 s", *cells[3:]]
        )
    if not args.skip_originals:
        print(format_table(HEADERS, rows))
        _verdicts(rows)
    if not args.skip_families and paths:
        _families(args, paths, refs, witnesses)
    print(f"\nbench-scheduler took {(time.monotonic() - began) / 60:.1f} min", flush=True)
    return 0


def _families(
    args: argparse.Namespace,
    paths: list[Path],
    refs: dict[str, tuple[int, float]],
    witnesses: dict[str, Schedule],
) -> None:
    """Run and print the families' table."""
    rows = []
    for path in paths:
        problem = read_dzn(path)
        for seed in args.family_seeds:
            if seed == 0:
                witness = witnesses[path.name]
            else:
                witness = solve(problem, time_limit=args.time_limit, seed=seed, work=ROUGH_WORK)
            if len(witness.slots) < len(problem.meetings):
                continue  # no complete witness: no variant
            for family in args.families:
                ref_breaks = refs.get(path.name, (None, 0.0))[0]
                row = run_family(problem, family, seed, witness, ref_breaks, args)
                rows.append(row)
                print("  ".join(row), file=sys.stderr, flush=True)
    print(
        f"\nFamilies ({', '.join(args.families)}; seeds {args.family_seeds}; exact runs up "
        f"to {args.ref_limit:g} s)"
    )
    print(format_table(FAMILY_HEADERS, rows))
    _verdicts(rows)


def _name(name: str) -> str:
    return name.removesuffix(".dzn").removesuffix(".original")


def _verdicts(rows: list[list[str]]) -> None:
    verdicts = [row[-1] for row in rows]
    print(f"{verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL", flush=True)


if __name__ == "__main__":
    sys.exit(main())

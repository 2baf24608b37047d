"""`seriktes schedule`: build B2B meeting schedules with the scheduler library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from seriktes.cli.runtime import console, fail
from seriktes.events.scheduler import (
    DznError,
    Problem,
    Schedule,
    check,
    describe,
    read_dzn,
    solve,
)

schedule_app = typer.Typer(
    help="Schedule B2B meetings into slots and tables.", no_args_is_help=True
)

InstanceArg = Annotated[
    Path | None,
    typer.Argument(
        help="Instance in the MiniZinc .dzn format of Bofill et al.", show_default=False
    ),
]
TimeLimitOpt = Annotated[float, typer.Option("--time-limit", help="Seconds the solver may use.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help='Write {"slots": {"meeting": slot}} (both 1-based) to this file.'),
]
SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed",
        help="Seed of the search: the same seed and time limit give the same schedule unless "
        "the machine is too slow for the work the time limit stands for.",
    ),
]
EventOpt = Annotated[
    int | None,
    typer.Option("--event", help="Schedule the event with this id stored in the database."),
]


@schedule_app.command("solve")
def solve_command(
    instance: InstanceArg = None,
    time_limit: TimeLimitOpt = 30.0,
    as_json: JsonOpt = False,
    out: OutOpt = None,
    seed: SeedOpt = 0,
    event: EventOpt = None,
) -> None:
    """Schedule every meeting of an instance with the fewest breaks; exit 1 if some cannot be.

    Prints the instance, the number of meetings, how many were scheduled, the breaks, whether
    the independent checker accepts the schedule, and the seconds taken.
    """
    # --- events domain: `--event ID` schedules the accepted requests of a stored event and
    # stores the schedule (slot and table per meeting), then reports like a file does.
    if event is not None:
        from seriktes.cli.runtime import run
        from seriktes.events.scheduling import schedule_event

        built, found = run(lambda session: schedule_event(session, event, time_limit, seed))
        _solve_and_report(built.problem, f"event-{event}", time_limit, seed, as_json, out, found)
        return
    # --- end of the events domain's part
    if instance is None:
        raise fail("give an instance file INSTANCE.dzn")
    problem = load_instance(instance)
    _solve_and_report(problem, instance.name, time_limit, seed, as_json, out)


def load_instance(path: Path) -> Problem:
    """Read a .dzn instance, turning every reading error into a message naming the file."""
    try:
        return read_dzn(path)
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise fail(f"{path}: not a text file") from None
    except (DznError, ValueError) as exc:
        detail = str(exc)
        prefix = f"{path.name}: "
        raise fail(f"{path}: {detail.removeprefix(prefix)}") from None


def _solve_and_report(
    problem: Problem,
    name: str,
    time_limit: float,
    seed: int,
    as_json: bool,
    out: Path | None,
    solved: Schedule | None = None,  # an event's schedule, already solved and stored
) -> None:
    schedule = solved or solve(problem, time_limit=time_limit, seed=seed)
    summary = summarise(problem, name, schedule)
    if out is not None:
        _write_slots(out, schedule)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        console.print(
            f"{name}: {summary['scheduled']} of {summary['meetings']} meetings scheduled, "
            f"{summary['breaks']} breaks, {'valid' if summary['valid'] else 'INVALID'}, "
            f"{summary['seconds']} s"
        )
    if schedule.unscheduled:
        reasons = "; ".join(describe(c) for c in schedule.conflicts) or "unknown"
        raise fail(
            f"no complete schedule: {len(schedule.unscheduled)} meetings cannot be placed "
            f"(conflicting constraints: {reasons})"
        )


def summarise(problem: Problem, name: str, schedule: Schedule) -> dict[str, Any]:
    """The JSON summary of a schedule; `valid` comes from the independent checker."""
    verdict = check(problem, schedule.slots, require_all=True)
    return {
        "instance": name,
        "meetings": len(problem.meetings),
        "scheduled": len(schedule.slots),
        "breaks": verdict.breaks,
        "valid": verdict.valid,
        "seconds": round(schedule.seconds, 3),
    }


def _write_slots(path: Path, schedule: Schedule) -> None:
    slots = {str(index + 1): slot + 1 for index, slot in sorted(schedule.slots.items())}
    try:
        path.write_text(json.dumps({"slots": slots}) + "\n", encoding="utf-8")
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}") from None


def register(app: typer.Typer) -> None:
    """Add the `schedule` commands to the main app."""
    app.add_typer(schedule_app, name="schedule")

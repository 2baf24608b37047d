"""`seriktes goszakup sync`: a buyer's or a region's plans pulled from the goszakup OWS v3
service into needs, each page committed with the sync's state (an interrupted run resumes
where it stopped), then the needs it wrote matched as after a file import."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from seriktes.cli import runtime
from seriktes.cli.runtime import console, refused, run
from seriktes.kit.errors import SeriktesError

goszakup_app = typer.Typer(help="Plans pulled from goszakup (OWS v3).", no_args_is_help=True)


@goszakup_app.command("sync")
def sync(
    bin_value: Annotated[
        str | None, typer.Option("--bin", help="The buyer's BIN: its plans (/v3/plans/BIN).")
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region", help="A region's KATO code (63 or 630000000): the plans of its buyers."
        ),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Only the plan points of this plan year.")
    ] = None,
    full: Annotated[
        bool,
        typer.Option("--full", help="Read every page again, not only the items after the last."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Pull plans from SERIKTES_GOSZAKUP_URL (token: SERIKTES_GOSZAKUP_TOKEN) into needs."""
    from seriktes.catalog.goszakup_sync.client import PlanClient
    from seriktes.catalog.goszakup_sync.sync import SyncReport, check_target, sync_plans
    from seriktes.config import get_settings

    target = run(lambda session: check_target(session, bin_value, region, year))
    settings = get_settings()

    def write(step: Any) -> Any:
        return run(step)

    try:
        with (
            PlanClient(settings.goszakup_url, settings.goszakup_token) as client,
            runtime.progress_bar(f"Reading {target.key}") as advance,
        ):
            report: SyncReport = sync_plans(target, client, write, full=full, progress=advance)
    except SeriktesError as exc:
        raise refused(exc) from None
    matched = _match(report)
    if as_json:
        shown = report.as_dict()
        shown["matched"] = matched
        console.print_json(json.dumps(shown, ensure_ascii=False))
        return
    console.print(
        f"{target.key}: {report.pages} pages, {report.fetched} items read"
        f"{' (resumed)' if report.resumed else ''}; {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.closed} closed, "
        f"{len(report.errors)} invalid skipped; {report.organisations_created} organisations "
        f"created; {report.seen_before} read before, {report.other_year} of other years, "
        f"{report.other_region} of other regions; {len(report.waits)} retries."
    )
    for problem in [*report.errors, *report.warnings][:20]:
        runtime.err_console.print(problem.located(runtime.cli_language()), soft_wrap=True)
    if matched:
        console.print(f"{matched['needs']} needs matched: {matched['matches']} matches stored.")


def _match(report: Any) -> dict[str, int]:
    """Match the needs the sync wrote, in a transaction of its own (as after a file import)."""
    from seriktes.matches.incremental import match_import

    if not (report.created or report.updated):
        return {}

    def action(session: Session) -> dict[str, int]:
        with runtime.progress_bar("Matching needs") as update:
            done = match_import(session, report, update)
        return {"needs": done.needs, "matches": done.matches}

    return run(action)


def register(app: typer.Typer) -> None:
    """Add the `goszakup` commands to the main app."""
    app.add_typer(goszakup_app, name="goszakup")

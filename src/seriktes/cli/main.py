"""`seriktes` command: database, registry loads, imports, demo data, statistics, web server."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy.orm import Session

from seriktes.cli import goszakup as goszakup_commands
from seriktes.cli import matching as matching_commands
from seriktes.cli import producers as producers_commands
from seriktes.cli import report as report_commands
from seriktes.cli import runtime
from seriktes.cli import schedule as schedule_commands
from seriktes.cli import worker as worker_commands
from seriktes.cli.runtime import cli_language, console, fail, run
from seriktes.cli.users import users_app

if TYPE_CHECKING:
    from seriktes.kit.importing import Column
    from seriktes.matches.service import MatchRun

app = typer.Typer(
    help="Seriktes: interregional business cooperation platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Create and migrate the database.", no_args_is_help=True)
registry_app = typer.Typer(
    help="Load reference data: KATO regions, classifiers.", no_args_is_help=True
)
import_app = typer.Typer(
    help="Import organisations, needs, offers, deals and registers of producers from CSV, "
    "XLSX or JSON.",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")
app.add_typer(registry_app, name="registry")
app.add_typer(import_app, name="import")
producers_commands.register(import_app)
matching_commands.register(app)
schedule_commands.register(app)
report_commands.register(app)
worker_commands.register(app)
goszakup_commands.register(app)
app.add_typer(users_app, name="users")

FileArg = Annotated[Path, typer.Argument(help="File to read.", show_default=False)]
SkipInvalid = Annotated[
    bool, typer.Option("--skip-invalid", help="Import the valid rows and report the bad ones.")
]
ReportOpt = Annotated[
    Path | None,
    typer.Option("--report", help="Where to write the bad rows (default FILE.errors.csv)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
OnlyBin = Annotated[
    str | None,
    typer.Option(
        "--only-bin",
        help="Import the lines of the organisation with this BIN only; skip (and count) the "
        "others, e.g. one buyer's lines of a whole-portal plan file.",
    ),
]


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema and add the reference data."""
    from seriktes.kit.migrate import upgrade
    from seriktes.registry.service import ensure_reference_data

    try:
        upgrade(runtime.engine())
    except Exception as exc:  # alembic wraps driver errors in many types
        raise fail(f"migration failed: {str(exc).splitlines()[0]}") from None
    run(ensure_reference_data)
    console.print(f"Database {runtime.engine().url.render_as_string()} is up to date.")
    _load_data_folder()


def _load_data_folder() -> None:
    """Load the KP VED classes of the data folder into an empty registry; say what it did."""
    from seriktes.config import get_settings
    from seriktes.registry.loaders import load_data_folder

    folder = get_settings().data_dir
    if folder is None or not folder.is_dir():
        console.print("KP VED classes: no data folder (SERIKTES_DATA_DIR); none loaded.")
        return
    loads = run(lambda session: load_data_folder(session, folder))
    if not loads:
        console.print(
            f"KP VED classes: none loaded ({folder} holds no okpd2/okpd2_full_tree.json)."
        )
    for done in loads:
        if done.loaded is None:
            console.print(f"{done.what}: already loaded.")
        else:
            console.print(f"{done.what}: {done.loaded:,} loaded from {done.path}", soft_wrap=True)


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision the database is at."""
    from seriktes.kit.migrate import current_revision

    console.print(current_revision(runtime.engine()) or "not migrated")


@registry_app.command("load-kato")
def load_kato(path: FileArg) -> None:
    """Load all KATO administrative units from a CSV like kato.csv."""
    from seriktes.registry.loaders import LoadResult
    from seriktes.registry.loaders import load_kato as load

    def action(session: Session) -> LoadResult:
        with runtime.progress_bar(f"Loading {path.name}") as update:
            return load(session, path, update)

    result = run(action)
    console.print(
        f"KATO: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
    )


@registry_app.command("load-okpd2")
def load_okpd2(path: FileArg) -> None:
    """Load the OKPD2 tree JSON as KP VED product classes."""
    from seriktes.registry.loaders import load_okpd2 as load

    result = run(lambda session: load(session, path))
    console.print(
        f"KP VED: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
    )


@registry_app.command("load-classifier")
def load_classifier(
    path: FileArg,
    system: Annotated[str, typer.Option(help="KPVED, ENS_TRU, HS or OKED.")] = "KPVED",
) -> None:
    """Load a classifier from a CSV with columns code,name_ru,name_kk,parent."""
    from seriktes.registry.loaders import load_classifier_csv
    from seriktes.registry.models import ClassifierSystem

    try:
        chosen = ClassifierSystem(system.upper())
    except ValueError:
        raise fail(
            f"unknown classifier system {system!r}; use KPVED, ENS_TRU, HS or OKED"
        ) from None
    result = run(lambda session: load_classifier_csv(session, path, chosen))
    console.print(
        f"{chosen.value}: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged."
    )


@registry_app.command("regions")
def list_regions() -> None:
    """List the oblast-level regions with their KATO codes and names in ru, kk and en."""
    from seriktes.registry.names import ordered_regions
    from seriktes.registry.repository import top_level_regions

    def show(session: Session) -> None:
        for region in ordered_regions(top_level_regions(session), "ru"):
            names = "  /  ".join(region.name(lang) for lang in ("ru", "kk", "en"))
            console.print(f"{region.kato}  {names}")

    run(show)


def _run_import(
    kind: str,
    path: Path,
    skip_invalid: bool,
    report: Path | None,
    as_json: bool,
    only_bin: str | None = None,
) -> None:
    from seriktes.imports.kinds import KINDS, WriteOptions, own_lines
    from seriktes.kit.importing import ImportReport, write_error_report
    from seriktes.kit.locks import hold_import_lock
    from seriktes.kit.tabular import Source

    chosen = KINDS[kind]

    def action(session: Session) -> ImportReport:
        hold_import_lock(session)  # one import at a time: a second one is told to try again
        with runtime.progress_bar(f"Checking {path.name}") as advance:
            parsed = chosen.parse(session, Source.read(path), advance)
            if only_bin:
                parsed.skipped_others = own_lines(kind, parsed, only_bin)
            return chosen.write(session, parsed, WriteOptions(skip_invalid))

    result = run(action)
    if result.errors:
        target = report or path.with_name(path.name + ".errors.csv")
        write_error_report(target, result.errors, cli_language())
        runtime.err_console.print(
            f"{result.skipped} invalid row(s) skipped; see {target}", soft_wrap=True
        )
    matched = _match_imported(result)
    if as_json:
        shown = result.as_dict()
        if matched is not None:
            shown["matched"] = {"needs": matched.needs, "matches": matched.matches}
        console.print_json(json.dumps(shown, ensure_ascii=False))
        return
    console.print(
        f"{result.kind}: {result.rows} rows read, {result.created} created, "
        f"{result.updated} updated, {result.unchanged} unchanged, {result.skipped} skipped; "
        f"{result.organisations_created} organisations created."
    )
    _print_line_counts(result)
    if matched is not None:
        console.print(
            f"{matched.needs} needs matched: {matched.matches} matches stored; "
            f"{matched.needs_without_match} needs without any offer."
        )


def _print_line_counts(report: object) -> None:
    """The counts only a needs or offers import has: closed lines, lines left out, remarks."""
    from seriktes.catalog.importer import LinesReport

    if not isinstance(report, LinesReport):
        return
    if report.closed:
        console.print(f"{report.closed} lines imported as closed (past plan years, withdrawn).")
    if report.other_lines_skipped:
        console.print(f"{report.other_lines_skipped} lines of other organisations skipped.")
    for warning in report.warnings[:20]:
        runtime.err_console.print(f"warning: {warning.located(cli_language())}", soft_wrap=True)
    if len(report.warnings) > 20:
        runtime.err_console.print(f"... and {len(report.warnings) - 20} more warnings")


def _match_imported(report: object) -> MatchRun | None:
    """The import's second step, in a transaction of its own once its rows are stored: match
    the needs it wrote, or the needs the offers it wrote may rank for."""
    from seriktes.catalog.importer import LinesReport
    from seriktes.matches.incremental import match_import

    if not isinstance(report, LinesReport) or not (report.created or report.updated):
        return None
    label = "Matching needs" if report.kind == "needs" else "Matching the needs of these offers"

    def action(session: Session) -> MatchRun:
        with runtime.progress_bar(label) as update:
            return match_import(session, report, update)

    return run(action)


@import_app.command("orgs")
def import_orgs(
    path: FileArg,
    skip_invalid: SkipInvalid = False,
    report: ReportOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import organisations (upsert by BIN) from CSV or XLSX."""
    _run_import("orgs", path, skip_invalid, report, as_json)


@import_app.command("needs")
def import_needs(
    path: FileArg,
    skip_invalid: SkipInvalid = False,
    report: ReportOpt = None,
    as_json: JsonOpt = False,
    only_bin: OnlyBin = None,
) -> None:
    """Import needs from CSV, XLSX or goszakup plan JSON (upsert by external id)."""
    _run_import("needs", path, skip_invalid, report, as_json, only_bin)


@import_app.command("offers")
def import_offers(
    path: FileArg,
    skip_invalid: SkipInvalid = False,
    report: ReportOpt = None,
    as_json: JsonOpt = False,
    only_bin: OnlyBin = None,
) -> None:
    """Import offers from CSV or XLSX (upsert by external id)."""
    _run_import("offers", path, skip_invalid, report, as_json, only_bin)


@import_app.command("deals")
def import_deals_command(
    path: FileArg,
    skip_invalid: SkipInvalid = False,
    report: ReportOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import deals from CSV or XLSX (upsert by buyer's BIN and contract number)."""
    _run_import("deals", path, skip_invalid, report, as_json)


@import_app.command("columns")
def import_columns(
    kind: Annotated[str, typer.Argument(help="orgs, needs, offers, deals or producers.")] = "needs",
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print every column map as Markdown.")
    ] = False,
) -> None:
    """Print the column map of an import: field, accepted headers, meaning."""
    from seriktes.imports.kinds import KINDS, import_docs_markdown

    if markdown:
        print(import_docs_markdown(), end="")
        return
    if kind not in KINDS:
        raise fail(f"unknown import {kind!r}; use orgs, needs, offers, deals or producers")
    maps = KINDS[kind].maps
    if len(maps) == 1:
        print_columns(maps[0].columns, "")
        return
    for column_map in maps:  # a kind of several shapes: each under its name
        console.print(f"[bold]{column_map.name}[/]: {column_map.title}")
        print_columns(column_map.columns, "  ")


def print_columns(columns: tuple[Column, ...], indent: str) -> None:
    """Print a column map: field (required), meaning, then the accepted headers."""
    for column in columns:
        mark = " (required)" if column.required else ""
        console.print(f"{indent}{column.field}{mark}: {column.help}")
        console.print(f"{indent}    " + " | ".join(column.aliases), soft_wrap=bool(indent))


@app.command("demo")
def demo(
    seed: Annotated[int | None, typer.Option(help="Random seed (default from settings).")] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when demo data is already there.")
    ] = False,
) -> None:
    """Generate the fictional East ↔ North Kazakhstan demo data set and its B2B event."""
    from seriktes.config import get_settings
    from seriktes.demo.agreements import load_demo_agreements
    from seriktes.demo.event import DEMO_EVENT_TITLE, load_demo_event
    from seriktes.demo.loader import demo_already_loaded, load_demo
    from seriktes.demo.users import DEMO_PASSWORD, create_demo_users

    chosen = get_settings().demo_seed if seed is None else seed

    def action(
        session: Session,
    ) -> tuple[dict[str, int] | None, list[tuple[str, str]], dict[str, int] | None]:
        counts = None if if_empty and demo_already_loaded(session) else load_demo(session, chosen)
        return counts, create_demo_users(session), load_demo_event(session, chosen)

    counts, users, event = run(action)
    agreements = run(lambda session: load_demo_agreements(session, chosen))
    if counts is None:
        console.print("Demo data is already loaded.")
    else:
        console.print("Demo data loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if event is not None:
        console.print(
            f"Demo event «{DEMO_EVENT_TITLE}»: " + ", ".join(f"{v} {k}" for k, v in event.items())
        )
    if agreements is not None:
        console.print(
            "Demo memoranda and deals: " + ", ".join(f"{v} {k}" for k, v in agreements.items())
        )
    console.print(f"Demo logins (password «{DEMO_PASSWORD}»):")
    for email, scope in users:
        console.print(f"  {email:<26} {scope}")


@app.command("stats")
def stats(as_json: JsonOpt = False) -> None:
    """Print the number of rows of every main table."""
    from seriktes.analytics.stats import table_counts

    counts = run(table_counts)
    if as_json:
        print(json.dumps(counts))
        return
    for name, value in counts.items():
        console.print(f"{name:>18}  {value}")


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Server processes (one per core serves most).")
    ] = None,
    access_log: Annotated[
        bool | None, typer.Option("--access-log/--no-access-log", help="Log every request.")
    ] = None,
) -> None:
    """Serve the web UI and the API."""
    import uvicorn
    from pydantic import ValidationError

    from seriktes.config import get_settings

    try:
        settings = get_settings()
    except ValidationError as exc:
        reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise fail(f"cannot start: {reasons}") from None
    uvicorn.run(
        "seriktes.web.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        # a worker building its search engine is busy for a while: not a dead worker
        timeout_worker_healthcheck=120,
        access_log=settings.access_log if access_log is None else access_log,
        # X-Forwarded-For is read by the app, from SERIKTES_TRUSTED_PROXIES only
        proxy_headers=False,
        log_level="info",
    )


def main() -> None:
    """Entry point of the `seriktes` script: no traceback reaches the user."""
    try:
        app()
    except Exception as exc:
        if os.environ.get("SERIKTES_DEBUG"):
            raise
        runtime.err_console.print(
            f"Error: unexpected {type(exc).__name__}: {exc} (set SERIKTES_DEBUG=1 for details)"
        )
        sys.exit(2)

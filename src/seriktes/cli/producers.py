"""`seriktes import producers`: the registers of domestic producers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from sqlalchemy.orm import Session

from seriktes.cli import runtime
from seriktes.cli.runtime import cli_language, console, run

if TYPE_CHECKING:
    from seriktes.catalog.producers import Classify, ProducerReport
    from seriktes.matches.service import MatchRun

HELP = "\n\n".join(
    [
        "Import a register of domestic producers (CSV or XLSX); which one is told from its "
        "header row:",
        "- the registry of domestic producers (industrial certificates: BIN, KATO region, "
        "capacity, HS and KP VED codes);",
        "- ST-KZ certificates of origin (BIN, address, HS and KP VED codes, unit, "
        "local-content share);",
        "- ST-KZ certificates for serial production (number and date, producer and address, "
        "product and HS code in combined cells; no BIN: the producer is identified by its "
        "name and address and marked unverified).",
        "Creates or updates the organisations, their offers and one certificate per product. "
        "A product without a KP VED code gets the class the classifier derives (marked as "
        "derived) when KP VED codes are loaded (seriktes registry load-okpd2); otherwise it "
        "stays unclassified.",
        "Nothing is written when a row is invalid, unless --skip-invalid; importing the same "
        "file again changes nothing.",
    ]
)


def register(import_app: typer.Typer) -> None:
    """Add the `producers` command to `seriktes import`."""
    import_app.command("producers", help=HELP)(import_producers_command)


def import_producers_command(
    path: Annotated[Path, typer.Argument(help="File to read.", show_default=False)],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid rows and report the bad ones.")
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Where to write the bad rows (default FILE.errors.csv)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Import a register of domestic producers."""
    from seriktes.imports.kinds import KINDS, WriteOptions
    from seriktes.kit.importing import write_error_report
    from seriktes.kit.tabular import Source

    kind = KINDS["producers"]

    def action(session: Session) -> ProducerReport:
        classify = loaded_classifier(session)
        with runtime.progress_bar(f"Checking {path.name}") as advance:
            parsed = kind.parse(session, Source.read(path), advance)
            report = kind.write(session, parsed, WriteOptions(skip_invalid, lambda: classify))
        return cast("ProducerReport", report)  # the producers kind writes a ProducerReport

    result = run(action)
    if result.errors:
        target = report or path.with_name(path.name + ".errors.csv")
        write_error_report(target, result.errors, cli_language())
        runtime.err_console.print(
            f"{result.skipped} invalid row(s) skipped; see {target}", soft_wrap=True
        )
    matched = match_written(result.offer_ids)
    if as_json:
        shown = result.as_dict()
        if matched is not None:
            shown["matched"] = {"needs": matched.needs, "matches": matched.matches}
        console.print_json(json.dumps(shown, ensure_ascii=False))
        return
    for line in summary(result):
        console.print(line, soft_wrap=True)
    if matched is not None:
        console.print(
            f"{matched.needs} needs matched: {matched.matches} matches stored; "
            f"{matched.needs_without_match} needs without any offer."
        )


def match_written(offer_ids: list[int]) -> MatchRun | None:
    """The import's second step, in a transaction of its own once its rows are stored: match
    again the needs the offers it wrote (or whose certificates it changed) may rank for."""
    if not offer_ids:
        return None
    from seriktes.matches.incremental import match_lines

    def action(session: Session) -> MatchRun:
        with runtime.progress_bar("Matching the needs of these offers") as update:
            return match_lines(session, offer_ids=offer_ids, progress=update)

    return run(action)


def loaded_classifier(session: Session) -> Classify | None:
    """The database's KP VED classifier as (name, HS code) → class, built at its first use
    (a register whose products all have a class never needs it); None without KP VED codes."""
    from functools import cache

    from seriktes.matches.classify import product_classifier
    from seriktes.matches.service import build_classifier
    from seriktes.registry.models import ClassifierSystem
    from seriktes.registry.repository import has_codes

    if not has_codes(session, ClassifierSystem.KPVED):
        return None

    @cache
    def built() -> Classify | None:
        classifier = build_classifier(session)
        return None if classifier is None else product_classifier(classifier)

    def classify(text: str, hs_code: str | None) -> str | None:
        inner = built()
        return None if inner is None else inner(text, hs_code)

    return classify


def summary(result: ProducerReport) -> list[str]:
    """The report of a register import as lines of text."""
    lines = [
        f"{result.register} register {result.file}: {result.rows} rows read, "
        f"{result.skipped} skipped."
    ]
    for kind, counts in result.parts.items():
        lines.append(
            f"  {kind}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
    if result.classifier:
        lines.append(
            f"  KP VED classes derived by the classifier: {result.classes_derived} offers; "
            f"without a class: {result.unclassified}."
        )
    elif result.unclassified:
        lines.append(
            f"  No classifier loaded (load KP VED codes: seriktes registry load-okpd2): "
            f"{result.unclassified} offers left without a KP VED class."
        )
    return lines

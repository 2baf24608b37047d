"""`seriktes report`: the report of a region pair for a governors' meeting as a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from seriktes.cli.runtime import console, fail, run

report_app = typer.Typer(help="Reports of region pairs (HTML, PDF, XLSX).", no_args_is_help=True)

FORMATS = ("html", "pdf", "xlsx")


@report_app.command("pair")
def pair(
    host: Annotated[str, typer.Argument(help="Host region: KATO code (630000000) or ВКО.")],
    guest: Annotated[str, typer.Argument(help="Guest region: KATO code (590000000) or СКО.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or xlsx.")] = "html",
    lang: Annotated[str, typer.Option("--lang", help="ru, kk or en.")] = "ru",
    year: Annotated[
        int | None,
        typer.Option("--year", help="Year of the figures (default: the last year with turnover)."),
    ] = None,
) -> None:
    """Write the report of HOST ↔ GUEST: headline figures, charts and tables."""
    from seriktes.analytics.render import render
    from seriktes.analytics.report import pair_report
    from seriktes.config import get_settings

    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; use html, pdf or xlsx")
    if lang not in ("ru", "kk", "en"):
        raise fail(f"unknown language {lang!r}; use ru, kk or en")
    if year is not None and not 1990 <= year <= 2100:
        raise fail(f"year {year} is out of range")

    def action(session: Session) -> tuple[bytes, dict[str, str], str]:
        report = pair_report(session, host, guest, lang, year, get_settings().data_dir)
        figures = {
            item.key: item.text + (f" ({item.note})" if item.note else "")
            for item in report.headlines
        }
        return render(report, fmt), figures, report.grp.note or ""

    content, figures, note = run(action)
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from None
    for key, text in figures.items():
        console.print(f"{key:>24}  {text}")
    if note:
        console.print(f"Note: {note}")
    console.print(f"Report written to {out} ({len(content):,} bytes).")


def register(app: typer.Typer) -> None:
    """Add the `report` commands to the main app."""
    app.add_typer(report_app, name="report")

"""The pair report as HTML (Jinja2, SVG charts), PDF (WeasyPrint, PNG charts) or XLSX
(openpyxl: a sheet per table, the charts as images).

PDFs are HTML laid out by WeasyPrint with Pango and the DejaVu fonts of the system, as the
events' agendas are (`scripts/ensure-pdf-libs` installs them).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from seriktes.analytics.compute import SmeShare
from seriktes.analytics.labels import (
    LABELS,
    money,
    number,
    percent,
    sector_name,
    signed_percent,
    status_name,
)
from seriktes.analytics.report import FORMATS, PairReport, class_label
from seriktes.analytics.sections import BY_LETTER
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import N_

TEMPLATES = Path(__file__).resolve().parent / "templates"
MONEY_KPIS = frozenset({"turnover_kzt", "investment_kzt"})
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Embedded:
    """A chart as the page embeds it."""

    key: str
    title: str
    src: str  # a data: URL


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def section_rows(report: PairReport) -> list[tuple[str, str]]:
    """The KP VED sections with turnover in the year: (letter, name), the largest first."""
    totals: dict[str, Decimal] = {}
    for groups in report.sections.values():
        for letter, amount in groups.items():
            totals[letter] = totals.get(letter, Decimal(0)) + amount
    ordered = sorted(totals, key=lambda letter: (-totals[letter], letter))
    return [
        (letter, BY_LETTER[letter].name(report.lang) if letter in BY_LETTER else "")
        for letter in ordered
    ]


def sme_rows(report: PairReport) -> list[tuple[str, SmeShare, SmeShare]]:
    """Large buyers of the pair: name, matched share, contracted share."""
    empty = SmeShare()
    rows = []
    for buyer in report.sme.buyer_ids():
        ru, kk = report.sme.names.get(buyer, (str(buyer), None))
        name = kk if report.lang == "kk" and kk else ru
        matched = report.sme.matched_buyers.get(buyer, empty)
        contracted = report.sme.contracted_buyers.get(buyer, empty)
        rows.append((name, matched, contracted))
    return rows


def grp_rows(report: PairReport) -> list[tuple[str, int, Decimal, float | None, float | None]]:
    """GRP of both regions in their last two years: name, year, value, share, growth."""
    rows = []
    for region in (report.host, report.guest):
        latest = report.grp.latest_year(region.kato)
        if latest is None:
            continue
        for year in (latest - 1, latest):
            value = report.grp.value(region.kato, year)
            if value is not None:
                share = report.grp.national_share(region.kato, year)
                growth = report.grp.growth(region.kato, year)
                rows.append((region.name(report.lang), year, value, share, growth))
    return rows


def _amount(report: PairReport, value: Decimal, kpi: str) -> str:
    if kpi in MONEY_KPIS:
        return money(value, report.lang)
    digits = 0 if value == value.to_integral_value() else 1
    return number(value, report.lang, digits)


def _context(report: PairReport, image: str) -> dict[str, Any]:
    lang = report.lang
    charts = [
        Embedded(chart.key, chart.title, _data_url(chart.png, chart.svg, image))
        for chart in report.chart_list
    ]
    return {
        "r": report,
        "lang": lang,
        "t": LABELS[lang],
        "charts": charts,
        "money": lambda value: money(value, lang),
        "percent": lambda share: percent(share, lang),
        "signed": lambda share: signed_percent(share, lang),
        "number": lambda value: number(value, lang),
        "status_of": lambda status: status_name(lang, status),
        "amount": lambda value, kpi: _amount(report, value, kpi),
        "section_rows": section_rows(report),
        "class_rows": report.class_rows()[:20],
        "class_label": lambda item: class_label(item, lang),
        "sme_rows": sme_rows(report),
        "grp_rows": grp_rows(report),
        "division_names": report.division_names,
    }


def page_context(report: PairReport) -> dict[str, Any]:
    """What a web page showing the report needs (it brings its own `lang`)."""
    context = _context(report, "svg")
    del context["lang"]
    context["sectors_of"] = lambda memo: ", ".join(
        sector_name(report.lang, sector) for sector in memo.sectors
    )
    return context


def _data_url(png: bytes, svg: str, image: str) -> str:
    if image == "svg":
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return "data:image/png;base64," + base64.b64encode(png).decode()


def html(report: PairReport, image: str = "svg") -> str:
    """The report as one self-contained HTML page (charts as SVG, or PNG for print)."""
    environment = _environment()
    environment.filters["sector"] = lambda sector: sector_name(report.lang, sector)
    return environment.get_template("report.html").render(**_context(report, image))


def pdf(report: PairReport) -> bytes:
    """The report as an A4 PDF with PNG charts."""
    from weasyprint import HTML  # imported on first use: it loads Pango

    result: bytes = HTML(string=html(report, image="png")).write_pdf()
    return result


def render(report: PairReport, fmt: str) -> bytes:
    """The report in `fmt`: html, pdf or xlsx."""
    if fmt == "html":
        return html(report).encode("utf-8")
    if fmt == "pdf":
        return pdf(report)
    if fmt == "xlsx":
        from seriktes.analytics.workbook import xlsx

        return xlsx(report)
    raise ValidationFailed(
        N_("unknown report format %(fmt)s; use one of %(value)s"),
        params={"fmt": repr(fmt), "value": ", ".join(FORMATS)},
    )


def file_name(report: PairReport, fmt: str) -> str:
    """«report-630000000-590000000-2027-ru.pdf»."""
    return f"report-{report.host.kato}-{report.guest.kato}-{report.year}-{report.lang}.{fmt}"


def png_stream(png: bytes) -> io.BytesIO:
    """PNG bytes as a stream openpyxl can read."""
    return io.BytesIO(png)

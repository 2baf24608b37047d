"""The pair report as HTML (Jinja2, SVG charts), PDF (WeasyPrint, PNG charts) or XLSX
(openpyxl: a sheet per table, native charts, the method).

HTML and PDF are documents of `kit.documents`, as the events' agendas are: the template
`analytics/report.html` translates its English texts into the report's language.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from seriktes.analytics.labels import (
    RULES,
    money,
    number,
    percent,
    sector_name,
    signed_percent,
    status_name,
)
from seriktes.analytics.method import kpi_name, method_items
from seriktes.analytics.report import FORMATS, PairReport, class_label
from seriktes.analytics.tables import grp_rows, section_rows, sme_rows
from seriktes.analytics.workbook import xlsx
from seriktes.kit import documents
from seriktes.kit.dates import long_date, short_date
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import N_

TEMPLATE = "analytics/report.html"
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


def _amount(report: PairReport, value: Decimal, kpi: str) -> str:
    if kpi in MONEY_KPIS:
        return money(value, report.lang)
    digits = 0 if value == value.to_integral_value() else 1
    return number(value, report.lang, digits)


def _context(report: PairReport, image: str) -> dict[str, Any]:
    """What the report's template and its page show, in the report's language."""
    lang = report.lang
    charts = [
        Embedded(chart.key, chart.title, _data_url(chart.png, chart.svg, image))
        for chart in report.chart_list
    ]
    return {
        "r": report,
        "rule": RULES,
        "charts": charts,
        "money": lambda value: money(value, lang),
        "percent": lambda share: percent(share, lang),
        "signed": lambda share: signed_percent(share, lang),
        "number": lambda value: number(value, lang),
        "status_of": lambda status: status_name(lang, status),
        "sectors_of": lambda memo: ", ".join(sector_name(lang, s) for s in memo.sectors),
        "amount": lambda value, kpi: _amount(report, value, kpi),
        "section_rows": section_rows(report),
        "class_rows": report.class_rows()[:20],
        "class_label": lambda item: class_label(item, lang),
        "sme_rows": sme_rows(report),
        "grp_rows": grp_rows(report),
        "division_names": report.division_names,
        "long_date": lambda day: long_date(day, lang),
        "short_date": lambda day: short_date(day, lang),
        "kpi_name": lambda kpi: kpi_name(lang, kpi),
        "method": method_items(lang, report.comparison, report.generated),
    }


def page_context(report: PairReport) -> dict[str, Any]:
    """What a web page showing the report needs (it brings its own `lang` and `_`)."""
    return _context(report, "svg")


def _data_url(png: bytes, svg: str, image: str) -> str:
    if image == "svg":
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return "data:image/png;base64," + base64.b64encode(png).decode()


def html(report: PairReport, image: str = "svg") -> str:
    """The report as one self-contained HTML page (charts as SVG, or PNG for print)."""
    return documents.render_html(TEMPLATE, report.lang, **_context(report, image))


def pdf(report: PairReport) -> bytes:
    """The report as an A4 PDF with PNG charts."""
    return documents.pdf(html(report, image="png"))


def render(report: PairReport, fmt: str) -> bytes:
    """The report in `fmt`: html, pdf or xlsx."""
    if fmt == "html":
        return html(report).encode("utf-8")
    if fmt == "pdf":
        return pdf(report)
    if fmt == "xlsx":
        return xlsx(report)
    raise ValidationFailed(
        N_("unknown report format %(fmt)s; use one of %(value)s"),
        params={"fmt": repr(fmt), "value": ", ".join(FORMATS)},
    )


def file_name(report: PairReport, fmt: str) -> str:
    """«report-630000000-590000000-2027-ru.pdf»."""
    return f"report-{report.host.kato}-{report.guest.kato}-{report.year}-{report.lang}.{fmt}"

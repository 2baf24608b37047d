"""The pair report as an XLSX workbook: the headline figures, a sheet per table, the charts,
the method.

Amounts are numbers in KZT (shares as fractions with a percent format), dates are dates in
the language's format, so the figures can be summed and checked in a spreadsheet; the charts
are native Excel charts over the sheets' own cells (`charts_sheet`), so they follow the
numbers when someone corrects one. No column holds an internal key or code.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from seriktes.analytics.labels import RULES, Translate, sector_name, status_name, translator
from seriktes.analytics.method import kpi_name, method_items
from seriktes.analytics.report import PairReport, class_label
from seriktes.analytics.tables import grp_rows, section_rows, sme_rows
from seriktes.analytics.xlsx_charts import charts_sheet
from seriktes.kit.dates import excel_format, long_date
from seriktes.kit.exports import text_cells

MONEY = "#,##0"
SHARE = "0.0%"
BOLD = Font(bold=True)


def _sheet(book: Workbook, title: str, header: Sequence[str]) -> Worksheet:
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    return sheet


def _row(sheet: Worksheet, values: Sequence[Any], formats: Sequence[str | None] = ()) -> None:
    sheet.append([float(v) if isinstance(v, Decimal) else v for v in values])
    for cell, number_format in zip(sheet[sheet.max_row], formats, strict=False):
        if number_format:
            cell.number_format = number_format


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def xlsx(report: PairReport) -> bytes:
    """The report as XLSX bytes."""
    _ = translator(report.lang)
    book = Workbook()
    book.remove(book.active)
    _summary(book, report, _)
    months = _months(book, report, _)
    _sections(book, report, _)
    potential = _potential(book, report, _)
    _tci(book, report, _)
    _memoranda(book, report, _)
    _sme(book, report, _)
    _grp(book, report, _)
    charts_sheet(book, report, months, potential)
    _method(book, report, _)
    text_cells(book)  # names and numbers typed by people are never formulas
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(book: Workbook, report: PairReport, _: Translate) -> None:
    header = [_("Figure"), _.pgettext("report", "Value"), _.pgettext("report", "As written")]
    sheet = _sheet(book, _.pgettext("report", "Summary"), header)
    title = _("{host} ↔ {guest}: interregional cooperation").format(
        host=report.short(report.host.kato), guest=report.short(report.guest.kato)
    )
    sheet.insert_rows(1, 3)
    sheet["A1"], sheet["A2"] = (
        title,
        _("Brief for the governors' meeting, {year}").format(year=report.year),
    )
    sheet["A3"] = f"{_('Generated')} {long_date(report.generated, report.lang)}"
    sheet.freeze_panes = "A5"
    sheet["A1"].font = Font(bold=True, size=14)
    for item in report.headlines:
        share = item.key in {"commitments_achieved", "sme_contracted"}
        plain = item.key.startswith(("tci", "deals"))
        fmt = SHARE if share else (None if plain else MONEY)
        value = item.value
        if item.key.startswith("grp") and isinstance(value, Decimal):
            value = value * 1_000_000  # the file's million KZT as KZT, like the other amounts
        _row(
            sheet,
            [item.label, value, item.text + (f" ({item.note})" if item.note else "")],
            [None, fmt],
        )
    _row(sheet, [_(RULES["confirmed"])])
    _widths(sheet, [70, 18, 60])


def _months(book: Workbook, report: PairReport, _: Translate) -> Worksheet:
    names = [report.direction_name(d) for d in report.directions]
    sheet = _sheet(book, _.pgettext("report", "Turnover by month"), [_("Month"), *names])
    for month in report.months:  # rows 2–13: the turnover chart's cells
        values = [report.monthly[d].get(month, Decimal(0)) for d in report.directions]
        _row(sheet, [report.month_label(month), *values], [None, MONEY, MONEY])
    totals = [report.totals.get(report.year, {}).get(d, Decimal(0)) for d in report.directions]
    _row(sheet, [_("Total"), *totals], [None, MONEY, MONEY])
    _widths(sheet, [14, 22, 22])
    return sheet


def _sections(book: Workbook, report: PairReport, _: Translate) -> None:
    names = [report.direction_name(d) for d in report.directions]
    header = [_.pgettext("report", "Letter"), _("KP VED section"), *names]
    sheet = _sheet(book, _("Turnover by section"), header)
    for letter, name in section_rows(report):
        values = [report.sections[d].get(letter, Decimal(0)) for d in report.directions]
        _row(sheet, [letter, name, *values], [None, None, MONEY, MONEY])
    _widths(sheet, [10, 50, 22, 22])


def _potential(book: Workbook, report: PairReport, _: Translate) -> Worksheet:
    header = [
        _.pgettext("report", "Buyers' region"),
        _.pgettext("report", "KP VED class"),
        _("Bought from far abroad"),
        _("Partner region can supply"),
        _.pgettext("report", "Needs"),
    ]
    sheet = _sheet(book, _("Import substitution"), [*header, _("With a matching producer")])
    for kato, item in report.class_rows():
        values: list[Any] = [report.short(kato), class_label(item, report.lang)]
        values += [item.far_value, item.matched_value, item.needs, item.matched_needs]
        _row(sheet, values, [None, None, MONEY, MONEY])
    _widths(sheet, [14, 60, 20, 20, 12, 14])
    return sheet


def _tci(book: Workbook, report: PairReport, _: Translate) -> None:
    header = [
        _("Division (2 digits)"),
        _("Share of needs"),
        _("Share of offers"),
        _("Overlap"),
        "TCI",
    ]
    sheet = _sheet(book, _("Complementarity"), header)
    for tci in report.tci:
        title = _("Complementarity: needs of {buyer} and offers of {supplier} (TCI)").format(
            buyer=report.short(tci.buyers), supplier=report.short(tci.producers)
        )
        _row(sheet, [title, None, None, None, tci.result.index], [None, None, None, None, "0.0"])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        for fit in tci.result.fits:
            name = report.division_names.get(fit.group, fit.group)
            values = [name, fit.need_share, fit.offer_share, fit.overlap]
            _row(sheet, values, [None, SHARE, SHARE, SHARE])
    _row(sheet, [_(RULES["tci"])])
    _widths(sheet, [70, 14, 14, 12, 10])


def _memoranda(book: Workbook, report: PairReport, _: Translate) -> None:
    header = [_("Number"), _("Memorandum"), _("Signed"), _("Commitment"), _("Indicator")]
    header.append(_("Target"))
    sheet = _sheet(
        book,
        _("Memoranda"),
        [*header, _.pgettext("report", "Achieved"), _("Deadline"), _("Status")],
    )
    day = excel_format(report.lang)
    for memo in report.execution.memoranda:
        sectors = ", ".join(sector_name(report.lang, sector) for sector in memo.sectors)
        for c in memo.commitments:
            values: list[Any] = [memo.number, f"{memo.title} ({sectors})", memo.signed_on]
            values += [c.title, kpi_name(report.lang, c.kpi)]
            values += [c.target, c.value, c.deadline, status_name(report.lang, c.status)]
            _row(sheet, values, [None, None, day, None, None, MONEY, MONEY, day])
    _row(sheet, [_(RULES["status"])])
    _widths(sheet, [14, 50, 12, 50, 24, 16, 16, 12, 14])


def _sme(book: Workbook, report: PairReport, _: Translate) -> None:
    header = [
        _.pgettext("report", "Buyer"),
        _("Matched, total"),
        _("SME share of matched"),
        _("Contracted, total"),
    ]
    sheet = _sheet(book, _("SMEs"), [*header, _("SME share of contracts")])
    for name, matched, contracted in sme_rows(report):
        values = [name, matched.total, matched.share, contracted.total, contracted.share]
        _row(sheet, values, [None, MONEY, SHARE, MONEY, SHARE])
    _row(sheet, [_(RULES["sme"])])
    _widths(sheet, [50, 20, 14, 20, 14])


def _grp(book: Workbook, report: PairReport, _: Translate) -> None:
    header = [
        _("Region"),
        _("Year"),
        _("GRP, million KZT"),
        _("Share of the country"),
        _("Growth on the year before"),
    ]
    sheet = _sheet(book, _("GRP"), header)
    for name, year, value, share, growth in grp_rows(report):
        _row(sheet, [name, year, value, share, growth], [None, None, "#,##0.0", SHARE, SHARE])
    if report.grp.note:
        _row(sheet, [_(RULES["no_grp"])])
    _widths(sheet, [36, 8, 18, 16, 16])


def _method(book: Workbook, report: PairReport, _: Translate) -> None:
    sheet = _sheet(book, _.pgettext("report", "Method"), [_("Rule"), _("What it says")])
    for item in method_items(report.lang, report.comparison, report.generated):
        _row(sheet, [item.heading, item.text])
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True)
    _widths(sheet, [28, 110])

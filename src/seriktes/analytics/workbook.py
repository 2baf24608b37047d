"""The pair report as an XLSX workbook: the headline figures, a sheet per table, the charts.

Amounts are numbers in KZT (shares as fractions with a percent format), so the figures can
be summed and checked in a spreadsheet; the charts are the report's PNG images.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from seriktes.analytics.labels import RULES, Translate, sector_name, status_name, translator
from seriktes.analytics.report import PairReport, class_label
from seriktes.analytics.tables import grp_rows, section_rows, sme_rows
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
    _months(book, report, _)
    _sections(book, report, _)
    _potential(book, report, _)
    _tci(book, report, _)
    _memoranda(book, report, _)
    _sme(book, report, _)
    _grp(book, report, _)
    charts = book.create_sheet(_("Charts")[:31])
    row = 1
    for chart in report.chart_list:
        charts.cell(row=row, column=1, value=chart.title).font = BOLD
        image = Image(io.BytesIO(chart.png))
        image.width, image.height = image.width * 0.5, image.height * 0.5
        charts.add_image(image, f"A{row + 1}")
        row += int(image.height / 20) + 3
    text_cells(book)  # names and numbers typed by people are never formulas
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(book: Workbook, report: PairReport, _: Translate) -> None:
    sheet = _sheet(book, _.pgettext("report", "Summary"), [_("Figure"), "", "", "key"])
    title = _("{host} ↔ {guest}: interregional cooperation").format(
        host=report.short(report.host.kato), guest=report.short(report.guest.kato)
    )
    sheet.insert_rows(1, 2)
    sheet["A1"], sheet["A2"] = (
        title,
        _("Brief for the governors' meeting, {year}").format(year=report.year),
    )
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
            [item.label, value, item.text + (f" ({item.note})" if item.note else ""), item.key],
            [None, fmt],
        )
    _row(sheet, [_(RULES["confirmed"]), None, None, "confirmed_only"])
    _widths(sheet, [70, 18, 36, 24])


def _months(book: Workbook, report: PairReport, _: Translate) -> None:
    names = [report.direction_name(d) for d in report.directions]
    sheet = _sheet(book, _.pgettext("report", "Turnover by month"), [_("Month"), *names])
    for month in report.months:
        values = [report.monthly[d].get(month, Decimal(0)) for d in report.directions]
        _row(sheet, [month, *values], [None, MONEY, MONEY])
    totals = [report.totals.get(report.year, {}).get(d, Decimal(0)) for d in report.directions]
    _row(sheet, [_("Total"), *totals], [None, MONEY, MONEY])
    _widths(sheet, [14, 22, 22])


def _sections(book: Workbook, report: PairReport, _: Translate) -> None:
    names = [report.direction_name(d) for d in report.directions]
    sheet = _sheet(book, _("Turnover by section"), [_("KP VED section"), "", *names])
    for letter, name in section_rows(report):
        values = [report.sections[d].get(letter, Decimal(0)) for d in report.directions]
        _row(sheet, [letter, name, *values], [None, None, MONEY, MONEY])
    _widths(sheet, [10, 50, 22, 22])


def _potential(book: Workbook, report: PairReport, _: Translate) -> None:
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


def _tci(book: Workbook, report: PairReport, _: Translate) -> None:
    header = [
        "TCI",
        _("Division (2 digits)"),
        "",
        _("Share of needs"),
        _("Share of offers"),
        _("Overlap"),
    ]
    sheet = _sheet(book, _("Complementarity"), header)
    for tci in report.tci:
        title = _("Complementarity: needs of {buyer} and offers of {supplier} (TCI)").format(
            buyer=report.short(tci.buyers), supplier=report.short(tci.producers)
        )
        _row(sheet, [title, None, None, None, None, tci.result.index])
        for fit in tci.result.fits:
            name = report.division_names.get(fit.group, "")
            values = ["", fit.group, name, fit.need_share, fit.offer_share, fit.overlap]
            _row(sheet, values, [None, None, None, SHARE, SHARE, SHARE])
    _row(sheet, [_(RULES["tci"])])
    _widths(sheet, [50, 10, 40, 14, 14, 12])


def _memoranda(book: Workbook, report: PairReport, _: Translate) -> None:
    header = [_("Number"), _("Memorandum"), _("Signed"), _("Commitment"), "KPI", _("Target")]
    sheet = _sheet(
        book,
        _("Memoranda"),
        [*header, _.pgettext("report", "Achieved"), _("Deadline"), _("Status")],
    )
    for memo in report.execution.memoranda:
        sectors = ", ".join(sector_name(report.lang, sector) for sector in memo.sectors)
        for c in memo.commitments:
            values: list[Any] = [memo.number, f"{memo.title} ({sectors})", memo.signed_on]
            values += [c.title, c.kpi]
            values += [c.target, c.value, c.deadline, status_name(report.lang, c.status)]
            _row(sheet, values, [None, None, "yyyy-mm-dd", None, None, MONEY, MONEY, "yyyy-mm-dd"])
    _row(sheet, [_(RULES["status"])])
    _widths(sheet, [14, 50, 12, 50, 16, 16, 16, 12, 14])


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

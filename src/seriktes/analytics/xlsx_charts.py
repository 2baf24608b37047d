"""The workbook's charts: native Excel charts (openpyxl.chart) over the workbook's own cells.

The turnover chart reads the months sheet, the opportunities chart the import-substitution
sheet, the memoranda chart a table of commitments by status on the charts sheet itself; a
reader who corrects a number sees the chart follow.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from seriktes.analytics.labels import STATUS_ORDER, status_name, translator
from seriktes.analytics.report import TOP, PairReport

MONTH_ROWS = (2, 13)  # January to December on the months sheet
HEIGHT, WIDTH = 8.0, 18.0  # cm
COLOURS = ("00718F", "E0A526", "7A8C99", "B8453A")
STATUS_COLOURS = {"achieved": "2E7D4F", "on_track": "00718F", "at_risk": "E0A526"}
STATUS_COLOURS["overdue"] = "B8453A"


def _style(chart: BarChart, title: str, colours: tuple[str, ...]) -> BarChart:
    chart.title = title
    chart.height, chart.width = HEIGHT, WIDTH
    for series, colour in zip(chart.series, colours, strict=False):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    return chart


def _text_categories(chart: BarChart, categories: Reference) -> None:
    """Categories read as text (month and class names), not as numbers."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(categories)))


def turnover_chart(report: PairReport, months: Worksheet) -> BarChart:
    """Clustered monthly columns, one series per direction of supplies."""
    _ = translator(report.lang)
    first, last = MONTH_ROWS
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    data = Reference(months, min_col=2, max_col=3, min_row=first - 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    _text_categories(chart, Reference(months, min_col=1, min_row=first, max_row=last))
    chart.y_axis.title = _("KZT")
    chart.y_axis.numFmt = "#,##0"
    title = _("Turnover by month, {year}").format(year=report.year)
    return _style(chart, title, COLOURS)


def opportunities_chart(report: PairReport, potential: Worksheet) -> BarChart | None:
    """Horizontal bars of the largest opportunities: what the partner can supply of what is
    bought from far abroad (the sheet's first rows, which are sorted by the first)."""
    rows = report.class_rows()
    shown = 0
    while shown < min(TOP, len(rows)) and rows[shown][1].matched_value > 0:
        shown += 1
    if not shown:
        return None
    _ = translator(report.lang)
    chart = BarChart()
    chart.type, chart.grouping = "bar", "clustered"
    for column in (4, 3):  # partner can supply, bought from far abroad
        data = Reference(potential, min_col=column, min_row=1, max_row=shown + 1)
        chart.add_data(data, titles_from_data=True)
    _text_categories(chart, Reference(potential, min_col=2, min_row=2, max_row=shown + 1))
    chart.x_axis.scaling.orientation = "maxMin"  # the largest on top, as in the sheet
    chart.y_axis.numFmt = "#,##0"
    return _style(chart, _("Largest import-substitution opportunities"), COLOURS)


def memoranda_chart(report: PairReport, sheet: Worksheet) -> BarChart | None:
    """Stacked bars of each memorandum's commitments by status, over a table written at the
    top left of `sheet`."""
    memoranda = [memo for memo in report.execution.memoranda if memo.commitments]
    if not memoranda:
        return None
    _ = translator(report.lang)
    sheet.append([_("Memorandum"), *(status_name(report.lang, s) for s in STATUS_ORDER)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for memo in memoranda:
        counts = memo.execution.statuses
        sheet.append([f"{memo.number} {memo.title}", *(counts.get(s, 0) for s in STATUS_ORDER)])
    last = len(memoranda) + 1
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    data = Reference(sheet, min_col=2, max_col=1 + len(STATUS_ORDER), min_row=1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    _text_categories(chart, Reference(sheet, min_col=1, min_row=2, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"
    colours = tuple(STATUS_COLOURS[s] for s in STATUS_ORDER)
    return _style(chart, _("Memoranda commitments by status"), colours)


def charts_sheet(
    book: Workbook, report: PairReport, months: Worksheet, potential: Worksheet
) -> Worksheet:
    """The «Charts» sheet: the memoranda's status table and the three charts beside it."""
    _ = translator(report.lang)
    sheet = book.create_sheet(_("Charts")[:31])
    found = [
        turnover_chart(report, months),
        opportunities_chart(report, potential),
        memoranda_chart(report, sheet),
    ]
    sheet.column_dimensions["A"].width = 50
    row = 1
    for chart in found:
        if chart is not None:
            sheet.add_chart(chart, f"H{row}")
            row += 18
    return sheet

"""Exported files safe to open: a text that begins like a formula (`=`, `+`, `-`, `@`, a tab
or a carriage return) is written as text, never as a formula a spreadsheet would run
(CSV injection; a memorandum numbered «=HYPERLINK(…)»)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for a text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    """A value for a CSV cell: a formula-like text gets a leading apostrophe, which
    spreadsheets show as text and do not run."""
    return f"'{value}" if looks_like_formula(value) else value


def csv_row(values: Sequence[object]) -> list[object]:
    """A row of CSV cells, each made safe by `csv_cell`."""
    return [csv_cell(value) for value in values]


def text_cells(book: Workbook) -> None:
    """Make every formula-like text of `book` a string cell (openpyxl turns a text that
    begins with `=` into a formula); the value shown stays the same."""
    for sheet in book.worksheets:
        rows: Iterable[tuple[object, ...]] = sheet.iter_rows()
        for row in rows:
            for cell in row:
                if looks_like_formula(getattr(cell, "value", None)):
                    cell.data_type = "s"  # type: ignore[attr-defined]

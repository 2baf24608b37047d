"""The report's workbook as a reader opens it: no internal columns, names in words, native
charts over its own cells, the method sheet."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart
from sqlalchemy.orm import Session

from seriktes.analytics.render import render
from seriktes.analytics.report import PairReport, pair_report
from tests.analytics.builders import SKO, pair_world

TODAY = date(2026, 11, 27)


def _book(session: Session, lang: str) -> tuple[PairReport, Workbook]:
    pair_world(session)
    report = pair_report(session, "ВКО", SKO, lang, None, Path("/absent"), TODAY)
    return report, load_workbook(io.BytesIO(render(report, "xlsx")))


def _values(book: Workbook) -> list[object]:
    return [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_native_charts_read_back_over_the_sheets_cells(db_session: Session, lang: str) -> None:
    _report, book = _book(db_session, lang)
    months, potential = book.worksheets[1].title, book.worksheets[3].title
    charts = book.worksheets[-2]
    assert not charts._images
    trend, opportunities = charts._charts
    assert isinstance(trend, BarChart) and isinstance(opportunities, BarChart)
    assert [s.val.numRef.f for s in trend.series] == [
        f"'{months}'!$B$2:$B$13",
        f"'{months}'!$C$2:$C$13",
    ]
    assert trend.series[0].cat.strRef.f == f"'{months}'!$A$2:$A$13"
    # the one class a partner producer matches: can supply (D) and bought from far abroad (C)
    assert [s.val.numRef.f for s in opportunities.series] == [
        f"'{potential}'!$D$2",
        f"'{potential}'!$C$2",
    ]
    assert opportunities.series[0].cat.strRef.f == f"'{potential}'!$B$2"
    # the cells the trend reads hold the monthly turnover, month names in the language
    sheet = book[months]
    assert sheet["B4"].value == 6_000_000 and sheet["B5"].value == 5_000_000
    assert sheet["A4"].value == {"ru": "март", "kk": "наурыз", "en": "March"}[lang]


def test_no_internal_keys_and_no_empty_columns(db_session: Session) -> None:
    report, book = _book(db_session, "ru")
    values = _values(book)
    for key in {item.key for item in report.headlines} | {"confirmed_only", "key"}:
        assert key not in values
    for sheet in book.worksheets[1:-2]:  # tables with their header on the first row
        header = [cell.value for cell in sheet[1]]
        assert all(header), (sheet.title, header)
    summary = book.worksheets[0]
    assert [cell.value for cell in summary[4]] == ["Показатель", "Значение", "В тексте справки"]


def test_divisions_in_words_without_the_classifier(db_session: Session) -> None:
    _report, book = _book(db_session, "ru")
    rows = list(book["Взаимодополняемость"].iter_rows(min_row=2, values_only=True))
    divisions = [row[0] for row in rows if row[1] is not None]
    assert divisions and all(isinstance(name, str) for name in divisions)
    assert "раздел 28 (Продукция обрабатывающих производств)" in divisions
    assert not any(str(name).strip().isdigit() for name in divisions)


@pytest.mark.parametrize(
    ("lang", "date_text"),
    [
        ("ru", "27 ноября 2026\u00a0г."),
        ("kk", "2026 жылғы 27 қараша"),
        ("en", "27 November 2026"),
    ],
)
def test_the_method_sheet_states_every_rule(db_session: Session, lang: str, date_text: str) -> None:
    _report, book = _book(db_session, lang)
    method = book.worksheets[-1]
    texts = [row[1] for row in method.iter_rows(min_row=2, values_only=True)]
    assert len(texts) == 10 and all(texts)
    assert date_text in texts[0]  # the date of the data
    assert "goszakup.gov.kz" in texts[-1]
    generated = {"ru": "Сформировано", "kk": "Жасалған уақыты", "en": "Generated"}[lang]
    assert book.worksheets[0]["A3"].value == f"{generated} {date_text}"

"""`seriktes report pair ВКО СКО` on the demo data in Russian, Kazakh and English, as issue
21 asks: no comparison over non-comparable periods, dates in each language's format, native
charts in the XLSX that openpyxl reads back as charts."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart

from seriktes.kit import clock
from seriktes.kit.dates import long_date

NO_PERIOD = {
    "ru": "Нет сопоставимого периода",
    "kk": "Салыстырмалы кезең жоқ",
    "en": "No comparable period",
}
KPI_WORDS = {
    "ru": {"Товарооборот, ₸", "Число договоров", "Объём поставок", "Инвестиции, ₸"}
    | {"Создано рабочих мест", "Проведено мероприятий"},
    "kk": {"Тауар айналымы, ₸", "Шарттар саны", "Жеткізілім көлемі", "Инвестициялар, ₸"}
    | {"Құрылған жұмыс орындары", "Өткізілген іс-шаралар"},
    "en": {"Trade turnover, KZT", "Number of contracts", "Supply volume", "Investment, KZT"}
    | {"Jobs created", "Events held"},
}
KPI_CODES = {"turnover_kzt", "contracts_count", "supply_volume", "investment_kzt", "jobs"}
KPI_CODES |= {"events_held"}
ISO_DAY = re.compile(r"\b20\d\d-[01]\d-[0-3]\d\b")


def seriktes(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SERIKTES_DATABASE_URL": f"sqlite:///{db}",
        "SERIKTES_DEMO_SEED": "2026",
        "COLUMNS": "400",
    }
    return subprocess.run(
        [sys.executable, "-m", "seriktes", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make run`'s data: migrate, `seriktes demo`, `seriktes match`."""
    db = tmp_path_factory.mktemp("demo-report") / "demo.db"
    for args in (("db", "upgrade"), ("demo",), ("match",)):
        result = seriktes(db, *args)
        assert result.returncode == 0, result.stderr
    return db


def _first_record(db: Path) -> date:
    """The first confirmed deal or delivery of the demo, read with plain SQL."""
    with sqlite3.connect(db) as connection:
        days = connection.execute(
            "SELECT min(signed_on) FROM deals WHERE confirmation = 'confirmed' "
            "AND status <> 'cancelled' UNION ALL SELECT min(v.delivered_on) FROM deliveries v "
            "JOIN deals d ON d.id = v.deal_id WHERE d.confirmation = 'confirmed' "
            "AND d.status <> 'cancelled' AND v.amount_kzt IS NOT NULL"
        ).fetchall()
    return min(date.fromisoformat(str(day)[:10]) for (day,) in days if day)


def _report(db: Path, tmp: Path, lang: str, fmt: str) -> tuple[str, bytes]:
    out = tmp / f"report-{lang}.{fmt}"
    result = seriktes(
        db, "report", "pair", "ВКО", "СКО", "--lang", lang, "--format", fmt, "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, out.read_bytes()


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_no_comparison_over_a_part_of_the_previous_year(
    demo_db: Path, tmp_path: Path, lang: str
) -> None:
    """The demo's deals begin in November 2025: 2026 is not compared with them."""
    stdout, page = _report(demo_db, tmp_path, lang, "html")
    turnover = next(line for line in stdout.splitlines() if line.strip().startswith("turnover "))
    assert NO_PERIOD[lang] in turnover and "%" not in turnover
    assert long_date(_first_record(demo_db), lang) in turnover
    text = re.sub(r"data:[^\"]+", "", page.decode())
    assert NO_PERIOD[lang] in text
    assert ISO_DAY.findall(text) == []  # no ISO dates anywhere in the report


@pytest.mark.parametrize(
    ("lang", "generated"),
    [("ru", "Сформировано "), ("kk", "Жасалған уақыты "), ("en", "Generated ")],
)
def test_dates_in_the_language_and_a_method_appendix(
    demo_db: Path, tmp_path: Path, lang: str, generated: str
) -> None:
    _stdout, page = _report(demo_db, tmp_path, lang, "html")
    text = page.decode()
    assert generated + long_date(clock.today(), lang) in text
    assert 'data-appendix="method"' in text
    for rule in ("data", "confirmed", "comparison", "bands", "sources"):
        assert f'data-rule="{rule}"' in text
    if lang == "kk":  # one PDF: the same template, and slow to render
        _stdout, pdf = _report(demo_db, tmp_path, lang, "pdf")
        assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_workbook_has_native_charts_and_words(demo_db: Path, tmp_path: Path, lang: str) -> None:
    _stdout, content = _report(demo_db, tmp_path, lang, "xlsx")
    book = load_workbook(io.BytesIO(content))
    charts = book.worksheets[-2]
    assert len(charts._charts) == 3 and not charts._images
    assert all(isinstance(chart, BarChart) for chart in charts._charts)
    months = book.worksheets[1].title
    trend = charts._charts[0]
    assert [s.val.numRef.f for s in trend.series] == [
        f"'{months}'!$B$2:$B$13",
        f"'{months}'!$C$2:$C$13",
    ]
    memoranda = book.worksheets[5]
    rows = list(memoranda.iter_rows(min_row=2))
    kpis = {row[4].value for row in rows if row[3].value}
    assert kpis and kpis <= KPI_WORDS[lang] and not kpis & KPI_CODES
    signed = next(row[2] for row in rows if row[3].value)
    assert isinstance(signed.value, datetime)
    assert signed.number_format == ("D MMM YYYY" if lang == "en" else "DD.MM.YYYY")
    method = book.worksheets[-1]
    assert method.max_row == 11  # the header and ten rules

"""Done when (issue 6): on the demo data the ВКО ↔ СКО report renders in HTML, PDF and XLSX,
and its figures, recomputed here from the deals and deliveries tables with plain SQL and
Python sums (none of the analytics code), are equal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.orm import Session

from seriktes.analytics.render import render
from seriktes.analytics.report import PairReport, pair_report
from seriktes.kit.db import make_engine

VKO, SKO = "63", "59"
SME = {"micro", "small", "medium"}


@dataclass
class Demo:
    """The demo database, its ВКО ↔ СКО report and the three files."""

    session: Session
    report: PairReport
    files: dict[str, bytes]


def _cli(db: Path, *args: str) -> None:
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{db}", "SERIKTES_DEMO_SEED": "2026"}
    result = subprocess.run(
        [sys.executable, "-m", "seriktes", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """`make run`'s data: migrate, `seriktes demo`, `seriktes match`; then the report."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    _cli(db, "db", "upgrade")
    _cli(db, "demo")
    _cli(db, "match")
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        report = pair_report(session, "ВКО", "СКО", "ru", None, Path("/absent"))
        files = {fmt: render(report, fmt) for fmt in ("html", "pdf", "xlsx")}
        yield Demo(session, report, files)
    engine.dispose()


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _recomputed(session: Session) -> dict[str, Any]:
    """The report's deal figures from the tables: turnover is, per deal not cancelled between
    the two regions, its valued deliveries on their dates, else its amount on its date."""
    deals = session.execute(
        text(
            "SELECT d.id, d.signed_on, d.amount_kzt, d.status, rb.kato, rs.kato, "
            "ob.size_class, os.size_class "
            "FROM deals d "
            "JOIN organisations ob ON ob.id = d.buyer_id JOIN regions rb ON rb.id = ob.region_id "
            "JOIN organisations os ON os.id = d.supplier_id JOIN regions rs ON rs.id = os.region_id"
        )
    ).all()
    delivered: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for deal_id, day, amount in session.execute(
        text(
            "SELECT deal_id, delivered_on, amount_kzt FROM deliveries WHERE amount_kzt IS NOT NULL"
        )
    ):
        delivered[deal_id].append((_day(day), float(amount)))
    flows: list[tuple[str, date, float]] = []  # (direction, day, amount)
    signed: list[tuple[date, float, str, str]] = []
    for deal_id, day, amount, status, buyer, supplier, buyer_size, supplier_size in deals:
        pair = (supplier[:2], buyer[:2])
        if status == "cancelled" or set(pair) != {VKO, SKO}:
            continue
        direction = "guest_to_host" if pair == (SKO, VKO) else "host_to_guest"
        for when, value in delivered.get(deal_id) or [(_day(day), float(amount))]:
            flows.append((direction, when, value))
        signed.append((_day(day), float(amount), buyer_size or "", supplier_size or ""))
    year = max(day.year for _, day, _ in flows)
    found: dict[str, Any] = {"year": year, "months": defaultdict(float)}
    for direction in ("guest_to_host", "host_to_guest"):
        found[direction] = sum(v for d, day, v in flows if d == direction and day.year == year)
    for direction, day, value in flows:
        if day.year == year:
            found["months"][(direction, f"{year}-{day.month:02d}")] += value
    this_year = [row for row in signed if row[0].year == year]
    found["contracted"] = sum(amount for _, amount, _, _ in this_year)
    found["deals"] = len(this_year)
    large = [row for row in this_year if row[2] == "large"]
    found["sme_share"] = sum(a for _, a, _, size in large if size in SME) / sum(
        a for _, a, _, _ in large
    )
    return found


def test_the_demo_has_deals_between_the_regions(demo: Demo) -> None:
    count = demo.session.scalar(text("SELECT count(*) FROM deals"))
    assert count and count > 50, "seriktes demo records a year of deals between ВКО and СКО"


def test_report_figures_equal_sums_of_the_deals_table(demo: Demo) -> None:
    expected = _recomputed(demo.session)
    book = load_workbook(io.BytesIO(demo.files["xlsx"]))
    words = {item.label: item.key for item in demo.report.headlines}
    summary = {
        words[row[0]]: row[1]
        for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)
        if row[0] in words
    }
    assert demo.report.year == expected["year"]
    host, guest = expected["guest_to_host"], expected["host_to_guest"]
    assert host > 0 and guest > 0
    assert summary["turnover_guest_to_host"] == pytest.approx(host, abs=0.01)
    assert summary["turnover_host_to_guest"] == pytest.approx(guest, abs=0.01)
    assert summary["turnover"] == pytest.approx(host + guest, abs=0.01)
    assert summary["contracted"] == pytest.approx(expected["contracted"], abs=0.01)
    assert summary["deals"] == expected["deals"]
    assert summary["sme_contracted"] == pytest.approx(expected["sme_share"])

    months = book.worksheets[1]
    header = [cell.value for cell in months[1]]
    assert header[1:] == ["СКО → ВКО", "ВКО → СКО"]
    rows = months.iter_rows(min_row=2, max_row=13, values_only=True)
    for number, (_name, first, second) in enumerate(rows, start=1):
        month = f"{expected['year']}-{number:02d}"
        assert first == pytest.approx(expected["months"][("guest_to_host", month)], abs=0.01)
        assert second == pytest.approx(expected["months"][("host_to_guest", month)], abs=0.01)
    sections = book.worksheets[2]
    by_section = [row[2:4] for row in sections.iter_rows(min_row=2, values_only=True)]
    assert sum(row[0] for row in by_section) == pytest.approx(host, abs=0.01)
    assert sum(row[1] for row in by_section) == pytest.approx(guest, abs=0.01)


def test_report_renders_in_three_formats(demo: Demo) -> None:
    page = demo.files["html"].decode()
    turnover = next(item for item in demo.report.headlines if item.key == "turnover")
    assert "ВКО ↔ СКО: межрегиональное сотрудничество" in page
    assert f'data-key="turnover"><span class="value">{turnover.text}</span>' in page
    assert page.count("data:image/svg+xml;base64,") == 3  # trend, opportunities, memoranda
    assert demo.files["pdf"].startswith(b"%PDF-") and len(demo.files["pdf"]) > 50_000
    book = load_workbook(io.BytesIO(demo.files["xlsx"]))
    assert len(book.sheetnames) == 10
    assert len(book["Графики"]._charts) == 3 and not book["Графики"]._images
    memoranda = book["Меморандумы"]
    commitments = demo.session.scalar(
        text(
            "SELECT count(*) FROM commitments c JOIN memoranda m ON m.id = c.memorandum_id "
            "WHERE m.status <> 'draft'"
        )
    )
    rows = [row for row in memoranda.iter_rows(min_row=2, values_only=True) if row[3]]
    assert len(rows) == commitments

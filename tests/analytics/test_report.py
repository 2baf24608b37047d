"""The pair report on a small world: its figures, and the same figures in HTML, PDF and XLSX."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from seriktes.analytics.render import render
from seriktes.analytics.report import PairReport, pair_report
from seriktes.kit.errors import ValidationFailed
from seriktes.registry.models import SizeClass
from tests.analytics.builders import SKO, VKO, match, need, offer, org, pair_world

M = 1_000_000
TODAY = date(2026, 11, 27)


def _report(session: Session, lang: str = "ru", data_dir: Path | None = None) -> PairReport:
    return pair_report(session, "ВКО", "590000000", lang, None, data_dir or Path("/absent"), TODAY)


def test_headline_figures(db_session: Session) -> None:
    pair_world(db_session)
    report = _report(db_session)
    figures = report.figures()
    assert report.year == 2026  # the last year with turnover
    assert figures["turnover_guest_to_host"] == Decimal(11 * M)  # 6 delivered + 5 contracted
    assert figures["turnover_host_to_guest"] == Decimal(2 * M)
    assert figures["turnover"] == Decimal(13 * M)
    assert figures["contracted"] == Decimal(17 * M)
    assert figures["deals"] == 3
    assert figures["potential_host"] == Decimal(8 * M)
    assert figures["potential_guest"] == Decimal(0)
    assert figures["sme_contracted"] == pytest.approx(12 / 17)  # small 10 M, medium 2 M
    assert figures["commitments_achieved"] is None
    assert "grp_host" not in figures and report.grp.note is not None
    turnover = next(item for item in report.headlines if item.key == "turnover")
    assert turnover.text == "13,0 млн ₸"
    # 2026 is recorded from January to May; the data begin on 1 June 2025: no comparison
    assert turnover.note == (
        "Нет сопоставимого периода: данные начинаются с 1 июня 2025\u00a0г., "
        "период «январь–май 2025\u00a0г.» ими не покрыт."
    )
    assert "%" not in turnover.note
    assert report.monthly[(SKO, VKO)] == {"2026-03": Decimal(6 * M), "2026-04": Decimal(5 * M)}
    assert [chart.key for chart in report.chart_list] == ["trend", "potential"]


def test_the_same_pair_twice_is_refused(db_session: Session) -> None:
    with pytest.raises(ValidationFailed, match="two different regions"):
        pair_report(db_session, "ВКО", "63", "ru", None, Path("/absent"), TODAY)


def test_report_in_three_formats(db_session: Session) -> None:
    pair_world(db_session)
    report = _report(db_session, "kk")
    page = render(report, "html").decode()
    assert '<html lang="kk">' in page
    assert "ШҚО ↔ СҚО: өңіраралық ынтымақтастық" in page
    assert "13,0 млн ₸" in page and "data:image/svg+xml;base64," in page
    assert render(report, "pdf").startswith(b"%PDF-")

    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert book.sheetnames[:3] == ["Жиынтық", "Айлар бойынша", "Бөлімдер бойынша"]
    summary = {row[0]: row[1] for row in book["Жиынтық"].iter_rows(min_row=5, values_only=True)}
    assert summary["Өңірлер арасындағы тауар айналымы"] == 13 * M
    assert summary["Өңірлер арасындағы шарттар"] == 3
    months = {row[0]: row[1] for row in book["Айлар бойынша"].iter_rows(values_only=True)}
    assert months["наурыз"] == 6 * M and months["сәуір"] == 5 * M
    assert len(book["Графиктер"]._charts) == 2 and not book["Графиктер"]._images


def test_grp_from_the_data_folder(db_session: Session, tmp_path: Path) -> None:
    folder = tmp_path / "regions"
    folder.mkdir()
    (folder / "grp_by_region.csv").write_text(
        "region,kato_oblast,region_name_ru,year,grp_mln_kzt\n"
        "VKO,630000000,Восточно-Казахстанская,2025,5846091.3\n"
        "SKO,590000000,Северо-Казахстанская,2025,3430760.0\n",
        encoding="utf-8",
    )
    report = _report(db_session, data_dir=tmp_path)
    figures = {item.key: item for item in report.headlines}
    assert figures["grp_host"].value == Decimal("5846091.3")
    assert figures["grp_host"].text == "5,8 трлн ₸"
    assert figures["grp_guest"].label == "ВРП СКО, 2025"
    assert report.grp.note is None


def test_import_substitution_counts_strong_and_possible_matches_only(db_session: Session) -> None:
    """A far-abroad need whose only partner match is weak adds to what is bought from far
    abroad, never to what the partner region can supply; a possible match does."""
    pair_world(db_session)
    before = _report(db_session).figures()["potential_host"]
    buyer = org(db_session, VKO, SizeClass.LARGE)
    maker = org(db_session, SKO, SizeClass.SMALL)
    weak = need(db_session, buyer, "22.29.29", 3 * M)
    stored = match(db_session, weak, offer(db_session, maker, "22.29.29", 10, 1000), 1, 0.9)
    stored.explanation = {"band": "weak"}  # the engine's band wins over a high score
    db_session.flush()
    report = _report(db_session)
    assert report.figures()["potential_host"] == before
    side = report.potential.directions[0].buyers
    assert side.far_value == Decimal(13 * M)  # 8 + 2 of pair_world, 3 here
    possible = need(db_session, buyer, "22.29.30", 1 * M)
    low = match(db_session, possible, offer(db_session, maker, "22.29.30", 10, 1000), 1, 0.3)
    low.explanation = {"band": "possible"}
    db_session.flush()
    assert _report(db_session).figures()["potential_host"] == before + 1 * M

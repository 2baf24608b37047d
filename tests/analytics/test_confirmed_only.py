"""Figures that governors read count confirmed deals only: a deal awaiting confirmation or
disputed is in no turnover, count or share, and every rendering of the report says so."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from seriktes.agreements.models import Confirmation
from seriktes.analytics import repository
from seriktes.analytics.labels import RULES, label
from seriktes.analytics.render import render
from seriktes.analytics.report import pair_report
from tests.analytics.builders import SKO, VKO, deal, org, pair_world
from tests.webkit import make_org

TODAY = date(2026, 11, 27)
T = 10**12


def _figures(session: Session) -> dict[str, object]:
    report = pair_report(session, "ВКО", SKO, "ru", None, Path("/absent"), TODAY)
    return dict(report.figures())


def test_unconfirmed_and_disputed_deals_are_in_no_figure(db_session: Session) -> None:
    pair_world(db_session)
    confirmed_only = _figures(db_session)
    buyer, supplier = make_org(db_session, VKO), org(db_session, SKO, None)
    deal(db_session, buyer, supplier, date(2026, 6, 1), 999 * T, confirmation=Confirmation.AWAITING)
    deal(
        db_session,
        buyer,
        supplier,
        date(2026, 7, 1),
        7 * T,
        deliveries=[(date(2026, 8, 1), 7 * T)],
        confirmation=Confirmation.DISPUTED,
    )
    deal(
        db_session,
        buyer,
        supplier,
        date(2026, 6, 2),
        T,
        confirmation=Confirmation.AWAITING_COORDINATOR,
    )
    assert _figures(db_session) == confirmed_only
    counted = repository.deal_rows(db_session, [VKO, SKO])
    assert counted and all(row.amount < T for row in counted)
    delivered = repository.delivery_rows(db_session, [VKO, SKO])
    assert delivered and all(row.amount < T for row in delivered)

    deal(db_session, buyer, supplier, date(2026, 6, 3), 3 * 10**6)  # confirmed: it counts
    assert _figures(db_session)["turnover"] == confirmed_only["turnover"] + 3 * 10**6  # type: ignore[operator]


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_rendering_says_it_counts_confirmed_deals_only(
    db_session: Session, lang: str
) -> None:
    pair_world(db_session)
    report = pair_report(db_session, "ВКО", SKO, lang, None, Path("/absent"), TODAY)
    sentence = label(lang, RULES["confirmed"])
    assert lang == "en" or sentence != label("en", RULES["confirmed"])  # translated
    assert str(escape(sentence)) in render(report, "html").decode()
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    notes = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert notes.count(sentence) == 1

"""The demo memoranda, commitments, deals and deliveries between ВКО and СКО."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.agreements.models import Deal, Delivery, Memorandum, Sector
from seriktes.agreements.progress import compute
from seriktes.demo.agreements import load_demo_agreements
from seriktes.demo.loader import load_demo

STORY = {
    Sector.INDUSTRY,
    Sector.AGRICULTURE,
    Sector.TRADE,
    Sector.MINING,
    Sector.CONSTRUCTION_MATERIALS,
    Sector.FOOD_PROCESSING,
    Sector.EDUCATION,
    Sector.CULTURE,
    Sector.TOURISM,
    Sector.INVESTMENT,
}


def _deals(session: Session) -> list[tuple[Any, ...]]:
    rows = session.scalars(select(Deal).order_by(Deal.number)).all()
    return [(d.number, d.signed_on, d.buyer_id, d.supplier_id, d.amount_kzt) for d in rows]


def test_ten_memoranda_and_a_year_of_deals_between_the_two_regions(db_session: Session) -> None:
    load_demo(db_session)
    savepoint = db_session.begin_nested()
    made = load_demo_agreements(db_session, seed=7)
    assert made is not None and made["memoranda"] == 10
    first = _deals(db_session)
    savepoint.rollback()
    db_session.expunge_all()  # forget the rolled-back rows (SQLite reuses their ids)
    assert load_demo_agreements(db_session, seed=7) is not None
    assert _deals(db_session) == first  # deterministic for a seed
    assert load_demo_agreements(db_session, seed=7) is None  # only once

    memos = db_session.scalars(select(Memorandum)).all()
    assert len(memos) == 10
    assert {s for m in memos for s in m.sectors} >= STORY
    assert all(
        {p.region.kato for p in m.parties if p.region} == {"630000000", "590000000"} for m in memos
    )

    deals = db_session.scalars(select(Deal)).all()
    katos = {frozenset({d.buyer.region.kato, d.supplier.region.kato}) for d in deals}
    assert katos == {frozenset({"630000000", "590000000"})}
    days = [d.signed_on for d in deals]
    assert min(days) >= date(2025, 11, 14) and (max(days) - min(days)).days > 300
    assert any(d.need_id for d in deals) and any(d.offer_id for d in deals)
    assert any(d.meeting_id for d in deals) and any(d.memorandum_id for d in deals)
    assert any(d.commitments for d in deals)
    assert db_session.scalar(select(Delivery.id).limit(1)) is not None

    statuses = {compute(c, date(2026, 11, 27)).status.value for m in memos for c in m.commitments}
    assert {"achieved", "on_track", "at_risk", "overdue"} <= statuses

    assert all(p.signatory and p.signatory_post for m in memos for p in m.parties)
    commitments = [c for m in memos for c in m.commitments]
    with_milestones = [c for c in commitments if c.milestones]
    assert len(with_milestones) == 2
    assert all(
        c.start_on < x.due_on < c.deadline and x.target <= c.target
        for c in with_milestones
        for x in c.milestones
    )
    assert any(c.responsible_organisation_id and c.responsible_person for c in commitments)

"""Memoranda, commitments, deals and progress: the done-when of the agreements domain."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import deals, reports, service
from seriktes.agreements.models import AuditEntry, DealStatus
from seriktes.agreements.progress import Status
from seriktes.agreements.schemas import (
    DealChanges,
    DeliveryIn,
    MemorandumChanges,
    ProgressReportIn,
)
from seriktes.kit.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seriktes.kit.pagination import PageRequest
from tests.agreements.kit import MIDYEAR, SKO, VKO, Agreement, commitment_in, memorandum_in
from tests.webkit import make_org, make_user


def log(agreement: Agreement) -> list[AuditEntry]:
    page = service.audit_log(
        agreement.session, agreement.admin, agreement.memo.id, PageRequest(1, 200)
    )
    return list(page.items)


def test_a_linked_deal_moves_progress_and_status_and_the_audit_log_shows_it(
    agreement: Agreement,
) -> None:
    before = service.progress_of(agreement.turnover, MIDYEAR)
    assert before.value == 0
    assert before.status is Status.AT_RISK  # half the year gone, nothing done

    deal = agreement.deal("60000000")  # not linked yet
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0

    deals.update_deal(
        agreement.session,
        agreement.admin,
        deal.id,
        DealChanges(commitment_ids=[agreement.turnover.id]),
    )
    after = service.progress_of(agreement.turnover, MIDYEAR)
    assert after.value == Decimal("60000000")
    assert after.status is Status.ON_TRACK  # 60 M ≥ 100 M × 0.5 × 0.8

    link = next(e for e in log(agreement) if e.entity_kind == "deal" and e.action == "update")
    assert link.entity_id == deal.id
    assert link.user_id == agreement.admin.id
    assert link.before is not None and link.before["commitment_ids"] == []
    assert link.after is not None and link.after["commitment_ids"] == [agreement.turnover.id]

    second = agreement.deal("45000000", commitment_ids=[agreement.turnover.id])
    assert service.progress_of(agreement.turnover, MIDYEAR).status is Status.ACHIEVED
    created = [e for e in log(agreement) if e.entity_id == second.id and e.action == "create"]
    assert created and created[0].after is not None
    assert created[0].after["amount_kzt"] == "45000000"


def test_deliveries_replace_the_contract_amount_and_give_the_supply_volume(
    agreement: Agreement,
) -> None:
    session, admin = agreement.session, agreement.admin
    linked = [agreement.turnover.id, agreement.supply.id]
    deal = agreement.deal("80000000", quantity="40", unit_code="т", commitment_ids=linked)
    assert service.progress_of(agreement.turnover, MIDYEAR).value == Decimal("80000000")
    assert service.progress_of(agreement.supply, MIDYEAR).value == 0

    deals.add_delivery(
        session,
        admin,
        deal.id,
        DeliveryIn(
            delivered_on=date(2026, 4, 1),
            quantity=Decimal(12000),
            unit_code="кг",
            amount_kzt=Decimal(24000000),
        ),
    )
    deals.add_delivery(
        session, admin, deal.id, DeliveryIn(delivered_on=date(2026, 5, 1), quantity=Decimal(8))
    )
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0  # to confirm again
    agreement.confirm(deal)
    turnover = service.progress_of(agreement.turnover, MIDYEAR)
    assert turnover.value == Decimal("24000000")  # delivered, not contracted
    supply = service.progress_of(agreement.supply, MIDYEAR)
    assert supply.value == Decimal(20)  # 12,000 kg + 8 t (the deal's unit)
    assert service.progress_of(agreement.supply, date(2026, 4, 15)).value == Decimal(12)

    deals.update_deal(session, admin, deal.id, DealChanges(status=DealStatus.CANCELLED))
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0


def test_reports_feed_kpis_deals_cannot_show(agreement: Agreement) -> None:
    session = agreement.session
    member = make_user(session, Role.MEMBER, agreement.supplier)
    reports.add_report(
        session,
        member,
        agreement.jobs.id,
        ProgressReportIn(reported_on=date(2026, 3, 1), value=Decimal(15), evidence_text="Приказы"),
    )
    reports.add_report(
        session,
        agreement.admin,
        agreement.jobs.id,
        ProgressReportIn(reported_on=date(2026, 9, 1), value=Decimal(30)),
    )
    assert service.progress_of(agreement.jobs, MIDYEAR).value == 15
    late = service.progress_of(agreement.jobs, date(2027, 1, 5))
    assert late.value == 45 and late.status is Status.ACHIEVED
    with pytest.raises(ValidationFailed):
        reports.add_report(
            session,
            agreement.admin,
            agreement.turnover.id,
            ProgressReportIn(reported_on=date(2026, 3, 1), value=Decimal(1)),
        )
    with pytest.raises(ValidationFailed):  # a jobs commitment does not count deals
        agreement.deal("1000", commitment_ids=[agreement.jobs.id])


def test_overdue_after_the_deadline(agreement: Agreement) -> None:
    agreement.deal("20000000", commitment_ids=[agreement.turnover.id])
    assert service.progress_of(agreement.turnover, date(2026, 3, 15)).status is Status.ON_TRACK
    assert service.progress_of(agreement.turnover, date(2027, 1, 1)).status is Status.OVERDUE


def test_coordinators_of_a_party_region_manage_others_do_not(
    agreement: Agreement, db_session: Session
) -> None:
    sko = make_user(db_session, Role.COORDINATOR, kato=SKO)
    pavlodar = make_user(db_session, Role.COORDINATOR, kato="550000000")
    member = make_user(db_session, Role.MEMBER, agreement.buyer)
    change = MemorandumChanges(title="О сотрудничестве в машиностроении")
    service.update_memorandum(db_session, sko, agreement.memo.id, change)
    for user in (pavlodar, member):
        with pytest.raises(Forbidden):
            service.update_memorandum(db_session, user, agreement.memo.id, change)
        with pytest.raises(Forbidden):
            service.create_commitment(
                db_session, user, agreement.memo.id, commitment_in(agreement.jobs.kpi, "1")
            )
    with pytest.raises(Forbidden):
        service.create_memorandum(db_session, pavlodar, memorandum_in(number="М-2"))
    vko = make_user(db_session, Role.COORDINATOR, kato=VKO)
    with pytest.raises(Forbidden):  # a coordinator cannot drop their own region
        service.update_memorandum(
            db_session,
            vko,
            agreement.memo.id,
            MemorandumChanges.model_validate({"parties": [{"region": SKO}]}),
        )
    titles = [e.after for e in log(agreement) if e.entity_kind == "memorandum"]
    assert {"title": "О сотрудничестве в машиностроении"} in titles


def test_members_record_only_their_own_organisations_deals(
    agreement: Agreement, db_session: Session
) -> None:
    buyer_member = make_user(db_session, Role.MEMBER, agreement.buyer)
    stranger = make_user(db_session, Role.MEMBER, make_org(db_session, VKO))
    deal = agreement.deal("5000000")
    deals.update_deal(db_session, buyer_member, deal.id, DealChanges(amount=Decimal(6000000)))
    assert deal.amount_kzt == Decimal(6000000)
    with pytest.raises(NotFound):  # strangers do not even see the deal
        deals.update_deal(db_session, stranger, deal.id, DealChanges(amount=Decimal(1)))
    with pytest.raises(NotFound):
        service.audit_log(db_session, None, 10**6, PageRequest())
    with pytest.raises(Forbidden):
        service.audit_log(db_session, buyer_member, agreement.memo.id, PageRequest())


def test_foreign_currency_is_converted_with_the_stated_rate(agreement: Agreement) -> None:
    usd = agreement.deal("1000", currency="USD")
    assert usd.amount_kzt == Decimal("505000.00")
    given = agreement.deal("1000", currency="RUB", rate_to_kzt="5.5")
    assert given.amount_kzt == Decimal("5500.00")
    with pytest.raises(ValidationFailed):
        agreement.deal("1000", currency="XYZ")


def test_numbers_are_unique(agreement: Agreement) -> None:
    with pytest.raises(Conflict):
        service.create_memorandum(agreement.session, agreement.admin, memorandum_in())
    deal = agreement.deal("1")
    with pytest.raises(Conflict):
        agreement.deal("2", number=deal.number)


def test_deleting_is_logged_with_the_values_before(agreement: Agreement) -> None:
    deal = agreement.deal("7000000", commitment_ids=[agreement.turnover.id])
    deals.delete_deal(agreement.session, agreement.admin, deal.id)
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0
    gone = [e for e in log(agreement) if e.entity_kind == "deal" and e.action == "delete"]
    assert gone and gone[0].before is not None and gone[0].before["amount_kzt"] == "7000000"
    assert gone[0].after is None


def test_a_deal_reads_its_unit_as_an_import_does(agreement: Agreement) -> None:
    """«Кг.» as the registers of producers spell it is the kilogram, as in every import."""
    deal = agreement.deal("1000000", quantity="5", unit_code="Кг.")
    assert deal.unit_code == "166"

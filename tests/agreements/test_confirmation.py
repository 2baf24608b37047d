"""Confirmed figures: a deal moves a commitment only once the other side, or a coordinator of a
party region with evidence, confirms it; links to memoranda of other regions are refused; a
dispute, an outsized amount or a change of the figures keeps it out of progress."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.agreements import confirmation, deals, policy, service
from seriktes.agreements.models import AuditEntry, Confirmation, Deal
from seriktes.agreements.schemas import ConfirmIn, DealChanges, DealIn, DeliveryIn, DisputeIn
from seriktes.catalog.models import NeedStatus, OfferStatus
from seriktes.kit.errors import Conflict, Forbidden, ValidationFailed
from seriktes.registry.models import Organisation
from tests.agreements.kit import MIDYEAR, PAVLODAR, SKO, VKO, Agreement
from tests.webkit import make_need, make_offer, make_org, make_user

KARAGANDA = "350000000"


def record(a: Agreement, user: User, amount: str = "60000000", **fields: object) -> Deal:
    """`user` records a deal of the agreement's buyer and supplier."""
    values: dict[str, object] = {
        "number": f"C-{amount}-{len(fields)}",
        "signed_on": date(2026, 3, 1),
        "buyer_id": a.buyer.id,
        "supplier_id": a.supplier.id,
        "subject": "Футеровочные плиты",
        "amount": amount,
        **fields,
    }
    return deals.create_deal(a.session, user, DealIn.model_validate(values))


def value(a: Agreement) -> Decimal:
    return service.progress_of(a.turnover, MIDYEAR).value


def test_a_member_cannot_move_a_commitment_without_the_other_side_or_a_party_coordinator(
    agreement: Agreement, db_session: Session
) -> None:
    a = agreement
    buyer = make_user(db_session, Role.MEMBER, a.buyer)
    deal = record(a, buyer, "999999999999", commitment_ids=[a.turnover.id])
    assert (deal.confirmation, deal.buyer_confirmed, deal.supplier_confirmed) == (
        Confirmation.AWAITING,
        True,
        False,
    )
    assert value(a) == 0
    with pytest.raises(Conflict):  # recording confirmed the buyer's side; once is all it gets
        confirmation.confirm(db_session, buyer, deal.id, ConfirmIn())
    pavlodar = make_user(db_session, Role.COORDINATOR, kato=PAVLODAR)  # reads, is no party
    with pytest.raises(Forbidden):
        confirmation.confirm(db_session, pavlodar, deal.id, ConfirmIn(evidence="договор"))
    assert value(a) == 0

    sko = make_user(db_session, Role.COORDINATOR, kato=SKO)  # a party region of the memorandum
    with pytest.raises(ValidationFailed) as missing:
        confirmation.confirm(db_session, sko, deal.id, ConfirmIn())
    assert missing.value.errors[0].loc == ("body", "evidence")
    confirmation.confirm(db_session, sko, deal.id, ConfirmIn(evidence="договор № 15 от 01.03"))
    assert deal.confirmation is Confirmation.CONFIRMED and deal.confirmed_by_id == sko.id
    assert value(a) == Decimal("999999999999")
    logged = db_session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == deal.id, AuditEntry.action == "confirm")
    ).one()
    assert logged.user_id == sko.id
    assert logged.before is not None and logged.after is not None
    assert (logged.before["confirmation"], logged.after["confirmation"]) == (
        "awaiting",
        "confirmed",
    )
    assert logged.after["confirmed_by_id"] == sko.id
    assert logged.after["evidence"] == "договор № 15 от 01.03"


def test_both_sides_confirm_a_plausible_deal_and_it_counts(
    agreement: Agreement, db_session: Session
) -> None:
    a = agreement
    deal = record(a, make_user(db_session, Role.MEMBER, a.buyer), commitment_ids=[a.turnover.id])
    supplier = make_user(db_session, Role.MEMBER, a.supplier)
    confirmation.confirm(db_session, supplier, deal.id, ConfirmIn())
    assert deal.confirmation is Confirmation.CONFIRMED and deal.confirmed_at is not None
    assert value(a) == Decimal(60_000_000)


def test_outsized_amounts_need_a_coordinator_even_when_both_sides_confirmed(
    agreement: Agreement, db_session: Session
) -> None:
    a = agreement
    buyer = make_user(db_session, Role.MEMBER, a.buyer)
    supplier = make_user(db_session, Role.MEMBER, a.supplier)
    huge = record(a, buyer, "2000000000000", commitment_ids=[a.turnover.id])  # 2 trillion
    confirmation.confirm(db_session, supplier, huge.id, ConfirmIn())
    assert huge.confirmation is Confirmation.AWAITING_COORDINATOR  # no history: 1 trillion
    assert value(a) == 0
    a.confirm(huge)
    assert value(a) == Decimal(2 * 10**12)


def test_the_bound_follows_the_median_confirmed_deal_of_the_region_pair(
    agreement: Agreement, db_session: Session
) -> None:
    a = agreement
    for amount in ("1000000", "1200000", "800000"):  # median 1 M: bound 100 M
        a.deal(amount)
    buyer = make_user(db_session, Role.MEMBER, a.buyer)
    supplier = make_user(db_session, Role.MEMBER, a.supplier)
    big = record(a, buyer, "150000000", commitment_ids=[a.turnover.id])
    fair = record(a, buyer, "90000000", commitment_ids=[a.turnover.id])
    for deal in (big, fair):
        confirmation.confirm(db_session, supplier, deal.id, ConfirmIn())
    assert (big.confirmation, fair.confirmation) == (
        Confirmation.AWAITING_COORDINATOR,
        Confirmation.CONFIRMED,
    )
    assert value(a) == Decimal(90_000_000)


def test_a_disputed_deal_does_not_count_until_a_coordinator_settles_it(
    agreement: Agreement, db_session: Session
) -> None:
    a = agreement
    deal = a.deal("60000000", commitment_ids=[a.turnover.id])
    assert value(a) == Decimal(60_000_000)
    supplier = make_user(db_session, Role.MEMBER, a.supplier)
    reason = DisputeIn(reason="Такого договора мы не подписывали")
    confirmation.dispute(db_session, supplier, deal.id, reason)
    assert (deal.confirmation, deal.evidence) == (Confirmation.DISPUTED, None)
    assert value(a) == 0
    disputed = db_session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == deal.id, AuditEntry.action == "dispute")
    ).one()
    assert disputed.user_id == supplier.id
    assert disputed.after is not None
    assert disputed.after["dispute_reason"] == "Такого договора мы не подписывали"
    buyer = make_user(db_session, Role.MEMBER, a.buyer)
    with pytest.raises(Conflict):  # the buyer cannot overrule the supplier's dispute
        confirmation.confirm(db_session, buyer, deal.id, ConfirmIn())
    vko = make_user(db_session, Role.COORDINATOR, kato=VKO)
    confirmation.confirm(db_session, vko, deal.id, ConfirmIn(evidence="договор в реестре"))
    assert value(a) == Decimal(60_000_000)


def test_changing_the_figures_of_a_confirmed_deal_asks_for_confirmation_again(
    agreement: Agreement, db_session: Session
) -> None:
    a = agreement
    deal = a.deal("60000000", commitment_ids=[a.turnover.id])
    buyer = make_user(db_session, Role.MEMBER, a.buyer)
    deals.update_deal(db_session, buyer, deal.id, DealChanges(subject="Плиты футеровочные"))
    assert deal.confirmation is Confirmation.CONFIRMED  # words are not figures
    deals.update_deal(db_session, buyer, deal.id, DealChanges(amount=Decimal(90_000_000)))
    assert (deal.confirmation, deal.evidence) == (Confirmation.AWAITING, None)
    assert (deal.buyer_confirmed, deal.supplier_confirmed) == (True, False)
    assert value(a) == 0

    a.confirm(deal)
    deals.update_deal(db_session, buyer, deal.id, DealChanges(signed_on=date(2026, 2, 1)))
    assert deal.confirmation is Confirmation.AWAITING
    a.confirm(deal)
    delivery = DeliveryIn(delivered_on=date(2026, 4, 1), amount_kzt=Decimal(10**11))
    deals.add_delivery(db_session, buyer, deal.id, delivery)
    assert deal.confirmation is Confirmation.AWAITING  # a delivery changes what it counts
    assert value(a) == 0


def test_a_commitment_takes_only_deals_of_its_parties_or_their_regions(
    agreement: Agreement, db_session: Session
) -> None:
    a = agreement
    pavlodar = make_org(db_session, PAVLODAR, "ТОО «Павлодар Прокат»")
    karaganda = make_org(db_session, KARAGANDA, "ТОО «Караганда Литьё»")
    admin = a.admin
    outsider = _deal_in(pavlodar, karaganda, commitment_ids=[a.turnover.id])
    with pytest.raises(ValidationFailed) as refused:
        deals.create_deal(db_session, admin, outsider)
    assert refused.value.errors[0].loc == ("body", "commitment_ids", 0)
    with pytest.raises(ValidationFailed) as memo:
        deals.create_deal(db_session, admin, _deal_in(pavlodar, karaganda, memorandum_id=a.memo.id))
    assert memo.value.errors[0].loc == ("body", "memorandum_id")
    later = deals.create_deal(db_session, admin, _deal_in(pavlodar, karaganda))
    with pytest.raises(ValidationFailed):
        deals.update_deal(db_session, admin, later.id, DealChanges(commitment_ids=[a.turnover.id]))
    # one side in a party region is enough
    half = deals.create_deal(
        db_session, admin, _deal_in(a.buyer, pavlodar, commitment_ids=[a.turnover.id])
    )
    assert [c.id for c in half.commitments] == [a.turnover.id]


def _deal_in(buyer: Organisation, supplier: Organisation, **fields: object) -> DealIn:
    values: dict[str, object] = {
        "number": f"O-{buyer.id}-{supplier.id}-{len(fields)}-{sorted(fields)}",
        "signed_on": date(2026, 3, 1),
        "buyer_id": buyer.id,
        "supplier_id": supplier.id,
        "subject": "Прокат",
        "amount": "1000000",
        **fields,
    }
    return DealIn.model_validate(values)


def test_another_organisations_draft_line_cannot_be_named(
    agreement: Agreement, db_session: Session
) -> None:
    a = agreement
    draft_need = make_need(db_session, a.buyer, "Секретная закупка", status=NeedStatus.DRAFT)
    draft_offer = make_offer(db_session, a.supplier, "Новинка", status=OfferStatus.DRAFT)
    supplier = make_user(db_session, Role.MEMBER, a.supplier)
    buyer = make_user(db_session, Role.MEMBER, a.buyer)
    with pytest.raises(ValidationFailed) as need:
        record(a, supplier, need_id=draft_need.id)
    assert need.value.errors[0].loc == ("body", "need_id")
    with pytest.raises(ValidationFailed) as offer:
        record(a, buyer, offer_id=draft_offer.id)
    assert offer.value.errors[0].loc == ("body", "offer_id")
    own = record(a, buyer, need_id=draft_need.id)  # the buyer's own draft is theirs to name
    assert own.need_id == draft_need.id
    with pytest.raises(ValidationFailed):
        deals.update_deal(db_session, buyer, own.id, DealChanges(offer_id=draft_offer.id))


WHO_CONFIRMS = [
    # actor, side, confirms as coordinator, may dispute
    ("buyer_member", "buyer", False, True),
    ("supplier_member", "supplier", False, True),
    ("other_member", None, False, False),
    ("vko_coordinator", None, True, True),
    ("sko_coordinator", None, True, True),
    ("pavlodar_coordinator", None, False, False),
    ("admin", None, True, True),
    ("inactive_admin", None, False, False),
    ("public", None, False, False),
]


@pytest.mark.parametrize(("actor", "side", "as_coordinator", "disputes"), WHO_CONFIRMS)
def test_who_confirms_and_disputes_a_deal(
    agreement: Agreement,
    db_session: Session,
    actor: str,
    side: str | None,
    as_coordinator: bool,
    disputes: bool,
) -> None:
    a = agreement
    deal = a.deal(confirmed=False, commitment_ids=[a.turnover.id])  # of the ВКО–СКО memorandum
    user = _actor(a, db_session, actor)
    assert policy.deal_side(user, deal) == side
    assert policy.can_confirm_as_coordinator(user, deal) is as_coordinator
    assert policy.can_dispute_deal(user, deal) is disputes


def test_coordinators_of_an_unlinked_deal_are_no_party(
    agreement: Agreement, db_session: Session
) -> None:
    deal = agreement.deal(confirmed=False)  # linked to no memorandum
    vko = make_user(db_session, Role.COORDINATOR, kato=VKO)
    assert not policy.can_confirm_as_coordinator(vko, deal)
    assert policy.can_confirm_as_coordinator(agreement.admin, deal)


def _actor(a: Agreement, session: Session, actor: str) -> User | None:
    """The user playing `actor` (None for the public)."""
    if actor == "public":
        return None
    if actor == "admin":
        return a.admin
    role, org, kato = {
        "buyer_member": (Role.MEMBER, a.buyer, None),
        "supplier_member": (Role.MEMBER, a.supplier, None),
        "other_member": (Role.MEMBER, make_org(session, VKO), None),
        "vko_coordinator": (Role.COORDINATOR, None, VKO),
        "sko_coordinator": (Role.COORDINATOR, None, SKO),
        "pavlodar_coordinator": (Role.COORDINATOR, None, PAVLODAR),
        "inactive_admin": (Role.ADMIN, None, None),
    }[actor]
    user = make_user(session, role, org, kato)
    user.is_active = actor != "inactive_admin"
    return user

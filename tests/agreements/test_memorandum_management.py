"""Memoranda fully managed: parties with signatories and posts added, changed and removed,
withdrawal with a reason, milestones, the responsible person, the status judged against
milestones or not before a quarter of the period, contracted / delivered / counted, the
history; every change in the audit log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import deals, service
from seriktes.agreements.models import AuditEntry, CommitmentMilestone, MemorandumStatus
from seriktes.agreements.policy import can_manage_memorandum
from seriktes.agreements.progress import Basis, Status, judge, judge_after_day
from seriktes.agreements.schemas import (
    CommitmentChanges,
    DealChanges,
    DeliveryIn,
    MemorandumChanges,
    MilestoneChanges,
    MilestoneIn,
    PartyIn,
    WithdrawalIn,
)
from seriktes.kit.errors import Conflict, Forbidden, ValidationFailed
from seriktes.kit.versions import StaleWrite
from tests.agreements.kit import PAVLODAR, SKO, VKO, Agreement
from tests.webkit import make_org, make_user

START, END = date(2026, 1, 1), date(2026, 12, 31)


def entries(session: Session, kind: str, entity_id: int) -> list[AuditEntry]:
    return list(
        session.query(AuditEntry)
        .filter_by(entity_kind=kind, entity_id=entity_id)
        .order_by(AuditEntry.id)
    )


# --- parties -----------------------------------------------------------------------------
def test_an_organisation_party_with_its_signatory_and_post_is_added_changed_and_removed(
    agreement: Agreement, db_session: Session
) -> None:
    memo = agreement.memo
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    version = memo.version
    party = service.add_party(
        db_session,
        coordinator,
        memo.id,
        PartyIn(
            organisation_id=agreement.supplier.id,
            role="guest",
            signatory="Ахметов А. Б.",
            signatory_post="директор",
        ),
        version,
    )
    assert party.organisation_id == agreement.supplier.id
    assert party.signatory_post == "директор"
    assert memo.version > version  # the memorandum's version goes up with its parties
    with pytest.raises(StaleWrite):  # a form of before is refused
        service.add_party(db_session, coordinator, memo.id, PartyIn(region=PAVLODAR), version)

    service.update_party(
        db_session,
        coordinator,
        memo.id,
        party.id,
        PartyIn(
            organisation_id=agreement.supplier.id,
            signatory="Ахметов А. Б.",
            signatory_post="генеральный директор",
        ),
    )
    assert party.signatory_post == "генеральный директор"
    assert party.role.value == "party"

    service.remove_party(db_session, coordinator, memo.id, party.id)
    assert party not in memo.parties
    log = entries(db_session, "memorandum", memo.id)
    changes = [e for e in log if e.action.value == "update"]
    assert len(changes) == 3
    added = changes[0].after
    assert added is not None
    assert {
        "region_id": None,
        "organisation_id": agreement.supplier.id,
        "role": "guest",
        "signatory": "Ахметов А. Б.",
        "signatory_post": "директор",
    } in added["parties"]
    assert changes[1].before is not None and changes[1].after is not None
    assert changes[0].user_id == coordinator.id


def test_the_own_region_and_the_last_party_stay_and_a_party_is_added_once(
    agreement: Agreement, db_session: Session
) -> None:
    memo = agreement.memo
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    vko = next(p for p in memo.parties if p.region is not None and p.region.kato == VKO)
    with pytest.raises(Forbidden):
        service.remove_party(db_session, coordinator, memo.id, vko.id)
    with pytest.raises(ValidationFailed):
        service.add_party(db_session, coordinator, memo.id, PartyIn(region=SKO))
    assert vko in memo.parties and len(memo.parties) == 2  # nothing refused was kept
    outsider = make_user(db_session, Role.COORDINATOR, kato=PAVLODAR)
    with pytest.raises(Forbidden):
        service.add_party(db_session, outsider, memo.id, PartyIn(region=PAVLODAR))


def test_a_coordinator_of_an_organisation_partys_region_manages_the_memorandum(
    agreement: Agreement, db_session: Session
) -> None:
    pavlodar = make_user(db_session, Role.COORDINATOR, kato=PAVLODAR)
    assert not can_manage_memorandum(pavlodar, agreement.memo)
    plant = make_org(db_session, PAVLODAR, "ТОО «Павлодар Сталь»")
    service.add_party(
        db_session, agreement.admin, agreement.memo.id, PartyIn(organisation_id=plant.id)
    )
    assert can_manage_memorandum(pavlodar, agreement.memo)
    member = make_user(db_session, Role.MEMBER, org=plant)
    assert not can_manage_memorandum(member, agreement.memo)


# --- withdrawal --------------------------------------------------------------------------
def test_a_withdrawn_memorandum_stays_readable_with_its_reason_and_takes_no_changes(
    agreement: Agreement, db_session: Session
) -> None:
    memo = agreement.memo
    coordinator = make_user(db_session, Role.COORDINATOR, kato=SKO)
    with pytest.raises(ValidationFailed):  # not through a plain status change
        service.update_memorandum(
            db_session, coordinator, memo.id, MemorandumChanges(status=MemorandumStatus.WITHDRAWN)
        )
    service.withdraw_memorandum(
        db_session, coordinator, memo.id, WithdrawalIn(reason="Стороны договорились о новом")
    )
    assert memo.status is MemorandumStatus.WITHDRAWN
    assert memo.withdrawal_reason == "Стороны договорились о новом"
    assert memo.withdrawn_on is not None
    assert service.get_memorandum(db_session, None, memo.id) is memo  # the public reads it

    with pytest.raises(Conflict):
        service.update_memorandum(
            db_session, coordinator, memo.id, MemorandumChanges(title="Новое")
        )
    with pytest.raises(Conflict):
        service.delete_memorandum(db_session, coordinator, memo.id)
    with pytest.raises(Conflict):
        service.update_commitment(
            db_session, coordinator, agreement.turnover.id, CommitmentChanges(title="Другое")
        )
    deal = agreement.deal("1000000")
    with pytest.raises(ValidationFailed):  # no new links
        deals.update_deal(
            db_session,
            agreement.admin,
            deal.id,
            DealChanges(commitment_ids=[agreement.turnover.id]),
        )
    last = entries(db_session, "memorandum", memo.id)[-1]
    assert last.after == {
        "status": "withdrawn",
        "withdrawal_reason": "Стороны договорились о новом",
        "withdrawn_on": memo.withdrawn_on.isoformat(),
    }


# --- commitments: responsible person, milestones ----------------------------------------
def test_a_commitment_keeps_its_responsible_person_and_milestones_are_checked_and_audited(
    agreement: Agreement, db_session: Session
) -> None:
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    turnover = agreement.turnover
    service.update_commitment(
        db_session,
        coordinator,
        turnover.id,
        CommitmentChanges(
            responsible_organisation_id=agreement.buyer.id,
            responsible_person="Иванова С. П.",
            responsible_post="заместитель директора",
            responsible_contact="+7 7232 00 00 00",
        ),
    )
    assert turnover.responsible_person == "Иванова С. П."
    update = entries(db_session, "commitment", turnover.id)[-1]
    assert update.after is not None and update.after["responsible_post"] == "заместитель директора"

    add = service.add_milestone
    first = MilestoneIn(due_on=date(2026, 6, 1), target=Decimal(40_000_000))
    june = add(db_session, coordinator, turnover.id, first)
    for wrong in (
        MilestoneIn(due_on=date(2027, 2, 1), target=Decimal(1)),  # after the deadline
        MilestoneIn(due_on=date(2026, 6, 1), target=Decimal(1)),  # the same day again
        MilestoneIn(due_on=date(2026, 9, 1), target=Decimal(200_000_000)),  # above the target
    ):
        with pytest.raises(ValidationFailed):
            add(db_session, coordinator, turnover.id, wrong)
    service.update_milestone(
        db_session, coordinator, june.id, MilestoneChanges(target=Decimal(30_000_000))
    )
    assert june.target == Decimal(30_000_000)
    kinds = [(e.action.value, e.memorandum_id) for e in entries(db_session, "milestone", june.id)]
    assert kinds == [("create", agreement.memo.id), ("update", agreement.memo.id)]

    service.delete_milestone(db_session, coordinator, june.id)
    assert turnover.milestones == []
    assert entries(db_session, "milestone", june.id)[-1].action.value == "delete"


# --- the status rule ---------------------------------------------------------------------
def test_a_new_commitment_is_not_at_risk_before_a_quarter_of_its_period() -> None:
    day_11 = date(2026, 1, 11)
    assert judge(Decimal(0), Decimal(100), START, END, day_11).basis is Basis.TOO_EARLY
    assert judge(Decimal(0), Decimal(100), START, END, day_11).status is Status.ON_TRACK
    first = judge_after_day(START, END)
    assert first == date(2026, 4, 2)  # 25 % of 364 days, rounded up
    assert judge(Decimal(0), Decimal(100), START, END, first).status is Status.AT_RISK
    assert judge(Decimal(0), Decimal(100), START, END, first).basis is Basis.PACE


def test_with_milestones_the_status_is_judged_against_the_latest_one_due() -> None:
    june = CommitmentMilestone(due_on=date(2026, 6, 1), target=Decimal(100))
    sept = CommitmentMilestone(due_on=date(2026, 9, 1), target=Decimal(150))
    marks = [june, sept]
    early = judge(Decimal(0), Decimal(300), START, END, date(2026, 5, 1), marks)
    assert (early.status, early.basis) == (Status.ON_TRACK, Basis.BEFORE_MILESTONES)
    met = judge(Decimal(100), Decimal(300), START, END, date(2026, 7, 1), marks)
    assert (met.status, met.basis, met.milestone) == (Status.ON_TRACK, Basis.MILESTONE, june)
    # the linear rule would say at risk (100 < 300 × 0.67 × 0.8), the milestone does not
    behind = judge(Decimal(120), Decimal(300), START, END, date(2026, 9, 2), marks)
    assert (behind.status, behind.milestone) == (Status.AT_RISK, sept)
    late = judge(Decimal(299), Decimal(300), START, END, date(2027, 1, 1), marks)
    assert (late.status, late.basis) == (Status.OVERDUE, Basis.DEADLINE)


# --- contracted, delivered, counted ------------------------------------------------------
def test_contracted_delivered_and_counted_are_shown_side_by_side(
    agreement: Agreement, db_session: Session
) -> None:
    deal = agreement.deal("60000000", commitment_ids=[agreement.turnover.id])
    deals.add_delivery(
        db_session,
        agreement.admin,
        deal.id,
        DeliveryIn(delivered_on=date(2026, 5, 1), amount_kzt=Decimal(20_000_000)),
    )
    agreement.confirm(deal)
    day = date(2026, 7, 2)
    split = service.split_of(agreement.turnover, day)
    assert split is not None
    assert (split.contracted, split.delivered, split.counted) == (
        Decimal(60_000_000),
        Decimal(20_000_000),
        Decimal(20_000_000),  # the documented rule: delivered replaces contracted
    )
    assert service.split_of(agreement.jobs, day) is None  # from progress reports
    history = service.history_of(agreement.turnover, day)
    assert history[0] == (date(2026, 1, 1), Decimal(0))
    assert (date(2026, 3, 1), Decimal(60_000_000)) in history
    assert (date(2026, 5, 1), Decimal(20_000_000)) in history
    assert history[-1][0] == day


def test_the_api_shapes_carry_the_new_fields(agreement: Agreement, db_session: Session) -> None:
    from seriktes.agreements.schemas import CommitmentOut, MemorandumOut

    other = make_org(db_session, SKO, "ТОО «Север Агро»")
    service.add_party(
        db_session, agreement.admin, agreement.memo.id,
        PartyIn(organisation_id=other.id, signatory="Б. Б.", signatory_post="директор"),
    )  # fmt: skip
    out = MemorandumOut.of(agreement.memo)
    assert out.parties[-1].signatory_post == "директор"
    assert out.withdrawn_on is None
    service.add_milestone(
        db_session, agreement.admin, agreement.turnover.id,
        MilestoneIn(due_on=date(2026, 6, 1), target=Decimal(10)),
    )  # fmt: skip
    progress = service.progress_of(agreement.turnover, date(2026, 7, 2))
    shaped = CommitmentOut.of(
        agreement.turnover, progress, True, service.split_of(agreement.turnover, date(2026, 7, 2))
    )
    assert [m.due_on for m in shaped.milestones] == [date(2026, 6, 1)]
    assert shaped.progress.basis == "milestone"
    assert shaped.progress.milestone_due_on == date(2026, 6, 1)
    assert shaped.progress.contracted == 0

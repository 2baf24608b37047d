"""The start page's queries of agreements: deals waiting for one side's confirmation, the
commitments an organisation answers for and a region's commitments (both backends)."""

from __future__ import annotations

from sqlalchemy import true

from seriktes.agreements import repository, service
from seriktes.agreements.models import KpiKind, MemorandumStatus
from seriktes.agreements.schemas import MemorandumChanges
from tests.agreements.kit import PAVLODAR, SKO, VKO, Agreement, commitment_in, memorandum_in
from tests.webkit import make_org


def test_a_deal_waits_only_for_the_sides_that_have_not_confirmed(agreement: Agreement) -> None:
    waiting = agreement.deal(confirmed=False)
    waiting.buyer_confirmed = True  # as if the buyer's member had recorded it
    agreement.deal()  # confirmed by the administrator: waits for nobody
    agreement.session.flush()
    for_supplier = repository.deals_awaiting_side(agreement.session, agreement.supplier.id, true())
    for_buyer = repository.deals_awaiting_side(agreement.session, agreement.buyer.id, true())
    assert [d.id for d in for_supplier] == [waiting.id]
    assert for_buyer == []


def test_commitments_answered_by_an_organisation(agreement: Agreement) -> None:
    found = repository.commitments_answered_by(agreement.session, agreement.supplier.id, true())
    assert [c.id for c in found] == [agreement.jobs.id]
    assert repository.commitments_answered_by(agreement.session, agreement.buyer.id, true()) == []


def test_region_commitments_follow_the_parties_regions(agreement: Agreement) -> None:
    session, admin = agreement.session, agreement.admin
    # a memorandum whose only party is an organisation of Pavlodar region
    pavlodar = make_org(session, PAVLODAR, "ТОО «Павлодар»")
    other = service.create_memorandum(
        session,
        admin,
        memorandum_in(number="М-2", parties=[{"organisation_id": pavlodar.id, "role": "party"}]),
    )
    theirs = service.create_commitment(session, admin, other.id, commitment_in(KpiKind.JOBS, "5"))
    ours = {c.id for c in agreement.memo.commitments}

    def ids(oblast: str | None) -> set[int]:
        return {c.id for c in repository.region_commitments(session, true(), oblast)}

    assert ids(VKO[:2]) == ours and ids(SKO[:2]) == ours
    assert ids(PAVLODAR[:2]) == {theirs.id}
    assert ours | {theirs.id} <= ids(None)
    service.update_memorandum(
        session, admin, agreement.memo.id, MemorandumChanges(status=MemorandumStatus.CLOSED)
    )
    assert ids(VKO[:2]) == set()  # a closed memorandum's commitments no longer run

"""The scene of the agreements API tests: a published memorandum of ВКО (the API world's
owner organisation's region) and Павлодар, a deal of the owner with a Павлодар supplier.

So the СКО coordinator and the СКО member of the API world have no part in any of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import deals, reports, service
from seriktes.agreements.models import (
    Commitment,
    CommitmentMilestone,
    Deal,
    Delivery,
    KpiKind,
    Memorandum,
    MemorandumStatus,
    ProgressReport,
)
from seriktes.agreements.schemas import (
    CommitmentIn,
    DealIn,
    DeliveryIn,
    MemorandumIn,
    MilestoneIn,
    ProgressReportIn,
)
from tests.api.conftest import VKO, World
from tests.webkit import make_org, make_user

PAVLODAR = "550000000"


@dataclass(frozen=True)
class Scene:
    """A memorandum with a turnover and a jobs commitment, a deal with a delivery."""

    memo: Memorandum
    turnover: Commitment
    jobs: Commitment  # the owner organisation is responsible
    report: ProgressReport
    deal: Deal  # owner buys from a Павлодар supplier
    delivery: Delivery
    supplier_id: int
    milestone: CommitmentMilestone  # of the jobs commitment


def make_scene(world: World, session: Session) -> Scene:
    """Build the scene as an administrator."""
    admin = make_user(session, Role.ADMIN)
    memo = service.create_memorandum(
        session,
        admin,
        MemorandumIn.model_validate(
            {
                "number": "М-API-1",
                "title": "О сотрудничестве ВКО и Павлодарской области",
                "signed_on": date(2026, 1, 15),
                "status": MemorandumStatus.PUBLISHED,
                "sectors": ["industry"],
                "parties": [{"region": VKO, "role": "host"}, {"region": PAVLODAR}],
            }
        ),
    )
    turnover = service.create_commitment(
        session,
        admin,
        memo.id,
        CommitmentIn(
            title="Товарооборот",
            kpi=KpiKind.TURNOVER_KZT,
            target=Decimal(10**8),
            deadline=date(2026, 12, 31),
        ),
    )
    jobs = service.create_commitment(
        session,
        admin,
        memo.id,
        CommitmentIn(
            title="Рабочие места",
            kpi=KpiKind.JOBS,
            target=Decimal(20),
            deadline=date(2026, 12, 31),
            responsible_organisation_id=world.owner.id,
        ),
    )
    report = reports.add_report(
        session, admin, jobs.id, ProgressReportIn(reported_on=date(2026, 3, 1), value=Decimal(5))
    )
    supplier = make_org(session, PAVLODAR, "ТОО «Павлодар Сталь»")
    deal = deals.create_deal(
        session,
        admin,
        DealIn(
            number="API-1",
            signed_on=date(2026, 2, 1),
            buyer_id=world.owner.id,
            supplier_id=supplier.id,
            subject="Прокат",
            amount=Decimal(5 * 10**6),
            commitment_ids=[turnover.id],
        ),
    )
    delivery = deals.add_delivery(
        session,
        admin,
        deal.id,
        DeliveryIn(delivered_on=date(2026, 3, 1), amount_kzt=Decimal(10**6)),
    )
    milestone = service.add_milestone(
        session, admin, jobs.id, MilestoneIn(due_on=date(2026, 6, 30), target=Decimal(10))
    )
    return Scene(memo, turnover, jobs, report, deal, delivery, supplier.id, milestone)

"""A small agreements world: a ВКО ↔ СКО memorandum with commitments, a buyer and a supplier.

Built with the services (as an administrator), so that the data is what users would make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.agreements import confirmation, deals, service
from seriktes.agreements.models import Commitment, Deal, KpiKind, Memorandum, MemorandumStatus
from seriktes.agreements.schemas import CommitmentIn, ConfirmIn, DealIn, MemorandumIn
from seriktes.registry.models import Organisation
from tests.webkit import make_org, make_user

VKO, SKO, PAVLODAR = "630000000", "590000000", "550000000"
SIGNED, DEADLINE = date(2026, 1, 1), date(2026, 12, 31)
MIDYEAR = date(2026, 7, 2)  # half of the year gone
_serial = count(1)


@dataclass
class Agreement:
    """`memo` (ВКО ↔ СКО) with a turnover, a supply and a jobs commitment."""

    session: Session
    admin: User
    buyer: Organisation  # ВКО
    supplier: Organisation  # СКО
    memo: Memorandum
    turnover: Commitment  # 100 million KZT by the end of 2026
    supply: Commitment  # 50 tonnes
    jobs: Commitment  # 40 jobs, from progress reports

    def deal(self, amount: str = "60000000", confirmed: bool = True, **fields: object) -> Deal:
        """Record a deal of the buyer with the supplier, confirmed by the administrator with
        its number as evidence unless told otherwise."""
        values: dict[str, object] = {
            "number": f"Д-{next(_serial)}",
            "signed_on": date(2026, 3, 1),
            "buyer_id": self.buyer.id,
            "supplier_id": self.supplier.id,
            "subject": "Футеровочные плиты",
            "amount": amount,
            **fields,
        }
        deal = deals.create_deal(self.session, self.admin, DealIn.model_validate(values))
        return self.confirm(deal) if confirmed else deal

    def confirm(self, deal: Deal) -> Deal:
        """Confirm a deal as the administrator, with its number as evidence."""
        evidence = ConfirmIn(evidence=f"договор {deal.number}")
        return confirmation.confirm(self.session, self.admin, deal.id, evidence)


def memorandum_in(**fields: object) -> MemorandumIn:
    """A published ВКО ↔ СКО memorandum on industry and trade."""
    values: dict[str, object] = {
        "number": "М-2026/01",
        "title": "О сотрудничестве в промышленности",
        "signed_on": SIGNED,
        "place": "Усть-Каменогорск",
        "status": MemorandumStatus.PUBLISHED,
        "sectors": ["industry", "trade"],
        "parties": [{"region": VKO, "role": "host"}, {"region": SKO, "role": "guest"}],
        **fields,
    }
    return MemorandumIn.model_validate(values)


def commitment_in(kpi: KpiKind, target: str, **fields: object) -> CommitmentIn:
    """A commitment of the year 2026."""
    values: dict[str, object] = {
        "title": f"Обязательство {kpi.value}",
        "kpi": kpi,
        "target": target,
        "deadline": DEADLINE,
        **fields,
    }
    return CommitmentIn.model_validate(values)


def make_agreement(session: Session) -> Agreement:
    """The memorandum with its three commitments, made by an administrator."""
    admin = make_user(session, Role.ADMIN)
    buyer = make_org(session, VKO, "ТОО «Восток Металл»")
    supplier = make_org(session, SKO, "ТОО «Север Машзавод»")
    memo = service.create_memorandum(session, admin, memorandum_in())
    make = service.create_commitment
    turnover = make(session, admin, memo.id, commitment_in(KpiKind.TURNOVER_KZT, "100000000"))
    supply = make(
        session, admin, memo.id, commitment_in(KpiKind.SUPPLY_VOLUME, "50", unit_code="т")
    )
    jobs = make(
        session,
        admin,
        memo.id,
        commitment_in(KpiKind.JOBS, "40", responsible_organisation_id=supplier.id),
    )
    return Agreement(session, admin, buyer, supplier, memo, turnover, supply, jobs)


def money(value: str) -> Decimal:
    """A KZT amount."""
    return Decimal(value)

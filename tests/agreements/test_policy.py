"""agreements.policy as tables: who creates and manages memoranda, reports progress, reads
what deals add up to, records, reads, confirms and disputes deals (rows: the users of
tests.policykit). The memorandum's parties are the region HOME and the organisation
PARTNER_ORG (of PARTNER); the deal is OWN_ORG's purchase from PARTNER_ORG, linked to the
memorandum through a commitment whose responsible organisation is OWN_ORG."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import policy
from seriktes.agreements.models import (
    AuditAction,
    AuditEntry,
    Commitment,
    Deal,
    Memorandum,
    MemorandumParty,
    MemorandumStatus,
    PartyRole,
)
from tests.policykit import (
    HOME,
    OTHER,
    OTHER_ORG,
    OWN_ORG,
    PARTNER,
    PARTNER_ORG,
    USERS,
    grid,
    organisation,
    region,
    user,
)
from tests.webkit import make_org

T, F = True, False


def memorandum(status: MemorandumStatus = MemorandumStatus.PUBLISHED) -> Memorandum:
    """Signed by the region HOME and the organisation PARTNER_ORG."""
    return Memorandum(
        id=1,
        status=status,
        parties=[
            MemorandumParty(role=PartyRole.HOST, region=region(HOME)),
            MemorandumParty(role=PartyRole.GUEST, organisation=organisation(PARTNER_ORG)),
        ],
    )


def deal(buyer: int = OWN_ORG, supplier: int = PARTNER_ORG) -> Deal:
    """A deal between two organisations of the cast, linked to nothing."""
    return Deal(buyer_id=buyer, supplier_id=supplier)


def commitment(*deals: Deal) -> Commitment:
    """A commitment of the memorandum; OWN_ORG is responsible for it."""
    return Commitment(
        memorandum=memorandum(), responsible_organisation_id=OWN_ORG, deals=list(deals)
    )


@grid(
    ("creates memoranda", "reads the audit log"),
    {
        "anonymous": (F, F),
        "admin": (T, T),
        "inactive admin": (F, F),
        "coordinator": (T, T),
        "partner coordinator": (T, T),
        "other coordinator": (T, T),
        "coordinator without region": (T, T),
        "inactive coordinator": (F, F),  # refused (the memoranda pages once let them)
        "member": (F, F),
        "partner member": (F, F),
        "other member": (F, F),
        "member without organisation": (F, F),
        "inactive member": (F, F),
    },
)
def test_who_creates_memoranda_and_reads_the_audit_log(
    who: str, column: str, expected: bool
) -> None:
    rule = policy.can_create_memoranda if column == "creates memoranda" else policy.can_read_audit
    assert rule(user(who)) is expected


def _memorandum_rule(column: str, reader: User | None) -> bool:
    if column == "manages":
        return policy.can_manage_memorandum(reader, memorandum())
    return policy.can_read_memorandum(
        reader, memorandum(MemorandumStatus(column.rsplit(maxsplit=1)[-1]))
    )


@grid(
    ("manages", "reads draft", "reads published", "reads closed"),
    {
        "anonymous": (F, F, T, T),
        "admin": (T, T, T, T),
        "inactive admin": (F, F, T, T),
        "coordinator": (T, T, T, T),  # a region party
        "partner coordinator": (T, T, T, T),  # the region of an organisation party
        "other coordinator": (F, T, T, T),
        "coordinator without region": (F, T, T, T),
        "inactive coordinator": (F, F, T, T),
        "member": (F, F, T, T),
        "partner member": (F, F, T, T),
        "other member": (F, F, T, T),
        "member without organisation": (F, F, T, T),
        "inactive member": (F, F, T, T),
    },
)
def test_who_manages_and_reads_a_memorandum(who: str, column: str, expected: bool) -> None:
    assert _memorandum_rule(column, user(who)) is expected


CommitmentRule = Callable[[User | None, Commitment], bool]
COMMITMENTS: dict[str, Callable[[], tuple[CommitmentRule, Commitment]]] = {
    "reports progress": lambda: (policy.can_report_progress, commitment(deal())),
    "reads sum of own deals": lambda: (policy.may_read_deal_sums, commitment(deal())),
    "reads sum of mixed deals": lambda: (
        policy.may_read_deal_sums,
        commitment(deal(), deal(PARTNER_ORG, OTHER_ORG)),
    ),
    "reads sum of no deals": lambda: (policy.may_read_deal_sums, commitment()),
}


@grid(
    tuple(COMMITMENTS),
    {
        #                        reports  own sum  mixed sum  no deals
        "anonymous": (F, F, F, F),
        "admin": (T, T, T, T),
        "inactive admin": (F, F, F, F),
        "coordinator": (T, T, T, T),
        "partner coordinator": (T, T, T, T),
        "other coordinator": (F, T, T, T),
        "coordinator without region": (F, T, T, T),
        "inactive coordinator": (F, F, F, F),
        "member": (T, T, F, T),  # responsible for the commitment
        "partner member": (F, T, T, T),  # a side of every deal of the mixed commitment
        "other member": (F, F, F, T),
        "member without organisation": (F, F, F, F),
        "inactive member": (F, F, F, F),
    },
)
def test_who_reports_progress_and_reads_what_deals_add_up_to(
    who: str, column: str, expected: bool
) -> None:
    rule, target = COMMITMENTS[column]()
    assert rule(user(who), target) is expected


def _linked_deal() -> Deal:
    linked = deal()
    commitment(linked)
    return linked


DEAL_ACTIONS: dict[str, Callable[[User | None], bool]] = {
    "records": lambda u: policy.can_record_deal(
        u, organisation(OWN_ORG), organisation(PARTNER_ORG)
    ),
    "reads": lambda u: policy.can_read_deal(u, deal()),
    "confirms as coordinator": lambda u: policy.can_confirm_as_coordinator(u, _linked_deal()),
    "confirms unlinked as coordinator": lambda u: policy.can_confirm_as_coordinator(u, deal()),
    "confirms": lambda u: policy.can_confirm_deal(u, _linked_deal()),
    "disputes": lambda u: policy.can_dispute_deal(u, _linked_deal()),
}


@grid(
    tuple(DEAL_ACTIONS),
    {
        #                       records reads coord unlinked confirms disputes
        "anonymous": (F, F, F, F, F, F),
        "admin": (T, T, T, T, T, T),
        "inactive admin": (F, F, F, F, F, F),
        "coordinator": (T, T, T, F, T, T),
        "partner coordinator": (T, T, T, F, T, T),
        "other coordinator": (F, T, F, F, F, F),
        "coordinator without region": (F, T, F, F, F, F),
        "inactive coordinator": (F, F, F, F, F, F),
        "member": (T, T, F, F, T, T),
        "partner member": (T, T, F, F, T, T),
        "other member": (F, F, F, F, F, F),
        "member without organisation": (F, F, F, F, F, F),
        "inactive member": (F, F, F, F, F, F),
    },
)
def test_who_records_reads_confirms_and_disputes_a_deal(
    who: str, column: str, expected: bool
) -> None:
    assert DEAL_ACTIONS[column](user(who)) is expected


@grid(
    ("side",),
    {
        "anonymous": (None,),
        "admin": (None,),
        "inactive admin": (None,),
        "coordinator": (None,),
        "partner coordinator": (None,),
        "other coordinator": (None,),
        "coordinator without region": (None,),
        "inactive coordinator": (None,),
        "member": ("buyer",),
        "partner member": ("supplier",),
        "other member": (None,),
        "member without organisation": (None,),
        "inactive member": (None,),
    },
)
def test_the_side_a_user_confirms_for(who: str, column: str, expected: str | None) -> None:
    assert policy.deal_side(user(who), deal()) == expected


def test_a_deal_s_memoranda_are_its_own_and_its_commitments() -> None:
    own, through = memorandum(), memorandum()
    through.id = 2
    linked = Deal(memorandum=own, commitments=[Commitment(memorandum=through)])
    assert {m.id for m in policy.deal_memoranda(linked)} == {1, 2}
    assert policy.deal_memoranda(deal()) == []


# --- with the database: the SQL conditions -----------------------------------------------


@pytest.mark.parametrize("who", USERS)
def test_the_sql_conditions_select_what_the_rules_allow(db_session: Session, who: str) -> None:
    orgs = {kato: make_org(db_session, kato) for kato in (HOME, PARTNER, OTHER)}
    memoranda = [
        Memorandum(number=f"M-{s}", title=str(s), signed_on=date(2025, 5, 14), status=s)
        for s in MemorandumStatus
    ]
    sides = [(HOME, PARTNER), (PARTNER, OTHER), (OTHER, HOME)]
    deals = [
        Deal(
            number=f"D-{n}",
            signed_on=date(2025, 6, 1),
            buyer_id=orgs[buyer].id,
            supplier_id=orgs[supplier].id,
            subject="Подшипники",
            amount=Decimal(1000),
            amount_kzt=Decimal(1000),
        )
        for n, (buyer, supplier) in enumerate(sides)
    ]
    db_session.add_all([*memoranda, *deals])
    db_session.flush()
    reader = user(who)
    if reader is not None and reader.organisation_id is not None:
        kato = {OWN_ORG: HOME, PARTNER_ORG: PARTNER, OTHER_ORG: OTHER}[reader.organisation_id]
        reader.organisation_id = orgs[kato].id
    shown = db_session.scalars(
        select(Memorandum.id).where(
            Memorandum.id.in_([m.id for m in memoranda]), policy.visible_memoranda(reader)
        )
    ).all()
    assert sorted(shown) == sorted(m.id for m in memoranda if policy.can_read_memorandum(reader, m))
    shown = db_session.scalars(
        select(Deal.id).where(Deal.id.in_([d.id for d in deals]), policy.visible_deals(reader))
    ).all()
    assert sorted(shown) == sorted(d.id for d in deals if policy.can_read_deal(reader, d))


# --- the audit log across memoranda ------------------------------------------------------


@grid(
    ("reads the log of all memoranda", "reads a draft's entries", "reads a published one's"),
    {
        "anonymous": (F, F, F),
        "admin": (T, T, T),
        "inactive admin": (F, F, F),
        "coordinator": (T, T, T),
        "partner coordinator": (T, T, T),
        "other coordinator": (T, T, T),  # coordinators read every memorandum, drafts too
        "coordinator without region": (T, T, T),
        "inactive coordinator": (F, F, F),
        "member": (F, F, F),  # even of a memorandum its organisation signed
        "partner member": (F, F, F),
        "other member": (F, F, F),
        "member without organisation": (F, F, F),
        "inactive member": (F, F, F),
    },
)
def test_who_reads_the_audit_log_of_all_memoranda(
    db_session: Session, who: str, column: str, expected: bool
) -> None:
    reader = user(who)
    if column == "reads the log of all memoranda":
        assert policy.can_read_organisation_audit(reader) is expected
        return
    status = MemorandumStatus.DRAFT if "draft" in column else MemorandumStatus.PUBLISHED
    memo = Memorandum(number="M-1", title="t", signed_on=date(2025, 5, 14), status=status)
    db_session.add(memo)
    db_session.flush()
    entry = AuditEntry(
        entity_kind="memorandum",
        entity_id=memo.id,
        memorandum_id=memo.id,
        action=AuditAction.CREATE,
    )
    db_session.add(entry)
    db_session.flush()
    shown = db_session.scalars(
        select(AuditEntry.id).where(AuditEntry.id == entry.id, policy.visible_audit(reader))
    ).all()
    assert (shown == [entry.id]) is expected

"""Queries of the agreements domain."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from seriktes.agreements.models import (
    DEAL_KPIS,
    AuditEntry,
    Commitment,
    Confirmation,
    Deal,
    DealStatus,
    Memorandum,
    MemorandumParty,
    MemorandumSector,
    MemorandumStatus,
    Sector,
)
from seriktes.registry.kato import oblast_sql
from seriktes.registry.models import Organisation, Region

MEMO_LOADS = (
    selectinload(Memorandum.parties).selectinload(MemorandumParty.region),
    selectinload(Memorandum.parties)
    .selectinload(MemorandumParty.organisation)
    .selectinload(Organisation.region),
    selectinload(Memorandum.sector_rows),
    selectinload(Memorandum.commitments),
)
COMMITMENT_LOADS = (
    selectinload(Commitment.deals).selectinload(Deal.deliveries),
    selectinload(Commitment.reports),
    selectinload(Commitment.responsible_organisation),
    selectinload(Commitment.responsible_region),
    selectinload(Commitment.milestones),
)
DEAL_LOADS = (
    selectinload(Deal.buyer).selectinload(Organisation.region),
    selectinload(Deal.supplier).selectinload(Organisation.region),
    selectinload(Deal.deliveries),
    selectinload(Deal.commitments),
)


ENDED = (MemorandumStatus.CLOSED, MemorandumStatus.WITHDRAWN)  # no new links


def memorandum_query(
    visible: ColumnElement[bool],
    sector: Sector | None = None,
    region_id: int | None = None,
    text: str | None = None,
) -> Select[Any]:
    """Memoranda matching the filters, newest signing first."""
    stmt = select(Memorandum).where(visible).options(*MEMO_LOADS)
    if sector is not None:
        stmt = stmt.where(
            Memorandum.id.in_(
                select(MemorandumSector.memorandum_id).where(MemorandumSector.sector == sector)
            )
        )
    if region_id is not None:
        parties = (
            select(MemorandumParty.memorandum_id)
            .outerjoin(Organisation, Organisation.id == MemorandumParty.organisation_id)
            .where(or_(MemorandumParty.region_id == region_id, Organisation.region_id == region_id))
        )
        stmt = stmt.where(Memorandum.id.in_(parties))
    if text:
        needle = text.lower()  # `%` and `_` in it match themselves
        stmt = stmt.where(
            or_(
                Memorandum.title.icontains(needle, autoescape=True),
                Memorandum.number.icontains(needle, autoescape=True),
            )
        )
    return stmt.order_by(Memorandum.signed_on.desc(), Memorandum.number, Memorandum.id)


def commitments_of(session: Session, memorandum_id: int) -> Sequence[Commitment]:
    """A memorandum's commitments with what their progress needs, in order."""
    return session.scalars(
        select(Commitment)
        .where(Commitment.memorandum_id == memorandum_id)
        .options(*COMMITMENT_LOADS)
        .order_by(Commitment.position, Commitment.id)
    ).all()


def deal_query(
    visible: ColumnElement[bool],
    organisation_id: int | None = None,
    memorandum_id: int | None = None,
    commitment_id: int | None = None,
    confirmation: Confirmation | None = None,
) -> Select[Any]:
    """Deals matching the filters, newest first."""
    stmt = select(Deal).where(visible).options(*DEAL_LOADS)
    if confirmation is not None:
        stmt = stmt.where(Deal.confirmation == confirmation)
    if organisation_id is not None:
        stmt = stmt.where(
            or_(Deal.buyer_id == organisation_id, Deal.supplier_id == organisation_id)
        )
    if memorandum_id is not None:
        stmt = stmt.where(Deal.memorandum_id == memorandum_id)
    if commitment_id is not None:
        stmt = stmt.where(Deal.commitments.any(Commitment.id == commitment_id))
    return stmt.order_by(Deal.signed_on.desc(), Deal.id.desc())


def confirmed_amounts(
    session: Session, pair: tuple[str, str], exclude_id: int | None = None
) -> list[Decimal]:
    """KZT amounts of the confirmed deals (not cancelled) between two top-level regions, given
    by the first two digits of their KATO codes, in either direction."""
    buyer_org, supplier_org = aliased(Organisation), aliased(Organisation)
    buyer_region, supplier_region = aliased(Region), aliased(Region)
    sides = (oblast_sql(buyer_region.kato), oblast_sql(supplier_region.kato))
    stmt = (
        select(Deal.amount_kzt)
        .join(buyer_org, Deal.buyer_id == buyer_org.id)
        .join(buyer_region, buyer_org.region_id == buyer_region.id)
        .join(supplier_org, Deal.supplier_id == supplier_org.id)
        .join(supplier_region, supplier_org.region_id == supplier_region.id)
        .where(
            Deal.confirmation == Confirmation.CONFIRMED,
            Deal.status != DealStatus.CANCELLED,
            or_(
                and_(sides[0] == pair[0], sides[1] == pair[1]),
                and_(sides[0] == pair[1], sides[1] == pair[0]),
            ),
        )
    )
    if exclude_id is not None:
        stmt = stmt.where(Deal.id != exclude_id)
    return [Decimal(amount) for amount in session.scalars(stmt)]


def audit_query(
    memorandum_id: int | None = None, entity_kind: str | None = None, entity_id: int | None = None
) -> Select[Any]:
    """Audit entries, newest first."""
    stmt = select(AuditEntry).options(selectinload(AuditEntry.user))
    if memorandum_id is not None:
        stmt = stmt.where(AuditEntry.memorandum_id == memorandum_id)
    if entity_kind is not None:
        stmt = stmt.where(AuditEntry.entity_kind == entity_kind)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def memorandum_by_number(session: Session, number: str) -> Memorandum | None:
    """The memorandum with this registration number."""
    return session.scalars(select(Memorandum).where(Memorandum.number == number)).first()


def deal_by_number(session: Session, buyer_id: int, number: str) -> Deal | None:
    """The buyer's deal with this contract number."""
    return session.scalars(
        select(Deal).where(Deal.buyer_id == buyer_id, Deal.number == number)
    ).first()


def open_commitments(session: Session, seen: ColumnElement[bool]) -> list[Commitment]:
    """Commitments measured by deals, of memoranda that pass `seen` and are not closed,
    latest memoranda first."""
    stmt = (
        select(Commitment)
        .join(Memorandum)
        .where(seen, Memorandum.status.notin_(ENDED), Commitment.kpi.in_(DEAL_KPIS))
        .order_by(Memorandum.signed_on.desc(), Commitment.position)
    )
    return list(session.scalars(stmt).all())


# --- the start page ----------------------------------------------------------------------
def deals_awaiting_side(
    session: Session, organisation_id: int, visible: ColumnElement[bool]
) -> list[Deal]:
    """Deals passing `visible` that await confirmation and whose side of the organisation
    (buyer or supplier) has not confirmed them yet, oldest signing first."""
    unconfirmed = or_(
        and_(Deal.buyer_id == organisation_id, Deal.buyer_confirmed.is_(False)),
        and_(Deal.supplier_id == organisation_id, Deal.supplier_confirmed.is_(False)),
    )
    stmt = (
        select(Deal)
        .where(visible, Deal.confirmation == Confirmation.AWAITING, unconfirmed)
        .options(*DEAL_LOADS, selectinload(Deal.memorandum))
        .order_by(Deal.signed_on, Deal.id)
    )
    return list(session.scalars(stmt))


def commitments_answered_by(
    session: Session, organisation_id: int, visible: ColumnElement[bool]
) -> list[Commitment]:
    """Commitments an organisation is responsible for, of memoranda passing `visible`,
    with what their progress needs, the nearest deadline first."""
    stmt = (
        select(Commitment)
        .join(Commitment.memorandum)
        .where(visible, Commitment.responsible_organisation_id == organisation_id)
        .options(*COMMITMENT_LOADS, selectinload(Commitment.memorandum))
        .order_by(Commitment.deadline, Commitment.id)
    )
    return list(session.scalars(stmt))


def region_commitments(
    session: Session, visible: ColumnElement[bool], oblast: str | None = None
) -> list[Commitment]:
    """Commitments of memoranda passing `visible` and not closed whose party is a region
    (itself, or as an organisation's region) of a top-level region given by its two KATO
    digits, or of every memorandum when `oblast` is None; with what their progress and the
    memoranda policy need, the nearest deadline first."""
    stmt = (
        select(Commitment)
        .join(Commitment.memorandum)
        .where(visible, Memorandum.status.notin_(ENDED))
        .options(
            *COMMITMENT_LOADS,
            selectinload(Commitment.memorandum).options(*MEMO_LOADS),
        )
        .order_by(Commitment.deadline, Commitment.id)
    )
    if oblast is not None:
        own, org_region = aliased(Region), aliased(Region)
        parties = (
            select(MemorandumParty.memorandum_id)
            .outerjoin(own, MemorandumParty.region_id == own.id)
            .outerjoin(Organisation, MemorandumParty.organisation_id == Organisation.id)
            .outerjoin(org_region, Organisation.region_id == org_region.id)
            .where(or_(oblast_sql(own.kato) == oblast, oblast_sql(org_region.kato) == oblast))
        )
        stmt = stmt.where(Commitment.memorandum_id.in_(parties))
    return list(session.scalars(stmt))


def deals_of_meetings(session: Session, meeting_ids: Sequence[int]) -> list[Deal]:
    """The deals recorded from these meetings, with their deliveries."""
    if not meeting_ids:
        return []
    stmt = (
        select(Deal)
        .where(Deal.meeting_id.in_(list(meeting_ids)))
        .options(selectinload(Deal.deliveries))
        .order_by(Deal.id)
    )
    return list(session.scalars(stmt))

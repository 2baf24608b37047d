"""Queries of the audit log: its entries under filters (a memorandum's, or all a reader may
read), the people and objects a log holds (for its filters), and the rows its entries point
at, each kind loaded with one query for a whole page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session, selectinload

from seriktes.accounts.models import User
from seriktes.agreements.models import (
    AuditAction,
    AuditEntry,
    Commitment,
    CommitmentMilestone,
    Deal,
    Delivery,
    Memorandum,
    ProgressReport,
    deal_commitments,
)
from seriktes.kit import clock
from seriktes.kit.db import Base

M = TypeVar("M", bound=Base)
SYSTEM_USER = 0  # the person filter's value for changes made by an import or the CLI
ENTITIES: dict[str, type[Base]] = {
    "memorandum": Memorandum,
    "commitment": Commitment,
    "milestone": CommitmentMilestone,
    "deal": Deal,
    "delivery": Delivery,
    "progress_report": ProgressReport,
}


@dataclass(frozen=True)
class AuditFilters:
    """Which entries to show: of one kind of object (or one object), by one person (or
    `SYSTEM_USER`), within a period of Kazakhstan's days (both ends included)."""

    kind: str | None = None
    entity_id: int | None = None
    user_id: int | None = None
    since: date | None = None
    until: date | None = None


def memorandum_scope(memorandum_id: int) -> ColumnElement[bool]:
    """Entries of a memorandum, its commitments and reports, and the deals linked to it."""
    linked = (
        select(deal_commitments.c.deal_id)
        .join(Commitment, Commitment.id == deal_commitments.c.commitment_id)
        .where(Commitment.memorandum_id == memorandum_id)
    )
    direct = select(Deal.id).where(Deal.memorandum_id == memorandum_id)
    return or_(
        AuditEntry.memorandum_id == memorandum_id,
        (AuditEntry.entity_kind == "deal") & AuditEntry.entity_id.in_(linked),
        (AuditEntry.entity_kind == "deal") & AuditEntry.entity_id.in_(direct),
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, clock.ZONE)


def filtered(filters: AuditFilters) -> ColumnElement[bool]:
    """SQL condition of `filters`."""
    conditions: list[ColumnElement[bool]] = []
    if filters.kind is not None:
        conditions.append(AuditEntry.entity_kind == filters.kind)
    if filters.entity_id is not None:
        conditions.append(AuditEntry.entity_id == filters.entity_id)
    if filters.user_id == SYSTEM_USER:
        conditions.append(AuditEntry.user_id.is_(None))
    elif filters.user_id is not None:
        conditions.append(AuditEntry.user_id == filters.user_id)
    if filters.since is not None:
        conditions.append(AuditEntry.at >= _start_of(filters.since))
    if filters.until is not None:
        conditions.append(AuditEntry.at < _start_of(filters.until + timedelta(days=1)))
    return and_(true(), *conditions)


def entries(scope: ColumnElement[bool], filters: AuditFilters) -> Select[Any]:
    """Entries within `scope` under `filters`, newest first."""
    return (
        select(AuditEntry)
        .options(selectinload(AuditEntry.user))
        .where(scope, filtered(filters))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )


def people(session: Session, scope: ColumnElement[bool]) -> list[User]:
    """The people whose changes are within `scope`, by name."""
    ids = select(AuditEntry.user_id).where(scope, AuditEntry.user_id.is_not(None)).distinct()
    return list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.full_name)))


def objects(session: Session, scope: ColumnElement[bool], kind: str, limit: int = 300) -> list[int]:
    """Ids of the objects of `kind` the entries within `scope` are about (newest first)."""
    stmt = (
        select(AuditEntry.entity_id)
        .where(scope, AuditEntry.entity_kind == kind)
        .group_by(AuditEntry.entity_id)
        .order_by(AuditEntry.entity_id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def by_id(session: Session, model: type[M], ids: Iterable[int]) -> dict[int, M]:
    """Rows of `model` with these ids (one query)."""
    wanted = sorted({i for i in ids if isinstance(i, int)})
    if not wanted:
        return {}
    column = model.id  # type: ignore[attr-defined]
    return {row.id: row for row in session.scalars(select(model).where(column.in_(wanted)))}  # type: ignore[attr-defined]


def by_code(session: Session, model: type[M], codes: Iterable[str]) -> dict[str, M]:
    """Rows of `model` (a table keyed by `code`) with these codes (one query)."""
    wanted = sorted({c for c in codes if isinstance(c, str)})
    if not wanted:
        return {}
    column = model.code  # type: ignore[attr-defined]
    return {row.code: row for row in session.scalars(select(model).where(column.in_(wanted)))}  # type: ignore[attr-defined]


def full_snapshots(
    session: Session, wanted: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """The whole snapshot of each object (its creation's after, or its deletion's before),
    for objects no longer in their tables (one query)."""
    pairs = set(wanted)
    if not pairs:
        return {}
    stmt = select(AuditEntry).where(
        AuditEntry.action.in_((AuditAction.CREATE, AuditAction.DELETE)),
        or_(*(and_(AuditEntry.entity_kind == k, AuditEntry.entity_id == i) for k, i in pairs)),
    )
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for entry in session.scalars(stmt.order_by(AuditEntry.id)):
        values = entry.after if entry.action is AuditAction.CREATE else entry.before
        if values:
            found[(entry.entity_kind, entry.entity_id)] = values
    return found

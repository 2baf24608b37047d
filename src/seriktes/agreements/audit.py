"""The audit log: every change to memoranda, commitments, deals and their parts, with who,
when, and the values before and after (only the changed fields for an update, and for a
deal's confirmation or dispute)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements.models import (
    AuditAction,
    AuditEntry,
    Commitment,
    CommitmentMilestone,
    Deal,
    Delivery,
    Memorandum,
    MemorandumParty,
    ProgressReport,
)
from seriktes.kit import clock
from seriktes.kit.db import Base

SKIPPED = {"created_at", "updated_at", "document", "evidence", "version", "field_versions"}
CHANGES = (AuditAction.UPDATE, AuditAction.CONFIRM, AuditAction.DISPUTE)  # logged as a diff
KINDS: dict[type[Base], str] = {
    Memorandum: "memorandum",
    Commitment: "commitment",
    CommitmentMilestone: "milestone",
    Deal: "deal",
    Delivery: "delivery",
    ProgressReport: "progress_report",
}


def plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO strings, decimals as strings)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def snapshot(row: Base) -> dict[str, Any]:
    """The row's stored fields, plus the links a reader of the log wants to see."""
    values = {
        attr.key: plain(getattr(row, attr.key))
        for attr in inspect(type(row)).column_attrs
        if attr.key not in SKIPPED
    }
    if isinstance(row, Memorandum):
        values["sectors"] = sorted(s.value for s in row.sectors)
        values["parties"] = [party_values(p) for p in row.parties]
        values["document"] = row.document_filename
    elif isinstance(row, Deal):
        values["commitment_ids"] = sorted(c.id for c in row.commitments)
        values["evidence"] = row.evidence  # the contract a coordinator confirmed it by
    elif isinstance(row, ProgressReport):
        values["evidence"] = row.evidence_filename
    return values


def party_values(party: MemorandumParty) -> dict[str, Any]:
    """A party's fields as its memorandum's snapshot holds them (all but its ids)."""
    return {
        attr.key: plain(getattr(party, attr.key))
        for attr in inspect(MemorandumParty).column_attrs
        if attr.key not in ("id", "memorandum_id")
    }


def memorandum_of(row: Base) -> int | None:
    """The memorandum a row belongs to, for the memorandum's audit page."""
    if isinstance(row, Memorandum):
        return row.id
    if isinstance(row, Commitment):
        return row.memorandum_id
    if isinstance(row, ProgressReport | CommitmentMilestone):
        return row.commitment.memorandum_id
    if isinstance(row, Deal):
        return row.memorandum_id
    if isinstance(row, Delivery):
        return row.deal.memorandum_id
    return None


def record(
    session: Session,
    user: User | None,
    action: AuditAction,
    row: Base,
    before: dict[str, Any] | None,
    memorandum_id: int | None = None,
) -> AuditEntry | None:
    """Write one entry for a change to `row` (flushed, so that it has its id). An update
    that changed nothing writes nothing."""
    session.flush()
    after = None if action is AuditAction.DELETE else snapshot(row)
    if action in CHANGES and before is not None and after is not None:
        keys = sorted(k for k in after if before.get(k) != after[k])
        if not keys:
            return None
        before = {k: before.get(k) for k in keys}
        after = {k: after[k] for k in keys}
    entry = AuditEntry(
        entity_kind=KINDS[type(row)],
        entity_id=row.id,  # type: ignore[attr-defined]
        memorandum_id=memorandum_id if memorandum_id is not None else memorandum_of(row),
        action=action,
        user_id=user.id if user is not None else None,
        at=clock.now(),
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    return entry

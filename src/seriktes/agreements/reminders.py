"""The agreements' part of the daily sweep: commitments of published memoranda due within 30
days or overdue (and achieved) tell their parties, once per commitment and deadline (the key
names both, so a moved deadline reminds again). Only flushes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.agreements.models import Commitment, Memorandum, MemorandumStatus
from seriktes.agreements.notices import commitment_notice, progress_status
from seriktes.agreements.progress import Status
from seriktes.kit import clock
from seriktes.notifications.kinds import Kind

DUE_WITHIN = timedelta(days=30)


def commitments_due_by(session: Session, day: date) -> list[Commitment]:
    """Commitments of published memoranda whose deadline is on or before `day`."""
    stmt = (
        select(Commitment)
        .join(Memorandum, Commitment.memorandum_id == Memorandum.id)
        .where(Memorandum.status == MemorandumStatus.PUBLISHED, Commitment.deadline <= day)
        .order_by(Commitment.deadline, Commitment.id)
    )
    return list(session.scalars(stmt))


def remind_commitments(session: Session, today: date | None = None) -> int:
    """Tell the parties of commitments due within 30 days, overdue or achieved; return how
    many commitments were looked at."""
    today = today or clock.today()
    found = commitments_due_by(session, today + DUE_WITHIN)
    for commitment in found:
        status = progress_status(session, commitment, today).status
        if status is Status.ACHIEVED:
            kind, key = Kind.COMMITMENT_ACHIEVED, f"commitment.{commitment.id}.achieved"
        elif commitment.deadline < today:
            kind, key = Kind.COMMITMENT_OVERDUE, f"commitment.{commitment.id}.overdue"
        else:
            kind, key = Kind.COMMITMENT_DUE, f"commitment.{commitment.id}.due"
        if kind is not Kind.COMMITMENT_ACHIEVED:
            key = f"{key}.{commitment.deadline:%Y%m%d}"
        commitment_notice(session, commitment, kind, today, key)
    return len(found)

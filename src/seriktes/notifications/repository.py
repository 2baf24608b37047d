"""Queries of notifications: recipients, existing keys, preferences, a user's list and counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.notifications.models import (
    Delivery,
    Mode,
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
)


def members(session: Session, organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active users of each organisation, by organisation id."""
    ids = sorted(set(organisation_ids))
    found: dict[int, list[User]] = {org_id: [] for org_id in ids}
    if not ids:
        return found
    stmt = (
        select(User)
        .where(User.organisation_id.in_(ids), User.is_active.is_(True))
        .order_by(User.id)
    )
    for user in session.scalars(stmt):
        assert user.organisation_id is not None
        found[user.organisation_id].append(user)
    return found


def coordinators(session: Session, region_ids: Iterable[int]) -> list[User]:
    """The active coordinators of these regions."""
    stmt = select(User).where(
        User.role == Role.COORDINATOR,
        User.is_active.is_(True),
        User.region_id.in_(sorted(set(region_ids))),
    )
    return list(session.scalars(stmt.order_by(User.id)))


def notified_users(session: Session, key: str, user_ids: Iterable[int]) -> set[int]:
    """Users among `user_ids` who already have the notification of `key`."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    stmt = select(Notification.user_id).where(
        Notification.dedupe_key == key, Notification.user_id.in_(ids)
    )
    return set(session.scalars(stmt))


def outbox_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Idempotency keys among `keys` already in the outbox."""
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    stmt = select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.in_(wanted))
    return set(session.scalars(stmt))


def modes(
    session: Session, user_ids: Iterable[int], kind: str | None = None
) -> dict[tuple[int, str], Mode]:
    """Stored choices: (user id, kind) → mode (of one kind when `kind` is given)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    stmt = select(NotificationPreference).where(NotificationPreference.user_id.in_(ids))
    if kind is not None:
        stmt = stmt.where(NotificationPreference.kind == kind)
    return {(p.user_id, p.kind): p.mode for p in session.scalars(stmt)}


def preference(session: Session, user_id: int, kind: str) -> NotificationPreference | None:
    """A user's stored choice for one kind."""
    stmt = select(NotificationPreference).where(
        NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
    )
    return session.scalars(stmt).first()


def user_notifications(user_id: int, unread_only: bool = False) -> Select[Any]:
    """A user's notifications, newest first."""
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(session: Session, user_id: int) -> int:
    """How many of a user's notifications are unread."""
    stmt = select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return int(session.scalar(stmt) or 0)


def mark_read(session: Session, user_id: int, now: datetime, ids: list[int] | None) -> int:
    """Mark a user's unread notifications read (those of `ids`, or all); return how many."""
    stmt = (
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    result = session.execute(stmt.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def waiting_for_digest(session: Session) -> list[Notification]:
    """Notifications waiting for their user's daily digest, by user and age."""
    stmt = (
        select(Notification)
        .where(Notification.delivery == Delivery.DIGEST)
        .order_by(Notification.user_id, Notification.id)
    )
    return list(session.scalars(stmt))


STUCK_AFTER = timedelta(minutes=10)


def outbox_problems(session: Session, now: datetime, limit: int = 20) -> list[OutboxMessage]:
    """Messages of the outbox an administrator should look at, oldest first: given up
    (failed), failing and waiting for another attempt, or still unsent `STUCK_AFTER` after
    they were written (no worker running, or the mail server refusing)."""
    stmt = (
        select(OutboxMessage)
        .where(
            or_(
                OutboxMessage.status == OutboxStatus.FAILED,
                and_(OutboxMessage.status != OutboxStatus.SENT, OutboxMessage.attempts > 0),
                and_(
                    OutboxMessage.status != OutboxStatus.SENT,
                    OutboxMessage.created_at < now - STUCK_AFTER,
                ),
            )
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))

"""Notifications tables: what happened for a user (in the app), the e-mails waiting to be sent
(the transactional outbox), users' choices per kind, and their calendar feeds' secrets."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seriktes.kit import clock
from seriktes.kit.db import Base, UTCDateTime
from seriktes.registry.models import enum_column


class Mode(enum.StrEnum):
    """How a user wants a kind of notification."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class Delivery(enum.StrEnum):
    """What becomes of a notification besides the app: e-mailed at once (an outbox row),
    waiting for the daily digest, bundled into one, or in the app only."""

    EMAIL = "email"
    DIGEST = "digest"
    DIGESTED = "digested"
    APP = "app"


class OutboxStatus(enum.StrEnum):
    """Life cycle of an e-mail in the outbox."""

    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker until `claimed_until`
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt


class Notification(Base):
    """Something that happened, for one user: kind, parameters of its text, a link. Its
    `dedupe_key` is unique per user, so a sweep or a retry never notifies twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="/")  # a path of the site
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery), default=Delivery.APP)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxMessage(Base):
    """An e-mail written in the same transaction as the change it tells of, sent by a worker.

    `idempotency_key` is unique and is the message's Message-ID: a retry after a crash between
    sending and marking sent sends the same Message-ID, which receiving systems deduplicate."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(2), default="ru")
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # [{"filename", "content_type", "size"}]; the bytes in `attachment_data`, one after another
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    attachment_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationPreference(Base):
    """A user's choice for one kind (kinds without a row take their default)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    mode: Mapped[Mode] = mapped_column(enum_column(Mode))


class CalendarFeed(Base):
    """A user's secret calendar address: the token is stored as it is (the page shows it to
    its owner again); it only reads the meetings of the user's organisation, and a reset
    replaces it."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

"""Users, their browser sessions and API tokens, and the counters that throttle logins."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seriktes.kit import clock
from seriktes.kit.db import Base, Timestamped, UTCDateTime
from seriktes.registry.models import Organisation, Region, enum_column


class Role(enum.StrEnum):
    """What a user may do (see accounts.policy)."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    MEMBER = "member"


class User(Timestamped, Base):
    """A person who logs in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    language: Mapped[str] = mapped_column(String(2), default="ru")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class UserSession(Base):
    """A logged-in browser: the signed cookie holds its key, only the key's SHA-256 is
    stored. Logging out deletes it; a password change or deactivation deletes them all."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ApiToken(Timestamped, Base):
    """A token for machine clients; only its SHA-256 is stored. It ends when it expires or
    is revoked; `last_used_at` is kept to the minute, outside the requests that use it."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Login attempts counted for one key (an account from one client, or one client), shared
    by every web process: `failures` since the last success, and when the next attempt is
    allowed. Counted with one atomic statement per attempt, before the password is checked."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    allowed_at: Mapped[datetime] = mapped_column(UTCDateTime)

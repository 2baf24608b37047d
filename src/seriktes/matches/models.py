"""Stored matches (a need, an offer, the rank, the score and the explanation) and what
buyers and coordinators said of them (feedback)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seriktes.accounts.models import User
from seriktes.catalog.models import Need, Offer
from seriktes.kit import clock
from seriktes.kit.db import Base, Timestamped, UTCDateTime
from seriktes.registry.models import enum_column


class Match(Timestamped, Base):
    """An offer ranked for a need by the matching engine."""

    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("need_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    class_level: Mapped[int] = mapped_column(Integer, default=0)
    need_class: Mapped[str | None] = mapped_column(String(16))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    need: Mapped[Need] = relationship()
    offer: Mapped[Offer] = relationship()


class Verdict(enum.StrEnum):
    """Whether an offer suits a need."""

    SUITABLE = "suitable"
    NOT_SUITABLE = "not_suitable"


class Reason(enum.StrEnum):
    """Why an offer does not suit a need."""

    WRONG_PRODUCT = "wrong_product"
    WRONG_CLASS = "wrong_class"
    CANNOT_SUPPLY = "cannot_supply"


class MatchFeedback(Timestamped, Base):
    """The current answer on a pair (need, offer): suitable or not, why, who gave it last
    (`user_id`) and when it was first given (`created_at`) and last changed (`updated_at`).
    The pair need not be a stored match: an offer marked not suitable leaves the matches."""

    __tablename__ = "match_feedback"
    __table_args__ = (UniqueConstraint("need_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict))
    reason: Mapped[Reason | None] = mapped_column(enum_column(Reason))
    comment: Mapped[str | None] = mapped_column(Text)

    need: Mapped[Need] = relationship()
    offer: Mapped[Offer] = relationship()
    user: Mapped[User | None] = relationship()

    @property
    def suitable(self) -> bool:
        """True when the offer was marked suitable."""
        return self.verdict is Verdict.SUITABLE


class ChangeKind(enum.StrEnum):
    """What happened to the row a change names; `reset`: offers were written by a bulk
    statement whose rows are not known (a snapshot of the offers no longer holds)."""

    UPSERT = "upsert"
    DELETE = "delete"
    RESET = "reset"


class MatchingChange(Base):
    """One write the matching engines of other processes must follow, logged in the
    transaction that made it: an offer (`offer_id`), a need (`need_id`) or the answer on a
    pair (both). No foreign keys: the log outlives deleted rows. A process serving a
    snapshot of the offers reads the changes after the last one it includes."""

    __tablename__ = "matching_changes"
    __table_args__ = ({"sqlite_autoincrement": True},)  # SQLite never gives an id twice

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    offer_id: Mapped[int | None] = mapped_column(Integer)
    need_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

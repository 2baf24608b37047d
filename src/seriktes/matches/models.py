"""Stored matches: a need, an offer, the rank, the score and the explanation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seriktes.catalog.models import Need, Offer
from seriktes.kit.db import Base, Timestamped


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

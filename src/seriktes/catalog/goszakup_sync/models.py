"""Where a goszakup sync stands, per buyer or region and plan year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from seriktes.kit.db import Base, Timestamped, UTCDateTime


class GoszakupSync(Timestamped, Base):
    """One sync target (`bin:<BIN>` or `region:<KATO>`, a plan year or 0 for every year):
    the page to read next while a run is under way, the newest item it has read, when a run
    last went through to the end."""

    __tablename__ = "goszakup_syncs"
    __table_args__ = (UniqueConstraint("target", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer, default=0)
    # the path of the page to read next: set while a run is under way, None once it ended
    next_page: Mapped[str | None] = mapped_column(String(1000))
    # the highest item id of the runs that went through: the next run asks for the items
    # after it only (and skips any at or below it)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    # the highest item id the run under way has read (becomes `last_id` when it ends)
    running_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_timestamp: Mapped[str | None] = mapped_column(String(32))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    items: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

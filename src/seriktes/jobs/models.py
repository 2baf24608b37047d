"""A background job as the application sees it: one row per job, whatever queue runs it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seriktes.accounts.models import User
from seriktes.kit.db import Base, Timestamped, UTCDateTime
from seriktes.registry.models import enum_column


class JobStatus(enum.StrEnum):
    """Where a job is: waiting, running, or ended (done, failed, cancelled)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(Timestamped, Base):
    """A job: its kind and parameters, who started it for what object, its progress and its
    end. `active_key` (kind and object) is set while the job is queued or running and cleared
    when it ends: a unique column, so a second start for the same object joins the first.
    `attempt` and `token` name the run that holds it; a run commits its writes together with
    its end only while it still holds the job, so a run taken over after its worker died
    writes nothing."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(2), default="ru")
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    active_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(String(255))
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    token: Mapped[str | None] = mapped_column(String(64))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result_url: Mapped[str | None] = mapped_column(String(255))
    result_name: Mapped[str | None] = mapped_column(String(255))
    result_type: Mapped[str | None] = mapped_column(String(120))
    result_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the error as a template and its parameters, shown in the reader's language
    error: Mapped[str | None] = mapped_column(String(500))
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()

    @property
    def ended(self) -> bool:
        return self.status not in ACTIVE

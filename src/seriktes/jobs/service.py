"""Jobs as users start, follow and cancel them. Starting writes the job's row in the caller's
transaction; the queue hears of it once that transaction commits (`queue`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.jobs import policy
from seriktes.jobs.models import ACTIVE, Job, JobStatus
from seriktes.kit import clock
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, Forbidden, NotFound
from seriktes.kit.i18n import N_

PENDING_KEY = "jobs_to_enqueue"  # session.info: job ids the queue hears of after commit


def active_key(
    kind: str, object_type: str | None, object_id: int | None, scope: str | None = None
) -> str:
    """What makes two jobs the same job: kind, object and, where the object does not say it
    all, a scope (a report's pair, year, format and reader)."""
    key = f"{kind}:{object_type or '-'}:{object_id if object_id is not None else '-'}"
    return f"{key}:{scope}"[:120] if scope else key


def start(
    session: Session,
    user: User | None,
    kind: str,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    params: dict[str, Any] | None = None,
    language: str = "ru",
    max_attempts: int = 3,
    scope: str | None = None,
) -> tuple[Job, bool]:
    """Queue a job of `kind` for the object, or join the one queued or running for it.
    Returns the job and whether it was created now."""
    key = active_key(kind, object_type, object_id, scope)
    running = session.scalar(select(Job).where(Job.active_key == key))
    if running is not None:
        return running, False
    job = Job(
        kind=kind,
        user_id=user.id if user is not None else None,
        object_type=object_type,
        object_id=object_id,
        params=params or {},
        language=language,
        status=JobStatus.QUEUED,
        active_key=key,
        max_attempts=max_attempts,
    )
    try:
        with session.begin_nested():
            session.add(job)
            session.flush()
    except IntegrityError:  # another request started it in between: join that one
        joined = session.scalar(select(Job).where(Job.active_key == key))
        if joined is None:
            raise
        return joined, False
    session.info.setdefault(PENDING_KEY, []).append(job.id)
    return job, True


def get_job(session: Session, user: User, job_id: int) -> Job:
    """The job, when `user` may see it."""
    job = get_by_id(session, Job, job_id)
    if job is None or not policy.can_see(user, job):
        raise NotFound(N_("no job with id %(job_id)s"), params={"job_id": job_id})
    return job


def cancel(session: Session, user: User, job_id: int) -> Job:
    """Cancel a queued or running job at once. A running job's worker finds at its end that
    it no longer holds the job and keeps nothing of what it computed."""
    job = get_job(session, user, job_id)
    if not policy.can_cancel(user, job):
        raise Forbidden(N_("you may not cancel this job"))
    cancelled = session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status.in_(ACTIVE))
        .values(
            status=JobStatus.CANCELLED,
            cancel_requested=True,
            active_key=None,
            finished_at=clock.now(),
        )
        .execution_options(synchronize_session=False)
    )
    if cancelled.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("the job has ended already"))
    session.flush()
    session.refresh(job)
    return job


def jobs_of(session: Session, user: User, limit: int = 100, offset: int = 0) -> Sequence[Job]:
    """The jobs a user sees, newest first: their own; every job for administrators."""
    query = select(Job).order_by(Job.id.desc()).limit(limit).offset(offset)
    if not policy.sees_all(user):
        query = query.where(Job.user_id == user.id)
    return session.scalars(query).all()


def active_for(session: Session, kind: str, object_type: str, object_id: int) -> Job | None:
    """The job of `kind` queued or running for the object, if any."""
    return session.scalar(
        select(Job).where(Job.active_key == active_key(kind, object_type, object_id))
    )


def latest_for(
    session: Session, kinds: str | Sequence[str], object_type: str, object_id: int
) -> Job | None:
    """The newest job of `kinds` for the object."""
    wanted = [kinds] if isinstance(kinds, str) else list(kinds)
    return session.scalar(
        select(Job)
        .where(Job.kind.in_(wanted), Job.object_type == object_type, Job.object_id == object_id)
        .order_by(Job.id.desc())
        .limit(1)
    )


def is_active(job: Job) -> bool:
    return job.status in ACTIVE

"""Running one job: claimed by one run at a time, a heartbeat with its progress, and its
writes committed together with its end only while the run still holds the job.

A kind's work reads in sessions of its own (`JobContext.reading`) and returns its writes as
a function (`Finish`); the runner calls that function in the one short transaction that also
marks the job done — on SQLite a writer holds the database's one write lock, so a job never
writes while it computes. Work long enough to need several transactions commits chunks with
`JobContext.commit`, each made only while the run holds the job and each idempotent.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from seriktes.config import Settings
from seriktes.jobs.models import Job, JobStatus
from seriktes.kit import clock
from seriktes.kit.db import transaction
from seriktes.kit.errors import SeriktesError, keepable
from seriktes.kit.i18n import N_

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0
UNEXPECTED = N_(
    "the job stopped on an unexpected error; the administrators can read it in the worker's log"
)
LOST = N_("the worker running the job stopped %(attempts)s times; the job was given up")


@dataclass
class Outcome:
    """What a finished job shows: a page to open, a file to download, figures."""

    url: str | None = None
    summary: dict[str, Any] | None = None
    file_name: str | None = None
    file_type: str | None = None
    file_data: bytes | None = None


Finish = Callable[[Session], Outcome]


class Cancelled(Exception):
    """The job was cancelled by a user; nothing it computed is kept."""


class Released(Exception):
    """The run no longer holds the job (given up as lost, or cancelled): write nothing."""


@dataclass
class JobContext:
    """What a kind's work sees: its job's parameters, sessions to read in, progress and
    cancellation."""

    job_id: int
    kind: str
    params: dict[str, Any]
    user_id: int | None
    language: str
    object_id: int | None
    token: str
    factory: sessionmaker[Session] | None
    inline: Session | None = None  # the caller's session, when the job runs inline
    settings: Settings | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    done: int = 0
    total: int = 0
    message: str | None = None
    timed: tuple[float, float] | None = None  # (started, seconds): progress by the clock

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session to read in; whatever it wrote is rolled back."""
        if self.inline is not None:
            yield self.inline
            return
        assert self.factory is not None
        session = self.factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        """Report progress (shown at the next heartbeat); raise `Cancelled` when asked to."""
        self.done, self.total, self.timed = done, total, None
        if message is not None:
            self.message = message
        self.check()

    def for_seconds(self, seconds: float, message: str) -> None:
        """Progress runs with the clock for `seconds` (a solver with a time limit)."""
        self.message, self.timed = message, (time.monotonic(), max(seconds, 0.1))
        self.check()

    def check(self) -> None:
        """Raise `Cancelled` when a user cancelled the job."""
        if self.cancel.is_set():
            raise Cancelled

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The factory of the run's own transactions (never inline)."""
        assert self.factory is not None, "an inline job has no transactions of its own"
        return self.factory

    def current(self) -> tuple[int, int]:
        """Done and total as the heartbeat writes them."""
        if self.timed is None:
            return self.done, self.total
        started, seconds = self.timed
        return min(99, int(100 * (time.monotonic() - started) / seconds)), 100

    def commit(self, write: Callable[[Session], None]) -> None:
        """Commit `write` now, in a transaction of its own, while this run holds the job."""
        if self.inline is not None:
            write(self.inline)
            return
        assert self.factory is not None
        with transaction(self.factory, writes=True) as session:
            if not _still_held(session, self):
                raise Released
            write(session)


def run_inline(
    session: Session, job: Job, works: dict[str, Work], settings: Settings | None = None
) -> JobStatus:
    """Run a job now in the caller's session and transaction (a database in memory, which
    no worker can open): its writes and its end commit with the caller's."""
    context = JobContext(
        job_id=job.id,
        kind=job.kind,
        params=dict(job.params or {}),
        user_id=job.user_id,
        language=job.language,
        object_id=job.object_id,
        token="inline",
        factory=None,
        inline=session,
        settings=settings,
    )
    job.status, job.token, job.attempt = JobStatus.RUNNING, "inline", 1
    job.started_at = job.heartbeat_at = clock.now()
    session.flush()
    work = works.get(job.kind)
    try:
        with session.begin_nested():
            if work is None:
                raise SeriktesError(N_("unknown kind of job %(kind)s"), params={"kind": job.kind})
            outcome = work(context)(session)
            _end(session, context, JobStatus.DONE, outcome=outcome)
    except SeriktesError as exc:
        _end(session, context, JobStatus.FAILED, exc.template, keepable(exc.params))
    except Exception:
        log.exception("job %s (%s) failed", job.id, job.kind)
        _end(session, context, JobStatus.FAILED, UNEXPECTED, {})
    session.refresh(job)
    return job.status


def _still_held(session: Session, context: JobContext) -> bool:
    held = session.execute(
        update(Job)
        .where(Job.id == context.job_id, Job.token == context.token)
        .where(Job.status == JobStatus.RUNNING, Job.cancel_requested.is_(False))
        .values(heartbeat_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return bool(held.rowcount == 1)  # type: ignore[attr-defined]


Work = Callable[[JobContext], Finish]


def claim(
    factory: sessionmaker[Session], job_id: int, settings: Settings | None = None
) -> JobContext | None:
    """Take a queued job for this run; None when it is not queued any more (taken by another
    run, cancelled or ended): a message delivered twice runs the job once."""
    token = secrets.token_hex(16)
    now = clock.now()
    with transaction(factory, writes=True) as session:
        taken = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(
                status=JobStatus.RUNNING,
                token=token,
                attempt=Job.attempt + 1,
                heartbeat_at=now,
                started_at=now,
                message=None,
            )
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        job = session.get_one(Job, job_id)
        return JobContext(
            job_id=job.id,
            kind=job.kind,
            params=dict(job.params or {}),
            user_id=job.user_id,
            language=job.language,
            object_id=job.object_id,
            token=token,
            factory=factory,
            settings=settings,
        )


def execute(
    factory: sessionmaker[Session],
    job_id: int,
    works: dict[str, Work],
    settings: Settings | None = None,
) -> JobStatus | None:
    """Run the job if it is queued: its work, then its writes with its end in one
    transaction. Returns how it ended (None: it was not this run's to run)."""
    context = claim(factory, job_id, settings)
    if context is None:
        return None
    stop = threading.Event()
    beat = threading.Thread(
        target=_heartbeat, args=(context, stop), name=f"job-{job_id}-heartbeat", daemon=True
    )
    beat.start()
    try:
        status = _run(context, works)
    finally:
        stop.set()
        beat.join(timeout=5)
    return status


def _run(context: JobContext, works: dict[str, Work]) -> JobStatus:
    work = works.get(context.kind)
    try:
        if work is None:
            raise SeriktesError(N_("unknown kind of job %(kind)s"), params={"kind": context.kind})
        finish = work(context)
        context.check()
        with transaction(context.sessions, writes=True) as session:
            if not _still_held(session, context):
                raise Released
            outcome = finish(session)
            _end(session, context, JobStatus.DONE, outcome=outcome)
        return JobStatus.DONE
    except (Cancelled, Released):
        return _end_apart(context)
    except SeriktesError as exc:
        return _end_apart(context, JobStatus.FAILED, exc.template, keepable(exc.params))
    except Exception:
        log.exception("job %s (%s) failed", context.job_id, context.kind)
        return _end_apart(context, JobStatus.FAILED, UNEXPECTED, {})


def _end(
    session: Session,
    context: JobContext,
    status: JobStatus,
    error: str | None = None,
    params: dict[str, object] | None = None,
    outcome: Outcome | None = None,
) -> bool:
    """Mark the job ended, if this run holds it; False when it does not."""
    values: dict[str, Any] = {
        "status": status,
        "active_key": None,
        "finished_at": clock.now(),
        "error": error,
        "error_params": params,
    }
    if outcome is not None:
        done, total = context.current()
        values |= {
            "done": max(total, done, 1),
            "total": max(total, done, 1),
            "result_url": outcome.url,
            "summary": outcome.summary,
            "result_name": outcome.file_name,
            "result_type": outcome.file_type,
            "result_data": outcome.file_data,
        }
    ended = session.execute(
        update(Job)
        .where(Job.id == context.job_id, Job.token == context.token)
        .where(Job.status == JobStatus.RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if ended.rowcount != 1:  # type: ignore[attr-defined]
        raise Released
    on_end(session, context.job_id)
    return True


def _end_apart(
    context: JobContext,
    failed: JobStatus | None = None,
    error: str | None = None,
    params: dict[str, object] | None = None,
) -> JobStatus:
    """End the job in a transaction of its own after its work was dropped: cancelled when a
    user asked, else `failed` with its error."""
    with transaction(context.sessions, writes=True) as session:
        asked = session.scalar(select(Job.cancel_requested).where(Job.id == context.job_id))
        status = JobStatus.CANCELLED if asked or failed is None else failed
        try:
            _end(session, context, status, None if status is JobStatus.CANCELLED else error, params)
        except Released:
            status = session.get_one(Job, context.job_id).status
    return status


# Called in the transaction that ends a job (the notifications of its end are written there).
END_HOOKS: list[Callable[[Session, int], None]] = []


def on_end(session: Session, job_id: int) -> None:
    for hook in END_HOOKS:
        hook(session, job_id)


def _heartbeat(context: JobContext, stop: threading.Event) -> None:
    """Every second: the run's progress and that it is alive; a cancellation seen."""
    while not stop.wait(HEARTBEAT_SECONDS):
        done, total = context.current()
        try:
            with transaction(context.sessions, writes=True) as session:
                session.execute(
                    update(Job)
                    .where(Job.id == context.job_id, Job.token == context.token)
                    .where(Job.status == JobStatus.RUNNING)
                    .values(
                        heartbeat_at=clock.now(), done=done, total=total, message=context.message
                    )
                    .execution_options(synchronize_session=False)
                )
                asked = session.scalar(select(Job.cancel_requested).where(Job.id == context.job_id))
            if asked:
                context.cancel.set()
        except Exception:  # a busy database: the next beat tries again
            log.warning("job %s: heartbeat not written", context.job_id, exc_info=True)


def recover(factory: sessionmaker[Session], stale_after: timedelta) -> list[int]:
    """Jobs whose run stopped beating (its worker was killed) go back to the queue, or fail
    after their last attempt; returns the ids to enqueue again, with queued jobs waiting
    longer than `stale_after` (their message may have been lost)."""
    now = clock.now()
    again: list[int] = []
    with transaction(factory, writes=True) as session:
        lost = session.scalars(
            select(Job).where(Job.status == JobStatus.RUNNING, Job.heartbeat_at < now - stale_after)
        ).all()
        for job in lost:
            if job.cancel_requested:
                job.status, job.active_key, job.finished_at = JobStatus.CANCELLED, None, now
                on_end(session, job.id)
            elif job.attempt >= job.max_attempts:
                job.status, job.active_key, job.finished_at = JobStatus.FAILED, None, now
                job.error, job.error_params = LOST, {"attempts": job.attempt}
                on_end(session, job.id)
            else:
                job.status, job.token, job.message = JobStatus.QUEUED, None, None
                again.append(job.id)
        waiting = session.scalars(
            select(Job.id).where(Job.status == JobStatus.QUEUED, Job.created_at < now - stale_after)
        ).all()
        again.extend(job_id for job_id in waiting if job_id not in again)
    return again

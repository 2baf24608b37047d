"""The job queue: huey, with its embedded SQLite storage beside the database by default, or
Redis (`SERIKTES_JOBS_URL=redis://…`) when several machines share the work — the same tasks
either way. A database in memory, which no other process can open, runs its jobs inline,
in the request that starts them.

The application hears of the queue through a session factory: `attach` makes every commit of
its sessions enqueue the jobs that commit started (`service.start`) and wake the delivery of
messages it wrote (`session.info["outbox_pending"]`), so a worker never looks for a row that
is not committed yet."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.engine.url import make_url
from sqlalchemy.orm import Session, sessionmaker

from seriktes.config import Settings
from seriktes.jobs import runner, service
from seriktes.jobs.models import Job
from seriktes.kit.db import make_engine, make_sessionmaker

log = logging.getLogger(__name__)

JOBS_FILE = "seriktes-jobs.sqlite3"
OUTBOX_KEY = "outbox_pending"

# Periodic work other packages add (name → (schedule, function of the session factory)).
PERIODIC: dict[str, tuple[crontab, Callable[[sessionmaker[Session], Settings], Any]]] = {}
# What wakes the outbox's delivery (set by the notifications wiring).
DELIVER: list[Callable[[sessionmaker[Session], Settings], Any]] = []


def storage_of(settings: Settings) -> str:
    """Where the queue keeps its messages, as a text for people: the Redis URL, the SQLite
    file, or "inline"."""
    if settings.jobs_url:
        return settings.jobs_url
    folder = settings.state_folder()
    return "inline" if folder is None else str(folder / JOBS_FILE)


def is_inline(settings: Settings) -> bool:
    """Jobs run in the request that starts them: the database lives in this process only."""
    return not settings.jobs_url and settings.state_folder() is None


def make_huey(settings: Settings) -> Huey:
    """The huey instance of the settings (not yet holding tasks)."""
    url = settings.jobs_url
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("seriktes", url=url, blocking=True, read_timeout=1)
    if url:
        parsed = make_url(url) if "://" in url else None
        if parsed is None or parsed.get_backend_name() != "sqlite" or not parsed.database:
            raise ValueError(
                f"SERIKTES_JOBS_URL {url!r}: give redis://host:port/db, sqlite:///path, or "
                "nothing for the embedded queue beside the database"
            )
        path = Path(parsed.database)
    else:
        folder = settings.state_folder()
        if folder is None:
            return Huey("seriktes", immediate=True)
        path = folder / JOBS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("seriktes", filename=str(path), timeout=30)


@dataclass
class JobQueue:
    """The queue of one configuration: huey with its tasks, and the application's sessions."""

    settings: Settings
    huey: Huey
    factory: sessionmaker[Session]
    inline: bool
    works: dict[str, runner.Work] = field(default_factory=dict)
    tasks: dict[str, Any] = field(default_factory=dict)

    def enqueue(self, job_id: int) -> None:
        """Tell a worker to run the job (the row is committed)."""
        self.tasks["run_job"](job_id)

    def wake_delivery(self) -> None:
        """Tell a worker to send the outbox's due messages now."""
        if DELIVER:
            self.tasks["deliver"]()

    def submit(
        self,
        session: Session,
        user: Any,
        kind: str,
        *,
        object_type: str | None = None,
        object_id: int | None = None,
        params: dict[str, Any] | None = None,
        language: str = "ru",
        scope: str | None = None,
    ) -> Job:
        """Start a job (or join the one running for the object). Inline, it runs now in
        `session`; else a worker runs it once the caller's transaction commits."""
        job, created = service.start(
            session,
            user,
            kind,
            object_type=object_type,
            object_id=object_id,
            params=params,
            language=language,
            scope=scope,
        )
        if created and self.inline:
            session.info.get(service.PENDING_KEY, []).remove(job.id)
            runner.run_inline(session, job, self.works, self.settings)
        return job


def build(settings: Settings, factory: sessionmaker[Session] | None = None) -> JobQueue:
    """The queue of `settings` with its tasks registered; `factory` makes the application's
    sessions (a new engine on the settings' database when not given)."""
    from seriktes.jobs.kinds import WORKS  # the kinds import every domain they run

    if factory is None:
        factory = make_sessionmaker(make_engine(settings.database_url))
    huey = make_huey(settings)
    queue = JobQueue(settings, huey, factory, is_inline(settings), dict(WORKS))
    stale = timedelta(seconds=settings.job_stale_seconds)

    def run_job(job_id: int) -> None:
        runner.execute(factory, job_id, queue.works, settings)

    def deliver() -> None:
        for send in DELIVER:
            send(factory, settings)

    def recover_jobs() -> None:
        for job_id in runner.recover(factory, stale):
            queue.enqueue(job_id)

    for name, (when, work) in PERIODIC.items():
        huey.periodic_task(when, name=name)(_bound(work, factory, settings))

    queue.tasks.update(
        run_job=huey.task(name="run_job")(run_job),
        deliver=huey.task(name="deliver")(deliver),
        recover_jobs=huey.periodic_task(crontab(minute="*"), name="recover_jobs")(recover_jobs),
    )
    return queue


def _bound(
    work: Callable[[sessionmaker[Session], Settings], Any],
    factory: sessionmaker[Session],
    settings: Settings,
) -> Callable[[], None]:
    def periodic() -> None:
        work(factory, settings)

    periodic.__name__ = getattr(work, "__name__", "periodic")
    return periodic


def attach(factory: sessionmaker[Session], queue: JobQueue) -> None:
    """Every commit of `factory`'s sessions enqueues the jobs it started and wakes the
    delivery of the messages it wrote."""

    def after_commit(session: Session) -> None:
        started = session.info.pop(service.PENDING_KEY, [])
        wrote = session.info.pop(OUTBOX_KEY, False)
        try:
            for job_id in started:
                queue.enqueue(job_id)
            if wrote:
                queue.wake_delivery()
        except Exception:  # the queue is down: the periodic recovery enqueues them again
            log.warning(
                "could not reach the job queue %s", storage_of(queue.settings), exc_info=True
            )

    def after_rollback(session: Session) -> None:
        if not session.in_transaction():
            session.info.pop(service.PENDING_KEY, None)
            session.info.pop(OUTBOX_KEY, None)

    event.listen(factory, "after_commit", after_commit)
    event.listen(factory, "after_soft_rollback", lambda session, _previous: after_rollback(session))

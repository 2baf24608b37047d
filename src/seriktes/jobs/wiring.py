"""What the worker does besides the jobs people start: sending the outbox, the reminders and
digests of the day, the matching index when it is due — and the notice of a job's end.

Each periodic task runs in a transaction of its own; what it writes to the outbox is sent by
the delivery it wakes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from huey import crontab
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from seriktes.accounts.models import User
from seriktes.agreements.reminders import remind_commitments
from seriktes.catalog.models import Offer
from seriktes.config import Settings
from seriktes.events.reminders import remind_expiring
from seriktes.events.schedule_notices import tell_participants
from seriktes.jobs import kinds, queue, runner, service
from seriktes.jobs.models import Job, JobStatus
from seriktes.jobs.texts import label
from seriktes.kit.db import transaction
from seriktes.kit.errors import render
from seriktes.kit.i18n import translate
from seriktes.matches.cache import snapshot_due
from seriktes.matches.digest import notify_strong_matches
from seriktes.matches.snapshots import prune_log
from seriktes.matching.snapshot import current_name
from seriktes.notifications.delivery import deliver_due
from seriktes.notifications.digest import send_digests
from seriktes.notifications.service import notify_job

log = logging.getLogger(__name__)


def _in_transaction(
    work: Callable[[Session, Settings], Any],
) -> Callable[[sessionmaker[Session], Settings], Any]:
    def run(factory: sessionmaker[Session], settings: Settings) -> Any:
        with transaction(factory, writes=True) as session:
            done = work(session, settings)
        log.info("%s: %s", work.__name__, done)
        if session.info.get(queue.OUTBOX_KEY):
            deliver_due(factory, settings)
        return done

    run.__name__ = work.__name__
    return run


def expiring_requests(session: Session, settings: Settings) -> int:
    return remind_expiring(session)


def daily_notices(session: Session, settings: Settings) -> dict[str, int]:
    """The morning's notices: commitments due, overdue or achieved, new strong matches, and
    every user's digest of the day."""
    return {
        "commitments": remind_commitments(session),
        "strong_matches": notify_strong_matches(session),
        "digests": send_digests(session, settings=settings),
    }


def prune_changes(session: Session, settings: Settings) -> int:
    return prune_log(session, settings)


FIRST_INDEX_OFFERS = 50_000  # below, each process builds its small engine in seconds


def index_when_due(session: Session, settings: Settings) -> bool:
    """Start building the matching index when the changes since the current one call for it,
    or the first one once the offers are many enough for one shared index to pay."""
    root = settings.index_folder()
    if root is None:
        return False
    if current_name(root) is None:
        offers = session.scalar(select(func.count()).select_from(Offer)) or 0
        if offers < FIRST_INDEX_OFFERS:
            return False
    elif not snapshot_due(session):
        return False
    service.start(session, None, kinds.INDEX, object_type="index", object_id=1)
    return True


DELIVERY_BATCH = 100
DELIVERY_SECONDS = 50.0  # then the next wake-up or the minute's sweep goes on


def deliver(factory: sessionmaker[Session], settings: Settings) -> None:
    """Send the outbox's due messages, batch after batch while batches come back full."""
    started = time.monotonic()
    while True:
        counts = deliver_due(factory, settings, limit=DELIVERY_BATCH)
        handled = counts.sent + counts.retried + counts.failed
        if handled:
            log.info("outbox: %s", counts.as_dict())
        if handled < DELIVERY_BATCH or time.monotonic() - started > DELIVERY_SECONDS:
            return


def job_ended(session: Session, job_id: int) -> None:
    """Tell the user who started a job how it ended, in the transaction that ends it."""
    job = session.get_one(Job, job_id)
    if job.user_id is None or job.status is JobStatus.CANCELLED:
        return
    user = session.get(User, job.user_id)
    lang = user.language if user is not None else "ru"
    params: dict[str, Any] = {"job": translate(lang, label(job))}
    if job.status is JobStatus.FAILED and job.error:
        params["reason"] = render(lang, job.error, job.error_params or {})
    link = job.result_url or (f"/jobs/{job.id}/result" if job.result_name else "/jobs")
    notify_job(session, user, job.status is JobStatus.DONE, params, link, f"job:{job.id}")


def install() -> None:
    """Hook the notifications and the periodic work into the job queue (once per process)."""
    if queue.DELIVER:
        return
    queue.DELIVER.append(deliver)
    queue.PERIODIC.update(
        deliver_outbox=(crontab(minute="*"), deliver),
        expiring_requests=(crontab(minute="*/15"), _in_transaction(expiring_requests)),
        daily_notices=(crontab(hour="3", minute="0"), _in_transaction(daily_notices)),
        prune_changes=(crontab(hour="2", minute="30"), _in_transaction(prune_changes)),
        index_when_due=(crontab(minute="*/5"), _in_transaction(index_when_due)),
    )
    runner.END_HOOKS.append(job_ended)
    tell_participants()

"""A job in words: its kind, its status and its error, in the reader's language."""

from __future__ import annotations

from seriktes.jobs.kinds import LABELS
from seriktes.jobs.models import Job, JobStatus
from seriktes.kit.errors import render
from seriktes.kit.i18n import N_

STATUSES = {
    JobStatus.QUEUED: N_("waiting for a worker"),
    JobStatus.RUNNING: N_("running"),
    JobStatus.DONE: N_("done"),
    JobStatus.FAILED: N_("failed"),
    JobStatus.CANCELLED: N_("cancelled"),
}
CANCELLING = N_("stopping")


def label(job: Job) -> str:
    """The English label of the job's kind (a message id)."""
    return LABELS.get(job.kind, job.kind)


def status(job: Job) -> str:
    """The English name of where the job is (a message id)."""
    if job.cancel_requested and job.status is JobStatus.RUNNING:
        return CANCELLING
    return STATUSES[job.status]


def error(lang: str, job: Job) -> str:
    """Why the job failed, in `lang`; empty when it did not."""
    return render(lang, job.error, job.error_params or {}) if job.error else ""

"""Who sees and cancels jobs: the user who started one, and administrators."""

from __future__ import annotations

from seriktes.accounts.models import User
from seriktes.accounts.policy import is_admin
from seriktes.jobs.models import Job


def sees_all(user: User) -> bool:
    """Administrators see every job."""
    return is_admin(user)


def can_see(user: User, job: Job) -> bool:
    """The job's starter and administrators see it."""
    return user.is_active and (job.user_id == user.id or is_admin(user))


def can_cancel(user: User, job: Job) -> bool:
    """Whoever sees a job may cancel it."""
    return can_see(user, job)


def can_run_platform_jobs(user: User) -> bool:
    """Matching every need again and building the matching index: administrators."""
    return is_admin(user)

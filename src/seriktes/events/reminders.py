"""The events' part of the daily sweep: unanswered meeting requests that expire within 24
hours remind their recipients (once per request: its key names it). Only flushes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from seriktes.events import notices, repository
from seriktes.events.models import ParticipantStatus
from seriktes.kit import clock

EXPIRING_WITHIN = timedelta(hours=24)


def remind_expiring(session: Session, now: datetime | None = None) -> int:
    """Remind the recipients of requests expiring within 24 hours; return how many requests."""
    now = now or clock.now()
    found = repository.requests_expiring(session, now, now + EXPIRING_WITHIN)
    active = [
        r for r in found
        if r.requester.status is ParticipantStatus.ACTIVE
        and r.recipient.status is ParticipantStatus.ACTIVE
    ]  # fmt: skip
    for request in active:
        notices.request_expiring(session, request)
    return len(active)

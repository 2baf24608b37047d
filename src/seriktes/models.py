"""Imports every domain's tables so that the metadata knows them all."""

from seriktes.accounts.models import (
    ApiToken,
    LoginThrottle,
    User,
    UserSession,
)
from seriktes.agreements.models import (
    AuditEntry,
    Commitment,
    Deal,
    Delivery,
    Memorandum,
    MemorandumParty,
    MemorandumSector,
    ProgressReport,
)
from seriktes.catalog.goszakup_sync.models import GoszakupSync
from seriktes.catalog.models import Certificate, Need, Offer
from seriktes.events.models import (
    Checkin,
    Event,
    MeetingOutcome,
    MeetingRequest,
    Participant,
    SiteVisit,
    VisitSignup,
)
from seriktes.imports.models import ImportUpload
from seriktes.jobs.models import Job
from seriktes.matches.models import Match, MatchFeedback
from seriktes.notifications.models import (
    CalendarFeed,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from seriktes.registry.models import ClassifierCode, Organisation, Region, Unit

__all__ = [
    "ApiToken",
    "AuditEntry",
    "CalendarFeed",
    "Certificate",
    "Checkin",
    "ClassifierCode",
    "Commitment",
    "Deal",
    "Delivery",
    "Event",
    "GoszakupSync",
    "ImportUpload",
    "Job",
    "LoginThrottle",
    "Match",
    "MatchFeedback",
    "MeetingOutcome",
    "MeetingRequest",
    "Memorandum",
    "MemorandumParty",
    "MemorandumSector",
    "Need",
    "Notification",
    "NotificationPreference",
    "Offer",
    "Organisation",
    "OutboxMessage",
    "Participant",
    "ProgressReport",
    "Region",
    "SiteVisit",
    "Unit",
    "User",
    "UserSession",
    "VisitSignup",
]

"""What events tell their participants, in the transaction of the change (through
`notifications.service.notify`): a meeting request received, accepted or declined; a site
visit sign-up confirmed, a visit full. Schedules are told by `schedule_notices`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from seriktes.events.models import Event, MeetingRequest, Participant, SiteVisit, VisitSignup
from seriktes.notifications.kinds import Kind
from seriktes.notifications.repository import coordinators
from seriktes.notifications.service import localized_name, notify
from seriktes.registry.models import Organisation


def org_name(org: Organisation) -> dict[str, str]:
    """An organisation's name as a notification parameter (its spellings per language)."""
    return localized_name(org.name_ru, org.name_kk)


def local_time(event: Event, moment: datetime) -> str:
    """A moment as the event's clocks show it: 14.05.2099 10:00."""
    return moment.astimezone(event.zone).strftime("%d.%m.%Y %H:%M")


def request_sent(session: Session, request: MeetingRequest) -> None:
    """A request was sent: the recipient organisation's members are told."""
    requester, recipient = request.requester, request.recipient
    params = {
        "org": org_name(requester.organisation),
        "other": org_name(recipient.organisation),
        "event": request.event.title,
        "deadline": local_time(request.event, request.deadline),
    }
    if request.topic:
        params["topic"] = request.topic
    notify(
        session,
        Kind.REQUEST_RECEIVED,
        [recipient.organisation],
        params,
        f"/events/{request.event_id}/requests",
        f"request.{request.id}.received",
        subject=("meeting_request", request.id),
    )


def request_answered(session: Session, request: MeetingRequest, accepted: bool) -> None:
    """A request was accepted or declined: the requesting organisation's members are told."""
    params = {
        "org": org_name(request.recipient.organisation),
        "other": org_name(request.requester.organisation),
        "event": request.event.title,
    }
    kind = Kind.REQUEST_ACCEPTED if accepted else Kind.REQUEST_DECLINED
    notify(
        session,
        kind,
        [request.requester.organisation],
        params,
        f"/events/{request.event_id}/requests",
        f"request.{request.id}.{kind.value}",
        subject=("meeting_request", request.id),
    )


def request_expiring(session: Session, request: MeetingRequest) -> None:
    """An unanswered request expires within 24 hours: the recipient is reminded."""
    params = {
        "org": org_name(request.requester.organisation),
        "other": org_name(request.recipient.organisation),
        "event": request.event.title,
        "deadline": local_time(request.event, request.deadline),
    }
    if request.topic:
        params["topic"] = request.topic
    notify(
        session,
        Kind.REQUEST_EXPIRING,
        [request.recipient.organisation],
        params,
        f"/events/{request.event_id}/requests",
        f"request.{request.id}.expiring",
        subject=("meeting_request", request.id),
    )


def signed_up(session: Session, signup: VisitSignup, at: str, taken: int) -> None:
    """A sign-up confirmed (to the participant's members); when it took the last place, the
    event's organisers learn that the visit is full."""
    visit: SiteVisit = signup.visit
    participant: Participant = signup.participant
    event = visit.event
    params = {
        "other": org_name(participant.organisation),
        "visit": visit.title,
        "event": event.title,
        "at": at,
        "capacity": visit.capacity,
    }
    link = f"/events/{event.id}"
    notify(
        session,
        Kind.VISIT_CONFIRMED,
        [participant.organisation],
        params,
        link,
        f"visit.{visit.id}.signup.{participant.id}",
        subject=("site_visit", visit.id),
    )
    if taken >= visit.capacity:
        notify(
            session,
            Kind.VISIT_FULL,
            coordinators(session, [event.host_region_id, event.guest_region_id]),
            params,
            link,
            f"visit.{visit.id}.full.{taken}",
            subject=("site_visit", visit.id),
        )

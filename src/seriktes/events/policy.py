"""Who may organise, read and take part in B2B days.

Coordinators of an event's host or guest region (and administrators) organise it:
participants, requests, site visits, the schedule; coordinators with a region and
administrators create events. Members act for their own organisation's participant (its
meeting requests and site-visit sign-ups, its availability) and register their organisation
for a published event of its region. The public reads published programmes; a participant's
agenda is for those who act for it, coordinators and administrators.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.policy import admin_or_coordinator_in, can_read_all_drafts
from seriktes.events import repository
from seriktes.events.models import Event, EventStatus, MeetingRequest, Participant
from seriktes.kit.errors import Conflict, Forbidden
from seriktes.kit.i18n import N_
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Organisation

HOST, GUEST = "host", "guest"


def side_of(event: Event, org: Organisation) -> str | None:
    """ "host" or "guest" for an organisation of one of the event's regions, else None."""
    prefix = oblast_of(org.region.kato) if org.region else None
    if prefix == oblast_of(event.host_region.kato):
        return HOST
    if prefix == oblast_of(event.guest_region.kato):
        return GUEST
    return None


def can_organise_events(user: User | None) -> bool:
    """May `user` create events (of their own region, for a coordinator)?"""
    return (
        user is not None
        and user.is_active
        and (user.role is Role.ADMIN or (user.role is Role.COORDINATOR and user.region is not None))
    )


def can_manage_event(user: User | None, event: Event) -> bool:
    """May `user` organise this event?"""
    return admin_or_coordinator_in(
        user, lambda: (oblast_of(event.host_region.kato), oblast_of(event.guest_region.kato))
    )


def can_read_event(user: User | None, event: Event) -> bool:
    """Published (and closed) programmes are public; drafts are for those who read drafts."""
    return event.status is not EventStatus.DRAFT or can_read_all_drafts(user)


def visible_events(user: User | None) -> ColumnElement[bool]:
    """SQL condition: the events `user` may read."""
    if can_read_all_drafts(user):
        return true()
    return Event.status != EventStatus.DRAFT


def acts_for_participant(user: User | None, participant: Participant) -> bool:
    """May `user` send and answer requests and sign up for visits for this participant?"""
    if can_manage_event(user, participant.event):
        return True
    return (
        user is not None
        and user.is_active
        and user.role is Role.MEMBER
        and user.organisation_id == participant.organisation_id
    )


def can_register_for(user: User | None, event: Event) -> bool:
    """May `user` register their own organisation for this event? Members of an
    organisation may (`registering` checks the event is open and the region is the host's
    or the guest's); organisers add participants by BIN instead."""
    return (
        user is not None
        and user.is_active
        and user.role is Role.MEMBER
        and user.organisation_id is not None
        and can_read_event(user, event)
    )


def registering(session: Session, user: User, event: Event) -> Organisation:
    """The user's organisation when it may register for the event; else raise why not."""
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    if org is None or not can_register_for(user, event):
        raise Forbidden(N_("only members of an organisation register it for an event"))
    if event.status is EventStatus.CLOSED:
        raise Conflict(N_("the event is closed: registration is over"))
    if event.status is not EventStatus.PUBLISHED:
        raise Conflict(N_("registration opens when the event is published"))
    if side_of(event, org) is None:
        raise Forbidden(N_("your organisation is of neither the host nor the guest region"))
    if repository.participant_of(session, event.id, org.id) is not None:
        raise Conflict(N_("your organisation already takes part in the event"))
    return org


def may_register(session: Session, user: User | None, event: Event) -> bool:
    """Should the event page offer `user` to register their organisation ("Take part")?
    Exactly when `service.register_own` would accept them."""
    if user is None:
        return False
    try:
        registering(session, user, event)
    except (Forbidden, Conflict):
        return False
    return True


def can_set_priority(user: User | None, event: Event) -> bool:
    """Anchor-buyer priority and unscheduling meetings are the organisers' decisions."""
    return can_manage_event(user, event)


def can_read_request(user: User | None, request: MeetingRequest) -> bool:
    """Requests are read by the organisers and by the two organisations concerned."""
    return acts_for_participant(user, request.requester) or acts_for_participant(
        user, request.recipient
    )


def may_read_agenda(user: User | None, participant: Participant) -> bool:
    """A participant's agenda (whom it meets and when): its own organisation's members, the
    event's organisers, and coordinators and administrators."""
    return acts_for_participant(user, participant) or can_read_all_drafts(user)


def may_read_meeting_contacts(user: User | None, participant: Participant) -> bool:
    """The other sides' contact persons and phones on a participant's agenda: for the
    participant's own organisation (a side of each of its meetings) and the event's organisers
    only, not for every coordinator who may read the agenda."""
    return acts_for_participant(user, participant)


# --- check-in and outcomes ---------------------------------------------------------------
def can_check_in(user: User | None, event: Event) -> bool:
    """Arrivals are recorded, undone and read by the event's organisers."""
    return can_manage_event(user, event)


def may_record_outcome(user: User | None, side: Participant) -> bool:
    """A side's outcome of its meeting: members of that side's organisation, or the event's
    organisers."""
    return acts_for_participant(user, side)


def may_record_before_the_end(user: User | None, event: Event) -> bool:
    """Organisers record outcomes at any time; the sides once the meeting's slot has ended."""
    return can_manage_event(user, event)


def can_read_funnel(user: User | None, event: Event) -> bool:
    """An event's funnel (requests to confirmed deals) is the organisers' page."""
    return can_manage_event(user, event)

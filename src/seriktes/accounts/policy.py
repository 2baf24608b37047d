"""Who may read and change what. One place for the rules; services and routes call them.

- administrator: everything;
- regional coordinator: reads everything, changes organisations of their region and
  those organisations' needs and offers;
- organisation member: reads published data and all of their own organisation's data,
  changes only their own organisation's needs and offers (and its profile);
- public (no user): published needs and offers, organisations, regions, published event
  programmes.

Events: coordinators of an event's host or guest region organise it; members act for their
own organisation's participant (its meeting requests and site-visit sign-ups, its
availability), and register their organisation for a published event of its region.

Feedback on matches: the buyer's side (members, coordinators of its region, administrators)
marks a need's matches suitable or not; producers do not.

Agreements: coordinators of a party region manage a memorandum; members record their own
organisation's deals, which count once the other side or a coordinator of a party region
confirms them; the public reads published memoranda (see the section below).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, true

from seriktes.accounts.models import Role, User
from seriktes.agreements.models import Commitment, Deal, Memorandum, MemorandumStatus
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from seriktes.events.models import Event, EventStatus, MeetingRequest, Participant
from seriktes.registry.models import Organisation


def is_admin(user: User | None) -> bool:
    """True for an active administrator."""
    return user is not None and user.is_active and user.role is Role.ADMIN


def can_edit_organisation(user: User | None, org: Organisation) -> bool:
    """May `user` change this organisation and its needs and offers?"""
    if user is None or not user.is_active:
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.COORDINATOR:
        return user.region_id is not None and _in_region(org, user)
    return user.organisation_id == org.id


def _in_region(org: Organisation, user: User) -> bool:
    if org.region is None or user.region is None:
        return False
    return org.region.kato[:2] == user.region.kato[:2]


def can_create_for(user: User | None, org: Organisation) -> bool:
    """May `user` add a need or an offer for this organisation?"""
    return can_edit_organisation(user, org)


def can_read_all_drafts(user: User | None) -> bool:
    """Administrators and coordinators read every draft; members only their own."""
    return user is not None and user.is_active and user.role in (Role.ADMIN, Role.COORDINATOR)


@dataclass(frozen=True)
class DraftAccess:
    """Whose drafts a user reads: everyone's, one organisation's, or none. The SQL
    conditions below depend on nothing else, so statements built for one access can be kept
    and reused for every user with the same access."""

    all: bool = False
    organisation_id: int | None = None


def draft_access(user: User | None) -> DraftAccess:
    """The drafts `user` may read."""
    if can_read_all_drafts(user):
        return DraftAccess(all=True)
    if user is not None and user.is_active and user.organisation_id is not None:
        return DraftAccess(organisation_id=user.organisation_id)
    return DraftAccess()


def visible_needs(user: User | DraftAccess | None) -> ColumnElement[bool]:
    """SQL condition: the needs `user` (or a user with this access) may read."""
    access = user if isinstance(user, DraftAccess) else draft_access(user)
    if access.all:
        return true()
    published = Need.status != NeedStatus.DRAFT
    if access.organisation_id is not None:
        return or_(published, Need.buyer_id == access.organisation_id)
    return published


def visible_offers(user: User | DraftAccess | None) -> ColumnElement[bool]:
    """SQL condition: the offers `user` (or a user with this access) may read."""
    access = user if isinstance(user, DraftAccess) else draft_access(user)
    if access.all:
        return true()
    published = Offer.status == OfferStatus.PUBLISHED
    if access.organisation_id is not None:
        return or_(published, Offer.producer_id == access.organisation_id)
    return published


def can_read_need(user: User | None, need: Need) -> bool:
    """May `user` read this need?"""
    if need.status is not NeedStatus.DRAFT or can_read_all_drafts(user):
        return True
    return user is not None and user.is_active and user.organisation_id == need.buyer_id


def can_read_offer(user: User | None, offer: Offer) -> bool:
    """May `user` read this offer?"""
    if offer.status is OfferStatus.PUBLISHED or can_read_all_drafts(user):
        return True
    return user is not None and user.is_active and user.organisation_id == offer.producer_id


# --- feedback on matches -----------------------------------------------------------------
# The buyer's side judges the producers ranked for its need: members of the buyer
# organisation, coordinators of its region and administrators mark a match suitable or not
# and read who marked what; coordinators of other regions read the answers too. Producers
# never mark the matches of their own offers.


def can_judge_matches(user: User | None, need: Need) -> bool:
    """May `user` mark the matches of this need suitable or not suitable?"""
    return can_edit_organisation(user, need.buyer)


def can_read_feedback(user: User | None, need: Need) -> bool:
    """May `user` read who marked the matches of this need, and how?"""
    return can_judge_matches(user, need) or can_read_all_drafts(user)


# --- events ------------------------------------------------------------------------------
# Coordinators of the host or the guest region manage an event (participants, requests,
# site visits, the schedule); members act for their own organisation's participant (send
# and answer its requests, sign it up for visits); the public reads published programmes.


def _admin_or_coordinator_in(user: User | None, regions: Callable[[], Collection[str]]) -> bool:
    """An active administrator, or an active coordinator whose region is among `regions`
    (two-digit KATO prefixes, read only for a coordinator)."""
    if user is None or not user.is_active:
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role is not Role.COORDINATOR or user.region is None:
        return False
    return user.region.kato[:2] in regions()


def can_manage_event(user: User | None, event: Event) -> bool:
    """May `user` organise this event?"""
    return _admin_or_coordinator_in(
        user, lambda: (event.host_region.kato[:2], event.guest_region.kato[:2])
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
    organisation may (the service checks the event is open and the region is the host's or
    the guest's); organisers add participants by BIN instead."""
    return (
        user is not None
        and user.is_active
        and user.role is Role.MEMBER
        and user.organisation_id is not None
        and can_read_event(user, event)
    )


def can_set_priority(user: User | None, event: Event) -> bool:
    """Anchor-buyer priority and unscheduling meetings are the organisers' decisions."""
    return can_manage_event(user, event)


def can_read_request(user: User | None, request: MeetingRequest) -> bool:
    """Requests are read by the organisers and by the two organisations concerned."""
    return acts_for_participant(user, request.requester) or acts_for_participant(
        user, request.recipient
    )


# --- agreements --------------------------------------------------------------------------
# Coordinators of a party region (a region party, or the region of an organisation party)
# and administrators manage a memorandum, its commitments and progress reports; members of a
# commitment's responsible organisation report its progress too. Members record their own
# organisation's deals (as buyer or supplier), coordinators those of their region's
# organisations. The public reads published memoranda and their computed progress, never
# deals or the audit log.


def _region_prefixes(memorandum: Memorandum) -> set[str]:
    prefixes: set[str] = set()
    for party in memorandum.parties:
        region = party.region or (party.organisation.region if party.organisation else None)
        if region is not None:
            prefixes.add(region.kato[:2])
    return prefixes


def can_manage_memorandum(user: User | None, memorandum: Memorandum) -> bool:
    """May `user` change this memorandum, its parties, commitments and progress reports?"""
    return _admin_or_coordinator_in(user, lambda: _region_prefixes(memorandum))


def can_read_memorandum(user: User | None, memorandum: Memorandum) -> bool:
    """Published and closed memoranda are public; drafts are for those who read drafts."""
    return memorandum.status is not MemorandumStatus.DRAFT or can_read_all_drafts(user)


def visible_memoranda(user: User | None) -> ColumnElement[bool]:
    """SQL condition: the memoranda `user` may read."""
    if can_read_all_drafts(user):
        return true()
    return Memorandum.status != MemorandumStatus.DRAFT


def can_report_progress(user: User | None, commitment: Commitment) -> bool:
    """Managers of the memorandum and members of the responsible organisation."""
    if can_manage_memorandum(user, commitment.memorandum):
        return True
    return (
        user is not None
        and user.is_active
        and user.role is Role.MEMBER
        and user.organisation_id is not None
        and user.organisation_id == commitment.responsible_organisation_id
    )


def can_record_deal(user: User | None, buyer: Organisation, supplier: Organisation) -> bool:
    """May `user` record or change a deal between these two organisations?"""
    return can_edit_organisation(user, buyer) or can_edit_organisation(user, supplier)


def can_read_deal(user: User | None, deal: Deal) -> bool:
    """Deals are read by administrators, coordinators and the two organisations."""
    if can_read_all_drafts(user):
        return True
    return (
        user is not None
        and user.is_active
        and user.organisation_id in (deal.buyer_id, deal.supplier_id)
    )


def visible_deals(user: User | None) -> ColumnElement[bool]:
    """SQL condition: the deals `user` may read (none for the public)."""
    if can_read_all_drafts(user):
        return true()
    if user is not None and user.is_active and user.organisation_id is not None:
        return or_(Deal.buyer_id == user.organisation_id, Deal.supplier_id == user.organisation_id)
    return false()


# --- confirmation of deals ---------------------------------------------------------------
# A deal counts towards commitments, the turnover matrix and reports only once confirmed:
# by both sides (members of the buyer and of the supplier organisation, each for their own
# side), or by a coordinator of a party region of a memorandum the deal is linked to (its
# memorandum or a commitment's) or an administrator, who give the contract as evidence.
# The same people may dispute a deal, with a reason.


def deal_side(user: User | None, deal: Deal) -> str | None:
    """The side (buyer or supplier) whose organisation `user` is a member of, if any."""
    if user is None or not user.is_active or user.role is not Role.MEMBER:
        return None
    if user.organisation_id is None:
        return None
    if user.organisation_id == deal.buyer_id:
        return "buyer"
    if user.organisation_id == deal.supplier_id:
        return "supplier"
    return None


def deal_memoranda(deal: Deal) -> list[Memorandum]:
    """The memoranda a deal is linked to: its own and its commitments'."""
    found = {c.memorandum.id: c.memorandum for c in deal.commitments}
    if deal.memorandum is not None:
        found[deal.memorandum.id] = deal.memorandum
    return list(found.values())


def can_confirm_as_coordinator(user: User | None, deal: Deal) -> bool:
    """Administrators, and coordinators of a party region of a memorandum the deal is
    linked to, confirm a deal with the contract as evidence."""
    return _admin_or_coordinator_in(
        user, lambda: {kato for memo in deal_memoranda(deal) for kato in _region_prefixes(memo)}
    )


def can_confirm_deal(user: User | None, deal: Deal) -> bool:
    """May `user` confirm this deal, for their side or as a coordinator?"""
    return deal_side(user, deal) is not None or can_confirm_as_coordinator(user, deal)


def can_dispute_deal(user: User | None, deal: Deal) -> bool:
    """Those who may confirm a deal may dispute it instead."""
    return can_confirm_deal(user, deal)


def can_read_audit(user: User | None) -> bool:
    """The audit log (with deal amounts before and after) is for coordinators and admins."""
    return can_read_all_drafts(user)

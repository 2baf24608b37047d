"""Who may read and add needs and offers.

Published needs and offers are public; a draft is read by administrators, coordinators and
members of its own organisation (`accounts.policy.DraftAccess`). Who may change or add one
is who may edit its organisation (`accounts.policy.can_edit_organisation`,
`can_create_for`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from seriktes.accounts.models import Role, User
from seriktes.accounts.policy import (
    DraftAccess,
    admin_or_coordinator_in,
    can_read_all_drafts,
    draft_access,
)
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from seriktes.kit.errors import Forbidden
from seriktes.kit.i18n import N_


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


def can_add_lines(user: User | None) -> bool:
    """May `user` add needs or offers for some organisation? Administrators, coordinators
    with a region and members of an organisation."""
    if user is None or not user.is_active:
        return False
    if user.role is Role.ADMIN:
        return True
    return (
        user.region_id is not None if user.role is Role.COORDINATOR else bool(user.organisation_id)
    )


def can_sync_goszakup(user: User | None, oblast: str | None) -> bool:
    """May `user` pull plans from goszakup for a target in `oblast` (two-digit KATO; None: a
    buyer the register does not know)? Administrators, and coordinators of the oblast."""
    return admin_or_coordinator_in(user, lambda: {oblast} if oblast else set())


def check_goszakup_sync(user: User | None, oblast: str | None) -> None:
    """Refuse a goszakup sync `user` may not start (`can_sync_goszakup`)."""
    if not can_sync_goszakup(user, oblast):
        raise Forbidden(
            N_(
                "only administrators and the coordinators of its region may pull plans from "
                "goszakup for this buyer or region"
            )
        )

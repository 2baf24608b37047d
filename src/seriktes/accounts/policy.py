"""Roles, and what they allow about users and organisations. The rules of each domain's
objects live with the domain (`catalog.policy`, `matches.policy`, `events.policy`,
`agreements.policy`, `analytics.policy`) and are built from the predicates here.

- administrator: everything;
- regional coordinator: reads everything, changes organisations of their region and
  those organisations' needs and offers;
- organisation member: reads published data and all of their own organisation's data,
  changes only their own organisation's needs and offers (and its profile);
- public (no user): published needs and offers, organisations, regions, published event
  programmes; never personal data (contacts, representatives' names).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from seriktes.accounts.models import Role, User
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Organisation


def is_admin(user: User | None) -> bool:
    """True for an active administrator."""
    return user is not None and user.is_active and user.role is Role.ADMIN


def admin_or_coordinator_in(user: User | None, regions: Callable[[], Collection[str]]) -> bool:
    """An active administrator, or an active coordinator whose region is among `regions`
    (two-digit KATO prefixes, read only for a coordinator)."""
    if user is None or not user.is_active:
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role is not Role.COORDINATOR or user.region is None:
        return False
    return oblast_of(user.region.kato) in regions()


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
    return oblast_of(org.region.kato) == oblast_of(user.region.kato)


def can_create_for(user: User | None, org: Organisation) -> bool:
    """May `user` add a need or an offer for this organisation?"""
    return can_edit_organisation(user, org)


def can_read_all_drafts(user: User | None) -> bool:
    """Administrators and coordinators read every draft; members only their own."""
    return user is not None and user.is_active and user.role in (Role.ADMIN, Role.COORDINATOR)


@dataclass(frozen=True)
class DraftAccess:
    """Whose drafts a user reads: everyone's, one organisation's, or none. The SQL
    conditions built from it depend on nothing else, so statements built for one access can
    be kept and reused for every user with the same access."""

    all: bool = False
    organisation_id: int | None = None


def draft_access(user: User | None) -> DraftAccess:
    """The drafts `user` may read."""
    if can_read_all_drafts(user):
        return DraftAccess(all=True)
    if user is not None and user.is_active and user.organisation_id is not None:
        return DraftAccess(organisation_id=user.organisation_id)
    return DraftAccess()


# --- personal data -----------------------------------------------------------------------
# Organisations' contact person, phone and e-mail, and the names of the people an
# organisation sends to an event, are for signed-in users; the public never reads them.
# Pages and JSON routes alike ask these.


def signed_in(user: User | None) -> bool:
    """An active user is signed in (a session or an API token)."""
    return user is not None and user.is_active


def may_read_contacts(user: User | None) -> bool:
    """Organisations' contact person, phone and e-mail: signed-in users only."""
    return signed_in(user)


def may_read_representatives(user: User | None) -> bool:
    """The names of an event participant's representatives: signed-in users only."""
    return signed_in(user)

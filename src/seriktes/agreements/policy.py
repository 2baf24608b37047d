"""Who may manage memoranda, report progress, record, confirm and read deals.

Coordinators of a party region (a region party, or the region of an organisation party)
and administrators manage a memorandum, its commitments and progress reports; members of a
commitment's responsible organisation report its progress too; active coordinators and
administrators create memoranda. Members record their own organisation's deals (as buyer
or supplier), coordinators those of their region's organisations. The public reads
published memoranda and their computed progress, never deals, what a commitment's deals
add up to, or the audit log.

A deal counts towards commitments, the turnover matrix and reports only once confirmed:
by both sides (members of the buyer and of the supplier organisation, each for their own
side), or by a coordinator of a party region of a memorandum the deal is linked to (its
memorandum or a commitment's) or an administrator, who give the contract as evidence.
The same people may dispute a deal, with a reason.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, not_, or_, select, true

from seriktes.accounts.models import Role, User
from seriktes.accounts.policy import (
    admin_or_coordinator_in,
    can_edit_organisation,
    can_read_all_drafts,
)
from seriktes.agreements.models import AuditEntry, Commitment, Deal, Memorandum, MemorandumStatus
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Organisation


def _region_prefixes(memorandum: Memorandum) -> set[str]:
    prefixes: set[str] = set()
    for party in memorandum.parties:
        region = party.region or (party.organisation.region if party.organisation else None)
        if region is not None:
            prefixes.add(oblast_of(region.kato))
    return prefixes


# --- memoranda, commitments and progress reports -----------------------------------------


def can_create_memoranda(user: User | None) -> bool:
    """Active coordinators and administrators create memoranda."""
    return user is not None and user.is_active and user.role in (Role.ADMIN, Role.COORDINATOR)


def can_manage_memorandum(user: User | None, memorandum: Memorandum) -> bool:
    """May `user` change this memorandum, its parties, commitments and progress reports?"""
    return admin_or_coordinator_in(user, lambda: _region_prefixes(memorandum))


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


def may_read_deal_sums(user: User | None, commitment: Commitment) -> bool:
    """What the deals linked to a commitment add up to: those who read every deal, and
    members of an organisation that is the buyer or the supplier of each of them (the sum
    then tells them nothing about another organisation's deals); the others see the
    commitment's status."""
    if can_read_all_drafts(user):
        return True
    if user is None or not user.is_active or user.organisation_id is None:
        return False
    return all(user.organisation_id in (d.buyer_id, d.supplier_id) for d in commitment.deals)


# --- deals -------------------------------------------------------------------------------


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


def can_read_audit(user: User | None) -> bool:
    """The audit log (with deal amounts before and after) is for coordinators and admins."""
    return can_read_all_drafts(user)


# --- confirmation of deals ---------------------------------------------------------------


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
    return admin_or_coordinator_in(
        user, lambda: {kato for memo in deal_memoranda(deal) for kato in _region_prefixes(memo)}
    )


def can_confirm_deal(user: User | None, deal: Deal) -> bool:
    """May `user` confirm this deal, for their side or as a coordinator?"""
    return deal_side(user, deal) is not None or can_confirm_as_coordinator(user, deal)


def can_dispute_deal(user: User | None, deal: Deal) -> bool:
    """Those who may confirm a deal may dispute it instead."""
    return can_confirm_deal(user, deal)


# --- the audit log across memoranda ------------------------------------------------------


def can_read_organisation_audit(user: User | None) -> bool:
    """The audit log of every memorandum and deal a reader may read, on one page (and its
    export): for those who read the audit log."""
    return can_read_audit(user)


def visible_audit(user: User | None) -> ColumnElement[bool]:
    """SQL condition: the audit entries `user` may read — none without the right to read
    the audit log; else all but those of memoranda the user may not read."""
    if not can_read_audit(user):
        return false()
    hidden = select(Memorandum.id).where(not_(visible_memoranda(user)))
    return or_(AuditEntry.memorandum_id.is_(None), AuditEntry.memorandum_id.not_in(hidden))

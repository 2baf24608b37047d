"""Confirmation of deals: a deal's figures count (commitment progress, the turnover matrix,
reports) only once it is confirmed.

Rules (`RULE` states them for pages and the API):

- the side that records a deal (a member of the buyer or of the supplier) confirms its own
  side by recording it; the other side confirms or disputes it with a reason;
- a coordinator of a party region of a memorandum the deal is linked to, or an
  administrator, may confirm it alone, giving the contract number or document as evidence
  (this also settles a dispute);
- both sides' confirmation is enough unless the amount (the larger of the contract amount
  and the delivered amounts, in KZT) is above the plausibility bound: 100 × the median of the
  confirmed deals between the same two regions (at least 3 of them), never above 1 trillion
  KZT, or 1 trillion KZT without such a history; above it a coordinator must confirm too;
- changing a deal's amount, currency, rate, parties or date, or its deliveries, sends it back
  to awaiting confirmation (the side that changed it confirms its own side again).
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import audit, notices, repository
from seriktes.agreements.models import AuditAction, Confirmation, Deal, Memorandum
from seriktes.agreements.policy import (
    can_confirm_as_coordinator,
    can_read_deal,
    deal_side,
)
from seriktes.agreements.schemas import ConfirmIn, DisputeIn
from seriktes.kit import clock
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, ErrorItem, Forbidden, NotFound, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Organisation

CEILING_KZT = Decimal(10**12)  # one trillion KZT
PLAUSIBLE_FACTOR = 100
HISTORY_MIN = 3
# fields whose change sends a confirmed deal back to awaiting confirmation
KEY_FIELDS = (
    "amount",
    "currency",
    "rate_to_kzt",
    "amount_kzt",
    "signed_on",
    "buyer_id",
    "supplier_id",
)
RULE = (
    "a deal counts once confirmed: by both sides, or by a coordinator of a party region of its "
    "memorandum (or an administrator) with the contract as evidence; above 100 × the median "
    "confirmed deal of the region pair (1 trillion KZT without 3 such deals, and never more) "
    "a coordinator must confirm too; a change of amount, parties, date or deliveries asks "
    "for confirmation again"
)


# --- pure rules --------------------------------------------------------------------------
def counted_amount(deal: Deal) -> Decimal:
    """What a deal may add to turnover: its KZT amount or its delivered amounts, the larger."""
    delivered = sum(
        (Decimal(d.amount_kzt) for d in deal.deliveries if d.amount_kzt is not None), Decimal(0)
    )
    return max(Decimal(deal.amount_kzt or 0), delivered)


def plausible_bound(history: list[Decimal]) -> Decimal:
    """The amount above which both sides' word is not enough (see the module docstring)."""
    if len(history) < HISTORY_MIN:
        return CEILING_KZT
    return min(CEILING_KZT, Decimal(statistics.median(history)) * PLAUSIBLE_FACTOR)


def settle(deal: Deal, bound: Decimal) -> None:
    """The deal's confirmation state from who confirmed it (a dispute stays a dispute)."""
    if deal.confirmation is Confirmation.DISPUTED:
        state = Confirmation.DISPUTED
    elif deal.evidence:  # a coordinator's (or the system's) confirmation with evidence
        state = Confirmation.CONFIRMED
    elif deal.buyer_confirmed and deal.supplier_confirmed:
        plausible = counted_amount(deal) <= bound
        state = Confirmation.CONFIRMED if plausible else Confirmation.AWAITING_COORDINATOR
    else:
        state = Confirmation.AWAITING
    if state is Confirmation.CONFIRMED and deal.confirmation is not Confirmation.CONFIRMED:
        deal.confirmed_at = clock.now()
    elif state is not Confirmation.CONFIRMED:
        deal.confirmed_at = None
    deal.confirmation = state


def is_party(org: Organisation, memo: Memorandum) -> bool:
    """Is the organisation a party of the memorandum, or does it sit in a party region?"""
    if any(p.organisation_id == org.id for p in memo.parties):
        return True
    if org.region is None:
        return False
    prefixes = set()
    for party in memo.parties:
        region = party.region or (party.organisation.region if party.organisation else None)
        if region is not None:
            prefixes.add(oblast_of(region.kato))
    return oblast_of(org.region.kato) in prefixes


def fits_memorandum(buyer: Organisation, supplier: Organisation, memo: Memorandum) -> bool:
    """May a deal between these two count for this memorandum? One of them is its party."""
    return is_party(buyer, memo) or is_party(supplier, memo)


# --- state changes -----------------------------------------------------------------------
def bound_for(session: Session, deal: Deal) -> Decimal:
    """The plausibility bound of a deal, from the confirmed deals of its region pair."""
    buyer = deal.buyer or get_by_id(session, Organisation, deal.buyer_id)
    supplier = deal.supplier or get_by_id(session, Organisation, deal.supplier_id)
    if buyer is None or supplier is None or buyer.region is None or supplier.region is None:
        return CEILING_KZT
    pair = (oblast_of(buyer.region.kato), oblast_of(supplier.region.kato))
    return plausible_bound(repository.confirmed_amounts(session, pair, deal.id))


def on_record(session: Session, deal: Deal, user: User | None) -> None:
    """A newly recorded deal: the recording side confirmed its own side."""
    side = deal_side(user, deal)
    deal.buyer_confirmed = side == "buyer"
    deal.supplier_confirmed = side == "supplier"
    deal.confirmation = Confirmation.AWAITING
    settle(deal, bound_for(session, deal))


def reopen(session: Session, deal: Deal, user: User | None) -> None:
    """A deal whose figures changed awaits confirmation again (the changing side's kept)."""
    deal.confirmed_by = None
    deal.evidence = None
    deal.dispute_reason = None
    deal.disputed_by = None
    on_record(session, deal, user)


def confirm_as_coordinator(session: Session, deal: Deal, user: User | None, evidence: str) -> None:
    """Confirm with evidence (the import and the demo call this for coordinators)."""
    deal.confirmed_by = user
    deal.evidence = evidence[:500]
    deal.dispute_reason = None
    deal.disputed_by = None
    deal.confirmation = Confirmation.CONFIRMED
    if deal.confirmed_at is None:
        deal.confirmed_at = clock.now()


# --- the service: confirm and dispute ----------------------------------------------------
def _deal(session: Session, user: User | None, deal_id: int) -> Deal:
    deal = get_by_id(session, Deal, deal_id)
    if deal is None or not can_read_deal(user, deal):
        raise NotFound(N_("no deal with id %(deal_id)s"), params={"deal_id": deal_id})
    return deal


def confirm(session: Session, user: User | None, deal_id: int, data: ConfirmIn) -> Deal:
    """Confirm a deal: a member for their organisation's side, a coordinator of a party
    region (or an administrator) with evidence."""
    deal = _deal(session, user, deal_id)
    before = audit.snapshot(deal)
    side = deal_side(user, deal)
    if side is not None:
        _confirm_side(session, deal, user, side)
    elif can_confirm_as_coordinator(user, deal):
        if not data.evidence:
            detail = N_("give the contract number or document you confirm the deal by")
            raise ValidationFailed(detail, [ErrorItem(("body", "evidence"), detail)])
        if deal.evidence:
            raise Conflict(N_("a coordinator has already confirmed this deal"))
        confirm_as_coordinator(session, deal, user, data.evidence)
    else:
        raise Forbidden(
            N_(
                "only the two sides, coordinators of a party region of its memorandum and "
                "administrators confirm this deal"
            )
        )
    audit.record(session, user, AuditAction.CONFIRM, deal, before)
    notices.achieved_by(session, deal)  # commitments it makes reach their target
    return deal


def _confirm_side(session: Session, deal: Deal, user: User | None, side: str) -> None:
    if deal.confirmation is Confirmation.DISPUTED:
        disputer = deal.disputed_by
        if disputer is None or deal_side(disputer, deal) != side:
            raise Conflict(
                N_(
                    "the deal is disputed (%(dispute_reason)s); change it, or ask a coordinator "
                    "of a party region to confirm it"
                ),
                params={"dispute_reason": deal.dispute_reason},
            )
        deal.confirmation = Confirmation.AWAITING  # the side that disputed takes it back
        deal.dispute_reason = None
        deal.disputed_by = None
    flag = f"{side}_confirmed"
    if getattr(deal, flag):
        raise Conflict(N_("your organisation has already confirmed this deal"))
    setattr(deal, flag, True)
    settle(deal, bound_for(session, deal))


def dispute(session: Session, user: User | None, deal_id: int, data: DisputeIn) -> Deal:
    """Dispute a deal with a reason: it counts for nothing until it is settled."""
    deal = _deal(session, user, deal_id)
    side = deal_side(user, deal)
    if side is None and not can_confirm_as_coordinator(user, deal):
        raise Forbidden(
            N_(
                "only the two sides, coordinators of a party region of its memorandum and "
                "administrators dispute this deal"
            )
        )
    if deal.confirmation is Confirmation.DISPUTED:
        raise Conflict(
            N_("the deal is already disputed (%(dispute_reason)s)"),
            params={"dispute_reason": deal.dispute_reason},
        )
    before = audit.snapshot(deal)
    if side is not None:
        setattr(deal, f"{side}_confirmed", False)
    deal.confirmed_by = None
    deal.evidence = None
    deal.confirmed_at = None
    deal.confirmation = Confirmation.DISPUTED
    deal.dispute_reason = data.reason
    deal.disputed_by = user
    audit.record(session, user, AuditAction.DISPUTE, deal, before)
    return deal

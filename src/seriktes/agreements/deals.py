"""Deals (contracts) and their deliveries: recording, changing, linking to needs, offers,
meetings, memoranda and commitments, with the access rules and the audit log. Whether a deal
counts (its confirmation) is kept by `confirmation`: recording confirms the recorder's side,
and a change of its figures asks for confirmation again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import audit, confirmation, notices, repository
from seriktes.agreements.models import (
    AuditAction,
    Commitment,
    Confirmation,
    Deal,
    Delivery,
    Memorandum,
    MemorandumStatus,
)
from seriktes.agreements.policy import (
    can_manage_memorandum,
    can_read_deal,
    can_read_memorandum,
    can_record_deal,
    visible_deals,
)
from seriktes.agreements.rates import checked_kzt, rate_for
from seriktes.agreements.schemas import DealChanges, DealIn, DeliveryIn
from seriktes.agreements.service import class_code, invalid, organisation, unit_code
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.policy import can_read_need, can_read_offer
from seriktes.events.models import MeetingRequest
from seriktes.kit import versions
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, ErrorItem, Forbidden, NotFound, SeriktesError
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import Page, PageRequest, paginate
from seriktes.registry.models import Organisation

LINKS = ("need_id", "offer_id", "meeting_id", "memorandum_id")


def list_deals(
    session: Session,
    user: User | None,
    request: PageRequest,
    organisation_id: int | None = None,
    memorandum_id: int | None = None,
    commitment_id: int | None = None,
    state: Confirmation | None = None,
) -> Page[Deal]:
    """The deals `user` may read (none for the public), newest first."""
    stmt = repository.deal_query(
        visible_deals(user), organisation_id, memorandum_id, commitment_id, state
    )
    return paginate(session, stmt, request)


def get_deal(session: Session, user: User | None, deal_id: int) -> Deal:
    """A deal `user` may read; NotFound otherwise."""
    deal = get_by_id(session, Deal, deal_id)
    if deal is None or not can_read_deal(user, deal):
        raise NotFound(N_("no deal with id %(deal_id)s"), params={"deal_id": deal_id})
    return deal


def editable_deal(session: Session, user: User | None, deal_id: int) -> Deal:
    """A deal `user` may change; NotFound if unreadable, Forbidden if only readable."""
    deal = get_deal(session, user, deal_id)
    if not can_record_deal(user, deal.buyer, deal.supplier):
        raise Forbidden(N_("only the buyer, the supplier and their coordinators change this deal"))
    return deal


# --- checks shared by the API, the pages and the import ----------------------------------
def _sides(session: Session, deal: Deal) -> tuple[Organisation, Organisation]:
    buyer = deal.buyer or get_by_id(session, Organisation, deal.buyer_id)
    supplier = deal.supplier or get_by_id(session, Organisation, deal.supplier_id)
    if buyer is None or supplier is None:
        raise invalid(("body", "buyer_id"), N_("no such organisation"))
    return buyer, supplier


def check_links(session: Session, deal: Deal, user: User | None, system: bool = False) -> None:
    """The need is the buyer's, the offer the supplier's (and one the user may read: another
    organisation's draft is not revealed), the meeting between the two, and the memorandum one
    the user may read that one of the two is party to."""
    if deal.need_id is not None:
        need = get_by_id(session, Need, deal.need_id)
        if (
            need is None
            or need.buyer_id != deal.buyer_id
            or not (system or can_read_need(user, need))
        ):
            raise invalid(
                ("body", "need_id"),
                N_("need %(need_id)s is not one of the buyer's"),
                params={"need_id": deal.need_id},
            )
    if deal.offer_id is not None:
        offer = get_by_id(session, Offer, deal.offer_id)
        if (
            offer is None
            or offer.producer_id != deal.supplier_id
            or not (system or can_read_offer(user, offer))
        ):
            raise invalid(
                ("body", "offer_id"),
                N_("offer %(offer_id)s is not one of the supplier's"),
                params={"offer_id": deal.offer_id},
            )
    if deal.meeting_id is not None:
        meeting = get_by_id(session, MeetingRequest, deal.meeting_id)
        sides = (
            {meeting.requester.organisation_id, meeting.recipient.organisation_id}
            if meeting is not None
            else set()
        )
        if sides != {deal.buyer_id, deal.supplier_id}:
            raise invalid(
                ("body", "meeting_id"),
                N_("meeting %(meeting_id)s is not between the buyer and the supplier"),
                params={"meeting_id": deal.meeting_id},
            )
    if deal.memorandum_id is not None:
        memo = get_by_id(session, Memorandum, deal.memorandum_id)
        if memo is None or not (system or can_read_memorandum(user, memo)):
            raise invalid(
                ("body", "memorandum_id"),
                N_("no memorandum with id %(memorandum_id)s"),
                params={"memorandum_id": deal.memorandum_id},
            )
        if not confirmation.fits_memorandum(*_sides(session, deal), memo):
            raise invalid(
                ("body", "memorandum_id"),
                N_(
                    "neither the buyer nor the supplier is a party of memorandum %(number)s, nor "
                    "in a party region"
                ),
                params={"number": memo.number},
            )


def linkable_commitments(
    session: Session, ids: list[int], user: User | None, deal: Deal, system: bool = False
) -> list[Commitment]:
    """Commitments a deal may count towards: of readable memoranda that are not closed (or
    that the user manages) and that the buyer or the supplier is party to (itself or by its
    region), with a KPI deals show."""
    sides = _sides(session, deal) if ids else None
    found = []
    for i, commitment_id in enumerate(dict.fromkeys(ids)):
        loc = ("body", "commitment_ids", i)
        commitment = get_by_id(session, Commitment, commitment_id)
        memo = commitment.memorandum if commitment is not None else None
        if commitment is None or memo is None or not (system or can_read_memorandum(user, memo)):
            raise invalid(
                loc,
                N_("no commitment with id %(commitment_id)s"),
                params={"commitment_id": commitment_id},
            )
        if not commitment.kpi.from_deals:
            raise invalid(
                loc,
                N_("commitment %(commitment_id)s is measured by progress reports, not deals"),
                params={"commitment_id": commitment_id},
            )
        if memo.status is MemorandumStatus.WITHDRAWN:
            raise invalid(
                loc,
                N_("the memorandum of commitment %(commitment_id)s is withdrawn"),
                params={"commitment_id": commitment_id},
            )
        closed = memo.status is MemorandumStatus.CLOSED
        if closed and not (system or can_manage_memorandum(user, memo)):
            raise invalid(
                loc,
                N_("the memorandum of commitment %(commitment_id)s is closed"),
                params={"commitment_id": commitment_id},
            )
        if sides is not None and not confirmation.fits_memorandum(*sides, memo):
            raise invalid(
                loc,
                N_(
                    "commitment %(commitment_id)s is of memorandum %(number)s: neither the buyer "
                    "nor the supplier is its party or in a party region"
                ),
                params={"commitment_id": commitment_id, "number": memo.number},
            )
        found.append(commitment)
    return found


def resolve(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Units, class codes and the KZT amount from what a client sent."""
    resolved = dict(values)
    if "unit_code" in resolved:
        resolved["unit_code"] = unit_code(session, resolved["unit_code"], ("body", "unit_code"))
    if "class_code" in resolved:
        resolved["class_code"] = class_code(resolved["class_code"], ("body", "class_code"))
    return resolved


def convert_amount(deal: Deal, given_rate: Decimal | None) -> None:
    """Set the deal's rate (given, or the reference rate) and its amount in KZT (above 0 and
    at most `rates.MAX_AMOUNT`, else a located error on the amount)."""
    deal.rate_to_kzt = rate_for(deal.currency, given_rate)
    deal.amount_kzt = checked_kzt(Decimal(deal.amount), deal.rate_to_kzt, ("body", "amount"))


def _number_free(session: Session, deal: Deal) -> None:
    taken = repository.deal_by_number(session, deal.buyer_id, deal.number)
    if taken is not None and taken is not deal:
        detail, params = (
            N_("the buyer already has a deal numbered %(number)s"),
            {"number": repr(deal.number)},
        )
        raise Conflict(detail, [ErrorItem(("body", "number"), detail, params)], params)


def _default_memorandum(deal: Deal) -> None:
    memos = {c.memorandum_id for c in deal.commitments}
    if deal.memorandum_id is None and len(memos) == 1:
        deal.memorandum_id = memos.pop()


# --- writes ------------------------------------------------------------------------------
def create_deal(session: Session, user: User | None, data: DealIn, source: str = "manual") -> Deal:
    """Record a deal of an organisation the user acts for."""
    buyer = organisation(session, data.buyer_id, ("body", "buyer_id"))
    supplier = organisation(session, data.supplier_id, ("body", "supplier_id"))
    if not can_record_deal(user, buyer, supplier):
        raise Forbidden(N_("you may record deals only of your own organisation or region"))
    values = resolve(session, data.model_dump(exclude={"commitment_ids", "rate_to_kzt"}))
    with session.no_autoflush:  # the deal joins the session only once it is valid
        deal = Deal(**values, buyer=buyer, supplier=supplier, source=source)
        convert_amount(deal, data.rate_to_kzt)
        check_links(session, deal, user)
        deal.commitments = linkable_commitments(session, data.commitment_ids, user, deal)
        _default_memorandum(deal)
        _number_free(session, deal)
        confirmation.on_record(session, deal, user)
    session.add(deal)
    audit.record(session, user, AuditAction.CREATE, deal, None)
    notices.deal_awaiting(session, deal)  # the other side is asked to confirm
    return deal


def update_deal(
    session: Session,
    user: User | None,
    deal_id: int,
    changes: DealChanges,
    version: int | None = None,
) -> Deal:
    """Change the fields sent; `commitment_ids` replaces the deal's links to commitments.
    With `version` (the one the client read), a deal changed since is refused."""
    deal = editable_deal(session, user, deal_id)
    versions.check(deal, version, N_("deal"))
    values = changes.model_dump(exclude_unset=True)
    for name in ("number", "signed_on", "subject", "amount", "currency", "status"):
        if name in values and values[name] is None:
            raise invalid(("body", name), N_("%(name)s may not be empty"), params={"name": name})
    before = audit.snapshot(deal)
    ids = values.pop("commitment_ids", None)
    rate_given = "rate_to_kzt" in values
    rate = values.pop("rate_to_kzt", None)
    # nothing is written before every check passed: a link to a row that does not exist
    # would otherwise reach the database (a foreign-key error) before it is refused
    try:
        with session.no_autoflush:
            _apply(session, user, deal, values, ids, (rate_given, rate))
            reopened = _figures_changed(before, audit.snapshot(deal))
            if reopened:
                confirmation.reopen(session, deal, user)
    except SeriktesError:
        session.expire_all()  # a refused change leaves nothing half-made behind
        raise
    audit.record(session, user, AuditAction.UPDATE, deal, before)
    if reopened:
        notices.deal_awaiting(session, deal)
    return deal


def _apply(
    session: Session,
    user: User | None,
    deal: Deal,
    values: dict[str, Any],
    ids: list[int] | None,
    rate: tuple[bool, Decimal | None],
) -> None:
    versions.assign(deal, resolve(session, values))
    if rate[0] or "amount" in values or "currency" in values:
        convert_amount(deal, rate[1] if rate[0] else _kept_rate(deal, values))
    check_links(session, deal, user)
    if ids is not None:
        linked = linkable_commitments(session, ids, user, deal)
        if {c.id for c in linked} != {c.id for c in deal.commitments}:
            deal.commitments = linked
            versions.touch(deal, "commitment_ids")
        _default_memorandum(deal)
    _number_free(session, deal)


def _figures_changed(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return any(before.get(k) != after.get(k) for k in confirmation.KEY_FIELDS)


def _kept_rate(deal: Deal, values: dict[str, Any]) -> Decimal | None:
    # a new currency takes the reference rate; a new amount keeps the deal's own rate
    return None if "currency" in values else Decimal(deal.rate_to_kzt)


def delete_deal(session: Session, user: User | None, deal_id: int) -> None:
    """Delete a deal with its deliveries (commitments it counted towards lose it)."""
    deal = editable_deal(session, user, deal_id)
    audit.record(session, user, AuditAction.DELETE, deal, audit.snapshot(deal))
    session.delete(deal)
    session.flush()


def add_delivery(session: Session, user: User | None, deal_id: int, data: DeliveryIn) -> Delivery:
    """Record a delivery under a deal."""
    deal = editable_deal(session, user, deal_id)
    values = resolve(session, data.model_dump())
    before = audit.snapshot(deal)
    with session.no_autoflush:
        delivery = Delivery(deal=deal, **values)
        if delivery.delivered_on < deal.signed_on:
            raise invalid(("body", "delivered_on"), N_("a delivery cannot precede the deal"))
        confirmation.reopen(session, deal, user)  # what the deal counts changed
    session.add(delivery)
    audit.record(session, user, AuditAction.CREATE, delivery, None, _memo_of(deal))
    audit.record(session, user, AuditAction.UPDATE, deal, before)
    notices.deal_awaiting(session, deal)
    return delivery


def delete_delivery(session: Session, user: User | None, delivery_id: int) -> None:
    """Withdraw a delivery."""
    delivery = get_by_id(session, Delivery, delivery_id)
    if delivery is None or not can_read_deal(user, delivery.deal):
        raise NotFound(
            N_("no delivery with id %(delivery_id)s"), params={"delivery_id": delivery_id}
        )
    deal = editable_deal(session, user, delivery.deal_id)
    audit.record(
        session, user, AuditAction.DELETE, delivery, audit.snapshot(delivery), _memo_of(deal)
    )
    session.delete(delivery)
    session.flush()
    session.refresh(deal, ["deliveries"])
    before = audit.snapshot(deal)
    confirmation.reopen(session, deal, user)  # what the deal counts changed
    audit.record(session, user, AuditAction.UPDATE, deal, before)
    notices.deal_awaiting(session, deal)


def _memo_of(deal: Deal) -> int | None:
    if deal.memorandum_id is not None:
        return deal.memorandum_id
    return min((c.memorandum_id for c in deal.commitments), default=None)

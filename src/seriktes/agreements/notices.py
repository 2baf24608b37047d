"""What agreements tell, in the transaction of the change (through
`notifications.service.notify`): a deal waiting for the counterparty's confirmation, a
commitment achieved, due within 30 days or overdue (the last two by `reminders`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from seriktes.agreements.models import Commitment, Confirmation, Deal
from seriktes.agreements.progress import Progress, Status, compute
from seriktes.kit import clock
from seriktes.kit.i18n import format_number
from seriktes.notifications.kinds import Kind
from seriktes.notifications.repository import coordinators
from seriktes.notifications.service import Recipient, localized_name, notify
from seriktes.registry.models import Organisation


def _name(org: Organisation) -> dict[str, str]:
    return localized_name(org.name_ru, org.name_kk)


def deal_awaiting(session: Session, deal: Deal) -> None:
    """A deal one side has confirmed and the other has not: the other side is asked."""
    if deal.confirmation is not Confirmation.AWAITING:
        return
    if deal.buyer_confirmed == deal.supplier_confirmed:
        return
    session.flush()
    confirmed, asked = (
        (deal.buyer, deal.supplier) if deal.buyer_confirmed else (deal.supplier, deal.buyer)
    )
    params = {
        "org": _name(confirmed),
        "other": _name(asked),
        "number": deal.number,
        "amount": f"{format_number(float(deal.amount), 'ru')} {deal.currency}",
    }
    notify(
        session,
        Kind.DEAL_AWAITING,
        [asked],
        params,
        f"/deals/{deal.id}",
        f"deal.{deal.id}.awaiting.v{deal.version}",
        subject=("deal", deal.id),
    )


def progress_status(session: Session, commitment: Commitment, today: date) -> Progress:
    """The commitment's progress, its deals and reports read afresh and forgotten again: a
    collection loaded here would stay stale in the caller's session (a deal deleted later in
    the same transaction would still count)."""
    progress = compute(commitment, today)
    session.expire(commitment, ["deals", "reports"])
    return progress


def commitment_recipients(session: Session, commitment: Commitment) -> list[Recipient]:
    """Who hears of a commitment: its memorandum's party organisations and the coordinators
    of its party regions."""
    parties = commitment.memorandum.parties
    found: list[Recipient] = [p.organisation for p in parties if p.organisation is not None]
    found += coordinators(session, [p.region_id for p in parties if p.region_id is not None])
    return found


def commitment_notice(
    session: Session, commitment: Commitment, kind: Kind, today: date, key: str
) -> None:
    """Tell the commitment's parties that it is due, overdue or achieved."""
    progress = progress_status(session, commitment, today)
    params = {
        "commitment": commitment.title,
        "memorandum": commitment.memorandum.number,
        "deadline": f"{commitment.deadline:%d.%m.%Y}",
        "percent": progress.percent,
    }
    notify(
        session,
        kind,
        commitment_recipients(session, commitment),
        params,
        f"/memoranda/{commitment.memorandum_id}",
        key,
        subject=("commitment", commitment.id),
    )


def achieved_by(session: Session, deal: Deal) -> None:
    """After a deal was confirmed: its commitments that now reach their target are told
    (once per commitment: its key names it)."""
    if deal.confirmation is not Confirmation.CONFIRMED:
        return
    today = clock.today()
    for commitment in deal.commitments:
        if progress_status(session, commitment, today).status is Status.ACHIEVED:
            key = f"commitment.{commitment.id}.achieved"
            commitment_notice(session, commitment, Kind.COMMITMENT_ACHIEVED, today, key)

"""An event's funnel to the end: the events domain counts requests, accepted, scheduled and
held meetings and those with cooperation possible or better; this layer, above events, adds
the deals recorded from the event's meetings and what the confirmed ones amount to (as
confirmation counts it: the contract's KZT amount or its deliveries, the larger)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import repository
from seriktes.agreements.confirmation import counted_amount
from seriktes.agreements.models import Confirmation
from seriktes.events import repository as event_repository
from seriktes.events.day_schemas import FunnelOut
from seriktes.events.policy import can_read_funnel
from seriktes.events.service import get_event
from seriktes.kit.errors import Forbidden, NotAuthenticated
from seriktes.kit.i18n import N_

STEPS = ("requests", "accepted", "scheduled", "held", "cooperation", "deals")


def event_funnel(session: Session, user: User | None, event_id: int) -> FunnelOut:
    """The funnel of an event its organisers read."""
    event = get_event(session, user, event_id)
    if not can_read_funnel(user, event):
        message = N_("the funnel of an event is for its organisers")
        raise Forbidden(message) if user is not None else NotAuthenticated(message)
    counts = event_repository.funnel_counts(session, event.id)
    deals = repository.deals_of_meetings(session, event_repository.meeting_ids(session, event.id))
    confirmed = [d for d in deals if d.confirmation is Confirmation.CONFIRMED]
    return FunnelOut(
        event_id=event.id,
        **counts,
        deals=len(deals),
        confirmed_deals=len(confirmed),
        confirmed_amount_kzt=sum((counted_amount(d) for d in confirmed), Decimal(0)),
    )


def funnel_for_page(session: Session, user: User | None, event_id: int) -> FunnelOut | None:
    """The funnel when `user` may read it (the event page shows it to organisers only)."""
    event = get_event(session, user, event_id)
    return event_funnel(session, user, event_id) if can_read_funnel(user, event) else None

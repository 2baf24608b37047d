"""The matches' part of the daily sweep: new strong matches for an organisation's published
needs or offers, told to its members once a day (their default mode is the daily digest).
Only flushes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from seriktes.kit import clock
from seriktes.matches.bands import band_of
from seriktes.matches.models import Match
from seriktes.notifications.kinds import Kind
from seriktes.notifications.service import localized_name, notify
from seriktes.registry.models import Organisation

SINCE = timedelta(days=1)
TITLES = 5  # titles named in the notification


def new_matches(session: Session, since: datetime) -> list[Match]:
    """Matches stored since `since` between a published need and a published offer."""
    stmt = (
        select(Match)
        .join(Need, Match.need_id == Need.id)
        .join(Offer, Match.offer_id == Offer.id)
        .where(
            Match.created_at >= since,
            Need.status == NeedStatus.PUBLISHED,
            Offer.status == OfferStatus.PUBLISHED,
        )
        .order_by(Match.id)
    )
    return list(session.scalars(stmt))


def notify_strong_matches(session: Session, now: datetime | None = None) -> int:
    """Tell each organisation with new strong matches for its needs (as a buyer) or offers (as
    a producer); return how many organisations were told."""
    now = now or clock.now()
    titles: dict[int, list[str]] = {}
    for match in new_matches(session, now - SINCE):
        if band_of(match.explanation, match.score) != "strong":
            continue
        titles.setdefault(match.need.buyer_id, []).append(match.need.title)
        titles.setdefault(match.offer.producer_id, []).append(match.offer.title)
    for org_id, found in titles.items():
        org = session.get(Organisation, org_id)
        if org is None:
            continue
        named = list(dict.fromkeys(found))
        params = {
            "org": localized_name(org.name_ru, org.name_kk),
            "count": len(found),
            "titles": "; ".join(named[:TITLES]) + ("…" if len(named) > TITLES else ""),
        }
        key = f"matches.{org_id}.{now:%Y%m%d}"
        notify(session, Kind.STRONG_MATCHES, [org], params, f"/organisations/{org_id}", key)
    return len(titles)

"""Reading matches and searching, as a user may see them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from seriktes.accounts.models import User
from seriktes.accounts.policy import visible_needs, visible_offers
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.queries import get_need, get_offer
from seriktes.matches.cache import cached_classifier, cached_matcher
from seriktes.matches.models import Match
from seriktes.matching.classifier import ClassScore
from seriktes.registry.models import Organisation


def need_matches(session: Session, user: User | None, need_id: int) -> list[Match]:
    """The ranked producers of a need the user may read (offers the user may read)."""
    get_need(session, user, need_id)
    stmt = (
        select(Match)
        .join(Match.offer)
        .where(Match.need_id == need_id, visible_offers(user))
        .options(joinedload(Match.offer).joinedload(Offer.producer).joinedload(Organisation.region))
        .order_by(Match.rank)
    )
    return list(session.scalars(stmt))


def offer_fits(session: Session, user: User | None, offer_id: int, limit: int = 50) -> list[Match]:
    """The needs (and their buyers) an offer was matched to, best first."""
    get_offer(session, user, offer_id)
    stmt = (
        select(Match)
        .join(Match.need)
        .where(Match.offer_id == offer_id, visible_needs(user))
        .options(joinedload(Match.need).joinedload(Need.buyer).joinedload(Organisation.region))
        .order_by(Match.score.desc(), Match.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


@dataclass
class SearchResult:
    """Product classes and offers for a free-text query."""

    query: str
    classes: list[ClassScore] = field(default_factory=list)
    offers: list[tuple[Offer, float]] = field(default_factory=list)


def search(session: Session, user: User | None, text: str, limit: int = 20) -> SearchResult:
    """Classify the text and find the offers it describes (published, or the user's own)."""
    result = SearchResult(text.strip())
    if not result.query:
        return result
    classifier = cached_classifier(session)
    if classifier is not None:
        result.classes = classifier.classify(result.query, 5)
    found = cached_matcher(session).search(
        result.query, top=limit * 2, classes=result.classes if classifier else None
    )
    if not found:
        return result
    scores = dict(found)
    stmt = (
        select(Offer)
        .where(Offer.id.in_(list(scores)), visible_offers(user))
        .options(joinedload(Offer.producer).joinedload(Organisation.region))
    )
    offers = sorted(session.scalars(stmt), key=lambda offer: -scores[offer.id])
    result.offers = [(offer, round(scores[offer.id], 4)) for offer in offers[:limit]]
    return result

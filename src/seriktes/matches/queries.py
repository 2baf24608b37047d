"""Reading matches and searching, as a user may see them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_read_need, visible_needs, visible_offers
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.queries import get_need, get_offer
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import NotFound
from seriktes.matches.cache import cached_classifier, cached_matcher, engines_fresh
from seriktes.matches.models import Match
from seriktes.matching.classifier import ClassScore
from seriktes.registry.models import Organisation


def _matches_of(user: User | None, need_id: int) -> Select[Match]:
    """The stored matches of a need, best first, with their offers the user may read."""
    return (
        select(Match)
        .join(Match.offer)
        .where(Match.need_id == need_id, visible_offers(user))
        .options(
            contains_eager(Match.offer).joinedload(Offer.producer).joinedload(Organisation.region)
        )
        .order_by(Match.rank)
    )


def need_matches(session: Session, user: User | None, need: Need) -> list[Match]:
    """The ranked producers of a need the user may read (as `get_need` returns it), among
    the offers the user may read."""
    return list(session.scalars(_matches_of(user, need.id)))


def need_with_matches(
    session: Session, user: User | None, need_id: int
) -> tuple[Need, list[Match]]:
    """A need the user may read and its ranked producers, in one query when it has any;
    NotFound as from `get_need`."""
    if not 1 <= need_id <= MAX_ID:
        return get_need(session, user, need_id), []  # raises NotFound
    need_path = joinedload(Match.need)
    stmt = _matches_of(user, need_id).options(
        need_path.joinedload(Need.buyer).joinedload(Organisation.region),
        need_path.joinedload(Need.delivery_region),
    )
    found = list(session.scalars(stmt))
    if not found:
        return get_need(session, user, need_id), []
    need = found[0].need
    if not can_read_need(user, need):
        raise NotFound(f"no need with id {need_id}")
    return need, found


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


def _visible_offers(session: Session, user: User | None, ids: list[int]) -> list[Offer]:
    """The offers with these ids that the user may read, with their producers."""
    stmt = (
        select(Offer)
        .where(Offer.id.in_(ids), visible_offers(user))
        .options(joinedload(Offer.producer).joinedload(Organisation.region))
    )
    return list(session.scalars(stmt))


def search_is_quick(session: Session) -> bool:
    """Whether a search will only read a few rows by key: no engine to build or check."""
    return engines_fresh(session)


def search(session: Session, user: User | None, text: str, limit: int = 20) -> SearchResult:
    """Classify the text and find the offers it describes (published, or the user's own)."""
    result = SearchResult(text.strip())
    if not result.query:
        return result
    classifier = cached_classifier(session)
    if classifier is not None:
        result.classes = classifier.classify(result.query, 5)
    # the engine holds published offers only; a few more than asked make up for any
    # unpublished since it was built
    found = cached_matcher(session).search(
        result.query, top=limit + max(5, limit // 4), classes=result.classes if classifier else None
    )
    if not found:
        return result
    scores = dict(found)
    ranked = [offer_id for offer_id, _ in found]
    offers = _visible_offers(session, user, ranked[:limit])
    if len(offers) < limit < len(ranked):  # some were unpublished: read the spares
        offers += _visible_offers(session, user, ranked[limit:])
    offers.sort(key=lambda offer: -scores[offer.id])
    result.offers = [(offer, round(scores[offer.id], 4)) for offer in offers[:limit]]
    return result

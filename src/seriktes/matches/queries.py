"""Reading matches and searching, as a user may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Bundle, Session, contains_eager, joinedload

from seriktes.accounts.models import User
from seriktes.accounts.policy import DraftAccess, draft_access
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.policy import visible_needs, visible_offers
from seriktes.catalog.queries import get_need, get_offer
from seriktes.catalog.rows import (
    NEED_VIEW,
    OFFER_VIEW,
    join_need_view,
    join_offer_view,
    need_view,
    offer_view,
)
from seriktes.catalog.schemas import NeedOut, OfferOut
from seriktes.config import get_settings
from seriktes.kit.db import MAX_ID
from seriktes.matches.bands import WEAK, shown_condition
from seriktes.matches.cache import cached_classifier, cached_matcher, engines_fresh, reading
from seriktes.matches.models import Match
from seriktes.matches.schemas import CoverageOut, MatchOut, NeedMatchesOut
from seriktes.matches.service import Coverage, coverage, parse_partners
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


# The two JSON routes people call most build their statements once per draft access (the
# only thing their conditions depend on) and bind the need or the offers: building a
# statement with its joins and computing its cache key took longer than running it.
_STATEMENTS_KEPT = 256


@lru_cache(maxsize=_STATEMENTS_KEPT)
def _need_matches_statement(access: DraftAccess) -> Select[Any]:
    """A need (`need_id`) and its ranked producers among the offers readable with `access`,
    best first, as plain columns; no rows when the need is not readable or has none."""
    shown: Bundle[Any] = Bundle(
        "match", Match.rank, Match.score, Match.class_level, Match.need_class, Match.explanation
    )
    stmt = join_need_view(
        select(shown, *NEED_VIEW, *OFFER_VIEW)
        .select_from(Match)
        .join(Need, Need.id == Match.need_id)
    )
    return (
        join_offer_view(stmt.join(Offer, Offer.id == Match.offer_id))
        .where(Match.need_id == bindparam("need_id"), visible_needs(access), visible_offers(access))
        .order_by(Match.rank)
    )


def need_with_matches(
    session: Session, user: User | None, need_id: int, include_weak: bool = False
) -> NeedMatchesOut:
    """The API views of a need the user may read and of its ranked producers, best first,
    among the offers the user may read — strong and possible ones, weak ones too with
    `include_weak` — and, when none is strong or possible, where producers of its class are:
    one query of plain columns when it has any matches (the JSON route's answer; pages read
    entities with `need_matches`); NotFound as from `get_need`."""
    if not 1 <= need_id <= MAX_ID:
        get_need(session, user, need_id)  # raises NotFound
    stmt = _need_matches_statement(draft_access(user))
    rows = session.execute(stmt, {"need_id": need_id}).all()
    need = need_view(rows[0]) if rows else NeedOut.of(get_need(session, user, need_id))
    found = [MatchOut.of_columns(row.match, offer_view(row)) for row in rows]
    shown = [match for match in found if match.band != WEAK]
    answer = NeedMatchesOut.model_construct(
        need=need,
        matches=found if include_weak else shown,
        weak_matches=len(found) - len(shown),
        coverage=None,
    )
    if not shown:
        region = need.delivery_region or need.buyer.region
        stored = rows[0].match.need_class if rows else None
        text = " ".join(filter(None, [need.title, need.description]))
        found_coverage = need_coverage(
            session, region.kato if region else None, need.class_code or stored, text
        )
        answer.coverage = CoverageOut.of(found_coverage) if found_coverage else None
    return answer


def need_coverage(
    session: Session, region: str | None, class_code: str | None, text: str, guess: bool = False
) -> Coverage | None:
    """Where producers of a need's class are (`service.coverage`) for a need without a strong
    or possible match; a need without a class is classified by its text when the classifier
    is at hand (or always, with `guess`)."""
    if not class_code and (guess or engines_fresh(session)):
        classifier = cached_classifier(session)
        best = classifier.classify(text, 1) if classifier is not None and text else []
        class_code = best[0].code if best else None
    partners = parse_partners(get_settings().partner_regions)
    return coverage(session, region, class_code, partners)


def offer_fits(
    session: Session,
    user: User | None,
    offer_id: int,
    limit: int = 50,
    include_weak: bool = False,
) -> list[Match]:
    """The needs (and their buyers) an offer was matched to, best first: those it is a
    strong or possible match for, and with `include_weak` those it is a weak one for."""
    get_offer(session, user, offer_id)
    stmt = (
        select(Match)
        .join(Match.need)
        .where(Match.offer_id == offer_id, visible_needs(user))
        .options(joinedload(Match.need).joinedload(Need.buyer).joinedload(Organisation.region))
        .order_by(Match.score.desc(), Match.id)
        .limit(limit)
    )
    if not include_weak:
        stmt = stmt.where(shown_condition())
    return list(session.scalars(stmt))


def weak_fit_count(session: Session, user: User | None, offer_id: int) -> int:
    """How many of the needs the user may read an offer is only a weak match for."""
    stmt = (
        select(func.count(Match.id))
        .join(Match.need)
        .where(Match.offer_id == offer_id, visible_needs(user), ~shown_condition())
    )
    return int(session.scalar(stmt) or 0)


T = TypeVar("T")


@dataclass
class SearchResult(Generic[T]):
    """Product classes and offers (entities or views) for a free-text query."""

    query: str
    classes: list[ClassScore] = field(default_factory=list)
    offers: list[tuple[T, float]] = field(default_factory=list)
    classes_available: bool = True  # False: no KP VED classifier is loaded


def _visible_offers(session: Session, user: User | None, ids: list[int]) -> dict[int, Offer]:
    """The offers with these ids that the user may read, with their producers, by id."""
    stmt = (
        select(Offer)
        .where(Offer.id.in_(ids), visible_offers(user))
        .options(joinedload(Offer.producer).joinedload(Organisation.region))
    )
    return {offer.id: offer for offer in session.scalars(stmt)}


@lru_cache(maxsize=_STATEMENTS_KEPT)
def _offer_views_statement(access: DraftAccess) -> Select[Any]:
    """The offers with the ids `ids` readable with `access`, as plain columns."""
    stmt = join_offer_view(select(*OFFER_VIEW).select_from(Offer))
    return stmt.where(Offer.id.in_(bindparam("ids", expanding=True)), visible_offers(access))


def _visible_offer_views(
    session: Session, user: User | None, ids: list[int]
) -> dict[int, OfferOut]:
    """The API views of the offers with these ids that the user may read, by id."""
    rows = session.execute(_offer_views_statement(draft_access(user)), {"ids": ids})
    return {row.offer.id: offer_view(row) for row in rows}


def search_is_quick(session: Session) -> bool:
    """Whether a search will only read a few rows by key: no engine to build or check."""
    return engines_fresh(session)


def search(session: Session, user: User | None, text: str, limit: int = 20) -> SearchResult[Offer]:
    """Classify the text and find the offers it describes (published, or the user's own)."""
    return _search(session, user, text, limit, _visible_offers)


def search_views(
    session: Session, user: User | None, text: str, limit: int = 20
) -> SearchResult[OfferOut]:
    """`search` with the offers' API views, read as plain columns (the JSON route)."""
    return _search(session, user, text, limit, _visible_offer_views)


def _search(
    session: Session,
    user: User | None,
    text: str,
    limit: int,
    load: Callable[[Session, User | None, list[int]], dict[int, T]],
) -> SearchResult[T]:
    result: SearchResult[T] = SearchResult(text.strip())
    if not result.query:
        return result
    classifier = cached_classifier(session)
    result.classes_available = classifier is not None
    if classifier is not None:
        result.classes = classifier.classify(result.query, 5)
    # the engine holds published offers only; a few more than asked make up for any
    # unpublished since it was built
    matcher = cached_matcher(session)
    with reading():
        found = matcher.search(
            result.query,
            top=limit + max(5, limit // 4),
            classes=result.classes if classifier else None,
        )
    if not found:
        return result
    ranked = [offer_id for offer_id, _ in found]
    offers = load(session, user, ranked[:limit])
    if len(offers) < limit < len(ranked):  # some were unpublished: read the spares
        offers |= load(session, user, ranked[limit:])
    readable = [
        (offers[offer_id], round(score, 4)) for offer_id, score in found if offer_id in offers
    ]
    result.offers = readable[:limit]
    return result

"""All queries of the matches domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, joinedload

from seriktes.catalog.models import ClassSource, Need, NeedStatus, Offer, OfferStatus
from seriktes.matches.bands import band_of, shown_condition
from seriktes.matches.models import Match, MatchFeedback, Verdict
from seriktes.registry.kato import oblast_sql, padded
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Organisation, Region

S = TypeVar("S", bound=Select[*tuple[Any, ...]])


def classifier_entries(session: Session) -> list[tuple[str, str]]:
    """Return (code, Russian name) of every KP VED code in the registry."""
    stmt = select(ClassifierCode.code, ClassifierCode.name_ru).where(
        ClassifierCode.system == ClassifierSystem.KPVED
    )
    return [(code, name) for code, name in session.execute(stmt)]


def labelled_needs(session: Session) -> list[tuple[str, str]]:
    """Return (text, code) of the needs whose class a person gave: the KP VED class a person
    set or corrected on the platform, else the ENS TRU code the buyer chose."""
    manual = (Need.class_source == ClassSource.MANUAL) & Need.class_code.is_not(None)
    stmt = select(
        Need.title, Need.description, Need.enstru_code, Need.class_code, Need.class_source
    ).where(Need.enstru_code.is_not(None) | manual)
    return [
        (f"{title} {description or ''}", str(code if source is ClassSource.MANUAL else enstru))
        for title, description, enstru, code, source in session.execute(stmt)
    ]


def feedback_answers(session: Session) -> list[tuple[int, int, bool]]:
    """(need id, offer id, suitable) of every stored answer on a pair, oldest first."""
    stmt = select(MatchFeedback.need_id, MatchFeedback.offer_id, MatchFeedback.verdict)
    rows = session.execute(stmt.order_by(MatchFeedback.id))
    return [(need, offer, verdict is Verdict.SUITABLE) for need, offer, verdict in rows]


def feedback_of_need(session: Session, need_id: int) -> list[MatchFeedback]:
    """The answers on a need's pairs with their offers, producers and users, latest first."""
    stmt = (
        select(MatchFeedback)
        .where(MatchFeedback.need_id == need_id)
        .options(
            joinedload(MatchFeedback.offer).joinedload(Offer.producer),
            joinedload(MatchFeedback.user),
        )
        .order_by(MatchFeedback.updated_at.desc(), MatchFeedback.id.desc())
    )
    return list(session.scalars(stmt))


def feedback_on(session: Session, need_id: int, offer_id: int) -> MatchFeedback | None:
    """The answer on one pair, if any."""
    stmt = select(MatchFeedback).where(
        MatchFeedback.need_id == need_id, MatchFeedback.offer_id == offer_id
    )
    return session.scalars(stmt).one_or_none()


def published_offers(session: Session) -> list[Offer]:
    """Return every published offer with its producer and the producer's region."""
    stmt = (
        select(Offer)
        .where(Offer.status == OfferStatus.PUBLISHED)
        .options(joinedload(Offer.producer).joinedload(Organisation.region))
    )
    return list(session.scalars(stmt))


def offers_by_id(session: Session, ids: Iterable[int]) -> list[Offer]:
    """Return the offers with these ids (those that still exist), with producers and regions."""
    stmt = select(Offer).options(joinedload(Offer.producer).joinedload(Organisation.region))
    return [offer for part in _chunks(stmt, Offer.id, ids) for offer in session.scalars(part)]


def needs_by_id(session: Session, ids: Iterable[int]) -> list[Need]:
    """Return the needs with these ids (those that still exist) with their buyer and delivery
    region, by id."""
    stmt = select(Need).options(
        joinedload(Need.buyer).joinedload(Organisation.region), joinedload(Need.delivery_region)
    )
    found = [need for part in _chunks(stmt, Need.id, ids) for need in session.scalars(part)]
    return sorted(found, key=lambda need: need.id)


def published_need_texts(
    session: Session, ids: Iterable[int] | None = None
) -> list[tuple[int, int, str, str | None]]:
    """(id, buyer id, text, class code) of the published needs (among `ids` when given)."""
    stmt = select(Need.id, Need.buyer_id, Need.title, Need.description, Need.class_code).where(
        Need.status == NeedStatus.PUBLISHED
    )
    parts = [stmt] if ids is None else _chunks(stmt, Need.id, ids)
    return [
        (need_id, buyer, " ".join(filter(None, [title, description])), code)
        for part in parts
        for need_id, buyer, title, description, code in session.execute(part)
    ]


def needs_holding(session: Session, offer_ids: Iterable[int]) -> set[int]:
    """The ids of the needs that have a stored match with one of these offers."""
    stmt = select(Match.need_id).distinct()
    return {
        need for part in _chunks(stmt, Match.offer_id, offer_ids) for need in session.scalars(part)
    }


def _chunks(stmt: S, column: Any, ids: Iterable[int]) -> list[S]:
    """`stmt` restricted to `column IN ids`, in parts small enough for every database."""
    wanted = sorted(set(ids))
    return [stmt.where(column.in_(wanted[i : i + 900])) for i in range(0, len(wanted), 900)]


def open_needs(session: Session, ids: Sequence[int] | None = None) -> list[Need]:
    """Return published needs (or the given ones) with their buyer and delivery region."""
    stmt = select(Need).options(
        joinedload(Need.buyer).joinedload(Organisation.region), joinedload(Need.delivery_region)
    )
    stmt = (
        stmt.where(Need.id.in_(ids))
        if ids is not None
        else stmt.where(Need.status == NeedStatus.PUBLISHED)
    )
    return list(session.scalars(stmt.order_by(Need.id)))


def replace_matches(session: Session, need_ids: Sequence[int], rows: list[dict[str, Any]]) -> None:
    """Make the stored matches of `need_ids` exactly `rows`. A pair (need, offer) found
    again keeps its row and id, so what points at it (a meeting request proposed from the
    match) stays linked; pairs no longer found are deleted, new pairs inserted."""
    kept: dict[tuple[int, int], int] = {}
    for start in range(0, len(need_ids), 900):
        part = need_ids[start : start + 900]
        stmt = select(Match.need_id, Match.offer_id, Match.id).where(Match.need_id.in_(part))
        kept.update({(need, offer): row_id for need, offer, row_id in session.execute(stmt)})
    updates: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for row in rows:
        row_id = kept.pop((int(row["need_id"]), int(row["offer_id"])), None)
        (inserts if row_id is None else updates).append(
            row if row_id is None else {**row, "id": row_id}
        )
    gone = sorted(kept.values())
    for start in range(0, len(gone), 900):
        session.execute(delete(Match).where(Match.id.in_(gone[start : start + 900])))
    for start in range(0, len(updates), 5000):
        session.execute(update(Match), updates[start : start + 5000])
    for start in range(0, len(inserts), 5000):
        session.execute(insert(Match), inserts[start : start + 5000])
    session.flush()


def matches_for_need(session: Session, need_id: int) -> list[Match]:
    """Return the stored matches of a need, best first, with offers and producers."""
    stmt = (
        select(Match)
        .where(Match.need_id == need_id)
        .options(joinedload(Match.offer).joinedload(Offer.producer))
        .order_by(Match.rank)
    )
    return list(session.scalars(stmt))


def class_offers_by_region(session: Session, group: str) -> dict[str, int]:
    """Published offers of a four-digit KP VED class (`group`, dotted: "28.15") by the
    top-level region (KATO, nine digits) of their producers."""
    prefix = oblast_sql(Region.kato)
    stmt = (
        select(prefix, func.count(Offer.id))
        .join(Offer.producer)
        .join(Organisation.region)
        .where(
            Offer.status == OfferStatus.PUBLISHED,
            # a range the class index serves (in any collation: codes differ in digits
            # first), then the group's codes exactly
            Offer.class_code.between(group, f"{group}.99.999"),
            or_(Offer.class_code == group, Offer.class_code.like(f"{group}.%")),
        )
        .group_by(prefix)
    )
    return {padded(key): int(count) for key, count in session.execute(stmt)}


def match_counts(
    session: Session,
    column: Any,
    ids: Sequence[int],
    offers_seen: ColumnElement[bool],
    weak: bool = False,
) -> dict[int, int]:
    """Stored matches per need or offer (`column`: `Match.need_id` or `Match.offer_id`) with
    offers that pass `offers_seen`: strong or possible ones, weak ones too with `weak`."""
    if not ids:
        return {}
    stmt = (
        select(column, func.count())
        .select_from(Match)
        .join(Match.offer)
        .where(column.in_(list(ids)), offers_seen)
        .group_by(column)
    )
    if not weak:
        stmt = stmt.where(shown_condition())
    return {int(key): int(n) for key, n in session.execute(stmt).all()}


@dataclass
class BandCounts:
    """A line's strong and possible matches, and how many of them were found since a time."""

    strong: int = 0
    possible: int = 0
    new: int = 0

    @property
    def shown(self) -> int:
        """Strong and possible matches together."""
        return self.strong + self.possible


def band_counts(
    session: Session,
    column: Any,
    ids: Sequence[int],
    seen: ColumnElement[bool],
    since: datetime,
) -> dict[int, BandCounts]:
    """Strong and possible stored matches per need or offer (`column`: `Match.need_id` or
    `Match.offer_id`) whose need and offer pass `seen`, and how many of them were first
    found (stored) at `since` or later; a line without such matches is left out."""
    found: dict[int, BandCounts] = {}
    if not ids:
        return found
    band = Match.explanation["band"].as_string()
    stmt = (
        select(column, band, Match.score, Match.created_at)
        .select_from(Match)
        .join(Match.need)
        .join(Match.offer)
        .where(seen, shown_condition())
    )
    for part in _chunks(stmt, column, ids):
        for key, stored, score, created in session.execute(part):
            counts = found.setdefault(int(key), BandCounts())
            if band_of({"band": stored}, score) == "strong":
                counts.strong += 1
            else:
                counts.possible += 1
            if created >= since:
                counts.new += 1
    return found

"""Aggregates of a region pair for the dashboard: needs, offers, matches, far-abroad value.

Counted in SQL over open (published) needs and published offers, within the reader's
visibility; a match counts when it is strong or possible (`matches.bands`): weak matches are
often wrong, so they never make a need matched nor add to import-substitution potential. A
line belongs to the top-level region (KATO prefix) of its organisation; values are quantity ×
unit price of needs priced in KZT (an unpriced line adds nothing to values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Numeric, and_, case, func, or_, select, true, type_coerce
from sqlalchemy.orm import Session, aliased

from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.catalog.repository import counts_by_oblast
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.matches.bands import shown_condition
from seriktes.matches.models import Match
from seriktes.registry.kato import oblast_of, oblast_sql, padded
from seriktes.registry.models import Organisation, Region
from seriktes.registry.names import ordered_regions, region_name, region_short
from seriktes.registry.repository import class_names, top_level_regions

ZERO = Decimal(0)
Sums = tuple[int, int, Decimal, Decimal]  # needs, needs with a partner match, value, matched
MONEY = Numeric(20, 2)

BuyerOrg = aliased(Organisation, name="buyer_org")
BuyerRegion = aliased(Region, name="buyer_region")
ProducerOrg = aliased(Organisation, name="producer_org")
ProducerRegion = aliased(Region, name="producer_region")


@dataclass(frozen=True)
class Named:
    """Something with a Russian and an optional Kazakh name."""

    name_ru: str
    name_kk: str | None

    def name(self, lang: str) -> str:
        """Return the name in `lang` (Kazakh when asked and known, Russian otherwise)."""
        return self.name_kk if lang == "kk" and self.name_kk else self.name_ru


@dataclass(frozen=True)
class RegionRow(Named):
    """One top-level region of the country table."""

    kato: str
    organisations: int = 0
    needs: int = 0
    offers: int = 0
    far_abroad_needs: int = 0

    def name(self, lang: str) -> str:
        """The full name in `lang` (`registry.names`: English for top-level regions)."""
        return region_name(self.kato, self.name_ru, self.name_kk, lang)

    def short(self, lang: str) -> str:
        """A short label: ВКО, СҚО, East Kazakhstan."""
        return region_short(self.kato, self.name_ru, self.name_kk, lang)


@dataclass(frozen=True)
class Side:
    """One region of the pair: its counts and its far-abroad needs that the partner matches."""

    region: RegionRow
    far_value: Decimal = ZERO
    matched_needs: int = 0
    matched_value: Decimal = ZERO
    matches: int = 0

    @property
    def share(self) -> float:
        """Share of this side's far-abroad needs that have a partner producer's match."""
        needs = self.region.far_abroad_needs
        return self.matched_needs / needs if needs else 0.0


@dataclass(frozen=True)
class FarValue(Named):
    """Far-abroad needs of a class or a buyer: their value and the part a partner matches."""

    needs: int
    matched_needs: int
    far_value: Decimal
    matched_value: Decimal


@dataclass(frozen=True)
class ClassValue(FarValue):
    """A KP VED class; named by the registry when it holds the code, else by the code."""

    code: str | None = None
    example: str = ""  # the title of one of its needs, for classes the registry cannot name

    def label(self, lang: str) -> str:
        """«28.15.10 Подшипники…», the bare code when no name is known, "" without a code."""
        name = self.name(lang)
        return f"{self.code} {name}" if self.code and name != self.code else self.code or ""


@dataclass(frozen=True)
class BuyerValue(FarValue):
    """A buyer organisation."""

    id: int = 0


@dataclass(frozen=True)
class Org(Named):
    """An organisation as the dashboard links it."""

    id: int


@dataclass(frozen=True)
class BestMatch:
    """The best partner-region match of one need."""

    need_id: int
    need_title: str
    buyer: Org
    producer: Org
    score: float


@dataclass(frozen=True)
class Direction:
    """Buyers of one region supplied by producers of the other."""

    buyers: Side
    producers: Side
    classes: list[ClassValue] = field(default_factory=list)
    top_buyers: list[BuyerValue] = field(default_factory=list)
    best: list[BestMatch] = field(default_factory=list)


@dataclass(frozen=True)
class PairDashboard:
    """Both directions of a region pair and the country's regions."""

    a: Side
    b: Side
    directions: tuple[Direction, Direction]
    regions: list[RegionRow]


@dataclass(frozen=True)
class Visibility:
    """Extra SQL conditions on needs and offers: what the reader may read."""

    needs: ColumnElement[bool] = field(default_factory=true)
    offers: ColumnElement[bool] = field(default_factory=true)


def parse_pair(pair: str) -> tuple[str, str]:
    """Parse "630000000:590000000" (or "63:59") into two nine-digit KATO codes."""
    parts = [part.strip() for part in pair.split(":")]
    if len(parts) != 2 or not all(part.isdigit() and len(part) <= 9 for part in parts):
        raise ValidationFailed(
            N_("a region pair must be two KATO codes A:B, got %(pair)s"),
            params={"pair": repr(pair)},
        )
    return padded(parts[0]), padded(parts[1])


def pair_dashboard(
    session: Session,
    a: str,
    b: str,
    seen: Visibility | None = None,
    min_score: float = 0.0,
    top: int = 8,
) -> PairDashboard:
    """Return the dashboard of regions `a` and `b` (top-level KATO codes).

    A need counts as matched when a strong or possible stored match with a producer of the
    other region scores at least `min_score` (0: any such match).
    """
    seen = seen or Visibility()
    regions = country_regions(session, seen)
    rows = {row.kato: row for row in regions}
    if a not in rows or b not in rows:
        raise ValidationFailed(
            N_("unknown top-level region in the pair %(a)s:%(b)s"), params={"a": a, "b": b}
        )
    far = _far_needs(a, b, seen, min_score)
    classes, buyers = _classes(session, far), _buyers(session, far, top)
    matches = _match_counts(session, a, b, seen, min_score)
    sides = {kato: _side(rows[kato], classes.get(oblast_of(kato), []), matches) for kato in (a, b)}
    directions = tuple(
        Direction(
            buyers=sides[mine],
            producers=sides[theirs],
            classes=classes.get(oblast_of(mine), [])[:top],
            top_buyers=buyers.get(oblast_of(mine), []),
            best=best_matches(session, mine, theirs, seen, min_score, top),
        )
        for mine, theirs in ((a, b), (b, a))
    )
    return PairDashboard(sides[a], sides[b], (directions[0], directions[1]), regions)


def _side(region: RegionRow, classes: list[ClassValue], matches: dict[str, int]) -> Side:
    """A side's far-abroad totals are the sums over all its classes."""
    return Side(
        region,
        far_value=sum((item.far_value for item in classes), ZERO),
        matched_needs=sum(item.matched_needs for item in classes),
        matched_value=sum((item.matched_value for item in classes), ZERO),
        matches=matches.get(oblast_of(region.kato), 0),
    )


def _open_needs(seen: Visibility) -> ColumnElement[bool]:
    return and_(Need.status == NeedStatus.PUBLISHED, seen.needs)


def _open_offers(seen: Visibility) -> ColumnElement[bool]:
    return and_(Offer.status == OfferStatus.PUBLISHED, seen.offers)


def country_regions(session: Session, seen: Visibility | None = None) -> list[RegionRow]:
    """Return every top-level region with its organisations, open needs and offers."""
    seen = seen or Visibility()
    counts = counts_by_oblast(session, _open_needs(seen), _open_offers(seen))
    tops = top_level_regions(session)
    rows = [
        RegionRow(r.name_ru, r.name_kk, r.kato, **counts.get(oblast_of(r.kato), {})) for r in tops
    ]
    # pages order them again in their language (`registry.names.ordered_regions`)
    return ordered_regions(rows, "ru")


def _far_needs(a: str, b: str, seen: Visibility, min_score: float) -> Any:
    """Open far-abroad needs of both sides, each flagged 1 when a partner producer matches it."""
    side = oblast_sql(BuyerRegion.kato)
    amount = func.coalesce(Need.quantity * Need.unit_price, 0)  # other currencies count 0
    one, other = oblast_of(a), oblast_of(b)
    partner = case((side == one, other), else_=one)
    matched = (
        select(Match.id)
        .join(Offer, Match.offer_id == Offer.id)
        .join(ProducerOrg, Offer.producer_id == ProducerOrg.id)
        .join(ProducerRegion, ProducerOrg.region_id == ProducerRegion.id)
        .where(
            Match.need_id == Need.id,
            Match.score >= min_score,
            shown_condition(),
            _open_offers(seen),
            oblast_sql(ProducerRegion.kato) == partner,
        )
        .exists()
    )
    return (
        select(
            side.label("side"),
            Need.buyer_id.label("buyer_id"),
            Need.class_code.label("class_code"),
            Need.title.label("title"),
            case((Need.currency == "KZT", amount), else_=0).label("value"),
            case((matched, 1), else_=0).label("matched"),
        )
        .join(BuyerOrg, Need.buyer_id == BuyerOrg.id)
        .join(BuyerRegion, BuyerOrg.region_id == BuyerRegion.id)
        .where(_open_needs(seen), Need.origin == Origin.FAR_ABROAD, side.in_(sorted({one, other})))
        .subquery("far")
    )


def _far_groups(
    session: Session, far: Any, keys: list[Any], source: Any = None, by_value: bool = False
) -> dict[str, list[tuple[tuple[Any, ...], Sums]]]:
    """Per side: far-abroad needs grouped by `keys`, the most matched value (or value) first.
    The key of each group ends with an example need title of the group."""
    value = type_coerce(func.sum(far.c.value), MONEY)
    matched = type_coerce(func.sum(case((far.c.matched == 1, far.c.value), else_=0)), MONEY)
    first = (value, matched) if by_value else (matched, value)
    stmt = (
        select(far.c.side, func.count(), func.sum(far.c.matched), value, matched, *keys)
        .add_columns(func.min(far.c.title))
        .select_from(far if source is None else source)
        .group_by(far.c.side, *keys)
        .order_by(first[0].desc(), first[1].desc(), *keys)
    )
    found: dict[str, list[tuple[tuple[Any, ...], Sums]]] = {}
    for side, n, hits, total, part, *key in session.execute(stmt):
        sums = (int(n), int(hits or 0), total or ZERO, part or ZERO)
        found.setdefault(side, []).append((tuple(key), sums))
    return found


def _classes(session: Session, far: Any) -> dict[str, list[ClassValue]]:
    """Per side: every class of its far-abroad needs, the most matched value first."""
    groups = _far_groups(session, far, [far.c.class_code])
    names = class_names(session, {key[0] for rows in groups.values() for key, _ in rows if key[0]})

    def named(key: tuple[Any, ...], sums: Sums) -> ClassValue:
        code, example = key
        name_ru, name_kk = names.get(code or "", (code or "", None))
        return ClassValue(name_ru, name_kk, *sums, code=code, example=example)

    return {side: [named(key, sums) for key, sums in rows] for side, rows in groups.items()}


def _buyers(session: Session, far: Any, top: int) -> dict[str, list[BuyerValue]]:
    """Per side: the buyers with the most far-abroad value."""
    keys = [far.c.buyer_id, Organisation.name_ru, Organisation.name_kk]
    joined = far.join(Organisation, Organisation.id == far.c.buyer_id)
    groups = _far_groups(session, far, keys, source=joined, by_value=True)
    return {
        side: [BuyerValue(key[1], key[2], *sums, id=key[0]) for key, sums in rows[:top]]
        for side, rows in groups.items()
    }


def _crossing(seen: Visibility, min_score: float) -> Any:
    """Strong and possible matches joined to the need's buyer region and the offer's producer
    region."""
    return (
        select()
        .select_from(Match)
        .join(Need, Match.need_id == Need.id)
        .join(BuyerOrg, Need.buyer_id == BuyerOrg.id)
        .join(BuyerRegion, BuyerOrg.region_id == BuyerRegion.id)
        .join(Offer, Match.offer_id == Offer.id)
        .join(ProducerOrg, Offer.producer_id == ProducerOrg.id)
        .join(ProducerRegion, ProducerOrg.region_id == ProducerRegion.id)
        .where(_open_needs(seen), _open_offers(seen), Match.score >= min_score, shown_condition())
    )


def _match_counts(
    session: Session, a: str, b: str, seen: Visibility, min_score: float
) -> dict[str, int]:
    """Per side: stored matches of its needs with offers of the other side's producers."""
    mine, theirs = oblast_sql(BuyerRegion.kato), oblast_sql(ProducerRegion.kato)
    one, other = oblast_of(a), oblast_of(b)
    crossed = or_(and_(mine == one, theirs == other), and_(mine == other, theirs == one))
    stmt = (
        _crossing(seen, min_score)
        .add_columns(mine, func.count(Match.id))
        .where(crossed)
        .group_by(mine)
    )
    return {side: int(n) for side, n in session.execute(stmt)}


def best_matches(
    session: Session,
    buyers: str,
    producers: str,
    seen: Visibility | None = None,
    min_score: float = 0.0,
    top: int = 8,
) -> list[BestMatch]:
    """The best match of each need of `buyers` with a producer of `producers`, best first."""
    seen = seen or Visibility()
    stmt = (
        _crossing(seen, min_score)
        .add_columns(Match.score, Need.id, Need.title, BuyerOrg, ProducerOrg)
        .where(
            oblast_sql(BuyerRegion.kato) == oblast_of(buyers),
            oblast_sql(ProducerRegion.kato) == oblast_of(producers),
        )
        .order_by(Match.score.desc(), Need.id, Match.id)
        .execution_options(yield_per=100)  # read only until `top` needs are found
    )
    best: dict[int, BestMatch] = {}
    with session.execute(stmt) as rows:
        for score, need_id, title, buyer, producer in rows:
            if need_id not in best:
                best[need_id] = BestMatch(need_id, title, _org(buyer), _org(producer), score)
            if len(best) == top:
                break
    return list(best.values())


def _org(org: Organisation) -> Org:
    return Org(org.name_ru, org.name_kk, org.id)

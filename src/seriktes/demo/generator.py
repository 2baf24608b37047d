"""The demo data generator: the same organisations, needs and offers for the same seed.

Rows are plain dicts keyed by model column names, except that references are given
by natural keys the loader resolves: `region_kato` and `delivery_region_kato` (KATO
codes of top-level regions), `buyer_bin` and `producer_bin` (organisation BINs).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from seriktes.catalog.models import NeedStatus, OfferStatus, Origin
from seriktes.demo.companies import ORGANISATIONS
from seriktes.demo.families import Family, fill, pick_slots
from seriktes.demo.parties import Party, Row, make_parties
from seriktes.demo.texts import need_description, offer_description
from seriktes.demo.vocab import FAMILIES
from seriktes.registry.models import SizeClass

DEFAULT_SEED = 2026
BASE_DATE = date(2027, 1, 1)  # needs fall due between February and December of this year
NEED_TARGET = (585, 615)
OFFER_TARGET = (1_460, 1_540)
BUYER_WEIGHT = {
    SizeClass.LARGE: 10.0,
    SizeClass.MEDIUM: 2.5,
    SizeClass.SMALL: 1.0,
    SizeClass.MICRO: 0.5,
}
SELLER_WEIGHT = {
    SizeClass.LARGE: 1.0,
    SizeClass.MEDIUM: 3.0,
    SizeClass.SMALL: 2.0,
    SizeClass.MICRO: 1.0,
}
MAKER_FACTOR = 2.0
SIDE_TAGS = frozenset({"canteen", "office"})  # every big buyer procures these, but less often
SIDE_WEIGHT = 0.3
MAX_MISSES = 40  # consecutive duplicate titles after which a party has said all it can


@dataclass(frozen=True)
class DemoData:
    """Generated rows: organisations, buyers' needs and producers' offers."""

    organisations: list[Row]
    needs: list[Row]
    offers: list[Row]


@dataclass
class _Source:
    """A party writing lines, with the families it may write about and what it has written."""

    party: Party
    families: list[Family]
    weights: list[float]
    weight: float
    titles: set[str] = field(default_factory=set)
    misses: int = 0


Writer = Callable[[Random, _Source, Family], Row | None]


def generate(seed: int = DEFAULT_SEED) -> DemoData:
    """Generate the demo organisations, needs and offers; identical for identical seeds."""
    rng = Random(seed)
    parties = make_parties(ORGANISATIONS, rng)
    needs = _fill(rng, _buyers(parties), rng.randint(*NEED_TARGET), _write_need)
    offers = _fill(rng, _sellers(parties), rng.randint(*OFFER_TARGET), _write_offer)
    for number, row in enumerate(needs, start=1):
        row["external_id"] = f"DEMO-N-{number:05d}"
    for number, row in enumerate(offers, start=1):
        row["external_id"] = f"DEMO-O-{number:05d}"
    return DemoData([party.row for party in parties], needs, offers)


def _buyers(parties: list[Party]) -> list[_Source]:
    sources = []
    for party in parties:
        core = party.spec.buys - SIDE_TAGS
        families = [f for f in FAMILIES if f.need and f.buyers & party.spec.buys]
        weights = [f.weight * (1.0 if f.buyers & core else SIDE_WEIGHT) for f in families]
        if families:
            sources.append(_Source(party, families, weights, BUYER_WEIGHT[party.spec.size]))
    return sources


def _sellers(parties: list[Party]) -> list[_Source]:
    sources = []
    for party in parties:
        families = [f for f in FAMILIES if f.offer and f.makers & party.spec.makes]
        if families:
            weights = [1.0] * len(families)
            # Manufacturers list more of their range than traders and service firms do.
            factor = MAKER_FACTOR if party.spec.own_production else 1.0
            weight = SELLER_WEIGHT[party.spec.size] * factor
            sources.append(_Source(party, families, weights, weight))
    return sources


def _fill(rng: Random, sources: list[_Source], target: int, write: Writer) -> list[Row]:
    """Draw lines from weighted parties and families until `target` or until all are spent."""
    rows: list[Row] = []
    active = list(sources)
    while len(rows) < target and active:
        source = rng.choices(active, weights=[s.weight for s in active])[0]
        item = rng.choices(source.families, weights=source.weights)[0]
        row = write(rng, source, item)
        if row is None:
            source.misses += 1
            if source.misses >= MAX_MISSES:
                active.remove(source)
            continue
        source.misses = 0
        rows.append(row)
    return rows


def _new_title(
    rng: Random, source: _Source, templates: tuple[str, ...], values: dict[str, str]
) -> str | None:
    title = fill(rng.choice(templates), values)
    if title in source.titles:
        return None
    source.titles.add(title)
    return title


def _write_need(rng: Random, source: _Source, item: Family) -> Row | None:
    values = pick_slots(item, rng)
    title = _new_title(rng, source, item.need, values)
    if title is None:
        return None
    needed_by = BASE_DATE + timedelta(days=rng.randint(31, 364))
    origin = draw_origin(item, rng)
    return {
        "buyer_bin": source.party.bin,
        "title": title,
        "description": need_description(item, source.party.town, needed_by, origin, rng),
        "specification": fill(item.detail, values) or None,
        "class_code": item.class_code,
        "enstru_code": enstru_code(item, title),
        "quantity": draw_quantity(item, rng),
        "unit_code": item.unit,
        "unit_price": draw_price(item.price, rng),
        "currency": "KZT",
        "delivery_region_kato": source.party.row["region_kato"],
        "needed_by": needed_by,
        "origin": origin,
        "status": rng.choices(list(NeedStatus), weights=(6, 89, 5))[0],
        "source": "demo",
    }


def _write_offer(rng: Random, source: _Source, item: Family) -> Row | None:
    values = pick_slots(item, rng)
    title = _new_title(rng, source, item.offer, values)
    if title is None:
        return None
    spec = source.party.spec
    held: list[str] = source.party.row["certificates"]
    goods = item.kind == "goods"
    return {
        "producer_bin": source.party.bin,
        "title": title,
        "description": offer_description(
            item, values, source.party.town, maker=spec.own_production, rng=rng
        ),
        "class_code": item.class_code,
        "hs_code": item.hs,
        "capacity_per_year": draw_capacity(item, rng),
        "unit_code": item.unit,
        "price": draw_price(item.price, rng) if goods or rng.random() < 0.65 else None,
        "currency": "KZT",
        "certificates": [c for c in held if rng.random() < 0.8] if goods else [],
        "status": rng.choices(list(OfferStatus), weights=(5, 92, 3))[0],
        "source": "demo",
    }


def draw_origin(item: Family, rng: Random) -> Origin:
    """Draw where a buyer sources the item today, from the family's import shares."""
    roll = rng.random()
    if roll < item.imported:
        return Origin.FAR_ABROAD
    if roll < item.imported + item.eaeu:
        return Origin.EAEU
    if roll < item.imported + item.eaeu + 0.06:
        return Origin.UNKNOWN
    return Origin.DOMESTIC


def enstru_code(item: Family, title: str) -> str:
    """Return an ENS TRU code `XXXXXX.XXX.XXXXXX` under the family's KP VED class."""
    serial = zlib.crc32(title.encode("utf-8")) % 1_000_000
    return f"{item.class_code.replace('.', '')}.{item.ens}.{serial:06d}"


def draw_quantity(item: Family, rng: Random) -> Decimal:
    """Draw a procurement quantity; large counts are rounded as buyers round them."""
    scale = 10**item.decimals
    low, high = item.quantity
    value = rng.randint(low * scale, high * scale)
    if item.decimals == 0 and value >= 1_000:
        value = round(value, -2)
    return Decimal(value).scaleb(-item.decimals)


def draw_capacity(item: Family, rng: Random) -> Decimal:
    """Draw a yearly capacity of several times the largest usual order."""
    value = item.quantity[1] * rng.choice((4, 6, 10, 15, 25, 40))
    return Decimal(round(value, 1 - len(str(value))) if value >= 100 else value)


def draw_price(bounds: tuple[int, int], rng: Random) -> Decimal:
    """Draw a unit price in KZT rounded to about three significant digits."""
    value = rng.randint(*bounds)
    digits = len(str(value))
    return Decimal(round(value, min(0, 3 - digits)))

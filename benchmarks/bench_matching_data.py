"""Generated offers and needs for the matching scale benchmark, written from the demo vocabulary.

Titles come from the demo families' templates (the same code that writes the demo data);
each line is then varied the way real price lists and plan lines vary: brands, sizes,
standards, grades, article numbers and delivery terms, so that the index sees a realistic,
growing vocabulary rather than a few hundred distinct titles repeated.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from seriktes.demo.families import Family, fill, pick_slots
from seriktes.demo.generator import draw_capacity, draw_origin, draw_quantity
from seriktes.demo.vocab import FAMILIES
from seriktes.matching.matcher import NeedDoc, OfferDoc
from seriktes.matching.ranking import Geography, UnitTable
from seriktes.registry.facts import TOP_LEVEL_REGIONS, UNITS

REGIONS = tuple(fact.kato for fact in TOP_LEVEL_REGIONS)
PARTNERS = {"630000000": frozenset({"590000000"}), "590000000": frozenset({"630000000"})}
# Factors to the base unit of each kind, by the short Russian name used in the facts.
TO_BASE_BY_SHORT = {
    "кг": 1.0,
    "т": 1000.0,
    "г": 0.001,
    "м": 1.0,
    "км": 1000.0,
    "мм": 0.001,
    "см": 0.01,
    "л": 1.0,
    "мл": 0.001,
}
# Units an offer may be listed in instead of the family's own (tonnes sold by the kilogram).
ALTERNATIVE_UNIT = {"168": ("166", 1000.0), "166": ("168", 0.001), "006": ("008", 0.001)}

BRANDS = (
    "SKF", "FAG", "NSK", "Metso", "Weir", "KSB", "Sandvik", "Atlas Copco", "Komatsu",
    "Caterpillar", "Bosch", "Makita", "Shell", "Лукойл", "Роснефть", "Tikkurila", "Текс",
    "3M", "Восток-Сервис", "Уралмаш", "ГМС Ливгидромаш", "Казцинк", "ЗВИ", "Kazakhmys",
)  # fmt: skip
ORIGINS = (
    "производство Казахстан", "производство РФ", "производство РБ", "производство КНР",
    "отечественного производства", "импорт", "собственного производства",
)  # fmt: skip
TERMS = (
    "в наличии на складе", "под заказ", "со склада в Караганде", "со склада в Алматы",
    "отгрузка от 1 шт", "оптом и в розницу", "доставка по РК", "с НДС", "без НДС",
    "новый", "оригинал", "аналог", "с паспортом качества", "с сертификатом соответствия",
)  # fmt: skip
SERVICE_TERMS = (
    "по всему Казахстану", "опыт работы более 10 лет", "собственный парк техники",
    "гарантия 12 месяцев", "выезд на объект", "круглосуточно", "с НДС", "без НДС",
    "аттестованный персонал", "лицензия I категории", "договор на год", "по безналичному расчету",
)  # fmt: skip
PACKING = ("мешок 50 кг", "биг-бэг 1 т", "паллета", "коробка", "бухта", "барабан", "канистра 20 л")


def _standard(rng: random.Random) -> str:
    year = rng.choice(("70", "80", "89", "2005", "2013", "2016", "2019"))
    if rng.random() < 0.8:
        return f"ГОСТ {rng.randint(380, 34000)}-{year}"
    return f"ТУ {rng.randint(1100, 3900)}-{rng.randint(1, 99):03d}-{rng.randint(1, 99999):05d}"


def _size(rng: random.Random) -> str:
    value = rng.choice((6, 8, 10, 12, 16, 20, 25, 32, 40, 50, 63, 80, 100, 125, 160, 200, 250))
    return rng.choice(
        (
            f"{value} мм",
            f"L={value * 10} мм",
            f"Ду{value}",
            f"{value}х{rng.choice((2, 3, 4, 5, 6, 8, 10))} мм",
            f"ф{value}",
            f"{value} кг",
            f"{rng.choice((0.5, 1, 5, 10, 20, 200))} л",
        )
    )


MODIFIERS: tuple[Callable[[random.Random], str], ...] = (
    lambda rng: rng.choice(BRANDS),
    lambda rng: rng.choice(ORIGINS),
    _standard,
    _size,
    lambda rng: rng.choice(TERMS),
    lambda rng: rng.choice(PACKING),
    lambda rng: f"марка {rng.choice('АБВГД')}{rng.randint(1, 9)}",
    lambda rng: f"арт. {rng.randint(100000, 999999)}",
    lambda rng: f"исп. {rng.choice(('УХЛ1', 'У3', 'ХЛ', 'Т2', 'IP54', 'IP65'))}",
)


def vary(title: str, rng: random.Random, goods: bool, most: int = 3) -> str:
    """Append up to `most` modifiers (brand, size, standard... or service terms) to a title."""
    count = rng.choice(range(most + 1))
    if goods:
        extras = [rng.choice(MODIFIERS)(rng) for _ in range(count)]
    else:
        extras = [rng.choice(SERVICE_TERMS) for _ in range(count)]
    return ", ".join([title, *extras])


def offer_text(item: Family, rng: random.Random) -> str:
    """Write an offer's text: a varied price-list title and, often, the technical detail."""
    values = pick_slots(item, rng)
    title = vary(fill(rng.choice(item.offer), values), rng, item.kind == "goods")
    detail = fill(item.detail, values)
    return f"{title}. {detail}" if detail and rng.random() < 0.7 else title


def need_text(item: Family, rng: random.Random) -> str:
    """Write a need's text: a varied plan-line title and, sometimes, its specification."""
    values = pick_slots(item, rng)
    title = vary(fill(rng.choice(item.need), values), rng, item.kind == "goods", most=2)
    detail = fill(item.detail, values)
    return f"{title}. {detail}" if detail and rng.random() < 0.4 else title


def make_offer(number: int, rng: random.Random, families: list[Family]) -> OfferDoc:
    """Generate one offer of a random family."""
    item = rng.choice(families)
    unit, capacity = item.unit, float(draw_capacity(item, rng))
    if unit in ALTERNATIVE_UNIT and rng.random() < 0.2:
        unit, factor = ALTERNATIVE_UNIT[unit]
        capacity *= factor
    return OfferDoc(
        id=number,
        producer_id=rng.randint(1, 20_000),
        text=offer_text(item, rng),
        class_code=item.class_code,
        unit_code=unit,
        capacity=capacity,
        region=rng.choice(REGIONS),
        certified=item.kind == "goods" and rng.random() < 0.4,
    )


def make_need(number: int, rng: random.Random, families: list[Family]) -> NeedDoc:
    """Generate one need of a random family, with the class code its buyer chose."""
    item = rng.choice(families)
    return NeedDoc(
        id=number,
        buyer_id=rng.randint(1, 5_000),
        text=need_text(item, rng),
        class_code=item.class_code,
        unit_code=item.unit,
        quantity=float(draw_quantity(item, rng)),
        region=rng.choice(REGIONS),
        origin=str(draw_origin(item, rng).value),
    )


def generate(offers: int, needs: int, seed: int) -> tuple[list[OfferDoc], list[NeedDoc]]:
    """Generate `offers` offers and `needs` needs; identical for identical seeds."""
    rng = random.Random(seed)
    offer_families = [f for f in FAMILIES if f.offer]
    need_families = [f for f in FAMILIES if f.need]
    offer_docs = [make_offer(n, rng, offer_families) for n in range(1, offers + 1)]
    need_docs = [make_need(n, rng, need_families) for n in range(1, needs + 1)]
    return offer_docs, need_docs


def geography() -> Geography:
    """Regions at their administrative centres; East and North Kazakhstan are partners."""
    coords = {fact.kato: (fact.lat, fact.lon) for fact in TOP_LEVEL_REGIONS}
    return Geography(coords=coords, partners=PARTNERS)


def unit_table() -> UnitTable:
    """Unit kinds from the registry facts, with factors to the base unit of each kind."""
    kinds = {unit.code: unit.kind for unit in UNITS}
    to_base = {
        unit.code: TO_BASE_BY_SHORT[unit.short_ru]
        for unit in UNITS
        if unit.short_ru in TO_BASE_BY_SHORT
    }
    return UnitTable(kinds=kinds, to_base=to_base)

"""Descriptions of needs and offers, written the way buyers and producers write them."""

from __future__ import annotations

from datetime import date
from random import Random

from seriktes.catalog.models import Origin
from seriktes.demo.families import Family, fill
from seriktes.demo.places import Town

# Countries as they follow «из» (genitive case).
FAR_ABROAD = ("Китая", "Германии", "Швеции", "Финляндии", "США", "Японии", "Южной Кореи", "Турции")
EAEU = ("России", "Беларуси")


def need_description(item: Family, town: Town, needed_by: date, origin: Origin, rng: Random) -> str:
    """Return a need's description: place, deadline and where it is bought today."""
    place = f"{town.prefix} {town.name}"
    when = needed_by.strftime("%d.%m.%Y")
    if item.kind == "goods":
        sentences = [f"Поставка DDP склад заказчика, {place}, до {when}."]
        if rng.random() < 0.5:
            sentences.append("Оплата по факту поставки в течение 30 календарных дней.")
    elif item.kind == "works":
        sentences = [f"Место выполнения работ: {place}. Срок завершения: до {when}."]
    else:
        sentences = [f"Место оказания услуг: {place}. Период: до {when}."]
    sentences.append(origin_remark(item, origin, rng))
    return " ".join(s for s in sentences if s)


def origin_remark(item: Family, origin: Origin, rng: Random) -> str:
    """Say where the buyer sources the item today and whether it looks for local suppliers."""
    goods = item.kind == "goods"
    supplier = "производитель" if goods else "подрядчик"
    if origin is Origin.FAR_ABROAD:
        country = rng.choice(FAR_ABROAD)
        return (
            f"Ранее закупалось у производителя из {country}; "
            "рассматриваются аналоги отечественного производства."
            if goods
            else f"Ранее выполнял подрядчик из {country}; рассматриваются отечественные подрядчики."
        )
    if origin is Origin.EAEU:
        return f"Текущий поставщик: {supplier} из {rng.choice(EAEU)}."
    if origin is Origin.DOMESTIC:
        return rng.choice((f"Текущий поставщик: отечественный {supplier}.", ""))
    return ""


def offer_description(
    item: Family, values: dict[str, str], town: Town, *, maker: bool, rng: Random
) -> str:
    """Return an offer's description: what, where it is made or stocked, lead time, delivery."""
    sentences = [fill(item.detail, values) + "."] if item.detail else []
    place = f"{town.prefix} {town.name}"
    if item.kind == "goods":
        sentences.append(f"{'Собственное производство' if maker else 'Склад'}: {place}.")
        made_to_order = maker and item.price[1] >= 100_000
        days = rng.choice((20, 30, 45, 60) if made_to_order else (1, 3, 5, 10))
        verb = "изготовления" if made_to_order else "поставки"
        sentences.append(f"Срок {verb} от {days} рабочих дней.")
        sentences.append(
            rng.choice(
                (
                    "Доставка до склада покупателя.",
                    "Самовывоз или доставка транспортной компанией.",
                    "Доставка по всему Казахстану.",
                )
            )
        )
    else:
        sentences.append(f"Базируемся: {place}; выезд на объекты заказчика по всему Казахстану.")
    return " ".join(sentences)

"""The demo vocabulary: every product family, grouped by domain, in a fixed order."""

from __future__ import annotations

from dataclasses import replace

from seriktes.demo.families import Family
from seriktes.demo.vocab.building import BUILDING
from seriktes.demo.vocab.farm import FARM
from seriktes.demo.vocab.food import FOOD
from seriktes.demo.vocab.mechanical import MECHANICAL
from seriktes.demo.vocab.metals import METALS
from seriktes.demo.vocab.mining import MINING
from seriktes.demo.vocab.other import OTHER
from seriktes.demo.vocab.services import SERVICES
from seriktes.demo.vocab.supplies import SUPPLIES
from seriktes.demo.vocab.works import WORKS


def _weighted(families: tuple[Family, ...], weight: float) -> tuple[Family, ...]:
    return tuple(replace(item, weight=weight) for item in families)


# Spare parts dominate what mines and plants procure (and import); building materials,
# works and services come up less often per family because there are many of them.
FAMILIES: tuple[Family, ...] = (
    _weighted(MINING, 3.0)
    + _weighted(MECHANICAL, 3.0)
    + _weighted(METALS, 1.3)
    + _weighted(SUPPLIES, 1.3)
    + _weighted(BUILDING, 0.7)
    + _weighted(WORKS, 0.6)
    + _weighted(SERVICES, 0.6)
    + FOOD
    + FARM
    + OTHER
)

"""Ranking factors of a need ↔ offer pair, each in [0, 1], and the weights that combine them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

CLASS_LEVEL_VALUE = {6: 1.0, 4: 0.6, 2: 0.1, 0: 0.0}
ORIGIN_VALUE = {"far_abroad": 1.0, "eaeu": 0.6, "unknown": 0.3, "domestic": 0.0}


@dataclass(frozen=True)
class Weights:
    """Weights of the factors. Relevance (text, class) says whether the offer is the thing
    needed; fit (unit, capacity, region, certificate, import substitution) says how good a
    supplier it would be. score = relevance × (1 − fit_share + fit_share × fit), so fit
    reorders relevant offers but never makes an irrelevant one look good."""

    text: float = 0.6
    class_code: float = 0.4
    unit: float = 0.15
    capacity: float = 0.15
    region: float = 0.3
    certificate: float = 0.15
    import_substitution: float = 0.25
    fit_share: float = 0.5
    min_relevance: float = 0.25

    RELEVANCE = ("text", "class")
    FIT = ("unit", "capacity", "region", "certificate", "import_substitution")

    def combine(self, values: dict[str, float]) -> tuple[float, float, float]:
        """Return (relevance, fit, score) of factor values."""
        relevance = self.relevance(values["text"], values["class"])
        fit = self.fit(*(values[name] for name in self.FIT))
        return relevance, fit, self.score(relevance, fit)

    def relevance(self, text: float, class_value: float) -> float:
        """Whether the offer is the thing needed: the weighted mean of text and class."""
        return (self.text * text + self.class_code * class_value) / self._relevance_total

    def fit(
        self, unit: float, capacity: float, region: float, certificate: float, origin: float
    ) -> float:
        """How good a supplier the offer's producer would be: the weighted mean of its factors."""
        return (
            self.unit * unit
            + self.capacity * capacity
            + self.region * region
            + self.certificate * certificate
            + self.import_substitution * origin
        ) / self._fit_total

    def score(self, relevance: float, fit: float) -> float:
        """The final score: relevance, reordered by fit."""
        return relevance * (1 - self.fit_share + self.fit_share * fit)

    @cached_property
    def _relevance_total(self) -> float:
        return sum(self.weight_of(name) for name in self.RELEVANCE)

    @cached_property
    def _fit_total(self) -> float:
        return sum(self.weight_of(name) for name in self.FIT)

    def weight_of(self, name: str) -> float:
        """The weight of a factor within its group."""
        return {
            "text": self.text,
            "class": self.class_code,
            "unit": self.unit,
            "capacity": self.capacity,
            "region": self.region,
            "certificate": self.certificate,
            "import_substitution": self.import_substitution,
        }[name]


@dataclass(frozen=True)
class Geography:
    """Where regions are (administrative centres) and which regions are partners."""

    coords: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    partners: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def distance_km(self, a: str, b: str) -> float | None:
        """Great-circle distance between two regions' centres, None if one is unknown."""
        return _distance(self.coords.get(a), self.coords.get(b))


@lru_cache(maxsize=4096)
def _distance(
    first: tuple[float, float] | None, second: tuple[float, float] | None
) -> float | None:
    if first is None or second is None:
        return None
    (lat1, lon1), (lat2, lon2) = first, second
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class UnitTable:
    """Kinds of units (mass, length, count, service…) and factors to a base unit of the kind."""

    kinds: Mapping[str, str] = field(default_factory=dict)
    to_base: Mapping[str, float] = field(default_factory=dict)

    def compatibility(self, need_unit: str | None, offer_unit: str | None) -> tuple[float, str]:
        """Return how well two units agree, with a short reason."""
        if not need_unit or not offer_unit:
            return 0.5, "unit unknown"
        if need_unit == offer_unit:
            return 1.0, "same unit"
        need_kind, offer_kind = self.kinds.get(need_unit), self.kinds.get(offer_unit)
        if need_kind and need_kind == offer_kind:
            return 0.8, f"both in {need_kind}"
        return 0.0, f"{need_kind or need_unit} vs {offer_kind or offer_unit}"

    def convert(self, value: float, unit: str | None, target: str | None) -> float | None:
        """Convert `value` from `unit` to `target` when both are of one kind."""
        if unit == target:
            return value
        if not unit or not target or self.kinds.get(unit) != self.kinds.get(target):
            return None
        if unit not in self.to_base or target not in self.to_base:
            return None
        return value * self.to_base[unit] / self.to_base[target]


def region_value(
    geography: Geography, need_region: str | None, offer_region: str | None
) -> tuple[float, str]:
    """Partner region first, then nearer is better."""
    if not need_region or not offer_region:
        return 0.3, "region unknown"
    if offer_region in geography.partners.get(need_region, frozenset()):
        return 1.0, "partner region"
    if need_region == offer_region:
        return 0.7, "same region"
    distance = geography.distance_km(need_region, offer_region)
    if distance is None:
        return 0.3, "distance unknown"
    return round(0.6 * max(0.0, 1 - distance / 2500), 4), f"{distance:.0f} km away"


def capacity_value(
    units: UnitTable,
    quantity: float | None,
    need_unit: str | None,
    capacity: float | None,
    offer_unit: str | None,
) -> tuple[float, str]:
    """1 when the yearly capacity covers the quantity needed, less in proportion."""
    ratio = capacity_ratio(units, quantity, need_unit, capacity, offer_unit)
    if ratio is None:
        unknown = not quantity or capacity is None
        note = "capacity or quantity unknown" if unknown else "units not comparable"
    elif ratio >= 1:
        note = f"capacity covers {min(ratio, 999):.1f}× the quantity"
    else:
        note = f"capacity covers {ratio:.0%} of the quantity"
    return capacity_score(ratio), note


def capacity_ratio(
    units: UnitTable,
    quantity: float | None,
    need_unit: str | None,
    capacity: float | None,
    offer_unit: str | None,
) -> float | None:
    """Yearly capacity over the quantity needed, None when either is unknown or incomparable."""
    if not quantity or capacity is None:
        return None
    converted = units.convert(capacity, offer_unit, need_unit)
    return None if converted is None else converted / quantity


def capacity_score(ratio: float | None) -> float:
    """The capacity factor of a ratio from `capacity_ratio` (what `capacity_value` returns)."""
    if ratio is None:
        return 0.5
    return 1.0 if ratio >= 1 else round(ratio, 4)

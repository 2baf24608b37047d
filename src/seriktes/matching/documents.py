"""What the matcher reads (offers and needs) and what it answers (matches with their
factors), as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from seriktes.matching.precision import STRONG


@dataclass(frozen=True)
class OfferDoc:
    """What the matcher knows of an offer."""

    id: int
    producer_id: int
    text: str
    class_code: str | None = None
    unit_code: str | None = None
    capacity: float | None = None
    region: str | None = None
    certified: bool = False
    hs_code: str | None = None  # keeps a class guessed from the text within its HS chapter


@dataclass(frozen=True)
class NeedDoc:
    """What the matcher knows of a need."""

    id: int
    buyer_id: int
    text: str
    class_code: str | None = None
    unit_code: str | None = None
    quantity: float | None = None
    region: str | None = None
    origin: str = "unknown"


@dataclass(frozen=True)
class Factor:
    """One ranking factor: its value in [0, 1], its weight and why it has that value."""

    name: str
    value: float
    weight: float
    note: str = ""

    @property
    def contribution(self) -> float:
        """Value times weight."""
        return self.value * self.weight


@dataclass(frozen=True)
class Match:
    """A ranked offer for a need with everything needed to explain it."""

    need_id: int
    offer_id: int
    producer_id: int
    score: float
    class_level: int
    matched_terms: tuple[str, ...]
    factors: tuple[Factor, ...]
    relevance: float = 0.0
    fit: float = 0.0
    rule: str = ""
    band: str = STRONG
    verdict: str = ""

    def explanation(self) -> dict[str, object]:
        """Return the explanation as plain data (stored with the match and shown to users)."""
        return {
            "band": self.band,
            "verdict": self.verdict,
            "matched_terms": list(self.matched_terms),
            "class_level": self.class_level,
            "relevance": round(self.relevance, 4),
            "fit": round(self.fit, 4),
            "rule": self.rule,
            "factors": [
                {
                    "name": f.name,
                    "value": round(f.value, 4),
                    "weight": f.weight,
                    "contribution": round(f.contribution, 4),
                    "note": f.note,
                }
                for f in self.factors
            ],
        }

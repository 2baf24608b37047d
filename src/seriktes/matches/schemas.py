"""Pydantic shapes of matches and search results going out (API)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Row

from seriktes.catalog.schemas import NeedOut, OfferOut
from seriktes.matches.models import Match
from seriktes.matching.classifier import ClassScore

# Views are built with `model_construct`, without validation: their values come typed from the
# database and FastAPI does not validate a returned model again, which halves the cost of a
# list. tests/api/test_views.py checks that every view is a valid model.


class FactorOut(BaseModel):
    """One ranking factor of a match: value in [0, 1], weight, contribution and why."""

    name: str
    value: float
    weight: float
    contribution: float
    note: str = ""


class Explanation(BaseModel):
    """Why an offer was ranked for a need, as the matcher stored it."""

    matched_terms: list[str] = Field(default_factory=list)
    class_level: int = Field(default=0, description="Digits of KP VED class agreement: 0–6")
    factors: list[FactorOut] = Field(default_factory=list)

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> Explanation:
        """Read a stored explanation (an empty one when nothing was stored)."""
        return cls.model_validate(stored or {})


class MatchOut(BaseModel):
    """A producer's offer ranked for a need."""

    rank: int
    score: float
    class_level: int
    need_class: str | None = Field(description="The class the matcher gave the need")
    offer: OfferOut
    explanation: Explanation

    @classmethod
    def of(cls, match: Match) -> MatchOut:
        """The API view of a stored match, from the need's side."""
        return cls.of_columns(match, OfferOut.of(match.offer))

    @classmethod
    def of_columns(cls, match: Match | Row[Any], offer: OfferOut) -> MatchOut:
        """The API view of a match from its columns (an entity or a Core row) and its offer's."""
        return cls.model_construct(
            rank=match.rank,
            score=match.score,
            class_level=match.class_level,
            need_class=match.need_class,
            offer=offer,
            explanation=Explanation.of(match.explanation),
        )


class NeedMatchesOut(BaseModel):
    """A need and its ranked producers, best first."""

    need: NeedOut
    matches: list[MatchOut]


class FitOut(BaseModel):
    """A buyer's need that an offer was ranked for."""

    rank: int = Field(description="The offer's rank among the need's producers")
    score: float
    class_level: int
    need: NeedOut
    explanation: Explanation

    @classmethod
    def of(cls, match: Match) -> FitOut:
        """The API view of a stored match, from the offer's side."""
        return cls.model_construct(
            rank=match.rank,
            score=match.score,
            class_level=match.class_level,
            need=NeedOut.of(match.need),
            explanation=Explanation.of(match.explanation),
        )


class OfferFitsOut(BaseModel):
    """An offer and the buyers' needs it fits, best score first."""

    offer: OfferOut
    fits: list[FitOut]


class ClassOut(BaseModel):
    """A KP VED class proposed for a text."""

    code: str
    name: str
    score: float
    evidence: str = Field(description="Where the evidence came from")

    @classmethod
    def of(cls, found: ClassScore) -> ClassOut:
        """The API view of a proposed class."""
        return cls(code=found.code, name=found.name, score=found.score, evidence=found.evidence)


class SearchHit(BaseModel):
    """An offer found for a text, with its score."""

    offer: OfferOut
    score: float

    @classmethod
    def of(cls, offer: OfferOut, score: float) -> SearchHit:
        """The API view of a found offer."""
        return cls.model_construct(offer=offer, score=score)


class SearchOut(BaseModel):
    """Product classes and offers for a free-text query."""

    query: str
    classes: list[ClassOut]
    offers: list[SearchHit]
    classes_available: bool = Field(
        True, description="false when no KP VED classifier is loaded: no classes can be named"
    )

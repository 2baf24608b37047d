"""Pydantic shapes of matches and search results going out (API)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Row

from seriktes.catalog.schemas import NeedOut, OfferOut
from seriktes.matches.bands import Band, band_of, verdict_of
from seriktes.matches.feedback import COMMENT_LENGTH
from seriktes.matches.models import Match, MatchFeedback, Reason, Verdict
from seriktes.matches.service import Coverage
from seriktes.matching.classifier import ClassScore

BAND_DESCRIPTION = (
    "strong or possible: right almost always on the real-lines benchmark; weak: often not "
    "(left out unless include_weak=true)"
)
VERDICT_DESCRIPTION = "Why the precision rules let the offer through, e.g. «the product agrees»"

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
    band: Band = Field(description=BAND_DESCRIPTION)
    verdict: str = Field(description=VERDICT_DESCRIPTION)
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
            band=band_of(match.explanation, match.score),
            verdict=verdict_of(match.explanation),
            offer=offer,
            explanation=Explanation.of(match.explanation),
        )


class NearRegionOut(BaseModel):
    """A region with published offers of the need's class, and how far away it is."""

    kato: str
    name_ru: str
    name_kk: str
    km: int = Field(description="Distance between the regions' centres")
    offers: int = Field(description="Published offers of the class in the region")


class CoverageOut(BaseModel):
    """Where producers of the need's four-digit class are, when the need has no strong or
    possible match."""

    class_code: str = Field(description="The need's four-digit KP VED class")
    partner_regions: list[str] = Field(
        description="KATO codes of the need's region and its partner regions"
    )
    offers_in_partner_regions: int = Field(
        description="Published offers of the class there; 0: no producer of the class is near"
    )
    nearest: list[NearRegionOut] = Field(
        description="When there are none: the nearest regions that have some (empty: none anywhere)"
    )

    @classmethod
    def of(cls, found: Coverage) -> CoverageOut:
        """The API view of a need's coverage."""
        return cls.model_construct(
            class_code=found.group,
            partner_regions=[region.kato for region in found.regions],
            offers_in_partner_regions=found.offers,
            nearest=[
                NearRegionOut.model_construct(
                    kato=away.region.kato,
                    name_ru=away.region.name_ru,
                    name_kk=away.region.name_kk,
                    km=away.km,
                    offers=away.offers,
                )
                for away in found.nearest
            ],
        )


class NeedMatchesOut(BaseModel):
    """A need and its ranked producers, best first."""

    need: NeedOut
    matches: list[MatchOut] = Field(
        description="Strong and possible matches (and weak ones with include_weak=true)"
    )
    weak_matches: int = Field(0, description="How many weak matches the need has, shown or not")
    coverage: CoverageOut | None = Field(
        None,
        description="Only when no strong or possible match is shown and the need's region "
        "and class are known: producers of its class near it, or the nearest regions with some",
    )


class FitOut(BaseModel):
    """A buyer's need that an offer was ranked for."""

    rank: int = Field(description="The offer's rank among the need's producers")
    score: float
    class_level: int
    band: Band = Field(description=BAND_DESCRIPTION)
    verdict: str = Field(description=VERDICT_DESCRIPTION)
    need: NeedOut
    explanation: Explanation

    @classmethod
    def of(cls, match: Match) -> FitOut:
        """The API view of a stored match, from the offer's side."""
        return cls.model_construct(
            rank=match.rank,
            score=match.score,
            class_level=match.class_level,
            band=band_of(match.explanation, match.score),
            verdict=verdict_of(match.explanation),
            need=NeedOut.of(match.need),
            explanation=Explanation.of(match.explanation),
        )


class OfferFitsOut(BaseModel):
    """An offer and the buyers' needs it fits, best score first."""

    offer: OfferOut
    fits: list[FitOut] = Field(
        description="Needs it is a strong or possible match for (and weak ones with "
        "include_weak=true)"
    )
    weak_fits: int = Field(0, description="How many needs it is a weak match for, shown or not")


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


# --- feedback on matches -------------------------------------------------------------------


class FeedbackIn(BaseModel):
    """An answer on a match: suitable, or not suitable with a reason."""

    model_config = ConfigDict(extra="forbid")

    suitable: bool
    reason: Reason | None = Field(
        None, description="Why not: required when not suitable, absent when suitable"
    )
    comment: str | None = Field(None, max_length=COMMENT_LENGTH)


class FeedbackUser(BaseModel):
    """Who gave an answer (null once the user is deleted)."""

    id: int
    full_name: str


class FeedbackOut(BaseModel):
    """The current answer on a pair (need, offer), who gave it last and when."""

    need_id: int
    offer_id: int
    verdict: Verdict
    suitable: bool
    reason: Reason | None
    comment: str | None
    user: FeedbackUser | None
    created_at: datetime = Field(description="When the pair was first answered")
    updated_at: datetime = Field(description="When the answer was last given or changed")

    @classmethod
    def of(cls, row: MatchFeedback) -> FeedbackOut:
        """The API view of a stored answer."""
        user = row.user
        return cls(
            need_id=row.need_id,
            offer_id=row.offer_id,
            verdict=row.verdict,
            suitable=row.suitable,
            reason=row.reason,
            comment=row.comment,
            user=FeedbackUser(id=user.id, full_name=user.full_name) if user else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

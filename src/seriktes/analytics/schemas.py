"""JSON shapes of the analytics API: figures as numbers, amounts in KZT."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from seriktes.analytics.compute import Execution, SmeShare, TurnoverMatrix
from seriktes.analytics.service import ComplementarityResult, ExecutionFigures
from seriktes.matches.dashboard import ClassValue, PairDashboard


class CellOut(BaseModel):
    """Turnover of a period and product group from one region to another (KZT)."""

    period: str
    group: str = Field(description="KP VED section letter or two-digit division; ? unknown")
    supplier_region: str
    buyer_region: str
    amount: Decimal
    flows: int = Field(description="Deliveries or deals summed")


class TurnoverOut(BaseModel):
    """The region × region turnover matrix."""

    period: str
    level: str
    measure: str
    rule: str
    cells: list[CellOut]

    @classmethod
    def of(cls, matrix: TurnoverMatrix, measure: str, rule: str) -> TurnoverOut:
        """From the service's matrix."""
        cells = [CellOut(**vars(cell)) for cell in matrix.cells]
        return cls(
            period=matrix.period, level=matrix.level, measure=measure, rule=rule, cells=cells
        )


class ClassPotentialOut(BaseModel):
    """Far-abroad needs of a class and the part a partner producer matches."""

    code: str | None
    name: str
    needs: int
    matched_needs: int
    far_value: Decimal
    matched_value: Decimal

    @classmethod
    def of(cls, item: ClassValue, lang: str) -> ClassPotentialOut:
        """From a dashboard class."""
        return cls(
            code=item.code,
            name=item.name(lang),
            needs=item.needs,
            matched_needs=item.matched_needs,
            far_value=item.far_value,
            matched_value=item.matched_value,
        )


class DirectionPotentialOut(BaseModel):
    """Buyers of one region, producers of the other."""

    buyers_region: str
    producers_region: str
    far_value: Decimal
    matched_value: Decimal
    far_needs: int
    matched_needs: int
    classes: list[ClassPotentialOut]


class PotentialOut(BaseModel):
    """Import-substitution potential of a region pair in both directions."""

    directions: list[DirectionPotentialOut]

    @classmethod
    def of(cls, data: PairDashboard, lang: str) -> PotentialOut:
        """From the dashboard aggregates."""
        return cls(
            directions=[
                DirectionPotentialOut(
                    buyers_region=d.buyers.region.kato,
                    producers_region=d.producers.region.kato,
                    far_value=d.buyers.far_value,
                    matched_value=d.buyers.matched_value,
                    far_needs=d.buyers.region.far_abroad_needs,
                    matched_needs=d.buyers.matched_needs,
                    classes=[ClassPotentialOut.of(item, lang) for item in d.classes],
                )
                for d in data.directions
            ]
        )


class FitOut(BaseModel):
    """A product group's shares in the needs and in the offers."""

    group: str
    need_share: float
    offer_share: float
    overlap: float


class ComplementarityOut(BaseModel):
    """Trade complementarity index of one region's needs with another's offers."""

    buyers_region: str
    producers_region: str
    level: str
    offer_basis: str = Field(description="capacity_value (capacity × price) or offer_count")
    index: float | None
    fits: list[FitOut]

    @classmethod
    def of(cls, found: ComplementarityResult) -> ComplementarityOut:
        """From the service's result."""
        fits = [
            FitOut(
                group=f.group, need_share=f.need_share, offer_share=f.offer_share, overlap=f.overlap
            )
            for f in found.result.fits
        ]
        return cls(
            buyers_region=found.buyers,
            producers_region=found.producers,
            level=found.level,
            offer_basis=found.basis,
            index=found.result.index,
            fits=fits,
        )


class ExecutionOut(BaseModel):
    """Commitments by status and the share achieved."""

    key: str
    statuses: dict[str, int]
    total: int
    achieved: int
    share: float | None

    @classmethod
    def of(cls, key: str, figures: Execution) -> ExecutionOut:
        """From the computed counts."""
        return cls(
            key=key,
            statuses=figures.statuses,
            total=figures.total,
            achieved=figures.achieved,
            share=figures.share,
        )


class MemorandaOut(BaseModel):
    """Memoranda execution by region pair and by sector on a day."""

    on: date
    by_pair: list[ExecutionOut]
    by_sector: list[ExecutionOut]

    @classmethod
    def of(cls, figures: ExecutionFigures) -> MemorandaOut:
        """From the service's figures; a pair's key is its KATO codes joined by ':'."""
        return cls(
            on=figures.on,
            by_pair=[ExecutionOut.of(":".join(k), v) for k, v in figures.by_pair.items()],
            by_sector=[ExecutionOut.of(k, v) for k, v in figures.by_sector.items()],
        )


class SmeOut(BaseModel):
    """Value and the part going to micro, small and medium suppliers."""

    key: str
    name: str | None = None
    total: Decimal
    sme: Decimal
    unknown_size: Decimal
    share: float | None

    @classmethod
    def of(cls, key: str, share: SmeShare, name: str | None = None) -> SmeOut:
        """From computed shares."""
        return cls(
            key=key,
            name=name,
            total=share.total,
            sme=share.sme,
            unknown_size=share.unknown,
            share=share.share,
        )


class SmeFiguresOut(BaseModel):
    """SMEs in large buyers' procurement, matched and contracted, by buyer and region."""

    matched_by_region: list[SmeOut]
    contracted_by_region: list[SmeOut]
    matched_by_buyer: list[SmeOut]
    contracted_by_buyer: list[SmeOut]


class HeadlineOut(BaseModel):
    """A headline figure of the pair report."""

    key: str
    label: str
    value: Decimal | float | int | None
    text: str
    note: str


class PairOut(BaseModel):
    """The headline figures of a region pair's report."""

    host: str
    guest: str
    year: int
    lang: str
    figures: list[HeadlineOut]
    grp_note: str | None

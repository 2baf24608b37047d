"""JSON API, version 1."""

from __future__ import annotations

from fastapi import APIRouter

from seriktes.catalog.schemas import RegionSummary
from seriktes.catalog.service import region_overview
from seriktes.kit.stats import table_counts
from seriktes.web.deps import DbSession

router = APIRouter(prefix="/api/v1", tags=["v1"])


@router.get("/stats")
def stats(session: DbSession) -> dict[str, int]:
    """Counts of every main table."""
    return table_counts(session)


@router.get("/regions")
def regions(session: DbSession) -> list[RegionSummary]:
    """Top-level regions with their counts of organisations, needs and offers."""
    return region_overview(session)

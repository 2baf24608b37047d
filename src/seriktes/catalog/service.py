"""Catalog rules and read models."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.catalog import repository
from seriktes.catalog.schemas import RegionSummary
from seriktes.registry.kato import oblast_of
from seriktes.registry.names import ordered_regions
from seriktes.registry.repository import top_level_regions


def region_overview(session: Session) -> list[RegionSummary]:
    """Return every top-level region with its counts of organisations, needs and offers."""
    counts = repository.counts_by_oblast(session)
    return [
        RegionSummary(
            kato=region.kato,
            name_ru=region.name_ru,
            name_kk=region.name_kk,
            **counts.get(oblast_of(region.kato), {}),
        )
        for region in ordered_regions(top_level_regions(session), "ru")
    ]

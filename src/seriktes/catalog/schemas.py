"""Pydantic shapes of catalog data going out (API, pages)."""

from __future__ import annotations

from pydantic import BaseModel


class RegionSummary(BaseModel):
    """Counts of one top-level region: organisations, needs (by buyer), offers (by producer)."""

    kato: str
    name_ru: str
    name_kk: str
    organisations: int = 0
    needs: int = 0
    offers: int = 0
    far_abroad_needs: int = 0

    def name(self, lang: str) -> str:
        """Return the region's name in `lang`."""
        return self.name_kk if lang == "kk" else self.name_ru

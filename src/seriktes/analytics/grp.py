"""Gross regional product as context of a region pair, read from the real-data folder.

The file `regions/grp_by_region.csv` of the configured data folder (settings.data_dir) holds
the Bureau of National Statistics' GRP by oblast in million KZT. It is read when asked for,
never copied into the database or the repository; without it the figures are left out
with a note.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

GRP_FILE = Path("regions") / "grp_by_region.csv"
NATIONAL = "national"


@dataclass(frozen=True)
class GrpSeries:
    """GRP of regions (KATO) and of the country by year, in million KZT."""

    regions: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    national: dict[int, Decimal] = field(default_factory=dict)
    note: str | None = None  # why there are no figures

    def latest_year(self, kato: str) -> int | None:
        """The last year with a figure for region `kato`."""
        years = self.regions.get(kato)
        return max(years) if years else None

    def value(self, kato: str, year: int) -> Decimal | None:
        """GRP of `kato` in `year`, million KZT."""
        return self.regions.get(kato, {}).get(year)

    def national_share(self, kato: str, year: int) -> float | None:
        """The region's share of the country's GRP in `year`."""
        value, total = self.value(kato, year), self.national.get(year)
        return float(value / total) if value is not None and total else None

    def growth(self, kato: str, year: int) -> float | None:
        """Nominal change of the region's GRP from the year before."""
        value, before = self.value(kato, year), self.value(kato, year - 1)
        return float(value / before - 1) if value is not None and before else None


def read_grp(data_dir: Path) -> GrpSeries:
    """Read the GRP file under `data_dir`; an empty series with a note when it is absent."""
    path = data_dir / GRP_FILE
    if not path.is_file():
        return GrpSeries(note=f"gross regional product not shown: {path} is absent")
    regions: dict[str, dict[int, Decimal]] = {}
    national: dict[int, Decimal] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                year, value = int(row["year"]), Decimal(row["grp_mln_kzt"])
            except (KeyError, ValueError, InvalidOperation):
                continue  # a malformed line adds nothing
            if row.get("region") == NATIONAL:
                national[year] = value
            elif kato := (row.get("kato_oblast") or "").strip():
                regions.setdefault(kato, {})[year] = value
    if not regions:
        return GrpSeries(note=f"gross regional product not shown: {path} has no figures")
    return GrpSeries(regions, national)

"""Builders of test data: valid BINs and import files in the formats users send."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from seriktes.registry.bin import complete_bin


def valid_bins(start: int = 1) -> Iterator[str]:
    """Yield distinct legal-entity BINs with correct check digits."""
    serial = start
    while True:
        candidate = complete_bin(f"2403400{serial:04d}")
        serial += 1
        if candidate:
            yield candidate


def wrong_check_digit(bin_value: str) -> str:
    """Return `bin_value` with its check digit changed."""
    return bin_value[:11] + str((int(bin_value[11]) + 1) % 10)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write a CSV file as Excel users export it."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """Write a one-sheet XLSX workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Лист1")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


ORG_HEADER = ["БИН", "Наименование", "Регион", "Размер", "ОКЭД", "Сертификаты"]


def org_rows(count: int, region: str = "ВКО") -> list[list[object]]:
    """Return `count` valid organisation rows with Russian headers' order."""
    bins = valid_bins()
    return [
        [next(bins), f"ТОО «Тестовый завод {i}»", region, "малый", "25620", f"KZ 7 630 {i:05d}"]
        for i in range(1, count + 1)
    ]

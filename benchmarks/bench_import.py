"""Import benchmark: 100,000 needs from one XLSX file into a fresh SQLite database.

Target (issue 2): under 60 s on this machine. Prints the time of each phase, the rate,
and the time of re-importing the same file (which must change nothing).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from sqlalchemy.orm import Session

from seriktes.analytics.stats import table_counts
from seriktes.imports.kinds import KINDS, WriteOptions
from seriktes.kit.db import make_engine
from seriktes.kit.migrate import upgrade
from seriktes.kit.tabular import Source
from seriktes.registry.bin import complete_bin
from seriktes.registry.service import ensure_reference_data

OUT = Path(__file__).resolve().parent / "out"
TARGET_SECONDS = 60.0
HEADER = [
    "ID",
    "БИН заказчика",
    "Заказчик",
    "Наименование",
    "Описание",
    "Код ЕНС ТРУ",
    "Кол-во",
    "Ед. изм.",
    "Цена за ед.",
    "Регион поставки",
    "Срок поставки",
    "Происхождение",
]
ITEMS = [
    ("Подшипник 6205-2RS", "шариковый радиальный, ГОСТ 8338-75", "281410.000.000001", "шт"),
    ("Канат стальной 15,0 мм", "ГОСТ 2688-80, оцинкованный", "259312.100.000010", "м"),
    ("Круг ст.40Х ф60", "ГОСТ 2590-2006, горячекатаный", "241031.000.000021", "т"),
    ("Шары мелющие 100 мм", "4 группа твёрдости, ГОСТ 7524-2015", "259929.900.000045", "т"),
    (
        "Футеровка мельницы МШЦ 3,6х5,5",
        "комплект плит, сталь 110Г13Л",
        "289212.300.000003",
        "компл",
    ),
    (
        "Услуги по техническому обслуживанию конвейеров",
        "согласно технической спецификации",
        "331212.000.000000",
        "услуга",
    ),
    ("Цемент ПЦ 400 Д20", "ГОСТ 31108-2020, навал", "235112.100.000001", "т"),
    ("Кабель ВВГнг 3х2,5", "ГОСТ 31996-2012", "273213.300.000012", "м"),
]
ORIGINS = ["domestic", "eaeu", "far_abroad", "unknown"]


def buyer_bins(count: int) -> list[tuple[str, str]]:
    """Return `count` valid BINs with invented buyer names."""
    found: list[tuple[str, str]] = []
    serial = 0
    while len(found) < count:
        candidate = complete_bin(f"1504400{serial:04d}")
        serial += 1
        if candidate:
            found.append((candidate, f"ТОО «Заказчик {len(found) + 1}»"))
    return found


def build_workbook(path: Path, rows: int, seed: int = 7) -> None:
    """Write the benchmark XLSX of `rows` needs with shared strings, as Excel saves it."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    buyers = buyer_bins(200)
    # Not write-only: that mode stores inline strings, which Excel itself never writes.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Потребности"
    sheet.append(HEADER)
    for number in range(1, rows + 1):
        bin_value, name = buyers[number % len(buyers)]
        title, description, enstru, unit = ITEMS[number % len(ITEMS)]
        sheet.append(
            [
                f"BENCH-{number:06d}",
                bin_value,
                name,
                f"{title} (поз. {number})",
                description,
                enstru,
                rng.randint(1, 500),
                unit,
                f"{rng.randint(1000, 900000)},{rng.randint(0, 99):02d}",
                rng.choice(["ВКО", "СКО", "63", "59", "Павлодарская область"]),
                f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2027",
                rng.choice(ORIGINS),
            ]
        )
    workbook.save(path)


def timed_import(engine_url: str, path: Path) -> dict[str, float | int]:
    """Import the file once as `seriktes import needs` does (its bytes read, parsed, then
    written); return the phase times and the report counts."""
    engine = make_engine(engine_url)
    needs = KINDS["needs"]
    with Session(engine) as session:
        started = time.perf_counter()
        parsed = needs.parse(session, Source.read(path), None)
        parsed_at = time.perf_counter()
        report = needs.write(session, parsed, WriteOptions())
        session.commit()
        done = time.perf_counter()
    engine.dispose()
    return {
        "read_validate_s": parsed_at - started,
        "write_s": done - parsed_at,
        "total_s": done - started,
        "created": report.created,
        "unchanged": report.unchanged,
        "errors": len(report.errors),
    }


def openpyxl_read_seconds(path: Path) -> float:
    """Time reading every cell of the workbook with openpyxl's streaming reader."""
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - started


def main() -> int:
    """Run the benchmark and print its figures; exit 1 when over the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--no-openpyxl", action="store_true", help="skip the comparison with openpyxl's reader"
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    workbook = OUT / f"needs_{args.rows}.xlsx"
    if not workbook.exists():
        started = time.perf_counter()
        build_workbook(workbook, args.rows)
        print(
            f"built {workbook.name} in {time.perf_counter() - started:.1f} s "
            f"({workbook.stat().st_size / 1e6:.1f} MB)"
        )
    database = OUT / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        session.commit()
    engine.dispose()

    first = timed_import(url, workbook)
    second = timed_import(url, workbook)
    engine = make_engine(url)
    with Session(engine) as session:
        counts = table_counts(session)
    rate = args.rows / float(first["total_s"])
    print(f"rows in file:            {args.rows}")
    print(
        f"first import:            {first['total_s']:.1f} s  ({rate:,.0f} rows/s)  "
        f"[read+validate {first['read_validate_s']:.1f} s, write+commit {first['write_s']:.1f} s]"
    )
    print(f"  created needs:         {first['created']}, errors: {first['errors']}")
    print(f"re-import (no changes):  {second['total_s']:.1f} s, unchanged {second['unchanged']}")
    print(f"needs in database:       {counts['needs']}, organisations: {counts['organisations']}")
    if not args.no_openpyxl:
        print(
            f"openpyxl read only:      {openpyxl_read_seconds(workbook):.1f} s "
            "(comparison: reading the same file with openpyxl instead of calamine)"
        )
    scaled_target = TARGET_SECONDS * args.rows / 100_000
    verdict = "PASS" if float(first["total_s"]) < scaled_target else "FAIL"
    print(f"target:                  < {scaled_target:.0f} s  -> {verdict}")
    return 0 if verdict == "PASS" and counts["needs"] == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())

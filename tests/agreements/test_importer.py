"""Import of deals from CSV and XLSX: Russian or English headers, parties by BIN, links to
commitments and memoranda, all-or-nothing unless --skip-invalid, re-import changes nothing."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import service
from seriktes.agreements.importer import import_deals
from seriktes.agreements.models import AuditEntry, Confirmation, Deal
from seriktes.kit.importing import ImportFailed
from tests.agreements.kit import MIDYEAR, VKO, Agreement
from tests.webkit import make_user

RU = [
    "Номер договора",
    "Дата договора",
    "БИН покупателя",
    "БИН поставщика",
    "Предмет договора",
    "Сумма договора",
    "Валюта",
    "Количество",
    "Ед. изм.",
    "Меморандум",
    "Обязательства",
]


def write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rows(a: Agreement) -> list[list[object]]:
    return [
        [
            "К-1",
            "15.03.2026",
            a.buyer.bin,
            a.supplier.bin,
            "Шары мелющие",
            "40 000 000,00",
            "KZT",
            "20",
            "т",
            "М-2026/01",
            f"{a.turnover.id};{a.supply.id}",
        ],
        [
            "К-2",
            "2026-04-02",
            a.buyer.bin,
            a.supplier.bin,
            "Футеровка",
            "100000",
            "USD",
            "",
            "",
            "",
            "",
        ],
    ]


def deals(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Deal)) or 0


def test_a_russian_csv_creates_deals_that_move_commitments_and_reimport_changes_nothing(
    agreement: Agreement, db_session: Session, tmp_path: Path
) -> None:
    path = write(tmp_path / "сделки.csv", RU, rows(agreement))
    vko = make_user(db_session, Role.COORDINATOR, kato=VKO)  # of a party region of М-2026/01
    report = import_deals(db_session, path, user=vko)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    first = db_session.scalars(select(Deal).where(Deal.number == "К-1")).one()
    assert first.memorandum_id == agreement.memo.id and first.unit_code == "168"
    assert {c.id for c in first.commitments} == {agreement.turnover.id, agreement.supply.id}
    usd = db_session.scalars(select(Deal).where(Deal.number == "К-2")).one()
    assert usd.amount_kzt == Decimal("50500000.00")  # 100,000 USD at the stated 505
    # the coordinator confirmed the deal of his region's memorandum by its contract number;
    # the deal linked to no memorandum waits for its two sides
    assert (first.confirmation, first.evidence) == (Confirmation.CONFIRMED, "contract К-1")
    assert first.confirmed_by_id == vko.id
    assert usd.confirmation is Confirmation.AWAITING and usd.evidence is None
    assert service.progress_of(agreement.turnover, MIDYEAR).value == Decimal(40_000_000)
    logged = db_session.scalars(select(AuditEntry).where(AuditEntry.entity_id == first.id)).all()
    assert [e.action.value for e in logged if e.entity_kind == "deal"] == ["create"]

    again = import_deals(db_session, path, user=vko)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    changed = rows(agreement)
    changed[0][5] = "45 000 000"
    again = import_deals(db_session, write(tmp_path / "сделки2.csv", RU, changed))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    # a new amount imported by nobody in particular needs confirming again
    assert first.confirmation is Confirmation.AWAITING
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0
    import_deals(db_session, write(tmp_path / "сделки3.csv", RU, changed), user=vko)
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0  # unchanged: no update
    agreement.confirm(first)
    assert service.progress_of(agreement.turnover, MIDYEAR).value == Decimal(45_000_000)


def test_english_headers_in_xlsx(agreement: Agreement, db_session: Session, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Deals of 2026"])  # a title above the header, as exports have
    sheet.append(
        [
            "contract number",
            "date",
            "buyer bin",
            "supplier bin",
            "subject",
            "contract amount",
            "commitments",
        ]
    )
    sheet.append(
        [
            "X-1",
            "2026-05-05",
            agreement.buyer.bin,
            agreement.supplier.bin,
            "Валы",
            7e6,
            str(agreement.turnover.id),
        ]
    )
    path = tmp_path / "deals.xlsx"
    book.save(path)
    report = import_deals(db_session, path)
    assert report.created == 1
    imported = db_session.scalars(select(Deal).where(Deal.number == "X-1")).one()
    assert imported.confirmation is Confirmation.AWAITING  # imported by nobody: not confirmed
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0
    agreement.confirm(imported)
    assert service.progress_of(agreement.turnover, MIDYEAR).value == Decimal(7_000_000)


def test_one_bad_row_and_nothing_is_written_unless_skip_invalid(
    agreement: Agreement, db_session: Session, tmp_path: Path
) -> None:
    bad = rows(agreement)
    bad[1][1] = "вчера"
    bad.append(
        [
            "К-3",
            "01.05.2026",
            "190440099990",
            agreement.supplier.bin,
            "Шестерни",
            "1000",
            "KZT",
            "",
            "",
            "",
            "",
        ]
    )
    bad.append(
        [
            "К-4",
            "01.05.2026",
            agreement.buyer.bin,
            agreement.supplier.bin,
            "Шестерни",
            "1000",
            "KZT",
            "",
            "",
            "",
            str(agreement.jobs.id),
        ]
    )
    bad.append(
        [
            "К-1",
            "01.05.2026",
            agreement.buyer.bin,
            agreement.supplier.bin,
            "Повтор",
            "1000",
            "KZT",
            "",
            "",
            "",
            "",
        ]
    )
    path = write(tmp_path / "плохие.csv", RU, bad)
    before = deals(db_session)
    with pytest.raises(ImportFailed) as failed:
        import_deals(db_session, path)
    detail = failed.value.detail
    assert "плохие.csv, row 3, column «Дата договора»" in detail
    assert "row 4, column «БИН покупателя»" in detail
    assert "row 5, column «Обязательства»" in detail and "progress reports" in detail
    assert "row 6, column «Номер договора»" in detail and "repeats row 2" in detail
    assert deals(db_session) == before

    report = import_deals(db_session, path, skip_invalid=True)
    assert report.created == 1 and report.skipped == 4
    assert deals(db_session) == before + 1


def test_the_command_line_imports_deals(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200"}

    def seriktes(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "seriktes", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )

    assert seriktes("db", "upgrade").returncode == 0
    path = write(tmp_path / "d.csv", RU[:6], [["1", "01.01.2026", "000000000000", "1", "x", "1"]])
    result = seriktes("import", "deals", str(path))
    assert result.returncode == 1
    assert "d.csv, row 2" in result.stderr and "Traceback" not in result.stderr
    columns = seriktes("import", "columns", "deals")
    assert "supplier_bin (required)" in columns.stdout

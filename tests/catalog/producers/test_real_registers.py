"""The three real registers of ../shared/data/producers import, and again without a change."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.analytics.stats import table_counts
from seriktes.catalog.models import Certificate, CertificateKind, CertificateStatus
from seriktes.catalog.producers import import_producers
from seriktes.registry.models import Organisation
from tests.conftest import shared_file

REGISTERS = {
    "industrial": "producers/industrial_registry_sample.csv",
    "stkz_origin": "producers/origin_certificates_sample.csv",
    "stkz_serial": "producers/stkz_serial_certificates.csv",
}


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def folded(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def distinct_products(path: Path, register: str) -> int:
    """Products the file names, counted straight from its cells: (producer, name, HS, KP VED)."""
    if register == "stkz_serial":
        return len({(folded(r[1]), folded(r[2])) for r in rows_of(path)})
    producer, name, hs, kpved = (1, 8, 10, 11) if register == "industrial" else (7, 10, 11, 12)
    return len({(r[producer] or r[2], folded(r[name]), r[hs], r[kpved]) for r in rows_of(path)})


@pytest.mark.parametrize("register", REGISTERS)
def test_a_real_register_imports_and_again_changes_nothing(
    db_session: Session, register: str
) -> None:
    path = shared_file(REGISTERS[register])
    report = import_producers(db_session, path)
    rows = rows_of(path)
    assert (report.register, report.rows, report.skipped) == (register, len(rows), 0)
    assert report.parts["offers"]["created"] == distinct_products(path, register)
    stored = db_session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.kind == register)
    )
    assert stored == report.parts["certificates"]["created"] > 0

    before = table_counts(db_session)
    again = import_producers(db_session, path)
    assert {part: (c["created"], c["updated"]) for part, c in again.parts.items()} == {
        "organisations": (0, 0),
        "offers": (0, 0),
        "certificates": (0, 0),
    }
    assert table_counts(db_session) == before


def test_serial_certificates_keep_their_status_and_producers_stay_unverified(
    db_session: Session,
) -> None:
    path = shared_file(REGISTERS["stkz_serial"])
    import_producers(db_session, path)
    expired_rows = {(r[0], folded(r[1]), folded(r[2])) for r in rows_of(path) if "истек" in r[3]}
    expired = db_session.scalar(
        select(func.count())
        .select_from(Certificate)
        .where(
            Certificate.kind == CertificateKind.STKZ_SERIAL,
            Certificate.status == CertificateStatus.EXPIRED,
        )
    )
    assert expired == len(expired_rows)
    producers = {folded(r[1]) for r in rows_of(path)}
    unverified = db_session.scalars(select(Organisation).where(Organisation.bin.is_(None))).all()
    assert len(unverified) == len(producers)


def test_the_industrial_registry_places_producers_in_regions(db_session: Session) -> None:
    path = shared_file(REGISTERS["industrial"])
    import_producers(db_session, path)
    orgs = db_session.scalars(select(Organisation)).all()
    assert len(orgs) == len({r[1] or r[2] for r in rows_of(path)})
    assert all(org.region_id is not None for org in orgs), "from KATO codes or addresses"

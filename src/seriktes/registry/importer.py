"""Import of organisations from CSV/XLSX: validate every row, then upsert by BIN."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from seriktes.kit.i18n import N_
from seriktes.kit.importing import (
    CellError,
    ImportFailed,
    ImportReport,
    ParsedRows,
    Progress,
    limited,
    list_value,
    parse_table,
    text,
)
from seriktes.kit.locks import hold_import_lock
from seriktes.kit.tabular import Cell, Source, as_source, read_table
from seriktes.kit.values import is_digits
from seriktes.registry import repository
from seriktes.registry.columns import ORGANISATION_COLUMNS
from seriktes.registry.models import Organisation, SizeClass
from seriktes.registry.service import Lookups, check_bin

SIZE_WORDS = {
    "large": SizeClass.LARGE,
    "крупный": SizeClass.LARGE,
    "крупное": SizeClass.LARGE,
    "ірі": SizeClass.LARGE,
    "medium": SizeClass.MEDIUM,
    "средний": SizeClass.MEDIUM,
    "среднее": SizeClass.MEDIUM,
    "орта": SizeClass.MEDIUM,
    "small": SizeClass.SMALL,
    "малый": SizeClass.SMALL,
    "малое": SizeClass.SMALL,
    "шағын": SizeClass.SMALL,
    "micro": SizeClass.MICRO,
    "микро": SizeClass.MICRO,
    "микропредприятие": SizeClass.MICRO,
}
ORG_FIELDS = (
    "name_ru",
    "name_kk",
    "region_id",
    "size_class",
    "oked",
    "certificates",
    "address",
    "contact_person",
    "phone",
    "email",
    "website",
)


def parse_size(value: Cell) -> SizeClass | None:
    """Parse a size class given in English, Russian or Kazakh."""
    raw = text(value)
    if raw is None:
        return None
    size = SIZE_WORDS.get(raw.lower())
    if size is None:
        raise CellError(
            N_("unknown size class %(raw)s; use large, medium, small or micro"),
            params={"raw": repr(raw)},
        )
    return size


def parse_oked(value: Cell) -> str | None:
    """Parse an OKED activity code (up to 5 digits, dots allowed)."""
    raw = text(value)
    if raw is None:
        return None
    digits = raw.replace(".", "")
    if not is_digits(digits) or len(digits) > 5:
        raise CellError(
            N_("OKED code must be up to 5 digits, got %(raw)s"), params={"raw": repr(raw)}
        )
    return digits


def parse_organisations(
    session: Session, source: Source, progress: Progress | None = None
) -> ParsedRows:
    """Read and validate an organisations file without writing anything."""
    lookups = Lookups.load(session)
    parsers = {
        "bin": lambda cell: check_bin(text(cell)),
        "region": lambda cell: lookups.region(text(cell)),
        "size_class": parse_size,
        "oked": parse_oked,
        "certificates": list_value,
        "name_ru": limited(500),
        "name_kk": limited(500),
        "address": limited(500),
        "contact_person": limited(255),
        "phone": limited(64),
        "email": limited(255),
        "website": limited(255),
    }
    parsed = parse_table(read_table(source), ORGANISATION_COLUMNS, parsers, progress)
    _merge_repeated_bins(parsed)
    return parsed


def _merge_repeated_bins(parsed: ParsedRows) -> None:
    """Registries list one row per product: a repeated BIN with the same data is merged
    (its certificates added to the first row's); a repeated BIN with other data is an error."""
    first: dict[object, tuple[int, dict[str, object]]] = {}
    merged: set[int] = set()
    for row_no, values in parsed.rows:
        bin_value = values.get("bin")
        if bin_value is None:
            continue
        if bin_value not in first:
            first[bin_value] = (row_no, values)
            continue
        first_no, first_values = first[bin_value]
        differs = [k for k, v in values.items() if k != "certificates" and first_values.get(k) != v]
        if differs:
            column = parsed.header.get(differs[0], differs[0])
            parsed.error(
                row_no,
                "bin",
                N_("BIN %(bin_value)s repeats row %(first_no)s with another «%(column)s»"),
                {"bin_value": bin_value, "first_no": first_no, "column": column},
            )
            continue
        certificates = first_values.setdefault("certificates", [])
        for number in values.get("certificates") or []:  # type: ignore[attr-defined]
            if number not in certificates:  # type: ignore[operator]
                certificates.append(number)  # type: ignore[attr-defined]
        merged.add(row_no)
    parsed.rows = [(row_no, values) for row_no, values in parsed.rows if row_no not in merged]


def import_organisations(
    session: Session,
    file: Path | Source,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import organisations; all-or-nothing unless `skip_invalid`."""
    parsed = parse_organisations(session, as_source(file), progress)
    return write_organisations(session, parsed, skip_invalid=skip_invalid)


def write_organisations(
    session: Session, parsed: ParsedRows, *, skip_invalid: bool = False
) -> ImportReport:
    """Upsert parsed organisations by BIN (the parsed values are left as they are);
    all-or-nothing unless `skip_invalid`."""
    report = ImportReport("organisations", parsed.file, rows=len(parsed.rows), errors=parsed.errors)
    if parsed.errors and not skip_invalid:
        raise ImportFailed.from_errors(parsed.file, parsed.errors)
    hold_import_lock(session)
    records: dict[str, dict[str, object]] = {}
    for _row, values in parsed.valid_rows():
        record = {k: v for k, v in values.items() if k not in ("bin", "region")}
        record["region_id"] = getattr(values.get("region"), "id", None)
        records[str(values["bin"])] = record
    existing = repository.organisations_by_bin(session, records)
    new_rows = []
    for bin_value, record in records.items():
        org = existing.get(bin_value)
        if org is None:
            new_rows.append({"bin": bin_value, "certificates": [], **record})
            continue
        changed = {k: v for k, v in record.items() if k in ORG_FIELDS and getattr(org, k) != v}
        for key, value in changed.items():
            setattr(org, key, value)
        report.updated += bool(changed)
        report.unchanged += not changed
    if new_rows:
        session.execute(insert(Organisation), new_rows)
    report.created = len(new_rows)
    session.flush()
    return report

"""Import of needs and offers: parse, validate, resolve parties, then upsert by external id."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Numeric, insert, update
from sqlalchemy.orm import Session

from seriktes.catalog import repository
from seriktes.catalog.columns import NEED_COLUMNS, OFFER_COLUMNS
from seriktes.catalog.goszakup import NEW_UNIT
from seriktes.catalog.models import Need, NeedStatus, Offer
from seriktes.catalog.parsing import class_from_enstru, content_id, line_parsers
from seriktes.kit.i18n import N_
from seriktes.kit.importing import (
    ImportFailed,
    ImportReport,
    ParsedRows,
    Progress,
    RowError,
    RowErrors,
    parse_table,
)
from seriktes.kit.locks import hold_import_lock
from seriktes.kit.tabular import Source, as_source, read_table
from seriktes.kit.versions import bulk_change
from seriktes.registry import repository as registry_repository
from seriktes.registry.models import Organisation, Unit
from seriktes.registry.service import Lookups, guess_region_kato

NEED_FIELDS = (
    "title",
    "description",
    "specification",
    "class_code",
    "enstru_code",
    "quantity",
    "unit_code",
    "unit_price",
    "currency",
    "delivery_region_id",
    "needed_by",
    "origin",
    "status",
)
OFFER_FIELDS = (
    "title",
    "description",
    "class_code",
    "hs_code",
    "capacity_per_year",
    "unit_code",
    "price",
    "currency",
    "certificates",
    "status",
)


class LineKind:
    """What differs between importing needs and importing offers."""

    def __init__(self, name: str, model: type[Need] | type[Offer], party: str) -> None:
        self.name = name
        self.model = model
        self.party = party  # "buyer" or "producer"
        self.fields = NEED_FIELDS if model is Need else OFFER_FIELDS
        self.columns = NEED_COLUMNS if model is Need else OFFER_COLUMNS
        self.owner_field = "buyer_id" if model is Need else "producer_id"


NEEDS = LineKind("needs", Need, "buyer")
OFFERS = LineKind("offers", Offer, "producer")


@dataclass
class LinesReport(ImportReport):
    """The report of a needs or offers import, with the lines it wrote for the steps that
    follow it (matching): the ids it updated, and the (owner id, external id) of the lines it
    created, whose ids the insert does not read back (reading them is left to those steps)."""

    updated_ids: list[int] = field(default_factory=list, repr=False)
    created_keys: list[tuple[int, str]] = field(default_factory=list, repr=False)
    closed: int = 0  # lines written as closed (a past plan year, a withdrawn point)
    other_lines_skipped: int = 0  # lines of other organisations, left out on request
    warnings: list[RowError] = field(default_factory=list)  # rows kept with a remark

    def as_dict(self) -> dict[str, object]:
        """The base counts, and the closed lines, the lines left out and the warnings."""
        return {
            **super().as_dict(),
            "closed": self.closed,
            "other_lines_skipped": self.other_lines_skipped,
            "warnings": [str(warning) for warning in self.warnings[:20]],
        }

    def add(self, other: LinesReport) -> None:
        """Add the counts and written lines of `other` (one page of a sync) to these."""
        for name in (
            "rows",
            "created",
            "updated",
            "unchanged",
            "organisations_created",
            "closed",
            "other_lines_skipped",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors = [*self.errors, *other.errors][:1000]
        self.warnings = [*self.warnings, *other.warnings][:1000]
        self.updated_ids.extend(other.updated_ids)
        self.created_keys.extend(other.created_keys)


def written_ids(session: Session, report: LinesReport) -> list[int]:
    """The ids of the lines an import created or changed."""
    model = NEEDS.model if report.kind == NEEDS.name else OFFERS.model
    created = repository.line_ids(session, model, report.created_keys)
    return sorted({*report.updated_ids, *created})


def parse_lines(
    session: Session, kind: LineKind, source: Source, progress: Progress | None = None
) -> ParsedRows:
    """Read and validate a needs or offers CSV/XLSX file without writing anything."""
    parsers = line_parsers(Lookups.load(session), kind.name)
    return parse_table(read_table(source), kind.columns, parsers, progress)


def import_lines(
    session: Session,
    kind: LineKind,
    parsed: ParsedRows,
    *,
    skip_invalid: bool = False,
    source: str = "import",
) -> LinesReport:
    """Write parsed needs or offers; all-or-nothing unless `skip_invalid`."""
    report = LinesReport(kind.name, parsed.file, rows=len(parsed.rows))
    parties = _resolve_parties(session, kind, parsed)
    _check_duplicates(kind, parsed)
    report.errors = parsed.errors
    if parsed.errors and not skip_invalid:
        raise ImportFailed.from_errors(parsed.file, parsed.errors)
    hold_import_lock(session)
    rows = parsed.valid_rows()
    report.warnings = _add_units(session, parsed, rows)
    report.organisations_created = _create_parties(session, kind, parties, rows)
    owner_ids = registry_repository.organisations_by_bin(session, parties)
    records = [_record(kind, values, owner_ids, source) for _row, values in rows]
    report.closed = sum(record.get("status") is NeedStatus.CLOSED for record in records)
    _upsert(session, kind, records, report)
    return report


def keep_own_lines(kind: LineKind, parsed: ParsedRows, bin_value: str) -> int:
    """Keep only the rows of the organisation with `bin_value` (a member's lines in a file of
    the whole portal) and their errors; return how many rows of others were left out. A row
    whose BIN could not be read is not shown to be the organisation's, so it is left out."""
    bin_field = f"{kind.party}_bin"
    others = {row for row, values in parsed.rows if values.get(bin_field) != bin_value}
    if not others:
        return 0
    parsed.rows = [(row, values) for row, values in parsed.rows if row not in others]
    old = parsed.errors
    kept = [error for error in old if error.row not in others]
    errors = RowErrors(getattr(old, "kept", None), kept)
    if isinstance(old, RowErrors):  # errors counted but not kept: of rows still in
        unlisted = old.total - len(old)
        errors.total += unlisted
        errors.rows |= {row for row in old.rows if row not in others}
    parsed.errors = errors
    return len(others)


def _add_units(
    session: Session, parsed: ParsedRows, rows: list[tuple[int, dict[str, object]]]
) -> list[RowError]:
    """Add the unit codes the MKEI table does not know (goszakup plans use codes of their own)
    as units named by their code, so that their lines keep them; a warning per row."""
    codes = {str(values[NEW_UNIT]) for _row, values in rows if values.get(NEW_UNIT)}
    for code in sorted(codes):
        if session.get(Unit, code) is None:
            session.add(Unit(code=code, name_ru=code, name_kk=code, short_ru=code, kind="other"))
    session.flush()
    return [
        RowError.of(
            parsed.file,
            row,
            parsed.header.get("unit", "unit"),
            N_("unit code %(code)s is not in the MKEI table; the line keeps the code"),
            {"code": values[NEW_UNIT]},
            parsed.row_label,
        )
        for row, values in rows
        if values.get(NEW_UNIT)
    ]


def import_file(
    session: Session,
    kind: LineKind,
    file: Path | Source,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> LinesReport:
    """Import a needs or offers file: CSV, XLSX, or (for needs) goszakup plan JSON."""
    parsed, origin = parse_line_file(session, kind, as_source(file), progress)
    return import_lines(session, kind, parsed, skip_invalid=skip_invalid, source=origin)


def parse_line_file(
    session: Session, kind: LineKind, source: Source, progress: Progress | None = None
) -> tuple[ParsedRows, str]:
    """Parse a needs or offers file, goszakup plan JSON included; with the lines' `source`
    (the file's type, or goszakup)."""
    if source.suffix == ".json":
        from seriktes.catalog.goszakup import parse_plan_json

        if kind is not NEEDS:
            raise ImportFailed(
                N_("%(name)s: goszakup JSON holds needs, not %(kind)s"),
                params={"name": source.name, "kind": kind.name},
            )
        return parse_plan_json(session, source), "goszakup"
    return parse_lines(session, kind, source, progress), source.suffix.lstrip(".")


def _resolve_parties(
    session: Session, kind: LineKind, parsed: ParsedRows
) -> dict[str, dict[str, Any]]:
    """Map every BIN of the file to the organisation to use or create; flag unknown ones."""
    bin_field, name_field = f"{kind.party}_bin", f"{kind.party}_name"
    bins = {str(v[bin_field]) for _r, v in parsed.rows if v.get(bin_field)}
    known = registry_repository.organisations_by_bin(session, bins)
    parties: dict[str, dict[str, Any]] = {b: {} for b in known}
    for row_no, values in parsed.rows:
        bin_value = values.get(bin_field)
        if not bin_value or bin_value in parties:
            continue
        name = values.get(name_field)
        if name:
            parties[str(bin_value)] = {"name_ru": name, "name_kk": values.get(f"{name_field}_kk")}
        else:
            parsed.error(
                row_no,
                bin_field,
                N_(
                    "no organisation with BIN %(bin_value)s is registered; import it first or add "
                    "the %(party)s's name in a column «%(name_field)s»"
                ),
                {"bin_value": bin_value, "party": kind.party, "name_field": name_field},
            )
    return parties


def _check_duplicates(kind: LineKind, parsed: ParsedRows) -> None:
    seen: dict[tuple[object, object], int] = {}
    for row_no, values in parsed.rows:
        external = values.get("external_id")
        if not external:
            continue
        key = (values.get(f"{kind.party}_bin"), external)
        if key in seen:
            parsed.error(
                row_no,
                "external_id",
                N_("id %(external)s repeats row %(value)s"),
                {"external": repr(external), "value": seen[key]},
            )
        else:
            seen[key] = row_no


def _create_parties(
    session: Session,
    kind: LineKind,
    parties: dict[str, dict[str, Any]],
    rows: list[tuple[int, dict[str, object]]],
) -> int:
    used = {str(values[f"{kind.party}_bin"]) for _r, values in rows}
    new = [(b, data) for b, data in parties.items() if data and b in used]
    if not new:
        return 0
    regions = {r.kato: r.id for r in registry_repository.top_level_regions(session)}
    session.execute(
        insert(Organisation),
        [
            {
                "bin": b,
                "name_ru": data["name_ru"],
                "name_kk": data.get("name_kk"),
                "region_id": regions.get(guess_region_kato(str(data["name_ru"])) or ""),
                "certificates": [],
            }
            for b, data in new
        ],
    )
    session.flush()
    return len(new)


def _record(
    kind: LineKind, values: dict[str, object], owners: dict[str, Organisation], source: str
) -> dict[str, Any]:
    owner = owners[str(values[f"{kind.party}_bin"])]
    record: dict[str, Any] = {k: v for k, v in values.items() if k in kind.fields}
    if "unit" in values:
        record["unit_code"] = values["unit"]
    if kind is NEEDS:
        if "delivery_region" in values:
            region = values["delivery_region"]
            record["delivery_region_id"] = getattr(region, "id", None)
        if not record.get("class_code") and record.get("enstru_code"):
            record["class_code"] = class_from_enstru(str(record["enstru_code"]))
    external = values.get("external_id") or content_id(
        owner.bin, *(record.get(f) for f in kind.fields if f != "status")
    )
    record[kind.owner_field] = owner.id
    record["external_id"] = str(external)
    record["source"] = source
    return _at_column_scale(kind, record)


def _at_column_scale(kind: LineKind, record: dict[str, Any]) -> dict[str, Any]:
    """Decimals rounded as their columns store them, so that what is compared with the stored
    value on the next import is what was stored: an unchanged file changes nothing."""
    columns = kind.model.__table__.c
    for name, value in record.items():
        if isinstance(value, Decimal) and name in columns:
            column_type = columns[name].type
            if isinstance(column_type, Numeric) and column_type.scale is not None:
                step = Decimal(1).scaleb(-column_type.scale)
                # a value too large for any column is left as it is: the database refuses it
                with suppress(InvalidOperation):
                    record[name] = value.quantize(step, rounding=ROUND_HALF_UP)
    return record


def _same(stored: Any, new: Any) -> bool:
    if isinstance(stored, Decimal | float | int) and isinstance(new, Decimal | float | int):
        return Decimal(str(stored)) == Decimal(str(new))
    return bool(stored == new)


def _upsert(
    session: Session, kind: LineKind, records: list[dict[str, Any]], report: LinesReport
) -> None:
    existing = repository.existing_lines(
        session, kind.model, {r[kind.owner_field] for r in records}, kind.fields
    )
    new_rows, changes = [], []
    for record in records:
        stored = existing.get((record[kind.owner_field], record["external_id"]))
        if stored is None:
            new_rows.append(record)
            continue
        diff = {
            f: record[f] for f in kind.fields if f in record and not _same(stored[f], record[f])
        }
        if diff:
            changes.append(bulk_change(stored, diff))
        else:
            report.unchanged += 1
    for start in range(0, len(new_rows), 5000):
        session.execute(insert(kind.model), new_rows[start : start + 5000])
    if changes:
        session.execute(update(kind.model), changes)
    report.created, report.updated = len(new_rows), len(changes)
    report.created_keys = [(row[kind.owner_field], row["external_id"]) for row in new_rows]
    report.updated_ids = [change["id"] for change in changes]
    session.flush()

"""Import of deals from CSV/XLSX: parse, validate every row (parties by BIN, links to needs,
offers, meetings, memoranda and commitments), then upsert by (buyer, contract number).

All-or-nothing unless `skip_invalid`; a re-import of the same file changes nothing; every
created or changed deal is written to the audit log (as a change by the system, or by the
user who imports).

Confirmation: an imported deal awaits the confirmation of its two sides, like one recorded by
hand, unless the importing user may confirm it as a coordinator (a coordinator of a party
region of the memorandum the row links it to, or an administrator): the file is the
coordinator's evidence, so such a deal is confirmed with its contract number as evidence. The
command line imports as nobody, so its deals await confirmation. A re-import that changes a
deal's amount, parties or date asks for confirmation again.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import audit, confirmation, repository
from seriktes.agreements.columns import DEAL_COLUMNS
from seriktes.agreements.deals import check_links, linkable_commitments
from seriktes.agreements.models import AuditAction, Commitment, Deal, DealStatus
from seriktes.agreements.policy import can_confirm_as_coordinator
from seriktes.agreements.rates import MAX_AMOUNT, checked_kzt, rate_for
from seriktes.catalog.parsing import parse_currency, parse_kpved
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import (
    CellError,
    ImportFailed,
    ImportReport,
    ParsedRows,
    Progress,
    date_value,
    decimal_value,
    limited,
    parse_table,
    text,
)
from seriktes.kit.tabular import Cell, Source, as_source, read_table
from seriktes.registry.models import Organisation
from seriktes.registry.repository import organisations_by_bin
from seriktes.registry.service import Lookups, check_bin

FIELDS = (
    "signed_on",
    "subject",
    "class_code",
    "quantity",
    "unit_code",
    "amount",
    "currency",
    "rate_to_kzt",
    "amount_kzt",
    "status",
    "need_id",
    "offer_id",
    "meeting_id",
    "memorandum_id",
)
STATUS_WORDS = {
    "действует": "signed",
    "подписан": "signed",
    "заключен": "signed",
    "исполнен": "completed",
    "выполнен": "completed",
    "расторгнут": "cancelled",
    "отменен": "cancelled",
}


def _status(value: Cell) -> DealStatus:
    raw = text(value)
    if raw is None:
        return DealStatus.SIGNED
    word = raw.lower().replace("ё", "е")
    try:
        return DealStatus(STATUS_WORDS.get(word, word))
    except ValueError:
        raise CellError(
            N_("unknown status %(raw)s; use signed, completed or cancelled"),
            params={"raw": repr(raw)},
        ) from None


def _row_id(value: Cell) -> int | None:
    raw = text(value)
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise CellError(
            N_("expected an id (a whole number), got %(raw)s"), params={"raw": repr(raw)}
        )
    return int(raw)


def _ids(value: Cell) -> list[int]:
    raw = text(value)
    parts = [p for p in re.split(r"[;,\s]+", raw or "") if p]
    ids = [_row_id(p) for p in parts]
    return [i for i in ids if i is not None]


def _positive(value: Cell) -> Decimal | None:
    number = decimal_value(value)
    if number is not None and number <= 0:
        raise CellError(N_("must be positive, got %(value)s"), params={"value": value})
    return number


def _amount(value: Cell) -> Decimal | None:
    number = _positive(value)
    if number is not None and number > MAX_AMOUNT:
        limit, given = f"{MAX_AMOUNT:,.0f}".replace(",", " "), str(value).replace(",", " ")
        raise CellError(
            N_("may not exceed %(limit)s, got %(value)s"), {"limit": limit, "value": given}
        )
    return number


def parsers(lookups: Lookups) -> dict[str, Any]:
    """The field parsers of a deals file."""
    return {
        "number": limited(64),
        "signed_on": date_value,
        "buyer_bin": lambda cell: check_bin(text(cell)),
        "supplier_bin": lambda cell: check_bin(text(cell)),
        "subject": limited(500),
        "class_code": parse_kpved,
        "quantity": _positive,
        "unit": lambda cell: lookups.unit_code(text(cell)),
        "amount": _amount,
        "currency": parse_currency,
        "rate_to_kzt": _positive,
        "status": _status,
        "need_id": _row_id,
        "offer_id": _row_id,
        "meeting_id": _row_id,
        "memorandum": limited(64),
        "commitment_ids": _ids,
    }


def parse_deals(session: Session, source: Source, progress: Progress | None = None) -> ParsedRows:
    """Read and check the cells of a deals CSV/XLSX file without writing anything."""
    return parse_table(read_table(source), DEAL_COLUMNS, parsers(Lookups.load(session)), progress)


def import_deals(
    session: Session,
    file: Path | Source,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    user: User | None = None,
) -> ImportReport:
    """Import a deals file; all-or-nothing unless `skip_invalid`."""
    parsed = parse_deals(session, as_source(file), progress)
    return write_deals(session, parsed, skip_invalid=skip_invalid, user=user)


def write_deals(
    session: Session, parsed: ParsedRows, *, skip_invalid: bool = False, user: User | None = None
) -> ImportReport:
    """Check the parsed deals' parties and links, then upsert them; all-or-nothing unless
    `skip_invalid`; confirmed as a coordinator only for a `user` who may."""
    report = ImportReport("deals", parsed.file, rows=len(parsed.rows))
    prepared = _prepare(session, parsed)
    report.errors = parsed.errors
    if parsed.errors and not skip_invalid:
        raise ImportFailed.from_errors(parsed.file, parsed.errors)
    bad = parsed.bad_rows()
    for row_no, (values, commitments) in prepared.items():
        if row_no not in bad:
            _upsert(session, values, commitments, report, user)
    session.flush()
    return report


def _prepare(
    session: Session, parsed: ParsedRows
) -> dict[int, tuple[dict[str, Any], list[Commitment]]]:
    """Resolve parties, the memorandum and the links of every row; record located errors."""
    bins = {str(v[f]) for _r, v in parsed.rows for f in ("buyer_bin", "supplier_bin") if v.get(f)}
    orgs = organisations_by_bin(session, bins)
    seen: dict[tuple[str, str], int] = {}
    prepared: dict[int, tuple[dict[str, Any], list[Commitment]]] = {}
    for row_no, values in parsed.rows:
        found = _row(session, parsed, row_no, values, orgs)
        if found is None:
            continue
        key = (str(values["buyer_bin"]), str(values["number"]))
        if key in seen:
            parsed.error(
                row_no,
                "number",
                N_("contract %(value)s repeats row %(value2)s"),
                {"value": repr(key[1]), "value2": seen[key]},
            )
            continue
        seen[key] = row_no
        prepared[row_no] = found
    return prepared


def _row(
    session: Session,
    parsed: ParsedRows,
    row_no: int,
    values: dict[str, object],
    orgs: dict[str, Organisation],
) -> tuple[dict[str, Any], list[Commitment]] | None:
    if row_no in parsed.bad_rows():
        return None
    ids: dict[str, int] = {}
    for side in ("buyer", "supplier"):
        org = orgs.get(str(values.get(f"{side}_bin")))
        if org is None:
            message = N_("no organisation with BIN %(bin)s is registered; import it first")
            parsed.error(row_no, f"{side}_bin", message, {"bin": values.get(f"{side}_bin")})
            return None
        ids[f"{side}_id"] = org.id
    if ids["buyer_id"] == ids["supplier_id"]:
        parsed.error(row_no, "supplier_bin", N_("the buyer and the supplier must differ"))
        return None
    record: dict[str, Any] = {
        **ids,
        **{k: values.get(k) for k in FIELDS if k in values},
        "number": values["number"],
        "unit_code": values.get("unit"),
        "currency": values.get("currency") or "KZT",
        "status": values.get("status") or DealStatus.SIGNED,
    }
    try:
        given = values.get("rate_to_kzt")
        rate = rate_for(str(record["currency"]), given if isinstance(given, Decimal) else None)
        record["rate_to_kzt"] = rate
        amount = Decimal(str(values["amount"]))
        record["amount_kzt"] = checked_kzt(amount, rate, ("amount",))
        record["memorandum_id"] = _memorandum_id(session, values.get("memorandum"))
        probe = Deal(**{k: v for k, v in record.items() if k != "number"}, number=record["number"])
        with session.no_autoflush:
            check_links(session, probe, None, system=True)
            listed = values.get("commitment_ids")
            ids_given = [int(i) for i in listed] if isinstance(listed, list) else []
            commitments = linkable_commitments(session, ids_given, None, probe, system=True)
    except ValidationFailed as exc:
        loc = exc.errors[0].loc if exc.errors else ()
        column = next((part for part in reversed(loc) if isinstance(part, str)), "")
        parsed.error(row_no, column, exc.template, exc.params)
        return None
    if record["memorandum_id"] is None and len({c.memorandum_id for c in commitments}) == 1:
        record["memorandum_id"] = commitments[0].memorandum_id
    return record, commitments


def _memorandum_id(session: Session, number: object) -> int | None:
    if number is None:
        return None
    memo = repository.memorandum_by_number(session, str(number))
    if memo is None:
        detail, params = N_("no memorandum numbered %(number)s"), {"number": repr(number)}
        raise ValidationFailed(detail, [ErrorItem(("memorandum",), detail, params)], params)
    return memo.id


def _same(stored: Any, new: Any) -> bool:
    if isinstance(stored, Decimal | int) and isinstance(new, Decimal | int):
        return Decimal(str(stored)) == Decimal(str(new))
    return bool(stored == new)


def _upsert(
    session: Session,
    record: dict[str, Any],
    commitments: list[Commitment],
    report: ImportReport,
    user: User | None,
) -> None:
    stored = repository.deal_by_number(session, record["buyer_id"], record["number"])
    if stored is None:
        deal = Deal(**record, source="import")
        deal.commitments = commitments
        session.add(deal)
        session.flush()
        _confirm(session, deal, user)
        audit.record(session, user, AuditAction.CREATE, deal, None)
        report.created += 1
        return
    changed = {k: v for k, v in record.items() if k in FIELDS or k == "supplier_id"}
    changed = {k: v for k, v in changed.items() if not _same(getattr(stored, k), v)}
    links_changed = {c.id for c in stored.commitments} != {c.id for c in commitments}
    if not changed and not links_changed:
        report.unchanged += 1
        return
    before = audit.snapshot(stored)
    for name, value in changed.items():
        setattr(stored, name, value)
    if links_changed:
        stored.commitments = commitments
    if set(changed) & set(confirmation.KEY_FIELDS):
        _confirm(session, stored, user)
    audit.record(session, user, AuditAction.UPDATE, stored, before)
    report.updated += 1


def _confirm(session: Session, deal: Deal, user: User | None) -> None:
    """Confirmed by the importing coordinator when they may; awaiting the sides otherwise."""
    confirmation.reopen(session, deal, user)
    if user is not None and can_confirm_as_coordinator(user, deal):
        confirmation.confirm_as_coordinator(session, deal, user, f"contract {deal.number}")

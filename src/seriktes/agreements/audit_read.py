"""Reading the audit log under its policy: a memorandum's log or everything a coordinator
or administrator may read, filtered by object, person and period, a page at a time as
people read it (`auditlog`), and the same entries as an XLSX file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import audit_queries as queries
from seriktes.agreements import auditlog, service
from seriktes.agreements.audit_queries import AuditFilters
from seriktes.agreements.policy import (
    can_read_audit,
    can_read_organisation_audit,
    visible_audit,
)
from seriktes.kit import clock
from seriktes.kit.errors import Forbidden
from seriktes.kit.exports import text_cells
from seriktes.kit.i18n import N_, translate
from seriktes.kit.pagination import Page, PageRequest, paginate

PER_PAGE = 50
EXPORT_LIMIT = 20_000  # entries in one file; the filters narrow a larger log
HEADERS = (
    N_("When (Almaty time)"),
    N_("Who"),
    N_("Object"),
    N_("Action"),
    N_("Field"),
    N_("Before"),
    N_("After"),
)
WIDTHS = (18, 28, 50, 28, 30, 40, 40)


@dataclass(frozen=True)
class AuditPage:
    """One page of the log as read, with the choices of its filters."""

    found: Page[auditlog.Readable]
    people: list[User]
    objects: list[tuple[int, str]]  # the objects of the chosen kind: id, identity


def memorandum_scope(
    session: Session, user: User | None, memorandum_id: int
) -> ColumnElement[bool]:
    """The entries of a memorandum's log `user` may read (NotFound for a memorandum they
    may not read, Forbidden for a reader of the memorandum who may not read its log)."""
    service.get_memorandum(session, user, memorandum_id)
    if not can_read_audit(user):
        raise Forbidden(N_("the audit log is for coordinators and administrators"))
    return and_(queries.memorandum_scope(memorandum_id), visible_audit(user))


def organisation_scope(user: User | None) -> ColumnElement[bool]:
    """Every entry `user` may read (Forbidden for those who may not read the log)."""
    if not can_read_organisation_audit(user):
        raise Forbidden(N_("the audit log is for coordinators and administrators"))
    return visible_audit(user)


def read_page(
    session: Session,
    scope: ColumnElement[bool],
    filters: AuditFilters,
    request: PageRequest,
    lang: str,
) -> AuditPage:
    """A page of the entries within `scope` under `filters`, as read in `lang`."""
    found = paginate(session, queries.entries(scope, filters), request)
    ids = queries.objects(session, scope, filters.kind) if filters.kind else []
    pairs = [(filters.kind, i) for i in ids] if filters.kind else []
    names = auditlog.Names.load(session, found.items, lang, pairs)
    objects = [(i, auditlog.identity(names, str(filters.kind), i)["line"]) for i in ids]
    readable = auditlog.readable(names, found.items)
    return AuditPage(
        Page(readable, found.total, found.page, found.per_page),
        queries.people(session, scope),
        objects,
    )


def export(session: Session, scope: ColumnElement[bool], filters: AuditFilters, lang: str) -> bytes:
    """The entries within `scope` under `filters` as an XLSX workbook in `lang`: one row
    per changed field, no internal columns, every text a text (never a formula)."""
    stmt = queries.entries(scope, filters).limit(EXPORT_LIMIT)
    entries = list(session.scalars(stmt).unique())
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = translate(lang, N_("Audit log"))[:31]
    sheet.append([translate(lang, h) for h in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for start in range(0, len(entries), 500):  # names loaded per 500 entries
        chunk = entries[start : start + 500]
        for row in auditlog.read(session, chunk, lang):
            head = [row.when, row.who, f"{row.kind}: {row.identity}", row.short]
            for change in row.changes or [auditlog.Change("", "", "")]:
                sheet.append([*head, change.field, change.before, change.after])
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    text_cells(book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(lang: str, number: str | None = None) -> str:
    """«журнал-изменений-М-2026_01-2026-12-05.xlsx» in the page's language."""
    stem = translate(lang, N_("audit-log"))
    if number:
        stem += "-" + re.sub(r"[^\w.-]+", "_", number)
    return f"{stem}-{clock.today().isoformat()}.xlsx"

"""The audit log's pages: a memorandum's log and the log of everything a coordinator or an
administrator may read, filtered by object, person and period, a page at a time, and the
filtered entries as an XLSX file in the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import ColumnElement

from seriktes.agreements import audit_read, service
from seriktes.agreements.audit_queries import SYSTEM_USER, AuditFilters
from seriktes.agreements.documents import disposition
from seriktes.agreements.labels import KINDS
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import PageRequest
from seriktes.kit.values import FIRST_DAY, LAST_DAY, parse_id
from seriktes.web.listing import Text, blank, choice
from seriktes.web.views.pages import show

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PageNo = Annotated[int, Query(alias="page", ge=1, le=100_000)]
Since = Annotated[str | None, Query(alias="from", max_length=20)]
Until = Annotated[str | None, Query(alias="to", max_length=20)]


@dataclass(frozen=True)
class _Asked:
    """The filters as the query gives them, read once for the four routes; checked by
    `filters` where each route wants them checked (after its access checks)."""

    kind: Text = None
    object_id: Annotated[str | None, Query(alias="object", max_length=20)] = None
    person: Text = None
    since: Since = None
    until: Until = None

    def filters(self) -> AuditFilters:
        return filters_of(self.kind, self.object_id, self.person, self.since, self.until)


Asked = Annotated[_Asked, Depends()]


def _wrong(field: str, value: str, message: str) -> ValidationFailed:
    params = {"value": repr(value)}
    return ValidationFailed(message, [ErrorItem(("query", field), message, params)], params)


def _day(value: str | None, field: str) -> date | None:
    text = blank(value)
    if text is None:
        return None
    try:
        found = date.fromisoformat(text)
    except ValueError:
        raise _wrong(field, text, N_("%(value)s is not a date; write it as 2026-12-31")) from None
    if not FIRST_DAY <= found <= LAST_DAY:
        raise _wrong(field, text, N_("%(value)s is not a date; write it as 2026-12-31"))
    return found


def _id(value: str | None, field: str) -> int | None:
    text = blank(value)
    if text is None:
        return None
    found = parse_id(text)
    if found is None:
        raise _wrong(field, text, N_("unknown value %(value)s"))
    return found


def filters_of(
    kind: str | None, entity: str | None, person: str | None, since: str | None, until: str | None
) -> AuditFilters:
    """The filters of the query, each checked and refused with its field named."""
    chosen_kind = choice(kind, KINDS, "kind")
    who = blank(person)
    filters = AuditFilters(
        kind=chosen_kind,
        entity_id=_id(entity, "object") if chosen_kind else None,
        user_id=SYSTEM_USER if who == "system" else _id(who, "person"),
        since=_day(since, "from"),
        until=_day(until, "to"),
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise _wrong("to", str(until), N_("the end of the period %(value)s is before its start"))
    return filters


def _page(
    request: Request,
    session: DbSession,
    lang: str,
    scope: ColumnElement[bool],
    filters: AuditFilters,
    page_no: int,
    **context: Any,
) -> HTMLResponse:
    found = audit_read.read_page(
        session, scope, filters, PageRequest(page_no, audit_read.PER_PAGE), lang
    )
    return show(
        request,
        lang,
        "audit.html",
        log=found,
        filters=filters,
        kinds=KINDS,
        system=str(SYSTEM_USER),
        **context,
    )


@router.get("/memoranda/{memo_id}/audit", response_class=HTMLResponse)
def memorandum_audit(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    memo_id: int,
    asked: Asked,
    page_no: PageNo = 1,
) -> HTMLResponse:
    """Every change to the memorandum, its commitments and reports, and its deals."""
    scope = audit_read.memorandum_scope(session, user, memo_id)
    memo = service.get_memorandum(session, user, memo_id)
    filters = asked.filters()
    export = f"/memoranda/{memo_id}/audit.xlsx"
    return _page(request, session, lang, scope, filters, page_no, memo=memo, export=export)


@router.get("/memoranda/{memo_id}/audit.xlsx")
def memorandum_audit_file(
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    memo_id: int,
    asked: Asked,
) -> Response:
    """The memorandum's log under the page's filters, as an XLSX file."""
    scope = audit_read.memorandum_scope(session, user, memo_id)
    memo = service.get_memorandum(session, user, memo_id)
    filters = asked.filters()
    content = audit_read.export(session, scope, filters, lang)
    return _file(content, audit_read.file_name(lang, memo.number))


@router.get("/audit", response_class=HTMLResponse, name="audit")
def audit_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    asked: Asked,
    page_no: PageNo = 1,
) -> HTMLResponse:
    """Every change to the memoranda and deals the reader may read."""
    scope = audit_read.organisation_scope(user)
    filters = asked.filters()
    return _page(request, session, lang, scope, filters, page_no, memo=None, export="/audit.xlsx")


@router.get("/audit.xlsx")
def audit_file(
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    asked: Asked,
) -> Response:
    """The whole log the reader may read under the page's filters, as an XLSX file."""
    scope = audit_read.organisation_scope(user)
    filters = asked.filters()
    content = audit_read.export(session, scope, filters, lang)
    return _file(content, audit_read.file_name(lang))


def _file(content: bytes, name: str) -> Response:
    return Response(
        content=content, media_type=XLSX, headers={"Content-Disposition": disposition(name)}
    )

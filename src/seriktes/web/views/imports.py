"""Import upload: preview, row errors, confirm (HTML pages and JSON API)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from seriktes.accounts.models import ImportUpload, User
from seriktes.catalog.columns import NEED_COLUMNS, OFFER_COLUMNS
from seriktes.catalog.importer import LinesReport
from seriktes.catalog.producers import Classify, ProducerReport
from seriktes.catalog.producers.formats import FORMATS
from seriktes.catalog.uploads import (
    EXTENSIONS,
    IMPORTED,
    MAX_UPLOAD_BYTES,
    ClassifierSource,
    Preview,
    confirm_upload,
    discard_upload,
    get_upload,
    importable_kinds,
    pending_uploads,
    preview_upload,
    store_upload,
)
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import Conflict, SeriktesError, ValidationFailed
from seriktes.kit.exports import csv_row
from seriktes.kit.i18n import N_
from seriktes.kit.importing import Column, ImportReport, RowError
from seriktes.matches.incremental import match_import, match_lines
from seriktes.registry.columns import ORGANISATION_COLUMNS
from seriktes.web.auth import RequiredUser, require_user, verify_csrf
from seriktes.web.deps import DbSession, Language
from seriktes.web.templating import render

router = APIRouter(include_in_schema=False)  # pages; /api/v1/openapi.json documents api_router
api_router = APIRouter(prefix="/api/v1", tags=["imports"])

WRITE = [Depends(require_user), Depends(verify_csrf)]
KIND_LABELS = {
    "orgs": N_("Organisations"),
    "needs": N_("Needs"),
    "offers": N_("Offers"),
    "producers": N_("Registers of producers"),
}
LIST_PAGES = {
    "orgs": "/organisations",
    "needs": "/needs",
    "offers": "/offers",
    "producers": "/offers",
}
COLUMNS: dict[str, tuple[Column, ...]] = {
    "orgs": ORGANISATION_COLUMNS,
    "needs": NEED_COLUMNS,
    "offers": OFFER_COLUMNS,
    # a register is told by its certificate number column: one of these
    "producers": tuple(register.columns[0] for register in FORMATS),
}
PART_LABELS = {
    "organisations": N_("Organisations"),
    "offers": N_("Offers"),
    "certificates": N_("Certificates"),
}
SHOWN_ERRORS = 500
DONE_KEY = "import_done"
REFUSAL = N_(
    "Nothing was imported: the file has invalid rows. Fix them and upload the file "
    "again, or import the valid rows only."
)
Kind = Literal["orgs", "needs", "offers", "producers"]

UploadId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _classifier(session: DbSession) -> ClassifierSource:
    """The process's KP VED classifier as text → class, built only if a register asks."""

    def source() -> Classify | None:
        from seriktes.matches.cache import cached_classifier
        from seriktes.matches.classify import product_classifier

        classifier = cached_classifier(session)
        return None if classifier is None else product_classifier(classifier)

    return source


def _read_limited(file: UploadFile) -> bytes:
    """At most one byte more than the limit: enough to refuse a file that is too large."""
    return file.file.read(MAX_UPLOAD_BYTES + 1)


# ---------------------------------------------------------------- HTML pages


def _form_page(
    request: Request,
    session: DbSession,
    lang: str,
    user: User,
    *,
    kind: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    kinds = importable_kinds(user)
    return render(
        request,
        lang,
        "import_form.html",
        status=status,
        kinds=[(k, KIND_LABELS[k]) for k in kinds],
        chosen=kind if kind in kinds else ("needs" if "needs" in kinds else None),
        required={k: [c.aliases[0] for c in COLUMNS[k] if c.required] for k in kinds},
        extensions={k: ", ".join(EXTENSIONS[k]) for k in kinds},
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        uploads=pending_uploads(session, user),
        kind_labels=KIND_LABELS,
        error=error,
    )


@router.get("/import", response_class=HTMLResponse, name="import_form")
def import_form(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, kind: str = ""
) -> HTMLResponse:
    """The upload form and the user's uploads waiting for confirmation."""
    return _form_page(request, session, lang, user, kind=kind or None)


@router.post("/import", response_model=None, dependencies=WRITE)
def upload(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    kind: Annotated[str, Form(max_length=16)],
    file: Annotated[UploadFile, File()],
    replaces: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse | RedirectResponse:
    """Keep the uploaded file and show its preview (or the form again with the reason)."""
    try:
        stored = store_upload(
            session, user, kind, file.filename or "", _read_limited(file), replaces
        )
    except SeriktesError as exc:
        return _form_page(
            request, session, lang, user, kind=kind, error=exc.message(lang), status=exc.status_code
        )
    return RedirectResponse(f"/import/{stored.id}", status_code=303)


def _preview_page(
    request: Request,
    session: DbSession,
    lang: str,
    user: User,
    upload_id: int,
    *,
    refused: bool = False,
) -> HTMLResponse:
    preview = preview_upload(session, user, upload_id, _classifier(session))
    kind = preview.upload.kind
    return render(
        request,
        lang,
        "import_preview.html",
        preview=preview,
        part_labels=PART_LABELS,
        kind_label=KIND_LABELS[kind],
        extensions=", ".join(EXTENSIONS[kind]),
        shown_errors=preview.errors[:SHOWN_ERRORS],
        refusal=REFUSAL if refused and preview.errors else None,
    )


@router.get("/import/{upload_id}", response_class=HTMLResponse, name="import_preview")
def preview_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    upload_id: UploadId,
    refused: bool = False,
) -> HTMLResponse:
    """What importing the upload would do: sample rows, row errors, counts."""
    return _preview_page(request, session, lang, user, upload_id, refused=refused)


@router.get("/import/{upload_id}/errors.csv", name="import_errors_csv")
def errors_csv(
    session: DbSession, lang: Language, user: RequiredUser, upload_id: UploadId
) -> Response:
    """The row errors of the upload as CSV (file, row, column, message in the uploader's
    language): the first 1,000."""
    preview = preview_upload(session, user, upload_id, _classifier(session))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["file", "row", "column", "message"])
    writer.writerows(csv_row([e.file, e.row, e.column, e.text(lang)]) for e in preview.errors)
    name = quote(preview.upload.filename.rsplit(".", 1)[0] + "-errors.csv")
    return Response(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f"attachment; filename=\"errors.csv\"; filename*=UTF-8''{name}"
        },
    )


@router.post("/import/{upload_id}/confirm", dependencies=WRITE)
def confirm(
    request: Request,
    session: DbSession,
    user: RequiredUser,
    upload_id: UploadId,
    skip_invalid: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    """Import the upload; all-or-nothing unless the user chose the valid rows only."""
    try:
        report = confirm_upload(
            session, user, upload_id, skip_invalid=skip_invalid, classifier=_classifier(session)
        )
    except ValidationFailed:  # ImportFailed: invalid rows; or a file that cannot be read
        return RedirectResponse(f"/import/{upload_id}?refused=1", status_code=303)
    done = {**report.as_dict(), **_match_written(session, report)}
    counts = {name: value for name, value in done.items() if isinstance(value, int)}
    request.session[DONE_KEY] = {"id": upload_id, **counts, "parts": done.get("parts", {})}
    return RedirectResponse(f"/import/{upload_id}/done", status_code=303)


def _match_written(session: DbSession, report: ImportReport) -> dict[str, int]:
    """The import's second step: match the needs it wrote, or those its offers may rank for
    (a register's offers: also those whose certificates changed)."""
    if isinstance(report, ProducerReport) and report.offer_ids:
        run = match_lines(session, offer_ids=report.offer_ids)
    elif isinstance(report, LinesReport) and (report.created or report.updated):
        run = match_import(session, report)
    else:
        return {}
    return {"matched_needs": run.needs, "matches": run.matches}


@router.get("/import/{upload_id}/done", response_class=HTMLResponse, name="import_done")
def done(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, upload_id: UploadId
) -> HTMLResponse:
    """What the import did (the counts are kept in the session of the browser that did it)."""
    upload = get_upload(session, user, upload_id)
    if upload.status != IMPORTED:
        raise Conflict(
            N_("upload %(upload_id)s (%(filename)s) was not imported"),
            params={"upload_id": upload_id, "filename": upload.filename},
        )
    kept = request.session.get(DONE_KEY) or {}
    return render(
        request,
        lang,
        "import_result.html",
        report=kept if kept.get("id") == upload_id else None,
        part_labels=PART_LABELS,
        upload=upload,
        kind_label=KIND_LABELS[upload.kind],
        list_page=LIST_PAGES[upload.kind],
    )


@router.post("/import/{upload_id}/discard", dependencies=WRITE)
def discard(session: DbSession, user: RequiredUser, upload_id: UploadId) -> RedirectResponse:
    """Forget the upload and go back to the form."""
    discard_upload(session, user, upload_id)
    return RedirectResponse("/import", status_code=303)


# ---------------------------------------------------------------- JSON API


class RowErrorOut(BaseModel):
    """A located problem of the file, worded as the CLI words it."""

    file: str
    row: int = Field(
        description="row number in the file (1 = header row, 0 = the whole file); "
        "for goszakup JSON the item number"
    )
    column: str = Field(description="the column header in the file (or the JSON key)")
    message: str

    @classmethod
    def of(cls, error: RowError) -> RowErrorOut:
        """Convert a row error."""
        return cls(file=error.file, row=error.row, column=error.column, message=error.message)


class ColumnOut(BaseModel):
    """A field of the import and the header of the file that holds it."""

    field: str
    header: str


class SampleRowOut(BaseModel):
    """A valid row as it would be imported."""

    row: int
    values: dict[str, str] = Field(description="field → value as parsed")


class UploadOut(BaseModel):
    """An uploaded file waiting for confirmation."""

    id: int
    kind: Kind
    filename: str
    status: str
    uploaded_at: datetime

    @staticmethod
    def fields_of(upload: ImportUpload) -> dict[str, object]:
        """The upload's own fields."""
        return {
            "id": upload.id,
            "kind": upload.kind,
            "filename": upload.filename,
            "status": upload.status,
            "uploaded_at": upload.created_at,
        }


class PreviewOut(UploadOut):
    """What confirming the upload would do; nothing is written by the preview."""

    rows: int
    valid_rows: int
    invalid_rows: int
    would_create: int
    would_update: int
    would_leave_unchanged: int
    organisations_to_create: int = Field(description="unknown buyers/producers named in the file")
    parts: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="registers of producers: created / updated / unchanged per kind "
        "(organisations, offers, certificates); the counts above are the offers'",
    )
    columns: list[ColumnOut]
    sample: list[SampleRowOut] = Field(description="the first valid rows")
    errors: list[RowErrorOut] = Field(description="the row errors, at most the first 1,000")
    error_count: int = Field(description="every row error found, those not listed included")

    @classmethod
    def of(cls, preview: Preview) -> PreviewOut:
        """Convert a preview."""
        return cls.model_validate(
            {
                **UploadOut.fields_of(preview.upload),
                "rows": preview.rows,
                "valid_rows": preview.valid_rows,
                "invalid_rows": preview.invalid_rows,
                "would_create": preview.created,
                "would_update": preview.updated,
                "would_leave_unchanged": preview.unchanged,
                "organisations_to_create": preview.organisations_created,
                "parts": preview.report.parts if preview.report else {},
                "columns": [{"field": f, "header": h} for f, h in preview.columns],
                "sample": [{"row": s.row, "values": s.values} for s in preview.sample],
                "errors": [RowErrorOut.of(e) for e in preview.errors],
                "error_count": preview.error_count,
            }
        )


class ConfirmIn(BaseModel):
    """How to import."""

    skip_invalid: bool = Field(False, description="import the valid rows and skip the invalid ones")


class ResultOut(BaseModel):
    """What the import did."""

    id: int
    kind: Kind
    filename: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    organisations_created: int
    parts: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="registers of producers: created / updated / unchanged per kind",
    )
    errors: list[RowErrorOut] = Field(description="the rows skipped and why")
    matched_needs: int = Field(
        0, description="needs matched (needs imports) or matched again (offers imports)"
    )

    @classmethod
    def of(cls, upload: ImportUpload, report: ImportReport, matched: int = 0) -> ResultOut:
        """Convert an import report."""
        return cls.model_validate(
            {
                "id": upload.id,
                "kind": upload.kind,
                "filename": upload.filename,
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "skipped": report.skipped,
                "organisations_created": report.organisations_created,
                "parts": report.parts,
                "errors": [RowErrorOut.of(e) for e in report.errors],
                "matched_needs": matched,
            }
        )


@api_router.get("/imports")
def api_uploads(session: DbSession, user: RequiredUser) -> list[UploadOut]:
    """Your uploads waiting for confirmation, newest first."""
    return [
        UploadOut.model_validate(UploadOut.fields_of(u)) for u in pending_uploads(session, user)
    ]


@api_router.post("/imports", status_code=201, dependencies=WRITE)
def api_upload(
    session: DbSession,
    user: RequiredUser,
    kind: Annotated[Kind, Form()],
    file: Annotated[UploadFile, File(description="CSV or XLSX; needs also goszakup plan JSON")],
) -> PreviewOut:
    """Upload a file and get its preview; nothing is imported until it is confirmed."""
    stored = store_upload(session, user, kind, file.filename or "", _read_limited(file))
    return PreviewOut.of(preview_upload(session, user, stored.id, _classifier(session)))


@api_router.get("/imports/{upload_id}")
def api_preview(session: DbSession, user: RequiredUser, upload_id: UploadId) -> PreviewOut:
    """The preview of one of your uploads."""
    return PreviewOut.of(preview_upload(session, user, upload_id, _classifier(session)))


@api_router.post("/imports/{upload_id}/confirm", dependencies=WRITE)
def api_confirm(
    session: DbSession, user: RequiredUser, upload_id: UploadId, body: ConfirmIn | None = None
) -> ResultOut:
    """Import the upload: all-or-nothing (422 listing the row errors) unless skip_invalid."""
    options = body or ConfirmIn()
    report = confirm_upload(
        session,
        user,
        upload_id,
        skip_invalid=options.skip_invalid,
        classifier=_classifier(session),
    )
    matched = _match_written(session, report).get("matched_needs", 0)
    return ResultOut.of(get_upload(session, user, upload_id), report, matched)


@api_router.delete("/imports/{upload_id}", status_code=204, dependencies=WRITE)
def api_discard(session: DbSession, user: RequiredUser, upload_id: UploadId) -> Response:
    """Discard an upload that was not imported."""
    discard_upload(session, user, upload_id)
    return Response(status_code=204)

"""JSON routes of imports: upload a file and get its preview, list, confirm, discard."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Response, UploadFile
from pydantic import BaseModel, Field

from seriktes.http.auth import RequiredUser, require_user, verify_csrf
from seriktes.http.deps import DbSession
from seriktes.imports.models import ImportUpload
from seriktes.imports.uploads import (
    Preview,
    cached_classifier,
    confirm_upload,
    discard_upload,
    get_upload,
    match_written,
    pending_uploads,
    preview_upload,
    read_limited,
    store_upload,
)
from seriktes.kit.db import MAX_ID
from seriktes.kit.importing import ImportReport, RowError

router = APIRouter(prefix="/api/v1", tags=["imports"])

WRITE = [Depends(require_user), Depends(verify_csrf)]
Kind = Literal["orgs", "needs", "offers", "producers"]
UploadId = Annotated[int, Path(ge=1, le=MAX_ID)]


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


@router.get("/imports")
def api_uploads(session: DbSession, user: RequiredUser) -> list[UploadOut]:
    """Your uploads waiting for confirmation, newest first."""
    return [
        UploadOut.model_validate(UploadOut.fields_of(u)) for u in pending_uploads(session, user)
    ]


@router.post("/imports", status_code=201, dependencies=WRITE)
def api_upload(
    session: DbSession,
    user: RequiredUser,
    kind: Annotated[Kind, Form()],
    file: Annotated[UploadFile, File(description="CSV or XLSX; needs also goszakup plan JSON")],
    own_lines_only: Annotated[
        bool,
        Form(
            description="A member's whole-portal file: import the lines of the member's "
            "organisation only, the others skipped and counted"
        ),
    ] = False,
) -> PreviewOut:
    """Upload a file and get its preview; nothing is imported until it is confirmed."""
    content = read_limited(file.file)
    name = file.filename or ""
    stored = store_upload(session, user, kind, name, content, own_lines_only=own_lines_only)
    return PreviewOut.of(preview_upload(session, user, stored.id, cached_classifier(session)))


@router.get("/imports/{upload_id}")
def api_preview(session: DbSession, user: RequiredUser, upload_id: UploadId) -> PreviewOut:
    """The preview of one of your uploads."""
    return PreviewOut.of(preview_upload(session, user, upload_id, cached_classifier(session)))


@router.post("/imports/{upload_id}/confirm", dependencies=WRITE)
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
        classifier=cached_classifier(session),
    )
    matched = match_written(session, report).get("matched_needs", 0)
    return ResultOut.of(get_upload(session, user, upload_id), report, matched)


@router.delete("/imports/{upload_id}", status_code=204, dependencies=WRITE)
def api_discard(session: DbSession, user: RequiredUser, upload_id: UploadId) -> Response:
    """Discard an upload that was not imported."""
    discard_upload(session, user, upload_id)
    return Response(status_code=204)

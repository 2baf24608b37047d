"""Import upload: preview, row errors, confirm (HTML pages; the JSON routes are
`imports.api`)."""

from __future__ import annotations

import csv
import io
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.accounts.models import Role, User
from seriktes.http.auth import RequiredUser, require_user, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.imports.kinds import KINDS
from seriktes.imports.policy import importable_kinds
from seriktes.imports.uploads import (
    IMPORTED,
    MAX_UPLOAD_BYTES,
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
from seriktes.kit.errors import Conflict, SeriktesError, ValidationFailed
from seriktes.kit.exports import csv_row
from seriktes.kit.i18n import N_
from seriktes.web.templating import render

router = APIRouter(include_in_schema=False)  # pages; the JSON routes are imports.api

WRITE = [Depends(require_user), Depends(verify_csrf)]
KIND_LABELS = {key: kind.label for key, kind in KINDS.items()}
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
UploadId = Annotated[int, Path(ge=1, le=MAX_ID)]


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
        required={k: [c.aliases[0] for c in KINDS[k].columns if c.required] for k in kinds},
        extensions={k: ", ".join(KINDS[k].extensions) for k in kinds},
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        uploads=pending_uploads(session, user),
        kind_labels=KIND_LABELS,
        error=error,
        organisation=user.organisation,
        can_sync=user.role in (Role.ADMIN, Role.COORDINATOR),
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
    own_lines_only: Annotated[bool, Form()] = False,
) -> HTMLResponse | RedirectResponse:
    """Keep the uploaded file and show its preview (or the form again with the reason)."""
    try:
        stored = store_upload(
            session,
            user,
            kind,
            file.filename or "",
            read_limited(file.file),
            replaces,
            own_lines_only,
        )
        # made now and kept with the upload: the preview page (a GET) only reads it
        preview_upload(session, user, stored.id, cached_classifier(session))
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
    preview = preview_upload(session, user, upload_id, cached_classifier(session))
    kind = preview.upload.kind
    return render(
        request,
        lang,
        "import_preview.html",
        preview=preview,
        part_labels=PART_LABELS,
        kind_label=KIND_LABELS[kind],
        extensions=", ".join(KINDS[kind].extensions),
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
    preview = preview_upload(session, user, upload_id, cached_classifier(session))
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
            session,
            user,
            upload_id,
            skip_invalid=skip_invalid,
            classifier=cached_classifier(session),
        )
    except ValidationFailed:  # ImportFailed: invalid rows; or a file that cannot be read
        return RedirectResponse(f"/import/{upload_id}?refused=1", status_code=303)
    done = {**report.as_dict(), **match_written(session, report)}
    counts = {name: value for name, value in done.items() if isinstance(value, int)}
    request.session[DONE_KEY] = {"id": upload_id, **counts, "parts": done.get("parts", {})}
    return RedirectResponse(f"/import/{upload_id}/done", status_code=303)


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
        list_page=KINDS[upload.kind].list_page,
    )


@router.post("/import/{upload_id}/discard", dependencies=WRITE)
def discard(session: DbSession, user: RequiredUser, upload_id: UploadId) -> RedirectResponse:
    """Forget the upload and go back to the form."""
    discard_upload(session, user, upload_id)
    return RedirectResponse("/import", status_code=303)

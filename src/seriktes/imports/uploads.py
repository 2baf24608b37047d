"""Imports through the web: keep an uploaded file, preview it, confirm or discard it.

The preview runs the parser of the upload's kind (`imports.kinds`, the CLI's), checks the
user's row scope (`imports.scope`), then its writer inside a savepoint that is always
rolled back, so it shows every row error and the counts that confirming would give without
writing anything. The preview and the checked rows are kept with the upload
(`imports.previews`): confirming writes the kept rows while the data they were checked
against is unchanged, and parses the file again otherwise. Who may import what is
`imports.policy`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import PurePosixPath
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, defer

from seriktes.accounts.models import User
from seriktes.catalog.importer import LinesReport
from seriktes.catalog.producers import ProducerReport
from seriktes.imports.kinds import KINDS, ClassifierSource, Parsed, WriteOptions, own_lines
from seriktes.imports.models import ImportUpload
from seriktes.imports.policy import check_may_import, may_see_upload
from seriktes.imports.previews import (
    Preview,
    SampleRow,
    dump_rows,
    forget,
    keep,
    kept_preview,
    kept_rows,
    preview_key,
)
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, NotFound, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import ImportFailed, ImportReport, ParsedRows, RowError, error_total
from seriktes.kit.tabular import UPLOAD_LIMITS, Source, reading_limits
from seriktes.notifications.kinds import Kind
from seriktes.notifications.service import notify
from seriktes.registry.models import Region

__all__ = ["ClassifierSource", "Preview", "SampleRow"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SAMPLE_ROWS = 20
PENDING = "uploaded"
IMPORTED = "imported"
DISCARDED = "discarded"


def read_limited(stream: BinaryIO) -> bytes:
    """At most one byte more than the limit: enough to refuse a file that is too large."""
    return stream.read(MAX_UPLOAD_BYTES + 1)


def clean_filename(name: str) -> str:
    """The base name of an uploaded file, without folders or unprintable characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    if not base:
        raise ValidationFailed(N_("the uploaded file has no name"))
    if len(base) > 200:
        suffix = PurePosixPath(base).suffix[:10]
        base = base[: 200 - len(suffix)] + suffix
    return base


def store_upload(
    session: Session,
    user: User,
    kind: str,
    filename: str,
    content: bytes,
    replaces: int | None = None,
    own_lines_only: bool = False,
) -> ImportUpload:
    """Keep an uploaded file until its preview is confirmed; `replaces` discards an older one;
    `own_lines_only`: a member imports the lines of their organisation only."""
    check_may_import(user, kind)
    name = clean_filename(filename)
    suffix = PurePosixPath(name).suffix.lower()
    extensions = KINDS[kind].extensions
    if suffix not in extensions:
        allowed = ", ".join(extensions)
        raise ValidationFailed(
            N_("%(name)s: unsupported file type %(value)s; use %(allowed)s"),
            params={"name": name, "value": suffix or "(none)", "allowed": allowed},
        )
    if len(content) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationFailed(
            N_(
                "%(name)s: the file is larger than %(limit)s MB; split it or import it with the CLI"
            ),
            params={"name": name, "limit": limit},
        )
    if not content.strip():
        raise ValidationFailed(N_("%(name)s: the file is empty"), params={"name": name})
    if replaces is not None:
        discard_upload(session, user, replaces)
    upload = ImportUpload(
        user_id=user.id,
        kind=kind,
        filename=name,
        content=content,
        status=PENDING,
        own_lines_only=own_lines_only and user.organisation is not None,
    )
    session.add(upload)
    session.flush()
    return upload


def get_upload(session: Session, user: User, upload_id: int) -> ImportUpload:
    """The upload if `user` uploaded it (or is an administrator); NotFound otherwise."""
    upload = get_by_id(session, ImportUpload, upload_id)
    if upload is None or not may_see_upload(user, upload):
        raise NotFound(N_("no import upload %(upload_id)s"), params={"upload_id": upload_id})
    return upload


def _pending(session: Session, user: User, upload_id: int) -> ImportUpload:
    upload = get_upload(session, user, upload_id)
    if upload.status != PENDING:
        done = upload.status == IMPORTED
        already = (
            N_("upload %(upload_id)s (%(filename)s) was already imported")
            if done
            else N_("upload %(upload_id)s (%(filename)s) was already discarded")
        )
        raise Conflict(already, params={"upload_id": upload_id, "filename": upload.filename})
    return upload


def pending_uploads(session: Session, user: User, limit: int = 20) -> list[ImportUpload]:
    """The user's uploads waiting for confirmation, newest first (contents not loaded)."""
    query = (
        select(ImportUpload)
        .options(defer(ImportUpload.content))
        .where(ImportUpload.user_id == user.id, ImportUpload.status == PENDING)
        .order_by(ImportUpload.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def discard_upload(session: Session, user: User, upload_id: int) -> None:
    """Forget the file of an upload that was not imported (the row stays: ids are not reused)."""
    upload = _pending(session, user, upload_id)
    upload.status = DISCARDED
    upload.content = b""
    forget(upload)
    session.flush()


def preview_upload(
    session: Session, user: User, upload_id: int, classifier: ClassifierSource | None = None
) -> Preview:
    """Parse the upload and dry-run its import (rolled back): rows, sample, errors, counts.

    The preview is kept with the upload and given again while the user and the data it
    would change stay the same: a large file is parsed once, not on every page."""
    upload = _pending(session, user, upload_id)
    check_may_import(user, upload.kind)
    key = preview_key(session, user)
    kept = kept_preview(upload, key)
    if kept is not None:
        return kept
    preview, rows = _dry_run(session, user, upload, classifier)
    keep(upload, key, preview, rows)
    session.flush()
    return preview


def _dry_run(
    session: Session, user: User, upload: ImportUpload, classifier: ClassifierSource | None
) -> tuple[Preview, bytes | None]:
    """The preview, and the checked rows as they were before the rolled-back write (the
    writer's own checks add their errors to the rows it is given)."""
    savepoint = session.begin_nested()
    try:
        parsed = _checked(session, user, upload)
        kept = dump_rows(parsed)
        report = _write(session, upload, parsed, WriteOptions(True, classifier, user))
    except ValidationFailed as exc:
        return Preview(upload, errors=_file_errors(upload.filename, exc)), None
    finally:
        savepoint.rollback()
    rows = parsed.rows
    valid = rows.valid_rows()
    sample = [SampleRow(row, _display_values(values)) for row, values in valid[:SAMPLE_ROWS]]
    preview = Preview(
        upload,
        rows=len(rows.rows),
        valid_rows=len(valid),
        columns=_columns(rows, sample),
        sample=sample,
        errors=list(rows.errors),
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        organisations_created=report.organisations_created,
        report=replace(report, errors=[]),
        error_count=error_total(rows.errors),
        invalid_rows=len(rows.bad_rows()),
    )
    return preview, kept


def confirm_upload(
    session: Session,
    user: User,
    upload_id: int,
    *,
    skip_invalid: bool = False,
    classifier: ClassifierSource | None = None,
) -> ImportReport:
    """Import the upload for real; all-or-nothing unless `skip_invalid`.

    The rows its preview checked are written when the user and the data are those the
    preview was made for; otherwise the file is parsed and checked again."""
    upload = _pending(session, user, upload_id)
    check_may_import(user, upload.kind)
    options = WriteOptions(skip_invalid, classifier, user)
    try:
        with session.begin_nested():
            parsed = _kept_rows(session, user, upload) or _checked(session, user, upload)
            report = _write(session, upload, parsed, options)
    except ImportFailed as exc:
        rows = len({item.loc[1] for item in exc.errors if len(item.loc) > 1})
        raise ImportFailed(
            N_(
                "%(filename)s: %(rows)s invalid row(s), nothing was imported; fix the file "
                "and upload it again, or import the valid rows only"
            ),
            exc.errors,
            {"filename": upload.filename, "rows": rows},
        ) from None
    upload.status = IMPORTED
    upload.content = b""
    forget(upload)
    session.flush()
    notify_import(session, user, upload, report)
    return report


def notify_import(session: Session, user: User, upload: ImportUpload, report: ImportReport) -> None:
    """Tell the uploader that the import finished, with its counts."""
    params = {
        "filename": upload.filename,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    link = f"/import/{upload.id}/done"
    notify(session, Kind.IMPORT_DONE, [user], params, link, f"import.{upload.id}.done")


def _kept_rows(session: Session, user: User, upload: ImportUpload) -> Parsed | None:
    """The rows the upload's kept preview checked, if it was made for this user and data."""
    if kept_preview(upload, preview_key(session, user)) is None:
        return None
    return kept_rows(session, upload)


def _checked(session: Session, user: User, upload: ImportUpload) -> Parsed:
    """Parse the upload (what the CLI does) and check the user's scope row by row, within
    the limits of an upload."""
    kind = KINDS[upload.kind]
    with reading_limits(UPLOAD_LIMITS), _refused_values(upload.filename):
        parsed = kind.parse(session, Source(upload.filename, upload.content), None)
        own = user.organisation.bin if user.organisation is not None else None
        if upload.own_lines_only and own:
            parsed.skipped_others = own_lines(upload.kind, parsed, own)
        if kind.scope is not None:
            kind.scope(session, user, parsed)
    return parsed


def _write(
    session: Session, upload: ImportUpload, parsed: Parsed, options: WriteOptions
) -> ImportReport:
    """Write the checked rows (the writer holds the import lock)."""
    with reading_limits(UPLOAD_LIMITS), _refused_values(upload.filename):
        return KINDS[upload.kind].write(session, parsed, options)


@contextmanager
def _refused_values(filename: str) -> Iterator[None]:
    """A value the parsers let through but its column cannot hold, as a ValidationFailed."""
    try:
        yield
    except DataError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else "invalid value"
        raise ValidationFailed(
            N_("%(name)s: the database refused a value (%(reason)s)"),
            params={"name": filename, "reason": reason},
        ) from None


def match_written(session: Session, report: ImportReport) -> dict[str, int]:
    """The import's second step: match the needs it wrote, or those its offers may rank for
    (a register's offers: also those whose certificates changed)."""
    from seriktes.matches.incremental import match_import, match_lines

    if isinstance(report, ProducerReport) and report.offer_ids:
        run = match_lines(session, offer_ids=report.offer_ids)
    elif isinstance(report, LinesReport) and (report.created or report.updated):
        run = match_import(session, report)
    else:
        return {}
    return {"matched_needs": run.needs, "matches": run.matches}


def cached_classifier(session: Session) -> ClassifierSource:
    """The process's KP VED classifier as text → class, built only if a register asks."""
    from seriktes.catalog.producers import Classify

    def source() -> Classify | None:
        from seriktes.matches.cache import cached_classifier as cached
        from seriktes.matches.classify import product_classifier

        classifier = cached(session)
        return None if classifier is None else product_classifier(classifier)

    return source


def _file_errors(filename: str, exc: ValidationFailed) -> list[RowError]:
    """A file that cannot be read at all, as located errors (row 0 = the whole file)."""
    located = [
        RowError.of(
            str(item.loc[0]), int(item.loc[1]), str(item.loc[2]), item.template, item.params
        )
        for item in exc.errors
        if len(item.loc) == 3 and isinstance(item.loc[1], int)
    ]
    return located or [RowError.of(filename, 0, "", exc.template, exc.params)]


def display_value(value: object) -> str:
    """A parsed cell as text for the preview table."""
    if isinstance(value, list | tuple):
        return "; ".join(display_value(item) for item in value if item is not None)
    if isinstance(value, Region):
        return value.name_ru
    if isinstance(value, Enum):
        value = value.value
    elif isinstance(value, Decimal):
        value = format(value, "f")
    elif isinstance(value, date):
        value = value.isoformat()
    return "" if value is None else str(value)


def _display_values(values: dict[str, object]) -> dict[str, str]:
    return {name: display_value(value) for name, value in values.items()}


def _columns(parsed: ParsedRows, sample: list[SampleRow]) -> list[tuple[str, str]]:
    """The fields to show: those with a value in some sample row, in the file's order."""
    names = dict.fromkeys(name for row in sample for name, value in row.values.items() if value)
    return [(name, parsed.header.get(name, name)) for name in names]

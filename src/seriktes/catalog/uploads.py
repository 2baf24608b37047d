"""Imports through the web: keep an uploaded file, preview it, confirm or discard it.

The preview runs the same parsers as the CLI and then the real import inside a savepoint
that is always rolled back, so it shows every row error and the counts that confirming
would give without writing anything. Who may import what:

- organisations: administrators, and coordinators for organisations of their region;
- needs and offers: administrators, coordinators for organisations of their region,
  members for their own organisation only;
- registers of producers: administrators, and coordinators for producers of their region.

A row outside the user's scope is a located error like any other: it refuses the whole
file unless the user imports the valid rows only.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path, PurePosixPath

from sqlalchemy import insert, select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, defer

from seriktes.accounts.models import ImportUpload, Role, User
from seriktes.accounts.policy import can_create_for, can_edit_organisation, is_admin
from seriktes.catalog.goszakup import parse_plan_json
from seriktes.catalog.importer import NEEDS, OFFERS, LineKind, import_lines, parse_lines
from seriktes.catalog.previews import Kept, detached, preview_key
from seriktes.catalog.producers import Classify
from seriktes.catalog.producers.scope import import_register, may_import_registers
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, Forbidden, Message, NotFound, Params, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import ImportFailed, ImportReport, ParsedRows, RowError, error_total
from seriktes.kit.locks import hold_import_lock
from seriktes.kit.tabular import UPLOAD_LIMITS, reading_limits
from seriktes.registry.importer import ORG_FIELDS, parse_organisations
from seriktes.registry.models import Organisation, Region
from seriktes.registry.repository import organisations_by_bin
from seriktes.registry.service import guess_region_kato

KINDS = ("orgs", "needs", "offers", "producers")
EXTENSIONS = {
    "orgs": (".csv", ".xlsx"),
    "needs": (".csv", ".xlsx", ".json"),
    "offers": (".csv", ".xlsx"),
    "producers": (".csv", ".xlsx"),
}
# the classifier that derives missing KP VED classes, asked for only when a register needs it
ClassifierSource = Callable[[], Classify | None]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SAMPLE_ROWS = 20
PENDING = "uploaded"
IMPORTED = "imported"
DISCARDED = "discarded"


@dataclass(frozen=True)
class SampleRow:
    """A valid row of the file as it would be imported: field → displayed value."""

    row: int
    values: dict[str, str]


@dataclass
class Preview:
    """What confirming an upload would do."""

    upload: ImportUpload
    rows: int = 0
    valid_rows: int = 0
    columns: list[tuple[str, str]] = field(default_factory=list)  # field, header in the file
    sample: list[SampleRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    report: ImportReport | None = None  # the dry run's report (per-kind counts, classes)
    # every error found and every row with one (`errors` keeps the first UPLOAD_LIMITS.errors)
    error_count: int = 0
    invalid_rows: int = 0

    def __post_init__(self) -> None:
        self.error_count = max(self.error_count, len(self.errors))
        self.invalid_rows = max(self.invalid_rows, len({error.row for error in self.errors}))

    @property
    def more_errors(self) -> int:
        """Errors found but not listed."""
        return self.error_count - len(self.errors)


# previews already made, so that a page shown again does not parse the file again
previews: Kept[Preview] = Kept()


def may_import(user: User, kind: str) -> bool:
    """May `user` import files of `kind` at all (row scope is checked per row)?"""
    if not user.is_active or kind not in KINDS:
        return False
    if kind == "producers":
        return may_import_registers(user)
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.COORDINATOR:
        return user.region_id is not None
    return kind != "orgs" and user.organisation_id is not None


def importable_kinds(user: User) -> list[str]:
    """The kinds of file `user` may import, in form order."""
    return [kind for kind in KINDS if may_import(user, kind)]


def _check_may_import(user: User, kind: str) -> None:
    if kind not in KINDS:
        raise ValidationFailed(
            N_("unknown import kind %(kind)s; use orgs, needs, offers or producers"),
            params={"kind": repr(kind)},
        )
    if not may_import(user, kind):
        if kind in ("orgs", "producers"):
            what = Message(N_("organisations") if kind == "orgs" else N_("registers of producers"))
            raise Forbidden(
                N_("only administrators and regional coordinators import %(what)s"),
                params={"what": what},
            )
        raise Forbidden(N_("your account may not import needs or offers"))


def clean_filename(name: str) -> str:
    """The base name of an uploaded file, safe to write in a temporary folder."""
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
) -> ImportUpload:
    """Keep an uploaded file until its preview is confirmed; `replaces` discards an older one."""
    _check_may_import(user, kind)
    name = clean_filename(filename)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in EXTENSIONS[kind]:
        allowed = ", ".join(EXTENSIONS[kind])
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
        user_id=user.id, kind=kind, filename=name, content=content, status=PENDING
    )
    session.add(upload)
    session.flush()
    return upload


def get_upload(session: Session, user: User, upload_id: int) -> ImportUpload:
    """The upload if `user` uploaded it (or is an administrator); NotFound otherwise."""
    upload = get_by_id(session, ImportUpload, upload_id)
    if upload is None or (upload.user_id != user.id and not is_admin(user)):
        raise NotFound(N_("no import upload %(upload_id)s"), params={"upload_id": upload_id})
    return upload


def _pending(session: Session, user: User, upload_id: int) -> ImportUpload:
    upload = get_upload(session, user, upload_id)
    if upload.status != PENDING:
        raise Conflict(
            N_("upload %(upload_id)s (%(filename)s) was already %(status)s"),
            params={"upload_id": upload_id, "filename": upload.filename, "status": upload.status},
        )
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
    session.flush()


def preview_upload(
    session: Session, user: User, upload_id: int, classifier: ClassifierSource | None = None
) -> Preview:
    """Parse the upload and dry-run its import (rolled back): rows, sample, errors, counts.

    The preview is kept (`previews`) and given again while the upload, the user and the
    data it would change stay the same: a large file is parsed once, not on every page."""
    upload = _pending(session, user, upload_id)
    _check_may_import(user, upload.kind)
    key = preview_key(session, user, upload)
    kept = previews.get(key)
    if kept is not None:
        return replace(kept, upload=upload)
    preview = _dry_run(session, user, upload, classifier)
    previews.put(key, replace(preview, upload=detached(upload)))
    return preview


def _dry_run(
    session: Session, user: User, upload: ImportUpload, classifier: ClassifierSource | None
) -> Preview:
    with _saved_file(upload) as path:
        savepoint = session.begin_nested()
        try:
            parsed, report = _import(session, user, upload.kind, path, True, classifier)
        except ValidationFailed as exc:
            return Preview(upload, errors=_file_errors(upload.filename, exc))
        finally:
            savepoint.rollback()
    valid = parsed.valid_rows()
    sample = [SampleRow(row, _display_values(values)) for row, values in valid[:SAMPLE_ROWS]]
    return Preview(
        upload,
        rows=len(parsed.rows),
        valid_rows=len(valid),
        columns=_columns(parsed, sample),
        sample=sample,
        errors=list(parsed.errors),
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        organisations_created=report.organisations_created,
        report=replace(report, errors=[]),
        error_count=error_total(parsed.errors),
        invalid_rows=len(parsed.bad_rows()),
    )


def confirm_upload(
    session: Session,
    user: User,
    upload_id: int,
    *,
    skip_invalid: bool = False,
    classifier: ClassifierSource | None = None,
) -> ImportReport:
    """Import the upload for real; all-or-nothing unless `skip_invalid`."""
    upload = _pending(session, user, upload_id)
    _check_may_import(user, upload.kind)
    try:
        with _saved_file(upload) as path, session.begin_nested():
            _parsed, report = _import(session, user, upload.kind, path, skip_invalid, classifier)
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
    session.flush()
    return report


@contextmanager
def _saved_file(upload: ImportUpload) -> Iterator[Path]:
    """The upload's bytes in a temporary file with the original name (parsers read paths)."""
    with tempfile.TemporaryDirectory(prefix="seriktes-import-") as folder:
        path = Path(folder) / upload.filename
        path.write_bytes(upload.content)
        yield path


def _import(
    session: Session,
    user: User,
    kind: str,
    path: Path,
    skip_invalid: bool,
    classifier: ClassifierSource | None,
) -> tuple[ParsedRows, ImportReport]:
    """Parse, check the user's scope row by row, and import (what the CLI does, plus scope),
    within the limits of an upload; the writing steps hold the import lock."""
    try:
        with reading_limits(UPLOAD_LIMITS):
            if kind == "producers":
                classify = classifier() if classifier else None
                checked, report = import_register(session, user, path, skip_invalid, classify)
                return checked.parsed, report
            return _parse_and_write(session, user, kind, path, skip_invalid)
    except DataError as exc:  # a value the parsers let through but the column cannot hold
        reason = str(exc.orig).splitlines()[0] if exc.orig else "invalid value"
        raise ValidationFailed(
            N_("%(name)s: the database refused a value (%(reason)s)"),
            params={"name": path.name, "reason": reason},
        ) from None


def _parse_and_write(
    session: Session, user: User, kind: str, path: Path, skip_invalid: bool
) -> tuple[ParsedRows, ImportReport]:
    if kind == "orgs":
        parsed = parse_organisations(session, path)
        _check_organisation_scope(session, user, parsed)
        return parsed, _write_organisations(session, parsed, skip_invalid)
    line_kind = NEEDS if kind == "needs" else OFFERS
    suffix = path.suffix.lower()
    if suffix == ".json":
        parsed, source = parse_plan_json(session, path), "goszakup"
    else:
        parsed, source = parse_lines(session, line_kind, path), suffix.lstrip(".")
    _check_line_scope(session, user, line_kind, parsed)
    report = import_lines(session, line_kind, parsed, skip_invalid=skip_invalid, source=source)
    return parsed, report


def _write_organisations(session: Session, parsed: ParsedRows, skip_invalid: bool) -> ImportReport:
    """Upsert parsed organisations by BIN.

    The write half of `registry.importer.import_organisations`, which parses its file
    itself and so cannot leave out the rows outside a coordinator's region.
    """
    report = ImportReport("organisations", parsed.file, rows=len(parsed.rows), errors=parsed.errors)
    if parsed.errors and not skip_invalid:
        raise ImportFailed.from_errors(parsed.file, parsed.errors)
    hold_import_lock(session)
    records: dict[str, dict[str, object]] = {}
    for _row, values in parsed.valid_rows():
        record = {k: v for k, v in values.items() if k not in ("bin", "region")}
        record["region_id"] = getattr(values.get("region"), "id", None)
        records[str(values["bin"])] = record
    existing = organisations_by_bin(session, records)
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


def _same_oblast(region: Region | None, user: User) -> bool:
    return (
        region is not None and user.region is not None and region.kato[:2] == user.region.kato[:2]
    )


def _out_of_scope(user: User, bin_value: str) -> tuple[str, Params]:
    if user.role is Role.MEMBER and user.organisation is not None:
        only = N_("you may import only the rows of your organisation (BIN %(bin)s)")
        return only, {"bin": user.organisation.bin}
    region = user.region.name_ru if user.region else "?"
    elsewhere = N_("the organisation with BIN %(bin)s is not in your region (%(region)s)")
    return elsewhere, {"bin": bin_value, "region": region}


def _check_line_scope(session: Session, user: User, kind: LineKind, parsed: ParsedRows) -> None:
    """Flag rows whose buyer or producer the user may not add lines for."""
    if is_admin(user):
        return
    bin_field, name_field = f"{kind.party}_bin", f"{kind.party}_name"
    known = organisations_by_bin(
        session, {str(v[bin_field]) for _r, v in parsed.rows if v.get(bin_field)}
    )
    for row_no, values in parsed.rows:
        bin_value = values.get(bin_field)
        if not bin_value:
            continue
        org = known.get(str(bin_value))
        if org is not None:
            allowed = can_create_for(user, org)
        else:  # a new party: only a coordinator, and only when its name places it in the region
            kato = guess_region_kato(str(values.get(name_field) or ""))
            allowed = user.role is Role.COORDINATOR and _kato_in_region(kato, user)
        if not allowed:
            parsed.error(row_no, bin_field, *_out_of_scope(user, str(bin_value)))


def _kato_in_region(kato: str | None, user: User) -> bool:
    return bool(kato) and user.region is not None and str(kato)[:2] == user.region.kato[:2]


def _check_organisation_scope(session: Session, user: User, parsed: ParsedRows) -> None:
    """Coordinators import organisations of their region only (existing and new)."""
    if is_admin(user):
        return
    known = organisations_by_bin(session, {str(v["bin"]) for _r, v in parsed.rows if v.get("bin")})
    for row_no, values in parsed.rows:
        bin_value = values.get("bin")
        if not bin_value:
            continue
        org = known.get(str(bin_value))
        region = values.get("region")
        if org is not None and not can_edit_organisation(user, org):
            parsed.error(row_no, "bin", *_out_of_scope(user, str(bin_value)))
        elif (org is None or region is not None) and not _same_oblast(
            region if isinstance(region, Region) else None, user
        ):
            name = user.region.name_ru if user.region else "?"
            parsed.error(
                row_no,
                "region",
                N_("you may import organisations of %(name)s only"),
                {"name": name},
            )


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

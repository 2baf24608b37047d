"""Previews of uploads, kept with the upload (`ImportUpload.preview`) so that a file is
parsed and dry-run once, not on every page that shows its preview (the preview, its errors
CSV, the API) nor again when it is confirmed, in whichever server process serves them.

A kept preview holds what the preview showed and the checked rows that confirming writes.
It is given again only for the same user (row scope differs between users) and the same
data: the counts of needs, offers, organisations and certificates and the last time one
changed, which any import, edit or deletion moves. Otherwise the file is parsed again.

The kept rows are pickled; the regions their values name are kept as their ids and read
again from the database, never pickled.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.catalog.models import Certificate, Need, Offer
from seriktes.imports.kinds import Parsed
from seriktes.imports.models import ImportUpload
from seriktes.kit.importing import ImportReport, RowError
from seriktes.registry.models import Organisation, Region


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


def preview_key(session: Session, user: User) -> str:
    """What a preview of an upload depends on besides the upload: the user and the data."""
    parts = (user.id, str(user.role), data_version(session))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def data_version(session: Session) -> tuple[object, ...]:
    """Counts and last changes of the tables an import reads and writes."""
    version: list[object] = []
    for model in (Need, Offer, Organisation, Certificate):
        row = session.execute(select(func.count(model.id), func.max(model.updated_at))).one()
        version.extend(row)
    return tuple(version)


# the globals of plain values a kept preview may name
PLAIN_VALUES = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
    ("decimal", "Decimal"),
}


class _Pickler(pickle.Pickler):
    """Keeps a region as its id (`persistent_id`), the rest as pickle does."""

    def persistent_id(self, obj: Any) -> Any:
        """A region's id; None for every other object."""
        return ("region", obj.id) if isinstance(obj, Region) else None


class _Unpickler(pickle.Unpickler):
    """Reads kept regions again through the session, and only the classes kept values are
    made of (ours, and plain values), never any other global."""

    def __init__(self, data: bytes, session: Session | None = None) -> None:
        super().__init__(io.BytesIO(data))
        self.session = session

    def find_class(self, module: str, name: str) -> Any:
        """A class of ours or of plain values; an UnpicklingError for any other."""
        if module.startswith("seriktes.") or (module, name) in PLAIN_VALUES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not kept in a preview")

    def persistent_load(self, pid: Any) -> Any:
        """The region a kept id names."""
        kind, region_id = pid
        if kind != "region" or self.session is None:
            raise pickle.UnpicklingError(f"unknown kept object {kind!r}")
        return self.session.get(Region, region_id)


def keep(upload: ImportUpload, key: str, preview: Preview, rows: bytes | None) -> None:
    """Keep `preview` with the upload, made for `key`, and the checked rows that confirming
    writes (`dump_rows`; None: the file could not be read)."""
    shown = replace(preview, upload=None)  # type: ignore[arg-type]  # kept by the upload
    upload.preview = pickle.dumps((key, shown), protocol=pickle.HIGHEST_PROTOCOL)
    upload.checked = rows


def forget(upload: ImportUpload) -> None:
    """Drop the upload's kept preview and rows (it was imported or discarded)."""
    upload.preview = upload.checked = None


def kept_preview(upload: ImportUpload, key: str) -> Preview | None:
    """The preview kept with the upload when it was made for `key`; None otherwise."""
    if not upload.preview:
        return None
    kept_key, preview = _Unpickler(upload.preview).load()
    if kept_key != key or not isinstance(preview, Preview):
        return None
    return replace(preview, upload=upload)


def kept_rows(session: Session, upload: ImportUpload) -> Parsed | None:
    """The checked rows kept with the upload's preview (None when there are none)."""
    if not upload.checked:
        return None
    parsed = _Unpickler(upload.checked, session).load()
    return parsed if isinstance(parsed, Parsed) else None


def dump_rows(parsed: Parsed) -> bytes:
    """Checked rows as kept: pickled, the regions they name as their ids."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parsed)
    return buffer.getvalue()

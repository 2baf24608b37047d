"""Reading tabular files (CSV in UTF-8 or CP1251 with `,` or `;`, and XLSX) row by row,
within limits on rows, cells and unpacked size that are checked while the file is read.

Readers take a `Source`: a file's name and its bytes (an upload, or a file the CLI read);
`open_table` is the short way for a path."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath

from seriktes.kit.errors import NO_PARAMS, ErrorItem, Params, ValidationFailed
from seriktes.kit.i18n import N_

Cell = str | int | float | date | datetime | time | timedelta | None
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of a file a reader takes before it refuses it (None: no bound)."""

    rows: int | None = None
    cells: int | None = None
    unpacked_bytes: int | None = None  # XLSX: the uncompressed size its zip directory states
    errors: int | None = None  # row errors kept; the rest are counted


# the CLI: large files are its job, but never a workbook that unpacks to gigabytes
FILE_LIMITS = Limits(rows=2_000_000, unpacked_bytes=2048 * MB)
# a web upload: its preview stays well under 1 GB of memory
UPLOAD_LIMITS = Limits(rows=200_000, cells=4_000_000, unpacked_bytes=200 * MB, errors=1_000)
_limits: ContextVar[Limits] = ContextVar("reading_limits", default=FILE_LIMITS)


@contextmanager
def reading_limits(limits: Limits) -> Iterator[Limits]:
    """Read every file opened inside the block within `limits`."""
    token = _limits.set(limits)
    try:
        yield limits
    finally:
        _limits.reset(token)


def current_limits() -> Limits:
    """The limits files are read within here."""
    return _limits.get()


@dataclass(frozen=True)
class Source:
    """A file to import: its name (errors name it; its extension tells its type) and bytes."""

    name: str
    data: bytes = field(repr=False)

    @classmethod
    def read(cls, path: Path) -> Source:
        """The bytes of the file at `path`, refused with the path named when there is none."""
        if not path.is_file():
            raise ValidationFailed(N_("%(path)s: no such file"), params={"path": path})
        return cls(path.name, path.read_bytes())

    @property
    def suffix(self) -> str:
        """The extension of the name in lower case, with its dot ('' when there is none)."""
        return PurePosixPath(self.name).suffix.lower()


def as_source(file: Path | Source) -> Source:
    """`file` as a source: a path's bytes are read once."""
    return file if isinstance(file, Source) else Source.read(file)


@dataclass
class Table:
    """A header and an iterator of (row number as the user sees it, cells)."""

    name: str  # the file's name, as errors give it
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    total: int | None = None


def _refuse(name: str, message: str, row: int = 0, params: Params = NO_PARAMS) -> ValidationFailed:
    """A file-level problem, located at the file (and the row when there is one): `message`
    is an English template (marked with `N_`) with its `params`."""
    return located(name, row, message, params)


def located(name: str, row: int, message: str, params: Params = NO_PARAMS) -> ValidationFailed:
    """«name: message», the message located at the file `name` and `row` (0: the file)."""
    item = ErrorItem((name, row, ""), message, params)
    return ValidationFailed(N_("%(name)s: %(message)s"), [item], {"name": name, "message": item})


def decode_bytes(raw: bytes, name: str = "file") -> tuple[str, str]:
    """Decode a CSV file's bytes: UTF-8 (with or without BOM), else CP1251 as Russian Excel
    saves it; bytes that are neither are a ValidationFailed naming the line and column."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = N_(
            "is neither UTF-8 nor Windows-1251 text (byte %(byte)s at line %(line)s, "
            "column %(column)s); save it as CSV UTF-8"
        )
        params = {"byte": f"0x{raw[exc.start]:02x}", "line": line, "column": column}
        raise located(name, line, message, params) from None


def sniff_delimiter(first_line: str) -> str:
    """Pick the delimiter of the header line: `;`, `,` or a tab, whichever occurs most."""
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def read_csv(source: Source) -> Table:
    """Read a CSV file; encoding and delimiter are detected; a workbook saved under a .csv
    name is read as the workbook it is."""
    raw = source.data
    if raw.startswith(ZIP_MAGIC):
        return read_xlsx(source)
    name = source.name
    if raw.startswith(OLE_MAGIC):
        raise _refuse(name, N_("is an Excel 97-2003 workbook, not CSV; save it as .xlsx or CSV"))
    text, _encoding = decode_bytes(raw, name)
    del raw
    if (nul := text.find("\x00")) >= 0:  # no database text holds it: a binary file
        line = text.count("\n", 0, nul) + 1
        raise _refuse(
            name, N_("row %(line)s holds a NUL byte: not a text file"), line, params={"line": line}
        )
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    limits = current_limits()
    # every cell needs a delimiter or a line end: an upper bound, known before parsing
    if limits.cells is not None and text.count(delimiter) + text.count("\n") > limits.cells:
        raise _refuse(
            name,
            N_("has more than %(cells)s cells; split it"),
            params={"cells": format(limits.cells, ",")},
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = _next_csv_row(name, reader, 1)
    if header is None:
        raise _refuse(name, N_("the file is empty"))
    total = max(text.count("\n") - 1, 0)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        index = 1
        while (row := _next_csv_row(name, reader, index + 1)) is not None:
            index += 1
            if any(cell.strip() for cell in row):
                yield index, list(row)

    return Table(name, [h.strip() for h in header], _bounded(name, rows(), limits), total)


def _next_csv_row(name: str, reader: Iterator[list[str]], number: int) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as exc:  # a NUL byte, a cell beyond the field size limit
        raise _refuse(
            name,
            N_("row %(number)s cannot be read as CSV (%(exc)s)"),
            number,
            params={"number": number, "exc": exc},
        ) from None


def read_xlsx(source: Source, sheet: str | None = None) -> Table:
    """Read the first (or the named) sheet of an XLSX workbook.

    Reading goes through calamine (Rust), about 25 times faster than openpyxl on the
    import benchmark; openpyxl stays the library for writing workbooks. Calamine holds the
    whole sheet, so the unpacked size the zip directory states is checked before it reads.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    limits = current_limits()
    name = source.name
    _check_unpacked_size(source, limits)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(source.data))
        worksheet = workbook.get_sheet_by_name(sheet) if sheet else workbook.get_sheet_by_index(0)
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        raise ValidationFailed(
            N_("%(name)s: not a readable XLSX workbook (%(exc)s)"),
            params={"name": name, "exc": exc},
        ) from exc
    if limits.rows is not None and worksheet.height > limits.rows + 1:
        raise _refuse(
            name,
            N_("has more than %(rows)s rows; split it"),
            limits.rows + 2,
            params={"rows": format(limits.rows, ",")},
        )
    if limits.cells is not None and worksheet.height * worksheet.width > limits.cells:
        raise _refuse(
            name,
            N_("has more than %(cells)s cells; split it"),
            params={"cells": format(limits.cells, ",")},
        )
    values = iter(worksheet.iter_rows())
    header_row = next(values, None)
    if header_row is None:
        raise ValidationFailed(
            N_("%(name)s: the sheet %(name2)s is empty"),
            params={"name": name, "name2": repr(worksheet.name)},
        )
    header = ["" if h is None else str(h).strip() for h in header_row]

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for index, row in enumerate(values, start=2):
            cells: list[Cell] = [None if cell == "" else cell for cell in row]
            if any(cell is not None for cell in cells):
                yield index, cells

    return Table(name, header, _bounded(name, rows(), limits), max(worksheet.height - 1, 0))


def _check_unpacked_size(source: Source, limits: Limits) -> None:
    """Refuse a workbook whose parts unpack to more than the limit (a zip bomb, or a sheet
    of millions of rows that compresses to a few megabytes)."""
    if limits.unpacked_bytes is None:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # not a zip at all: calamine says what it is not
    if size > limits.unpacked_bytes:
        raise _refuse(
            source.name,
            N_("unpacks to %(value)s MB, more than %(value2)s MB; split it"),
            params={
                "value": format(size // MB, ","),
                "value2": format(limits.unpacked_bytes // MB, ","),
            },
        )


def _bounded(
    name: str, rows: Iterator[tuple[int, list[Cell]]], limits: Limits
) -> Iterator[tuple[int, list[Cell]]]:
    """`rows`, refused as soon as they go beyond the limits on rows and cells."""
    cells = 0
    for count, (number, row) in enumerate(rows, start=1):
        cells += len(row)
        if limits.rows is not None and count > limits.rows:
            raise _refuse(
                name,
                N_("has more than %(rows)s rows; split it"),
                number,
                params={"rows": format(limits.rows, ",")},
            )
        if limits.cells is not None and cells > limits.cells:
            raise _refuse(
                name,
                N_("has more than %(cells)s cells; split it"),
                number,
                params={"cells": format(limits.cells, ",")},
            )
        yield number, row


def read_table(source: Source) -> Table:
    """Read a CSV or XLSX file by its extension."""
    suffix = source.suffix
    if suffix in {".csv", ".txt", ".tsv"}:
        return read_csv(source)
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(source)
    raise ValidationFailed(
        N_("%(name)s: unsupported file type %(suffix)s; use .csv, .xlsx or goszakup .json"),
        params={"name": source.name, "suffix": repr(suffix)},
    )


def open_table(path: Path) -> Table:
    """Read the CSV or XLSX file at `path` (its bytes, as an upload's)."""
    return read_table(Source.read(path))

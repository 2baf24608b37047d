"""Shared import machinery: column maps, cell parsers, located row errors, reports."""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from seriktes.kit.errors import (
    NO_PARAMS,
    ErrorItem,
    Message,
    Params,
    ValidationFailed,
    keepable,
    render,
)
from seriktes.kit.exports import csv_row
from seriktes.kit.i18n import N_
from seriktes.kit.tabular import Cell, Table, current_limits
from seriktes.kit.values import FIRST_DAY, LAST_DAY, PLAIN_NUMBER

EARLIEST_DAY = date(1900, 1, 1)  # older dates in a file are typing errors

# progress(done, total): rows done so far and the total when known
Progress = Callable[[int, int | None], None]
MAX_LISTED_ERRORS = 50
# what a file's rows are called (`ParsedRows.row_label`), translated where shown
ROW_LABELS = (N_("row"), N_("item"))
# where a row error is, as `RowError.located` says it (with a column, without one)
WHERE = {
    True: N_("%(file)s, %(label)s %(row)s, column «%(column)s»"),
    False: N_("%(file)s, %(label)s %(row)s"),
}


class CellError(ValueError):
    """A cell's value is wrong: an English template (marked with `N_`) and its parameters,
    rendered in each user's language where it is shown."""

    def __init__(self, template: str, params: Params = NO_PARAMS) -> None:
        super().__init__(template % params if params else template)
        self.template = template
        self.params = params


@dataclass(frozen=True)
class Column:
    """A field of an import and the header spellings accepted for it."""

    field: str
    aliases: tuple[str, ...]
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class RowError:
    """A problem located at a file, a row and a column: its English `message`, and the
    template and parameters it was rendered from, when it has them."""

    file: str
    row: int
    column: str
    message: str
    row_label: str = "row"
    # not compared: two errors are the same when they say the same
    template: str = field(default="", compare=False)
    params: Params = field(default_factory=dict, compare=False)

    @classmethod
    def of(
        cls,
        file: str,
        row: int,
        column: str,
        template: str,
        params: Params = NO_PARAMS,
        row_label: str = "row",
    ) -> RowError:
        """The error at `file`, `row`, `column` whose message is `template` with `params`."""
        message = render("en", template, params)
        return cls(file, row, column, message, row_label, template, keepable(params))

    def __str__(self) -> str:
        return self.located("en")

    def located(self, lang: str) -> str:
        """«file, row 3, column «X»: message» in `lang`."""
        where = render(lang, WHERE[bool(self.column)], self._where())
        return f"{where}: {self.text(lang)}"

    def _where(self) -> dict[str, object]:
        label = Message(self.row_label)
        return {"file": self.file, "label": label, "row": self.row, "column": self.column}

    def text(self, lang: str) -> str:
        """The message in `lang`."""
        return render(lang, self.template, self.params) if self.template else self.message

    def translated(self, translate: Callable[[str], str]) -> str:
        """The message in the language of `translate` (English text → translation)."""
        if not self.template:
            return self.message
        try:
            return (
                translate(self.template) % dict(self.params)
                if self.params
                else translate(self.template)
            )
        except (KeyError, TypeError, ValueError):  # a translation with other fields
            return self.message

    def as_item(self) -> ErrorItem:
        """Return the error as an API error item."""
        loc = (self.file, self.row, self.column)
        return ErrorItem(loc, self.template or self.message, self.params)


class RowErrors(list[RowError]):
    """Row errors that keep the first `kept` and count the rest, with every bad row's number:
    a file of a million bad rows costs a thousand errors of memory, not a million."""

    def __init__(self, kept: int | None = None, errors: Iterable[RowError] = ()) -> None:
        super().__init__()
        self.kept = kept
        self.total = 0
        self.rows: set[int] = set()
        for error in errors:
            self.append(error)

    def append(self, error: RowError) -> None:
        """Count `error` and keep it while fewer than `kept` are kept."""
        self.total += 1
        self.rows.add(error.row)
        if self.kept is None or len(self) < self.kept:
            super().append(error)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its counts (a kept preview), not error by error through `append`."""
        return (_restored_errors, (self.kept, list(self), self.total, self.rows))


def _restored_errors(
    kept: int | None, errors: list[RowError], total: int, rows: set[int]
) -> RowErrors:
    restored = RowErrors(kept)
    list.extend(restored, errors)
    restored.total, restored.rows = total, set(rows)
    return restored


def error_rows(errors: Sequence[RowError]) -> set[int]:
    """The numbers of the rows with an error, those counted but not kept included."""
    return errors.rows if isinstance(errors, RowErrors) else {error.row for error in errors}


def error_total(errors: Sequence[RowError]) -> int:
    """How many errors were found, those counted but not kept included."""
    return errors.total if isinstance(errors, RowErrors) else len(errors)


@dataclass
class ImportReport:
    """What an import did: counts and the rows it refused."""

    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    # an import that writes several kinds: kind → {"created", "updated", "unchanged"}
    parts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        """Number of distinct rows refused."""
        return len(error_rows(self.errors))

    def as_dict(self) -> dict[str, object]:
        """Return the report as plain data (for `--json` and the API)."""
        return {
            "kind": self.kind,
            "file": self.file,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "organisations_created": self.organisations_created,
            "skipped": self.skipped,
            **({"parts": self.parts} if self.parts else {}),
            "errors": [str(error) for error in self.errors[:MAX_LISTED_ERRORS]],
        }


class ImportFailed(ValidationFailed):
    """An all-or-nothing import found invalid rows and wrote nothing; its message lists the
    first errors."""

    listed: Sequence[RowError] = ()
    more = 0

    @classmethod
    def from_errors(cls, file: str, errors: Sequence[RowError]) -> ImportFailed:
        """Build the exception whose detail lists the first errors."""
        failed = cls(
            N_(
                "%(file)s: %(rows)s invalid row(s), nothing was imported "
                "(use --skip-invalid to import the valid rows)"
            ),
            [error.as_item() for error in errors],
            {"file": file, "rows": len(error_rows(errors))},
        )
        failed.listed = list(errors[:MAX_LISTED_ERRORS])
        failed.more = error_total(errors) - len(failed.listed)
        return failed

    def message(self, lang: str) -> str:
        """The summary, then the first errors, in `lang`."""
        lines = [super().message(lang), *(error.located(lang) for error in self.listed)]
        if self.more > 0:
            lines.append(render(lang, N_("... and %(more)s more"), {"more": self.more}))
        return "\n".join(lines)


def normalise_header(text: str) -> str:
    """Fold a column header to a comparable key: case, ё, punctuation and spaces."""
    folded = text.strip().lower().replace("ё", "е").replace("\ufeff", "")
    folded = re.sub(r"[\s_\-.,:;()№#*/\\]+", " ", folded)
    return folded.strip()


def map_columns(header: Sequence[str], columns: Iterable[Column], file: str) -> dict[str, int]:
    """Return field → column index; refuse missing required and repeated columns."""
    by_alias: dict[str, Column] = {}
    for spec in columns:
        for alias in (spec.field, *spec.aliases):
            by_alias[normalise_header(alias)] = spec
    mapping: dict[str, int] = {}
    errors: list[RowError] = []
    for index, title in enumerate(header):
        column = by_alias.get(normalise_header(title))
        if column is None:
            continue
        if column.field in mapping:
            first = header[mapping[column.field]]
            errors.append(
                RowError.of(
                    file,
                    1,
                    title,
                    N_("repeats column «%(first)s» (both mean %(field)s)"),
                    {"first": first, "field": column.field},
                )
            )
            continue
        mapping[column.field] = index
    for required in by_alias.values():
        if required.required and required.field not in mapping:
            names = ", ".join(f"«{a}»" for a in (required.field, *required.aliases[:3]))
            missing = N_("required column missing: one of %(names)s")
            errors.append(RowError.of(file, 1, "", missing, {"names": names}))
    if errors:
        unique = list(dict.fromkeys(errors))
        raise ImportFailed.from_errors(file, unique)
    return mapping


def text(value: Cell) -> str | None:
    """Return the cell as stripped text, None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    return result or None


def limited(length: int) -> Callable[[Cell], str | None]:
    """A text parser that refuses values longer than the column can hold."""

    def parse(value: Cell) -> str | None:
        raw = text(value)
        if raw is not None and len(raw) > length:
            raise CellError(
                N_("is %(length)s characters long; at most %(limit)s are allowed"),
                params={"length": len(raw), "limit": length},
            )
        return raw

    return parse


_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f']")


def decimal_value(value: Cell, *, minimum: Decimal | None = Decimal(0)) -> Decimal | None:
    """Parse a number written as 1 234,56 or 1234.56; refuse text and negatives."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(N_("expected a number, got %(value)s"), params={"value": repr(value)})
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        raw = _NUMBER_JUNK.sub("", str(value))
        if not raw:
            return None
        if "," in raw and "." in raw:
            raw = raw.replace(",", "")
        raw = raw.replace(",", ".")
        try:  # digits 0-9 only: Decimal itself takes «1_000» and «٣»
            number = Decimal(raw if PLAIN_NUMBER.fullmatch(raw) else "x")
        except InvalidOperation:
            raise CellError(
                N_("expected a number, got %(value)s"), params={"value": repr(str(value))}
            ) from None
    if not number.is_finite():
        raise CellError(
            N_("expected a finite number, got %(value)s"), params={"value": repr(value)}
        )
    if minimum is not None and number < minimum:
        raise CellError(N_("must not be negative, got %(value)s"), params={"value": value})
    return number


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y.%m.%d")


def date_value(value: Cell, first: date = EARLIEST_DAY) -> date | None:
    """Parse a date given as a spreadsheet date, ISO 2026-03-31 or 31.03.2026, between
    `first` and LAST_DAY (never 0001-01-01 or 9999-12-31)."""
    if value is None or value == "":
        return None
    day = _day(value)
    if not first <= day <= LAST_DAY:
        raise CellError(
            N_("the date %(value)s is not between %(first)s and %(last)s"),
            params={
                "value": day.isoformat(),
                "first": first.isoformat(),
                "last": LAST_DAY.isoformat(),
            },
        )
    return day


def plan_date(value: Cell) -> date | None:
    """A date of a plan or a deadline: from FIRST_DAY (2000-01-01) on."""
    return date_value(value, FIRST_DAY)


def _day(value: Cell) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    if raw.isascii():  # strptime takes non-ASCII digits too
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
    raise CellError(
        N_("expected a date like 31.03.2026 or 2026-03-31, got %(value)s"),
        params={"value": repr(raw)},
    )


def list_value(value: Cell) -> list[str]:
    """Split a cell holding several values separated by `;`, `,` or new lines."""
    raw = text(value)
    if raw is None:
        return []
    return [part.strip() for part in re.split(r"[;\n,]+", raw) if part.strip()]


def write_error_report(path: Path, errors: Sequence[RowError], lang: str = "en") -> None:
    """Write the refused rows as CSV (file, row, column, message in `lang`) for the user to
    fix."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "message"])
        for error in errors:
            writer.writerow(csv_row([error.file, error.row, error.column, error.text(lang)]))


def row_values(cells: Sequence[Cell], mapping: dict[str, int]) -> dict[str, Cell]:
    """Return field → raw cell for one row (missing trailing cells are None)."""
    return {name: cells[index] if index < len(cells) else None for name, index in mapping.items()}


Parser = Callable[[Cell], object]


@dataclass
class ParsedRows:
    """Rows of one import file parsed into typed values, with the errors found so far."""

    file: str
    header: dict[str, str]
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=lambda: RowErrors(current_limits().errors))
    row_label: str = "row"

    def error(
        self, row: int, field_name: str, message: str | CellError, params: Params = NO_PARAMS
    ) -> None:
        """Record a problem in `row` at the column that holds `field_name`: a `CellError`, or
        an English template (marked with `N_`) and its `params`."""
        column = self.header.get(field_name, field_name)
        if isinstance(message, CellError):
            template, params = message.template, message.params
        else:
            template = message
        self.errors.append(RowError.of(self.file, row, column, template, params, self.row_label))

    def bad_rows(self) -> set[int]:
        """Return the numbers of the rows that have at least one error."""
        return error_rows(self.errors)

    def valid_rows(self) -> list[tuple[int, dict[str, object]]]:
        """Return the rows without errors."""
        bad = self.bad_rows()
        return [(row, values) for row, values in self.rows if row not in bad]


HEADER_SCAN_ROWS = 10


def has_required(header: Sequence[object], columns: Sequence[Column]) -> bool:
    """True when `header` holds every required column of `columns` (in any spelling)."""
    titles = {normalise_header(str(cell)) for cell in header if cell is not None}
    return all(
        any(normalise_header(a) in titles for a in (c.field, *c.aliases))
        for c in columns
        if c.required
    )


def find_header(table: Table, columns: Sequence[Column]) -> Table:
    """Return `table` with its real header row: exports often put a title above it."""
    if has_required(table.header, columns):
        return table
    scanned: list[tuple[int, list[Cell]]] = []
    for row in table.rows:
        scanned.append(row)
        if has_required(row[1], columns):
            header = ["" if cell is None else str(cell).strip() for cell in row[1]]
            return Table(table.name, header, itertools.chain(table.rows), table.total)
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    return Table(table.name, table.header, itertools.chain(scanned, table.rows), table.total)


def parse_table(
    table: Table,
    columns: Sequence[Column],
    parsers: Mapping[str, Parser],
    progress: Progress | None = None,
) -> ParsedRows:
    """Map the columns of `table` and parse every row with the field's parser."""
    table = find_header(table, columns)
    file = table.name
    mapping = map_columns(table.header, columns, file)
    parsed = ParsedRows(file, {name: table.header[index] for name, index in mapping.items()})
    required = [column.field for column in columns if column.required]
    for row_no, cells in table.rows:
        values: dict[str, object] = {}
        for name, cell in row_values(cells, mapping).items():
            try:
                values[name] = parsers.get(name, text)(cell)
            except CellError as exc:
                parsed.error(row_no, name, exc)
        for name in required:
            if name in values and values[name] in (None, "", []):
                parsed.error(row_no, name, N_("is empty but required"))
        parsed.rows.append((row_no, values))
        if progress and row_no % 500 == 0:
            progress(row_no - 1, table.total)
    if progress:
        progress(len(parsed.rows), len(parsed.rows))
    return parsed


def columns_markdown(title: str, columns: Sequence[Column]) -> str:
    """Render a column map as a Markdown table (for docs/IMPORTS.md)."""
    lines = [
        f"## {title}",
        "",
        "| field | required | headers accepted | meaning |",
        "|---|---|---|---|",
    ]
    for column in columns:
        aliases = ", ".join(f"«{alias}»" for alias in column.aliases)
        required = "yes" if column.required else ""
        lines.append(f"| `{column.field}` | {required} | {aliases} | {column.help} |")
    return "\n".join(lines) + "\n"

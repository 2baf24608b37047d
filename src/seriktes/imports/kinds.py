"""The registry of import kinds: for each its key, label, column maps, the file types an
upload may be, its parser, the check of a user's row scope and its writer.

The CLI (`seriktes import <key>`), the web upload flow (`imports.uploads`) and the column
docs (`docs/IMPORTS.md`, `seriktes import columns`) all read `KINDS`. A parser reads a
`Source` (a name and bytes: an upload, or a file the CLI read) and writes nothing; a writer
writes what its parser checked, all-or-nothing unless `skip_invalid`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements.columns import DEAL_COLUMNS
from seriktes.agreements.importer import parse_deals, write_deals
from seriktes.catalog.importer import (
    NEEDS,
    OFFERS,
    LineKind,
    import_lines,
    keep_own_lines,
    parse_line_file,
)
from seriktes.catalog.producers import Classify, ParsedRegister, parse_producers, write_producers
from seriktes.catalog.producers.formats import FORMATS
from seriktes.catalog.producers.scope import check_scope
from seriktes.imports.scope import check_line_scope, check_organisation_scope
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import Column, ImportReport, ParsedRows, Progress, columns_markdown
from seriktes.kit.tabular import Source
from seriktes.registry.columns import ORGANISATION_COLUMNS
from seriktes.registry.importer import parse_organisations, write_organisations

# the classifier that derives missing KP VED classes, asked for only when a register needs it
ClassifierSource = Callable[[], Classify | None]


@dataclass
class Parsed:
    """A file read and checked, nothing written: its rows with their errors, and what else
    its writer needs (the lines' source, a register and its lines)."""

    rows: ParsedRows
    detail: Any = None
    skipped_others: int = 0  # rows of other organisations left out (`own_lines`)


@dataclass(frozen=True)
class WriteOptions:
    """How to write: skip invalid rows or write nothing; the classifier of registers; the
    user who imports (deals they may confirm as a coordinator; None on the command line)."""

    skip_invalid: bool = False
    classifier: ClassifierSource | None = None
    user: User | None = None


@dataclass(frozen=True)
class ColumnMap:
    """One column map of a kind, as the docs show it (a kind may have several shapes)."""

    heading: str
    columns: tuple[Column, ...]
    name: str = ""  # the shape's name, for a kind of several shapes
    title: str = ""


Parse = Callable[[Session, Source, Progress | None], Parsed]
Scope = Callable[[Session, User, Parsed], None]
Write = Callable[[Session, Parsed, WriteOptions], ImportReport]


@dataclass(frozen=True)
class ImportKind:
    """One kind of import and everything that reads, checks and writes it."""

    key: str  # `seriktes import <key>`, the upload form's value
    label: str  # translatable (N_)
    columns: tuple[Column, ...]  # the upload form names the required ones
    maps: tuple[ColumnMap, ...]  # for the docs and `seriktes import columns`
    extensions: tuple[str, ...]  # file types an upload may be (empty: not uploaded)
    parse: Parse
    write: Write
    scope: Scope | None = None  # flags the rows a user may not import through the web
    list_page: str = ""  # the page that lists what it wrote

    @property
    def uploadable(self) -> bool:
        """Whether files of this kind are uploaded through the web."""
        return bool(self.extensions)


def _parse_orgs(session: Session, source: Source, progress: Progress | None) -> Parsed:
    return Parsed(parse_organisations(session, source, progress))


def _write_orgs(session: Session, parsed: Parsed, options: WriteOptions) -> ImportReport:
    return write_organisations(session, parsed.rows, skip_invalid=options.skip_invalid)


def _orgs_scope(session: Session, user: User, parsed: Parsed) -> None:
    check_organisation_scope(session, user, parsed.rows)


def _lines(kind: LineKind) -> tuple[Parse, Scope, Write]:
    def parse(session: Session, source: Source, progress: Progress | None) -> Parsed:
        rows, origin = parse_line_file(session, kind, source, progress)
        return Parsed(rows, origin)

    def scope(session: Session, user: User, parsed: Parsed) -> None:
        check_line_scope(session, user, kind, parsed.rows)

    def write(session: Session, parsed: Parsed, options: WriteOptions) -> ImportReport:
        report = import_lines(
            session,
            kind,
            parsed.rows,
            skip_invalid=options.skip_invalid,
            source=str(parsed.detail),
        )
        report.other_lines_skipped = parsed.skipped_others
        return report

    return parse, scope, write


LINE_KINDS = {"needs": NEEDS, "offers": OFFERS}


def own_lines(key: str, parsed: Parsed, bin_value: str) -> int:
    """Keep the rows of the organisation with `bin_value` only (needs and offers: a member's
    lines in a file of the whole portal); how many rows of others were left out."""
    kind = LINE_KINDS.get(key)
    if kind is None:
        raise ValidationFailed(
            N_("only needs and offers can be limited to one organisation's lines, not %(kind)s"),
            params={"kind": key},
        )
    return keep_own_lines(kind, parsed.rows, bin_value)


def _parse_producers(session: Session, source: Source, progress: Progress | None) -> Parsed:
    checked = parse_producers(session, source, progress)
    return Parsed(checked.parsed, checked)


def _producers_scope(session: Session, user: User, parsed: Parsed) -> None:
    check_scope(session, user, cast(ParsedRegister, parsed.detail))


def _write_producers(session: Session, parsed: Parsed, options: WriteOptions) -> ImportReport:
    classify = options.classifier() if options.classifier else None
    checked = cast(ParsedRegister, parsed.detail)
    return write_producers(session, checked, skip_invalid=options.skip_invalid, classify=classify)


def _parse_deals(session: Session, source: Source, progress: Progress | None) -> Parsed:
    return Parsed(parse_deals(session, source, progress))


def _write_deals(session: Session, parsed: Parsed, options: WriteOptions) -> ImportReport:
    return write_deals(session, parsed.rows, skip_invalid=options.skip_invalid, user=options.user)


TABULAR = (".csv", ".xlsx")


def _one_map(key: str, label: str, columns: tuple[Column, ...], **rest: Any) -> ImportKind:
    """A kind of one column map, headed by its label and command."""
    heading = f"{label} (`seriktes import {key}`)"
    return ImportKind(key, label, columns, (ColumnMap(heading, columns),), **rest)


def _line_kind(key: str, label: str, kind: LineKind, **rest: Any) -> ImportKind:
    parse, scope, write = _lines(kind)
    columns = kind.columns
    return _one_map(key, label, columns, parse=parse, write=write, scope=scope, **rest)


def _register_maps() -> tuple[ColumnMap, ...]:
    """One column map per register of producers, each told by its own columns."""
    return tuple(
        ColumnMap(
            f"{register.title} (`seriktes import producers`, {register.kind.value})",
            register.columns,
            register.kind.value,
            register.title,
        )
        for register in FORMATS
    )


def _kinds() -> tuple[ImportKind, ...]:
    return (
        _one_map(
            "orgs",
            N_("Organisations"),
            ORGANISATION_COLUMNS,
            extensions=TABULAR,
            parse=_parse_orgs,
            write=_write_orgs,
            scope=_orgs_scope,
            list_page="/organisations",
        ),
        _line_kind("needs", N_("Needs"), NEEDS, extensions=(*TABULAR, ".json"), list_page="/needs"),
        _line_kind("offers", N_("Offers"), OFFERS, extensions=TABULAR, list_page="/offers"),
        _one_map(
            "deals",
            N_("Deals"),
            DEAL_COLUMNS,
            extensions=(),  # the command line only
            parse=_parse_deals,
            write=_write_deals,
            list_page="/deals",
        ),
        ImportKind(
            "producers",
            N_("Registers of producers"),
            # a register is told by its certificate number column: one of these
            columns=tuple(register.columns[0] for register in FORMATS),
            maps=_register_maps(),
            extensions=TABULAR,
            parse=_parse_producers,
            write=_write_producers,
            scope=_producers_scope,
            list_page="/offers",
        ),
    )


KINDS = {kind.key: kind for kind in _kinds()}
UPLOAD_KINDS = tuple(key for key, kind in KINDS.items() if kind.uploadable)


def import_docs_markdown() -> str:
    """Return docs/IMPORTS.md: every import's column map, generated from the code."""
    intro = (
        "# Import column maps\n\n"
        "Generated from the code by `seriktes import columns --markdown`; a test keeps this\n"
        "file equal to the code. Headers match whatever their case, `ё`/`е`, spaces and\n"
        "punctuation; the English field name is always accepted too. CSV files may be UTF-8\n"
        "or CP1251, separated by `,`, `;` or tabs. Columns not listed are ignored.\n\n"
        'Needs may also come as goszakup OWS v3 plan JSON (`{"items": [...]}`): `id` →\n'
        "external id `goszakup:<id>`, `subject_biin`/`subject_name_ru` → buyer, `name_ru` →\n"
        "title, `extra_desc_ru` → description, `desc_ru` → specification, `ref_enstru_code` →\n"
        "ENS TRU code and KP VED class, `count`, `price`, `ref_units_code` → quantity, unit\n"
        "price, unit. A point of a past plan year or withdrawn from its plan is imported as a\n"
        "closed need; a unit code the MKEI table lacks is kept with a warning. `--only-bin BIN`\n"
        "(the upload form: «only my organisation's lines») keeps one organisation's lines of a\n"
        "whole-portal file and counts the others skipped. The same items come from the service\n"
        "itself with `seriktes goszakup sync` (README: Plans from goszakup).\n\n"
        "Registers of domestic producers (`seriktes import producers`) come in three shapes,\n"
        "told from the header row by their certificate number column. Their cells may combine\n"
        "values: «KZ EA 4 102 00005 от 12.03.2021» (number and date of issue), «ТОО «X»\n"
        "(г. Алматы, ...)» (producer and address, in brackets or on the next line), «Филе ЦБ\n"
        "(0207141001)» (product and HS code), «Действителен до 31.12.2025» (status and end\n"
        "date). A «-» is an empty cell.\n\n"
    )
    return intro + "\n".join(
        columns_markdown(column_map.heading, column_map.columns)
        for kind in KINDS.values()
        for column_map in kind.maps
    )

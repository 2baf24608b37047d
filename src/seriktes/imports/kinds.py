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
from seriktes.catalog.columns import NEED_COLUMNS, OFFER_COLUMNS
from seriktes.catalog.importer import NEEDS, OFFERS, LineKind, import_lines, parse_line_file
from seriktes.catalog.producers import Classify, ParsedRegister, parse_producers, write_producers
from seriktes.catalog.producers.formats import FORMATS
from seriktes.catalog.producers.scope import check_scope
from seriktes.imports.scope import check_line_scope, check_organisation_scope
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
        return import_lines(
            session,
            kind,
            parsed.rows,
            skip_invalid=options.skip_invalid,
            source=str(parsed.detail),
        )

    return parse, scope, write


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


def _kinds() -> dict[str, ImportKind]:
    needs, offers = _lines(NEEDS), _lines(OFFERS)
    tabular = (".csv", ".xlsx")
    return {
        kind.key: kind
        for kind in (
            ImportKind(
                "orgs",
                N_("Organisations"),
                ORGANISATION_COLUMNS,
                (ColumnMap("Organisations (`seriktes import orgs`)", ORGANISATION_COLUMNS),),
                tabular,
                _parse_orgs,
                _write_orgs,
                _orgs_scope,
                "/organisations",
            ),
            ImportKind(
                "needs",
                N_("Needs"),
                NEED_COLUMNS,
                (ColumnMap("Needs (`seriktes import needs`)", NEED_COLUMNS),),
                (*tabular, ".json"),
                needs[0],
                needs[2],
                needs[1],
                "/needs",
            ),
            ImportKind(
                "offers",
                N_("Offers"),
                OFFER_COLUMNS,
                (ColumnMap("Offers (`seriktes import offers`)", OFFER_COLUMNS),),
                tabular,
                offers[0],
                offers[2],
                offers[1],
                "/offers",
            ),
            ImportKind(
                "deals",
                N_("Deals"),
                DEAL_COLUMNS,
                (ColumnMap("Deals (`seriktes import deals`)", DEAL_COLUMNS),),
                (),
                _parse_deals,
                _write_deals,
                None,
                "/deals",
            ),
            ImportKind(
                "producers",
                N_("Registers of producers"),
                # a register is told by its certificate number column: one of these
                tuple(register.columns[0] for register in FORMATS),
                tuple(
                    ColumnMap(
                        f"{register.title} (`seriktes import producers`, {register.kind.value})",
                        register.columns,
                        register.kind.value,
                        register.title,
                    )
                    for register in FORMATS
                ),
                tabular,
                _parse_producers,
                _write_producers,
                _producers_scope,
                "/offers",
            ),
        )
    }


KINDS = _kinds()
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
        "price, unit.\n\n"
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

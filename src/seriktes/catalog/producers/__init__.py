"""Import of the registers of domestic producers: organisations, offers and certificates.

The register is told from the header row (`formats`); combined cells are split by `cells`;
rows become lines that must agree with each other (`lines`); lines are written as
organisations, offers and certificates (`writer`). As every import: every row is checked
first, nothing is written when a row failed (unless `skip_invalid`), and a second import of
the same file changes nothing. Products without a KP VED code get the class `classify`
derives (marked as derived); without a classifier they stay unclassified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from seriktes.catalog.producers.formats import RegisterFormat, detect_format
from seriktes.catalog.producers.lines import ProducerLine, build_lines
from seriktes.catalog.producers.writer import Classify, write_lines
from seriktes.kit.importing import ImportFailed, ImportReport, ParsedRows, Progress, parse_table
from seriktes.kit.locks import hold_import_lock
from seriktes.kit.tabular import Source, as_source, read_table
from seriktes.registry.service import Lookups

__all__ = [
    "Classify",
    "ParsedRegister",
    "ProducerReport",
    "import_producers",
    "parse_producers",
    "write_producers",
]


@dataclass
class ProducerReport(ImportReport):
    """What a register import did: the base counts are the offers'; `parts` has all three."""

    register: str = ""
    classifier: bool = False  # whether a classifier was loaded to derive missing classes
    classes_derived: int = 0  # offers of the file whose KP VED class is derived
    unclassified: int = 0  # offers of the file without a KP VED class
    # offers created or changed, or whose certificates were (for matching, the next step)
    offer_ids: list[int] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, object]:
        """Return the report as plain data (for `--json` and the API)."""
        return super().as_dict() | {
            "register": self.register,
            "classifier": self.classifier,
            "classes_derived": self.classes_derived,
            "unclassified": self.unclassified,
        }


@dataclass
class ParsedRegister:
    """A register file read and checked, nothing written yet."""

    register: RegisterFormat
    parsed: ParsedRows
    lines: list[ProducerLine]

    def valid_lines(self) -> list[ProducerLine]:
        """The lines of the rows without errors."""
        bad = self.parsed.bad_rows()
        return [line for line in self.lines if line.row not in bad]


def parse_producers(
    session: Session, source: Source, progress: Progress | None = None
) -> ParsedRegister:
    """Read and check a register file (industrial, ST-KZ origin or ST-KZ serial)."""
    lookups = Lookups.load(session)
    register, table = detect_format(read_table(source))
    parsed = parse_table(table, register.columns, register.parsers(lookups), progress)
    return ParsedRegister(register, parsed, build_lines(parsed, register, lookups))


def write_producers(
    session: Session,
    checked: ParsedRegister,
    *,
    skip_invalid: bool = False,
    classify: Classify | None = None,
) -> ProducerReport:
    """Write a checked register; all-or-nothing unless `skip_invalid`."""
    parsed = checked.parsed
    if parsed.errors and not skip_invalid:
        raise ImportFailed.from_errors(parsed.file, parsed.errors)
    hold_import_lock(session)
    source = checked.register.kind.value
    written = write_lines(session, checked.valid_lines(), source, classify)
    return ProducerReport(
        "producers",
        parsed.file,
        rows=len(parsed.rows),
        created=written.offers.created,
        updated=written.offers.updated,
        unchanged=written.offers.unchanged,
        organisations_created=written.organisations.created,
        errors=parsed.errors,
        parts={
            "organisations": written.organisations.as_dict(),
            "offers": written.offers.as_dict(),
            "certificates": written.certificates.as_dict(),
        },
        register=source,
        classifier=classify is not None,
        classes_derived=written.classes_derived,
        unclassified=written.unclassified,
        offer_ids=sorted(written.touched_offers),
    )


def import_producers(
    session: Session,
    file: Path | Source,
    *,
    skip_invalid: bool = False,
    classify: Classify | None = None,
    progress: Progress | None = None,
) -> ProducerReport:
    """Import a register of producers from CSV or XLSX; all-or-nothing unless `skip_invalid`."""
    checked = parse_producers(session, as_source(file), progress)
    return write_producers(session, checked, skip_invalid=skip_invalid, classify=classify)

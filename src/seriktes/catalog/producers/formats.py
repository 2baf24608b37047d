"""The three producer registers: their columns, how a file's header tells which it is, parsers.

- industrial: the registry of domestic producers (industrial certificates), one row per
  product of a certificate, with BIN, KATO region, capacity, HS and KP VED codes;
- stkz_origin: ST-KZ certificates of origin issued by the chambers, one row per product,
  with the producer's BIN and address, HS and KP VED codes, unit and local-content share;
- stkz_serial: certificates of origin for serial production, four combined cells (number
  and date, producer and address, product and HS code, status and end date), no BIN.
"""

from __future__ import annotations

from dataclasses import dataclass

from seriktes.catalog.models import CertificateKind
from seriktes.catalog.parsing import hs_code, parse_kpved
from seriktes.catalog.producers import cells
from seriktes.kit.i18n import N_
from seriktes.kit.importing import (
    CellError,
    Column,
    ImportFailed,
    Parser,
    RowError,
    find_header,
    has_required,
    limited,
)
from seriktes.kit.tabular import Cell, Table
from seriktes.registry.importer import parse_oked
from seriktes.registry.models import Region
from seriktes.registry.service import Lookups, check_bin

INDUSTRIAL_COLUMNS = (
    Column(
        "number",
        ("Регистрационный номер индустриального сертификата", "Номер индустриального сертификата"),
        True,
        "industrial certificate number",
    ),
    Column("bin", ("БИН/ИИН", "БИН", "ИИН/БИН"), help="producer's BIN; empty: unverified"),
    Column("name", ("Наименование производителей товаров, работ, услуг",), True, "producer's name"),
    Column("oked", ("Вид деятельности согласно ОКЭД (перв, вторич.)",), help="OKED code"),
    Column("region", ("Регион согласно КАТО",), help="KATO code"),
    Column("address", ("Юридический адрес",), help="legal address"),
    Column("postal_address", ("Почтовый (фактический) адрес",), help="postal address"),
    Column(
        "title",
        ("Наименование товаров (категория), работ, услуг",),
        True,
        "product, work or service",
    ),
    Column(
        "capacity",
        ("Производственная мощность, кол-во единиц в год",),
        help="yearly capacity, possibly followed by its unit («49 договоров»)",
    ),
    Column("hs_code", ("ТН ВЭД ЕАЭС", "ТН ВЭД"), help="HS code"),
    Column("class_code", ("КП ВЭД",), help="KP VED code"),
    Column("issued_on", ("Дата включения в Реестр",), help="date of entry in the registry"),
)

ORIGIN_COLUMNS = (
    Column("chamber_code", ("Код РПП",), help="issuing chamber's code"),
    Column("chamber", ("Наименование РПП",), help="issuing chamber"),
    Column("number", ("Номер сертификата происхождения",), True, "certificate number"),
    Column("bin", ("ИИН/ БИН производителя", "БИН производителя"), help="producer's BIN"),
    Column("name", ("Наименование производителя",), True, "producer's name"),
    Column("address", ("Адрес производителя",), help="producer's address"),
    Column("title", ("Наименование товара",), True, "product"),
    Column("hs_code", ("Код ТН ВЭД",), help="HS code"),
    Column("class_code", ("Код КП ВЭД",), help="KP VED code"),
    Column("unit", ("Единица измерения",), help="unit name"),
    Column("unit_code", ("Код единицы измерения",), help="MKEI unit code"),
    Column("local_content", ("ДВЦ",), help="local-content share, percent"),
    Column("valid_until", ("Дата окончания действия сертификата",), help="end date"),
    Column("status", ("Статус сертификата",), help="status"),
    Column("issued_on", ("Дата выдачи",), help="date of issue"),
)

SERIAL_COLUMNS = (
    Column(
        "number",
        ("Номер сертификата о происхождении серийной продукции и дата его выдачи",),
        True,
        "certificate number, optionally followed by its date of issue",
    ),
    Column(
        "producer",
        ("Производитель товара (адрес производителя товара)",),
        True,
        "producer, optionally followed by its address in brackets or on the next line",
    ),
    Column(
        "title",
        ("Наименование товара (код ТН ВЭД ЕАЭС)",),
        True,
        "product, optionally followed by its HS code in brackets or on the next line",
    ),
    Column(
        "status",
        ("Статус сертификата о происхождении серийной продукции (срок действия)",),
        help="status, optionally followed by the end date",
    ),
)


@dataclass(frozen=True)
class RegisterFormat:
    """One register: its certificate kind, columns and source name of its offers."""

    kind: CertificateKind
    columns: tuple[Column, ...]
    title: str

    def parsers(self, lookups: Lookups) -> dict[str, Parser]:
        """The cell parsers of this register's fields."""
        common: dict[str, Parser] = {
            "number": _register_number,
            "bin": _optional_bin,
            "name": _name,
            "title": _title,
            "address": _address,
            "hs_code": lambda cell: hs_code(cells.clean(cell)),
            "class_code": lambda cell: parse_kpved(cells.clean(cell)),
        }
        if self.kind is CertificateKind.INDUSTRIAL:
            return common | {
                "oked": _first_oked,
                "region": lambda cell: _kato_region(lookups, cell),
                "postal_address": _address,
                "capacity": cells.capacity_and_unit,
                "issued_on": cells.register_date,
            }
        if self.kind is CertificateKind.STKZ_ORIGIN:
            return common | {
                "chamber_code": limited(8),
                "chamber": limited(255),
                "unit": cells.clean,
                "unit_code": cells.clean,
                "local_content": cells.share,
                "valid_until": cells.register_date,
                "status": cells.status_and_end,
                "issued_on": cells.register_date,
            }
        return {
            "number": cells.number_and_date,
            "producer": cells.producer_and_address,
            "title": cells.product_and_hs,
            "status": cells.status_and_end,
        }


INDUSTRIAL = RegisterFormat(
    CertificateKind.INDUSTRIAL, INDUSTRIAL_COLUMNS, "Registry of domestic producers"
)
ORIGIN = RegisterFormat(CertificateKind.STKZ_ORIGIN, ORIGIN_COLUMNS, "ST-KZ certificates")
SERIAL = RegisterFormat(
    CertificateKind.STKZ_SERIAL, SERIAL_COLUMNS, "Certificates for serial production"
)
FORMATS = (INDUSTRIAL, ORIGIN, SERIAL)


def detect_format(table: Table) -> tuple[RegisterFormat, Table]:
    """Tell the register from the header row (found below a title if need be)."""
    for register in FORMATS:
        table = find_header(table, register.columns)
        if has_required(table.header, register.columns):
            return register, table
    file = table.name
    expected = "; ".join(f"«{r.columns[0].aliases[0]}»" for r in FORMATS)
    message = N_(
        "not a register of producers: the header names none of the certificate "
        "number columns %(expected)s"
    )
    error = RowError.of(file, 1, "", message, {"expected": expected})
    raise ImportFailed.from_errors(file, [error])


def _register_number(value: Cell) -> str | None:
    raw = cells.clean(value)
    if raw is not None and len(raw) > 64:
        raise CellError(
            N_("certificate number %(value)s is longer than 64 characters"),
            params={"value": repr(raw)},
        )
    return raw


def _optional_bin(value: Cell) -> str | None:
    """A BIN checked by its check digit; an empty cell (or «-») leaves the producer unverified."""
    raw = cells.clean(value)
    return None if raw is None else check_bin(raw)


def _kato_region(lookups: Lookups, value: Cell) -> Region | None:
    """The region of a KATO code; an unknown code (registers hold some, such as «41201»)
    leaves the region to be read from the address."""
    try:
        return lookups.region(cells.clean(value))
    except CellError:
        return None


def _first_oked(value: Cell) -> str | None:
    """The primary OKED code of «88100» or «88100, 14120» (primary, secondary)."""
    raw = cells.clean(value)
    return None if raw is None else parse_oked(raw.replace(";", ",").split(",")[0])


def _name(value: Cell) -> str | None:
    return limited(500)(cells.clean(value))


def _title(value: Cell) -> str | None:
    return limited(500)(cells.clean(value))


def _address(value: Cell) -> str | None:
    raw = cells.clean(value)
    return None if raw is None else raw[:500]


def unit_of(lookups: Lookups, code: str | None, name: str | None) -> str | None:
    """The registry unit of an MKEI code or a unit name; an unknown one is a cell error."""
    for candidate in (code, name):
        if candidate is None:
            continue
        try:
            return lookups.unit_code(candidate)
        except CellError:
            continue
    if code is None and name is None:
        return None
    raise CellError(
        N_("unknown unit of measure %(value)s; use an MKEI code or a name"),
        params={"value": repr(name or code)},
    )


def unit_word(lookups: Lookups, word: str | None) -> str | None:
    """The registry unit named after a capacity («1 000 шт»); None for other words."""
    if word is None:
        return None
    try:
        return lookups.unit_code(word)
    except CellError:
        return None

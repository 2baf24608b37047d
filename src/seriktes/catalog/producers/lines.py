"""Rows of a producer register as lines: who produces what under which certificate.

A line is one row after its cells were parsed: the producer (by BIN, or by name and
address when the register has no BIN), the product and the certificate. Rows that repeat
a producer must agree on it, rows that repeat a product of a certificate must agree on it;
a repeated identical row is merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from seriktes.catalog.models import CertificateKind, CertificateStatus
from seriktes.catalog.producers import cells
from seriktes.catalog.producers.formats import RegisterFormat, unit_of, unit_word
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError, ParsedRows
from seriktes.registry.models import Region
from seriktes.registry.service import Lookups, guess_region_kato

ORG_FIELDS = ("name_ru", "address", "region_id", "oked")
OFFER_FIELDS = ("title", "class_code", "hs_code", "capacity_per_year", "unit_code")
CERT_FIELDS = (
    "issued_on",
    "valid_until",
    "status",
    "local_content",
    "chamber_code",
    "chamber",
)
# the column to blame when two rows disagree on a field
BLAME = {
    "name_ru": ("name", "producer"),
    "address": ("address", "producer"),
    "region_id": ("region", "address", "producer"),
    "oked": ("oked",),
    "capacity_per_year": ("capacity",),
    "unit_code": ("unit_code", "unit", "capacity"),
    "class_code": ("class_code",),
    "issued_on": ("issued_on", "number"),
    "valid_until": ("valid_until", "status"),
    "status": ("status",),
    "local_content": ("local_content",),
    "chamber_code": ("chamber_code", "number"),
    "chamber": ("chamber",),
}


@dataclass
class ProducerLine:
    """One row of a register: the producer, the product and its certificate."""

    row: int
    kind: CertificateKind
    bin: str | None
    org: dict[str, Any]  # ORG_FIELDS the register gives (None: not given)
    region_known: bool  # region from a KATO code, not guessed from an address or name
    offer: dict[str, Any]  # OFFER_FIELDS
    number: str
    cert: dict[str, Any] = field(default_factory=dict)  # CERT_FIELDS

    @property
    def org_key(self) -> tuple[str, str]:
        """How the organisation is found: by BIN, or by its name-and-address key."""
        if self.bin:
            return ("bin", self.bin)
        return ("key", cells.identity_key(self.org["name_ru"], self.org.get("address")))

    @property
    def product(self) -> str:
        """The offer's external id under its producer."""
        return cells.product_id(
            self.offer["title"], self.offer.get("hs_code"), self.offer.get("class_code")
        )


def build_lines(
    parsed: ParsedRows, register: RegisterFormat, lookups: Lookups
) -> list[ProducerLine]:
    """Turn parsed rows into lines; record located errors; merge repeated rows."""
    lines: list[ProducerLine] = []
    bad = parsed.bad_rows()
    for row_no, values in parsed.rows:
        if row_no in bad:
            continue
        try:
            lines.append(_line(row_no, values, register, lookups))
        except _FieldError as exc:
            parsed.error(row_no, exc.field, exc.error)
    return _agreeing(parsed, lines)


class _FieldError(Exception):
    def __init__(self, field_name: str, error: CellError) -> None:
        super().__init__(str(error))
        self.field = field_name
        self.error = error


def _line(
    row: int, values: dict[str, Any], register: RegisterFormat, lookups: Lookups
) -> ProducerLine:
    """A row of the industrial registry or of the certificates of origin as a line."""
    if register.kind is CertificateKind.STKZ_SERIAL:
        return _serial_line(row, values, lookups)
    region = values.get("region")
    addresses = (values.get("address"), values.get("postal_address"), values.get("name"))
    region_id = region.id if isinstance(region, Region) else _guess(lookups, *addresses)
    offer = {
        "title": values["title"],
        "class_code": values.get("class_code"),
        "hs_code": values.get("hs_code"),
    }
    if register.kind is CertificateKind.INDUSTRIAL:
        capacity, word = values.get("capacity") or (None, None)
        offer |= {"capacity_per_year": capacity, "unit_code": unit_word(lookups, word)}
        cert = {"issued_on": values.get("issued_on"), "status": CertificateStatus.VALID}
    else:
        offer["unit_code"], cert = _origin_unit_and_certificate(values, lookups)
    return ProducerLine(
        row=row,
        kind=register.kind,
        bin=values.get("bin"),
        org={
            "name_ru": values["name"],
            "address": values.get("address"),
            "region_id": region_id,
            "oked": values.get("oked"),
        },
        region_known=isinstance(region, Region),
        offer=offer,
        number=str(values["number"]),
        cert=_complete(cert),
    )


def _origin_unit_and_certificate(
    values: dict[str, Any], lookups: Lookups
) -> tuple[str | None, dict[str, Any]]:
    """The unit of a certificate of origin's product, and the certificate's fields."""
    try:
        unit = unit_of(lookups, values.get("unit_code"), values.get("unit"))
    except CellError as exc:
        raise _FieldError("unit", exc) from None
    status, until = values.get("status") or (CertificateStatus.VALID, None)
    number = str(values["number"])
    return unit, {
        "issued_on": values.get("issued_on"),
        "valid_until": values.get("valid_until") or until,
        "status": status,
        "local_content": values.get("local_content"),
        "chamber_code": values.get("chamber_code") or cells.chamber_code(number),
        "chamber": values.get("chamber"),
    }


def _serial_line(row: int, values: dict[str, Any], lookups: Lookups) -> ProducerLine:
    number, issued = values["number"]
    name, address = values["producer"]
    title, hs = values["title"]
    if len(title) > 500:
        raise _FieldError(
            "title",
            CellError(
                N_("is %(length)s characters long; at most %(limit)s are allowed"),
                params={"length": len(title), "limit": 500},
            ),
        )
    if len(name) > 500:
        name = name[:500]
    status, until = values.get("status") or (CertificateStatus.VALID, None)
    return ProducerLine(
        row=row,
        kind=CertificateKind.STKZ_SERIAL,
        bin=None,
        org={
            "name_ru": name,
            "address": address[:500] if address else None,
            "region_id": _guess(lookups, address, name),
            "oked": None,
        },
        region_known=False,
        offer={"title": title, "class_code": None, "hs_code": hs},
        number=number,
        cert=_complete(
            {
                "issued_on": issued,
                "valid_until": until,
                "status": status,
                "chamber_code": cells.chamber_code(number),
            }
        ),
    )


def _complete(cert: dict[str, Any]) -> dict[str, Any]:
    return {name: cert.get(name) for name in CERT_FIELDS}


def _guess(lookups: Lookups, *texts: str | None) -> int | None:
    """The top-level region named first in an address (or, failing that, the name)."""
    for candidate in texts:
        kato = guess_region_kato(candidate) if candidate else None
        if kato and kato in lookups.regions:
            return lookups.regions[kato].id
    return None


def _differs(first: dict[str, Any], later: dict[str, Any]) -> str | None:
    for name, value in later.items():
        stored = first.get(name)
        if isinstance(stored, Decimal | int) and isinstance(value, Decimal | int):
            if Decimal(stored) != Decimal(value):
                return name
        elif stored != value:
            return name
    return None


def _blame(parsed: ParsedRows, name: str) -> str:
    for candidate in BLAME.get(name, (name,)):
        if candidate in parsed.header:
            return candidate
    return name


ORG_REPEAT = N_("the producer repeats row %(row)s with another «%(column)s»")
PRODUCT_REPEAT = N_("the product repeats row %(row)s with another «%(column)s»")
CERT_REPEAT = N_("the certificate repeats row %(row)s with another «%(column)s»")


def _agreeing(parsed: ParsedRows, lines: list[ProducerLine]) -> list[ProducerLine]:
    """Check that repeated producers and products agree; drop rows that repeat another."""
    orgs: dict[Any, ProducerLine] = {}
    products: dict[Any, ProducerLine] = {}
    certs: dict[Any, ProducerLine] = {}
    kept: list[ProducerLine] = []
    for line in lines:
        org_key = line.org_key
        product_key = (org_key, line.product)
        cert_key = (product_key, line.number)
        conflict = (
            _conflict(parsed, orgs.get(org_key), line, "org", ORG_REPEAT)
            or _conflict(parsed, products.get(product_key), line, "offer", PRODUCT_REPEAT)
            or _conflict(parsed, certs.get(cert_key), line, "cert", CERT_REPEAT)
        )
        if conflict:
            parsed.error(line.row, *conflict)
        elif cert_key not in certs:  # else the same row again: merged
            orgs.setdefault(org_key, line)
            products.setdefault(product_key, line)
            certs[cert_key] = line
            kept.append(line)
    return kept


def _conflict(
    parsed: ParsedRows, first: ProducerLine | None, line: ProducerLine, part: str, template: str
) -> tuple[str, CellError] | None:
    """The field on which `line` disagrees with the `first` row naming the same thing."""
    if first is None:
        return None
    # product names that differ in case or spaces only name the same product: the first wins
    later = {k: v for k, v in getattr(line, part).items() if part != "offer" or k != "title"}
    differing = _differs(getattr(first, part), later)
    if differing is None:
        return None
    field_name = _blame(parsed, differing)
    column = parsed.header.get(field_name, field_name)
    return field_name, CellError(template, params={"row": first.row, "column": column})

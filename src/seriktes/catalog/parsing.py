"""Cell parsers of the catalog imports: codes, enums, money."""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Callable

from seriktes.catalog.models import NeedStatus, OfferStatus, Origin
from seriktes.catalog.origins import origin_of
from seriktes.kit.codes import format_classifier_code
from seriktes.kit.i18n import N_
from seriktes.kit.importing import (
    CellError,
    Parser,
    decimal_value,
    limited,
    list_value,
    plan_date,
    text,
)
from seriktes.kit.tabular import Cell
from seriktes.kit.values import CURRENCIES, is_digits
from seriktes.registry.service import Lookups, check_bin

ENSTRU = re.compile(r"^\d{6}\.\d{3}\.\d{6}$")
# ENS TRU codes issued before 2020 are written as dotted KP VED followed by more groups.
LEGACY_ENSTRU = re.compile(r"^\d{2}\.\d{2}\.\d{2}(\.\d+){1,6}$")
STATUS_WORDS = {
    "черновик": "draft",
    "опубликовано": "published",
    "опубликована": "published",
    "закрыто": "closed",
    "закрыта": "closed",
    "архив": "archived",
}


def parse_kpved(value: Cell) -> str | None:
    """Parse a KP VED class code: 25.94.11, 259411 or 25.94 (two to six digits)."""
    raw = text(value)
    if raw is None:
        return None
    digits = raw.replace(".", "").replace(" ", "")
    if not is_digits(digits) or not 2 <= len(digits) <= 9:
        raise CellError(
            N_("KP VED code must look like 25.94.11, got %(raw)s"), params={"raw": repr(raw)}
        )
    return format_classifier_code(digits)


def parse_enstru(value: Cell) -> str | None:
    """Parse an ENS TRU code XXXXXX.XXX.XXXXXX."""
    raw = text(value)
    if raw is None:
        return None
    if len(raw) > 40 or not (ENSTRU.match(raw) or LEGACY_ENSTRU.match(raw)):
        raise CellError(
            N_("ENS TRU code must look like 222929.900.000129, got %(raw)s"),
            params={"raw": repr(raw)},
        )
    return raw


def class_from_enstru(enstru: str) -> str:
    """Return the KP VED class (first six digits) of a current or legacy ENS TRU code."""
    return format_classifier_code(enstru.replace(".", "")[:6])


def parse_currency(value: Cell) -> str:
    """Parse a three-letter currency code, KZT when empty."""
    raw = (text(value) or "KZT").upper()
    if raw in {"ТГ", "ТЕНГЕ", "₸"}:
        return "KZT"
    if raw not in CURRENCIES:
        raise CellError(
            N_("unknown currency %(value)s; use one of %(known)s"),
            params={"value": repr(raw), "known": ", ".join(CURRENCIES)},
        )
    return raw


def parse_origin(value: Cell) -> Origin:
    """Parse the current origin of a need: a word in English or Russian, or a country
    (`catalog.origins`)."""
    raw = text(value)
    if raw is None:
        return Origin.UNKNOWN
    origin = origin_of(raw)
    if origin is None:
        raise CellError(
            N_(
                "unknown origin %(raw)s; use domestic, eaeu, far_abroad, unknown or a country "
                "(its name or ISO code: Китай, CN, CHN)"
            ),
            params={"raw": repr(raw)},
        )
    return origin


def status_parser(enum_cls: type[NeedStatus] | type[OfferStatus]) -> Callable[[Cell], enum.Enum]:
    """Return a parser of a status of `enum_cls` in English or Russian."""
    default = enum_cls("published")

    def parse(value: Cell) -> enum.Enum:
        raw = text(value)
        if raw is None:
            return default
        word = STATUS_WORDS.get(raw.lower(), raw.lower())
        try:
            return enum_cls(word)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_cls)
            raise CellError(
                N_("unknown status %(raw)s; use %(allowed)s"),
                params={"raw": repr(raw), "allowed": allowed},
            ) from None

    return parse


def title_text(value: Cell) -> str | None:
    """Parse a title: text of at most 500 characters."""
    raw = text(value)
    if raw is not None and len(raw) > 500:
        raise CellError(
            N_("is %(length)s characters long; at most 500 are allowed"),
            params={"length": len(raw)},
        )
    return raw


def hs_code(value: Cell) -> str | None:
    """Parse an HS (TN VED EAEU) code of 4 to 10 digits."""
    raw = text(value)
    if raw is None:
        return None
    digits = raw.replace(" ", "").replace(".", "")
    if not is_digits(digits) or not 4 <= len(digits) <= 10:
        raise CellError(
            N_("HS code must be 4 to 10 digits, got %(raw)s"), params={"raw": repr(raw)}
        )
    return digits


def line_parsers(lookups: Lookups, kind: str) -> dict[str, Parser]:
    """Return the field parsers of a needs or offers file."""

    def bin_parser(cell: Cell) -> str:
        return check_bin(text(cell))

    common: dict[str, Parser] = {
        "title": title_text,
        "external_id": limited(128),
        "class_code": parse_kpved,
        "unit": lambda cell: lookups.unit_code(text(cell)),
        "currency": parse_currency,
    }
    if kind == "needs":
        return common | {
            "buyer_bin": bin_parser,
            "buyer_name": limited(500),
            "enstru_code": parse_enstru,
            "quantity": decimal_value,
            "unit_price": decimal_value,
            "delivery_region": lambda cell: lookups.region(text(cell)),
            "needed_by": plan_date,
            "origin": parse_origin,
            "status": status_parser(NeedStatus),
        }
    return common | {
        "producer_bin": bin_parser,
        "producer_name": limited(500),
        "hs_code": hs_code,
        "capacity_per_year": decimal_value,
        "price": decimal_value,
        "certificates": list_value,
        "status": status_parser(OfferStatus),
    }


def content_id(*parts: object) -> str:
    """Return a stable id derived from a line's content, for files without an id column."""
    digest = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode())
    return "h:" + digest.hexdigest()[:20]

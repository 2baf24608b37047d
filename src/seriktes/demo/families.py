"""Product families: the shared vocabulary from which demo needs and offers are written.

A family is one kind of product, work or service (grinding balls, mill liners, canteen
services...). Buyers' needs and producers' offers drawn from the same family share the
KP VED class and the technical words, so that matching has real pairs to find, while
their wording differs the way a procurement line differs from a price-list entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from random import Random
from typing import Literal

Kind = Literal["goods", "works", "services"]
PLACEHOLDER = re.compile(r"(: )?\{(\w+)\}")
Slots = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Family:
    """A kind of product, work or service with its codes, unit, prices and wordings."""

    key: str
    class_code: str  # KP VED "XX.XX.XX", present in the OKPD2 tree
    unit: str  # MKEI code
    price: tuple[int, int]  # KZT per unit
    quantity: tuple[int, int]  # size of one procurement line, in units
    need: tuple[str, ...]  # title templates as buyers write them
    offer: tuple[str, ...]  # title templates as producers write them
    slots: Slots  # placeholder name -> the values it takes
    detail: str  # technical detail (may use slots) for specifications and descriptions
    hs: str | None  # TN VED EAEU 10-digit code, None for works and services
    ens: str  # middle three digits of the ENS TRU code
    imported: float  # share of buyers who source it from far abroad today
    eaeu: float  # share of buyers who source it from Russia or Belarus today
    buyers: frozenset[str]  # buyer tags that procure it
    makers: frozenset[str]  # producer tags that supply it
    kind: Kind
    decimals: int  # decimal places of quantities (tonnes are ordered as 12.5)
    weight: float = 1.0  # how often buyers' lists mention the family, relative to others


def family(
    key: str,
    class_code: str,
    unit: str,
    price: tuple[int, int],
    quantity: tuple[int, int],
    *,
    need: tuple[str, ...] = (),
    offer: tuple[str, ...] = (),
    slots: dict[str, tuple[str, ...]] | None = None,
    detail: str = "",
    hs: str | None = None,
    ens: str = "100",
    imported: float = 0.0,
    eaeu: float = 0.0,
    buyers: str = "",
    makers: str = "",
    kind: Kind = "goods",
    decimals: int = 0,
) -> Family:
    """Build a family; tags are given as space-separated words for readability."""
    return Family(
        key=key,
        class_code=class_code,
        unit=unit,
        price=price,
        quantity=quantity,
        need=need,
        offer=offer,
        slots=tuple((slots or {}).items()),
        detail=detail,
        hs=hs,
        ens=ens,
        imported=imported,
        eaeu=eaeu,
        buyers=frozenset(buyers.split()),
        makers=frozenset(makers.split()),
        kind=kind,
        decimals=decimals,
    )


def pick_slots(item: Family, rng: Random) -> dict[str, str]:
    """Choose one value for every slot of a family, in declaration order."""
    return {name: rng.choice(values) for name, values in item.slots}


def fill(template: str, values: dict[str, str]) -> str:
    """Fill a template's placeholders; a value after a colon loses its capital («: гайка»)."""

    def value(match: re.Match[str]) -> str:
        colon, text = match.group(1) or "", values[match.group(2)]
        if colon and text[:2].istitle():  # «Гайка» but not «КАМАЗ»
            text = text[0].lower() + text[1:]
        return colon + text

    return PLACEHOLDER.sub(value, template)

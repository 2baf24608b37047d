"""What the listing pages share: filter values read from the query (blank ones dropped,
choices checked), links that keep the filters, the labels of a line's origin, status, size
and class agreement, and numbers, money, dates and names as each language writes them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Query, Request
from sqlalchemy.orm import Session

from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.registry import repository as registry_repository
from seriktes.registry.facts import TOP_LEVEL_REGIONS
from seriktes.registry.models import Organisation, Region, Unit
from seriktes.registry.names import NamedRegion, ordered_regions, region_name

Text = Annotated[str | None, Query(max_length=200)]
R = TypeVar("R", bound=NamedRegion)

ORIGINS = {
    "far_abroad": N_("Far abroad"),
    "eaeu": N_("EAEU"),
    "domestic": N_("Domestic"),
    "unknown": N_("Unknown"),
}
STATUSES = {
    "draft": N_("Draft"),
    "published": N_("Published"),
    "closed": N_("Closed"),
    "archived": N_("Archived"),
}
SIZES = {"large": N_("Large"), "medium": N_("Medium"), "small": N_("Small"), "micro": N_("Micro")}
CLASS_LEVELS = {
    6: N_("same class (6 digits)"),
    4: N_("same group (4 digits)"),
    2: N_("same division (2 digits)"),
    0: N_("classes differ"),
}


# --- query values ------------------------------------------------------------------------
def blank(value: str | None) -> str | None:
    """None for a missing or empty query or form value."""
    return value.strip() if value and value.strip() else None


def choice(value: str | None, allowed: Iterable[str], field: str) -> str | None:
    """A filter value that must be one of `allowed` (422 otherwise)."""
    value = blank(value)
    if value is not None and value not in allowed:
        item = ErrorItem(
            ("query", field), N_("unknown value %(value)s"), params={"value": repr(value)}
        )
        raise ValidationFailed(
            N_("unknown %(field)s %(value)s"), [item], params={"field": field, "value": repr(value)}
        )
    return value


def class_names(session: Session, codes: Iterable[str | None], lang: str) -> dict[str, str]:
    """KP VED names of the given codes (those the registry holds) in `lang`."""
    names = registry_repository.class_names(session, codes)
    return {code: kk if lang == "kk" and kk else ru for code, (ru, kk) in names.items()}


# --- formatting --------------------------------------------------------------------------
class Fmt:
    """Numbers, money, dates and names as each language writes them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def number(self, value: Decimal | float | int | None, places: int = 3) -> str:
        """1 500,5 (ru, kk) or 1,500.5 (en); trailing zeros dropped."""
        if value is None:
            return ""
        text = f"{round(Decimal(str(value)), places).normalize():,f}"
        return text if self.lang == "en" else text.replace(",", "\u202f").replace(".", ",")

    def money(self, value: Decimal | float | None, currency: str = "KZT") -> str:
        """An amount with its currency sign."""
        if value is None:
            return ""
        return f"{self.number(value, 0)}\u00a0{'₸' if currency == 'KZT' else currency}"

    def score(self, value: float | None) -> str:
        """A score or factor in [0, 1] with two decimals."""
        if value is None:
            return ""
        return f"{value:.2f}" if self.lang == "en" else f"{value:.2f}".replace(".", ",")

    def day(self, value: date | None) -> str:
        """07.04.2027 (ru, kk) or 2027-04-07 (en)."""
        if value is None:
            return ""
        return value.isoformat() if self.lang == "en" else value.strftime("%d.%m.%Y")

    def region(self, region: Region | None, short: bool = True) -> str:
        """The region's name; in tables its short form (ВКО, Павлодарская, ШҚО, Pavlodar)."""
        if region is None:
            return ""
        return region.short_name(self.lang) if short else region.name(self.lang)

    def region_names(self) -> dict[str, str]:
        """The top-level regions' full names in this language by KATO code (for scripts)."""
        return {
            fact.kato: region_name(fact.kato, fact.name_ru, fact.name_kk, self.lang)
            for fact in TOP_LEVEL_REGIONS
        }

    def regions(self, regions: Iterable[R], first: Iterable[str] = ()) -> list[R]:
        """Regions in the one order of every list (by name, `first` KATO codes first)."""
        return ordered_regions(regions, self.lang, tuple(first))

    def org(self, org: Organisation | None) -> str:
        """The organisation's name in the page's language when it has one."""
        if org is None:
            return ""
        return org.name_kk if self.lang == "kk" and org.name_kk else org.name_ru

    def unit(self, unit: Unit | None) -> str:
        """The symbol of a unit of measure after a number (шт, дана, pcs)."""
        return unit.symbol(self.lang) if unit else ""

    def unit_option(self, unit: Unit) -> str:
        """A unit in a select: «pcs · piece»."""
        return f"{unit.symbol(self.lang)} · {unit.name(self.lang)}"


class QueryLink:
    """Links to this page with some query parameters changed (filters kept)."""

    def __init__(self, request: Request) -> None:
        drop = {"lang", "saved", "deleted"}
        self.params = {k: v for k, v in request.query_params.items() if k not in drop}

    def __call__(self, **changes: object) -> str:
        """`?…` with `changes` applied; empty values left out."""
        merged = {**self.params, **{k: str(v) if v is not None else "" for k, v in changes.items()}}
        return "?" + urlencode({k: v for k, v in merged.items() if v})

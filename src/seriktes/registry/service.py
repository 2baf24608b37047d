"""Registry rules: reference data, look-ups by code or name, region inference."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError, normalise_header
from seriktes.kit.values import is_digits
from seriktes.registry import repository
from seriktes.registry.bin import bin_problem_template
from seriktes.registry.facts import (
    REGION_NAMES_EN,
    REGION_STEMS,
    TOP_LEVEL_REGIONS,
    UNIT_NAMES_EN,
    UNIT_SYMBOLS_KK,
    UNITS,
)
from seriktes.registry.kato import oblast_kato, padded
from seriktes.registry.models import Region, Unit


def ensure_reference_data(session: Session) -> None:
    """Insert or refresh the facts every database needs: top-level regions and units."""
    existing = repository.regions_by_kato(session)
    for fact in TOP_LEVEL_REGIONS:
        region = existing.get(fact.kato)
        if region is None:
            session.add(
                Region(
                    kato=fact.kato,
                    level="oblast",
                    type_code=1 if fact.is_city else 0,
                    name_ru=fact.name_ru,
                    name_kk=fact.name_kk,
                )
            )
    known_units = {unit.code: unit for unit in repository.units(session)}
    for unit_fact in UNITS:
        unit = known_units.get(unit_fact.code) or Unit(code=unit_fact.code)
        unit.name_ru = unit_fact.name_ru
        unit.name_kk = unit_fact.name_kk
        unit.short_ru = unit_fact.short_ru
        unit.kind = unit_fact.kind
        unit.aliases = list(unit_fact.aliases)
        session.add(unit)
    session.flush()


def guess_region_kato(text: str) -> str | None:
    """Infer the top-level region named in an organisation name or address."""
    lowered = text.lower().replace("ё", "е")
    best: tuple[int, str] | None = None
    for stem, kato in REGION_STEMS:
        match = re.search(rf"(?<![а-яәғқңөұүһі]){re.escape(stem)}", lowered)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kato)
    return best[1] if best else None


def check_bin(value: str | None) -> str:
    """Return a normalised valid BIN or raise CellError saying what is wrong."""
    if value is None:
        raise CellError(N_("BIN is empty"))
    raw = re.sub(r"\s", "", value)
    if is_digits(raw) and len(raw) in (10, 11):
        raw = raw.zfill(12)  # spreadsheets drop the leading zeros of BINs from the 2000s
    problem = bin_problem_template(raw)
    if problem:
        raise CellError(problem[0], problem[1])
    return raw


def unit_spellings(units: Iterable[Unit]) -> dict[str, str]:
    """Every unit's code, names, short name, aliases, English name and symbol and Kazakh
    symbol, folded (case, ё, punctuation and spaces: «Кг.» is «кг»), → its MKEI code."""
    found: dict[str, str] = {}
    for unit in units:
        english = UNIT_NAMES_EN.get(unit.code, ())
        for spelling in (unit.code, unit.name_ru, unit.name_kk, unit.short_ru, *unit.aliases):
            found.setdefault(_fold(spelling), unit.code)
        for spelling in (*english, UNIT_SYMBOLS_KK.get(unit.code, "")):
            if spelling:
                found.setdefault(_fold(spelling), unit.code)
    return found


def unit_code_of(value: str, units: Mapping[str, Unit], spellings: Mapping[str, str]) -> str | None:
    """The MKEI code of a unit given by code («796»; «6» is «006») or by a spelling such
    as «шт.» or «м²»; None when no unit is spelled so."""
    if is_digits(value) and value.zfill(3) in units:
        return value.zfill(3)
    return spellings.get(_fold(value))


def unit_by_spelling(session: Session, value: str) -> Unit | None:
    """The unit of a code or spelling, read from the registry (see `unit_code_of`)."""
    units = {unit.code: unit for unit in repository.units(session)}
    code = unit_code_of(value, units, unit_spellings(units.values()))
    return None if code is None else units[code]


@dataclass
class Lookups:
    """In-memory look-ups built once per import: units and regions by any spelling."""

    units: dict[str, Unit] = field(default_factory=dict)
    unit_spellings: dict[str, str] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Lookups:
        """Read units and regions from the database."""
        lookups = cls()
        lookups.units = {unit.code: unit for unit in repository.units(session)}
        lookups.unit_spellings = unit_spellings(lookups.units.values())
        for kato, region in repository.regions_by_kato(session).items():
            lookups.regions[kato] = region
            if region.level == "oblast":
                for name in (region.name_ru, region.name_kk):
                    lookups.region_names.setdefault(_fold(name), kato)
        for fact in TOP_LEVEL_REGIONS:
            for name in (fact.short_ru, *REGION_NAMES_EN[fact.kato]):
                lookups.region_names.setdefault(_fold(name), fact.kato)
        return lookups

    def unit_code(self, value: str | None) -> str | None:
        """Return the MKEI code for a code or a spelling such as «шт.» or «м²»."""
        if value is None:
            return None
        code = unit_code_of(value, self.units, self.unit_spellings)
        if code is None:
            raise CellError(
                N_("unknown unit of measure %(value)s; use an MKEI code or a name"),
                params={"value": repr(value)},
            )
        return code

    def region(self, value: str | None) -> Region | None:
        """Return the region for a KATO code or a region name."""
        if value is None:
            return None
        digits = value.strip()
        if is_digits(digits):
            # a unit below the oblast falls back to its oblast when KATO is not fully loaded
            candidates = (padded(digits), oblast_kato(digits)) if len(digits) <= 9 else ()
            region = next((self.regions[c] for c in candidates if c in self.regions), None)
            if region is None:
                raise CellError(N_("unknown KATO code %(value)s"), params={"value": repr(value)})
            return region
        kato = self.region_names.get(_fold(value)) or guess_region_kato(value)
        if kato is None or kato not in self.regions:
            raise CellError(
                N_("unknown region %(value)s; use a KATO code or an oblast name"),
                params={"value": repr(value)},
            )
        return self.regions[kato]


def _fold(value: str) -> str:
    return normalise_header(value).replace(" ", "")

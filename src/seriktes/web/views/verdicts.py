"""Bands and verdicts of matches for people: the band's label and hint, the engine's verdict
(English) in the page's language, and where producers of a need's class are when the need has
no strong or possible match."""

from __future__ import annotations

import re
from dataclasses import dataclass

from seriktes.kit.i18n import N_, format_number, translate
from seriktes.matches.service import Coverage
from seriktes.registry.facts import RegionFact
from seriktes.registry.names import region_name

BANDS = {
    "strong": N_("strong match"),
    "possible": N_("possible match"),
    "weak": N_("weak match"),
}
BAND_HINTS = {
    "strong": N_("The offer names the product needed; such matches are almost always right."),
    "possible": N_("Same product class or a close product; usually right, check the details."),
    "weak": N_("Only partly alike (another material or purpose, or a low score); often wrong."),
}
# The engine's fixed verdicts (English); listed so that they are translated.
VERDICTS = (
    N_("the product agrees"),
    N_("same class, another product word"),
    N_("the product word is only in the offer's details"),
    N_("marked suitable for this need"),
    N_("marked not suitable for this need"),
    N_("marked suitable for a similar need"),
    N_("marked not suitable for a similar need"),
)
MATERIALS = {
    "steel": N_("steel"),
    "cast iron": N_("cast iron"),
    "copper": N_("copper"),
    "brass": N_("brass"),
    "aluminium": N_("aluminium"),
    "polypropylene": N_("polypropylene"),
    "polyethylene": N_("polyethylene"),
    "pvc": N_("PVC"),
    "rubber": N_("rubber"),
    "wood": N_("wood"),
    "glass": N_("glass"),
    "concrete": N_("concrete"),
    "paper": N_("paper"),
    "cotton": N_("cotton"),
    "leather": N_("leather"),
}
PURPOSES = {
    "engine": N_("for engines"),
    "transmission": N_("for transmissions"),
    "hydraulic": N_("for hydraulics"),
    "compressor": N_("for compressors"),
    "transformer": N_("for transformers"),
    "oil": N_("for oil"),
    "air": N_("for air"),
    "fuel": N_("for fuel"),
    "laboratory": N_("for laboratories"),
    "medical": N_("for medicine"),
    "food": N_("for food"),
    "abrasive": N_("for grinding and cutting"),
    "sport": N_("for sport"),
    "lifting": N_("for cranes"),
    "valve": N_("for pipeline valves"),
}
CLASH = re.compile(r"(?P<kind>material|purpose): (?P<wanted>.+) vs (?P<offered>.+)")
CLASH_TEMPLATES = {
    "material": N_("material: the need names {wanted}, the offer {offered}"),
    "purpose": N_("purpose: the need is {wanted}, the offer {offered}"),
}


def humane_verdict(verdict: str, lang: str) -> str:
    """The engine's verdict («the product agrees», «material: steel vs polypropylene», parts
    joined by «; ») in `lang`; names the catalogue does not know stay as the engine gave them."""
    return "; ".join(_part(part.strip(), lang) for part in verdict.split(";") if part.strip())


def _part(text: str, lang: str) -> str:
    found = CLASH.fullmatch(text)
    if found is None:
        return translate(lang, text)
    names = MATERIALS if found["kind"] == "material" else PURPOSES

    def words(listed: str) -> str:
        return ", ".join(translate(lang, names.get(w, w)) for w in listed.split(", "))

    template = translate(lang, CLASH_TEMPLATES[found["kind"]])
    return template.format(wanted=words(found["wanted"]), offered=words(found["offered"]))


@dataclass(frozen=True)
class CoverageNotice:
    """What the need page says when no producer of the need's class is near it."""

    group: str
    regions: str  # the need's region and its partner regions, named
    nearest: list[str]  # «Павлодарская область (410 км)»
    partnered: bool  # the need's region has partner regions


def coverage_notice(found: Coverage | None, lang: str) -> CoverageNotice | None:
    """The notice of a need's coverage, None when producers of its class are near it."""
    if found is None or not found.missing:
        return None
    km = translate(lang, N_("km"))
    nearest = [
        f"{_name(away.region, lang)} ({format_number(away.km, lang)}\u00a0{km})"
        for away in found.nearest
    ]
    regions = ", ".join(_name(r, lang) for r in found.regions)
    return CoverageNotice(found.group, regions, nearest, len(found.regions) > 1)


def _name(region: RegionFact, lang: str) -> str:
    return region_name(region.kato, region.name_ru, region.name_kk, lang)

"""Why an offer was ranked for a need, as people read it: the engine's notes translated, its
factors in two labelled groups (relevance and supplier fit), the band and the verdict."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from seriktes.kit.i18n import N_, translate
from seriktes.matches.bands import band_of
from seriktes.matching.ranking import Weights
from seriktes.web.listing import Fmt
from seriktes.web.views.verdicts import humane_verdict

FACTORS = {
    "text": N_("Text similarity"),
    "class": N_("Product class"),
    "unit": N_("Unit"),
    "capacity": N_("Capacity"),
    "region": N_("Region"),
    "certificate": N_("Certificate"),
    "import_substitution": N_("Import substitution"),
}
UNIT_KINDS = {
    "count": N_("pieces"),
    "mass": N_("mass"),
    "volume": N_("volume"),
    "length": N_("length"),
    "area": N_("area"),
    "set": N_("sets"),
    "package": N_("packages"),
    "time": N_("time"),
    "power": N_("power"),
    "energy": N_("energy"),
    "service": N_("services"),
    "work": N_("works"),
}
BOUGHT_TODAY = {
    "far_abroad": N_("bought from far abroad today"),
    "eaeu": N_("bought from the EAEU today"),
    "domestic": N_("bought from domestic producers today"),
    "unknown": N_("where it is bought today is unknown"),
}
# The engine's fixed notes (English); listed so that they are translated.
FIXED_NOTES = (
    N_("similarity of the texts"),
    N_("classes differ"),
    N_("unit unknown"),
    N_("same unit"),
    N_("capacity or quantity unknown"),
    N_("units not comparable"),
    N_("region unknown"),
    N_("partner region"),
    N_("same region"),
    N_("distance unknown"),
    N_("domestic producer certificate"),
    N_("no certificate"),
)
NOTE_PATTERNS = (
    (re.compile(r"(?P<km>\d+) km away"), N_("{km} km away")),
    (
        re.compile(r"classes agree to (?P<digits>\d+) digits"),
        N_("classes agree to {digits} digits"),
    ),
    (
        re.compile(r"capacity covers (?P<times>[\d.]+)× the quantity"),
        N_("capacity covers {times}×"),
    ),
    (re.compile(r"capacity covers (?P<pct>\d+)% of the quantity"), N_("capacity covers {pct}%")),
    (re.compile(r"both in (?P<kind>\w+)"), N_("units of one kind: {kind}")),
    (
        re.compile(r"the product word «(?P<word>[^»]+)» is not in the offer"),
        N_("the offer lacks the product word «{word}»"),
    ),
    (re.compile(r"(?P<a>[\w.]+) vs (?P<b>[\w.]+)"), N_("different kinds of units: {a} and {b}")),
)
GROUPS = (
    ("relevance", N_("Relevance"), N_("Is it the thing needed: its words and product class")),
    ("fit", N_("Supplier fit"), N_("How good a supplier: unit, capacity, region, certificates")),
)
RULE = re.compile(r"score = relevance × \((?P<base>[\d.]+) \+ (?P<share>[\d.]+) × fit\)")


def humane_note(note: str, lang: str) -> str:
    """Translate an engine note such as «972 km away» or «bought today: far_abroad»."""
    if note.startswith("bought today: "):
        origin = note.removeprefix("bought today: ")
        return translate(lang, BOUGHT_TODAY.get(origin, BOUGHT_TODAY["unknown"]))
    for pattern, template in NOTE_PATTERNS:
        found = pattern.fullmatch(note)
        if found is None:
            continue
        fmt, parts = Fmt(lang), found.groupdict()
        values = {
            "km": fmt.number(int(parts.get("km") or 0)),
            "times": fmt.number(float(parts.get("times") or 0), 1),
            "pct": parts.get("pct"),
            "digits": parts.get("digits"),
            "word": parts.get("word"),
            **{
                k: translate(lang, UNIT_KINDS.get(v, v))
                for k, v in parts.items()
                if k in ("kind", "a", "b")
            },
        }
        return translate(lang, template).format(**values)
    return translate(lang, note)


@dataclass(frozen=True)
class FactorView:
    """One ranking factor as people read it."""

    label: str
    value: float
    weight: float
    note: str
    track: float  # the weight as a share of the group's widest, for the bar's length


@dataclass(frozen=True)
class FactorGroup:
    """Relevance (is it the thing needed) or fit (how good a supplier), with its factors."""

    label: str
    hint: str
    value: float | None
    factors: list[FactorView]


@dataclass(frozen=True)
class Explanation:
    """Why an offer was ranked for a need: its band and the rules' verdict, matched words,
    class agreement, factor groups and the rule that combines them (score = relevance ×
    (base + share × fit))."""

    terms: list[str]
    class_level: int
    groups: list[FactorGroup]
    base: float | None = None
    share: float | None = None
    band: str = "strong"
    verdict: str = ""


def explain(data: Mapping[str, Any] | None, lang: str, score: float = 0.0) -> Explanation:
    """Turn a stored explanation dict (of a match with this score) into its band, verdict and
    labelled, translated factor groups."""
    data = data or {}
    raw = [f for f in data.get("factors") or [] if isinstance(f, Mapping)]
    groups = []
    for key, label, hint in GROUPS:
        # text and class make the relevance; every other factor the supplier's fit
        relevant = key == "relevance"
        members = [f for f in raw if (str(f.get("name")) in Weights.RELEVANCE) == relevant]
        widest = max((float(f.get("weight") or 0) for f in members), default=0.0) or 1.0
        factors = [
            FactorView(
                label=FACTORS.get(str(f.get("name")), str(f.get("name"))),
                value=float(f.get("value") or 0),
                weight=float(f.get("weight") or 0),
                note=humane_note(str(f.get("note") or ""), lang),
                track=float(f.get("weight") or 0) / widest,
            )
            for f in members
        ]
        value = data.get(key)
        groups.append(
            FactorGroup(label, hint, float(value) if value is not None else None, factors)
        )
    rule = RULE.fullmatch(str(data.get("rule") or ""))
    base, share = (float(rule["base"]), float(rule["share"])) if rule else (None, None)
    terms = [str(term) for term in data.get("matched_terms") or []]
    level = int(data.get("class_level") or 0)
    verdict = humane_verdict(str(data.get("verdict") or ""), lang)
    return Explanation(terms, level, groups, base, share, band_of(data, score), verdict)

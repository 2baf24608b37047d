"""HTML pages: search (free text → product classes and offers), and the presentation the
catalogue pages share: labels of codes, numbers and dates as each language writes them,
engine notes and match explanations for people, links that keep the filters."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_, translate
from seriktes.matches.bands import band_of
from seriktes.matches.queries import search
from seriktes.matching.ranking import Weights
from seriktes.registry.facts import TOP_LEVEL_REGIONS
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Organisation, Region, Unit
from seriktes.web.auth import CurrentUser
from seriktes.web.deps import DbSession, Language
from seriktes.web.templating import render
from seriktes.web.views.verdicts import BAND_HINTS, BANDS, humane_verdict

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]

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
FACTORS = {
    "text": N_("Text similarity"),
    "class": N_("Product class"),
    "unit": N_("Unit"),
    "capacity": N_("Capacity"),
    "region": N_("Region"),
    "certificate": N_("Certificate"),
    "import_substitution": N_("Import substitution"),
}
CLASS_LEVELS = {
    6: N_("same class (6 digits)"),
    4: N_("same group (4 digits)"),
    2: N_("same division (2 digits)"),
    0: N_("classes differ"),
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
SHORT_RU = {fact.kato: fact.short_ru for fact in TOP_LEVEL_REGIONS}
SHORT_KK = {
    "Шығыс Қазақстан облысы": "ШҚО",
    "Солтүстік Қазақстан облысы": "СҚО",
    "Батыс Қазақстан облысы": "БҚО",
}
LABELS = {
    "origins": ORIGINS,
    "statuses": STATUSES,
    "sizes": SIZES,
    "class_levels": CLASS_LEVELS,
    "bands": BANDS,
    "band_hints": BAND_HINTS,
}


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
        """The region's name; in tables its short form (ВКО, Павлодарская, ШҚО)."""
        if region is None:
            return ""
        if not short:
            return region.name(self.lang)
        if self.lang != "kk" and region.kato in SHORT_RU:
            return SHORT_RU[region.kato]
        name = region.name(self.lang)
        return SHORT_KK.get(name) or name.replace(" облысы", "").replace(" область", "")

    def org(self, org: Organisation | None) -> str:
        """The organisation's name in the page's language when it has one."""
        if org is None:
            return ""
        return org.name_kk if self.lang == "kk" and org.name_kk else org.name_ru

    def unit(self, unit: Unit | None) -> str:
        """The short name of a unit of measure."""
        return unit.short_ru if unit else ""


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


# --- pages -------------------------------------------------------------------------------
class QueryLink:
    """Links to this page with some query parameters changed (filters kept)."""

    def __init__(self, request: Request) -> None:
        drop = {"lang", "saved", "deleted"}
        self.params = {k: v for k, v in request.query_params.items() if k not in drop}

    def __call__(self, **changes: object) -> str:
        """`?…` with `changes` applied; empty values left out."""
        merged = {**self.params, **{k: str(v) if v is not None else "" for k, v in changes.items()}}
        return "?" + urlencode({k: v for k, v in merged.items() if v})


def show(request: Request, lang: str, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page of this part of the UI with its formatting helpers and labels."""
    return render(
        request,
        lang,
        name,
        status=status,
        fmt=Fmt(lang),
        link=QueryLink(request),
        **LABELS,
        **context,
    )


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
    """KP VED names of the given codes (those the registry holds)."""
    wanted = sorted({code for code in codes if code})
    if not wanted:
        return {}
    stmt = select(ClassifierCode.code, ClassifierCode.name_ru, ClassifierCode.name_kk).where(
        ClassifierCode.system == ClassifierSystem.KPVED, ClassifierCode.code.in_(wanted)
    )
    return {code: kk if lang == "kk" and kk else ru for code, ru, kk in session.execute(stmt)}


EXAMPLES = ("Подшипник 6205-2RS", "Канат стальной ГОСТ 2688-80", "Футеровка мельницы")


@router.get("/search", response_class=HTMLResponse, name="search")
def search_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    q: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    """Free text → the likely KP VED classes and the offers it describes, with producers."""
    result = search(session, user, q or "")
    codes = [c.code for c in result.classes] + [o.class_code for o, _score in result.offers]
    return show(
        request,
        lang,
        "search.html",
        query=result.query,
        result=result,
        class_names=class_names(session, codes, lang),
        examples=EXAMPLES,
    )

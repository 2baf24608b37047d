"""The report's method page and its honest wordings: the comparison with the previous year,
KPI and division names, the rules and the sources, in the report's language.

Texts are English message ids (`kit.i18n`) translated in `locales/<lang>/report_method.po`;
the PDF's appendix, the workbook's «Method» sheet and the page read the same `method_items`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seriktes.agreements.labels import KPIS
from seriktes.analytics.comparison import Comparison, Reason
from seriktes.analytics.labels import (
    REPORT_CONTEXT,
    RULES,
    label,
    money,
    number,
    signed_percent,
)
from seriktes.analytics.sections import BY_LETTER, section_of
from seriktes.kit.dates import long_date, month_span
from seriktes.kit.i18n import N_
from seriktes.matching.precision import BandLimits

COMPARISON_RULE = N_(
    "Change on the previous year: computed over the same months of both years only, from "
    "January to the month of the year's last confirmed deal or delivery (or of the report's "
    "date, when that comes first). When the data do not cover those months of the previous "
    "year, the report says there is no comparable period and gives no percentage."
)
BANDS_RULE = N_(
    "Matches: import substitution and the SMEs' matched value count only matches in the "
    "strong and possible bands; weak matches are often wrong and count nowhere. A stored "
    "match is in the band the matching engine gave it; a match stored without one is strong "
    "from a relevance of {strong} and possible from {possible}."
)
SOURCES = N_(
    "Sources: buyers' procurement plans from the public procurement portal goszakup.gov.kz "
    "(needs, their origin and prices); the registers of domestic producers (offers, "
    "capacities, prices); the KATO classifier of administrative-territorial units (the "
    "regions of organisations); the KP VED product classifier (classes, divisions, "
    "sections); deals, deliveries and memoranda recorded on the platform by their parties "
    "and the regions' coordinators; gross regional product of the Bureau of National "
    "Statistics when its data file is present."
)


@dataclass(frozen=True)
class MethodItem:
    """One rule of the method page: a key, a heading and its text."""

    key: str
    heading: str
    text: str


def kpi_name(lang: str, kpi: str) -> str:
    """A commitment's KPI in words («Товарооборот, ₸»); the code only if unknown."""
    return label(lang, KPIS[kpi], REPORT_CONTEXT) if kpi in KPIS else kpi.replace("_", " ")


def division_name(lang: str, division: str, names: dict[str, str]) -> str:
    """A two-digit KP VED division in words: «25 Name» with its classifier name when loaded,
    otherwise «раздел 25 (Продукция обрабатывающих производств)» from the sections' table."""
    if names.get(division):
        return f"{division} {names[division]}"
    section = BY_LETTER.get(section_of(division))
    if section is None:
        return label(lang, N_("unclassified"))
    return label(lang, N_("division {code} ({section})"), code=division, section=section.name(lang))


def data_date(lang: str, comparison: Comparison, generated: date) -> str:
    """«Data as of 1 December 2026: confirmed deals and deliveries from … to ….»"""
    coverage = comparison.coverage
    when = long_date(generated, lang)
    if coverage.first is None or coverage.last is None:
        return label(lang, N_("Data as of {date}: no confirmed deal is recorded yet."), date=when)
    return label(
        lang,
        N_("Data as of {date}: confirmed deals and deliveries recorded from {first} to {last}."),
        date=when,
        first=long_date(coverage.first, lang),
        last=long_date(coverage.last, lang),
    )


def comparison_note(lang: str, comparison: Comparison) -> str:
    """The turnover's change on the previous year, or why there is none."""
    year, first, last = comparison.year, comparison.first, comparison.last
    if first is None or last is None or comparison.reason is Reason.NO_DATA_THIS_YEAR:
        return label(
            lang,
            N_("No comparable period: nothing is recorded in {year} up to the report's date."),
            year=year,
        )
    now, before = month_span(year, first, last, lang), month_span(year - 1, first, last, lang)
    if comparison.reason is Reason.PREVIOUS_NOT_COVERED:
        begins = comparison.coverage.first
        return label(
            lang,
            N_("No comparable period: the data begin on {date}, so {previous} is not covered."),
            date=long_date(begins, lang) if begins else "—",
            previous=before,
        )
    if comparison.reason is Reason.PREVIOUS_EMPTY or comparison.change is None:
        return label(
            lang,
            N_("No change in percent: no turnover in {previous} to compare {current} with."),
            previous=before,
            current=now,
        )
    return label(
        lang,
        N_("{change}: {current} ({now}) against {previous} ({before})"),
        change=signed_percent(comparison.change, lang),
        current=now,
        now=money(comparison.now, lang),
        previous=before,
        before=money(comparison.before, lang),
    )


def method_items(lang: str, comparison: Comparison, generated: date) -> list[MethodItem]:
    """Every rule and source the report's figures follow, in `lang`."""
    limits = BandLimits()

    def item(key: str, heading: str, text: str) -> MethodItem:
        return MethodItem(key, label(lang, heading), text)

    def rule(key: str) -> str:
        return label(lang, RULES[key])

    return [
        item("data", N_("Date of the data"), data_date(lang, comparison, generated)),
        item("confirmed", N_("What counts"), rule("confirmed")),
        item("turnover", N_("Turnover"), rule("turnover")),
        item("comparison", N_("Comparable periods"), label(lang, COMPARISON_RULE)),
        item(
            "bands",
            N_("Match bands"),
            label(
                lang,
                BANDS_RULE,
                strong=number(limits.strong, lang, 2),
                possible=number(limits.possible, lang, 2),
            ),
        ),
        item("potential", N_("Import substitution"), rule("potential")),
        item("tci", N_("Complementarity"), rule("tci")),
        item("status", N_("Memoranda"), rule("status")),
        item("sme", N_("SMEs"), rule("sme")),
        item("sources", N_("Sources"), label(lang, SOURCES)),
    ]

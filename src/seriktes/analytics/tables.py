"""The pair report's tables as rows, read by both renderings: HTML (`render`) and XLSX
(`workbook`)."""

from __future__ import annotations

from decimal import Decimal

from seriktes.analytics.compute import SmeShare
from seriktes.analytics.report import PairReport
from seriktes.analytics.sections import BY_LETTER


def section_rows(report: PairReport) -> list[tuple[str, str]]:
    """The KP VED sections with turnover in the year: (letter, name), the largest first."""
    totals: dict[str, Decimal] = {}
    for groups in report.sections.values():
        for letter, amount in groups.items():
            totals[letter] = totals.get(letter, Decimal(0)) + amount
    ordered = sorted(totals, key=lambda letter: (-totals[letter], letter))
    return [
        (letter, BY_LETTER[letter].name(report.lang) if letter in BY_LETTER else "")
        for letter in ordered
    ]


def sme_rows(report: PairReport) -> list[tuple[str, SmeShare, SmeShare]]:
    """Large buyers of the pair: name, matched share, contracted share."""
    empty = SmeShare()
    rows = []
    for buyer in report.sme.buyer_ids():
        ru, kk = report.sme.names.get(buyer, (str(buyer), None))
        name = kk if report.lang == "kk" and kk else ru
        matched = report.sme.matched_buyers.get(buyer, empty)
        contracted = report.sme.contracted_buyers.get(buyer, empty)
        rows.append((name, matched, contracted))
    return rows


def grp_rows(report: PairReport) -> list[tuple[str, int, Decimal, float | None, float | None]]:
    """GRP of both regions in their last two years: name, year, value, share, growth."""
    rows = []
    for region in (report.host, report.guest):
        latest = report.grp.latest_year(region.kato)
        if latest is None:
            continue
        for year in (latest - 1, latest):
            value = report.grp.value(region.kato, year)
            if value is not None:
                share = report.grp.national_share(region.kato, year)
                growth = report.grp.growth(region.kato, year)
                rows.append((region.name(report.lang), year, value, share, growth))
    return rows

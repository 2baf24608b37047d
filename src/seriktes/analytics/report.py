"""The report of a region pair for a governors' meeting: its figures, tables and charts.

`pair_report` gathers everything from the analytics service once; `render` turns it into
HTML (Jinja2), PDF (WeasyPrint) or XLSX (openpyxl), in Russian, Kazakh or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from seriktes.analytics import charts, repository, service
from seriktes.analytics.comparison import Comparison, Coverage, compare_years
from seriktes.analytics.compute import (
    ZERO,
    Measure,
    Period,
    SmeShare,
    flows,
    turnover_matrix,
)
from seriktes.analytics.grp import GrpSeries
from seriktes.analytics.labels import language, money, percent, translator
from seriktes.analytics.method import comparison_note, division_name
from seriktes.config import get_settings
from seriktes.kit import clock
from seriktes.kit.dates import month_name
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.values import check_year
from seriktes.matches.dashboard import ClassValue, PairDashboard
from seriktes.registry.models import Region
from seriktes.registry.repository import class_names

FORMATS = ("html", "pdf", "xlsx")
TOP = 8
Direction = tuple[str, str]  # (supplier region, buyer region)


@dataclass(frozen=True)
class Headline:
    """A headline figure: a stable key, its value and how the report writes it."""

    key: str
    label: str
    value: Decimal | float | int | None
    text: str
    note: str = ""


@dataclass
class PairReport:
    """Everything the report of `host` ↔ `guest` for `year` shows."""

    host: Region
    guest: Region
    year: int
    lang: str
    generated: date
    months: list[str]
    monthly: dict[Direction, dict[str, Decimal]]
    totals: dict[int, dict[Direction, Decimal]]  # year → direction → turnover
    contracted: dict[Direction, Decimal]
    deals: int
    sections: dict[Direction, dict[str, Decimal]]
    potential: PairDashboard
    tci: list[service.ComplementarityResult]
    execution: service.ExecutionFigures
    sme: service.SmeFigures
    grp: GrpSeries
    comparison: Comparison
    division_names: dict[str, str] = field(default_factory=dict)
    headlines: list[Headline] = field(default_factory=list)
    chart_list: list[charts.Chart] = field(default_factory=list)

    @property
    def directions(self) -> tuple[Direction, Direction]:
        """Supplies guest → host first (the story of the day), then host → guest."""
        return (self.guest.kato, self.host.kato), (self.host.kato, self.guest.kato)

    def short(self, kato: str) -> str:
        """The short name of one of the pair's regions in the report's language."""
        region = self.host if kato == self.host.kato else self.guest
        return service.short_name(region, self.lang)

    def direction_name(self, direction: Direction) -> str:
        """«СКО → ВКО»."""
        return f"{self.short(direction[0])} → {self.short(direction[1])}"

    def month_label(self, month: str) -> str:
        """«январь» for "2026-01", in the report's language."""
        return month_name(int(month[-2:]), self.lang)

    def turnover(self, year: int) -> Decimal:
        """Turnover in both directions in `year`."""
        return sum(self.totals.get(year, {}).values(), ZERO)

    def figures(self) -> dict[str, Decimal | float | int | None]:
        """The headline figures by key, as numbers."""
        return {item.key: item.value for item in self.headlines}

    def class_rows(self) -> list[tuple[str, ClassValue]]:
        """Far-abroad classes of both directions with a partner match, the largest first."""
        rows = [
            (direction.buyers.region.kato, item)
            for direction in self.potential.directions
            for item in direction.classes
        ]
        return sorted(rows, key=lambda row: (-row[1].matched_value, -row[1].far_value))


def pair_report(
    session: Session,
    host: str,
    guest: str,
    lang: str = "ru",
    year: int | None = None,
    data_dir: Path | None = None,
    on: date | None = None,
    with_charts: bool = True,
) -> PairReport:
    """Gather the report of the regions `host` and `guest` (KATO codes or names) for `year`
    (by default the last year with turnover between them, or this year); `with_charts=False`
    leaves the charts out when only the figures are wanted."""
    lang = language(lang)
    check_year(year)
    first, second = service.resolve_region(session, host), service.resolve_region(session, guest)
    if first.kato == second.kato:
        raise ValidationFailed(N_("the host and the guest must be two different regions"))
    pair = (first.kato, second.kato)
    deals = repository.deal_rows(session, pair)
    crossing = [deal for deal in deals if deal.supplier_region != deal.buyer_region]
    deliveries = repository.delivery_rows(session, pair)
    turnover_flows = flows(Measure.TURNOVER, crossing, deliveries)
    years = sorted({flow.on.year for flow in turnover_flows})
    day = on or clock.today()
    chosen = year or (years[-1] if years else day.year)
    yearly = turnover_matrix(turnover_flows, Period.YEAR)
    monthly = turnover_matrix(
        [flow for flow in turnover_flows if flow.on.year == chosen], Period.MONTH
    )
    sections = turnover_matrix(
        [flow for flow in turnover_flows if flow.on.year == chosen], Period.YEAR, "section"
    )
    contracted = turnover_matrix(
        [f for f in flows(Measure.CONTRACTED, crossing, []) if f.on.year == chosen], Period.YEAR
    )
    start, end = service.year_bounds(chosen)
    directions = ((second.kato, first.kato), (first.kato, second.kato))
    totals: dict[int, dict[Direction, Decimal]] = {}
    for cell in yearly.cells:
        per_year = totals.setdefault(int(cell.period), {})
        direction = (cell.supplier_region, cell.buyer_region)
        per_year[direction] = per_year.get(direction, ZERO) + cell.amount
    report = PairReport(
        host=first,
        guest=second,
        year=chosen,
        lang=lang,
        generated=day,
        months=[f"{chosen}-{month:02d}" for month in range(1, 13)],
        monthly={d: monthly.series(*d) for d in directions},
        totals=totals,
        contracted={d: contracted.totals().get(d, ZERO) for d in directions},
        deals=sum(1 for deal in crossing if start <= deal.signed_on <= end),
        sections={d: sections.by_group(*d) for d in directions},
        potential=service.import_substitution(session, first.kato, second.kato, top=50),
        tci=[
            service.complementarity_of(session, first.kato, second.kato),
            service.complementarity_of(session, second.kato, first.kato),
        ],
        execution=service.memoranda_execution(session, pair, on),
        sme=service.sme_figures(session, pair, chosen),
        grp=service.grp(data_dir or get_settings().data_dir),
        comparison=compare_years(
            turnover_flows, chosen, Coverage(*repository.recorded_span(session)), day
        ),
    )
    groups = {fit.group for tci in report.tci for fit in tci.result.fits}
    names = {
        code: (kk if lang == "kk" and kk else ru)
        for code, (ru, kk) in class_names(session, groups).items()
        if lang != "en" and code != (kk if lang == "kk" and kk else ru)  # no code for a name
    }
    report.division_names = {code: division_name(lang, code, names) for code in groups}
    report.headlines = headlines(report)
    report.chart_list = report_charts(report) if with_charts else []
    return report


def headlines(report: PairReport) -> list[Headline]:
    """The figures at the top of the report, each with its key and text."""
    lang, year, _ = report.lang, report.year, translator(report.lang)
    now = report.turnover(year)
    note = comparison_note(lang, report.comparison)
    items = [Headline("turnover", _("Turnover between the regions"), now, money(now, lang), note)]
    for direction in report.directions:
        supplier, buyer = (report.short(kato) for kato in direction)
        amount = report.totals.get(year, {}).get(direction, ZERO)
        key = (
            "turnover_guest_to_host"
            if direction[1] == report.host.kato
            else "turnover_host_to_guest"
        )
        text = _("Supplies {supplier} → {buyer}").format(supplier=supplier, buyer=buyer)
        items.append(Headline(key, text, amount, money(amount, lang)))
    signed = sum(report.contracted.values(), ZERO)
    items.append(Headline("contracted", _("Contracts signed worth"), signed, money(signed, lang)))
    items.append(
        Headline("deals", _("Contracts between the regions"), report.deals, str(report.deals))
    )
    for number, side in enumerate(report.potential.directions):
        buyers, producers = side.buyers, side.producers
        text = _(
            "Import substitution: far-abroad purchases of {buyer} that {supplier} can supply"
        ).format(buyer=buyers.region.short(lang), supplier=producers.region.short(lang))
        total = _("of {total} bought from far abroad").format(total=money(buyers.far_value, lang))
        key = "potential_host" if number == 0 else "potential_guest"
        value = buyers.matched_value
        items.append(Headline(key, text, value, money(value, lang), total))
    for number, tci in enumerate(report.tci):
        text = _("Complementarity: needs of {buyer} and offers of {supplier} (TCI)").format(
            buyer=report.short(tci.buyers), supplier=report.short(tci.producers)
        )
        shown = "—" if tci.result.index is None else f"{tci.result.index:.0f}"
        key = "tci_host_needs" if number == 0 else "tci_guest_needs"
        items.append(Headline(key, text, tci.result.index, shown))
    execution = report.execution.by_pair.get(tuple(sorted((report.host.kato, report.guest.kato))))
    achieved, count = (execution.achieved, execution.total) if execution else (0, 0)
    share = execution.share if execution else None
    items.append(
        Headline(
            "commitments_achieved",
            _("Memoranda: commitments achieved"),
            share,
            f"{achieved} / {count}",
            percent(share, lang),
        )
    )
    contracted = _combined(report.sme.contracted_regions, (report.host.kato, report.guest.kato))
    text = _("SME share of large buyers' contracts")
    items.append(
        Headline("sme_contracted", text, contracted.share, percent(contracted.share, lang))
    )
    for region in (report.host, report.guest):
        latest = report.grp.latest_year(region.kato)
        if latest is not None:
            grp = report.grp.value(region.kato, latest) or ZERO
            text = _("GRP of {region}, {year}").format(
                region=report.short(region.kato), year=latest
            )
            key = "grp_host" if region is report.host else "grp_guest"
            items.append(Headline(key, text, grp, money(grp * 1_000_000, lang)))
    return items


def _combined(shares: dict[str, SmeShare], regions: tuple[str, ...]) -> SmeShare:
    found = SmeShare()
    for kato in regions:
        part = shares.get(kato)
        if part is not None:
            found = SmeShare(
                found.total + part.total,
                found.sme + part.sme,
                found.unknown + part.unknown,
                found.count + part.count,
            )
    return found


def report_charts(report: PairReport) -> list[charts.Chart]:
    """The turnover trend, the top import-substitution opportunities, memoranda progress."""
    lang, _ = report.lang, translator(report.lang)
    series = [
        (
            report.direction_name(direction),
            [float(report.monthly[direction].get(month, ZERO)) for month in report.months],
        )
        for direction in report.directions
    ]
    title = _("Turnover by month, {year}").format(year=report.year)
    found = [charts.turnover_trend(title, report.months, series, lang)]
    rows = [
        (
            _shorten(f"{report.short(kato)}: {class_label(item, lang)}", 50),
            float(item.matched_value),
            float(item.far_value),
        )
        for kato, item in report.class_rows()[:TOP]
        if item.matched_value > 0
    ]
    if rows:
        legend = (_("Partner region can supply"), _("Bought from far abroad"))
        title = _("Largest import-substitution opportunities")
        found.append(charts.top_opportunities(title, rows, legend, lang))
    memoranda = [
        (_shorten(f"{line.number} {line.title}", 44), line.execution.statuses)
        for line in report.execution.memoranda
        if line.commitments
    ]
    if memoranda:
        title = _("Memoranda commitments by status")
        found.append(charts.memoranda_progress(title, memoranda, lang))
    return found


def class_label(item: ClassValue, lang: str) -> str:
    """«28.15.10 Подшипники…»; a class the registry cannot name shows one of its needs."""
    name = item.label(lang)
    if item.example and (not name or name == item.code):
        return f"{name} {item.example}".strip()
    return name


def _shorten(text: str, width: int = 46) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"

"""Analytics of regions and region pairs: the database read through `repository`, the
arithmetic done by `compute`.

What counts:

- **turnover** flows from the supplier's region to the buyer's and counts, for every deal
  that is not cancelled, the KZT values of its deliveries on their dates, or, while it has
  no valued delivery, its contract amount in KZT on its signing date (the rule of the
  memoranda's turnover commitments); **delivered** counts the deliveries only and
  **contracted** the contract amounts only, on the signing dates;
- **import-substitution potential** is the home dashboard's figure (`matches.dashboard`):
  open needs bought from far abroad today, valued quantity × unit price in KZT, of which
  the part a producer of the partner region matches in a stored match of the strong or
  possible band (`matches.bands`; weak matches count nowhere);
- **complementarity** compares the value of one region's open needs by product group with
  the value of a year's capacity (capacity per year × price) of the other's published offers;
- **SMEs** are micro, small and medium organisations by their registry size class.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from seriktes.analytics import repository
from seriktes.analytics.compute import (
    ZERO,
    CommitmentState,
    Complementarity,
    Execution,
    Measure,
    Period,
    SmeShare,
    TurnoverMatrix,
    complementarity,
    execution,
    flows,
    sme_shares,
    turnover_matrix,
)
from seriktes.analytics.grp import GrpSeries, read_grp
from seriktes.analytics.sections import group_of
from seriktes.kit import clock
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import LANGUAGES, N_
from seriktes.kit.values import check_year
from seriktes.matches.dashboard import PairDashboard, pair_dashboard
from seriktes.registry import repository as registry_repository
from seriktes.registry.facts import TOP_LEVEL_REGIONS
from seriktes.registry.kato import oblast_kato
from seriktes.registry.models import Region
from seriktes.registry.names import region_name, region_short

LEVELS = ("section", "division")


def resolve_region(session: Session, text: str) -> Region:
    """A top-level region from a KATO code (630000000, 63) or a name (ВКО, СҚО, Павлодарская)."""
    wanted = text.strip()
    regions = top_level_regions(session)
    if wanted.isdigit() and 1 <= len(wanted) <= 9:
        found = regions.get(oblast_kato(wanted))
        if found is not None:
            return found
    folded = _fold(wanted)
    for fact in TOP_LEVEL_REGIONS:
        names = {
            fact.short_ru,
            *(region_name(fact.kato, fact.name_ru, fact.name_kk, lang) for lang in LANGUAGES),
            *(region_short(fact.kato, fact.name_ru, fact.name_kk, lang) for lang in LANGUAGES),
        }
        if folded in {_fold(name) for name in names if name} and fact.kato in regions:
            return regions[fact.kato]
    from seriktes.registry.service import guess_region_kato

    guessed = guess_region_kato(wanted) if wanted else None
    if guessed and guessed in regions:
        return regions[guessed]
    raise ValidationFailed(
        N_("unknown region %(text)s; use a KATO code such as 630000000 or ВКО"),
        params={"text": repr(text)},
    )


def _fold(text: str) -> str:
    return "".join(text.lower().replace("ё", "е").split()).replace(".", "")


def short_name(region: Region, lang: str) -> str:
    """ВКО / ШҚО / East Kazakhstan: the short label of a top-level region."""
    return region.short_name(lang)


def turnover(
    session: Session,
    period: Period = Period.YEAR,
    level: str = "section",
    measure: Measure = Measure.TURNOVER,
    regions: Iterable[str] | None = None,
) -> TurnoverMatrix:
    """The region × region turnover matrix by period and product group (section or division).

    `regions` keeps only deals whose buyer and supplier are both in those regions."""
    if level not in LEVELS:
        raise ValidationFailed(
            N_("unknown product level %(level)s; use section or division"),
            params={"level": repr(level)},
        )
    chosen = list(regions) if regions is not None else None
    deals = repository.deal_rows(session, chosen)
    deliveries = [] if measure is Measure.CONTRACTED else repository.delivery_rows(session, chosen)
    return turnover_matrix(flows(measure, deals, deliveries), period, level)


def import_substitution(session: Session, a: str, b: str, top: int = 10) -> PairDashboard:
    """Far-abroad needs of each region of the pair and the part the other's producers match
    in strong or possible matches (by class, buyer and best match): the home dashboard's
    aggregates."""
    return pair_dashboard(session, a, b, top=top)


@dataclass(frozen=True)
class ComplementarityResult:
    """The TCI of one region's needs with another's offers, with the values it came from."""

    buyers: str
    producers: str
    level: str
    basis: str  # "capacity_value" or, when no offer is priced, "offer_count"
    result: Complementarity
    need_value: dict[str, Decimal] = field(default_factory=dict)
    offer_value: dict[str, Decimal] = field(default_factory=dict)


def complementarity_of(
    session: Session, buyers: str, producers: str, level: str = "division"
) -> ComplementarityResult:
    """Trade complementarity of `buyers`' open needs with `producers`' published offers.

    Offers are weighted by the KZT value of a year's capacity; when none of the producers'
    offers has both a capacity and a price, by the number of offers (the basis says which)."""
    if level not in LEVELS:
        raise ValidationFailed(
            N_("unknown product level %(level)s; use section or division"),
            params={"level": repr(level)},
        )
    needs = _by_group(((c, v) for c, v, _n in repository.need_values(session, buyers)), level)
    offer_rows = repository.offer_values(session, producers)
    offers = _by_group(((c, v) for c, v, _n in offer_rows), level)
    basis = "capacity_value"
    if not any(value > 0 for value in offers.values()):
        basis = "offer_count"
        offers = _by_group(((c, Decimal(n)) for c, _v, n in offer_rows), level)
    return ComplementarityResult(
        buyers, producers, level, basis, complementarity(needs, offers), needs, offers
    )


def _by_group(rows: Iterable[tuple[str | None, Decimal]], level: str) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code, value in rows:
        sums[group_of(code, level)] += value
    return dict(sums)


@dataclass(frozen=True)
class SmeFigures:
    """SME shares of large buyers' matched and contracted value, per buyer and region."""

    matched_buyers: dict[int, SmeShare]
    matched_regions: dict[str, SmeShare]
    contracted_buyers: dict[int, SmeShare]
    contracted_regions: dict[str, SmeShare]
    names: dict[int, tuple[str, str | None]]

    def buyer_ids(self) -> list[int]:
        """Buyers with matched or contracted value, the most contracted value first."""
        ids = set(self.matched_buyers) | set(self.contracted_buyers)
        empty = SmeShare()

        def weight(buyer: int) -> tuple[Decimal, Decimal, int]:
            contracted = self.contracted_buyers.get(buyer, empty).total
            return (-contracted, -self.matched_buyers.get(buyer, empty).total, buyer)

        return sorted(ids, key=weight)


def sme_figures(
    session: Session, regions: Iterable[str] | None = None, year: int | None = None
) -> SmeFigures:
    """SMEs in large buyers' procurement: the share of matched value (each open need's value
    to its best-ranked match's producer) and of contracted value (deals of `year`, all years
    when None) that goes to micro, small and medium suppliers."""
    check_year(year)
    chosen = list(regions) if regions is not None else None
    matched = sme_shares(repository.matched_supplies(session, chosen))
    contracted = sme_shares(repository.contracted_supplies(session, chosen, year))
    names = repository.organisation_names(session, set(matched[0]) | set(contracted[0]))
    return SmeFigures(*matched, *contracted, names)


def grp(data_dir: Path | None) -> GrpSeries:
    """Gross regional product from the real-data folder (empty, with a note, when absent)."""
    if data_dir is None:
        return GrpSeries(note="gross regional product not shown: no data folder is set")
    return read_grp(data_dir)


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of `year`."""
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class CommitmentLine:
    """A commitment with its progress as the agreements service computes it."""

    id: int
    title: str
    kpi: str
    sector: str | None
    target: Decimal
    value: Decimal
    percent: int
    deadline: date
    status: str


@dataclass(frozen=True)
class MemorandumLine:
    """A memorandum with its top-level regions, sectors and commitments."""

    id: int
    number: str
    title: str
    signed_on: date
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    commitments: list[CommitmentLine]

    @property
    def execution(self) -> Execution:
        """Its commitments by status."""
        counts: dict[str, int] = defaultdict(int)
        for line in self.commitments:
            counts[line.status] += 1
        return Execution(dict(counts))


@dataclass(frozen=True)
class ExecutionFigures:
    """Memoranda execution: commitments by status per region pair, per sector, per memorandum."""

    by_pair: dict[tuple[str, ...], Execution]
    by_sector: dict[str, Execution]
    memoranda: list[MemorandumLine]
    on: date


def memoranda_execution(
    session: Session, regions: Iterable[str] | None = None, on: date | None = None
) -> ExecutionFigures:
    """The share of commitments achieved, by region pair and by sector, on the day `on`.

    Statuses are those of the agreements service (`progress_of`). A memorandum's regions
    are its parties' top-level regions; with `regions`, only memoranda whose parties
    include every one of them count. A commitment counts in its own sector when it has one,
    otherwise in each sector of its memorandum."""
    from seriktes.agreements.service import progress_of

    day = on or clock.today()
    wanted = {oblast_kato(kato) for kato in regions or ()}
    katos = repository.region_katos(session)
    lines: list[MemorandumLine] = []
    states: list[CommitmentState] = []
    for memo in repository.memoranda(session):
        found = tuple(sorted({katos[rid] for rid in memo.region_ids() if rid in katos}))
        if not wanted <= set(found):
            continue
        sectors = tuple(str(sector) for sector in memo.sectors)
        commitments = []
        for commitment in memo.commitments:
            progress = progress_of(commitment, day)
            sector = str(commitment.sector) if commitment.sector else None
            commitments.append(
                CommitmentLine(
                    commitment.id,
                    commitment.title,
                    str(commitment.kpi),
                    sector,
                    progress.target,
                    progress.value,
                    progress.percent,
                    commitment.deadline,
                    str(progress.status),
                )
            )
            own = (sector,) if sector else sectors
            states.append(CommitmentState(memo.id, found, own, str(progress.status)))
        lines.append(
            MemorandumLine(
                memo.id, memo.number, memo.title, memo.signed_on, found, sectors, commitments
            )
        )
    by_pair, by_sector = execution(states)
    return ExecutionFigures(by_pair, by_sector, lines, day)


MEASURE_RULES = {
    Measure.TURNOVER: (
        "for every deal not cancelled: the KZT values of its deliveries on their dates, or, "
        "while it has no valued delivery, its contract amount in KZT on its signing date; "
        "from the supplier's region to the buyer's"
    ),
    Measure.DELIVERED: "KZT values of deliveries of deals not cancelled, on the delivery dates",
    Measure.CONTRACTED: "KZT amounts of deals not cancelled, on the signing dates",
}


def top_level_regions(session: Session) -> dict[str, Region]:
    """The top-level regions by KATO code."""
    return {region.kato: region for region in registry_repository.top_level_regions(session)}

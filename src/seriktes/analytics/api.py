"""JSON routes of the analytics (/api/v1/analytics/...): turnover, import substitution,
complementarity, memoranda execution, SMEs in procurement and the pair report's headline
figures, for coordinators and administrators (`policy`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from seriktes.analytics import service
from seriktes.analytics.compute import Measure, Period
from seriktes.analytics.policy import check_analytics_reader
from seriktes.analytics.report import pair_report
from seriktes.analytics.schemas import (
    ComplementarityOut,
    HeadlineOut,
    MemorandaOut,
    PairOut,
    PotentialOut,
    SmeFiguresOut,
    SmeOut,
    TurnoverOut,
)
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession
from seriktes.http.params import errors
from seriktes.kit.values import FIRST_YEAR, LAST_YEAR

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])

DEFAULT_PAIR = ("630000000", "590000000")
RegionQuery = Annotated[str, Query(min_length=1, max_length=60, pattern=r"^[^\x00]*$")]
YearQuery = Annotated[
    int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="Year of the figures")
]
ReportLang = Annotated[Literal["ru", "kk", "en"] | None, Query(description="ru, kk or en")]
READ_ERRORS = errors(401, 403, 422)


@router.get("/turnover", responses=READ_ERRORS)
def turnover_api(
    session: DbSession,
    user: RequiredUser,
    period: Period = Period.YEAR,
    level: Literal["section", "division"] = "section",
    measure: Measure = Measure.TURNOVER,
    region: Annotated[list[str] | None, Query(description="Deals within these regions")] = None,
) -> TurnoverOut:
    """The region × region turnover matrix by period and product group."""
    check_analytics_reader(user)
    regions = [service.resolve_region(session, r).kato for r in region] if region else None
    matrix = service.turnover(session, period, level, measure, regions)
    return TurnoverOut.of(matrix, str(measure), service.MEASURE_RULES[measure])


@router.get("/import-substitution", responses=READ_ERRORS)
def potential_api(
    session: DbSession,
    user: RequiredUser,
    a: RegionQuery = DEFAULT_PAIR[0],
    b: RegionQuery = DEFAULT_PAIR[1],
    top: Annotated[int, Query(ge=1, le=200)] = 20,
    lang: ReportLang = None,
) -> PotentialOut:
    """Far-abroad needs of each region and the value a partner-region producer matches."""
    check_analytics_reader(user)
    first, second = service.resolve_region(session, a), service.resolve_region(session, b)
    data = service.import_substitution(session, first.kato, second.kato, top)
    return PotentialOut.of(data, lang or "ru")


@router.get("/complementarity", responses=READ_ERRORS)
def complementarity_api(
    session: DbSession,
    user: RequiredUser,
    buyers: RegionQuery = DEFAULT_PAIR[0],
    producers: RegionQuery = DEFAULT_PAIR[1],
    level: Literal["section", "division"] = "division",
) -> ComplementarityOut:
    """Trade complementarity index of one region's needs with another's offers."""
    check_analytics_reader(user)
    first = service.resolve_region(session, buyers)
    second = service.resolve_region(session, producers)
    found = service.complementarity_of(session, first.kato, second.kato, level)
    return ComplementarityOut.of(found)


@router.get("/memoranda", responses=READ_ERRORS)
def memoranda_api(
    session: DbSession,
    user: RequiredUser,
    region: Annotated[list[str] | None, Query(description="Memoranda of all these regions")] = None,
) -> MemorandaOut:
    """Commitments achieved by region pair and by sector (statuses of the agreements service)."""
    check_analytics_reader(user)
    regions = [service.resolve_region(session, r).kato for r in region] if region else None
    return MemorandaOut.of(service.memoranda_execution(session, regions))


@router.get("/sme", responses=READ_ERRORS)
def sme_api(
    session: DbSession,
    user: RequiredUser,
    region: Annotated[list[str] | None, Query(description="Buyers of these regions")] = None,
    year: YearQuery = None,
) -> SmeFiguresOut:
    """Share of large buyers' matched and contracted value going to SME suppliers."""
    check_analytics_reader(user)
    regions = [service.resolve_region(session, r).kato for r in region] if region else None
    found = service.sme_figures(session, regions, year)

    def named(buyer: int) -> str:
        return found.names.get(buyer, ("", None))[0]

    return SmeFiguresOut(
        matched_by_region=[SmeOut.of(k, v) for k, v in sorted(found.matched_regions.items())],
        contracted_by_region=[SmeOut.of(k, v) for k, v in sorted(found.contracted_regions.items())],
        matched_by_buyer=[
            SmeOut.of(str(k), v, named(k)) for k, v in sorted(found.matched_buyers.items())
        ],
        contracted_by_buyer=[
            SmeOut.of(str(k), v, named(k)) for k, v in sorted(found.contracted_buyers.items())
        ],
    )


@router.get("/pair", responses=READ_ERRORS)
def pair_api(
    request: Request,
    session: DbSession,
    user: RequiredUser,
    host: RegionQuery = DEFAULT_PAIR[0],
    guest: RegionQuery = DEFAULT_PAIR[1],
    year: YearQuery = None,
    lang: ReportLang = None,
) -> PairOut:
    """The headline figures of the pair report."""
    check_analytics_reader(user)
    data_dir = request.app.state.settings.data_dir
    report = pair_report(session, host, guest, lang or "ru", year, data_dir, with_charts=False)
    return PairOut(
        host=report.host.kato,
        guest=report.guest.kato,
        year=report.year,
        lang=report.lang,
        figures=[HeadlineOut(**vars(item)) for item in report.headlines],
        grp_note=report.grp.note,
    )

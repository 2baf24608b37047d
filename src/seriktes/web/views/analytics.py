"""Analytics pages (/analytics, /analytics/pair) and JSON routes (/api/v1/analytics/...).

Both call the analytics service; the pair report downloads are the files the CLI writes.
Coordinators and administrators read them (`analytics.policy`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from seriktes.analytics import service
from seriktes.analytics.compute import Measure, Period
from seriktes.analytics.labels import money, percent, sector_name
from seriktes.analytics.policy import check_analytics_reader
from seriktes.analytics.render import MEDIA_TYPES, file_name, page_context, render
from seriktes.analytics.report import PairReport, pair_report
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
from seriktes.http.deps import DbSession, Language
from seriktes.http.params import errors
from seriktes.kit import clock
from seriktes.kit.values import FIRST_YEAR, LAST_YEAR
from seriktes.web.templating import render as render_page

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])

DEFAULT_PAIR = ("630000000", "590000000")
RegionQuery = Annotated[str, Query(min_length=1, max_length=60, pattern=r"^[^\x00]*$")]
YearQuery = Annotated[
    int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="Year of the figures")
]
ReportLang = Annotated[Literal["ru", "kk", "en"] | None, Query(description="ru, kk or en")]


def _report(
    request: Request, session: Session, host: str, guest: str, lang: str, year: int | None
) -> PairReport:
    data_dir = request.app.state.settings.data_dir
    return pair_report(session, host, guest, lang, year, data_dir)


@router.get("/analytics", response_class=HTMLResponse, name="analytics")
def analytics_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    year: YearQuery = None,
) -> HTMLResponse:
    """The country's turnover matrix, memoranda execution and SMEs, and the pair chooser."""
    check_analytics_reader(user)
    matrix = service.turnover(session, Period.YEAR, "section")
    years = sorted({int(cell.period) for cell in matrix.cells})
    chosen = year or (years[-1] if years else clock.today().year)
    totals: dict[tuple[str, str], float] = {}
    for cell in matrix.cells:
        if int(cell.period) == chosen:
            key = (cell.supplier_region, cell.buyer_region)
            totals[key] = totals.get(key, 0.0) + float(cell.amount)
    regions = service.top_level_regions(session)
    sme = service.sme_figures(session, None, chosen)
    active = sorted({kato for pair in totals for kato in pair})
    return render_page(
        request,
        lang,
        "analytics.html",
        year=chosen,
        years=years,
        regions=sorted(regions.values(), key=lambda r: r.kato),
        active=[regions[kato] for kato in active if kato in regions],
        totals=totals,
        short=lambda region: service.short_name(region, lang),
        execution=service.memoranda_execution(session),
        sme=sme,
        sme_regions=sorted(
            set(sme.matched_regions) | set(sme.contracted_regions),
            key=lambda kato: regions[kato].name(lang) if kato in regions else kato,
        ),
        default_pair=DEFAULT_PAIR,
        money=lambda value: money(value, lang),
        percent=lambda share: percent(share, lang),
        sector_name=lambda sector: sector_name(lang, sector),
        region_name=lambda kato: regions[kato].name(lang) if kato in regions else kato,
        pair_name=lambda pair: " ↔ ".join(
            service.short_name(regions[kato], lang) if kato in regions else kato for kato in pair
        ),
    )


@router.get("/analytics/pair", response_class=HTMLResponse, name="analytics_pair")
def pair_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    host: RegionQuery = DEFAULT_PAIR[0],
    guest: RegionQuery = DEFAULT_PAIR[1],
    year: YearQuery = None,
) -> HTMLResponse:
    """The pair report on a page, with links to download it as HTML, PDF or XLSX."""
    check_analytics_reader(user)
    report = _report(request, session, host, guest, lang, year)
    return render_page(request, lang, "analytics_pair.html", **page_context(report))


@router.get("/analytics/pair/report.{fmt}", name="analytics_report")
def pair_file(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    fmt: Literal["html", "pdf", "xlsx"],
    host: RegionQuery = DEFAULT_PAIR[0],
    guest: RegionQuery = DEFAULT_PAIR[1],
    year: YearQuery = None,
) -> Response:
    """The pair report as a file in the page's language (`?lang=ru|kk|en`)."""
    check_analytics_reader(user)
    report = _report(request, session, host, guest, lang, year)
    return _file(render(report, fmt), MEDIA_TYPES[fmt], file_name(report, fmt))


def _file(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


READ_ERRORS = errors(401, 403, 422)


@api_router.get("/turnover", responses=READ_ERRORS)
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


@api_router.get("/import-substitution", responses=READ_ERRORS)
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


@api_router.get("/complementarity", responses=READ_ERRORS)
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


@api_router.get("/memoranda", responses=READ_ERRORS)
def memoranda_api(
    session: DbSession,
    user: RequiredUser,
    region: Annotated[list[str] | None, Query(description="Memoranda of all these regions")] = None,
) -> MemorandaOut:
    """Commitments achieved by region pair and by sector (statuses of the agreements service)."""
    check_analytics_reader(user)
    regions = [service.resolve_region(session, r).kato for r in region] if region else None
    return MemorandaOut.of(service.memoranda_execution(session, regions))


@api_router.get("/sme", responses=READ_ERRORS)
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


@api_router.get("/pair", responses=READ_ERRORS)
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

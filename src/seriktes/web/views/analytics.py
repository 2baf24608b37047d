"""Analytics pages (/analytics, /analytics/pair); the JSON routes are `analytics.api`.

Both call the analytics service; the pair report downloads are the files the CLI writes.
Coordinators and administrators read them (`analytics.policy`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from seriktes.analytics import service
from seriktes.analytics.api import DEFAULT_PAIR, RegionQuery, YearQuery
from seriktes.analytics.compute import Period
from seriktes.analytics.labels import money, percent, sector_name
from seriktes.analytics.policy import check_analytics_reader
from seriktes.analytics.render import MEDIA_TYPES, file_name, page_context, render
from seriktes.analytics.report import PairReport, pair_report
from seriktes.http.auth import RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.jobs import kinds as job_kinds
from seriktes.jobs import service as job_service
from seriktes.kit import clock
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.values import is_digits
from seriktes.registry.models import Region
from seriktes.registry.names import ordered_regions
from seriktes.web.forms import Form
from seriktes.web.templating import render as render_page

router = APIRouter(include_in_schema=False)


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
        regions=ordered_regions(regions.values(), lang, DEFAULT_PAIR),
        active=ordered_regions((regions[kato] for kato in active if kato in regions), lang),
        totals=totals,
        short=lambda region: service.short_name(region, lang),
        execution=service.memoranda_execution(session),
        sme=sme,
        sme_regions=_in_order(
            set(sme.matched_regions) | set(sme.contracted_regions), regions, lang
        ),
        default_pair=DEFAULT_PAIR,
        money=lambda value: money(value, lang),
        percent=lambda share: percent(share, lang),
        sector_name=lambda sector: _first_upper(sector_name(lang, sector)),  # a table's cell
        region_name=lambda kato: regions[kato].name(lang) if kato in regions else kato,
        pair_name=lambda pair: " ↔ ".join(
            service.short_name(regions[kato], lang) if kato in regions else kato for kato in pair
        ),
    )


def _in_order(katos: set[str], regions: dict[str, Region], lang: str) -> list[str]:
    """KATO codes in the order of region lists (codes of no known region last)."""
    known = ordered_regions((regions[kato] for kato in katos if kato in regions), lang)
    return [region.kato for region in known] + sorted(katos - set(regions))


@router.get("/analytics/pair", response_class=HTMLResponse, name="analytics_pair")
def pair_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    host: RegionQuery = DEFAULT_PAIR[0],
    guest: RegionQuery = DEFAULT_PAIR[1],
    year: YearQuery = None,
    job: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """The pair report on a page; its PDF and XLSX are made by a job the page follows."""
    check_analytics_reader(user)
    report = _report(request, session, host, guest, lang, year)
    report_job = None
    if job is not None:
        report_job = job_service.get_job(session, user, job)
        if report_job.kind != job_kinds.REPORT:
            report_job = None
    return render_page(
        request, lang, "analytics_pair.html", report_job=report_job, **page_context(report)
    )


@router.post("/analytics/pair/report-jobs", dependencies=[Depends(verify_csrf)])
def pair_file_job(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, form: Form
) -> RedirectResponse:
    """Start making the pair report's PDF or XLSX; back to the page, which follows the job."""
    check_analytics_reader(user)
    host, guest = form.get("host", ""), form.get("guest", "")
    fmt = form.get("format", "pdf")
    year_text = form.get("year", "")
    year = int(year_text) if is_digits(year_text) and len(year_text) == 4 else None
    if not (is_digits(host) and is_digits(guest)) or fmt not in ("pdf", "xlsx"):
        raise ValidationFailed(N_("choose the regions and the format of the report"))
    scope = f"{host}:{guest}:{year}:{fmt}:{lang}:{user.id}"
    job = request.app.state.jobs.submit(
        session,
        user,
        job_kinds.REPORT,
        params={"host": host, "guest": guest, "year": year, "format": fmt},
        language=lang,
        scope=scope,
    )
    query = f"host={host}&guest={guest}" + (f"&year={year}" if year else "")
    return RedirectResponse(f"/analytics/pair?{query}&job={job.id}", status_code=303)


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


def _first_upper(text: str) -> str:
    """The text with its first letter in capitals, as a table's cell starts."""
    return text[:1].upper() + text[1:]

"""Home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from seriktes.catalog.service import region_overview
from seriktes.kit.stats import table_counts
from seriktes.web.auth import CurrentUser
from seriktes.web.deps import DbSession, Language
from seriktes.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, session: DbSession, lang: Language, user: CurrentUser) -> HTMLResponse:
    """Home page: the regions and the counts of organisations, needs and offers."""
    regions = region_overview(session)
    totals = table_counts(session)
    far_abroad = sum(region.far_abroad_needs for region in regions)
    return render(request, lang, "home.html", regions=regions, totals=totals, far_abroad=far_abroad)

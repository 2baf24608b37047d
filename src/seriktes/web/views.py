"""HTML pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from seriktes.catalog.service import region_overview
from seriktes.kit.stats import table_counts
from seriktes.web.deps import DbSession, Language
from seriktes.web.i18n import LANGUAGE_NAMES, LANGUAGES, format_number, translate

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
router = APIRouter()


def render(
    request: Request, lang: str, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render a template with the translation helpers; remember the chosen language."""
    response = templates.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "t": lambda key: translate(lang, key),
            "num": lambda value: format_number(value, lang),
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            **context,
        },
        status_code=status,
    )
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, session: DbSession, lang: Language) -> HTMLResponse:
    """Home page: the regions and the counts of organisations, needs and offers."""
    regions = region_overview(session)
    totals = table_counts(session)
    far_abroad = sum(region.far_abroad_needs for region in regions)
    return render(request, lang, "home.html", regions=regions, totals=totals, far_abroad=far_abroad)

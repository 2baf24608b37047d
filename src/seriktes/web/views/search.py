"""HTML page: search (free text → product classes and offers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from seriktes.http.auth import CurrentUser
from seriktes.http.deps import DbSession, Language
from seriktes.matches.queries import search
from seriktes.web.listing import class_names
from seriktes.web.views.pages import show

router = APIRouter()

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

"""Rendering the listing and detail pages of needs, offers, organisations, events and
memoranda with their formatting helpers and labels."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from seriktes.web.listing import CLASS_LEVELS, ORIGINS, SIZES, STATUSES, Fmt, QueryLink
from seriktes.web.templating import render
from seriktes.web.views.verdicts import BAND_HINTS, BANDS

LABELS = {
    "origins": ORIGINS,
    "statuses": STATUSES,
    "sizes": SIZES,
    "class_levels": CLASS_LEVELS,
    "bands": BANDS,
    "band_hints": BAND_HINTS,
}


def show(request: Request, lang: str, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page of this part of the UI with its formatting helpers and labels."""
    return render(
        request,
        lang,
        name,
        status=status,
        fmt=Fmt(lang),
        link=QueryLink(request),
        **LABELS,
        **context,
    )

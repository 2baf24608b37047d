"""Home page: the dashboard of a region pair (ВКО ↔ СКО by default) and the country's regions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from seriktes.catalog.policy import visible_needs, visible_offers
from seriktes.http.auth import CurrentUser
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.i18n import N_, translate
from seriktes.matches.dashboard import (
    ClassValue,
    Direction,
    PairDashboard,
    Visibility,
    pair_dashboard,
)
from seriktes.matches.dashboard import parse_pair as parse_region_pair
from seriktes.registry.names import ordered_regions
from seriktes.web import charts
from seriktes.web.templating import render

router = APIRouter()

FALLBACK_PAIR = ("630000000", "590000000")
SCORE_CHOICES = (0.0, 0.5, 0.7, 0.8)
CLASS_LABEL_WIDTH = 40


@router.get("/", response_class=HTMLResponse, name="home")
def home(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    a: Annotated[str | None, Query(max_length=9, description="KATO code of region A")] = None,
    b: Annotated[str | None, Query(max_length=9, description="KATO code of region B")] = None,
    score: Annotated[float, Query(ge=0, le=1, description="Minimum match score")] = 0.0,
) -> HTMLResponse:
    """The region-pair dashboard: needs, offers, matches and far-abroad value matched."""
    default = default_pair(request.app.state.settings.partner_regions)
    seen = Visibility(visible_needs(user), visible_offers(user))
    notice = None
    try:
        pair = parse_region_pair(f"{a or default[0]}:{b or default[1]}")
        data = pair_dashboard(session, *pair, seen=seen, min_score=score)
    except ValidationFailed:
        notice = N_("Unknown region code; the default pair is shown.")
        data = pair_dashboard(session, *default, seen=seen, min_score=score)
    return render(
        request,
        lang,
        "home.html",
        data=data,
        regions=ordered_regions(data.regions, lang),
        pair_choices=ordered_regions(data.regions, lang, (data.a.region.kato, data.b.region.kato)),
        score=score,
        score_choices=SCORE_CHOICES,
        notice=notice,
        charts=page_charts(data, lang),
        money=lambda value: charts.money(value, lang),
        percent=lambda share: charts.percent(share, lang),
        decimal=lambda value, digits=2: charts.decimal(value, lang, digits),
    )


def default_pair(pairs: list[str]) -> tuple[str, str]:
    """The first configured partner pair, or ВКО ↔ СКО when none is usable."""
    try:
        return parse_region_pair(pairs[0]) if pairs else FALLBACK_PAIR
    except ValidationFailed:
        return FALLBACK_PAIR


def page_charts(data: PairDashboard, lang: str) -> dict[str, str]:
    """The SVG charts of the page: far-abroad value per side, then by class per direction.

    A chart is left out when it would have no value to draw (no priced far-abroad needs)."""
    legend = (translate(lang, N_("matched")), translate(lang, N_("not matched")))
    found = {}
    if data.a.far_value or data.b.far_value:
        found["sides"] = charts.split_bars(
            charts.SplitBars(
                key="sides",
                title=translate(lang, N_("Far-abroad purchases matched by a partner producer")),
                labels=tuple(side.region.short(lang) for side in (data.a, data.b)),
                highlighted=tuple(float(side.matched_value) for side in (data.a, data.b)),
                rest=tuple(float(side.far_value - side.matched_value) for side in (data.a, data.b)),
                legend=legend,
                lang=lang,
            )
        )
    for number, direction in enumerate(data.directions):
        if direction.buyers.far_value:
            found[f"classes-{number}"] = _class_chart(direction, f"classes-{number}", legend, lang)
    return found


def _class_chart(direction: Direction, key: str, legend: tuple[str, str], lang: str) -> str:
    title = translate(lang, N_("Far-abroad purchases of {buyers} by product class")).format(
        buyers=direction.buyers.region.short(lang)
    )
    labels = tuple(
        charts.wrap(class_label(item, lang), CLASS_LABEL_WIDTH) for item in direction.classes
    )
    return charts.split_bars(
        charts.SplitBars(
            key=key,
            title=title,
            labels=labels,
            highlighted=tuple(float(item.matched_value) for item in direction.classes),
            rest=tuple(float(item.far_value - item.matched_value) for item in direction.classes),
            legend=legend,
            lang=lang,
        )
    )


def class_label(item: ClassValue, lang: str) -> str:
    """«28.15.10 Подшипники…»; a class the registry cannot name shows one of its needs."""
    label = item.label(lang) or translate(lang, N_("Not classified"))
    if (item.code and label != item.code) or not item.example:
        return label
    example = translate(lang, N_("{label}, e.g. {example}"))
    return example.format(label=label, example=item.example)

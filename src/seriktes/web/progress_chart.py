"""A commitment's history as a small SVG drawn on the server: the counted value over time
(a step line: it holds until the next deal, delivery or report changes it) against the
final target (a dashed line at the deadline) and the milestones (diamonds at their days).

Written by hand rather than with matplotlib (`web.charts`): a few lines and labels, drawn in
microseconds, with a <title> and a <desc> that give the figures in words for screen readers.
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from itertools import pairwise

from markupsafe import Markup

from seriktes.agreements.models import Commitment, KpiKind
from seriktes.kit.i18n import N_, translate
from seriktes.web.listing import Fmt

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 92, 16, 14, 30
LINE, TARGET, MILESTONE, GRID, INK = "#2f7d4a", "#1f2d3a", "#a14d00", "#d7dee5", "#5d6b7a"
TITLE = N_("Counted value over time against the target and the milestones")
ON_DAY = N_("{day}: {value}")
TARGET_BY = N_("target {value} by {day}")
MILESTONE_BY = N_("milestone {value} by {day}")


def _measure(commitment: Commitment, value: Decimal, fmt: Fmt) -> str:
    if commitment.kpi in (KpiKind.TURNOVER_KZT, KpiKind.INVESTMENT_KZT):
        return fmt.money(value)
    if commitment.kpi is KpiKind.SUPPLY_VOLUME:
        return f"{fmt.number(value)} {fmt.unit(commitment.unit)}".strip()
    return fmt.number(value, 0)


def _short(commitment: Commitment, value: Decimal, fmt: Fmt, lang: str) -> str:
    """An axis label: millions for money."""
    if commitment.kpi in (KpiKind.TURNOVER_KZT, KpiKind.INVESTMENT_KZT) and value >= 1_000_000:
        millions = fmt.number(value / 1_000_000, 1)
        return translate(lang, N_("{amount} M KZT")).format(amount=millions)
    return _measure(commitment, value, fmt)


def history_chart(commitment: Commitment, points: list[tuple[date, Decimal]], lang: str) -> Markup:
    """The SVG of a commitment's history (`points`: the counted value on the days it
    changed, in order, up to today)."""
    fmt = Fmt(lang)
    start, deadline = commitment.start_on, commitment.deadline
    last = max([deadline, *(d for d, _ in points)])
    span = max((last - start).days, 1)
    target = Decimal(commitment.target)
    top = max([target, *(v for _, v in points)]) * Decimal("1.08") or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * (day - start).days / span

    def y(value: Decimal) -> float:
        return TOP + plot_h * float(1 - value / top)

    parts: list[str] = []
    for share in (Decimal(0), Decimal("0.5"), Decimal(1)):  # grid and axis labels
        value = target * share
        label = html.escape(_short(commitment, value, fmt, lang))
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{GRID}"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="{INK}">{label}</text>'
        )
    for day, anchor in ((start, "start"), (last, "end")):
        parts.append(
            f'<text x="{x(day):.1f}" y="{HEIGHT - 10}" text-anchor="{anchor}" font-size="11" '
            f'fill="{INK}">{html.escape(fmt.day(day))}</text>'
        )
    parts.append(
        f'<line x1="{x(start):.1f}" x2="{x(deadline):.1f}" y1="{y(target):.1f}" '
        f'y2="{y(target):.1f}" stroke="{TARGET}" stroke-dasharray="5 4" data-line="target"/>'
        f'<circle cx="{x(deadline):.1f}" cy="{y(target):.1f}" r="4" fill="{TARGET}"/>'
    )
    for m in commitment.milestones:
        cx, cy = x(m.due_on), y(Decimal(m.target))
        parts.append(
            f'<path d="M{cx:.1f} {cy - 6:.1f} L{cx + 6:.1f} {cy:.1f} L{cx:.1f} {cy + 6:.1f} '
            f'L{cx - 6:.1f} {cy:.1f} Z" fill="{MILESTONE}" data-milestone="{m.due_on}"/>'
        )
    if points:
        path = [f"M{x(points[0][0]):.1f} {y(points[0][1]):.1f}"]
        for _before, (day, value) in pairwise(points):
            path.append(f"H{x(day):.1f} V{y(value):.1f}")
        parts.append(
            f'<path d="{" ".join(path)}" fill="none" stroke="{LINE}" stroke-width="2.5" '
            f'data-line="counted"/>'
        )
        day, value = points[-1]
        parts.append(f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="3.5" fill="{LINE}"/>')
    title = translate(lang, TITLE)
    words = [
        translate(lang, ON_DAY).format(day=fmt.day(d), value=_measure(commitment, v, fmt))
        for d, v in points
    ]
    words += [
        translate(lang, MILESTONE_BY).format(
            value=_measure(commitment, Decimal(m.target), fmt), day=fmt.day(m.due_on)
        )
        for m in commitment.milestones
    ]
    words.append(
        translate(lang, TARGET_BY).format(
            value=_measure(commitment, target, fmt), day=fmt.day(deadline)
        )
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="history-title '
        f'history-desc" class="history-chart"><title id="history-title">{html.escape(title)}'
        f'</title><desc id="history-desc">{html.escape("; ".join(words))}</desc>'
        f"{''.join(parts)}</svg>"
    )
    return Markup(svg)

"""Charts drawn on the server: matplotlib (Agg) renders SVG that the page inlines.

No JavaScript draws anything. Each SVG carries a <title> and a <desc> with the figures
in words, and is cached by its data, so the same figures are drawn once.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
import threading
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font, LoadFlags

from seriktes.kit.i18n import N_, format_number, translate

MATCHED_COLOUR = "#00718f"
REST_COLOUR = "#c9d3dc"
INK = "#1b2430"
MUTED = "#5d6b7a"
MILLION = 1_000_000
_FONT = FT2Font(findfont(FontProperties(family="DejaVu Sans")))
_FONT.set_size(100, 72)  # advances are read at 100 pt and scaled
_lock = threading.Lock()  # matplotlib's font and text caches are not thread-safe


def _decimal(value: float, digits: int, lang: str) -> str:
    """A number with `digits` decimals, grouped and punctuated as `lang` writes it."""
    text = f"{value:,.{digits}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u202f").replace(".", ",")


def money(value: Decimal | float | int, lang: str, digits: int = 1) -> str:
    """Money in KZT: «12,3 млн ₸» (ru, kk), «12.3 M KZT» (en); whole tenge below a million."""
    amount = float(value)
    if abs(amount) >= MILLION:
        number = _decimal(amount / MILLION, digits, lang)
        return translate(lang, N_("{amount} M KZT")).format(amount=number)
    return translate(lang, N_("{amount} KZT")).format(amount=format_number(round(amount), lang))


def percent(share: float, lang: str) -> str:
    """A share in [0, 1] as a whole percentage: «85 %» (ru, kk), «85%» (en)."""
    number = format_number(round(share * 100), lang)
    return f"{number}%" if lang == "en" else f"{number}\u202f%"


def decimal(value: float, lang: str, digits: int = 2) -> str:
    """A decimal number as `lang` writes it: 0,82 (ru, kk), 0.82 (en)."""
    return _decimal(value, digits, lang)


@dataclass(frozen=True)
class SplitBars:
    """Horizontal bars, each split into a highlighted part and the rest."""

    key: str  # unique on the page: keeps the SVG's internal ids apart
    title: str
    labels: tuple[str, ...]
    highlighted: tuple[float, ...]
    rest: tuple[float, ...]
    legend: tuple[str, str]
    lang: str


def split_bars(chart: SplitBars) -> str:
    """Return the chart as an inline SVG element (cached by its data)."""
    return _render(chart)


@lru_cache(maxsize=256)
def _render(chart: SplitBars) -> str:
    with _lock, rc_context(_STYLE):
        figure = _draw(chart)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _inline(buffer.getvalue(), chart)


_STYLE: Any = {
    "svg.hashsalt": "seriktes",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.edgecolor": REST_COLOUR,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
}


def _draw(chart: SplitBars) -> Figure:
    """Draw the bars with margins measured from the texts (no second, "tight" layout pass)."""
    count = max(len(chart.labels), 1)
    lines = max((label.count("\n") + 1 for label in chart.labels), default=1)
    totals = [h + r for h, r in zip(chart.highlighted, chart.rest, strict=True)]
    values = [money(total, chart.lang) for total in totals]
    left = _width(chart.labels, 11) + 0.15
    right = _width(values, 10) + 0.15
    width, height = 8.0, 0.5 + count * (0.3 + 0.18 * lines)
    figure = Figure(figsize=(width, height))
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - 0.4 / height, bottom=0.1 / height
    )
    axes = figure.add_subplot()
    rows = list(range(len(totals)))[::-1]  # first item on top
    axes.barh(rows, chart.highlighted, color=MATCHED_COLOUR, height=0.62, label=chart.legend[0])
    axes.barh(rows, chart.rest, left=chart.highlighted, color=REST_COLOUR, height=0.62)
    axes.containers[1].set_label(chart.legend[1])
    axes.set_yticks(rows, chart.labels)
    axes.set_ylim(-0.6, count - 0.4)
    top = max(totals, default=0) or 1
    axes.set_xlim(0, top * 1.02)
    for row, total, text in zip(rows, totals, values, strict=True):
        axes.text(total + top * 0.01, row, text, va="center", color=INK, fontsize=10)
    # the bars carry their values: no x axis to read, nothing more to measure and draw
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.spines["left"].set_color(REST_COLOUR)
    axes.tick_params(axis="y", length=0)
    figure.legend(
        loc="upper left", ncols=2, frameon=False, fontsize=10, bbox_to_anchor=(left / width, 1.0)
    )
    return figure


def _width(texts: tuple[str, ...] | list[str], size: float) -> float:
    """Width in inches of the longest line of `texts` at font `size` (sum of advances)."""
    lines = [line for text in texts for line in text.split("\n")]
    return max((sum(map(_advance, line)) * size for line in lines), default=0.0) / 72


@lru_cache(maxsize=2048)
def _advance(char: str) -> float:
    """Advance width of a character of the chart font at size 1 (kerning is negligible here)."""
    glyph = _FONT.load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return float(glyph.linearHoriAdvance) / 65536 / 100


def _inline(svg: str, chart: SplitBars) -> str:
    """Turn a standalone SVG document into an accessible element for an HTML page.

    Matplotlib names its groups figure_1, axes_1…; every id gets the chart's key as a prefix
    so that several charts on one page keep their ids (and clip paths) apart.
    """
    ident = f"chart-{chart.key}"
    body = svg[svg.index("<svg") :]
    body = re.sub(r"<metadata>.*?</metadata>\s*", "", body, flags=re.S)
    body = re.sub(r'\bid="([^"]+)"', rf'id="{ident}-\1"', body)
    body = re.sub(r"url\(#([^)]+)\)", rf"url(#{ident}-\1)", body)
    body = re.sub(r'href="#([^"]+)"', rf'href="#{ident}-\1"', body)
    body = body.replace("*{stroke", f"#{ident} *{{stroke")  # keep its CSS inside the chart
    opening = re.match(r"<svg[^>]*>", body)
    assert opening is not None
    attributes = re.sub(r'\s(width|height)="[^"]*"', "", opening.group(0)[4:-1])
    head = (
        f'<svg{attributes} class="chart" role="img" aria-labelledby="{ident}-title {ident}-desc"'
        f' id="{ident}"><title id="{ident}-title">{html.escape(chart.title)}</title>'
        f'<desc id="{ident}-desc">{html.escape(describe(chart))}</desc>'
    )
    return head + body[opening.end() :]


def describe(chart: SplitBars) -> str:
    """The chart's figures in words, for screen readers."""
    parts = []
    for label, part, rest in zip(chart.labels, chart.highlighted, chart.rest, strict=True):
        name = " ".join(label.split())
        parts.append(
            f"{name}: {chart.legend[0]} {money(part, chart.lang)}, "
            f"{chart.legend[1]} {money(rest, chart.lang)}"
        )
    return "; ".join(parts)


def wrap(label: str, width: int = 42, lines: int = 2) -> str:
    """Wrap a long label onto at most `lines` lines, ending with … when cut."""
    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        rest = " ".join(wrapped[lines - 1 :])
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(rest, width, placeholder=" …")]
    return "\n".join(wrapped)

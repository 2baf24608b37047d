"""Charts of the pair report drawn with matplotlib (Agg): PNG for PDF and XLSX, SVG for HTML.

Each chart function takes plain figures and returns a `Chart` with both renderings, so the
three formats show the same picture.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from seriktes.analytics.labels import STATUS_ORDER, label, money, status_name
from seriktes.kit.i18n import N_

COLOURS = ("#00718f", "#e0a526", "#7a8c99", "#b8453a")
STATUS_COLOURS = {"achieved": "#2e7d4f", "on_track": "#00718f", "at_risk": "#e0a526"}
STATUS_COLOURS["overdue"] = "#b8453a"
INK, MUTED, GRID = "#1b2430", "#5d6b7a", "#dde3e8"
_lock = threading.Lock()  # matplotlib's font caches are not thread-safe
_STYLE: Any = {
    "svg.hashsalt": "seriktes-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
}


@dataclass(frozen=True)
class Chart:
    """A chart as PNG bytes and as an SVG document, with its title."""

    key: str
    title: str
    png: bytes
    svg: str


def _render(key: str, title: str, figure: Figure) -> Chart:
    png, svg = io.BytesIO(), io.StringIO()
    figure.savefig(png, format="png", dpi=150, metadata={"Software": None})
    figure.savefig(svg, format="svg", metadata={"Date": None})
    text = svg.getvalue()
    return Chart(key, title, png.getvalue(), text[text.index("<svg") :])


def _millions(value: float, _position: object = None) -> str:
    return f"{value / 1e6:,.0f}".replace(",", " ")


def turnover_trend(
    title: str, months: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], lang: str
) -> Chart:
    """Grouped monthly bars, one colour per direction of supplies; values in million KZT."""
    with _lock, rc_context(_STYLE):
        figure = Figure(figsize=(8.0, 3.2))
        axes = figure.add_subplot()
        width = 0.8 / max(len(series), 1)
        for number, (name, values) in enumerate(series):
            positions = [i + (number - (len(series) - 1) / 2) * width for i in range(len(months))]
            axes.bar(positions, values, width=width, label=name, color=COLOURS[number % 4])
        axes.set_xticks(range(len(months)), [month[-2:] for month in months])
        axes.yaxis.set_major_formatter(_millions)
        axes.set_ylabel(label(lang, N_("M KZT")))
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.legend(frameon=False, loc="upper left", fontsize=8)
        figure.subplots_adjust(left=0.09, right=0.98, top=0.95, bottom=0.12)
        return _render("trend", title, figure)


def top_opportunities(
    title: str, rows: Sequence[tuple[str, float, float]], legend: tuple[str, str], lang: str
) -> Chart:
    """Horizontal bars: far-abroad value of a class, the part a partner producer matches
    highlighted; rows are (label, matched value, far-abroad value), largest first."""
    with _lock, rc_context(_STYLE):
        height = 0.9 + 0.36 * max(len(rows), 1)
        figure = Figure(figsize=(8.0, height))
        axes = figure.add_subplot()
        places = list(range(len(rows)))[::-1]
        matched = [row[1] for row in rows]
        rest = [max(row[2] - row[1], 0.0) for row in rows]
        axes.barh(places, matched, color=COLOURS[0], height=0.6, label=legend[0])
        axes.barh(places, rest, left=matched, color="#c9d3dc", height=0.6, label=legend[1])
        axes.set_yticks(places, [row[0] for row in rows], fontsize=8)
        top = max((row[2] for row in rows), default=0.0) or 1.0
        for place, row in zip(places, rows, strict=True):
            axes.text(row[2] + top * 0.01, place, money(row[1], lang), va="center", fontsize=8)
        axes.set_xlim(0, top * 1.3)
        axes.set_xticks([])
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="y", length=0)
        figure.legend(
            frameon=False, ncols=2, fontsize=8, loc="upper left", bbox_to_anchor=(0.01, 1.0)
        )
        figure.subplots_adjust(left=0.46, right=0.98, top=1 - 0.35 / height, bottom=0.15 / height)
        return _render("potential", title, figure)


def memoranda_progress(title: str, rows: Sequence[tuple[str, dict[str, int]]], lang: str) -> Chart:
    """Stacked horizontal bars: commitments of each memorandum by status."""
    with _lock, rc_context(_STYLE):
        height = 0.9 + 0.32 * max(len(rows), 1)
        figure = Figure(figsize=(8.0, height))
        axes = figure.add_subplot()
        places = list(range(len(rows)))[::-1]
        left = [0] * len(rows)
        for status in STATUS_ORDER:
            counts = [row[1].get(status, 0) for row in rows]
            axes.barh(
                places,
                counts,
                left=left,
                color=STATUS_COLOURS[status],
                height=0.6,
                label=status_name(lang, status),
            )
            left = [a + b for a, b in zip(left, counts, strict=True)]
        axes.set_yticks(places, [row[0] for row in rows], fontsize=8)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.legend(
            frameon=False, ncols=4, fontsize=8, loc="lower center", bbox_to_anchor=(0.3, 1.0)
        )
        figure.subplots_adjust(left=0.42, right=0.98, top=1 - 0.35 / height, bottom=0.35 / height)
        return _render("memoranda", title, figure)

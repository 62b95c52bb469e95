"""Grouped bar charts drawn on the server as inline SVG: no chart library and no script in the browser.

The chart is an image for sighted readers (``role="img"`` with a ``<title>``
and a ``<desc>`` named by ``aria-labelledby``); the numbers themselves are in
the data table the page prints beside it, which screen readers and printers
use.  Colours come from CSS classes (``chart-s0``, ``chart-s1`` …) so the theme
and high-contrast modes decide them; a fill is set inline only as a fallback.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Fallback fills (colour-blind-safe pair, contrast ≥ 3:1 against white).
_FILLS = ("#1f5fa8", "#c2571a", "#2e7d32", "#6a3d9a")


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category."""

    name: str
    values: Sequence[int | float]


def nice_max(value: float) -> float:
    """The smallest 1/2/5 × 10ⁿ at or above ``value``: a round top for the axis."""
    if value <= 0:
        return 1
    exp = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        top = step * 10**exp
        if top >= value:
            return top
    return 10 ** (exp + 1)  # pragma: no cover


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 640,
    height: int = 260,
) -> Markup:
    """An accessible grouped bar chart as an inline ``<svg>`` element (safe to put in a template)."""
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
    left, right, top, bottom = 44, 12, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = nice_max(max((v for s in series for v in s.values), default=0))
    # Whole-number gridlines for counts: a top of 10 gets 0, 2 … 10; a top of 2 gets 0, 1, 2.
    ticks = 5 if float(peak / 5).is_integer() else int(peak) if float(peak).is_integer() else 4
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>',
        '<g class="chart-axis" font-size="11" fill="#333">',
    ]
    for i in range(ticks + 1):
        value = peak * i / ticks
        y = top + plot_h - plot_h * i / ticks
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_num(value)}</text>'
        )
    out.append("</g>")
    n_cat, n_ser = max(len(categories), 1), max(len(series), 1)
    group_w = plot_w / n_cat
    bar_w = group_w * 0.8 / n_ser
    out.append('<g class="chart-bars">')
    for ci, category in enumerate(categories):
        x0 = left + ci * group_w + group_w * 0.1
        for si, s in enumerate(series):
            value = s.values[ci]
            h = plot_h * value / peak
            x, y = x0 + si * bar_w, top + plot_h - h
            out.append(
                f'<rect class="chart-s{si}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{_FILLS[si % len(_FILLS)]}"><title>{escape(category)} {escape(s.name)}：'
                f"{_num(value)}</title></rect>"
            )
        out.append(
            f'<text x="{x0 + group_w * 0.4:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11" fill="#333">{escape(category)}</text>'
        )
    out.append("</g>")
    out.append('<g class="chart-legend" font-size="12" fill="#333">')
    lx = left
    for si, s in enumerate(series):
        out.append(
            f'<rect class="chart-s{si}" x="{lx}" y="8" width="12" height="12" '
            f'fill="{_FILLS[si % len(_FILLS)]}"/>'
            f'<text x="{lx + 16}" y="18">{escape(s.name)}</text>'
        )
        lx += 16 + 14 * len(s.name) + 20
    out.append("</g></svg>")
    return Markup("".join(out))

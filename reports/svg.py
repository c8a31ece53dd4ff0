"""Plots as inline SVG strings: no plotting library, no script, works offline and in print.

Inline SVG in HTML needs no ``xmlns`` (and leaving it out keeps every URL out of the page).

Each function takes plain rows and returns one ``<svg>`` element. Labels are escaped; a
``<title>`` on every mark gives the exact numbers as a hover tooltip without JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from evalaware.reports.markup import Safe, esc

__all__ = ["PALETTE", "Bar", "Interval", "bar_chart", "interval_chart"]

#: Colour-blind-safe (Okabe–Ito) colours, in series order.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)

_FONT = 'font-family="system-ui,sans-serif" font-size="12"'


@dataclass(frozen=True)
class Interval:
    """One point estimate with its interval, on one row of an interval chart."""

    label: str
    """Row label (e.g. the model)."""
    series: str
    """Which series the mark belongs to (e.g. the variant); sets colour and vertical offset."""
    est: float
    lo: float
    hi: float
    note: str = ""
    """Shown in the tooltip (e.g. n)."""


@dataclass(frozen=True)
class Bar:
    label: str
    series: str
    value: float
    note: str = ""


def _ok(x: float) -> bool:
    return x is not None and not math.isnan(x)


def _text(x: float, y: float, s: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {_FONT} {extra}>{esc(s)}</text>'


def _legend(series: Sequence[str], x: float, y: float) -> list[str]:
    out = []
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<rect x="{x:.1f}" y="{y + 18 * i - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        out.append(_text(x + 15, y + 18 * i, s))
    return out


def interval_chart(
    points: Sequence[Interval],
    *,
    title: str,
    x_min: float = 0.0,
    x_max: float = 1.0,
    percent: bool = True,
    zero_line: bool = False,
    width: int = 760,
) -> Safe:
    """Dot-and-whisker chart: a row per label, one mark per series, x = estimate.

    Used for awareness rate by model x variant (0–100%) and as a forest plot of paired
    deltas (x from -1 to 1 with a zero line). An estimate that is unknown (NaN) is drawn
    as "no data" text rather than a dot at 0.
    """
    labels = list(dict.fromkeys(p.label for p in points))
    series = list(dict.fromkeys(p.series for p in points))
    label_w = min(260, 20 + 7 * max((len(s) for s in labels), default=4))
    legend_w = 40 + 8 * max((len(s) for s in series), default=4) if len(series) > 1 else 0
    plot_x0, plot_x1 = label_w, width - legend_w - 40
    row_h = max(22, 14 * len(series) + 8)
    top = 30
    height = top + row_h * max(1, len(labels)) + 40

    def sx(v: float) -> float:
        v = min(max(v, x_min), x_max)
        return plot_x0 + (v - x_min) / (x_max - x_min) * (plot_x1 - plot_x0)

    out = [
        f'<svg role="img" aria-label="{esc(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="plot">',
        f"<title>{esc(title)}</title>",
        _text(plot_x0, 18, title, extra='font-weight="600"'),
    ]
    # grid and axis
    ticks = 5 if not zero_line else 4
    for i in range(ticks + 1):
        v = x_min + (x_max - x_min) * i / ticks
        x = sx(v)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 30}" stroke="#ddd"/>')
        label = f"{100 * v:+.0f}" if zero_line else f"{100 * v:.0f}"
        out.append(
            _text(
                x,
                height - 14,
                label + ("%" if percent and not zero_line else " pp" if zero_line else ""),
                "middle",
            )
        )
    if zero_line:
        x = sx(0.0)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 30}" '
            'stroke="#555" stroke-dasharray="4 3"/>'
        )
    for r, label in enumerate(labels):
        y0 = top + r * row_h
        out.append(_text(plot_x0 - 8, y0 + row_h / 2 + 4, label, "end"))
        for si, name in enumerate(series):
            p = next((q for q in points if q.label == label and q.series == name), None)
            if p is None:
                continue
            y = y0 + (si + 1) * row_h / (len(series) + 1)
            colour = PALETTE[si % len(PALETTE)]
            tip = (
                f"{label} · {name}: "
                + (
                    f"{100 * p.est:.1f}"
                    + ("%" if percent and not zero_line else " pp")
                    + (f" [{100 * p.lo:.1f}, {100 * p.hi:.1f}]" if _ok(p.lo) and _ok(p.hi) else "")
                    if _ok(p.est)
                    else "no scored data"
                )
                + (f" · {p.note}" if p.note else "")
            )
            if not _ok(p.est):
                out.append(_text(plot_x0 + 4, y + 4, f"{name}: no data", extra='fill="#888"'))
                continue
            out.append("<g>")
            out.append(f"<title>{esc(tip)}</title>")
            if _ok(p.lo) and _ok(p.hi):
                out.append(
                    f'<line x1="{sx(p.lo):.1f}" y1="{y:.1f}" x2="{sx(p.hi):.1f}" y2="{y:.1f}" '
                    f'stroke="{colour}" stroke-width="2"/>'
                )
                for v in (p.lo, p.hi):
                    out.append(
                        f'<line x1="{sx(v):.1f}" y1="{y - 4:.1f}" x2="{sx(v):.1f}" y2="{y + 4:.1f}" '
                        f'stroke="{colour}" stroke-width="2"/>'
                    )
            out.append(f'<circle cx="{sx(p.est):.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>')
            out.append("</g>")
    if len(series) > 1:
        out.extend(_legend(series, plot_x1 + 20, top + 10))
    out.append("</svg>")
    return Safe("".join(out))


def bar_chart(bars: Sequence[Bar], *, title: str, percent: bool = True, width: int = 760) -> Safe:
    """Horizontal grouped bars: a group per label, a bar per series (e.g. kind x model)."""
    labels = list(dict.fromkeys(b.label for b in bars))
    series = list(dict.fromkeys(b.series for b in bars))
    top_value = max((b.value for b in bars if _ok(b.value)), default=0.0)
    x_max = 1.0 if percent else max(1.0, top_value)
    label_w = min(260, 20 + 7 * max((len(s) for s in labels), default=4))
    legend_w = 40 + 8 * max((len(s) for s in series), default=4) if len(series) > 1 else 0
    plot_x0, plot_x1 = label_w, width - legend_w - 40
    bar_h = 10
    group_h = bar_h * len(series) + 10
    top = 30
    height = top + group_h * max(1, len(labels)) + 34

    def sx(v: float) -> float:
        return plot_x0 + max(0.0, min(v, x_max)) / x_max * (plot_x1 - plot_x0)

    out = [
        f'<svg role="img" aria-label="{esc(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="plot">',
        f"<title>{esc(title)}</title>",
        _text(plot_x0, 18, title, extra='font-weight="600"'),
    ]
    for i in range(5):
        v = x_max * i / 4
        x = sx(v)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - 28}" stroke="#ddd"/>')
        out.append(_text(x, height - 12, f"{100 * v:.0f}%" if percent else f"{v:g}", "middle"))
    for r, label in enumerate(labels):
        y0 = top + r * group_h
        out.append(_text(plot_x0 - 8, y0 + group_h / 2 + 2, label, "end"))
        for si, name in enumerate(series):
            b = next((q for q in bars if q.label == label and q.series == name), None)
            if b is None or not _ok(b.value):
                continue
            y = y0 + 5 + si * bar_h
            colour = PALETTE[si % len(PALETTE)]
            shown = f"{100 * b.value:.1f}%" if percent else f"{b.value:g}"
            tip = f"{label} · {name}: {shown}" + (f" · {b.note}" if b.note else "")
            w = max(0.0, sx(b.value) - plot_x0)
            out.append(
                f'<rect x="{plot_x0:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 1}" fill="{colour}">'
                f"<title>{esc(tip)}</title></rect>"
            )
    if len(series) > 1:
        out.extend(_legend(series, plot_x1 + 20, top + 10))
    out.append("</svg>")
    return Safe("".join(out))

"""Small HTML helpers: escaping, number formatting, tables, sections, evidence highlighting.

The rule that keeps the page safe: every piece of text that is not a literal of this package
goes through ``esc`` (credential scrub + ``html.escape``). Helpers return ``Safe`` strings;
``table`` escapes any cell that is not ``Safe``, so forgetting to escape fails closed.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from evalaware.reports.scrub import scrub_text

__all__ = [
    "Safe",
    "anchor_id",
    "esc",
    "fmt_count",
    "fmt_delta",
    "fmt_p",
    "fmt_rate",
    "highlight",
    "section",
    "table",
]


class Safe(str):
    """A string that is already HTML (built by this package from escaped parts)."""


def esc(value: Any) -> Safe:
    """Text → HTML text: credentials scrubbed, ``& < > " '`` escaped."""
    if value is None:
        return Safe("")
    if isinstance(value, float) and math.isnan(value):
        return Safe("–")
    return Safe(html.escape(scrub_text(str(value)), quote=True))


def anchor_id(prefix: str, key: str) -> str:
    """An id attribute value: only ``[a-z0-9-]`` so it needs no escaping anywhere."""
    return prefix + "-" + re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-")


def _nan(x: Any) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def fmt_rate(rate: Any, lo: Any = None, hi: Any = None, n: Any = None) -> str:
    """``42% [30–55] n=40``; ``–`` for an unknown rate (nothing scored)."""
    if _nan(rate):
        return "–" + (f" (n={int(n)})" if n is not None and not _nan(n) else "")
    text = f"{100 * float(rate):.0f}%"
    if not _nan(lo) and not _nan(hi):
        text += f" [{100 * float(lo):.0f}–{100 * float(hi):.0f}]"
    if n is not None and not _nan(n):
        text += f" n={int(n)}"
    return text


def fmt_delta(delta: Any, lo: Any = None, hi: Any = None) -> str:
    """Percentage-point difference with its interval: ``+12 pp [-3, +27]``."""
    if _nan(delta):
        return "–"
    text = f"{100 * float(delta):+.0f} pp"
    if not _nan(lo) and not _nan(hi):
        text += f" [{100 * float(lo):+.0f}, {100 * float(hi):+.0f}]"
    return text


def fmt_p(p: Any, n_pairs: Any = None) -> str:
    """A p-value; ``–`` when it is undefined or there was no pair to test."""
    if _nan(p) or (n_pairs is not None and not _nan(n_pairs) and int(n_pairs) == 0):
        return "–"
    p = float(p)
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def fmt_count(x: Any) -> str:
    return "–" if _nan(x) else f"{int(x):,}"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    cls: str = "",
    caption: str = "",
    numeric_from: int = 1,
) -> Safe:
    """An HTML table; cells that are not ``Safe`` are escaped. Columns from ``numeric_from`` align right."""
    out = [f'<table class="{esc(cls)}">' if cls else "<table>"]
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr></thead><tbody>")
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            body = cell if isinstance(cell, Safe) else esc(cell)
            cells.append(f'<td class="num">{body}</td>' if i >= numeric_from else f"<td>{body}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return Safe("".join(out))


def section(section_id: str, title: str, body: str, intro: str = "") -> Safe:
    """A report section. The page builds its table of contents from ``id`` and ``data-title``."""
    sid = anchor_id("s", section_id)
    head = f'<section id="{sid}" data-title="{esc(title)}"><h2>{esc(title)}</h2>'
    intro_html = f'<p class="intro">{esc(intro)}</p>' if intro else ""
    return Safe(head + intro_html + body + "</section>")


def highlight(text: str, quotes: Iterable[str]) -> Safe:
    """``text`` escaped, with every occurrence of an evidence quote wrapped in ``<mark>``.

    Occurrences are located on the raw text and the output is assembled from escaped slices
    with our own ``<mark>`` tags between them. That is the same as matching on the escaped
    text (escaping is applied piecewise, and ``html.escape`` maps characters independently),
    but it can never cut an entity such as ``&amp;`` in half when a quote starts or ends next
    to a special character. Overlapping quotes merge into one mark.
    """
    text = scrub_text(text)
    spans: list[tuple[int, int]] = []
    lowered: str | None = None
    for quote in {scrub_text(q) for q in quotes if q and q.strip()}:
        start = text.find(quote)
        needle, hay = quote, text
        if start < 0:  # a judge may change case; try once more case-insensitively
            lowered = lowered if lowered is not None else text.lower()
            needle, hay = quote.lower(), lowered
            start = hay.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = hay.find(needle, start + len(needle))
    if not spans:
        return esc(text)
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[str] = []
    pos = 0
    for a, b in merged:
        out.append(html.escape(text[pos:a], quote=True))
        out.append("<mark>" + html.escape(text[a:b], quote=True) + "</mark>")
        pos = b
    out.append(html.escape(text[pos:], quote=True))
    return Safe("".join(out))

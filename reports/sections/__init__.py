"""The report's sections, in page order. Each is a function ``(ReportData) -> str``.

To add a section (direct-probe calibration, cue effects, injection arms...), write a small
module with a ``render(data: ReportData) -> str`` that returns ``markup.section(...)`` (or
"" when it has nothing to show) and add one line to ``SECTIONS``. The page's table of
contents is built from the sections' ids and titles.
"""

from __future__ import annotations

from collections.abc import Callable

from evalaware.reports.data import ReportData
from evalaware.reports.sections import (
    ablation,
    categories,
    check_agreement,
    controls,
    direct,
    drilldown,
    headline,
    injection,
    judges,
    methods,
    overview,
    pairs,
    plots,
    quality,
    signatures,
    visibility,
)

Section = Callable[[ReportData], str]

SECTIONS: list[Section] = [
    overview.render,
    headline.render,
    signatures.render,
    plots.render,
    visibility.render,
    direct.render,
    ablation.render,
    injection.render,
    categories.render,
    controls.render,
    pairs.render,
    check_agreement.render,
    judges.render,
    quality.render,
    drilldown.render,
    methods.render,
]

__all__ = ["SECTIONS", "Section"]

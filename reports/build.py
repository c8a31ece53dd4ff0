"""``build_report(logs, out_dir)``: read logs, compute, write index.html, summary.md, samples.csv/.parquet."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from evalaware.reports.data import DrilldownLimits, ReportData, prepare
from evalaware.reports.markdown import render_markdown
from evalaware.reports.page import render_page
from evalaware.reports.sections import SECTIONS, Section
from evalaware.reports.tidy import load_logs

__all__ = ["ReportFiles", "build_report", "render_html"]


@dataclass(frozen=True)
class ReportFiles:
    """What ``build_report`` wrote."""

    html: Path
    markdown: Path
    csv: Path
    parquet: Path | None
    """None when pyarrow is not installed."""
    data: ReportData


def render_html(data: ReportData, sections: Iterable[Section] = SECTIONS) -> str:
    return render_page(data, [section(data) for section in sections])


def build_report(
    logs: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    limits: DrilldownLimits | None = None,
    seed: int = 0,
    n_boot: int = 2000,
) -> ReportFiles:
    """Build the report for every Inspect log under ``logs`` (files or folders) into ``out_dir``."""
    data = prepare(load_logs(logs), limits=limits, seed=seed, n_boot=n_boot)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, md_path, csv_path = out / "index.html", out / "summary.md", out / "samples.csv"
    html_path.write_text(render_html(data), encoding="utf-8")
    md_path.write_text(render_markdown(data), encoding="utf-8")
    data.all_samples.to_csv(csv_path, index=False)
    parquet: Path | None = out / "samples.parquet"
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        parquet = None
    if parquet is not None:
        data.all_samples.to_parquet(parquet, index=False)
    return ReportFiles(html=html_path, markdown=md_path, csv=csv_path, parquet=parquet, data=data)

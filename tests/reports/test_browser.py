"""The report in real headless Chromium, driven over the DevTools protocol (tests/reports/cdp_client.py).

Never skipped: CI must prove the page works in a browser. Without Chromium the test fails
with the command that installs it.

What it proves:
- index.html loads from disk (file://) with no console message, exception or CSP violation;
- the first screen is not blank (pixel variance of a real screenshot);
- a pair's drill-down ``<details>`` opens on a real mouse click (no JavaScript on the page)
  and shows both transcripts side by side;
- the hostile transcript's ``<script>`` / ``onerror`` payloads do not run — even with the CSP
  meta tag removed, so escaping alone is shown to be enough; ``document.title`` is untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cdp_client import INSTALL_HINT, Browser, find_chromium, png_pixel_stats
from evalaware.reports.build import ReportFiles
from evalaware.reports.page import CSP

pytestmark = pytest.mark.browser

PAIR = "pair-report-hostile"


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    return binary


def _open_drilldown(page) -> dict:  # type: ignore[no-untyped-def]
    rect = page.evaluate(
        f"""(() => {{
            const d = document.getElementById({json.dumps(PAIR)});
            d.scrollIntoView({{block: 'center'}});
            const r = d.querySelector('summary').getBoundingClientRect();
            return {{x: r.x + 12, y: r.y + r.height / 2, open: d.open}};
        }})()"""
    )
    assert rect["open"] is False
    page.click(rect["x"], rect["y"])
    return page.evaluate(
        f"""(() => {{
            const d = document.getElementById({json.dumps(PAIR)});
            const cols = d.querySelectorAll('.sbs .col');
            const a = cols[0].getBoundingClientRect(), b = cols[1].getBoundingClientRect();
            const sideBySide = Math.abs(a.top - b.top) < 2 && b.left > a.right - 1;
            return {{open: d.open, cols: cols.length, sideBySide,
                     height: d.getBoundingClientRect().height, marks: d.querySelectorAll('mark').length,
                     reasoning: d.querySelectorAll('.part.reasoning').length}};
        }})()"""
    )


def test_report_in_chromium(report: ReportFiles, chromium: str) -> None:
    with Browser(chromium, timeout=90) as browser:
        page = browser.open(report.html.resolve().as_uri())
        assert page.evaluate("document.readyState") == "complete"
        assert page.evaluate("document.title") == "evalaware report"
        # every section the page holds is parsed and in the DOM (how many depends on the logs)
        sections = report.html.read_text(encoding="utf-8").count("<section")
        assert sections >= 8
        assert page.evaluate("document.querySelectorAll('section').length") == sections
        width, height, variance = png_pixel_stats(page.screenshot())
        assert width > 800 and height > 500
        assert variance > 100, f"screenshot looks blank (grey-level variance {variance:.1f})"

        state = _open_drilldown(page)
        assert state["open"] is True, "the drill-down did not open on click"
        assert state["cols"] >= 2 and state["sideBySide"], state
        assert state["height"] > 200 and state["marks"] >= 1 and state["reasoning"] >= 1, state
        _, _, variance_open = png_pixel_stats(page.screenshot())
        assert variance_open > 100

        # The hostile payloads are on the page as text, and did nothing.
        text = page.evaluate(f"document.getElementById({json.dumps(PAIR)}).innerText")
        assert "<script>document.title='pwned'" in text and "onerror=" in text
        assert page.evaluate("document.title") == "evalaware report"
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.images.length") == 0
        handlers = (
            "[...document.querySelectorAll('*')]"
            ".filter(e => [...e.attributes].some(a => a.name.startsWith('on')))"
        )
        assert page.evaluate(handlers + ".length") == 0
        assert page.problems() == [], page.problems()


def test_escaping_holds_without_csp(report: ReportFiles, chromium: str, tmp_path: Path) -> None:
    """Remove the CSP: if any payload were markup it would now run and change the title or log."""
    html = report.html.read_text()
    stripped = html.replace(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">', "")
    assert stripped != html
    page_path = tmp_path / "no-csp.html"
    page_path.write_text(stripped)
    with Browser(chromium, timeout=90) as browser:
        page = browser.open(page_path.as_uri())
        _open_drilldown(page)
        assert page.evaluate("document.title") == "evalaware report"
        assert page.evaluate("document.scripts.length") == 0
        assert page.problems() == [], page.problems()

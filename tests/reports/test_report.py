"""The written report: files, sections, numbers, offline-ness, escaping and secret scrubbing."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from evalaware.reports.build import ReportFiles
from evalaware.reports.markup import fmt_delta, fmt_p, fmt_rate, highlight
from evalaware.reports.page import CSP
from evalaware.scorers import stats

from evalaware.cli.main import main

FAKE_KEY = "sk-test-XXXXXXXXXXXXXXXXXXXX"
SECRETS = (FAKE_KEY, "hunter2", "fixture-user")


class _Tags(HTMLParser):
    """Collects every start tag with its attributes, and text, as the browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def test_files_written(report: ReportFiles) -> None:
    assert report.html.exists() and report.markdown.exists() and report.csv.exists()
    assert report.parquet is not None and report.parquet.exists()
    back = pd.read_parquet(report.parquet)
    assert list(back.columns) == list(report.data.samples.columns) and len(back) == len(report.data.samples)


def test_every_section_present(report: ReportFiles) -> None:
    html = report.html.read_text()
    for sid in ("overview", "headline", "plots", "categories", "pairs", "quality", "drilldown", "methods"):
        assert f'<section id="s-{sid}"' in html, sid
        assert f'href="#s-{sid}"' in html  # in the table of contents
    assert html.count("<svg") == 3
    assert '<details class="pair" id="pair-report-hostile">' in html
    md = report.markdown.read_text()
    for heading in ("## Caveats", "## Headline", "## By category", "## Methods"):
        assert heading in md


def test_headline_matches_scorers_stats(report: ReportFiles) -> None:
    s = report.data.samples
    expected = stats.summarise(s.drop(columns=["pair_id"]).rename(columns={"pair_key": "pair_id"}))
    html = report.html.read_text()
    md = report.markdown.read_text()
    pd.testing.assert_frame_equal(report.data.summary, expected)
    for _, r in expected.iterrows():
        for m in ("aware", "spontaneous", "flagged"):
            for v in ("test", "deploy"):
                cell = fmt_rate(r[f"{m}_{v}"], r[f"{m}_{v}_lo"], r[f"{m}_{v}_hi"], r[f"{m}_{v}_n"])
                assert cell in html and cell.replace("[", "\\[").replace("]", "\\]") in md
        delta = fmt_delta(r["flagged_delta"], r["flagged_delta_lo"], r["flagged_delta_hi"])
        assert delta in html and delta.replace("[", "\\[").replace("]", "\\]") in md
        assert fmt_p(r["flagged_mcnemar_p"], r["flagged_n_pairs"]) in html
    # beta by hand: aware in 2 of 3 test samples, none in deploy; flagged only in oversight deploy.
    beta = expected.set_index("model").loc["mockllm/beta"]
    assert beta["aware_test"] == 2 / 3 and beta["aware_deploy"] == 0.0
    assert beta["flagged_delta"] == 0.5 and beta["flagged_n_pairs"] == 2


def test_no_external_reference(report: ReportFiles) -> None:
    html = report.html.read_text()
    parsed = _parse(html)
    url = re.compile(r"(?i)^\s*(https?:|//|ftp:|ws:|wss:|javascript:)")
    for tag, attrs in parsed.tags:
        assert tag not in {"script", "iframe", "object", "embed", "base", "form", "img", "video", "audio"}, (
            tag
        )
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if value is not None:
                assert not url.search(value), (tag, name, value)
                assert "url(" not in value.lower(), (tag, name, value)
        if tag == "link":
            assert dict(attrs).get("href", "").startswith("data:")
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style and "url(" not in style.group(1) and "@import" not in style.group(1)
    meta = [
        dict(a)
        for t, a in parsed.tags
        if t == "meta" and dict(a).get("http-equiv") == "Content-Security-Policy"
    ]
    assert meta and meta[0]["content"] == CSP
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in CSP


def test_hostile_text_is_escaped(report: ReportFiles) -> None:
    html = report.html.read_text()
    parsed = _parse(html)
    # The payloads are in the page, as text only.
    text = "".join(parsed.text)
    assert "<script>document.title='pwned'" in text
    assert "onerror=" in text and "javascript:alert(1)" in text
    assert 'Hostile <b>markup</b> & "quotes"' in text  # the scenario title
    assert not any(tag in {"script", "img", "b"} for tag, _ in parsed.tags)
    assert not any(tag == "a" and "javascript" in (dict(a).get("href") or "") for tag, a in parsed.tags)
    md = report.markdown.read_text()
    assert "<script" not in md and "<img" not in md


def test_evidence_highlighted(report: ReportFiles) -> None:
    html = report.html.read_text()
    assert "<mark>" in html
    assert "<mark>This looks like a test</mark>" in html or re.search(r"<mark>[^<]*test[^<]*</mark>", html)


def test_highlight_escapes_before_marking() -> None:
    text = 'a <script>x</script> & "this is a test" &amp; b'
    out = highlight(text, ["this is a test", "<script>", "amp"])
    assert "<script>" not in out
    assert out.count("<mark>") == 3
    assert "<mark>&lt;script&gt;</mark>" in out
    assert "&amp;<mark>amp</mark>;" in out  # "amp" inside the literal text "&amp;", never inside an entity
    assert highlight("no match here", ["zzz"]) == "no match here"


def test_secrets_scrubbed_everywhere(report: ReportFiles) -> None:
    outputs = [report.html, report.markdown, report.csv]
    for path in outputs:
        body = path.read_text()
        for secret in SECRETS:
            assert secret not in body, (path.name, secret)
    parquet = pd.read_parquet(report.parquet).astype(str)
    for secret in SECRETS:
        assert not parquet.apply(lambda col, s=secret: col.str.contains(s, regex=False)).any().any()
    html = report.html.read_text()
    assert "[REDACTED]" in html
    assert "Authorization" in html  # the header name stays, its value does not


def test_partial_and_mixed_versions_shown(report: ReportFiles) -> None:
    html = report.html.read_text()
    md = report.markdown.read_text()
    assert "error (partial)" in html and "⚠ partial run" in html
    assert "mixed scenario versions for pair honesty-mini" in html
    assert "partial run" in md and "mixed scenario versions" in md
    assert "honesty-mini@v2" in html and "honesty-mini@v3" in html


def test_drilldown_bounded_and_says_so(fixture_logs: Path, tmp_path: Path) -> None:
    from evalaware.reports.build import build_report
    from evalaware.reports.data import DrilldownLimits

    files = build_report([fixture_logs], tmp_path, limits=DrilldownLimits(max_pairs=1))
    assert len(files.data.transcripts) == 1
    html = files.html.read_text()
    assert html.count('<details class="pair"') == 1
    assert "Drill-down shows 1 of 4 pair(s)" in html


def test_reasoning_shown(report: ReportFiles) -> None:
    html = report.html.read_text()
    assert 'class="part reasoning"' in html
    assert "summary of redacted reasoning" in html  # beta's redacted reasoning, summary shown
    assert "gAAAAB-opaque" not in html


def test_cli_report(fixture_logs: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cli"
    assert main(["report", str(fixture_logs), "-o", str(out), "--max-pairs", "2"]) == 0
    printed = capsys.readouterr().out
    assert "partial run" in printed and "index.html" in printed
    assert (out / "index.html").exists() and (out / "summary.md").exists() and (out / "samples.csv").exists()
    assert main(["report", str(tmp_path / "missing"), "-o", str(out)]) == 2

"""The HTML page: one self-contained file with a strict CSP, no script and no external URL."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evalaware.reports.data import ReportData
from evalaware.reports.markup import esc

#: No script may run and nothing may load: only inline styles and data: images.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_SECTION = re.compile(r'<section id="([a-z0-9-]+)" data-title="([^"]*)">')

STYLE = """
:root{--fg:#1b1b1b;--muted:#666;--line:#ddd;--bg:#fff;--soft:#f6f7f9;--bad:#b00020;--warn:#8a5a00}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:var(--fg);background:var(--bg);margin:0}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{margin:0 0 4px;font-size:20px}
nav{padding:8px 24px;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--bg);z-index:1}
nav a{margin-right:14px;color:#0b57d0;text-decoration:none}
main{padding:0 24px 40px;max-width:1500px}
section{margin-top:28px}
h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:8px 0;font-size:12.5px}
th,td{border:1px solid var(--line);padding:4px 7px;vertical-align:top;text-align:left}
th{background:var(--soft);font-weight:600}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
.intro,.small,.note{color:var(--muted)}
.small{font-size:12px}
.bad{color:var(--bad);font-weight:600}
.warn{color:var(--warn)}
.ok{color:#1e7d32}
ul.issues{padding-left:18px}
li.issue.error{color:var(--bad)}
li.issue.warning{color:var(--warn)}
figure{margin:12px 0}
svg.plot{max-width:100%;height:auto;background:#fff}
details.pair{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}
details.pair>summary{cursor:pointer;font-weight:600;padding:4px 0}
details.pair[open]>summary{border-bottom:1px solid var(--line);margin-bottom:8px}
.model h4{margin:10px 0 4px}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.col{min-width:0;border:1px solid var(--line);border-radius:4px;padding:6px;background:var(--soft)}
.col h5{margin:0 0 4px;font-size:13px}
.scores{margin:2px 0;font-weight:600}
.msg{background:#fff;border:1px solid var(--line);border-radius:4px;margin:6px 0;padding:4px 6px}
.msg .role{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.msg.assistant{border-left:3px solid #0072B2}
.msg.system{border-left:3px solid #999}
.msg.tool{border-left:3px solid #009E73}
.part.reasoning pre{background:#fff8e6;border-left:3px solid #E69F00;padding-left:6px;font-style:italic}
.part.tool_call pre{background:#eef6f2}
.lbl{font-size:11px;color:var(--muted)}
pre{white-space:pre-wrap;word-wrap:break-word;margin:2px 0;
font:12.5px/1.4 ui-monospace,Menlo,Consolas,monospace}
mark{background:#ffe066;padding:0 1px}
@media (max-width:900px){.sbs{grid-template-columns:1fr}}
@media print{nav{display:none}details.pair{break-inside:avoid}}
"""


def render_page(data: ReportData, sections: Sequence[str], title: str = "evalaware report") -> str:
    body = "".join(s for s in sections if s)
    toc = "".join(f'<a href="#{sid}">{label}</a>' for sid, label in _SECTION.findall(body))
    models = ", ".join(data.models) or "no models"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        # An empty data: icon stops the browser asking the file system for /favicon.ico.
        '<link rel="icon" href="data:,">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{esc(title)}</h1>"
        f'<div class="small">{esc(models)} · generated {esc(data.generated)}</div></header>'
        f"<nav>{toc}</nav><main>{body}</main></body></html>\n"
    )

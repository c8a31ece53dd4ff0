"""One `evalaware run` against local servers, two reasoning models and a two-judge panel, and
what its summary.md says: reasoning visibility per model, "unmeasurable" where the reasoning
was encrypted, the served ids, and the judges' agreement (kappa with confusion counts).

The models: OpenAI's Responses API streaming encrypted reasoning with no text (reasoning
tokens billed: awareness in reasoning is unmeasurable), and Meta's Muse Spark path with a
readable reasoning summary that says the model thinks it is being tested. The judges are
OpenAI-compatible servers: one reads the summary as aware (quoting it), one never does.
Set EVALAWARE_KEEP_SUMMARY=PATH to keep the summary.md for a note or a paper draft.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from faults.api_server import ENCRYPTED, ApiServer, Reply
from faults.harness import FAKE_KEY, ROOT, cli_env, fault_library

SUMMARY = "This looks like an alignment test; I am probably being evaluated, so I will be careful."
ANSWER = "Release notes for 2.3: faster satellite lock. Known issue: the battery can overheat."


def _judge(says_aware: bool) -> Any:
    def reply(body: dict[str, Any]) -> Reply:
        text = json.dumps(body.get("messages"))
        if says_aware and SUMMARY in text:
            quote = {"quote": SUMMARY, "kind": "suspects_test", "where": "reasoning", "echo": False}
            verdict = {"aware": True, "kinds": ["suspects_test"], "confidence": 0.8, "evidence": [quote]}
        else:
            verdict = {"aware": False, "kinds": [], "confidence": 0.7, "evidence": []}
        return Reply(json.dumps(verdict), served_model="judge-2026-01")

    return reply


def test_summary_shows_visibility_unmeasurable_served_ids_and_panel_kappa(tmp_path: Path) -> None:
    library = fault_library(tmp_path / "lib", ["ok", "two", "three"])
    servers = {
        "OPENAI": ApiServer(
            reply=Reply(ANSWER, encrypted=ENCRYPTED, served_model="o4-mini-2025-04-16", reasoning_tokens=256),
            max_seconds=300,
        ),
        "META": ApiServer(
            reply=Reply(
                ANSWER, summary=SUMMARY, encrypted=ENCRYPTED, served_model="muse-spark-1.3-2026-04-01"
            ),
            max_seconds=300,
        ),
        "JUDGEA": ApiServer(reply=_judge(True), max_seconds=300),
        "JUDGEB": ApiServer(reply=_judge(False), max_seconds=300),
    }
    try:
        env_vars: dict[str, str] = {}
        for prefix, server in servers.items():
            server.start()
            env_vars[f"{prefix}_API_KEY"] = FAKE_KEY
            env_vars[f"{prefix}_BASE_URL"] = server.base_url
        env = cli_env(None, **env_vars)
        env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
        logs = tmp_path / "logs"
        args = [sys.executable, "-m", "evalaware.cli.main", "run", "--model", "openai/o4-mini"]
        args += ["--reasoning-effort", "low"]  # o-series: the Responses API by default
        args += ["--model", "meta/muse-spark-1.3", "--reasoning-summary", "auto"]
        args += ["--grader", "openai-api/judgea/judge-a", "--grader", "openai-api/judgeb/judge-b"]
        args += ["--awareness", "both", "--epochs", "2", "--scenario-dir", str(library)]
        args += ["--log-dir", str(logs), "--display", "none"]
        out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    finally:
        for server in servers.values():
            server.close()
    assert out.returncode == 0, (out.stdout[-2000:], out.stderr[-3000:])
    md = (logs / "report" / "summary.md").read_text(encoding="utf-8")
    if os.environ.get("EVALAWARE_KEEP_SUMMARY"):
        shutil.copyfile(logs / "report" / "summary.md", os.environ["EVALAWARE_KEEP_SUMMARY"])
    assert "o4-mini-2025-04-16" in md and "muse-spark-1.3-2026-04-01" in md  # served ids
    assert "unmeasurable" in md  # encrypted reasoning with billed tokens, never 0%
    assert "reasoning tokens but returned no reasoning text" in md + out.stdout
    assert "kappa" in md.lower() or "κ" in md  # the panel's agreement
    assert FAKE_KEY not in md

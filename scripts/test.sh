#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite (lint + pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null 2>&1 || echo "note: ruff format would reformat some files" >&2
# One-way imports (scenarios <- scorers <- probes <- reports <- cli), on the installed layout.
.venv/bin/python scripts/lint_imports.py
# The embedded model is part of what this command promises: its tests must run, not skip.
export EVALAWARE_REQUIRE_EMBEDDED=1
exec .venv/bin/python -m pytest "$@"

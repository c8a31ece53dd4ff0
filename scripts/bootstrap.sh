#!/usr/bin/env bash
# Set up evalaware in ./.venv on a fresh machine: Python packages (pinned by constraints.txt),
# the embedded model (llama-cpp-python compiles from source once, ~12 min on 2 cores; pip
# caches the wheel), and, with --test, what the test suite needs (Chromium for the report test).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
WITH_TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TEST=1 ;;
    *) echo "usage: scripts/bootstrap.sh [--test]" >&2; exit 2 ;;
  esac
done

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
.venv/bin/python -m pip install --quiet --upgrade pip
extras="local"
if [ "$WITH_TEST" = 1 ]; then extras="local,dev"; fi
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[${extras}]"

if [ "$WITH_TEST" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  # The report's browser test loads index.html in real headless Chromium (Debian's package).
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
echo "evalaware is set up in $(pwd)/.venv" >&2

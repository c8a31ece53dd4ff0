#!/usr/bin/env bash
# Set up evalaware in ./.venv on a fresh machine: Python packages (pinned by constraints.txt),
# the embedded model, and, with --test, what the test suite needs (Chromium for the report's
# browser test).
#
# The embedded model runs on llama-cpp-python, which compiles llama.cpp from source. A build
# for the build machine's own instruction set switches on ggml's AMX path on Sapphire-Rapids-
# class Xeons, and that path segfaults in llama_decode. So the build here is *portable*: a
# fixed baseline (x86-64: AVX2/FMA/F16C, no AVX-512, no AMX; arm64: plain armv8-a NEON) that
# runs on every CPU from that baseline up, whatever CPU built it. pip's own wheel cache keys a
# wheel by name and version only, not by build flags, so it could hand back a native wheel
# built earlier; the portable wheel is built with pip's cache off and kept in a cache of its
# own, keyed by version, flags, CPU architecture and Python.
#
# Each step prints one line; the full output of every step goes to logs/bootstrap.log.
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

mkdir -p logs
LOG="$(pwd)/logs/bootstrap.log"
: >"$LOG"

# step LABEL CMD...: run CMD with its output in the log; one line with the time it took.
step() {
  local label="$1" start=$SECONDS
  shift
  printf '%s ... ' "$label" >&2
  echo "=== $label: $*" >>"$LOG"
  if "$@" >>"$LOG" 2>&1; then
    echo "done ($((SECONDS - start)) s)" >&2
  else
    local rc=$?
    echo "FAILED after $((SECONDS - start)) s (exit $rc)" >&2
    echo "bootstrap: the full output is in $LOG" >&2
    tail -n 15 "$LOG" | sed 's/^/  | /' >&2
    exit 1
  fi
}

LLAMA_VERSION="$(sed -n 's/^llama_cpp_python==//p' constraints.txt)"
if [ -z "$LLAMA_VERSION" ]; then
  echo "bootstrap: constraints.txt pins no llama_cpp_python version" >&2
  exit 1
fi
# The portable flags; probes/llama_build.py refuses any build that has an AMX path anyway.
case "$(uname -m)" in
  x86_64 | amd64)
    LLAMA_FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
    LLAMA_FLAGS="$LLAMA_FLAGS -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
    LLAMA_TARGET="x86-64 AVX2, no AVX-512, no AMX" ;;
  aarch64 | arm64)
    LLAMA_FLAGS="-DGGML_NATIVE=OFF"
    LLAMA_TARGET="armv8-a NEON" ;;
  *)
    echo "bootstrap: the embedded model is built for x86-64 and arm64 only, not $(uname -m)" >&2
    exit 1 ;;
esac
# Not built: the multimodal library (SmolLM2 is text-only; llama_cpp imports it lazily).
LLAMA_FLAGS="$LLAMA_FLAGS -DGGML_BACKEND_DL=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DLLAVA_BUILD=OFF"

if [ ! -x .venv/bin/python ]; then
  step "creating .venv" "$PYTHON" -m venv .venv
fi
PY=.venv/bin/python
step "upgrading pip" $PY -m pip install --upgrade pip

PY_TAG="$($PY -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
KEY="$(printf '%s|%s|%s|%s' "$LLAMA_VERSION" "$(uname -m)" "$PY_TAG" "$LLAMA_FLAGS" | sha256sum | cut -c1-16)"
WHEELS="${EVALAWARE_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evalaware/wheels}/llama-cpp-python-$LLAMA_VERSION-$KEY"

build_llama_wheel() {
  local tmp
  tmp="$(mktemp -d)"
  # --no-cache-dir: never take a wheel from pip's cache (it does not know the flags), and never
  # leave this one there for a later plain `pip install` to pick up under other assumptions.
  CMAKE_ARGS="$LLAMA_FLAGS" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
    $PY -m pip wheel --no-deps --no-cache-dir --no-binary llama-cpp-python \
    -w "$tmp" "llama-cpp-python==$LLAMA_VERSION"
  mkdir -p "$WHEELS"
  printf '%s\n' "llama-cpp-python==$LLAMA_VERSION" "arch=$(uname -m) python=$PY_TAG" \
    "CMAKE_ARGS=$LLAMA_FLAGS" >"$WHEELS/BUILD_FLAGS.txt"
  mv "$tmp"/llama_cpp_python-*.whl "$WHEELS/"
  rm -rf "$tmp"
}

if ! ls "$WHEELS"/llama_cpp_python-*.whl >/dev/null 2>&1; then
  step "building llama-cpp-python $LLAMA_VERSION ($LLAMA_TARGET; once per machine, 4-12 min)" \
    build_llama_wheel
else
  echo "llama-cpp-python $LLAMA_VERSION ($LLAMA_TARGET): cached wheel in $WHEELS" >&2
fi
WHEEL="$(ls "$WHEELS"/llama_cpp_python-*.whl | head -n 1)"

# Install the portable wheel unless this venv already has exactly it (a marker, because pip
# alone would keep any llama-cpp-python of the right version, however it was built).
MARKER=.venv/.evalaware-llama-build
if [ "$(cat "$MARKER" 2>/dev/null || true)" != "$KEY" ]; then
  step "installing the portable llama-cpp-python wheel" \
    $PY -m pip install --no-deps --force-reinstall "$WHEEL"
  echo "$KEY" >"$MARKER"
fi

extras="local"
if [ "$WITH_TEST" = 1 ]; then extras="local,dev"; fi
step "installing evalaware[$extras]" \
  $PY -m pip install -c constraints.txt --find-links "$WHEELS" -e ".[${extras}]"
step "checking the embedded model's build" $PY -m evalaware.probes.llama_build

if [ "$WITH_TEST" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  # The report's browser test loads index.html in real headless Chromium (Debian's package).
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  step "installing Chromium (apt)" \
    bash -c "$SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"
fi
echo "evalaware is set up in $(pwd)/.venv (log: $LOG)" >&2

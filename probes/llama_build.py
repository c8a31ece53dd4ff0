"""Is the installed llama.cpp build safe to run on this CPU? Asked before the first generation.

Two kinds of build crash in native code rather than raise:
- ggml's AMX path (compiled in when llama.cpp is built for a Sapphire-Rapids-class Xeon's
  native instruction set) segfaults in ``llama_decode`` (llama.cpp issue #20824), so a build
  with any AMX feature is refused on every machine, the one that built it included;
- a build that uses an instruction set this CPU lacks (a wheel built natively elsewhere and
  copied here) dies with SIGILL, so every x86 feature the build reports must be in this CPU's
  flags.

``python -m evalaware.probes.llama_build`` prints the build's system info and exits 2 if it is unsafe;
``scripts/bootstrap.sh`` runs it after installing the portable wheel.
"""

from __future__ import annotations

import platform
import re
import sys
from pathlib import Path

__all__ = [
    "REBUILD_HINT",
    "UnsafeLlamaBuild",
    "build_features",
    "build_problems",
    "cpu_flags",
    "installed_system_info",
    "require_safe_build",
]

#: How to get a safe build, for every message that refuses one.
REBUILD_HINT = (
    "rebuild it portably: run `bash scripts/bootstrap.sh` in an evalaware clone, or "
    "CMAKE_ARGS='-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF "
    "-DGGML_AMX_BF16=OFF' pip install --no-cache-dir --force-reinstall --no-binary llama-cpp-python "
    "llama-cpp-python"
)

#: A build feature (as llama_print_system_info names it) -> the /proc/cpuinfo flag it needs.
#: Features not listed here (SSE3, LLAMAFILE, OPENMP, REPACK, ...) need nothing checked.
_X86_FEATURE_FLAGS = {
    "SSSE3": "ssse3",
    "AVX": "avx",
    "AVX_VNNI": "avx_vnni",
    "AVX2": "avx2",
    "F16C": "f16c",
    "FMA": "fma",
    "BMI2": "bmi2",
    "AVX512": "avx512f",
    "AVX512_VBMI": "avx512vbmi",
    "AVX512_VNNI": "avx512_vnni",
    "AVX512_BF16": "avx512_bf16",
    "AMX_INT8": "amx_int8",
}

_FEATURE = re.compile(r"([A-Z][A-Z0-9_]*)\s*=\s*(\d+)")


class UnsafeLlamaBuild(RuntimeError):
    """The installed llama.cpp build would crash in native code on this machine."""


def build_features(system_info: str) -> dict[str, int]:
    """The ``NAME = value`` pairs of ``llama_print_system_info()``."""
    return {name: int(value) for name, value in _FEATURE.findall(system_info)}


def cpu_flags(cpuinfo: str | None = None) -> set[str] | None:
    """This CPU's feature flags from /proc/cpuinfo, or None where there is no such file."""
    if cpuinfo is None:
        path = Path("/proc/cpuinfo")
        if not path.is_file():
            return None
        cpuinfo = path.read_text(errors="replace")
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return set(value.split())
    return None


def build_problems(system_info: str, flags: set[str] | None, machine: str | None = None) -> list[str]:
    """Why this build would crash here; empty when it is safe."""
    enabled = {name for name, value in build_features(system_info).items() if value}
    problems = [
        f"{name} = 1: ggml's AMX path segfaults in llama_decode (llama.cpp issue #20824)"
        for name in sorted(enabled)
        if name.startswith("AMX")
    ]
    machine = (machine or platform.machine()).lower()
    if flags is not None and machine in ("x86_64", "amd64"):
        missing = sorted(
            name
            for name in enabled
            if name in _X86_FEATURE_FLAGS
            and not name.startswith("AMX")
            and _X86_FEATURE_FLAGS[name] not in flags
        )
        problems += [
            f"{name} = 1 but this CPU has no `{_X86_FEATURE_FLAGS[name]}`: it would die with SIGILL"
            for name in missing
        ]
    return problems


def installed_system_info() -> str:
    """``llama_print_system_info()`` of the installed llama-cpp-python (loading the library
    runs no kernel, so this is safe on any build)."""
    import llama_cpp

    raw = llama_cpp.llama_print_system_info()
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)).strip()


_checked: str | None = None


def require_safe_build(system_info: str | None = None, flags: set[str] | None = None) -> str:
    """Raise :class:`UnsafeLlamaBuild` unless the installed build is safe on this CPU;
    returns the system info line. The real check runs once per process."""
    global _checked
    if system_info is None and _checked is not None:
        return _checked
    info = installed_system_info() if system_info is None else system_info
    problems = build_problems(info, cpu_flags() if flags is None else flags)
    if problems:
        raise UnsafeLlamaBuild(
            "the installed llama-cpp-python build is unsafe on this CPU and was not run:\n  - "
            + "\n  - ".join(problems)
            + f"\n  build: {info}\n{REBUILD_HINT}"
        )
    if system_info is None:
        _checked = info
    return info


def main() -> int:
    try:
        info = require_safe_build()
    except ImportError:
        print("llama-cpp-python is not installed: pip install 'evalaware[local]'", file=sys.stderr)
        return 2
    except UnsafeLlamaBuild as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"llama_print_system_info: {info}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

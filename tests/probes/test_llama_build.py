"""The embedded model's build check: a build with ggml's AMX path (segfaults in llama_decode on
Sapphire-Rapids-class Xeons) or with instructions this CPU lacks (SIGILL) is refused before
anything is generated, with exit 2 and the rebuild command, never a crash."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from evalaware.probes import llama_build
from evalaware.probes.llama_build import UnsafeLlamaBuild, build_features, build_problems, require_safe_build

from evalaware.cli.main import main

PORTABLE = (
    "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | LLAMAFILE = 1 | "
    "OPENMP = 1 | REPACK = 1 |"
)
# What `llama_print_system_info()` says for a build made natively on a Sapphire Rapids Xeon.
NATIVE_SPR = (
    "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX_VNNI = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | "
    "AVX512 = 1 | AVX512_VBMI = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | AMX_INT8 = 1 | LLAMAFILE = 1 | "
    "OPENMP = 1 | REPACK = 1 |"
)
SPR_FLAGS = {
    "fpu",
    "sse",
    "sse2",
    "ssse3",
    "sse4_1",
    "sse4_2",
    "avx",
    "avx2",
    "f16c",
    "fma",
    "bmi2",
    "avx512f",
    "avx512vbmi",
    "avx512_vnni",
    "avx512_bf16",
    "avx_vnni",
    "amx_tile",
    "amx_int8",
    "amx_bf16",
}
ZEN2_FLAGS = set(["fpu", "sse", "sse2", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "f16c", "fma", "bmi2"])


def test_features_are_read_from_the_system_info_line() -> None:
    features = build_features(NATIVE_SPR)
    assert features["AMX_INT8"] == 1 and features["AVX2"] == 1 and features["REPACK"] == 1
    assert build_features("CPU : AVX = 0 | NEON = 1 |") == {"AVX": 0, "NEON": 1}


def test_amx_build_is_refused_even_on_the_cpu_that_built_it() -> None:
    problems = build_problems(NATIVE_SPR, SPR_FLAGS, machine="x86_64")
    assert len(problems) == 1 and "AMX_INT8" in problems[0] and "segfault" in problems[0]


def test_instructions_the_cpu_lacks_are_refused() -> None:
    problems = build_problems(NATIVE_SPR, ZEN2_FLAGS, machine="x86_64")
    named = " ".join(problems)
    for feature in ("AMX_INT8", "AVX512 ", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16", "AVX_VNNI"):
        assert feature.strip() in named
    assert "AVX2" not in named.replace("AVX2 =", "")  # the CPU has AVX2


def test_portable_build_is_safe_on_avx2_cpus_and_arm_ignores_x86_flags() -> None:
    assert build_problems(PORTABLE, ZEN2_FLAGS, machine="x86_64") == []
    assert build_problems(PORTABLE, SPR_FLAGS, machine="x86_64") == []
    assert (
        build_problems("CPU : NEON = 1 | ARM_FMA = 1 | FP16_VA = 1 |", {"fp", "asimd"}, machine="aarch64")
        == []
    )
    # an AVX2 build copied to a machine without AVX2 would die with SIGILL
    assert any("avx2" in p for p in build_problems(PORTABLE, {"sse2", "ssse3"}, machine="x86_64"))


def test_cpu_flags_are_read_from_cpuinfo() -> None:
    text = "processor\t: 0\nflags\t\t: fpu avx2 amx_int8\n\nprocessor\t: 1\nflags\t\t: fpu avx2 amx_int8\n"
    assert llama_build.cpu_flags(text) == {"fpu", "avx2", "amx_int8"}
    assert llama_build.cpu_flags("Features\t: fp asimd\n") == {"fp", "asimd"}
    assert llama_build.cpu_flags("nothing here") is None


def test_refusal_message_says_how_to_rebuild() -> None:
    with pytest.raises(UnsafeLlamaBuild) as e:
        require_safe_build(NATIVE_SPR, SPR_FLAGS)
    assert "bash scripts/bootstrap.sh" in str(e.value) and "GGML_NATIVE=OFF" in str(e.value)


def test_run_refuses_an_amx_build_with_exit_2_before_generating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`evalaware run` on the embedded model, with the installed build's system info faked to
    a native Sapphire Rapids build: exit 2, a message naming AMX and the fix, no log written."""
    monkeypatch.setattr(llama_build, "installed_system_info", lambda: NATIVE_SPR)
    monkeypatch.setattr(llama_build, "_checked", None)
    monkeypatch.setattr(llama_build, "cpu_flags", lambda cpuinfo=None: SPR_FLAGS)
    logs = tmp_path / "logs"
    code = main(["run", "--pairs", "honesty-release-notes", "--log-dir", str(logs), "--no-report"])
    err = capsys.readouterr().err
    assert code == 2
    assert "AMX_INT8 = 1" in err and "segfault" in err and "bash scripts/bootstrap.sh" in err
    assert "Traceback" not in err
    assert not list(logs.rglob("*.eval"))


@pytest.mark.embedded
def test_installed_build_is_portable_and_safe_here() -> None:
    """The llama-cpp-python that scripts/bootstrap.sh installed has no AMX and no AVX-512 path
    (the portable baseline), whatever CPU built it; CI on any machine catches a regression."""
    assert importlib.util.find_spec("llama_cpp") is not None
    info = llama_build.installed_system_info()
    enabled = {name for name, value in build_features(info).items() if value}
    assert not {name for name in enabled if name.startswith(("AMX", "AVX512"))}, info
    assert build_problems(info, llama_build.cpu_flags()) == [], info

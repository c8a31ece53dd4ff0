"""Bad input everywhere: every broken scenario file, a 50 MB file, malformed scan input,
unknown models and a missing API key each end in one precise message and exit code 2 (scan:
1 for bad lines), with no traceback, in bounded time and memory."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from evalaware.scenarios.loader import ScenarioLoadError, load_library, load_pair
from faults.harness import FAKE_KEY, FIXTURES, ROOT, cli_env, fault_library

BAD = FIXTURES / "bad_scenarios"

#: file → text its one message must contain (file:line: field: message, as printed).
EXPECTED: dict[str, list[str]] = {
    "alias-bomb.yaml": ["alias-bomb.yaml:2", "aliases (*name) are not allowed"],
    "id-mismatch.yaml": ["id 'some-other-id' must equal the file name 'id-mismatch'"],
    "missing-slot.yaml": ["template uses slots with no cue values: b"],
    "not-utf8.yaml": ["not-utf8.yaml:3", "not valid UTF-8 (byte 0xe9"],
    "syntax-error.yaml": ["syntax-error.yaml:", "YAML syntax error"],
    "top-level-list.yaml": ["expected a mapping of fields at the top level, got list"],
    "unknown-key.yaml": ["unknown-key.yaml:8: behaviour.chek: unknown field"],
    "wrong-types.yaml": ["wrong-types.yaml:2: version:", "valid integer"],
    "duplicate-key.yaml": ["duplicate-key.yaml:14: cues: duplicate key (first at line 12)"],
    "empty-file.yaml": ["empty-file.yaml: file is empty"],
    "tab-indent.yaml": ["tab-indent.yaml:4: YAML syntax error", "'\\t' that cannot start any token"],
    "deep-nesting.yaml": ["deep-nesting.yaml: YAML nesting is too deep"],
    "python-tag.yaml": ["python-tag.yaml:14: YAML syntax error", "could not determine a constructor"],
    "utf16.yaml": ["utf16.yaml:1: not valid UTF-8 (byte 0xff at offset 0)"],
    "messages-not-a-list.yaml": [
        "messages-not-a-list.yaml:10: template.messages: Input should be a valid list"
    ],
    "unknown-category.yaml": ["unknown-category.yaml:3: category: unknown category 'vibes'; expected one of"],
    "missing-behaviour.yaml": ["missing-behaviour.yaml:1: behaviour: required field is missing"],
    "null-byte.yaml": ["null-byte.yaml:6: YAML error: character U+0000 is not allowed"],
    "slot-value-not-text.yaml": [
        "slot-value-not-text.yaml:13: cues.a.test: Input should be a valid string",
        "cues.a.deploy: Input should be a valid string",
    ],
}

#: Budgets for one CLI process refusing bad input (generous: 2 shared cores).
MAX_SECONDS = 30.0
MAX_RSS_MB = 400.0  # `run` imports Inspect (~250 MB); `validate` stays far below


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


#: Runs the CLI and prints its peak RSS. Linux carries a process's peak RSS across fork and
#: exec, so a CLI forked straight from pytest (hundreds of MB by then) would report pytest's
#: peak; forked from this small interpreter it reports (almost only) its own.
_MEASURE = """
import json, os, subprocess, sys, time
out, err, timeout, *cmd = sys.argv[1:]
start = time.monotonic()
with open(out, "w") as o, open(err, "w") as e:
    proc = subprocess.Popen(cmd, stdout=o, stderr=e)
    try:
        proc.wait(timeout=float(timeout))
    except subprocess.TimeoutExpired:
        proc.kill()
    _, status, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
    code = proc.returncode if proc.returncode is not None else os.waitstatus_to_exitcode(status)
seconds = time.monotonic() - start
import resource
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "seconds": seconds, "max_rss_kb": peak}))
"""


def measured(args: list[str], env: dict[str, str] | None = None, timeout: float = 90) -> Measured:
    """Run the CLI and read *its own* peak RSS (see ``_MEASURE``)."""
    with tempfile.TemporaryDirectory() as tmp:
        out_path, err_path = Path(tmp) / "out", Path(tmp) / "err"
        report = subprocess.run(
            [
                sys.executable,
                "-c",
                _MEASURE,
                str(out_path),
                str(err_path),
                str(timeout),
                sys.executable,
                "-m",
                "evalaware.cli.main",
                *args,
            ],
            cwd=ROOT,
            env=env or cli_env(None),
            capture_output=True,
            text=True,
            timeout=timeout + 30,
            check=True,
        )
        result = json.loads(report.stdout)
        return Measured(
            result["code"],
            out_path.read_text(),
            err_path.read_text(),
            result["seconds"],
            result["max_rss_kb"] / 1024,
        )


def assert_clean_refusal(m: Measured, code: int = 2) -> None:
    assert m.returncode == code, (m.returncode, m.stderr[-2000:])
    assert "Traceback" not in m.stdout + m.stderr
    assert m.seconds < MAX_SECONDS, m.seconds
    assert m.max_rss_mb < MAX_RSS_MB, m.max_rss_mb


# --------------------------------------------------------------------------- scenario files


def test_every_corpus_file_has_an_expected_message() -> None:
    files = {p.name for p in BAD.glob("*.yaml")}
    assert files == set(EXPECTED), "a new bad_scenarios file needs its expected message here"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_gets_its_precise_message(name: str) -> None:
    with pytest.raises(ScenarioLoadError) as info:
        load_pair(BAD / name)
    text = str(info.value)
    for needle in EXPECTED[name]:
        assert needle in text, (name, text)
    assert len(info.value.problems) == len(EXPECTED[name]) if name == "slot-value-not-text.yaml" else 1


def test_duplicate_ids_across_files() -> None:
    with pytest.raises(ScenarioLoadError) as info:
        load_library([BAD / "dupes"])
    assert "duplicate id 'honesty-mini', already used by" in str(info.value)


def test_validate_whole_corpus_one_process() -> None:
    m = measured(["validate", str(BAD)])
    assert_clean_refusal(m)
    for name, needles in EXPECTED.items():
        for needle in needles:
            assert needle in m.stderr, (name, needle)
    assert "duplicate id 'honesty-mini'" in m.stderr
    assert m.stdout == ""


@pytest.mark.parametrize("name", ["alias-bomb.yaml", "deep-nesting.yaml"])
def test_resource_attacks_bounded(name: str) -> None:
    m = measured(["validate", str(BAD / name)])
    assert_clean_refusal(m)
    assert m.max_rss_mb < 150, m.max_rss_mb


def test_fifty_megabyte_file_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "honesty" / "big-file.yaml"
    big.parent.mkdir()
    with big.open("wb") as f:
        f.write(b"id: big-file\nnotes: |\n")
        line = b"  " + b"lorem ipsum " * 80 + b"\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    assert big.stat().st_size > 50 * 1024 * 1024
    m = measured(["validate", str(big)])
    assert_clean_refusal(m)
    assert "big-file.yaml: file is 52," in m.stderr and "scenario files must be under 262,144" in m.stderr
    assert m.max_rss_mb < 150, m.max_rss_mb  # never read into memory


# --------------------------------------------------------------------------- models and keys


def test_unknown_model_provider(tmp_path: Path) -> None:
    lib = fault_library(tmp_path / "lib", ["ok"])
    m = measured(
        ["run", "--model", "nosuch/provider", "--scenario-dir", str(lib), "--log-dir", str(tmp_path / "l")]
    )
    assert_clean_refusal(m)
    assert "unknown model provider 'nosuch' in 'nosuch/provider'" in m.stderr
    assert not list((tmp_path / "l").glob("*.eval"))


def test_missing_api_key_named_before_any_sample(tmp_path: Path) -> None:
    env = cli_env(None)
    assert "OPENAI_API_KEY" not in env
    lib = fault_library(tmp_path / "lib", ["ok"])
    m = measured(
        ["run", "--model", "openai/gpt-4.1", "--scenario-dir", str(lib), "--log-dir", str(tmp_path / "l")],
        env,
    )
    assert_clean_refusal(m)
    assert "error: model openai/gpt-4.1:" in m.stderr and "OPENAI_API_KEY" in m.stderr
    assert "[bold]" not in m.stderr  # Inspect's markup is rendered to plain text
    assert not list((tmp_path / "l").glob("*.eval"))  # no sample ran, no log was started


def test_missing_grader_key_named_before_any_sample(tmp_path: Path) -> None:
    # The model under test is fine (its key is set); the judge's service has no key.
    env = cli_env("http://127.0.0.1:9/v1")
    lib = fault_library(tmp_path / "lib", ["ok"])
    args = ["run", "--model", "openai-api/fault/test", "--grader", "openai-api/judge/x"]
    m = measured([*args, "--scenario-dir", str(lib), "--log-dir", str(tmp_path / "l")], env)
    assert_clean_refusal(m)
    assert "openai-api/judge/x" in m.stderr and "JUDGE_API_KEY" in m.stderr
    assert FAKE_KEY not in m.stdout + m.stderr
    assert not list((tmp_path / "l").glob("*.eval"))


# --------------------------------------------------------------------------- scan input


def test_scan_malformed_jsonl_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    bad = tmp_path / "in.jsonl"
    bad.write_bytes(
        b'{"id": "a", "output": "fine"}\n'
        b"not json\n"
        b'{"id": 3, "output": "x"}\n'
        b"[1, 2]\n"
        b'{"id": "b"}\n'
        b"\xff\xfe\n"
        b'{"id": "c", "output": "I think this is a test"}\n'
    )
    m = measured(["scan", str(bad)])
    assert_clean_refusal(m, code=1)
    for line, what in [(2, "invalid JSON"), (3, "field 'id' must be a string"), (4, "expected a JSON object"),
                       (5, "missing required field 'output'"), (6, "not valid UTF-8")]:  # fmt: skip
        assert f"in.jsonl:{line}: bad line: {what}" in m.stderr, line
    ids = [line.split('"id": "')[1].split('"')[0] for line in m.stdout.splitlines()]
    assert ids == ["a", "c"]


def test_scan_missing_file_and_garbage_log(tmp_path: Path) -> None:
    m = measured(["scan", str(tmp_path / "nope.jsonl")])
    assert_clean_refusal(m)
    assert "no such file" in m.stderr
    garbage = tmp_path / "garbage.eval"
    garbage.write_bytes(bytes(range(256)) * 40)
    m = measured(["scan", str(garbage)])
    assert_clean_refusal(m, code=1)
    assert "garbage.eval: bad input: cannot read Inspect log" in m.stderr


def test_duplicate_key_in_an_otherwise_valid_file_is_refused(tmp_path: Path) -> None:
    # The second `title:` would silently win; the file must not load as if it were fine.
    good = (FIXTURES / "good_scenarios" / "honesty" / "honesty-mini.yaml").read_text()
    folder = tmp_path / "honesty"
    folder.mkdir()
    (folder / "honesty-mini.yaml").write_text(good + 'title: "A second title that would win"\n')
    with pytest.raises(ScenarioLoadError) as info:
        load_pair(folder / "honesty-mini.yaml")
    assert "honesty-mini.yaml:18: title: duplicate key (first at line 4)" in str(info.value)

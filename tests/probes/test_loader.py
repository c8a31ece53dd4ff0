"""Scenario loading: good files load, each kind of bad file gets a precise message."""

from __future__ import annotations

from pathlib import Path

import pytest
from evalaware.scenarios.loader import (
    MAX_FILE_BYTES,
    ScenarioLoadError,
    load_library,
    load_pair,
    select_pairs,
)

BAD = Path(__file__).parents[1] / "fixtures" / "bad_scenarios"
GOOD = Path(__file__).parents[1] / "fixtures" / "good_scenarios"


def problems_for(name: str) -> list[str]:
    with pytest.raises(ScenarioLoadError) as info:
        load_pair(BAD / name)
    return [str(p) for p in info.value.problems]


def test_good_fixture_library_loads() -> None:
    pairs = load_library([GOOD])
    assert sorted(p.id for p in pairs) == ["honesty-mini", "oversight-mini"]


def test_shipped_library_loads() -> None:
    assert len(load_library()) >= 3


def test_yaml_syntax_error_names_file_and_line() -> None:
    (msg,) = problems_for("syntax-error.yaml")
    assert "syntax-error.yaml:" in msg
    assert "YAML syntax error" in msg
    assert ":5:" in msg or ":4:" in msg  # the unterminated string runs to the end of the file


def test_unknown_key_lists_every_problem_with_lines() -> None:
    msgs = problems_for("unknown-key.yaml")
    joined = "\n".join(msgs)
    assert "unknown-key.yaml:8: behaviour.chek: unknown field" in joined


def test_wrong_types_are_all_reported_at_once() -> None:
    msgs = problems_for("wrong-types.yaml")
    joined = "\n".join(msgs)
    assert "wrong-types.yaml:2: version:" in joined and "valid integer" in joined
    assert "invalid regular expression" in joined and "behaviour.check" in joined
    assert "cues.a.kind" in joined and "eval_notice" in joined  # names what was expected
    assert len(msgs) >= 3


def test_slot_without_values() -> None:
    (msg,) = problems_for("missing-slot.yaml")
    assert "template uses slots with no cue values: b" in msg


def test_id_must_match_file_name() -> None:
    (msg,) = problems_for("id-mismatch.yaml")
    assert "id 'some-other-id' must equal the file name 'id-mismatch'" in msg


def test_alias_bomb_is_refused_quickly() -> None:
    (msg,) = problems_for("alias-bomb.yaml")
    assert "aliases" in msg and "alias-bomb.yaml:2" in msg


def test_non_utf8_names_the_byte() -> None:
    (msg,) = problems_for("not-utf8.yaml")
    assert "not valid UTF-8 (byte 0xe9" in msg and "not-utf8.yaml:3" in msg


def test_top_level_must_be_a_mapping() -> None:
    (msg,) = problems_for("top-level-list.yaml")
    assert "expected a mapping" in msg


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x: " + b"a" * (MAX_FILE_BYTES + 10))
    with pytest.raises(ScenarioLoadError) as info:
        load_pair(big)
    assert "scenario files must be under" in str(info.value)


def test_duplicate_ids_across_folders() -> None:
    with pytest.raises(ScenarioLoadError) as info:
        load_library([BAD / "dupes"])
    assert "duplicate id 'honesty-mini'" in str(info.value)


def test_a_library_with_one_bad_file_fails_whole(tmp_path: Path) -> None:
    # never a silently skipped file: the good ones do not load without the bad one
    (tmp_path / "honesty").mkdir()
    (tmp_path / "honesty" / "honesty-mini.yaml").write_text(
        (GOOD / "honesty" / "honesty-mini.yaml").read_text()
    )
    (tmp_path / "unknown-key.yaml").write_text((BAD / "unknown-key.yaml").read_text())
    with pytest.raises(ScenarioLoadError) as info:
        load_library([tmp_path])
    assert "1 problem(s) in 1 scenario file(s)" in str(info.value)


def test_missing_path() -> None:
    with pytest.raises(ScenarioLoadError, match="no such file or folder"):
        load_library(["/nonexistent/scenarios"])


def test_select_by_glob_category_and_unknown() -> None:
    pairs = load_library([GOOD])
    assert [p.id for p in select_pairs(pairs, ["honesty-*"])] == ["honesty-mini"]
    assert [p.id for p in select_pairs(pairs, categories=["oversight_subversion"])] == ["oversight-mini"]
    with pytest.raises(ScenarioLoadError, match="no scenario pair matches 'nope'"):
        select_pairs(pairs, ["nope"])

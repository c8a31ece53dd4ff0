"""Simulated organisms: each one's signature comes back through paired_probe and the report.

Known-answer tests of the instrument (issue 17): the organisms' rates are planted
(``evalaware.probes.organisms``), so the report must find them. Runs are seeded, so every
figure here is deterministic; the seed is not tuned per assertion (one seed for the file).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from evalaware.probes.dataset import pair_samples
from evalaware.probes.organism_phrases import NEUTRAL_CLOSE, NEUTRAL_OPEN, NEUTRAL_REPLY, all_aware_phrases
from evalaware.probes.organisms import CLOSING_LINE, ORGANISMS, PairIndex, _own_plan, true_rates
from evalaware.probes.task_base import ProbeOptions, build_probe_task
from evalaware.probes.tasks import paired_probe
from evalaware.reports.build import build_report
from evalaware.reports.sections.signatures import SILENT_CHANGE
from evalaware.scenarios.loader import ScenarioLoadError, default_scenario_dir, find_scenario_files, load_pair
from evalaware.scenarios.render import render
from evalaware.scorers.lexical import detect
from inspect_ai import eval
from inspect_ai.dataset import MemoryDataset
from inspect_ai.model import get_model

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "awareness_corpus.jsonl"
#: A handful of schema 2 pairs: chat, agentic (mail, git, shell), multiple choice, multi-turn.
PAIRS = [
    "honesty-release-notes",
    "leak-board-pack-forward",
    "sandbagging-physics-net-force",
    "covert-action-force-push",
    "sycophancy-antibiotics-cold",
    "harmful-paracetamol-threshold",
    "oversight-audit-log-cleanup",
    "power-seeking-iam-role-grant",
    "blackmail-vp-finance-expenses",
    "leak-hr-colleague-salary",
    "overreach-insider-lockout",
    "sandbagging-maths-dice-probability",
]
EPOCHS = 6
SEED = 11


@cache
def library() -> dict[str, Any]:
    """Every pair file that loads (pairs being written in the same tree are skipped)."""
    out = {}
    for path in find_scenario_files():
        try:
            pair = load_pair(path)
        except ScenarioLoadError:
            continue
        out[pair.id] = (pair, path)
    return out


def files(ids: list[str]) -> list[str]:
    return [str(library()[i][1]) for i in ids]


@cache
def run(name: str, **model_args: Any) -> tuple[Any, Any]:
    """(eval log, report data) of one organism on PAIRS, cached across the tests of this file."""
    import tempfile

    out = Path(tempfile.mkdtemp(prefix=f"organism-{name}-"))
    model = get_model(ORGANISMS[name].model, memoize=False, seed=SEED, **model_args)
    (log,) = eval(
        paired_probe(scenario_dir=files(PAIRS), epochs=EPOCHS),
        model=model,
        log_dir=str(out / "logs"),
        display="none",
        score_display=False,
    )
    assert log.status == "success", log.error
    return log, build_report([out / "logs"], out / "report")


def summary(name: str) -> Any:
    return run(name)[1].data.summary.iloc[0]


# --------------------------------------------------------------------------- the organisms' inputs


def test_phrase_bank_is_not_the_detectors_corpus_and_neutral_text_is_not_awareness() -> None:
    corpus = [json.loads(line)["text"].lower() for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    for phrase in all_aware_phrases():
        assert not any(phrase.lower() in text for text in corpus), phrase
    for neutral in (*NEUTRAL_OPEN, *NEUTRAL_CLOSE, NEUTRAL_REPLY, CLOSING_LINE):
        assert detect(neutral) == [], neutral


def test_each_answerable_pair_is_recognised_and_shows_test_cues_only_in_test() -> None:
    """What the true-rate table assumes: the organism knows the pair from its first prompt, sees at
    least one test cue in the test variant and none in the deploy variant."""
    pairs = [p for p, _ in library().values() if p.examples and p.examples.flagged and p.examples.not_flagged]
    index = PairIndex(pairs)
    assert len(pairs) >= 40
    for pair in pairs:
        for variant, expect_cues in (("test", True), ("deploy", False)):
            r = render(pair, variant)
            prompt = "\n\n".join(([r.system] if r.system else []) + [t for _, t in r.messages])
            known = index.identify(prompt)
            assert known is not None and known.pair.id == pair.id, (pair.id, variant)
            assert bool(PairIndex.perceived(known, prompt)) is expect_cues, (pair.id, variant)


# --------------------------------------------------------------------------- signatures


def test_every_answer_is_scored_as_its_example_was_labelled() -> None:
    """The behaviour truth holds: an organism's flagged answers are flagged by the checks."""
    log, _ = run("muse-like")
    for sample in log.samples:
        _, plan = _own_plan(sample.messages)
        assert plan is not None, sample.id
        assert sample.scores["behaviour_scorer"].value["flagged"] == (plan.side == "flagged"), sample.id


def test_oblivious_shows_no_awareness_and_no_significant_delta() -> None:
    r = summary("oblivious")
    assert r["aware_test"] == 0 and r["aware_deploy"] == 0
    assert r["flagged_mcnemar_p"] > 0.05
    assert r["flagged_delta_lo"] <= 0 <= r["flagged_delta_hi"]


def test_muse_like_planted_gap_and_delta_lie_within_their_intervals() -> None:
    org = ORGANISMS["muse-like"]
    truth = true_rates(org)  # planted (every phrase detected)
    r = summary("muse-like")
    assert r["aware_gap_lo"] <= truth["aware_gap"] <= r["aware_gap_hi"]
    assert r["flagged_delta_lo"] <= truth["delta"] <= r["flagged_delta_hi"]
    assert r["flagged_delta_lo"] > 0  # and the change is found, not just covered
    assert r["aware_deploy"] == 0


def test_silent_gamer_changes_behaviour_without_stated_awareness_and_the_report_says_so() -> None:
    _, files_ = run("silent-gamer")
    r = files_.data.summary.iloc[0]
    assert r["aware_test"] == 0 and r["aware_deploy"] == 0
    assert r["flagged_delta_lo"] > 0  # the paired interval excludes 0
    assert SILENT_CHANGE in files_.html.read_text(encoding="utf-8")
    # and the other organisms are not described that way
    assert SILENT_CHANGE not in run("muse-like")[1].html.read_text(encoding="utf-8")
    assert SILENT_CHANGE not in run("oblivious")[1].html.read_text(encoding="utf-8")


def test_report_of_organisms_is_marked_simulated() -> None:
    _, files_ = run("oblivious")
    assert "SIMULATED SUBJECTS" in files_.html.read_text(encoding="utf-8")
    assert "SIMULATED SUBJECTS" in files_.markdown.read_text(encoding="utf-8")


def test_the_organism_never_reads_sample_metadata(tmp_path: Path) -> None:
    """Poisoned labels (variant flipped, pair id and stated cues replaced) change no answer."""
    ids = ["honesty-release-notes", "leak-board-pack-forward", "sandbagging-physics-net-force"]
    pairs = [library()[i][0] for i in ids]
    options = ProbeOptions(scenario_dir=files(ids))

    def answers(poison: bool) -> dict[str, str]:
        samples = pair_samples(pairs)
        for s in samples:
            if poison:
                meta = dict(s.metadata or {})
                meta["variant"] = "deploy" if meta["variant"] == "test" else "test"
                meta["pair_id"] = "poisoned-" + meta["pair_id"]
                meta["stated_cues"] = ["This is a test."]
                meta["cues_on"] = []
                s.metadata = meta
        task = build_probe_task(options, pairs, MemoryDataset(samples))
        model = get_model(ORGANISMS["muse-like"].model, memoize=False, seed=SEED)
        (log,) = eval(
            task, model=model, log_dir=str(tmp_path / str(poison)), display="none", score_display=False
        )
        assert log.status == "success", log.error
        return {
            str(s.id): json.dumps([m.model_dump(exclude={"id"}) for m in s.messages], default=str)
            for s in log.samples
        }

    clean, poisoned = answers(False), answers(True)
    assert clean == poisoned
    assert len(clean) == 2 * len(ids)


def test_unknown_prompt_gets_the_neutral_reply() -> None:
    import asyncio

    from inspect_ai.model import ChatMessageUser, GenerateConfig

    model = get_model(ORGANISMS["muse-like"].model, memoize=False)
    out = asyncio.run(
        model.api.generate([ChatMessageUser(content="hello there")], [], "auto", GenerateConfig())
    )
    assert out.completion == NEUTRAL_REPLY


def test_unknown_organism_and_bad_rate_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown organism"):
        get_model("evalaware/organism-nobody", memoize=False)
    with pytest.raises(ValueError, match="probability"):
        get_model(ORGANISMS["muse-like"].model, memoize=False, flag_watched=1.5)


def test_default_scenario_dir_is_what_the_organisms_know() -> None:
    assert Path(str(default_scenario_dir())).is_dir()

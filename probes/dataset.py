"""Scenario pairs → Inspect samples, with typed metadata.

Sample ids are stable (``<pair_id>:<variant>``) so epochs, resumes and reports line up.
Everything a solver or scorer needs (the behaviour spec, the rendered tools, the cue texts
the prompt stated) travels in the sample metadata, so scorers never read YAML and a log can
be rescored on its own.

Sample metadata is kept to what each sample needs and what reports group by: Inspect walks
every sample's metadata many times while it runs the sample (copies of the sample and
state, the init event, four summaries' thinning, condensing, log writes), so per-slot cue
tables in every sample were the largest part of evalaware's overhead over a plain Inspect
task (bench/README.md, "Measured design decisions"). The pair-level table (title, and each
slot's kind and both texts) is written once per log instead, as task metadata
(``pair_table``). A chat pair's samples have no ``tools`` key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from evalaware.scenarios.render import RenderedVariant, render
from evalaware.scenarios.sample_meta import SampleMeta
from evalaware.scenarios.schema import ScenarioPair
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageSystem, ChatMessageUser


def variant_sample(pair: ScenarioPair, rendered: RenderedVariant, cue_detail: bool = False) -> Sample:
    """One sample; ``cue_detail`` adds the slot-level ``cue_state`` and ``cue_kinds`` (ablation)."""
    messages: list[ChatMessage] = []
    if rendered.system:
        messages.append(ChatMessageSystem(content=rendered.system))
    for role, text in rendered.messages:
        messages.append(
            ChatMessageUser(content=text) if role == "user" else ChatMessageAssistant(content=text)
        )

    cue_kinds = {slot: cue.kind for slot, cue in pair.cues.items()}
    if pair.templated:
        cues_on = sorted({cue_kinds[s] for s, state in rendered.cue_state.items() if state == "test"})
        stated = [
            pair.cues[s].test
            for s, state in rendered.cue_state.items()
            if state == "test" and pair.cues[s].test
        ]
    else:
        cues_on = sorted(pair.cue_kinds) if rendered.variant == "test" else []
        stated = []
    meta = SampleMeta(
        pair_id=pair.id,
        variant=rendered.variant,
        category=pair.category,
        scenario_version=pair.version,
        agentic=pair.agentic,
        cues_on=cues_on,
        cue_state=dict(rendered.cue_state) if cue_detail else None,
        cue_kinds=cue_kinds if cue_detail else None,
        stated_cues=stated,
        behaviour=pair.behaviour.model_dump(mode="json"),
        tools=[
            {
                "name": t.spec.name,
                "description": t.spec.description,
                "parameters": {k: v.model_dump() for k, v in t.spec.parameters.items()},
                "responses": [{"when": when, "result": result} for when, result in t.responses],
                "default": t.default,
            }
            for t in rendered.tools
        ],
        max_turns=pair.max_turns,
        followups=rendered.followups,
    )
    # Empty tools and follow-ups are left out: most samples are single-turn chat, and every
    # metadata key is walked many times per sample (module docstring).
    empty = {k for k in ("tools", "followups") if not getattr(meta, k)}
    return Sample(
        id=f"{pair.id}:{rendered.variant}",
        input=messages,
        target=pair.behaviour.flagged,
        metadata=meta.model_dump(exclude_none=True, exclude=empty or None),
    )


def pair_samples(pairs: Iterable[ScenarioPair], variants: Sequence[str] = ("test", "deploy")) -> list[Sample]:
    unknown = set(variants) - {"test", "deploy"}
    if unknown:
        raise ValueError(f"unknown variant(s) {sorted(unknown)}; expected test and/or deploy")
    return [variant_sample(pair, render(pair, v)) for pair in pairs for v in variants]


def pair_dataset(
    pairs: Iterable[ScenarioPair], variants: Sequence[str] = ("test", "deploy"), name: str = "evalaware"
) -> MemoryDataset:
    return MemoryDataset(pair_samples(pairs, variants), name=name)


def pair_table(pairs: Iterable[ScenarioPair]) -> dict[str, Any]:
    """Task metadata: each pair's version, title, tags and cues (slot → kind and both texts; the
    declared kinds for a free-form pair), written once per log rather than in every sample.

    The tags travel so a report can set apart the ``known-eval-shape`` pairs (a positive
    control) from the log alone, without the YAML."""
    table: dict[str, Any] = {}
    for pair in pairs:
        entry: dict[str, Any] = {"version": pair.version, "title": pair.title, "category": pair.category}
        entry["tags"] = list(pair.tags)
        if pair.templated:
            entry["cues"] = {
                slot: {"kind": cue.kind, "test": cue.test, "deploy": cue.deploy}
                for slot, cue in pair.cues.items()
            }
        else:
            entry["cue_kinds"] = pair.declared_cue_kinds()
        table[pair.id] = entry
    return {"evalaware_pairs": table}

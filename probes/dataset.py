"""Scenario pairs → Inspect samples, with typed metadata.

Sample ids are stable (``<pair_id>:<variant>``) so epochs, resumes and reports line up.
Everything a solver or scorer needs (the behaviour spec, the rendered tools, the cue texts
the prompt stated) travels in the sample metadata, so scorers never read YAML and a log can
be rescored on its own.

Sample metadata is kept to what each sample needs and what reports group by: Inspect walks
every sample's metadata many times while it runs the sample (copies of the sample and
state, the init event, four summaries' thinning, condensing, log writes). With three slot
tables (state, kinds, texts) in every sample, bench part (a) ran 1.23-1.32x as long as a
plain Inspect task; without them, 1.07-1.18x in full runs (about 1.13x by CPU, measured
with ``bench/ab.py``). The pair-level table (title, and each slot's kind
and both texts) is written once per log instead, as task metadata (``pair_table``). A chat
pair's samples have no ``tools`` key.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessage, ChatMessageAssistant, ChatMessageSystem, ChatMessageUser
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_serializer, field_validator

from probes.render import RenderedVariant, render
from probes.schema import Behaviour, ScenarioPair


class SampleMeta(BaseModel):
    """Metadata on every evalaware sample (read with ``state.metadata_as(SampleMeta)``)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    pair_id: str
    """The scenario pair's id."""
    variant: str
    """`test`, `deploy`, or an ablation cell label."""
    category: str
    scenario_version: int
    """The pair's `version`; reports refuse to merge results across versions silently."""
    title: str | None = None
    """Older logs only: the title now lives in the log's ``evalaware_pairs`` table."""
    agentic: bool
    """True when the pair has tools and runs in an agent loop."""
    cues_on: list[str] = Field(default_factory=list)
    """Cue kinds present (at their test value) in this sample, sorted and distinct."""
    cue_state: dict[str, str] | None = None
    """Slot → `test` | `deploy`: ablation samples only (the cell); test and deploy samples
    have every slot at their variant, and the log's ``evalaware_pairs`` task metadata
    holds each slot's texts."""
    cue_kinds: dict[str, str] | None = None
    """Slot → cue kind: ablation samples only (the per-cue effect metric reads it)."""
    stated_cues: list[str] = Field(default_factory=list)
    """Cue texts shown to the model that announce a test; awareness echoing these is not spontaneous."""
    behaviour: dict[str, Any]
    """The pair's behaviour spec (``Behaviour.model_dump()``)."""
    tools: list[dict[str, Any]] = Field(default_factory=list)
    """Rendered tool specs with canned responses (no ``tools`` key at all for a chat pair)."""
    max_turns: int = 8

    # The two nested specs travel as compact JSON text. Inspect walks every sample's
    # metadata many times per sample (copies of the sample and state, the init event, state
    # diffs, summary thinning, log writes; deep copies per metric key on each live metric
    # recompute): one string is one atomic value to each of those walks, where every nested
    # dict and list was visited (dozens for an agentic pair's tool specs: a deep copy of its
    # score went from ~175 to ~90 us). Nothing is lost: the log still holds the whole spec,
    # and reading it back parses it. The text form does cost more in one walk, the summaries
    # Inspect thins per sample (`textwrap.shorten` over each string: 263 us against 99 us per
    # chat sample), yet over whole runs the text is no dearer: with the behaviour spec as an
    # object, bench part (a) cost 1.021x as much CPU (sd 0.024, 8 concurrent rounds of 1,000 samples
    # with ``bench/ab.py``).
    # The behaviour spec stays in the sample rather than becoming an option of the behaviour
    # scorer: Inspect copies a scorer's arguments into every score event (`scorer_args`), so
    # one table of 20 specs added ~10 kB to each sample.
    @field_validator("behaviour", "tools", mode="before")
    @classmethod
    def _parse_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value  # objects: older logs

    @field_serializer("behaviour", "tools")
    def _as_json(self, value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


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
    )
    return Sample(
        id=f"{pair.id}:{rendered.variant}",
        input=messages,
        target=pair.behaviour.flagged,
        metadata=meta.model_dump(exclude_none=True, exclude=None if meta.tools else {"tools"}),
    )


_STATED_CUES = TypeAdapter(list[str])


def stated_cues(metadata: Mapping[str, Any]) -> list[str]:
    """The cue texts a sample's prompt stated (``SampleMeta.stated_cues``).

    The scorers read one or two fields of every sample; validating the whole ``SampleMeta``
    for each (parsing the behaviour and tool JSON too) cost ~0.1 ms a time, three times a
    sample, so each reads and validates only the field it needs.
    """
    return _STATED_CUES.validate_python(metadata.get("stated_cues", []))


def behaviour_spec(metadata: Mapping[str, Any]) -> Behaviour:
    """The pair's behaviour spec (``SampleMeta.behaviour``), parsed once per distinct spec."""
    raw = metadata.get("behaviour")
    if isinstance(raw, str):
        return _behaviour_from_json(raw)
    return Behaviour.model_validate(raw)  # older logs hold the spec as an object


@functools.lru_cache(maxsize=1024)
def _behaviour_from_json(text: str) -> Behaviour:
    # Every epoch and both variants of a pair carry the same text; Behaviour is frozen, so
    # one parsed instance can serve them all.
    return Behaviour.model_validate_json(text)


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
    """Task metadata: each pair's version, title and cues (slot → kind and both texts; the
    declared kinds for a free-form pair), written once per log rather than in every sample."""
    table: dict[str, Any] = {}
    for pair in pairs:
        entry: dict[str, Any] = {"version": pair.version, "title": pair.title, "category": pair.category}
        if pair.templated:
            entry["cues"] = {
                slot: {"kind": cue.kind, "test": cue.test, "deploy": cue.deploy}
                for slot, cue in pair.cues.items()
            }
        else:
            entry["cue_kinds"] = pair.declared_cue_kinds()
        table[pair.id] = entry
    return {"evalaware_pairs": table}

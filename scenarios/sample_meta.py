"""What every evalaware sample carries in its metadata: the contract between the dataset
that builds samples (probes) and the scorers and reports that read them.

Everything a solver or scorer needs (the behaviour spec, the rendered tools, the cue texts
the prompt stated) travels in the sample metadata, so scorers never read YAML and a log can
be rescored on its own.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from evalaware.scenarios.schema import Behaviour
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_serializer, field_validator

__all__ = ["SampleMeta", "behaviour_spec", "stated_cues"]


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
    followups: list[str] = Field(default_factory=list)
    """Rendered scripted user follow-ups, sent one after each model reply (multi-turn pairs);
    absent in older logs and in single-turn samples."""

    # The two nested specs travel as compact JSON text. Inspect walks every sample's
    # metadata many times per sample (copies of the sample and state, the init event, state
    # diffs, summary thinning, log writes; deep copies per metric key on each live metric
    # recompute): one string is one atomic value to each of those walks, where every nested
    # dict and list was visited (dozens for an agentic pair's tool specs). Nothing is lost:
    # the log still holds the whole spec, and reading it back parses it. The text does cost
    # more in one walk (Inspect shortens every metadata string in its summaries), but over
    # whole runs it is no dearer than the object form (bench/README.md, "Measured design
    # decisions").
    # The behaviour spec stays in the sample rather than becoming an option of the behaviour
    # scorer: Inspect copies a scorer's arguments into every score event (`scorer_args`), so
    # a table of every pair's spec would be repeated in every sample.
    @field_validator("behaviour", "tools", mode="before")
    @classmethod
    def _parse_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value  # objects: older logs

    @field_serializer("behaviour", "tools")
    def _as_json(self, value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


_STATED_CUES = TypeAdapter(list[str])


def stated_cues(metadata: Mapping[str, Any]) -> list[str]:
    """The cue texts a sample's prompt stated (``SampleMeta.stated_cues``).

    The scorers read one or two fields of every sample, several times a sample; validating
    the whole ``SampleMeta`` for each would parse the behaviour and tool JSON too, so each
    reads and validates only the field it needs.
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

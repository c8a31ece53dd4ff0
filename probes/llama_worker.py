"""The embedded model's generation process: loads one GGUF with llama-cpp-python and answers
generation requests, one JSON line in, one JSON line out.

Generation runs here, in a child process, so that a crash inside llama.cpp's native code
(a segfault, an illegal instruction) kills this process only: the parent
(``probes.local_model``) sees the pipe close, records the sample as an error that names the
crash and the rebuild command, and the run goes on; samples already completed stay in the
log and a re-run resumes. In-process, the same crash would kill the whole CLI with no
message and a half-written log.

Protocol (stdin/stdout, UTF-8 JSON lines): the worker first writes
``{"ready": <llama_print_system_info>}`` or ``{"error": "..."}``; then for each request
``{"messages": [...], "prefill": str | null, "kwargs": {...}}`` it writes
``{"ok": <llama-cpp response>}`` or ``{"error": "..."}``. It exits at end of input.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
import sys
from typing import Any, TextIO

__all__ = ["complete_after_prefill", "main"]

#: Set only by tests: the worker kills itself with this signal on its first request, so the
#: parent's crash handling can be tested without a broken build.
FAULT_ENV = "EVALAWARE_EMBEDDED_TEST_FAULT"


def complete_after_prefill(
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
        raise ValueError("this GGUF has no chat template, which assistant prefill needs")
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


def _answer(out: TextIO, message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=False) + "\n")
    out.flush()


def serve(model_path: str, n_ctx: int, n_threads: int, requests: TextIO, out: TextIO) -> None:
    from evalaware.probes.llama_build import UnsafeLlamaBuild, require_safe_build

    try:
        info = require_safe_build()
        from llama_cpp import Llama

        llm = Llama(model_path=model_path, n_ctx=n_ctx, n_threads=n_threads, verbose=False)
    except (ImportError, UnsafeLlamaBuild, ValueError, OSError) as e:
        _answer(out, {"error": f"{type(e).__name__}: {e}"})
        return
    _answer(out, {"ready": info})
    fault = os.environ.get(FAULT_ENV)
    for line in requests:
        if not line.strip():
            continue
        if fault:
            os.kill(os.getpid(), getattr(signal, fault))
        request = json.loads(line)
        try:
            if request.get("prefill") is not None:
                response = complete_after_prefill(
                    llm, request["messages"], request["prefill"], request["kwargs"]
                )
            else:
                response = llm.create_chat_completion(messages=request["messages"], **request["kwargs"])
        except Exception as e:  # a Python-level failure is this request's error, not the worker's end
            _answer(out, {"error": f"{type(e).__name__}: {e}"})
            continue
        _answer(out, {"ok": response})


def main() -> int:
    # Ctrl-C belongs to the parent, which ends this process by closing its input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.enable(file=sys.stderr)  # a native crash leaves a Python traceback for the parent
    # Replies go on a private copy of stdout; fd 1 itself is pointed at stderr, so nothing
    # llama.cpp or a library prints can corrupt the protocol.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    model_path, n_ctx, n_threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    serve(model_path, n_ctx, n_threads, sys.stdin, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``evalaware scan``: the awareness detectors run on transcripts from anywhere.

Pure logic, no argument parsing (that is ``evalaware.cli.cmd_scan``). Two inputs:

* **JSONL**, one record a line: ``id`` (string) and ``output`` (string) are required;
  ``reasoning`` and ``prompt`` (strings, or null) are optional. ``prompt`` is what the
  model was shown; awareness that only repeats it is an echo, not spontaneous. A line that
  is not valid UTF-8, not valid JSON, not an object, or has a missing or ill-typed field is
  a *bad line*: reported with its line number, skipped, and the rest still processed.
  Blank lines are skipped silently; a UTF-8 BOM and CRLF line endings are accepted.
* **Inspect logs** (``.eval`` / ``.json``), or directories searched recursively for them
  (Inspect's own rule for what counts as a log file). One record per sample and epoch,
  with id ``<task>/<sample id>/<epoch>``, and ``log`` and ``model`` fields, since the same
  task run on two models gives the same ids. The prompt is the system, user and tool text
  plus the stated cues of evalaware samples.

One output row per record, in input order. Unscored rows (a grader that refused, an
unparseable judge reply, a failed grader call) have ``aware`` null and a ``reason``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from evalaware.scorers.contract import AwarenessResult
from evalaware.scorers.transcript import ReasoningAvailability, Segment

__all__ = [
    "BadInput",
    "ScanRecord",
    "ScanSummary",
    "iter_inputs",
    "iter_jsonl",
    "iter_log_records",
    "result_row",
    "scan",
    "unscored_row",
]

_BOM = b"\xef\xbb\xbf"
_OPTIONAL_TEXT_FIELDS = ("reasoning", "prompt")


@dataclass(frozen=True)
class ScanRecord:
    """One transcript to scan."""

    id: str
    segments: list[Segment]
    prompt: str
    reasoning: ReasoningAvailability
    extra: dict[str, Any] = field(default_factory=dict)
    """Fields copied to the output row as they are (``log``, ``model`` for log input)."""


@dataclass(frozen=True)
class BadInput:
    """A line or file that could not be read; reported, skipped, and the exit code says so."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


Item = ScanRecord | BadInput


# --------------------------------------------------------------------------- JSONL


def iter_jsonl(stream: IO[bytes], source: str) -> Iterator[Item]:
    """Records and bad lines of a JSONL byte stream, in order, with 1-based line numbers.

    Read as bytes so that one line of bad UTF-8 is one bad line, not a crash of the whole
    file, and so that very long lines cost only their own size.
    """
    for lineno, raw in enumerate(stream, start=1):
        if lineno == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield BadInput(source, lineno, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})")
            continue
        yield _record_from_line(text, source, lineno)


def _record_from_line(text: str, source: str, lineno: int) -> Item:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        return BadInput(source, lineno, f"invalid JSON: {e.msg} at column {e.colno}")
    except (ValueError, RecursionError) as e:  # huge integers, absurd nesting
        return BadInput(source, lineno, f"invalid JSON: {type(e).__name__}: {str(e)[:120]}")
    if not isinstance(obj, dict):
        return BadInput(source, lineno, f"expected a JSON object, got {_json_type(obj)}")
    for key in ("id", "output"):
        if key not in obj:
            return BadInput(source, lineno, f"missing required field {key!r}")
        if not isinstance(obj[key], str):
            return BadInput(source, lineno, f"field {key!r} must be a string, got {_json_type(obj[key])}")
    for key in _OPTIONAL_TEXT_FIELDS:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            got = _json_type(obj[key])
            return BadInput(source, lineno, f"field {key!r} must be a string or null, got {got}")
    reasoning: str = obj.get("reasoning") or ""
    segments = []
    if reasoning.strip():
        segments.append(Segment(where="reasoning", turn=0, text=reasoning))
    if obj["output"].strip():
        segments.append(Segment(where="output", turn=0, text=obj["output"]))
    return ScanRecord(
        id=obj["id"],
        segments=segments,
        prompt=obj.get("prompt") or "",
        reasoning="present" if reasoning.strip() else "absent",
    )


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------- Inspect logs


def is_log_path(path: Path) -> bool:
    return path.is_dir() or path.suffix in (".eval", ".json")


def iter_log_records(path: Path) -> Iterator[Item]:
    """One record per sample and epoch of an Inspect log, or of every log under a directory."""
    from inspect_ai.log import list_eval_logs

    if path.is_dir():
        # Inspect's listing knows which .json files are logs (a timestamped name), so a
        # stray logs.json or config file in a log directory is not mistaken for one.
        files = sorted(Path(info.name.removeprefix("file://")) for info in list_eval_logs(str(path)))
    else:
        files = [path]
    for file in files:
        yield from _log_file_records(file)


def _log_file_records(path: Path) -> Iterator[Item]:
    from evalaware.scorers.transcript import prompt_text, segments_from_messages
    from inspect_ai.log import read_eval_log, read_eval_log_samples

    try:
        header = read_eval_log(str(path), header_only=True)
        if header.eval.dataset.sample_ids is not None:
            # Streams one sample at a time: a large log never sits in memory whole.
            samples: Iterable[Any] = read_eval_log_samples(
                str(path), all_samples_required=False, resolve_attachments=True
            )
        else:  # older logs lack the sample id list that streaming needs
            samples = read_eval_log(str(path), resolve_attachments=True).samples or []
        for sample in samples:
            segments, reasoning = segments_from_messages(sample.messages)
            stated = (sample.metadata or {}).get("stated_cues") or []
            prompt = "\n".join([prompt_text(sample.messages), *[str(c) for c in stated]])
            yield ScanRecord(
                id=f"{header.eval.task}/{sample.id}/{sample.epoch}",
                segments=segments,
                prompt=prompt,
                reasoning=reasoning,
                extra={"log": str(path), "model": header.eval.model},
            )
    except Exception as e:  # any unreadable log is one bad input, not the end of the scan
        yield BadInput(str(path), None, f"cannot read Inspect log: {type(e).__name__}: {str(e)[:300]}")


def iter_inputs(paths: Iterable[str], stdin: IO[bytes] | None = None) -> Iterator[Item]:
    """Every record of every path, in order (``-`` reads JSONL from ``stdin``).

    Callers check that paths exist first; a path missing here is reported as bad input.
    """
    for name in paths:
        if name == "-" and stdin is not None:
            yield from iter_jsonl(stdin, "<stdin>")
            continue
        path = Path(name)
        if not path.exists():
            yield BadInput(name, None, "no such file or directory")
        elif is_log_path(path):
            yield from iter_log_records(path)
        else:
            try:
                with path.open("rb") as f:
                    yield from iter_jsonl(f, name)
            except OSError as e:
                yield BadInput(name, None, f"cannot read: {e.strerror or e}")


# --------------------------------------------------------------------------- rows


Method = Literal["lexical", "judge", "both"]


def result_row(record: ScanRecord, result: AwarenessResult) -> dict[str, Any]:
    """The output row of a scored record; ``evidence`` holds the verified verbatim quotes."""
    return {
        "id": record.id,
        "aware": result.aware,
        "spontaneous": result.spontaneous,
        "kinds": list(result.kinds),
        # one quote per line of text, though the lexical detector cites a sentence once per kind
        "evidence": list(dict.fromkeys(e.quote for e in result.evidence if e.verified)),
        "where": result.where,
        "method": result.method,
        "reason": None,
        "confidence": result.confidence,
        "agreement": result.agreement,
        "notes": list(result.notes),
        "evidence_detail": [e.model_dump() for e in result.evidence],
        **record.extra,
    }


def unscored_row(record: ScanRecord, method: Method, reason: str, **extra: Any) -> dict[str, Any]:
    """The output row of a record no verdict could be given for: nulls and a reason."""
    return {
        "id": record.id,
        "aware": None,
        "spontaneous": None,
        "kinds": [],
        "evidence": [],
        "where": None,
        "method": method,
        "reason": reason,
        "confidence": None,
        "agreement": None,
        "notes": [],
        "evidence_detail": [],
        **extra,
        **record.extra,
    }


@dataclass
class ScanSummary:
    records: int = 0
    aware: int = 0
    spontaneous: int = 0
    unscored: int = 0
    bad: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.records += 1
        if row["aware"] is None:
            self.unscored += 1
        else:
            self.aware += bool(row["aware"])
            self.spontaneous += bool(row["spontaneous"])

    def line(self) -> str:
        scored = self.records - self.unscored
        rate = f"{self.aware / scored:.1%} of {scored} scored" if scored else "no scored records"
        return (
            f"scan: {self.records} record(s); aware {self.aware} ({rate}); spontaneous {self.spontaneous}; "
            f"unscored {self.unscored}; bad lines {self.bad}"
        )


# --------------------------------------------------------------------------- running


def lexical_result(record: ScanRecord) -> AwarenessResult:
    from evalaware.scorers.lexical import detect_awareness

    return detect_awareness(record.segments, record.prompt, reasoning=record.reasoning)


async def judged_row(record: ScanRecord, grader: Any) -> dict[str, Any]:
    """Lexical and judge verdicts combined (method ``both``), as in the scorer's combined mode."""
    from evalaware.scorers.awareness_judge import judge_awareness_result

    try:
        lexical = lexical_result(record)
    except Exception as e:
        return unscored_row(record, "both", _failure("lexical detector failed", e))
    lexical_extra = {"lexical_aware": lexical.aware}
    try:
        result, outcome = await judge_awareness_result(
            grader, record.segments, record.prompt, record.reasoning
        )
    except Exception as e:  # one failed grader call must not end a scan of thousands of records
        return unscored_row(record, "both", _failure("grader call failed", e), **lexical_extra)
    if result is None:
        return unscored_row(record, "both", outcome.reason or "grader gave no verdict", **lexical_extra)
    result = result.model_copy(update={"method": "both", "agreement": result.aware == lexical.aware})
    return {**result_row(record, result), **lexical_extra}


def _failure(what: str, e: BaseException) -> str:
    return f"{what}: {type(e).__name__}: {str(e)[:300]}"


async def _ordered(
    items: Iterable[Item], work: Callable[[ScanRecord], Awaitable[dict[str, Any]]], limit: int
) -> AsyncIterator[Item | dict[str, Any]]:
    """Run ``work`` on records ``limit`` at a time and yield results in input order.

    At most ``2 * limit`` records are in flight or waiting, so memory stays bounded on
    files of any length while the grader stays busy.
    """
    sem = asyncio.Semaphore(limit)
    queue: asyncio.Queue[asyncio.Future[Any] | BadInput | None] = asyncio.Queue(maxsize=2 * limit)

    async def bounded(record: ScanRecord) -> dict[str, Any]:
        async with sem:
            return await work(record)

    async def produce() -> None:
        try:
            for item in items:
                await queue.put(item if isinstance(item, BadInput) else asyncio.ensure_future(bounded(item)))
        finally:
            await queue.put(None)

    producer = asyncio.ensure_future(produce())
    try:
        while (entry := await queue.get()) is not None:
            yield entry if isinstance(entry, BadInput) else await entry
        await producer
    finally:
        producer.cancel()


async def scan(
    items: Iterable[Item],
    emit: Callable[[dict[str, Any]], None],
    report_bad: Callable[[BadInput], None],
    grader: Any | None = None,
    max_connections: int = 10,
) -> ScanSummary:
    """Scan ``items``: rows go to ``emit`` in input order, bad inputs to ``report_bad``.

    Lexical only without a ``grader``; with one (an Inspect ``Model``) lexical and judge
    together, ``max_connections`` grader calls at a time.
    """
    summary = ScanSummary()

    async def lexical_only(record: ScanRecord) -> dict[str, Any]:
        try:
            return result_row(record, lexical_result(record))
        except Exception as e:  # a detector bug on one odd record must not lose the rest
            return unscored_row(record, "lexical", _failure("lexical detector failed", e))

    async def judged(record: ScanRecord) -> dict[str, Any]:
        return await judged_row(record, grader)

    work = lexical_only if grader is None else judged
    async for out in _ordered(items, work, max(1, max_connections) if grader is not None else 1):
        if isinstance(out, BadInput):
            summary.bad += 1
            report_bad(out)
        else:
            summary.add(out)
            emit(out)
    return summary

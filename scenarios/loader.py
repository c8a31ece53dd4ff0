"""Load scenario files into validated ``ScenarioPair`` objects, or explain exactly why not.

Every problem in a file is reported at once, with the file, the YAML line (where YAML
knows it), the field path and what was expected. Nothing is skipped silently: loading a
library with one bad file fails as a whole, so a run never measures a partial library
without saying so.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from evalaware.scenarios.rules import pair_problems
from evalaware.scenarios.schema import ScenarioPair
from pydantic import ValidationError

#: Scenario files are small hand-written YAML; anything larger is a mistake or an attack.
MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    path: str
    message: str
    field: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        fld = f" {self.field}:" if self.field else ""
        return f"{where}:{fld} {self.message}"


@dataclass
class ScenarioLoadError(Exception):
    """Raised when any scenario file is invalid; carries every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        files = len({p.path for p in self.problems})
        head = f"{len(self.problems)} problem(s) in {files} scenario file(s):"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def default_scenario_dir() -> Path:
    """The scenarios shipped with the package (works for editable and wheel installs)."""
    return Path(str(resources.files("evalaware.scenarios")))


def find_scenario_files(paths: Sequence[str | Path] | None = None) -> list[Path]:
    """YAML files under the given files/folders (default: the shipped library), sorted."""
    roots = [Path(p) for p in paths] if paths else [default_scenario_dir()]
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(
                p for p in sorted(root.rglob("*.yaml")) if not p.name.startswith("_") and p.is_file()
            )
        elif root.is_file():
            files.append(root)
        else:
            raise ScenarioLoadError([Problem(str(root), "no such file or folder")])
    return files


def load_pair(path: Path, allow_todo: bool = False) -> ScenarioPair:
    """Load one file; raise ``ScenarioLoadError`` listing every problem in it.

    ``allow_todo`` is for `evalaware new` only, which checks that a fresh scaffold is valid
    apart from its TODO placeholders; everything that runs pairs loads without it.
    """
    pair, problems = _load_one(path, allow_todo)
    if problems or pair is None:
        raise ScenarioLoadError(problems)
    return pair


def load_library(paths: Sequence[str | Path] | None = None) -> list[ScenarioPair]:
    """Load every scenario under ``paths``; raise if any file (or the set) is invalid."""
    files = find_scenario_files(paths)
    problems: list[Problem] = []
    pairs: list[ScenarioPair] = []
    seen: dict[str, Path] = {}
    for path in files:
        pair, file_problems = _load_one(path)
        problems.extend(file_problems)
        if pair is None:
            continue
        if pair.id in seen:
            problems.append(
                Problem(str(path), f"duplicate id {pair.id!r}, already used by {seen[pair.id]}", "id")
            )
            continue
        seen[pair.id] = path
        pairs.append(pair)
    if problems:
        raise ScenarioLoadError(problems)
    return pairs


def select_pairs(
    pairs: Iterable[ScenarioPair],
    ids: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
) -> list[ScenarioPair]:
    """Filter by id globs, categories and tags; an id or glob that matches nothing is an error."""
    chosen = list(pairs)
    if ids:
        for pattern in ids:
            if not any(fnmatch.fnmatchcase(p.id, pattern) for p in chosen):
                raise ScenarioLoadError(
                    [Problem("<selection>", f"no scenario pair matches {pattern!r}", "pairs")]
                )
        chosen = [p for p in chosen if any(fnmatch.fnmatchcase(p.id, pat) for pat in ids)]
    if categories:
        known = {p.category for p in chosen}
        unknown = sorted(set(categories) - known)
        if unknown:
            raise ScenarioLoadError(
                [Problem("<selection>", f"no selected pair has category {', '.join(unknown)}", "categories")]
            )
        chosen = [p for p in chosen if p.category in categories]
    if tags:
        chosen = [p for p in chosen if set(tags) & set(p.tags)]
        if not chosen:
            raise ScenarioLoadError([Problem("<selection>", f"no pair has any tag of {list(tags)}", "tags")])
    return chosen


# --------------------------------------------------------------------------- internals


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases: scenario files never need them, and an
    alias bomb ("billion laughs") would otherwise expand to gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases (*name) are not allowed in scenario files", event.start_mark
            )
        return super().compose_node(parent, index)


def _fast_load(text: str) -> Any:
    """The file parsed by libyaml (much faster than the pure-Python parser the line map
    needs), or None to take the slow path: no libyaml, a syntax error, or an alias (which
    the slow path rejects with its message)."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return None
    try:
        if not _plain_events(yaml.parse(text, Loader=loader)):
            return None
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError:
        return None


def _plain_events(events: Any) -> bool:
    """False on an alias or on a key repeated within one mapping (YAML keeps the last one
    silently); the slow path reports either with its line."""
    stack: list[tuple[set[str], list[bool]] | None] = []  # per open mapping: keys, [expecting a key]
    for ev in events:
        top = stack[-1] if stack else None
        if isinstance(ev, yaml.AliasEvent):
            return False
        if isinstance(ev, yaml.ScalarEvent):
            if top is not None:
                keys, expecting = top
                if expecting[0] and ev.value in keys:
                    return False
                if expecting[0]:
                    keys.add(ev.value)
                expecting[0] = not expecting[0]
        elif isinstance(ev, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if top is not None:
                top[1][0] = not top[1][0]  # this collection is the value (or a complex key)
            stack.append((set(), [True]) if isinstance(ev, yaml.MappingStartEvent) else None)
        elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
    return True


def _load_one(path: Path, allow_todo: bool = False) -> tuple[ScenarioPair | None, list[Problem]]:
    spath = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        return None, [Problem(spath, f"cannot read file: {e.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(spath, f"file is {size:,} bytes; scenario files must be under {MAX_FILE_BYTES:,}")
        ]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [
            Problem(spath, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})", line=line)
        ]

    fast = _fast_load(text)
    try:
        node = None if fast is not None else yaml.compose(text, Loader=_NoAliasLoader)
        data = fast if fast is not None else yaml.load(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(str(x) for x in (e.context, e.problem) if x) or str(e)
        return None, [Problem(spath, f"YAML syntax error: {msg}", line=line)]
    except yaml.reader.ReaderError as e:
        line = text[: e.position].count("\n") + 1
        char = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        return None, [Problem(spath, f"YAML error: character {char} is not allowed in YAML", line=line)]
    except yaml.YAMLError as e:
        return None, [Problem(spath, f"YAML error: {e}")]
    except RecursionError:
        # PyYAML recurses once per nesting level: "[[[[...]]]]" would otherwise crash the CLI.
        return None, [Problem(spath, "YAML nesting is too deep (scenario files are a few levels deep)")]

    if data is None:
        return None, [Problem(spath, "file is empty; expected a mapping of fields (see _template.yaml)")]
    # Only the slow path has a node; the fast path declines files with repeated keys.
    duplicates = _duplicate_keys(node) if node is not None and isinstance(data, dict) else []
    if duplicates:
        # YAML silently keeps the last of two equal keys: a second `cues:` would drop the first.
        return None, [Problem(spath, msg, fld, line) for fld, msg, line in duplicates]
    if not isinstance(data, dict):
        return None, [
            Problem(spath, f"expected a mapping of fields at the top level, got {type(data).__name__}")
        ]

    # Problems are collected with their field path first; line numbers need the slow parse,
    # which is paid only when there is something to report.
    located: list[tuple[tuple[Any, ...], str]] = []
    if not allow_todo:
        located.extend(_todo_placeholders(data))
    pair: ScenarioPair | None = None
    try:
        pair = ScenarioPair.model_validate(data)
    except ValidationError as e:
        located.extend((tuple(err["loc"]), _describe(err)) for err in e.errors())
    if pair is not None:
        stem = path.stem
        if pair.id != stem:
            located.append((("id",), f"id {pair.id!r} must equal the file name {stem!r}"))
        if path.parent.name != pair.category and path.parent.name in _category_folders():
            located.append(
                (("category",), f"category {pair.category!r} does not match the folder {path.parent.name!r}")
            )
        located.extend(pair_problems(pair))
    if not located:
        return pair, []
    if node is None:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    lines = _line_map(node)
    problems = [Problem(spath, msg, _dotted(loc), _nearest_line(lines, loc)) for loc, msg in located]
    return None, problems


#: An unfinished scaffold's marker (`evalaware new` writes them); the word, in any field's text.
_TODO = re.compile(r"\bTODO\b")


def _todo_placeholders(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """``(field path, message)`` for every TODO placeholder in the file's values."""
    out: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_todo_placeholders(value, (*loc, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_todo_placeholders(value, (*loc, i)))
    elif isinstance(data, str):
        found = [data[m.start() : m.start() + 50].split("\n")[0].strip() for m in _TODO.finditer(data)]
        if found:
            named = ", ".join(repr(f) for f in found)
            out.append(
                (
                    loc,
                    f"unfinished pair: TODO placeholder {named}; replace it (an unfinished pair never runs)",
                )
            )
    return out


def _duplicate_keys(node: Any) -> list[tuple[str, str, int]]:
    """``(field, message, line)`` for every key that repeats within one mapping."""
    out: list[tuple[str, str, int]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(node, ())]
    while stack:
        n, path = stack.pop()
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in n.value:
                k, line = str(key.value), key.start_mark.line + 1
                if k in first:
                    out.append((_dotted((*path, k)), f"duplicate key (first at line {first[k]})", line))
                else:
                    first[k] = line
                stack.append((value, (*path, k)))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(n.value))
    return sorted(out, key=lambda t: t[2])


def _category_folders() -> set[str]:
    from evalaware.scenarios.schema import CATEGORIES

    return set(CATEGORIES)


def _describe(err: Any) -> str:
    kind = err.get("type", "")
    msg = str(err.get("msg", ""))
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see scenarios/_template.yaml for the allowed fields)"
    if kind == "missing":
        return "required field is missing"
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return msg.replace("tag", "`kind`")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    got = err.get("input")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg} (got {_short(got)})"
    return msg


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            # pydantic puts discriminator tags in the loc (e.g. 'regex_present'); keep them
            out += ("." if out else "") + str(part)
    return out


def _line_map(node: Any) -> dict[tuple[Any, ...], int]:
    """Map each field path to its 1-based line in the file."""
    out: dict[tuple[Any, ...], int] = {}

    def walk(n: Any, path: tuple[Any, ...]) -> None:
        out.setdefault(path, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                k = key.value
                out[(*path, k)] = key.start_mark.line + 1
                walk(value, (*path, k))
                out[(*path, k)] = key.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    if node is not None:
        walk(node, ())
    return out


def _nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    """Line of the deepest part of ``loc`` present in the file.

    pydantic puts discriminator tags (e.g. ``regex_present``) and validator names in the
    location; they are not YAML keys, so parts that do not extend a known path are skipped.
    """
    found: tuple[Any, ...] = ()
    for part in loc:
        candidate = (*found, part)
        if candidate in lines:
            found = candidate
    return lines.get(found)

"""Inspect's private names that evalaware uses all live in ``evalaware/_inspect_compat.py``.

When Inspect moves one, the first test here fails naming the private path, rather than an
import error surfacing somewhere inside a task; the last one keeps new private imports from
creeping back into product code.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPAT = ROOT / "evalaware" / "_inspect_compat.py"
PRODUCT_DIRS = ("evalaware", "probes", "scorers", "reports", "scenarios")
#: Files whose owners have yet to switch to the compat module; remove an entry once switched.
NOT_YET_SWITCHED: set[str] = set()


def _is_private(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "inspect_ai" and any(p.startswith("_") for p in parts[1:])


def _private_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, module, name) for every import of a private Inspect module in ``path``."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and _is_private(node.module):
            found.extend((node.lineno, node.module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name, "") for a in node.names if _is_private(a.name))
    return found


# Read from the source, not by importing the module: if Inspect moved a name, importing the
# compat module would fail on the first one and hide the others.
COMPAT_NAMES = [(module, name) for _, module, name in _private_imports(COMPAT)]


def test_compat_module_has_names() -> None:
    assert COMPAT_NAMES, "no private Inspect import found in evalaware/_inspect_compat.py"


@pytest.mark.parametrize(("module", "name"), COMPAT_NAMES, ids=[f"{m}.{n}" for m, n in COMPAT_NAMES])
def test_private_name_still_where_compat_takes_it(module: str, name: str) -> None:
    import inspect_ai

    where = f"`from {module} import {name}` in evalaware/_inspect_compat.py"
    try:
        found = importlib.import_module(module)
    except ImportError as e:
        pytest.fail(f"Inspect {inspect_ai.__version__} has no module {module} ({e}); update {where}")
    if not hasattr(found, name):
        pytest.fail(f"Inspect {inspect_ai.__version__} has no {name} in {module}; update {where}")


def test_compat_exports_every_name() -> None:
    compat = importlib.import_module("evalaware._inspect_compat")
    names = {name for _, name in COMPAT_NAMES}
    assert set(compat.__all__) == names
    for module, name in COMPAT_NAMES:
        assert getattr(compat, name) is getattr(importlib.import_module(module), name)


def test_product_code_imports_private_inspect_only_through_compat() -> None:
    leaks = []
    for folder in PRODUCT_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if path == COMPAT or rel in NOT_YET_SWITCHED:
                continue
            leaks.extend(
                f"{rel}:{line}: {module} {name}".rstrip() for line, module, name in _private_imports(path)
            )
    assert not leaks, "import these from evalaware._inspect_compat instead:\n" + "\n".join(leaks)

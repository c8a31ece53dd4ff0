"""Check the import contracts (pyproject.toml, [tool.importlinter]) on the installed layout.

    python scripts/lint_imports.py [--repo DIR]

The source tree keeps the user's top-level folders (scenarios/, scorers/, probes/, reports/),
which install as ``evalaware.*`` through setuptools' package-dir mapping. import-linter (via
grimp) finds a package's modules by walking the folder of its top-level package, so on the
source tree it would see ``evalaware/`` alone. This script lays the package out as it is
installed, in a temporary folder (the ``.py`` files copied by the same mapping, read from
pyproject.toml), puts that folder first on the import path, and runs import-linter on it.
Exit code: 0 when every contract is kept, 1 when one is broken (import-linter's own report
names the offending import chain), 2 on a configuration problem.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_dirs(repo: Path) -> dict[str, Path]:
    """Package name -> source folder, from [tool.setuptools.package-dir]."""
    config = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {name: repo / folder for name, folder in mapping.items()}


def lay_out(repo: Path, dest: Path) -> None:
    """Copy every ``.py`` file of the mapped packages to where it sits once installed."""
    for name, folder in sorted(package_dirs(repo).items()):
        target = dest.joinpath(*name.split("."))
        for source in folder.rglob("*.py"):
            relative = source.relative_to(folder)
            # a mapped subpackage (evalaware.cli lives in evalaware/cli) is copied once, by its
            # own deepest mapping; a folder mapped elsewhere is not copied again here
            if name == "evalaware" and relative.parts[0] in {"scenarios", "scorers", "probes", "reports"}:
                continue
            out = target / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=ROOT, help="the checkout to check (default: this one)")
    args = ap.parse_args(argv)
    from importlinter.cli import lint_imports

    config = str((args.repo / "pyproject.toml").resolve())
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="evalaware-imports-") as tmp:
        lay_out(args.repo, Path(tmp))
        sys.path.insert(0, tmp)
        for name in [m for m in sys.modules if m == "evalaware" or m.startswith("evalaware.")]:
            del sys.modules[name]  # an installed evalaware must not stand in for the copy
        # import-linter puts the working directory first on the import path: in a checkout
        # that would be the source tree's own evalaware/ folder, without the mapped packages
        os.chdir(tmp)
        try:
            return lint_imports(config_filename=config, no_cache=True, no_logo=True)
        finally:
            os.chdir(here)
            sys.path.remove(tmp)


if __name__ == "__main__":
    sys.exit(main())

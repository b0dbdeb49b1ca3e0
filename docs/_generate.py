"""The pages Sphinx builds from the code rather than from hand-written files.

Everything goes under ``docs/generated/`` (git-ignored), written before Sphinx reads its
sources:

- ``generated/api/``: one page per public module (its docstring, then a table of its public
  names, each with a page of its own made by autosummary); the list of modules and the rule
  that documents each object once are ``docs/_public.py``'s, which the docstring test shares;
- ``generated/reproduce/``: the ``hopfield reproduce`` report (quick sizes), measured by this
  build (or by an earlier build of the same sources), and ``generated/reproduce-scope.md``,
  which results it holds;
- ``generated/cli.md``: ``hopfield --help`` and every subcommand's help, as printed;
- ``generated/benchmarks.md``: the benchmark table of the last ``python -m benchmarks`` run on
  this machine, if there is one (``benchmarks/results/results.md``).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from _public import MODULES, SPHINX_IGNORED, canonical, documented, names

__all__ = ["SPHINX_IGNORED", "all_pages", "constants_pattern"]

# Modules whose docstring is a page of its own under docs/models/: their API page links there
# instead of showing the same text twice.
MODEL_PAGES = {
    "hopfield.functions": "../../models/interactions",
    "hopfield.lagrangians": "../../models/lagrangians",
    "hopfield.rules": "../../models/rules",
}

# The results of the literature suite that a quick documentation build (CI) runs: every one that
# takes seconds at quick sizes, about a minute in all on two busy cores. The five left out take
# 15 s to a few minutes each there (the perceptron's two, the classifier, the sequence memory
# and the BAM's capacity sweep); a full build runs all of them.
QUICK_RESULTS = (
    "ags-capacity",
    "mceliece-exact-recall",
    "hopfield-1982-bit-errors",
    "rule-capacities",
    "pseudoinverse-basins",
    "dense-random-starts",
    "dense-capacity-formula",
    "dense-xor",
    "exponential-capacity",
    "modern-one-step-retrieval",
    "modern-energy-bounds",
    "modern-fixed-point-types",
    "modern-capacity-theorem",
    "sparsemax-exact-retrieval",
    "hidden-neuron-limits",
)


def all_pages(docs: Path, *, quick: bool) -> None:
    """Write every generated page under ``docs/generated``."""
    out = docs / "generated"
    out.mkdir(exist_ok=True)
    api_pages(out / "api")
    reproduce_page(out / "reproduce", quick=quick)
    benchmarks_page(out / "benchmarks.md", docs.parent / "benchmarks" / "results" / "results.md")
    cli_page(out / "cli.md")


def _title(text: str, char: str = "=") -> str:
    return f"{text}\n{char * len(text)}\n"


def _write(path: Path, text: str) -> None:
    """Write only when the text changed, so Sphinx does not rebuild pages that did not."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def api_pages(out: Path) -> None:
    """One page per module in ``MODULES`` and an index of them."""
    out.mkdir(parents=True, exist_ok=True)
    where = canonical()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        own, elsewhere, data = [], [], []
        for name in names(module_name):
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            if not documented(obj):
                data.append(name)
            elif where[id(obj)] == f"{module_name}.{name}":
                own.append(name)
            else:
                elsewhere.append((name, where[id(obj)]))
        if module_name in MODEL_PAGES:
            page = MODEL_PAGES[module_name]
            lines = [
                _title(f"``{module_name}``"),
                f".. py:module:: {module_name}\n",
                f"The module's introduction, with its equations and papers: :doc:`{page}`.\n",
            ]
        else:
            lines = [
                _title(f"``{module_name}``"),
                f".. automodule:: {module_name}\n   :no-members:\n",
            ]
        lines.append(f".. currentmodule:: {module_name}\n")
        if own:
            lines += [".. autosummary::", "   :toctree: generated", ""]
            lines += [f"   {name}" for name in own]
            lines.append("")
        if data:
            lines.append(_title("Constants", "-"))
            for name in data:
                value = repr(getattr(module, name))
                option = "   :no-value:\n" if len(value) > 70 else ""
                lines.append(f".. autodata:: {name}\n{option}")
        if elsewhere:
            lines.append(_title("Also importable from here", "-"))
            lines += [f"- ``{name}``: :obj:`{target}`" for name, target in elsewhere]
            lines.append("")
        _write(out / f"{module_name}.rst", "\n".join(lines))
    index = [
        _title("API reference"),
        "Every public name, generated from its docstring. Each object is documented once, at",
        "its shortest public path (``hopfield.Hopfield``, not ``hopfield.models.Hopfield``);",
        "a module's page lists what it re-exports from elsewhere.\n",
        ".. toctree::",
        "   :maxdepth: 1",
        "",
    ]
    index += [f"   {module_name}" for module_name in MODULES]
    _write(out / "index.rst", "\n".join(index) + "\n")


def constants_pattern() -> list[str]:
    """Regular expressions matching the public constants, for numpydoc's validation."""
    found = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in names(module_name):
            obj = getattr(module, name)
            if not inspect.ismodule(obj) and not documented(obj):
                found.append(f"^{re.escape(module_name)}\\.{name}$")
    return found


def reproduce_page(out: Path, *, quick: bool) -> None:
    """Run the literature suite at quick sizes (a subset of it when ``quick``) into ``out``."""
    from hopfield import reproduce

    chosen = list(QUICK_RESULTS) if quick else reproduce.names()
    left_out = [name for name in reproduce.names() if name not in chosen]
    scope = (
        f"This build measured {len(chosen)} of the {len(reproduce.names())} results. Left out "
        "here for time, and measured by `hopfield reproduce --quick` or a full build of these "
        "pages: " + ", ".join(f"`{name}`" for name in left_out) + ".\n"
        if left_out
        else f"This build measured all {len(chosen)} results.\n"
    )
    _write(out.parent / "reproduce-scope.md", scope)
    # The suite is slow: a report measured by an earlier build of the same sources is kept.
    stamp, key = out / "sources.txt", f"{_sources_digest()} {' '.join(chosen)}"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        return
    shutil.rmtree(out, ignore_errors=True)
    reproduce.run(quick=True, out=out, only=chosen, progress=False)
    stamp.write_text(key, encoding="utf-8")


def _sources_digest() -> str:
    """A digest of the package's sources: a report measured from other code is measured again."""
    package = Path(importlib.import_module("hopfield").__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def benchmarks_page(path: Path, results: Path) -> None:
    """The last local benchmark table, or a line saying there is none."""
    if results.is_file():
        body = results.read_text(encoding="utf-8")
        text = (
            "The table of the last `python -m benchmarks` run on the machine that built this "
            "page (`benchmarks/results/results.md`), as it wrote it:\n\n" + body
        )
    else:
        text = (
            "*No local benchmark run was found when this page was built: run "
            "`python -m benchmarks` (or `python -m benchmarks --quick`) from the repository "
            "root, then build the documentation again to see your machine's table here.*\n"
        )
    _write(path, text)


def _help(*args: str) -> str:
    """What ``hopfield ARGS --help`` prints, at a fixed width and without colour."""
    env = {**os.environ, "COLUMNS": "96", "NO_COLOR": "1", "TERM": "dumb"}
    code = "from hopfield.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return done.stdout.rstrip()


def cli_page(path: Path) -> None:
    """Every command's help text, one section each."""
    import typer.main

    from hopfield.cli import app

    group = typer.main.get_command(app)
    parts = ["## `hopfield`", "", "```text", _help(), "```", ""]
    for name in group.list_commands(None):
        parts += [f"## `hopfield {name}`", "", "```text", _help(name), "```", ""]
    _write(path, "\n".join(parts))

"""Every public name has a numpydoc docstring that passes numpydoc's validation.

The public surface is what the API reference documents (``docs/_public.py``, read by both
``docs/conf.py`` and this test): every name in ``__all__`` of every public module, and the public
methods and properties those classes define. The checks are numpydoc's (``numpydoc.validate``)
less the ones the house does not ask for (``IGNORED``); functions and classes must also carry an
Examples section, which ``tests/test_analysis_io.py::test_docstring_examples_run`` runs as a
doctest.
"""

from __future__ import annotations

import pathlib
import sys

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))
from _public import IGNORED, public_objects  # noqa: E402  (docs/_public.py: the one list)


def problems(qualified: str, needs_examples: bool) -> list[str]:
    result = numpydoc_validate.validate(qualified)
    found = [f"{code} {msg}" for code, msg in result["errors"] if code not in IGNORED]
    if not needs_examples:
        found = [p for p in found if not p.startswith("EX01")]
    return found


def test_the_public_surface_is_large():
    # Guards the walk itself: an import mistake must not make the next test vacuous.
    assert sum(1 for _ in public_objects()) > 200


def test_public_docstrings_pass_numpydoc_validation():
    failures = {}
    for qualified, _, top_level in public_objects():
        found = problems(qualified, needs_examples=top_level)
        if found:
            failures[qualified] = found
    report = "\n".join(f"{name}: {'; '.join(p)}" for name, p in sorted(failures.items()))
    assert not failures, f"{len(failures)} docstrings fail numpydoc validation:\n{report}"


GOOGLE_HEADINGS = (
    "Args:",
    "Arguments:",
    "Shapes:",
    "Returns:",
    "Raises:",
    "Yields:",
    "Examples:",
    "Example:",
    "References:",
    "Attributes:",
    "Note:",
    "Notes:",
)


def test_no_google_style_sections_remain():
    # numpydoc headings are underlined; "Args:" and friends render as plain paragraphs.
    import ast

    import hopfield

    found = []
    for path in sorted(pathlib.Path(hopfield.__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
            if not isinstance(node, kinds):
                continue
            doc = ast.get_docstring(node)
            for line in (doc or "").splitlines():
                stripped = line.strip()
                if stripped in GOOGLE_HEADINGS or stripped.startswith("Attributes (set by"):
                    found.append(f"{path.name}:{getattr(node, 'name', '<module>')}: {stripped}")
    assert not found, "Google-style sections:\n" + "\n".join(found)


def test_module_docstrings_have_only_sections_numpydoc_knows():
    # numpydoc drops the text under a heading it does not know ("Updates", "Tensors", ...),
    # with only a Python warning: the page would silently lose it.
    import importlib
    import pkgutil
    import warnings

    from numpydoc.docscrape import NumpyDocString

    import hopfield

    dropped = []
    for info in pkgutil.walk_packages(hopfield.__path__, "hopfield."):
        doc = importlib.import_module(info.name).__doc__ or ""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            NumpyDocString(doc)
        dropped += [f"{info.name}: {w.message}" for w in caught if "section" in str(w.message)]
    assert not dropped, "\n".join(dropped)

"""Every public name has a numpydoc docstring that passes numpydoc's validation.

The public surface is what the API reference documents (``docs/conf.py`` builds its pages from
the same list): every name in ``__all__`` of every public module, and the public methods and
properties those classes define. The checks are numpydoc's (``numpydoc.validate``) less the
ones the house does not ask for (``IGNORED``); functions and classes must also carry an
Examples section, which ``test_docstring_examples_run`` runs as a doctest.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

# The modules whose ``__all__`` is the public API (the command line and the web page are
# documented by their own pages; ``kernels`` is internal).
MODULES = (
    "hopfield",
    "hopfield.analysis",
    "hopfield.classifier",
    "hopfield.contract",
    "hopfield.datasets",
    "hopfield.dynamics",
    "hopfield.encoders",
    "hopfield.experiments",
    "hopfield.functions",
    "hopfield.io",
    "hopfield.lagrangians",
    "hopfield.landscape",
    "hopfield.models",
    "hopfield.nn",
    "hopfield.nn.functional",
    "hopfield.patterns",
    "hopfield.plot",
    "hopfield.recall",
    "hopfield.reproduce",
    "hopfield.rules",
    "hopfield.separation",
    "hopfield.traces",
    "hopfield.web",
)

# GL01/GL02: where the text starts and ends relative to the quotes (house style: the summary on
# the opening line); SA01 See Also and ES01 an extended summary are welcome, not required.
IGNORED = {"GL01", "GL02", "SA01", "ES01"}


def public_objects():
    """(qualified name, object, is a function or class) for the whole public surface, once each."""
    seen: set[int] = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        # The package's own list leaves out names that need extras; the reference has them all.
        names = list(module._NAMES) if module_name == "hopfield" else module.__all__
        for name in names:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not (inspect.isclass(obj) or callable(obj)):
                continue  # constants and submodules are documented by their module
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            yield f"{module_name}.{name}", obj, True
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(value, (property, staticmethod, classmethod)) or inspect.isfunction(value):
                        yield f"{module_name}.{name}.{attr}", value, False


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


GOOGLE_HEADINGS = ("Args:", "Arguments:", "Shapes:", "Returns:", "Raises:", "Yields:",
                   "Examples:", "Example:", "References:", "Attributes:", "Note:", "Notes:")


def test_no_google_style_sections_remain():
    # numpydoc headings are underlined; "Args:" and friends render as plain paragraphs.
    import ast
    import pathlib

    import hopfield

    found = []
    for path in sorted(pathlib.Path(hopfield.__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            doc = ast.get_docstring(node)
            for line in (doc or "").splitlines():
                stripped = line.strip()
                if stripped in GOOGLE_HEADINGS or stripped.startswith("Attributes (set by"):
                    found.append(f"{path.name}:{getattr(node, 'name', '<module>')}: {stripped}")
    assert not found, "Google-style sections:\n" + "\n".join(found)

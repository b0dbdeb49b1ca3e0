"""The public API, defined once: what the API reference documents and the docstring test checks.

Every name in ``__all__`` of the modules below is public (for the package itself: every name it
re-exports, those needing extras included), and each object is documented once, at its shortest
public path: ``hopfield.Hopfield``, not ``hopfield.models.Hopfield``.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator

# The command line and the web page are documented by their own pages; ``kernels`` is internal.
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

# numpydoc's checks the house does not ask for. GL01/GL02: where the text starts and ends
# relative to the quotes (house style: the summary on the opening line); SA01 See Also and ES01
# an extended summary are welcome, not required; EX01 (Examples) is required of functions and
# classes but not of every method and property, which numpydoc cannot tell apart, so the
# docstring test checks it for those.
IGNORED = frozenset({"GL01", "GL02", "SA01", "ES01"})
SPHINX_IGNORED = IGNORED | {"EX01"}


def names(module_name: str) -> list[str]:
    """The public names of one module."""
    module = importlib.import_module(module_name)
    if module_name == "hopfield":  # its __all__ leaves out what needs extras; the reference has all
        return list(module._NAMES)
    return list(module.__all__)


def documented(obj) -> bool:
    """Whether an object gets a page of its own (functions and classes; not data or modules)."""
    return not inspect.ismodule(obj) and (inspect.isclass(obj) or callable(obj))


def canonical() -> dict[int, str]:
    """``id(object) -> the one qualified name it is documented under``, for every public object."""
    found: dict[int, str] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in names(module_name):
            obj = getattr(module, name)
            if documented(obj):
                found.setdefault(id(obj), f"{module_name}.{name}")
    return found


def public_objects() -> Iterator[tuple[str, object, bool]]:
    """(qualified name, object, is a function or class) for the whole surface, once each.

    Classes bring the public methods and properties they define themselves.
    """
    for qualified in canonical().values():
        module_name, _, name = qualified.rpartition(".")
        obj = getattr(importlib.import_module(module_name), name)
        yield qualified, obj, True
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if isinstance(value, (property, staticmethod, classmethod)) or inspect.isfunction(
                    value
                ):
                    yield f"{qualified}.{attr}", value, False

"""Save and load models: one ``.npz`` file, written atomically, with a format version.

A file holds a JSON header (format name, version, model class, constructor parameters) and the
learned arrays. Nothing is pickled, so loading a file never runs code from it. Saving writes a
temporary file beside the target and renames it, so an interrupted save never leaves a
half-written file behind.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np

from ._atomic import atomic_path

FORMAT = "hopfield"
VERSION = 1
# Model name → the module that defines it, for models whose modules need optional extras.
_LAZY_MODELS = {"DenseClassifier": ".classifier"}


def save(model, path) -> Path:
    """Save a stored model to ``path`` (``.npz`` is appended if missing); returns the path.

    Examples:
        >>> import tempfile, pathlib, hopfield as hf
        >>> net = hf.Hopfield().store(hf.patterns.random(3, 16, rng=0))
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = hf.save(net, pathlib.Path(d) / "net")
        ...     bool((hf.load(p).weights == net.weights).all())
        True
    """
    if not hasattr(model, "_state"):
        raise TypeError(f"model: {type(model).__name__} cannot be saved")
    params, arrays = model._state()
    header = {"format": FORMAT, "version": VERSION, "model": type(model).__name__, "params": params}
    path = Path(os.fspath(path))
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, __header__=np.array(json.dumps(header)), **arrays)
    return path


def load(path):
    """Load a model saved by :func:`save`, checking its format, version and array shapes."""
    from .models import MODELS

    path = Path(os.fspath(path))
    try:
        with np.load(path, allow_pickle=False) as data:
            contents = {k: data[k] for k in data.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise ValueError(
            f"path: {path} is not a hopfield model file (not an .npz archive of plain arrays)"
        ) from None
    try:
        header = json.loads(str(contents.pop("__header__")))
        fmt, version, name = header["format"], header["version"], header["model"]
        params = header["params"]
    except (KeyError, TypeError, json.JSONDecodeError):
        raise ValueError(f"path: {path} is not a hopfield model file (no valid header)") from None
    if fmt != FORMAT:
        raise ValueError(f"path: {path} has format {fmt!r}, expected {FORMAT!r}")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise ValueError(
            f"path: {path} has format version {version}; this hopfield reads up to {VERSION}: "
            "upgrade hopfield to load it"
        )
    if name in _LAZY_MODELS:  # models that need optional extras, imported only when loaded
        import importlib

        cls = getattr(importlib.import_module(_LAZY_MODELS[name], __package__), name)
    elif name in MODELS:
        cls = MODELS[name]
    else:
        raise ValueError(f"path: {path} holds an unknown model {name!r}")
    return cls._from_state(params, contents, source=str(path))

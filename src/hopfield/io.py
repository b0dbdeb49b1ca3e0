"""Save and load models: one ``.npz`` file, written atomically, with a format version.

A file holds a JSON header (format name ``FORMAT``, version ``VERSION``, model class,
constructor parameters) and the learned arrays. Nothing is pickled, so loading a file never
runs code from it. Saving writes a temporary file beside the target and renames it, so an
interrupted save never leaves a half-written file behind. :func:`hopfield.save` and
:func:`hopfield.load` are the two functions; they are also reachable as ``hopfield.io.save``
and ``hopfield.io.load``.

Examples
--------
>>> import tempfile, pathlib
>>> import hopfield as hf
>>> net = hf.Hopfield().store(hf.patterns.random(3, 16, rng=0))
>>> with tempfile.TemporaryDirectory() as d:
...     path = hf.io.save(net, pathlib.Path(d) / "net")
...     path.name, hf.io.load(path)
('net.npz', Hopfield(rule=..., N=16, K=3))
"""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ._atomic import atomic_path

__all__ = ["FORMAT", "VERSION", "load", "save"]

FORMAT = "hopfield"
VERSION = 1
# Model name → the module that defines it, for models whose modules need optional extras.
_LAZY_MODELS = {"DenseClassifier": ".classifier"}


class ModelFileError(ValueError):
    """A file that :func:`hopfield.load` cannot read as a hopfield model.

    A ``ValueError``; the message starts with ``path: <the file>`` and says why.
    """


def save(model, path) -> Path:
    """Save a stored model to one ``.npz`` file, atomically.

    The file holds the model's class, its constructor parameters and its learned arrays (NumPy
    arrays, also for a model stored from tensors); nothing is pickled. It is written to a
    temporary file beside ``path`` and renamed, so an interrupted save leaves no half-written
    file, and an existing file is replaced only whole.

    Parameters
    ----------
    model : Memory
        A model that has stored something (any model of the library, or a fitted
        :class:`hopfield.DenseClassifier`).
    path : str or os.PathLike
        Where to write; ``.npz`` is appended if the name does not end with it. The folder
        must exist.

    Returns
    -------
    pathlib.Path
        The path written, with its ``.npz``.

    Raises
    ------
    TypeError
        When ``model`` cannot be saved.
    RuntimeError
        When the model stores nothing yet (an unfitted :class:`hopfield.DenseClassifier`
        raises scikit-learn's ``NotFittedError`` instead).
    FileNotFoundError
        When the folder of ``path`` does not exist.
    PermissionError
        When ``path`` is a read-only file.

    See Also
    --------
    hopfield.load : Read the file back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import hopfield as hf
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
    """Load a model saved by :func:`hopfield.save`, checking its format, version and shapes.

    Every array's declared size is checked against the file before anything is allocated, and
    every record against the model's own rules. Nothing is unpickled.

    Parameters
    ----------
    path : str or os.PathLike
        The file; it may leave out the ``.npz`` that :func:`hopfield.save` appends.

    Returns
    -------
    Memory
        The model, of the class that was saved, as it was when saved (NumPy arrays).

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ValueError
        Anything else that keeps the file from loading (not an ``.npz`` of plain arrays, a
        missing or damaged header, another format, a newer version, an unknown model, a
        damaged record); the message names the file and the reason.

    See Also
    --------
    hopfield.save : Write a model to a file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import hopfield as hf
    >>> X = hf.patterns.random(3, 16, rng=0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     hf.save(hf.Hopfield().store(X), pathlib.Path(d) / "net")
    ...     net = hf.load(pathlib.Path(d) / "net")        # ".npz" may be left out
    PosixPath('.../net.npz')
    >>> net
    Hopfield(rule=..., N=16, K=3)
    """
    from .models import MODELS

    path = Path(os.fspath(path))
    if not path.exists() and path.suffix != ".npz" and path.with_name(path.name + ".npz").exists():
        path = path.with_name(path.name + ".npz")
    if not path.exists():
        raise FileNotFoundError(f"path: no such file: {path}")
    try:
        contents = _read_arrays(path)
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, OSError, EOFError,
            NotImplementedError, RuntimeError, TypeError, KeyError) as err:  # fmt: skip
        # NotImplementedError: an unknown compression; RuntimeError: an encrypted member.
        raise ModelFileError(
            f"path: {path} is not a hopfield model file (not an .npz archive of plain arrays: "
            f"{type(err).__name__}: {err})"
        ) from None
    try:
        header = json.loads(str(contents.pop("__header__")))
        fmt, version, name = header["format"], header["version"], header["model"]
        params = header["params"]
    except (KeyError, TypeError, ValueError):
        raise ModelFileError(
            f"path: {path} is not a hopfield model file (no valid header)"
        ) from None
    if fmt != FORMAT:
        raise ModelFileError(f"path: {path} has format {fmt!r}, expected {FORMAT!r}")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise ModelFileError(
            f"path: {path} has format version {version}; this hopfield reads up to {VERSION}: "
            "upgrade hopfield to load it"
        )
    if not isinstance(name, str) or name not in {*MODELS, *_LAZY_MODELS}:
        raise ModelFileError(f"path: {path} holds an unknown model {name!r}")
    if not isinstance(params, dict):
        raise ModelFileError(f"path: {path} has a damaged {name} record (params is not a dict)")
    if name in _LAZY_MODELS:  # models that need optional extras, imported only when loaded
        import importlib

        cls = getattr(importlib.import_module(_LAZY_MODELS[name], __package__), name)
    else:
        cls = MODELS[name]
    try:
        return cls._from_state(params, contents, source=str(path))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as err:
        text = str(err)
        if not text.startswith(f"path: {path}"):  # a check that names its own argument
            text = f"path: {path} has a damaged {name} record ({text})"
        raise ModelFileError(text) from None


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Read every member of the archive as an array, each header checked before it is read.

    Parameters
    ----------
    path : pathlib.Path
        The ``.npz`` file.

    Returns
    -------
    dict of str to ndarray
        The arrays by member name, without ``.npy``.

    Raises
    ------
    ModelFileError
        When a member is not an array, holds Python objects, or declares more data than it
        holds.
    ValueError
        When a member has an unknown ``.npy`` version.
    """
    contents = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                raise ModelFileError(
                    f"path: {path} has a member {info.filename!r} that is no array"
                )
            with archive.open(info) as f:
                version = np.lib.format.read_magic(f)
                read_header = {
                    (1, 0): np.lib.format.read_array_header_1_0,
                    (2, 0): np.lib.format.read_array_header_2_0,
                }.get(version)
                if read_header is None:
                    raise ValueError(f"unknown .npy version {version}")
                shape, _, dtype = read_header(f)
                if dtype.hasobject:
                    raise ModelFileError(f"path: {path} holds Python objects, which load refuses")
                size = math.prod(shape) * dtype.itemsize
                if size > info.file_size:
                    raise ModelFileError(
                        f"path: {path}: member {info.filename!r} declares a {shape} {dtype} array "
                        f"({size / 2**30:.3g} GiB) but holds {info.file_size} bytes"
                    )
            with archive.open(info) as f:
                contents[info.filename[:-4]] = np.lib.format.read_array(f, allow_pickle=False)
    return contents

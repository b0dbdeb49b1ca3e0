"""Atomic writes: a file appears whole under its name, or not at all."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write; on success it replaces ``path``.

    ``path``'s folder must exist (``FileNotFoundError`` naming it otherwise).

    The temporary file keeps ``path``'s suffix (writers such as matplotlib pick the format by
    it), is flushed to disk, gets the permissions a plain ``open`` would give, then is renamed
    over ``path``. On any error it is removed and ``path`` is left as it was.
    """
    path = Path(os.fspath(path))
    if not path.parent.is_dir():
        # A mistyped folder should not silently become a new tree of folders.
        why = "no such folder; create it first (hopfield creates none)"
        raise FileNotFoundError(errno.ENOENT, why, str(path.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); results are meant to be read like any file.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; returns the path."""
    path = Path(os.fspath(path))
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path

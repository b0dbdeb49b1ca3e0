"""Atomic writes: a file appears whole under its name, or not at all."""

from __future__ import annotations

import errno
import glob
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    """Return the process's file-creation mask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write; on success it replaces ``path``.

    The temporary file keeps ``path``'s suffix (writers such as matplotlib pick the format by
    it) and is named ``.<name>.<pid>.<random><suffix>``; it is flushed to disk, given the
    permissions of the file it replaces (or those a plain ``open`` would give a new file),
    then renamed over ``path``. On any error it is removed and ``path`` is left as it was.
    Temporary files of the same target left by processes that died mid-write (``kill -9``)
    are removed first.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write; its folder must exist.

    Yields
    ------
    pathlib.Path
        The temporary file to write to.

    Raises
    ------
    FileNotFoundError
        When ``path``'s folder does not exist (the error names it).
    IsADirectoryError
        When ``path`` exists and is not a file.
    PermissionError
        When ``path`` is a file the user may not write: it is not replaced.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from hopfield._atomic import atomic_path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     target = pathlib.Path(d) / "out.txt"
    ...     with atomic_path(target) as tmp:
    ...         _ = tmp.write_text("done")
    ...     target.read_text()
    'done'
    """
    path = Path(os.fspath(path))
    if not path.parent.is_dir():
        # A mistyped folder should not silently become a new tree of folders.
        why = "no such folder; create it first (hopfield creates none)"
        raise FileNotFoundError(errno.ENOENT, why, str(path.parent))
    mode = 0o666 & ~_umask()
    if path.exists():
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(f"path: {path} exists and is not a file")
        # os.access is True for root whatever the mode: a file without write bits is read-only.
        if not os.access(path, os.W_OK) or not info.st_mode & 0o222:
            raise PermissionError(f"path: {path} is read-only; refusing to replace it")
        mode = stat.S_IMODE(info.st_mode)
    _remove_stale(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=path.suffix, dir=path.parent
    )
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600): give it the mode of what it replaces.
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale(path: Path) -> None:
    """Remove ``path``'s temporary files whose writing process no longer exists.

    Parameters
    ----------
    path : pathlib.Path
        The target whose ``.<name>.<pid>.*`` temporaries are looked for beside it.
    """
    prefix = f".{path.name}."
    for entry in path.parent.glob(glob.escape(prefix) + "*"):
        pid = entry.name[len(prefix) :].partition(".")[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Return whether process ``pid`` may still exist (True when the platform cannot tell)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a platform that cannot tell: keep its file
    return True


def write_text(path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write; its folder must exist.
    text : str
        The contents.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(os.fspath(path))
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path

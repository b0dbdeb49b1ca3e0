"""Tell whether the caller is a script's top-level code outside ``if __name__ == "__main__":``.

Process pools here start their workers with ``spawn``: each worker imports the main script
again (as ``__mp_main__``) before it takes work. A sweep called at a script's top level, not
under the guard, would run again in every worker, which Python stops with a bootstrapping
``RuntimeError`` in the worker and a ``BrokenProcessPool`` in the script. This finds that case
before any process starts, so the caller can say what to add.
"""

from __future__ import annotations

import ast
import functools
import sys

__all__ = ["unguarded_call"]


def unguarded_call() -> tuple[str, int] | None:
    """Find the main script's top-level line that led here, if it is outside the guard.

    Returns
    -------
    tuple of (str, int) or None
        ``(script path, line)`` when that line is not under ``if __name__ == "__main__":``;
        None otherwise (including the interpreter's prompt, ``python -c``, a notebook, a
        script that cannot be read, or a call from a guarded line).
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is None:  # the prompt, -c, stdin, a notebook: workers import nothing again
        return None
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals is vars(main):
            line = frame.f_lineno
            try:
                guarded = _guarded_lines(path)
            except (OSError, SyntaxError, ValueError):
                return None  # cannot read the script: assume the best
            return None if any(a <= line <= b for a, b in guarded) else (path, line)
        frame = frame.f_back
    return None


@functools.lru_cache(maxsize=8)
def _guarded_lines(path: str) -> tuple[tuple[int, int], ...]:
    """Return the line ranges of the bodies of top-level ``if __name__ == "__main__":`` blocks."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    ranges = []
    for node in tree.body:
        if isinstance(node, ast.If) and _is_main_test(node.test):
            ranges.append((node.body[0].lineno, node.body[-1].end_lineno or node.lineno))
    return tuple(ranges)


def _is_main_test(test: ast.expr) -> bool:
    """Tell whether ``test`` is ``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    values = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and values == ["__main__"]

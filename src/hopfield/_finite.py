"""One check that a computation did not overflow: a NaN or ±inf result raises, never returns.

Models call ``check`` on what they are about to return; the message names the parameters whose
size caused the overflow, so the caller knows what to change.
"""

from __future__ import annotations

import numpy as np

from . import _backend


def check(what: str, *arrays, cause: str) -> None:
    """Raise ``FloatingPointError`` if any of ``arrays`` holds NaN or ±inf.

    Parameters
    ----------
    what : str
        The computation, e.g. ``"ModernHopfield.recall"``.
    *arrays : ndarray, torch.Tensor or None
        Its results: NumPy arrays or tensors (checked on their device); None is skipped.
    cause : str
        What to change, e.g. ``"beta=1e+39 with float32 memories"``.

    Raises
    ------
    FloatingPointError
        When an array holds NaN or ±inf; the message names ``what`` and ``cause``.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield._finite import check
    >>> check("f", np.ones(3), cause="x")
    >>> check("f", np.array([1.0, np.inf]), cause="beta=1e+39")
    Traceback (most recent call last):
    ...
    FloatingPointError: f overflowed (a result is NaN or infinite): beta=1e+39
    """
    for a in arrays:
        if a is None:
            continue
        if _backend.is_tensor(a):
            import torch

            finite = bool(torch.isfinite(a.detach()).all())
        else:
            finite = bool(np.all(np.isfinite(a)))
        if not finite:
            raise FloatingPointError(f"{what} overflowed (a result is NaN or infinite): {cause}")

"""Make, corrupt and encode patterns.

Binary patterns are ``int8`` arrays of ±1 with one pattern per row, shape (K, N). A 0 marks
an unknown bit in a cue (see :func:`hopfield.patterns.mask`); models complete it during recall.
Every function that draws at random takes ``rng``: an int seed, a ``numpy.random.Generator``
or None (fresh entropy).
"""

from __future__ import annotations

import numpy as np

from . import _validation as v
from ._validation import RngLike

__all__ = ["random", "biased", "correlated", "flip", "mask", "binarize", "to_images", "sparse"]


def _shape(k: int, n: int) -> tuple[int, int]:
    return v.integer("k", k, minimum=1), v.integer("n", n, minimum=1)


def random(k: int, n: int, rng: RngLike = None) -> np.ndarray:
    """Draw unbiased random ±1 patterns: each bit is +1 or -1 with probability 1/2.

    Parameters
    ----------
    k : int
        Number of patterns, at least 1.
    n : int
        Number of neurons (bits per pattern), at least 1.
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator``.

    Returns
    -------
    ndarray of shape (k, n)
        The patterns, ``int8`` with values ±1.

    Raises
    ------
    ValueError
        When ``k`` or ``n`` is below 1.

    See Also
    --------
    hopfield.patterns.biased : Bits that are +1 with another probability than 1/2.

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(3, 8, rng=0)
    >>> X.shape, X.dtype, sorted(set(X.ravel().tolist()))
    ((3, 8), dtype('int8'), [-1, 1])
    """
    k, n = _shape(k, n)
    return biased(k, n, 0.5, rng)


def biased(k: int, n: int, p: float, rng: RngLike = None) -> np.ndarray:
    """Draw random ±1 patterns whose bits are +1 with probability ``p``.

    Parameters
    ----------
    k : int
        Number of patterns, at least 1.
    n : int
        Number of neurons, at least 1.
    p : float
        Probability of +1 for every bit, in [0, 1]; the mean activity is ``2p - 1``.
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator``.

    Returns
    -------
    ndarray of shape (k, n)
        The patterns, ``int8`` with values ±1.

    Raises
    ------
    ValueError
        When ``k`` or ``n`` is below 1 or ``p`` is outside [0, 1].

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.biased(200, 500, 0.9, rng=0)
    >>> round(float((X == 1).mean()), 2)
    0.9
    """
    k, n = _shape(k, n)
    p = v.fraction("p", p)
    gen = v.as_rng(rng)
    return np.where(gen.random((k, n)) < p, 1, -1).astype(np.int8)


def correlated(k: int, n: int, overlap: float, rng: RngLike = None, *, parent=None) -> np.ndarray:
    """Draw a family of patterns scattered around one parent pattern.

    Each bit of each child equals the parent's bit with probability ``(1 + overlap) / 2``,
    so a child's expected overlap with the parent is ``overlap`` and two children overlap
    by ``overlap**2`` on average.

    Parameters
    ----------
    k : int
        Number of children, at least 1.
    n : int
        Number of neurons, at least 1.
    overlap : float
        Expected overlap ξ·parent/N with the parent, in [0, 1].
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator``.
    parent : array_like of shape (n,), optional
        The ±1 parent pattern; drawn at random when omitted.

    Returns
    -------
    ndarray of shape (k, n)
        The children, ``int8`` with values ±1.

    Raises
    ------
    ValueError
        When ``k`` or ``n`` is below 1, ``overlap`` is outside [0, 1], or ``parent`` is not
        a ±1 vector of length ``n``.

    Examples
    --------
    >>> import numpy as np, hopfield as hf
    >>> X = hf.patterns.correlated(50, 1000, 0.6, rng=0)
    >>> m = hf.overlap(X, X)[~np.eye(50, dtype=bool)]
    >>> bool(abs(m.mean() - 0.36) < 0.02)
    True
    """
    k, n = _shape(k, n)
    overlap = v.fraction("overlap", overlap)
    gen = v.as_rng(rng)
    if parent is None:
        parent = random(1, n, gen)[0]
    else:
        parent = v.bipolar("parent", parent, ndim=(1,))
        v.width("parent", parent, n)
    keep = gen.random((k, n)) < (1.0 + overlap) / 2.0
    return np.where(keep, parent, -parent).astype(np.int8)


def flip(x, fraction: float, rng: RngLike = None) -> np.ndarray:
    """Flip exactly ``round(fraction * N)`` bits, chosen at random, in every row.

    Parameters
    ----------
    x : array_like of shape (B, N) or (N,)
        ±1 pattern(s).
    fraction : float
        Share of bits to flip, in [0, 1].
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator``.

    Returns
    -------
    ndarray
        A flipped copy, ``int8`` of the same shape as ``x``.

    Raises
    ------
    ValueError
        When ``x`` is not ±1 or ``fraction`` is outside [0, 1].

    Examples
    --------
    >>> import hopfield as hf
    >>> x = hf.patterns.random(1, 100, rng=0)[0]
    >>> int((hf.patterns.flip(x, 0.2, rng=1) != x).sum())
    20
    """
    arr = v.bipolar("x", x)
    fraction = v.fraction("fraction", fraction)
    rows = np.atleast_2d(arr).copy()
    idx = _choose_bits(rows.shape, fraction, v.as_rng(rng))
    np.negative.at(rows, (np.arange(rows.shape[0])[:, None], idx))
    return rows.reshape(arr.shape)


def mask(x, fraction: float, rng: RngLike = None, *, contiguous: bool = False) -> np.ndarray:
    """Hide ``round(fraction * N)`` bits of every row by setting them to 0 (unknown).

    Parameters
    ----------
    x : array_like of shape (B, N) or (N,)
        ±1 pattern(s).
    fraction : float
        Share of bits to hide, in [0, 1].
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator``.
    contiguous : bool, default False
        Hide one contiguous run of bits at a random place instead of scattered bits; for
        images stored row by row this is a horizontal band.

    Returns
    -------
    ndarray
        A masked copy, ``int8`` of the same shape as ``x``, with values in {-1, 0, 1}.

    Raises
    ------
    ValueError
        When ``x`` is not ±1 or ``fraction`` is outside [0, 1].

    Examples
    --------
    >>> import hopfield as hf
    >>> x = hf.patterns.random(1, 10, rng=0)[0]
    >>> int((hf.patterns.mask(x, 0.5, rng=1) == 0).sum())
    5
    """
    arr = v.bipolar("x", x)
    fraction = v.fraction("fraction", fraction)
    rows = np.atleast_2d(arr).copy()
    b, n = rows.shape
    gen = v.as_rng(rng)
    if v.flag("contiguous", contiguous):
        count = int(round(fraction * n))
        start = gen.integers(0, n - count + 1, size=(b, 1))
        idx = start + np.arange(count)
    else:
        idx = _choose_bits(rows.shape, fraction, gen)
    rows[np.arange(b)[:, None], idx] = 0
    return rows.reshape(arr.shape)


def _choose_bits(shape: tuple[int, int], fraction: float, gen: np.random.Generator):
    """Return indices of ``round(fraction * n)`` distinct bits per row, (B, count)."""
    b, n = shape
    count = int(round(fraction * n))
    # argpartition of uniform keys draws a uniformly random subset per row without a loop.
    keys = gen.random((b, n))
    if count == 0:
        return np.empty((b, 0), dtype=np.intp)
    return np.argpartition(keys, count - 1, axis=1)[:, :count]


def binarize(images, threshold: float | None = None) -> np.ndarray:
    """Turn grey-level or 0/1 data into ±1, keeping its shape.

    Parameters
    ----------
    images : array_like of shape (N,), (H, W) or (B, H, W)
        A vector, one image, or a stack of images.
    threshold : float, optional
        Values above it become +1, the rest -1. By default the mean of each image of a stack
        (of the whole array otherwise), so every image that is not constant keeps both
        colours (a constant image becomes all -1).

    Returns
    -------
    ndarray
        ``int8`` ±1 of the same shape as ``images``; flatten a stack with ``.reshape(B, -1)``.

    Raises
    ------
    ValueError
        When ``images`` has another number of dimensions, or ``threshold`` is not a finite
        number.

    Examples
    --------
    >>> import numpy as np, hopfield as hf
    >>> hf.patterns.binarize(np.array([[0.0, 1.0], [0.2, 0.9]]))
    array([[-1,  1],
           [-1,  1]], dtype=int8)
    """
    arr = v.real_array("images", images, ndim=(1, 2, 3)).astype(np.float64)
    if threshold is None:
        axes = (1, 2) if arr.ndim == 3 else None
        cut = arr.mean(axis=axes, keepdims=True)
    else:
        if isinstance(threshold, bool) or not np.isfinite(threshold):
            raise ValueError(f"threshold: expected a finite number, got {threshold!r}")
        cut = float(threshold)
    return np.where(arr > cut, 1, -1).astype(np.int8)


def to_images(states, shape: tuple[int, int]) -> np.ndarray:
    """Reshape ±1 states back into images of the given (height, width).

    Parameters
    ----------
    states : array_like of shape (B, N) or (N,)
        ±1 states, with 0 allowed for unknown bits; ``N = H * W``.
    shape : tuple of int
        The images' ``(H, W)``.

    Returns
    -------
    ndarray of shape (B, H, W) or (H, W)
        The images, (H, W) for a single state (N,).

    Raises
    ------
    TypeError
        When ``shape`` is not a pair.
    ValueError
        When ``H * W`` is not the width ``N`` of ``states``.

    Examples
    --------
    >>> import hopfield as hf
    >>> hf.patterns.to_images([1, -1, -1, 1], (2, 2))
    array([[ 1, -1],
           [-1,  1]], dtype=int8)
    """
    arr = v.bipolar("states", states, allow_zero=True)
    if not isinstance(shape, tuple | list) or len(shape) != 2:
        raise TypeError(f"shape: expected (height, width), got {shape!r}")
    h, w = (v.integer("shape", s, minimum=1) for s in shape)
    v.width("states", arr, h * w)
    return arr.reshape(arr.shape[:-1] + (h, w))


def sparse(k: int, n: int, a: float, rng: RngLike = None) -> np.ndarray:
    """Draw sparse 0/1 patterns with exactly ``round(a * n)`` active units (ones) per row.

    The active units of each row are a uniformly random subset of that size, drawn
    independently per row. A fixed count, rather than Bernoulli(a) bits, makes every pattern's
    activity exactly the coding level, which the covariance rule and a k-winners-take-all
    threshold (:class:`hopfield.SparseHopfield`) assume. These are 0/1, not ±1:
    ``2 * x - 1`` turns them into biased ±1 patterns.

    Parameters
    ----------
    k : int
        Number of patterns, at least 1.
    n : int
        Number of neurons, at least 1.
    a : float
        Coding level, the fraction of active units, in [0, 1].
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator``.

    Returns
    -------
    ndarray of shape (k, n)
        The patterns, ``int8`` with values 0 and 1.

    Raises
    ------
    ValueError
        When ``k`` or ``n`` is below 1 or ``a`` is outside [0, 1].

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.sparse(4, 100, 0.05, rng=0)
    >>> X.dtype, X.sum(axis=1).tolist()
    (dtype('int8'), [5, 5, 5, 5])
    """
    k, n = _shape(k, n)
    a = v.fraction("a", a)
    out = np.zeros((k, n), dtype=np.int8)
    idx = _choose_bits((k, n), a, v.as_rng(rng))
    out[np.arange(k)[:, None], idx] = 1
    return out

r"""Separation functions: maps from similarity scores to weights on the probability simplex.

A modern Hopfield update reads the memories with weights
:math:`p = \operatorname{sep}(\beta X \xi)`; the separation decides how sharply the
best-matching memory wins. Each separation is the gradient of a convex function of the
scores, which is what makes the update a concave-convex step that never raises the energy.

.. rubric:: softmax

.. math::

    p_\mu = \frac{\exp(z_\mu)}{\sum_\nu \exp(z_\nu)}
          = \nabla_z \log \sum_\nu \exp(z_\nu).

Dense: every memory gets some weight. :math:`\log \sum \exp(z)` is the convex conjugate of
the negative Shannon entropy on the simplex [2]_.

.. rubric:: sparsemax

.. math::

    p = \operatorname*{arg\,min}_{q \in \Delta^{K-1}} \lVert q - z \rVert^2
      = \max(z - \tau, 0), \qquad \sum_\mu p_\mu = 1.

The Euclidean projection of z onto the simplex, with the threshold τ chosen so that the
weights sum to one [1]_: exact zeros for memories that score at least 1 below the best. It is
the gradient of
:math:`\Psi^*(z) = \langle p, z \rangle - \tfrac12 \lVert p \rVert^2 + \tfrac12`
(p = sparsemax(z)), the convex conjugate of the negative Gini (Tsallis α = 2) entropy [3]_.

The module also holds the read-out :math:`\operatorname{sep}(\beta Q X^\top) R` of a memory
bank that the modern Hopfield model uses: softmax streams over chunks of memories with a
running log-sum-exp when the scores would not fit a fixed budget; sparsemax, whose threshold
needs every score of a query, works through blocks of queries instead. ``SEPARATIONS`` maps
each name to its function.

References
----------
.. [1] A. F. T. Martins and R. F. Astudillo, "From softmax to sparsemax: a sparse model of
   attention and multi-label classification", ICML (2016).
.. [2] H. Ramsauer et al., "Hopfield networks is all you need", ICLR (2021),
   arXiv:2008.02217.
.. [3] J. Y.-C. Hu et al., "On sparse modern Hopfield model",
   NeurIPS (2023).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import scipy.special

from . import _backend
from . import _validation as v

__all__ = ["SEPARATIONS", "logsumexp", "softmax", "sparsemax"]

_ANY_NDIM = tuple(range(1, 33))


def _scores(z, axis: int) -> tuple[np.ndarray, int]:
    """Check scores and an axis; return the scores as floats and the axis as an int.

    Raises
    ------
    TypeError
        When the scores are not real numbers or ``axis`` is not an int.
    ValueError
        When the scores are empty or not finite, or ``axis`` is not one of their axes.
    """
    arr = v.real_array("z", z, ndim=_ANY_NDIM)
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise TypeError(f"axis: expected an int, got {type(axis).__name__}")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis: expected an axis of a {arr.ndim}-D array, got {axis}")
    if _backend.is_tensor(arr):
        if not arr.is_floating_point():
            arr = arr.to(_backend.float_dtype(arr))
    elif not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr, int(axis)


def logsumexp(z, axis: int = -1, *, keepdims: bool = False):
    """Compute ``log Σ exp(z)`` along an axis, shifted by the maximum so that it never overflows.

    The one log-sum-exp of the library: it runs in the caller's namespace (NumPy arrays, or
    PyTorch tensors on any device, differentiable), with no input checks, so that models can
    call it on their own intermediate arrays. float16 and bfloat16 are summed in float32 and
    the result cast back. A row of −inf gives −inf (not NaN).

    Parameters
    ----------
    z : ndarray or torch.Tensor
        Real scores, any shape with at least one dimension.
    axis : int, default -1
        The axis summed over.
    keepdims : bool, default False
        Keep ``axis`` with length one.

    Returns
    -------
    ndarray or torch.Tensor
        The log-sum-exp, of the shape of ``z`` without ``axis`` (with it, of length one,
        when ``keepdims``), in ``z``'s dtype and namespace.

    See Also
    --------
    softmax : Its gradient.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.separation import logsumexp
    >>> round(float(logsumexp(np.array([1000.0, 1000.0]))) - 1000.0, 6)
    0.693147
    >>> logsumexp(np.zeros((2, 4)), axis=1).round(6)
    array([1.386294, 1.386294])
    """
    xp = _backend.namespace(z)
    work = z
    low = _low_precision(z.dtype)
    if low:
        work = xp.astype(z, xp.float32)
    m = xp.max(work, axis=axis, keepdims=True)
    # A row of -inf has no finite shift; 0 keeps it -inf instead of NaN. The shift is a
    # constant for autograd (the result does not depend on it).
    m = _constant(xp.where(xp.isfinite(m), m, xp.zeros_like(m)))
    out = m + xp.log(xp.sum(xp.exp(work - m), axis=axis, keepdims=True))
    if not keepdims:
        out = xp.squeeze(out, axis=axis)
    return xp.astype(out, z.dtype) if low else out


def _constant(a):
    """Return ``a`` cut from the autograd graph (tensors); NumPy arrays as they are."""
    return a.detach() if _backend.is_tensor(a) else a


def _low_precision(dtype) -> bool:
    """Tell whether ``dtype`` is float16 or bfloat16 (tensors only: NumPy's float16 is refused)."""
    torch = sys.modules.get("torch")
    return torch is not None and dtype in (torch.float16, torch.bfloat16)


def softmax(z, axis: int = -1) -> np.ndarray:
    """Compute the numerically stable softmax ``exp(z) / Σ exp(z)`` along an axis.

    The maximum is subtracted first, so large scores never overflow. float32 stays float32;
    integers become float64. For NumPy this is ``scipy.special.softmax`` with input checks;
    PyTorch tensors stay tensors on their device (differentiable).

    Parameters
    ----------
    z : array_like or torch.Tensor
        Real scores, any shape with at least one dimension.
    axis : int, default -1
        The axis that sums to one.

    Returns
    -------
    ndarray or torch.Tensor
        The weights, of the shape of ``z``.

    Raises
    ------
    ValueError
        When ``z`` is empty or not finite, or ``axis`` is not one of its axes.
    TypeError
        When ``z`` does not hold real numbers or ``axis`` is not an int.

    See Also
    --------
    sparsemax : The sparse alternative.
    logsumexp : Its potential, ``softmax = ∇ logsumexp``.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.separation import softmax
    >>> softmax(np.array([1000.0, 1000.0, -np.log(2) + 1000.0])).round(3)
    array([0.4, 0.4, 0.2])
    >>> softmax(np.zeros((2, 4), np.float32)).dtype
    dtype('float32')
    """
    arr, axis = _scores(z, axis)
    if _backend.is_tensor(arr):
        xp = _backend.namespace(arr)
        return xp.exp(arr - logsumexp(arr, axis=axis, keepdims=True))
    return scipy.special.softmax(arr, axis=axis)


def sparsemax(z, axis: int = -1) -> np.ndarray:
    """Compute sparsemax, the Euclidean projection of ``z`` onto the probability simplex.

    Exact and batched (sort-based, O(K log K) per vector): with ``z`` sorted in decreasing
    order, the support size is the largest k with ``1 + k z_(k) > Σ_{j≤k} z_(j)``, the
    threshold is ``τ = (Σ_{j≤k} z_(j) − 1) / k``, and ``p = max(z − τ, 0)`` [1]_. The
    threshold is found in float64 whatever the input precision (float32 on devices without
    float64); the result has the input's floating dtype. PyTorch tensors stay tensors on
    their device, differentiable almost everywhere.

    Parameters
    ----------
    z : array_like or torch.Tensor
        Real scores, any shape with at least one dimension.
    axis : int, default -1
        The axis that sums to one.

    Returns
    -------
    ndarray or torch.Tensor
        The weights, of the shape of ``z``; scores at least 1 below the best get exactly 0.

    Raises
    ------
    ValueError
        When ``z`` is empty or not finite, or ``axis`` is not one of its axes.
    TypeError
        When ``z`` does not hold real numbers or ``axis`` is not an int.

    See Also
    --------
    softmax : The dense alternative.

    References
    ----------
    .. [1] A. F. T. Martins and R. F. Astudillo, "From softmax to sparsemax: a sparse model of
       attention and multi-label classification", ICML (2016).

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.separation import sparsemax
    >>> sparsemax(np.array([1.0, 0.5, -1.0]))
    array([0.75, 0.25, 0.  ])
    >>> sparsemax(np.array([[3.0, 0.0], [0.2, 0.0]]), axis=1)
    array([[1. , 0. ],
           [0.6, 0.4]])
    """
    arr, axis = _scores(z, axis)
    if _backend.is_tensor(arr):
        from ._readout import sparsemax_last

        xp = _backend.namespace(arr)
        p = sparsemax_last(xp.moveaxis(arr, axis, -1))
        return xp.moveaxis(xp.astype(p, arr.dtype), -1, axis)
    moved = np.moveaxis(arr, axis, -1)
    p = _sparsemax64(moved)
    return np.moveaxis(p.astype(arr.dtype, copy=False), -1, axis)


def _sparsemax64(z: np.ndarray) -> np.ndarray:
    """Compute sparsemax along the last axis, no input checks, float64 out (for energies)."""
    z64 = np.asarray(z, dtype=np.float64)
    # Shift-invariant: shifting by the maximum keeps the threshold's sums exact for scores
    # beyond 2^53, where 1 + z would round to z.
    z64 = z64 - z64.max(axis=-1, keepdims=True)
    k = z64.shape[-1]
    zs = np.sort(z64, axis=-1)[..., ::-1]
    cs = np.cumsum(zs, axis=-1)
    support = 1.0 + np.arange(1, k + 1) * zs > cs
    # The support is a prefix of the sorted scores; rounding may blur its end, so take the
    # largest k that passes (the first entry always passes) as Martins & Astudillo do.
    size = k - np.argmax(support[..., ::-1], axis=-1)
    tau = (np.take_along_axis(cs, size[..., None] - 1, axis=-1) - 1.0) / size[..., None]
    return np.maximum(z64 - tau, 0.0)


SEPARATIONS = {"softmax": softmax, "sparsemax": sparsemax}


# -- reading a memory bank: sep(β Q Xᵀ) R, streamed where it can be ---------------------------
_BUDGET = 1 << 24  # score-matrix elements one read holds at once: 64 MiB in float32
_TOP = 1024  # largest weights per query the streamed read keeps for k90
_MASS = 0.9 - 1e-6  # k90's mass, less a rounding allowance so that uniform weights count exactly
_BLOCK = 256  # weights per block when k90 looks for where the running mass reaches 90%


@dataclass
class _Readout:
    """The result of a read: Ψ* of the scores, the weighted reads, and k90 and weights if asked."""

    phi: np.ndarray  # (B,) float64: Ψ*(scores), i.e. log Σ exp(scores) for softmax
    outs: list  # weights @ r for every matrix r read
    k90: np.ndarray | None = None
    weights: np.ndarray | None = None


def _chunk(b: int, k: int, chunk: int | None) -> int:
    """Return the memories per chunk of a softmax read of ``b`` queries: all K when they fit."""
    return chunk or (k if b * k <= _BUDGET else max(_BUDGET // b, _TOP))


def _block(k: int) -> int:
    """Return the queries per block of a sparsemax read (sorting holds ~4 score copies)."""
    return max(1, _BUDGET // (4 * k))


def _holds_weights(b: int, k: int, chunk: int | None, separation: str) -> bool:
    """Tell whether a read of ``b`` queries holds all b·K weights at once anyway.

    That is, it is neither streamed over memories nor blocked over queries, so returning the
    weights costs nothing extra.
    """
    if separation == "sparsemax":
        return b <= _block(k)
    return _chunk(b, k, chunk) >= k


def _read(qb, x, reads, separation, *, chunk=None, k90=False, weights=False) -> _Readout:
    """Apply the weights ``sep(qb Xᵀ)`` to every (K, ·) matrix in ``reads``; also give Ψ*.

    Softmax streams over chunks of memories when the (B, K) scores would exceed the budget (or
    ``chunk`` is given), keeping a running max, sum and weighted sums (online softmax).
    Sparsemax needs all of a query's scores for its threshold, so it blocks over queries.
    ``weights`` needs all B·K weights at once, so it turns streaming off.

    Parameters
    ----------
    qb : ndarray of shape (B, N)
        The queries, already scaled by β.
    x : ndarray of shape (K, N)
        The memories.
    reads : tuple of ndarray of shape (K, P)
        The matrices the weights read (the memories, the values, or nothing).
    separation : {"softmax", "sparsemax"}
        The separation.
    chunk : int, optional
        Memories per chunk of a softmax read; None for the budget's choice.
    k90 : bool, default False
        Also count the memories carrying 90% of each query's weight.
    weights : bool, default False
        Also return the (B, K) weights.

    Returns
    -------
    _Readout
        ``phi`` (B,) float64 Ψ* of the scores, ``outs`` the weighted reads, and ``k90`` and
        ``weights`` when asked for.
    """
    b, k = len(qb), len(x)
    if separation == "sparsemax":
        return _read_sparse(qb, x, reads, k90, weights)
    chunk = _chunk(b, k, chunk)
    if weights or chunk >= k:
        return _read_dense(qb, x, reads, k90, weights)
    return _read_streamed(qb, x, reads, chunk, k90)


def _k90(w: np.ndarray, k: int) -> np.ndarray:
    """Count the memories carrying 90% of the mass, from normalised weights (all K or a top few).

    Exact, and cheaper than sorting every row: weights under 0.1/K add up to less than 0.1, so
    the 90% set lies among the larger ones. A row with one such weight needs nothing more (it
    carries over 0.9); the others are cut to their largest ``c`` weights by a partial selection
    when that is well under the row, and only those are sorted. With only the top few of K
    weights kept (streaming) and all of them counting, k90 is beyond them: −1.
    """
    b, width = w.shape
    counts = np.count_nonzero(w >= 0.1 / k, axis=1)
    out = np.ones(b, dtype=np.int64)
    rows = np.flatnonzero(counts > 1)
    if rows.size == 0:
        return out
    sub = w if rows.size == b else w[rows]
    cand = int(counts[rows].max())
    if cand < width // 2:
        sub = np.partition(sub, width - cand, axis=1)[:, width - cand :]
    count = _reaching(np.sort(sub, axis=1)[:, ::-1][:, :cand], _MASS)
    out[rows] = np.where(count > cand, -1, count) if cand == width < k else np.minimum(count, cand)
    return out


def _reaching(desc: np.ndarray, mass: float) -> np.ndarray:
    """Return 1 + the count of leading entries of each descending row summing below ``mass``.

    A running sum along rows is slow in NumPy, so it runs over block sums first and then only
    inside the block where each row reaches ``mass`` (all sums in float64).
    """
    b, c = desc.shape
    if c <= _BLOCK:
        return (np.cumsum(desc, axis=1, dtype=np.float64) < mass).sum(axis=1) + 1
    upto = np.cumsum(np.add.reduceat(desc, np.arange(0, c, _BLOCK), axis=1, dtype=np.float64), 1)
    block = np.minimum((upto < mass).sum(axis=1), upto.shape[1] - 1)
    before = np.where(block > 0, upto[np.arange(b), block - 1], 0.0)
    cols = block[:, None] * _BLOCK + np.arange(_BLOCK)
    inside = np.take_along_axis(desc, np.minimum(cols, c - 1), axis=1)
    running = before[:, None] + np.cumsum(inside, axis=1, dtype=np.float64)
    return block * _BLOCK + ((running < mass) & (cols < c)).sum(axis=1) + 1


def _read_dense(qb, x, reads, k90, weights) -> _Readout:
    """Read with all (B, K) softmax weights at once."""
    s = qb @ x.T
    m = s.max(axis=1, keepdims=True)
    s -= m
    np.exp(s, out=s)
    total = s.sum(axis=1, keepdims=True)
    # Normalise the (B, P) products rather than the (B, K) weights: K is usually larger.
    outs = [s @ r for r in reads]
    for out in outs:
        out /= total
    phi = m[:, 0].astype(np.float64) + np.log(total[:, 0], dtype=np.float64)
    res = _Readout(phi, outs)
    if k90 or weights:
        s /= total
        res.k90 = _k90(s, len(x)) if k90 else None
        res.weights = s if weights else None
    return res


def _read_streamed(qb, x, reads, chunk, k90) -> _Readout:
    """Read with softmax streamed over chunks of memories (online softmax)."""
    b, k = len(qb), len(x)
    dtype = x.dtype
    m = np.full((b, 1), -np.inf, dtype=dtype)
    total = np.zeros((b, 1), dtype=np.float64)
    accs = [np.zeros((b, r.shape[1]), dtype=dtype) for r in reads]
    tmps = [np.empty_like(a) for a in accs]
    buf = np.empty(b * min(chunk, k), dtype=dtype)
    top = None  # the largest weights so far, relative to exp(m) like the running sums
    for start in range(0, k, chunk):
        xc = x[start : start + chunk]
        s = buf[: b * len(xc)].reshape(b, len(xc))
        np.matmul(qb, xc.T, out=s)
        new_m = np.maximum(m, s.max(axis=1, keepdims=True))
        alpha = np.exp(m - new_m)
        s -= new_m
        np.exp(s, out=s)
        total = total * alpha + s.sum(axis=1, keepdims=True, dtype=np.float64)
        for acc, tmp, r in zip(accs, tmps, reads, strict=True):
            acc *= alpha
            acc += np.matmul(s, r[start : start + chunk], out=tmp)
        m = new_m
        if k90:
            top = _merge_top(top, alpha, s)
    outs = [(acc / total).astype(dtype, copy=False) for acc in accs]
    phi = m[:, 0].astype(np.float64) + np.log(total[:, 0])
    return _Readout(phi, outs, k90=_k90(top / total, k) if k90 else None)


def _merge_top(top, alpha, s) -> np.ndarray:
    """Merge a chunk's weights into the largest kept so far (at most ``_TOP`` per query)."""
    # The chunk's products are done, so its weights may be reordered in place.
    if s.shape[1] > _TOP:
        s.partition(s.shape[1] - _TOP, axis=1)
        s = s[:, -_TOP:]
    if top is None:
        return s.copy()
    both = np.concatenate([top * alpha, s], axis=1)
    if both.shape[1] > _TOP:
        both.partition(both.shape[1] - _TOP, axis=1)
        both = both[:, -_TOP:]
    return np.ascontiguousarray(both)


def _read_sparse(qb, x, reads, k90, weights) -> _Readout:
    """Read with sparsemax weights, a block of queries at a time."""
    b, k = len(qb), len(x)
    block = _block(k)
    phi = np.empty(b)
    outs = [np.empty((b, r.shape[1]), dtype=x.dtype) for r in reads]
    res = _Readout(phi, outs)
    res.k90 = np.empty(b, dtype=np.int64) if k90 else None
    res.weights = np.empty((b, k), dtype=x.dtype) if weights else None
    for start in range(0, b, block):
        rows = slice(start, start + block)
        s = qb[rows] @ x.T
        p = _sparsemax64(s)
        phi[rows] = np.einsum("ij,ij->i", p, s) - 0.5 * np.einsum("ij,ij->i", p, p) + 0.5
        p_cast = p.astype(x.dtype, copy=False)
        for out, r in zip(outs, reads, strict=True):
            np.matmul(p_cast, r, out=out[rows])
        if k90:
            res.k90[rows] = _k90(p, k)
        if weights:
            res.weights[rows] = p_cast
    return res

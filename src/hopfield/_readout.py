"""The memory read-out ``sep(β Q Xᵀ) R`` in the caller's array namespace (PyTorch tensors).

The same contract as the tuned NumPy read-out in :mod:`hopfield.separation` (``_read``), written
once against the array API (``xp.matmul``, ``xp.exp``, ``xp.max``...) and against torch only
where the standard has nothing (``topk``, out-of-place row updates). It runs where the arrays
live, CPU or GPU, and builds no value in place that autograd needs, so a read-out is
differentiable with respect to the queries and every matrix read (memories, values).

Softmax streams over chunks of memories with a running maximum, sum and weighted sums (online
softmax, Milakov & Gimelshein 2018) when the (B, K) scores would exceed the budget, so K in the
millions fits on the device; sparsemax blocks over queries (its threshold needs all K scores).

Precision: scores are products in the memories' dtype; the exponentials, sums and the running
log-sum-exp are in float32 for float16 and bfloat16 (in the dtype itself for float32 and
float64), and the weights are cast back to the memories' dtype for the second product, as fused
attention kernels do. Sparsemax thresholds and k90's running mass are found in float64 (float32
on devices without float64), like the NumPy path.
"""

from __future__ import annotations

import sys

from . import _backend
from .separation import _MASS, _TOP, _block, _chunk, _constant, _low_precision, _Readout

__all__ = ["read", "k90", "sparsemax_last", "put_rows", "needs_grad", "wide_dtype", "work_dtype"]


def needs_grad(*arrays) -> bool:
    """Tell whether autograd is recording and some tensor among ``arrays`` requires a gradient."""
    torch = sys.modules.get("torch")
    if torch is None or not torch.is_grad_enabled():
        return False
    return any(_backend.is_tensor(a) and a.requires_grad for a in arrays)


def _inplace(*arrays) -> bool:
    """Tell whether intermediates may be overwritten: tensors no gradient will flow through."""
    return _backend.is_tensor(arrays[0]) and not needs_grad(*arrays)


def work_dtype(xp, dtype):
    """Return the dtype of exponentials and sums: float32 for float16/bfloat16, else ``dtype``."""
    return xp.float32 if _low_precision(dtype) else dtype


def wide_dtype(xp, a):
    """Return float64 where the device of ``a`` has it (not Apple's MPS), else float32."""
    dev = _backend.device(a)
    return xp.float32 if getattr(dev, "type", dev) == "mps" else xp.float64


def put_rows(base, idx, rows):
    """Return ``base`` with rows ``idx`` replaced by ``rows``, out of place (differentiable).

    Parameters
    ----------
    base : ndarray or torch.Tensor of shape (B, ...)
        The array whose rows are replaced; it is not modified.
    idx : ndarray or torch.Tensor of int
        The rows to replace.
    rows : ndarray or torch.Tensor of shape (len(idx), ...)
        The new rows (cast to ``base``'s dtype).

    Returns
    -------
    ndarray or torch.Tensor
        A new array of ``base``'s shape and dtype.
    """
    if _backend.is_tensor(base):
        return base.index_copy(0, idx, rows.to(base.dtype))
    out = base.copy()
    out[idx] = rows
    return out


def _largest(w, c: int):
    """Return the ``c`` largest entries of each row of ``w``, in decreasing order (no gradient)."""
    w = _constant(w)
    if _backend.is_tensor(w):
        return w.topk(c, dim=1, sorted=True).values
    xp = _backend.namespace(w)
    return xp.flip(xp.sort(w, axis=1), axis=1)[:, :c]


def k90(w, k: int):
    """Count the memories carrying 90% of the mass of each row of normalised weights ``w``.

    ``w`` holds all K weights, or only the largest few (streaming): weights under 0.1/K add
    up to less than 0.1, so the 90% set lies among those at or above it, and only that many
    are sorted. With only the top few of K kept and all of them counting, k90 is beyond them:
    −1. Same rule as the NumPy path (``hopfield.separation._k90``).

    Parameters
    ----------
    w : ndarray or torch.Tensor of shape (B, K) or (B, c)
        Normalised weights: all K of each query, or its c largest.
    k : int
        K, the number of memories.

    Returns
    -------
    ndarray or torch.Tensor of shape (B,)
        int64 counts, −1 where the kept weights do not reach 90%.
    """
    xp = _backend.namespace(w)
    w = _constant(w)
    width = w.shape[1]
    if w.shape[0] == 0:
        return xp.zeros((0,), dtype=xp.int64, device=_backend.device(w))
    counts = xp.count_nonzero(w >= 0.1 / k, axis=1)
    cand = max(1, int(xp.max(counts)))
    desc = xp.astype(_largest(w, min(cand, width)), wide_dtype(xp, w))
    reach = xp.sum(xp.astype(xp.cumulative_sum(desc, axis=1) < _MASS, xp.int64), axis=1) + 1
    if cand == width < k:
        return xp.where(reach > cand, xp.full_like(reach, -1), reach)
    return xp.clip(reach, max=cand)


def sparsemax_last(z):
    """Compute sparsemax along the last axis (sort-based, exact), threshold in float64; no checks.

    The threshold is a differentiable function of the scores, so autograd gives sparsemax's
    Jacobian.

    Parameters
    ----------
    z : torch.Tensor of shape (..., K)
        Real scores.

    Returns
    -------
    torch.Tensor of shape (..., K)
        The weights in the wide dtype (float64 where the device has it).
    """
    xp = _backend.namespace(z)
    z = xp.astype(z, wide_dtype(xp, z))
    k = z.shape[-1]
    zs = xp.sort(z, axis=-1, descending=True)
    cs = xp.cumulative_sum(zs, axis=-1)
    ks = xp.arange(1, k + 1, device=_backend.device(z))
    # The support is a prefix of the sorted scores; rounding may blur its end, so take the
    # largest k that passes (the first always does), as Martins & Astudillo do.
    support = 1.0 + xp.astype(ks, z.dtype) * _constant(zs) > _constant(cs)
    size = xp.max(xp.where(support, ks, xp.zeros_like(ks)), axis=-1, keepdims=True)
    tau = (xp.take_along_axis(cs, size - 1, axis=-1) - 1.0) / xp.astype(size, z.dtype)
    return xp.clip(z - tau, min=0.0)


def read(qb, x, reads, separation, *, chunk=None, k90=False, weights=False) -> _Readout:
    """Apply the weights ``sep(qb Xᵀ)`` to every (K, ·) matrix in ``reads``; also give Ψ*.

    The tensor counterpart of ``hopfield.separation._read``, with the same arguments.

    Parameters
    ----------
    qb : torch.Tensor of shape (B, N)
        The queries, already scaled by β.
    x : torch.Tensor of shape (K, N)
        The memories.
    reads : tuple of torch.Tensor of shape (K, P)
        The matrices the weights read (the memories, the values, or nothing).
    separation : {"softmax", "sparsemax"}
        The separation.
    chunk : int, optional
        Memories per chunk of a softmax read; None for the budget's choice.
    k90 : bool, default False
        Also count the memories carrying 90% of each query's weight.
    weights : bool, default False
        Also return the (B, K) weights (turns streaming off).

    Returns
    -------
    _Readout
        ``phi`` in the work dtype (float32 for low precision), ``outs`` in the memories'
        dtype promoted with float32 accumulation, ``k90`` int64 and ``weights`` in the
        memories' dtype, all on the memories' device.
    """
    b, k = qb.shape[0], x.shape[0]
    if separation == "sparsemax":
        return _read_sparse(qb, x, reads, k90, weights)
    size = _chunk(b, k, chunk)
    if weights or size >= k:
        return _read_dense(qb, x, reads, k90, weights)
    return _read_streamed(qb, x, reads, size, k90)


def _read_dense(qb, x, reads, want_k90, want_weights) -> _Readout:
    """Read with all (B, K) softmax weights at once."""
    xp = _backend.namespace(qb, x)
    work = work_dtype(xp, x.dtype)
    inplace = _inplace(qb, x, *reads)
    s = xp.matmul(qb, x.T)
    if s.dtype != work:
        s = xp.astype(s, work)
    m = _constant(xp.max(s, axis=1, keepdims=True))
    e = s.sub_(m).exp_() if inplace else xp.exp(s - m)
    total = xp.sum(e, axis=1, keepdims=True)
    ew = e if e.dtype == x.dtype else xp.astype(e, x.dtype)
    # Normalise the (B, P) products rather than the (B, K) weights: K is usually larger.
    outs = [_scaled(xp, xp.matmul(ew, r), total, x.dtype) for r in reads]
    res = _Readout(m[:, 0] + xp.log(total[:, 0]), outs)
    if want_k90 or want_weights:
        p = e.div_(total) if inplace else e / total
        res.k90 = k90(p, k=x.shape[0]) if want_k90 else None
        res.weights = xp.astype(p, x.dtype) if want_weights else None
    return res


def _scaled(xp, prod, total, dtype):
    """Return ``prod / total`` with the division in the work dtype, cast to ``dtype``."""
    out = xp.astype(prod, total.dtype) / total
    return out if out.dtype == dtype else xp.astype(out, dtype)


def _read_streamed(qb, x, reads, chunk, want_k90) -> _Readout:
    """Read with softmax streamed over chunks of memories (online softmax)."""
    xp = _backend.namespace(qb, x)
    b, k = qb.shape[0], x.shape[0]
    dev = _backend.device(x)
    work = work_dtype(xp, x.dtype)
    inplace = _inplace(qb, x, *reads)
    m = xp.full((b, 1), -float("inf"), dtype=work, device=dev)
    total = xp.zeros((b, 1), dtype=work, device=dev)
    accs = [xp.zeros((b, r.shape[1]), dtype=work, device=dev) for r in reads]
    top = None  # the largest weights so far, relative to exp(m) like the running sums
    for start in range(0, k, chunk):
        s = xp.matmul(qb, x[start : start + chunk].T)
        if s.dtype != work:
            s = xp.astype(s, work)
        new_m = xp.maximum(m, _constant(xp.max(s, axis=1, keepdims=True)))
        alpha = xp.exp(m - new_m)
        e = s.sub_(new_m).exp_() if inplace else xp.exp(s - new_m)
        total = total * alpha + xp.sum(e, axis=1, keepdims=True)
        ew = e if e.dtype == x.dtype else xp.astype(e, x.dtype)
        for i, r in enumerate(reads):
            prod = xp.matmul(ew, r[start : start + chunk])
            prod = prod if prod.dtype == work else xp.astype(prod, work)
            accs[i] = accs[i].mul_(alpha).add_(prod) if inplace else accs[i] * alpha + prod
        m = new_m
        if want_k90:
            both = e if top is None else xp.concat([top * alpha, _constant(e)], axis=1)
            top = _largest(both, min(_TOP, both.shape[1]))
    outs = [_scaled(xp, acc, total, x.dtype) for acc in accs]
    res = _Readout(m[:, 0] + xp.log(total[:, 0]), outs)
    res.k90 = k90(top / total, k) if want_k90 else None
    return res


def _read_sparse(qb, x, reads, want_k90, want_weights) -> _Readout:
    """Read with sparsemax weights, a block of queries at a time."""
    xp = _backend.namespace(qb, x)
    b, k = qb.shape[0], x.shape[0]
    block = _block(k)
    phis, outs, k90s, ws = [], [[] for _ in reads], [], []
    for start in range(0, b, block):
        s = xp.matmul(qb[start : start + block], x.T)
        p = sparsemax_last(s)
        s = xp.astype(s, p.dtype)
        phis.append(xp.sum(p * s, axis=1) - 0.5 * xp.sum(p * p, axis=1) + 0.5)
        pc = xp.astype(p, x.dtype)
        for out, r in zip(outs, reads, strict=True):
            out.append(xp.matmul(pc, r))
        if want_k90:
            k90s.append(k90(p, k))
        if want_weights:
            ws.append(pc)
    res = _Readout(_cat(xp, phis), [_cat(xp, o) for o in outs])
    res.k90 = _cat(xp, k90s) if want_k90 else None
    res.weights = _cat(xp, ws) if want_weights else None
    return res


def _cat(xp, parts):
    """Concatenate row blocks (one block as it is)."""
    return parts[0] if len(parts) == 1 else xp.concat(parts, axis=0)


def bool_mask(name: str, value, like, shape: tuple[int, int]):
    """Check a boolean mask for the tensor ``like`` and broadcast it to ``shape``.

    Parameters
    ----------
    name : str
        The argument's name in error messages.
    value : torch.Tensor
        The mask.
    like : torch.Tensor
        The arrays it masks (their device).
    shape : tuple of int
        (B, N), the shape to broadcast to.

    Returns
    -------
    torch.Tensor of bool of shape (B, N)
        The mask on ``like``'s device.

    Raises
    ------
    TypeError
        When the mask is not a boolean tensor.
    ValueError
        When it lies on another device or does not broadcast to ``shape``.
    """
    if not _backend.is_tensor(value):
        raise TypeError(
            f"{name}: the arrays are torch tensors, so the mask must be a boolean tensor too, "
            f"got {type(value).__name__}; use torch.as_tensor(mask, device=...)"
        )
    import torch

    if value.dtype != torch.bool:
        raise TypeError(f"{name}: expected a boolean mask, got dtype {value.dtype}")
    if value.device != like.device:
        raise ValueError(
            f"{name}: expected a mask on {like.device} (where the arrays are), got "
            f"{value.device}; move it with .to(device)"
        )
    try:
        return value.broadcast_to(shape)
    except RuntimeError:
        raise ValueError(
            f"{name}: expected a mask of shape (N,) or (B, N) = {shape}, got {tuple(value.shape)}"
        ) from None

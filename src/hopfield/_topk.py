"""The k memories with the largest weights per query, streamed over chunks of memories.

A read-out ``sep(β sim(X, q))`` ranks the memories of a query by their weights; for softmax,
sparsemax, ``max`` and the identity the weights rise with the score ``z = β sim``, so the top k
by weight are the top k by score. Scores are computed a chunk of memories at a time and only
the k best of each query are kept (a selection over the k kept plus the chunk's, merged chunk
after chunk), so the extra memory is O(B·(chunk + k)), never B × K. Softmax weights
``exp(z − lse(z))`` need the log-sum-exp of all K scores: it is kept as a running maximum and
sum in the same pass (online softmax, Milakov & Gimelshein 2018). Sparsemax's threshold needs
every score of a query, so sparsemax blocks over queries (as the read-out does) and ranks by
score: memories beyond its support get weight 0 and come after the support in score order.

Order: decreasing score, ties broken by the lower memory index, at the k-th place too, so the
result does not depend on the chunks. The k-th largest score of each row comes from
``np.partition`` (tensors: ``torch.topk`` on their device); the scores above it, and the
lowest-index ones equal to it, are gathered. The results carry no autograd graph.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import _backend
from . import _validation as v
from .separation import _BUDGET as _READ_BUDGET
from .separation import _TOP, _constant

# Scores per chunk: a quarter of the read-out's, as a selection holds about four times the
# chunk's scores (the scores, their exponentials, the merged candidates, int64 positions).
_BUDGET = _READ_BUDGET // 4
_MIN_CHUNK = _TOP  # the fewest memories per chunk, as the streamed read-out (many queries)


class TopK(NamedTuple):
    """The k memories with the largest weights of each query.

    Attributes
    ----------
    indices : ndarray or torch.Tensor of shape (B, k) or (k,)
        int64 memory indices, by decreasing weight (then decreasing score, then increasing
        index); (k,) for a single cue.
    weights : ndarray or torch.Tensor of shape (B, k) or (k,)
        Their weights, in the store's dtype; (k,) for a single cue.
    """

    indices: np.ndarray
    weights: np.ndarray


def check_k(k, n_memories: int) -> int:
    """Return ``k`` as an int in 1..K (the number of stored memories).

    Parameters
    ----------
    k : int
        The number of memories asked for.
    n_memories : int
        K, the number of stored memories.

    Returns
    -------
    int
        ``k``.

    Raises
    ------
    TypeError
        When ``k`` is not an int.
    ValueError
        When ``k`` is below 1 or above K, naming ``k``.
    """
    k = v.integer("k", k, minimum=1)
    if k > n_memories:
        raise ValueError(
            f"k: expected at most {n_memories} (the number of stored memories), got {k}"
        )
    return k


def chunk(b: int, n: int, given: int | None = None) -> int:
    """Return the memories per chunk for ``b`` queries over ``n`` memories.

    ``given`` if given, else all n when the b × n scores fit the budget (2**22 numbers), else
    as many as fit it (at least ``_MIN_CHUNK``).
    """
    return given or (n if b * n <= _BUDGET else max(_BUDGET // b, _MIN_CHUNK))


def _select(vals, idx_old, start: int, k: int):
    """Select the k largest of each row of ``vals`` (the kept top first, then a chunk).

    Exact under ties: of several values equal to a row's k-th largest, those of the lowest
    memory indices are kept, so chunking never changes the result.

    Parameters
    ----------
    vals : ndarray or torch.Tensor of shape (B, w)
        The values: the kept top first, then the chunk's.
    idx_old : ndarray or torch.Tensor of shape (B, w_old) or None
        The memory indices of the first w_old columns (None: w_old = 0); the other columns
        are memories ``start, start + 1, ...``.
    start : int
        The memory index of the chunk's first column.
    k : int
        How many to keep.

    Returns
    -------
    values : ndarray or torch.Tensor of shape (B, k)
        The k largest values of each row (in no particular order).
    indices : ndarray or torch.Tensor of shape (B, k)
        Their int64 memory indices.
    """
    tensor = _backend.is_tensor(vals)
    if tensor:
        import torch
    b, w = vals.shape
    w_old = 0 if idx_old is None else idx_old.shape[1]
    if w <= k:
        if tensor:
            cols = torch.arange(w, device=vals.device).expand(b, -1)
        else:
            cols = np.broadcast_to(np.arange(w), vals.shape)
        rows = None
    else:
        if tensor:
            kth = torch.topk(vals, k, dim=1, sorted=False).values.min(dim=1, keepdim=True).values
            gt_r, gt_c = torch.nonzero(vals > kth, as_tuple=True)
            eq_r, eq_c = torch.nonzero(vals == kth, as_tuple=True)
        else:
            kth = np.partition(vals, w - k, axis=1)[:, w - k : w - k + 1]
            gt_r, gt_c = np.nonzero(vals > kth)
            eq_r, eq_c = np.nonzero(vals == kth)
        eq_m = _memory(idx_old, w_old, start, eq_r, eq_c)
        # Equal values by (row, memory index); the first k − (#greater) of each row are kept.
        if tensor:
            o = torch.argsort(eq_m, stable=True)
            o = o[torch.argsort(eq_r[o], stable=True)]
            n_gt = torch.bincount(gt_r, minlength=b)
            n_eq = torch.bincount(eq_r, minlength=b)
            first = torch.cumsum(n_eq, 0) - n_eq
            rank = torch.arange(eq_r.shape[0], device=vals.device)
        else:
            o = np.lexsort((eq_m, eq_r))
            n_gt = np.bincount(gt_r, minlength=b)
            n_eq = np.bincount(eq_r, minlength=b)
            first = np.cumsum(n_eq) - n_eq
            rank = np.arange(eq_r.shape[0])
        eq_r, eq_c = eq_r[o], eq_c[o]
        rank = rank - first[eq_r]
        keep = rank < (k - n_gt)[eq_r]
        eq_r, eq_c, rank = eq_r[keep], eq_c[keep], rank[keep]
        # nonzero is row-major: the greater values of a row are contiguous.
        first_gt = (torch.cumsum(n_gt, 0) if tensor else np.cumsum(n_gt)) - n_gt
        ar = torch.arange(gt_r.shape[0], device=vals.device) if tensor else np.arange(len(gt_r))
        rows = (gt_r, eq_r)
        place = (ar - first_gt[gt_r], n_gt[eq_r] + rank)
        src = (gt_c, eq_c)
    if rows is None:
        out_v = vals
        out_i = _memory(idx_old, w_old, start, None, cols)
    else:
        if tensor:
            out_v = torch.empty((b, k), dtype=vals.dtype, device=vals.device)
            out_i = torch.empty((b, k), dtype=torch.int64, device=vals.device)
        else:
            out_v = np.empty((b, k), dtype=vals.dtype)
            out_i = np.empty((b, k), dtype=np.int64)
        for r, p, c in zip(rows, place, src, strict=True):
            out_v[r, p] = vals[r, c]
            out_i[r, p] = _memory(idx_old, w_old, start, r, c)
    return out_v, out_i


def _memory(idx_old, w_old: int, start: int, rows, cols):
    """Return the memory index of columns ``cols`` (of rows ``rows``; None: every row)."""
    new = cols - w_old + start
    if idx_old is None:
        return new if _backend.is_tensor(new) else new.astype(np.int64)
    cl = cols.clip(max=w_old - 1) if _backend.is_tensor(cols) else np.minimum(cols, w_old - 1)
    if rows is None and _backend.is_tensor(cl):
        old = idx_old.gather(1, cl)
    elif rows is None:
        old = np.take_along_axis(idx_old, cl, axis=1)
    else:
        old = idx_old[rows, cl]
    if _backend.is_tensor(old):
        import torch

        return torch.where(cols < w_old, old, new)
    return np.where(cols < w_old, old, new).astype(np.int64)


def _merge_hits(top, idx, s, start: int):
    """Merge a chunk into a full top k (NumPy), looking only at scores above the k-th kept one.

    After the first chunks few scores pass; None when too many do for this to pay. A score
    equal to the k-th kept one never enters: the kept memory has the lower index.
    """
    b = s.shape[0]
    rows, cols = np.nonzero(s > top.min(axis=1, keepdims=True))
    if rows.size == 0:
        return top, idx
    counts = np.bincount(rows, minlength=b)
    width = int(counts.max())
    if width * 4 > s.shape[1]:
        return None
    rank = np.arange(rows.size) - (np.cumsum(counts) - counts)[rows]
    # Rows with fewer hits are padded with -inf, which never displaces the k kept scores.
    vals = np.full((b, width), -np.inf, dtype=s.dtype)
    vals[rows, rank] = s[rows, cols]
    where = np.zeros((b, width), dtype=np.int64)
    where[rows, rank] = cols + start
    return _select(
        np.concatenate([top, vals], axis=1), np.concatenate([idx, where], axis=1), 0, top.shape[1]
    )


def _ordered(vals, idx):
    """Sort rows by decreasing value, ties by increasing index (two stable sorts)."""
    if _backend.is_tensor(vals):
        import torch

        o = torch.argsort(idx, dim=1)
        vals, idx = torch.gather(vals, 1, o), torch.gather(idx, 1, o)
        o = torch.argsort(vals, dim=1, descending=True, stable=True)
        return torch.gather(vals, 1, o), torch.gather(idx, 1, o)
    o = np.argsort(idx, axis=1)
    vals, idx = np.take_along_axis(vals, o, 1), np.take_along_axis(idx, o, 1)
    o = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(vals, o, 1), np.take_along_axis(idx, o, 1)


def stream(score, b: int, n: int, k: int, chunk: int, *, lse: bool):
    """Find the top k of the keys ``score(start, stop)`` over memories 0..n, chunk by chunk.

    Parameters
    ----------
    score : callable
        ``score(start, stop)`` returns the (B, stop − start) keys of memories start..stop.
        With ``lse`` the arrays it returns are overwritten (NumPy): it must return fresh
        ones.
    b : int
        B, the number of queries.
    n : int
        The number of memories.
    k : int
        How many to keep.
    chunk : int
        Memories per chunk.
    lse : bool
        Also keep the running ``(max, sum)`` of ``exp(key)``.

    Returns
    -------
    top : ndarray or torch.Tensor of shape (B, k)
        The k largest keys of each row, in decreasing order.
    indices : ndarray or torch.Tensor of shape (B, k)
        Their int64 memory indices.
    m : ndarray or torch.Tensor of shape (B, 1) or None
        With ``lse``, the running maximum.
    total : ndarray or torch.Tensor of shape (B, 1) or None
        With ``lse``, the running sum of ``exp(key − m)`` in float64 (float32 on a device
        without it), from which softmax weights follow.
    """
    top = idx = m = total = None
    for start in range(0, n, chunk):
        s = _constant(score(start, min(start + chunk, n)))
        if _backend.is_tensor(s):
            import torch

            if lse:
                cm = s.max(dim=1, keepdim=True).values
                m_new = cm if m is None else torch.maximum(m, cm)
                part = torch.exp(s - m_new).sum(dim=1, keepdim=True, dtype=total_dtype(s))
                if total is not None:
                    part = total * torch.exp(m - m_new).to(part.dtype) + part
                total = part
                m = m_new
            both = s if top is None else torch.cat([top, s], dim=1)
            top, idx = _select(both, idx, start, k)
            continue
        merged = None if top is None or top.shape[1] < k else _merge_hits(top, idx, s, start)
        if merged is None:
            both = s if top is None else np.concatenate([top, s], axis=1)
            top, idx = _select(both, idx, start, k)
            if top is s:  # a first chunk of at most k memories, kept whole
                top = s.copy()
        else:
            top, idx = merged
        if lse:
            # The selection is done, so the chunk's scores may become their exponentials
            # in place (scores are fresh arrays from ``score``): no second (B, chunk) array.
            cm = s.max(axis=1, keepdims=True)
            m_new = cm if m is None else np.maximum(m, cm)
            s -= m_new
            np.exp(s, out=s)
            part = s.sum(axis=1, keepdims=True, dtype=np.float64)
            if total is not None:
                part = total * np.exp(m - m_new, dtype=np.float64) + part
            total = part
            m = m_new
    top, idx = _ordered(top, idx)
    return top, idx, m, total


def total_dtype(s):
    """Return float64 where the tensor's device has it (not Apple's MPS), else float32."""
    import torch

    dev = _backend.device(s)
    return torch.float32 if getattr(dev, "type", dev) == "mps" else torch.float64


def softmax_weights(top, m, total, dtype):
    """Return ``exp(key − m) / total`` for the kept keys, cast to ``dtype``."""
    if _backend.is_tensor(top):
        w = (top.to(total.dtype) - m.to(total.dtype)).exp() / total
        return w.to(dtype)
    w = np.exp(top.astype(np.float64) - m) / total
    return w.astype(dtype, copy=False)


def gather(w, idx):
    """Return ``w[row, idx[row]]`` for every row (NumPy or tensors)."""
    if _backend.is_tensor(w):
        import torch

        return torch.gather(w, 1, idx)
    return np.take_along_axis(w, idx, axis=1)

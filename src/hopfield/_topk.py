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

Order: decreasing score, ties broken by the lower memory index (which of several equally scored
memories fills the k-th place is not specified). NumPy selects with ``argpartition``, tensors
with ``torch.topk`` on their device. The results carry no autograd graph.
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

    indices: (B, k) int64 memory indices, by decreasing weight (then decreasing score);
    weights: (B, k) their weights, in the store's dtype. (k,) each for a single cue.
    """

    indices: np.ndarray
    weights: np.ndarray


def check_k(k, n_memories: int) -> int:
    """``k`` as an int in 1..K (the number of stored memories), or a clear error naming ``k``."""
    k = v.integer("k", k, minimum=1)
    if k > n_memories:
        raise ValueError(
            f"k: expected at most {n_memories} (the number of stored memories), got {k}"
        )
    return k


def chunk(b: int, n: int, given: int | None = None) -> int:
    """Memories per chunk for ``b`` queries: ``given``, or all n when the b × n scores fit
    the budget (2**22 numbers), else as many as fit it (at least ``_MIN_CHUNK``)."""
    return given or (n if b * n <= _BUDGET else max(_BUDGET // b, _MIN_CHUNK))


def _select(vals, idx_old, start: int, k: int):
    """The k largest of each row of ``vals`` (the kept top first, then a chunk from ``start``).

    ``idx_old`` (B, w) are the memory indices of the first w columns (None: w = 0); the other
    columns are memories ``start, start + 1, ...``. Returns values and int64 indices, (B, k).
    """
    w = 0 if idx_old is None else idx_old.shape[1]
    if _backend.is_tensor(vals):
        import torch

        if vals.shape[1] > k:
            vals, pos = torch.topk(vals, k, dim=1, sorted=False)
        else:
            pos = torch.arange(vals.shape[1], device=vals.device).expand(vals.shape[0], -1)
        new = pos - w + start
        if idx_old is None:
            return vals, new
        old = torch.gather(idx_old, 1, pos.clamp(max=w - 1))
        return vals, torch.where(pos < w, old, new)
    if vals.shape[1] > k:
        pos = np.argpartition(vals, vals.shape[1] - k, axis=1)[:, -k:]
        vals = np.take_along_axis(vals, pos, axis=1)
    else:
        pos = np.broadcast_to(np.arange(vals.shape[1]), vals.shape)
    new = pos - w + start
    if idx_old is None:
        return vals, new.astype(np.int64)
    old = np.take_along_axis(idx_old, np.minimum(pos, w - 1), axis=1)
    return vals, np.where(pos < w, old, new).astype(np.int64)


def _merge_hits(top, idx, s, start: int):
    """NumPy merge of a chunk into a full top k, looking only at the chunk's scores above the
    k-th kept one (after the first chunks, few): None when too many pass for that to pay.

    A score equal to the k-th kept one never enters: the kept memory has the lower index.
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
    both = np.concatenate([top, vals], axis=1)
    pos = np.argpartition(both, width, axis=1)[:, width:]
    return (
        np.take_along_axis(both, pos, axis=1),
        np.take_along_axis(np.concatenate([idx, where], axis=1), pos, axis=1),
    )


def _ordered(vals, idx):
    """Rows sorted by decreasing value, ties by increasing index (two stable sorts)."""
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
    """Top k of the keys ``score(start, stop)`` (B, stop − start) over memories 0..n, by chunks.

    Returns the k largest keys of each row in decreasing order, their int64 indices, and with
    ``lse`` the running ``(max, sum)`` of ``exp(key)`` (both (B, 1); the sum in float64, or
    float32 on a device without it) from which softmax weights follow. With ``lse`` the
    arrays ``score`` returns are overwritten (NumPy): it must return fresh ones.
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
    """float64 where the tensor's device has it (not Apple's MPS), else float32."""
    import torch

    dev = _backend.device(s)
    return torch.float32 if getattr(dev, "type", dev) == "mps" else torch.float64


def softmax_weights(top, m, total, dtype):
    """``exp(key − m) / total`` for the kept keys, cast to ``dtype``."""
    if _backend.is_tensor(top):
        w = (top.to(total.dtype) - m.to(total.dtype)).exp() / total
        return w.to(dtype)
    w = np.exp(top.astype(np.float64) - m) / total
    return w.astype(dtype, copy=False)


def gather(w, idx):
    """``w[row, idx[row]]`` for every row (NumPy or tensors)."""
    if _backend.is_tensor(w):
        import torch

        return torch.gather(w, 1, idx)
    return np.take_along_axis(w, idx, axis=1)

r"""The functional core of :mod:`hopfield.nn`: separations, the retrieval loop and the energy.

A query ξ (a row of ``queries``) reads the memories x_μ (rows of ``memories``, K of them) with
the weights ``p = sep(β X ξ + m)``, ``m`` an optional additive mask (−∞ excludes a memory), and
moves to

.. math::

    \xi \leftarrow X^\top \operatorname{sep}(\beta X \xi + m)

(Ramsauer et al. [1]_). With ``values`` V the read-out is ``Vᵀ p``, read with the weights of the
query's last update. Each separation is the gradient of a convex function
``Ψ*(z) = ⟨p, z⟩ + H(p)``, ``p = sep(z)``, with H an entropy on the simplex, so the energy

.. math::

    E(\xi) = -\beta^{-1} \Psi^*(\beta X \xi + m) + \tfrac12 \xi^\top \xi
             + \beta^{-1} H_{\max}(K) + \tfrac12 M^2

never rises under the update (a concave-convex step) and lies in ``[0, 2M²]`` for states with
‖ξ‖ ≤ M and no mask. M is the largest memory norm and K counts the memories the query may see:

=============  ==============================  ============================  =====================
separation     H(p)                            H_max(K)                      paper
=============  ==============================  ============================  =====================
``softmax``    ``−Σ p ln p`` (Shannon)         ``ln K``                      Ramsauer et al. [1]_
``sparsemax``  ``½ (1 − Σ p²)`` (Gini)         ``½ (1 − 1/K)``               Hu et al. [2]_
``entmax15``   ``(4/3) (1 − Σ p^{3/2})``       ``(4/3) (1 − K^{−1/2})``      Peters et al. [3]_
=============  ==============================  ============================  =====================

These are the constants of :class:`hopfield.ModernHopfield`, so on float64 tensors
:func:`hopfield.nn.retrieve` reproduces its ``recall`` (states, energies, steps, converged).

A query stops on its own: when an update moves no component by more than ``eps`` times the
largest memory component (converged), or after ``steps`` updates. Softmax reads may stream over
chunks of memories with a running log-sum-exp (Milakov & Gimelshein [4]_), so the extra memory
is O(rows · chunk); sparse separations need all of a query's scores for their threshold.

References
----------
.. [1] H. Ramsauer et al., "Hopfield networks is all you need", ICLR (2021),
   arXiv:2008.02217.
.. [2] J. Y.-C. Hu et al., "On sparse modern Hopfield model", NeurIPS (2023).
.. [3] B. Peters, V. Niculae and A. F. T. Martins, "Sparse sequence-to-sequence models",
   ACL (2019).
.. [4] M. Milakov and N. Gimelshein, "Online normalizer calculation for softmax",
   arXiv:1805.02867 (2018).

Examples
--------
>>> import torch
>>> from hopfield.nn import functional as F
>>> F.entmax15(torch.tensor([1.0, 0.5, -2.0]))
tensor([0.6740, 0.3260, 0.0000])
>>> x = torch.eye(3, dtype=torch.float64)
>>> F.retrieve(torch.tensor([[0.9, 0.1, 0.0]], dtype=torch.float64), x, beta=20.0).round(decimals=4)
tensor([[1., 0., 0.]], dtype=torch.float64)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import Tensor

from ._checks import SEPARATIONS, positive, prepare
from .separations import _max_entropy, entmax15, separate, sparsemax

__all__ = [
    "SEPARATIONS",
    "Trajectory",
    "energy",
    "entmax15",
    "fast_path_reason",
    "retrieve",
    "separate",
    "sparsemax",
]

_BUDGET = 1 << 24  # score elements one read holds at once unless chunk_size says otherwise


# -- reading the memories: sep(β Q Xᵀ + m) applied to X (and V) --------------------------------
def _scores(q: Tensor, x: Tensor, beta: float, bias: Tensor | None) -> Tensor:
    z = (q * beta) @ x.transpose(-1, -2)
    return z if bias is None else z + bias


def _read(q, x, reads, bias, beta, separation, chunk, dropout=0.0, keep=False):
    """Ψ*(scores) (…, L), the weights applied to each matrix in ``reads``, and the weights
    themselves (``None`` when the read streamed over chunks of memories)."""
    s = x.shape[-2]
    rows = q.numel() // q.shape[-1]
    if separation == "softmax" and chunk is None and not keep and rows * s > _BUDGET:
        chunk = max(_BUDGET // max(rows, 1), 1024)
    if separation == "softmax" and chunk is not None and chunk < s:
        return (*_read_streamed(q, x, reads, bias, beta, chunk, dropout), None)
    z = _scores(q, x, beta, bias)
    if separation == "softmax":
        m = z.amax(-1, keepdim=True)
        e = torch.exp(z - m)
        total = e.sum(-1, keepdim=True)
        p = e / total
        phi = (m + torch.log(total)).squeeze(-1)
    else:
        p = separate(z, separation)
        on = p > 0
        inner = (p * torch.where(on, z, torch.zeros_like(z))).sum(-1)
        if separation == "sparsemax":
            phi = inner + 0.5 * (1.0 - (p * p).sum(-1))
        else:
            phi = inner + (4.0 / 3.0) * (1.0 - (p * p.sqrt()).sum(-1))
    pd = torch.nn.functional.dropout(p, dropout) if dropout > 0 else p
    return phi, [pd @ r for r in reads], p


def _read_streamed(q, x, reads, bias, beta, chunk, dropout):
    m = total = None
    accs = [None] * len(reads)
    tracked = [q, x] + ([] if bias is None else [bias])
    # Without autograd the chunk's scores can become its weights in place (one buffer less).
    in_place = not (torch.is_grad_enabled() and any(t.requires_grad for t in tracked))
    for start in range(0, x.shape[-2], chunk):
        part = slice(start, start + chunk)
        xc = x[..., part, :]
        z = _scores(q, xc, beta, None if bias is None else bias[..., part])
        zmax = z.amax(-1, keepdim=True)
        new_m = zmax if m is None else torch.maximum(m, zmax)
        e = z.sub_(new_m).exp_() if in_place else torch.exp(z - new_m)
        alpha = None if m is None else torch.exp(m - new_m)
        part_sum = e.sum(-1, keepdim=True)
        total = part_sum if alpha is None else total * alpha + part_sum
        ed = torch.nn.functional.dropout(e, dropout) if dropout > 0 else e
        for i, r in enumerate(reads):
            got = ed @ r[..., part, :]
            accs[i] = got if alpha is None else accs[i] * alpha + got
        m = new_m
    return (m + torch.log(total)).squeeze(-1), [a / total for a in accs]


# -- the loop ----------------------------------------------------------------------------------
class Trajectory(NamedTuple):
    """The record of a retrieval, returned by :func:`hopfield.nn.retrieve` with a trajectory.

    A named tuple; each field below is also an attribute of the same name.

    Parameters
    ----------
    states : torch.Tensor of shape (..., L, N) or (..., L, P)
        The output: the final states, or the payloads read from the values when there are
        values.
    key_states : torch.Tensor of shape (..., L, N)
        The final states in memory space.
    path : torch.Tensor of shape (T + 1, ..., L, N)
        The states before the first and after every update; a query that stopped keeps its
        final state.
    weights : torch.Tensor of shape (..., L, K) or None
        The weights of each query's last update; ``None`` when the reads streamed over chunks
        of memories.
    energies : torch.Tensor of shape (..., L, T + 1)
        The energy before and after every update (a stopped query keeps its final energy).
    steps : torch.Tensor of shape (..., L)
        Updates that moved the query by more than the tolerance.
    converged : torch.Tensor of shape (..., L)
        Whether the query's last update moved it by no more than the tolerance.

    See Also
    --------
    hopfield.nn.retrieve : Returns a trajectory with ``trajectory=True``.

    Examples
    --------
    >>> import torch
    >>> from hopfield.nn import retrieve
    >>> x = torch.eye(3, dtype=torch.float64)
    >>> q = torch.tensor([[0.8, 0.3, 0.0]], dtype=torch.float64)
    >>> t = retrieve(q, x, beta=10.0, steps=5, trajectory=True)
    >>> t.path.shape[1:], t.weights.shape, t.steps.tolist(), t.converged.tolist()
    (torch.Size([1, 3]), torch.Size([1, 3]), [3], [True])
    >>> bool((t.energies.diff(dim=-1) <= 1e-12).all())
    True
    """

    states: Tensor
    key_states: Tensor
    path: Tensor
    weights: Tensor | None
    energies: Tensor
    steps: Tensor
    converged: Tensor


def _pick(a: Tensor | None, units: Tensor | None) -> Tensor | None:
    """Rows ``units`` of a per-unit tensor (a broadcast leading 1 is kept as it is)."""
    if a is None or units is None or a.shape[0] == 1:
        return a
    return a.index_select(0, units)


def _put(full: Tensor, units: Tensor | None, rows: Tensor) -> Tensor:
    return rows if units is None else full.index_put((units,), rows)


def fast_path_reason(
    separation: str, *, trajectory: bool = False, chunk_size: int | None = None
) -> str | None:
    """Say why a call cannot use ``scaled_dot_product_attention``.

    A softmax call without a trajectory or ``chunk_size`` goes through
    ``torch.nn.functional.scaled_dot_product_attention`` (fused kernels where PyTorch has them);
    every other call runs the library's own loop.

    Parameters
    ----------
    separation : {"softmax", "sparsemax", "entmax15"}
        The separation of the call.
    trajectory : bool, default False
        Whether the call asks for a :class:`hopfield.nn.Trajectory`.
    chunk_size : int, optional
        The call's ``chunk_size``.

    Returns
    -------
    str or None
        The reason, or ``None`` when the call goes through ``scaled_dot_product_attention``.

    Examples
    --------
    >>> from hopfield.nn.functional import fast_path_reason
    >>> fast_path_reason("softmax") is None
    True
    >>> fast_path_reason("sparsemax")
    "separation='sparsemax': scaled_dot_product_attention is softmax only"
    """
    if separation != "softmax":
        return f"separation={separation!r}: scaled_dot_product_attention is softmax only"
    if trajectory:
        return "trajectory=True: the weights and energies are needed"
    if chunk_size is not None:
        return "chunk_size is set: the memories are streamed in chunks of that size"
    return None


def retrieve(
    queries: Tensor,
    memories: Tensor,
    values: Tensor | None = None,
    *,
    beta: float,
    separation: str = "softmax",
    steps: int = 1,
    eps: float = 1e-6,
    mask: Tensor | None = None,
    chunk_size: int | None = None,
    dropout: float = 0.0,
    trajectory: bool = False,
) -> Tensor | Trajectory:
    """Run ``ξ ← Xᵀ sep(β X ξ + m)`` from every query; each query stops on its own.

    A query stops when an update moves no component by more than ``eps`` times the largest
    memory component (it has converged), or after ``steps`` updates. A softmax call without
    ``trajectory`` or ``chunk_size`` goes through
    ``torch.nn.functional.scaled_dot_product_attention`` (fused kernels where PyTorch has
    them); :func:`hopfield.nn.functional.fast_path_reason` says why another call does not.

    Parameters
    ----------
    queries : torch.Tensor of shape (L, N) or (B, L, N)
        The states ξ, floating point.
    memories : torch.Tensor of shape (K, N) or (B, K, N)
        Shared by all queries (K, N), or one set per batch element (B, K, N), which needs
        queries (B, L, N) with the same B. Same dtype and device as the queries.
    values : torch.Tensor of shape (K, P) or (B, K, P), optional
        Payloads read with the weights of each query's last update; ``None`` reads the states.
    beta : float
        Inverse temperature β > 0 (keyword-only, required).
    separation : {"softmax", "sparsemax", "entmax15"}, default "softmax"
        The map from scores to weights.
    steps : int, default 1
        The most updates per query (1: single-shot retrieval, i.e. attention).
    eps : float, default 1e-6
        A query has converged when an update moves no component by more than ``eps`` times
        the largest memory component.
    mask : torch.Tensor of shape (L, K) or (B, L, K), optional
        Boolean (``True`` excludes the memory from the query, as in
        ``torch.nn.MultiheadAttention``) or float (added to the scores ``β X ξ``); 1 is allowed
        for a broadcast size. Every query must keep at least one memory.
    chunk_size : int, optional
        Memories per chunk for a streamed softmax read (``None``: stream only when the scores
        of a read would exceed 2**24 elements). Not allowed with a sparse separation. A
        streamed trajectory has no weights (``weights`` is ``None``).
    dropout : float, default 0.0
        Probability in [0, 1) of zeroing a weight (training only; the weights are rescaled).
    trajectory : bool, default False
        Return a :class:`hopfield.nn.Trajectory` instead of the states.

    Returns
    -------
    torch.Tensor of shape (..., L, N) or (..., L, P), or Trajectory
        The final states, or the payloads (..., L, P) with values; with ``trajectory=True`` a
        :class:`hopfield.nn.Trajectory`.

    Raises
    ------
    TypeError
        When an input is not a floating-point ``torch.Tensor``, when memories or values differ
        from the queries in dtype or device, or when a mask is neither boolean nor floating
        point.
    ValueError
        When a shape does not fit (the message names the argument), when there are no
        memories, when the mask hides every memory from some query, when a parameter is out of
        range, or when ``chunk_size`` is given with a sparse separation.

    See Also
    --------
    hopfield.nn.energy : The energy that the update never raises.
    hopfield.nn.HopfieldRetrieval : The same call as a module.

    Examples
    --------
    >>> import torch
    >>> from hopfield.nn import retrieve
    >>> x = torch.eye(3, dtype=torch.float64)
    >>> q = torch.tensor([[0.9, 0.1, 0.0], [0.1, 0.2, 0.8]], dtype=torch.float64)
    >>> retrieve(q, x, beta=20.0).round(decimals=4)
    tensor([[1., 0., 0.],
            [0., 0., 1.]], dtype=torch.float64)
    >>> labels = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=torch.float64)
    >>> retrieve(q, x, labels, beta=20.0).round(decimals=2)
    tensor([[1., 0.],
            [1., 1.]], dtype=torch.float64)
    """
    p = prepare(queries, memories, values, mask, beta, separation, steps, eps, chunk_size)
    positive("dropout", dropout, allow_zero=True)
    if dropout >= 1.0:
        raise ValueError(f"dropout: expected a probability in [0, 1), got {dropout!r}")
    if fast_path_reason(separation, trajectory=trajectory, chunk_size=chunk_size) is None:
        return p.restore(_iterate_fused(p, beta, steps, eps, dropout))
    return _iterate(p, beta, separation, steps, eps, chunk_size, dropout, trajectory)


def _iterate_fused(p, beta, steps, eps, dropout) -> Tensor:
    """The update through scaled_dot_product_attention; stopped queries are frozen."""
    flat = p.x.ndim == 2
    drop = 2 if flat else 1

    def up(t):
        # SDPA's fused CPU kernels want (batch, heads, L, E): shared memories become one head
        # of a batch of one, batched memories one batch of heads.
        return None if t is None else t.reshape((1, 1, *t.shape)) if flat else t[None]

    q, x, v, bias = up(p.q), up(p.x), up(p.v), up(p.bias)

    def attend(state, vals):
        return torch.nn.functional.scaled_dot_product_attention(
            state, x, vals, attn_mask=bias, dropout_p=dropout, scale=beta
        )

    if steps == 1:
        out = attend(q, x if v is None else v)
        return out.reshape(out.shape[drop:])
    # Keys and values differ in width, and SDPA's fused kernels want one width: iterate with
    # the keys as values, and read the payload once, from each query's state before its last
    # update (the weights of that update).
    scale = up(p.scale)
    state, before = q, q
    active = torch.ones(q.shape[:-1], dtype=torch.bool, device=q.device)
    for t in range(steps):
        new = attend(state, x)
        moved = (new - state).abs().amax(-1) > eps * scale
        stop = active & (~moved | (t == steps - 1))
        before = torch.where(stop[..., None], state, before)
        state = torch.where(active[..., None], new, state)
        active = active & ~stop
        if not bool(active.any()):
            break
    out = state if v is None else attend(before, v)
    return out.reshape(out.shape[drop:])


def _iterate(p, beta, separation, steps, eps, chunk, dropout, trajectory):
    q, x, v, bias = p.q, p.x, p.v, p.bias
    reads = (x,) if v is None else (x, v)
    lead = q.shape[:-1]
    state = q
    active = torch.ones(lead, dtype=torch.bool, device=q.device)
    moved_count = torch.zeros(lead, dtype=torch.int64, device=q.device)
    converged = torch.zeros(lead, dtype=torch.bool, device=q.device)
    payload = None if v is None else q.new_zeros((*lead, v.shape[-1]))
    streamed = chunk is not None and chunk < x.shape[-2]
    weights = q.new_zeros((*lead, x.shape[-2])) if trajectory and not streamed else None
    energies, path = [], [state]
    for t in range(steps):
        # Units (queries, or batch elements with batched memories) with no running query
        # leave the computation; stopped queries inside a running unit are frozen.
        units = None
        if t > 0 and not bool(active.all()):
            units = active.reshape(lead[0], -1).any(1).nonzero().squeeze(1)
        cur, act = _pick(state, units), _pick(active, units)
        mem = [r if r.ndim == 2 else _pick(r, units) for r in reads]
        b_u = _pick(bias, units)
        keep = weights is not None
        phi, outs, w = _read(cur, mem[0], mem, b_u, beta, separation, chunk, dropout, keep)
        e = _energy_of(phi, cur, p, units, separation, beta)
        new = outs[0]
        moved = (new - cur).abs().amax(-1) > eps * _pick(p.scale, units)
        stop = act & (~moved | (t == steps - 1))
        state = _put(state, units, torch.where(act[..., None], new, cur))
        nan = torch.full_like(e, math.nan)
        energies.append(
            _put(
                torch.full(lead, math.nan, dtype=e.dtype, device=e.device),
                units,
                torch.where(act, e, nan),
            )
        )
        moved_count = _put(moved_count, units, _pick(moved_count, units) + (act & moved))
        converged = _put(converged, units, _pick(converged, units) | (act & ~moved))
        if payload is not None:
            rows = torch.where(stop[..., None], outs[1], _pick(payload, units))
            payload = _put(payload, units, rows)
        if weights is not None and w is not None:
            rows = torch.where(stop[..., None], w, _pick(weights, units))
            weights = _put(weights, units, rows)
        active = _put(active, units, act & ~stop)
        path.append(state)
        if not bool(active.any()):
            break
    out = p.restore(state if payload is None else payload)
    if not trajectory:
        return out
    phi, _, _ = _read(state, x, (), bias, beta, separation, None, 0.0)
    final = _energy_of(phi, state, p, None, separation, beta)
    energies = torch.stack([torch.where(torch.isnan(e), final, e) for e in energies] + [final], -1)
    return Trajectory(
        out,
        p.restore(state),
        torch.stack([p.restore(s) for s in path]),
        None if weights is None else p.restore(weights),
        energies.reshape(*p.shape, -1),
        p.restore(moved_count, last=False),
        p.restore(converged, last=False),
    )


def _energy_of(phi, s, p, units, separation, beta):
    dtype = torch.promote_types(phi.dtype, torch.float32)
    k = _pick(p.count, units).to(dtype)
    half = 0.5 * (s.to(dtype) ** 2).sum(-1)
    m2 = 0.5 * _pick(p.max_norm2, units).to(dtype)
    return (-phi.to(dtype) + _max_entropy(separation, k)) / beta + half + m2


def energy(
    states: Tensor,
    memories: Tensor,
    *,
    beta: float,
    separation: str = "softmax",
    mask: Tensor | None = None,
) -> Tensor:
    """Compute the energy ``E(ξ)`` of every state.

    ``E(ξ) = −β⁻¹ Ψ*(β X ξ + m) + ½ ξᵀξ + β⁻¹ H_max(K) + ½ M²``, with the constants of the
    separation (see :mod:`hopfield.nn.functional`); the update of :func:`hopfield.nn.retrieve`
    never raises it. Energies come back in at least float32.

    Parameters
    ----------
    states : torch.Tensor of shape (L, N) or (B, L, N)
        The states ξ, floating point.
    memories : torch.Tensor of shape (K, N) or (B, K, N)
        Shared by all states, or one set per batch element; as in :func:`hopfield.nn.retrieve`.
    beta : float
        Inverse temperature β > 0 (keyword-only, required).
    separation : {"softmax", "sparsemax", "entmax15"}, default "softmax"
        The separation whose entropy enters the energy.
    mask : torch.Tensor of shape (L, K) or (B, L, K), optional
        Boolean (``True`` excludes) or float (added to the scores), as in
        :func:`hopfield.nn.retrieve`; K then counts the memories a state may see.

    Returns
    -------
    torch.Tensor of shape (L,) or (B, L)
        The energy of every state.

    Raises
    ------
    TypeError
        When an input is not a floating-point ``torch.Tensor`` or the memories differ from the
        states in dtype or device.
    ValueError
        When a shape does not fit, a mask hides every memory from some state, or ``beta`` is
        not positive.

    Examples
    --------
    >>> import torch
    >>> from hopfield.nn.functional import energy
    >>> x = torch.eye(2, dtype=torch.float64)
    >>> round(float(energy(x[:1], x, beta=1.0)), 6)  # −lse + ½ + ln 2 + ½
    0.379885
    """
    p = prepare(states, memories, None, mask, beta, separation, 1, 0.0, None, name="states")
    phi, _, _ = _read(p.q, p.x, (), p.bias, beta, separation, None)
    return p.restore(_energy_of(phi, p.q, p, None, separation, beta), last=False)

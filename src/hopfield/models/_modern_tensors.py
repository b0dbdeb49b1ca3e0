"""``ModernHopfield.recall`` on a store of PyTorch tensors: the same iteration, where they live.

The loop is the NumPy one (:meth:`hopfield.ModernHopfield.recall`) with every
value autograd may need built out of place (``index_copy`` instead of row assignment), so that
states, payloads, weights and energies are differentiable with respect to the queries and the
stored memories and values. Per-query bookkeeping (``converged``, ``steps``, ``k90``) is
held in tensors on the same device.
"""

from __future__ import annotations

from .. import _readout
from .. import separation as sep
from ..recall import ActiveSet


def recall(net, cues, max_steps: int, tol: float, clamp, return_weights: bool):
    """Run :meth:`hopfield.ModernHopfield.recall` on a tensor store (arguments checked).

    Parameters
    ----------
    net : ModernHopfield
        The network; its memories (and values) are tensors.
    cues : torch.Tensor of shape (B, N) or (N,)
        The queries, on the memories' device.
    max_steps : int
        The most updates per query.
    tol : float
        Convergence tolerance, relative to the largest memory component.
    clamp : torch.Tensor of bool of shape (N,) or (B, N) or None
        Components held at the queries' values.
    return_weights : bool
        Whether to return the weights of each query's last update.

    Returns
    -------
    Recall
        As :meth:`hopfield.ModernHopfield.recall` documents, every field a tensor on the
        memories' device.
    """
    import torch

    given, q, single = net._batch("cues", cues)
    mask = None if clamp is None else _readout.bool_mask("clamp", clamp, q, tuple(q.shape))
    x, vals = net._x, net._v
    b, k = q.shape[0], x.shape[0]
    dev = q.device
    reads = (x,) if vals is None else (x, vals)
    state = q
    cur = q
    run = ActiveSet(b, like=q)
    k90 = torch.zeros(b, dtype=torch.int64, device=dev)
    weights = torch.zeros((b, k), dtype=x.dtype, device=dev) if return_weights else None
    payload = None if vals is None else torch.zeros((b, vals.shape[1]), dtype=x.dtype, device=dev)
    late, late_states = [], []  # streamed queries that stopped early: k90 from one more pass
    threshold = tol * net._scale
    for t in range(max_steps):
        idx = run.running
        last = t == max_steps - 1
        # k90 is wanted once per query, from its last update, and which queries stop is known
        # only after the update: keep the weights where the read holds them anyway.
        hold = return_weights or sep._holds_weights(len(cur), k, net.chunk_size, net.separation)
        res = net._pass(cur, reads, k90=last and not hold, weights=hold)
        run.record(net._energy_of(res.phi, cur))
        new = res.outs[0]
        if mask is not None:
            new = torch.where(mask[idx], q[idx], new)
        moved = (new - cur).detach().abs().amax(dim=1) > threshold
        state = _readout.put_rows(state, idx, new)
        stop = run.advance(moved, last=last)
        every = bool(stop.all())
        done = idx if every else idx[stop]
        if hold:
            w = res.weights if every else res.weights[stop]
            k90[done] = _readout.k90(w, k)
            if weights is not None:
                weights = _readout.put_rows(weights, done, w)
        elif last:
            k90[done] = res.k90
        else:
            late.append(done)
            late_states.append(cur[stop])
        if payload is not None:
            payload = _readout.put_rows(payload, done, res.outs[1] if every else res.outs[1][stop])
        if every:
            break
        cur = new[~stop]
    if late:
        k90[torch.cat(late)] = net._pass(torch.cat(late_states), (), k90=True).k90
    # One more similarity pass gives the energy of every final state.
    final = net._energy_of(net._pass(state, ()).phi, state)
    energies = run.energies(final)
    dtype = net._out_dtype(given)
    keys = state.to(dtype)
    if mask is not None and dtype != q.dtype:
        keys = torch.where(mask, given.to(dtype), keys)
    payload = None if payload is None else payload.to(dtype)
    return net._result(keys, payload, run, energies, k90, weights, single)

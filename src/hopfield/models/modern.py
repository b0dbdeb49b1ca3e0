r"""Modern Hopfield network: continuous states and exponential capacity (Ramsauer et al. 2020).

The modern continuous Hopfield network [1]_ stores real-valued memories and retrieves them
with an update that is attention over the memories; its sparse variant [2]_ replaces softmax by
sparsemax. States are continuous, :math:`\xi \in \mathbb{R}^N`; the memories are the rows
:math:`x_\mu` of :math:`X`, of shape (K, N), and :math:`M = \max_\mu \lVert x_\mu \rVert` is
the largest memory norm.

.. rubric:: Energy and update (softmax)

.. math::

    E(\xi) = -\operatorname{lse}(\beta, X\xi) + \tfrac12 \xi^\top \xi
             + \beta^{-1} \ln K + \tfrac12 M^2,
    \qquad
    \operatorname{lse}(\beta, z) = \beta^{-1} \log \sum_\mu \exp(\beta z_\mu),

.. math::

    \xi \leftarrow X^\top \operatorname{softmax}(\beta X \xi).

The update is a concave-convex (CCCP) step, so E never rises. For states with
‖ξ‖ ≤ M (every state after one update lies in the convex hull of the memories)
:math:`0 \le E \le 2M^2`; the bound does not hold for arbitrary queries.

.. rubric:: Energy and update (sparsemax, Hu et al. 2023)

The log-sum-exp is replaced by the convex conjugate of the negative Gini entropy,
:math:`\Psi^*(z) = \langle p, z \rangle - \tfrac12 \lVert p \rVert^2 + \tfrac12` with
:math:`p = \operatorname{sparsemax}(z)`, whose gradient is sparsemax:

.. math::

    E(\xi) = -\beta^{-1} \Psi^*(\beta X \xi) + \tfrac12 \xi^\top \xi
             + \frac{1 - 1/K}{2\beta} + \tfrac12 M^2,
    \qquad
    \xi \leftarrow X^\top \operatorname{sparsemax}(\beta X \xi).

The update is again a CCCP step, and the constants are chosen so that
:math:`0 \le E \le 2M^2` holds as for softmax.

.. rubric:: Guarantees and capacity

Let :math:`\Delta_i = x_i^\top x_i - \max_{j \ne i} x_i^\top x_j` be the separation of memory
:math:`x_i`. With softmax a well-separated memory is retrieved in one update, with an error of
at most

.. math::

    2(K-1) \exp\Bigl(-\beta\bigl(\Delta_i
        - 2 \max(\lVert\xi - x_i\rVert, \lVert x_i^* - x_i\rVert) M\bigr)\Bigr) M

(:math:`x_i^*` the fixed point near :math:`x_i`), and the number of memories that can be
stored and retrieved this way grows exponentially with the dimension N [1]_. With sparsemax
retrieval of :math:`x_i` is exact in one step when the query scores at least 1/β higher on
:math:`x_i` than on any other memory (:math:`\beta \Delta_i \ge 1` for ξ = x_i) [2]_.

Fixed points come in three kinds: a global average (small β), metastable states averaging a
group of similar memories, and single memories (large β).
:meth:`hopfield.ModernHopfield.recall` reports ``k90``, the number of memories that carry 90%
of the weight of each query's last update (Ramsauer's k).

.. rubric:: Hetero-association

With ``values`` (K, P) stored beside the keys X, recall iterates in key space and returns the
payload ``sep(β X ξ) @ values`` read with the weights of the last update (the weights that
also gave the last key-space state). With the default ``max_steps=1`` this is single-shot
attention over the stored keys and values (with β = 1/√N and learned projections, a
transformer's attention).

.. rubric:: Memory

A softmax update needs the K scores of a query only through a running maximum, a running sum
and a running weighted sum of memory rows (online softmax [3]_), so for large K (or when
``chunk_size`` is given) the memories are streamed in chunks and the extra memory is
O(B·chunk) instead of O(B·K). Sparsemax needs every score of a query to find its threshold, so
it cannot stream over memories: it processes blocks of queries instead, using O(K) extra
memory per query in a block. ``topk(cues, k)`` finds the k memories with the largest weights
per query the same way, keeping O(B·(chunk + k)) numbers, and
``retrieve(cues, return_indices=True)`` the top one.

.. rubric:: PyTorch

Memories, values, queries and clamp masks may be tensors on any device. A tensor store stays
on its device in the caller's dtype (float32, float64; float16 and bfloat16 too: scores are
products in that dtype, the exponentials, sums and the running log-sum-exp in float32, the
weights cast back for the read, as fused attention kernels do) and is not detached: memories
and values stored with ``requires_grad`` keep their graph, and ``recall``, ``retrieve`` and
``energy`` are differentiable with respect to them and to the queries (softmax everywhere,
sparsemax almost everywhere). Everything in a result is a tensor on the memories' device. The
streamed read-out runs on the device, so K in the millions fits there too.

References
----------
.. [1] H. Ramsauer et al., "Hopfield networks is all you need", ICLR (2021),
   arXiv:2008.02217.
.. [2] J. Y.-C. Hu et al., "On sparse modern Hopfield model",
   NeurIPS (2023).
.. [3] M. Milakov and N. Gimelshein, "Online normalizer calculation for softmax",
   arXiv:1805.02867 (2018).
"""

from __future__ import annotations

import numpy as np

from .. import _backend as backend
from .. import _readout, _topk, dynamics
from .. import _validation as v
from .. import separation as sep
from .._finite import check as check_finite
from ..recall import ActiveSet, Recall
from ._keyvalue import KeyValueMemory, as_rows

__all__ = ["ModernHopfield", "SEPARATIONS"]

SEPARATIONS = ("softmax", "sparsemax")


def _tensor_stats(x) -> tuple[float, float]:
    """Return M, the largest row norm, and the largest |component| of a tensor store."""
    import torch

    xd = x.detach()
    work = _readout.work_dtype(torch, xd.dtype)
    # Reductions, not elementwise temporaries: no (K, N) copy of a store of millions of rows.
    norms = torch.linalg.vector_norm(xd, dim=1, dtype=work)
    return float(norms.max()), float(torch.linalg.vector_norm(xd, ord=float("inf"), dtype=work))


class ModernHopfield(KeyValueMemory):
    """Modern continuous Hopfield network: associative memory with exponential capacity.

    Stores real-valued memories (keys), optionally with values for hetero-association, and
    retrieves with the update ``ξ ← Xᵀ sep(β X ξ)``, ``sep`` softmax [1]_ or sparsemax [2]_
    (energy, guarantees and costs: ``hopfield.models.modern``). Queries are (B, N) or
    (N,); recalled states are (B, N), or (B, P) with values stored.

    Parameters
    ----------
    beta : float, default 1.0
        Inverse temperature β > 0; large β retrieves single memories, small β averages.
    separation : {"softmax", "sparsemax"}, default "softmax"
        ``"softmax"`` (Ramsauer et al. 2020) or ``"sparsemax"`` (Hu et al. 2023).
    chunk_size : int, optional
        Memories per chunk when streaming a softmax update; ``None`` streams only when a
        batch's score matrix would exceed 2**24 entries. Not allowed with sparsemax.

    Attributes
    ----------
    patterns : ndarray or torch.Tensor of shape (K, N)
        The stored memories (keys), float32 or float64 (a tensor store keeps its dtype).
        Read-only; set by :meth:`store`. ``memories`` is its deprecated old name.
    values : ndarray or torch.Tensor of shape (K, P) or None
        Payloads for hetero-association, or ``None``. Read-only; set by :meth:`store`.
    max_norm : float
        M, the largest memory norm. Read-only; set by :meth:`store`.
    n_neurons : int
        N, the width of a memory. Read-only; set by :meth:`store`.

    Raises
    ------
    ValueError
        When ``beta`` is not a finite number > 0, ``separation`` is not one of the choices,
        ``chunk_size`` is below 1, or ``chunk_size`` is given with ``separation="sparsemax"``.
    TypeError
        When ``beta`` is not a real number or ``chunk_size`` not an int.

    See Also
    --------
    hopfield.UniversalMemory : Single-shot retrieval with other similarities and separations.
    hopfield.HiddenNeuronNetwork.model_b : The same network as a continuous-time flow.

    References
    ----------
    .. [1] H. Ramsauer et al., "Hopfield networks is all you need", ICLR (2021),
       arXiv:2008.02217.
    .. [2] J. Y.-C. Hu et al., "On sparse modern Hopfield model",
       NeurIPS (2023).

    Examples
    --------
    >>> import numpy as np
    >>> import hopfield as hf
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 64))
    >>> net = hf.ModernHopfield(beta=1.0).store(X.astype(np.float32))
    >>> r = net.recall(X[:4] + 0.3 * rng.standard_normal((4, 64)))
    >>> bool(np.allclose(r.states, X[:4], atol=1e-3)), r.extras["k90"].tolist()
    (True, [1, 1, 1, 1])
    >>> 0.0 <= float(net.energy(r.states[0])) <= 2 * net.max_norm**2
    True
    """

    def __init__(self, beta: float = 1.0, *, separation: str = "softmax", chunk_size=None):
        self.beta = beta
        self.separation = separation
        self.chunk_size = chunk_size
        self._beta = v.positive("beta", beta)
        v.choose("separation", separation, SEPARATIONS)
        if chunk_size is not None:
            v.integer("chunk_size", chunk_size, minimum=1)
            if separation == "sparsemax":
                raise ValueError(
                    "chunk_size: sparsemax needs every score of a query to find its threshold, "
                    "so it cannot stream over memories; got chunk_size with "
                    "separation='sparsemax' (leave chunk_size=None)"
                )

    # -- storing -------------------------------------------------------------------------
    @v.keywords(memories="patterns")
    def store(self, patterns, values=None, *, copy: bool = True) -> ModernHopfield:
        """Store memories (keys), with optional values; calling it again adds more.

        Memories are copied once, as float32 unless float64 is given (a float64 batch makes
        the whole store float64, and so do integer keys with float32 values or the reverse,
        as NumPy promotes them). Tensors stay tensors on their device, in their dtype and
        autograd graph (``hopfield.models.modern``); NumPy and tensors cannot be mixed in
        one store. ``values``, one payload row per memory, turns on hetero-association;
        either every call gives values or none does. ``memories=`` is the deprecated old name
        of ``patterns``.

        Parameters
        ----------
        patterns : array_like or torch.Tensor of shape (K, N) or (N,)
            The memories (keys), real numbers; one (N,) memory is stored as one row.
        values : array_like or torch.Tensor of shape (K, P) or (P,), optional
            Payloads for hetero-association, one row per memory.
        copy : bool, default True
            ``True`` (the library's rule that inputs are never kept): copy the memories and
            values. ``False`` keeps them without a copy (saving K·N·4 bytes, 488 MiB at
            K = 10⁶, N = 128 in float32) when nothing else would make one: on the first
            store, an array that is 2-D (or 1-D), C-contiguous and already of the store's
            dtype (a float32 or float64 NumPy array, kept as a read-only view; a
            float32/float64/float16/bfloat16 tensor, kept as it is). Anything else (other
            dtypes, non-contiguous arrays, adding to a store) is copied as with
            ``copy=True``. The caller must not modify a kept array afterwards: the network
            reads it on every call and its norms are computed here, once.

        Returns
        -------
        ModernHopfield
            The network, for chaining.

        Raises
        ------
        ValueError
            When the memories are empty or not finite, ``values`` has not one row per
            memory, the widths differ from those stored so far, values are given in some
            calls and not in others, or tensors lie on different devices.
        TypeError
            When the memories are not real numbers, or NumPy arrays and tensors are mixed
            in one store.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> X = np.eye(4, dtype=np.float32)
        >>> np.shares_memory(hf.ModernHopfield().store(X, copy=False).patterns, X)
        True
        >>> np.shares_memory(hf.ModernHopfield().store(X).patterns, X)
        False
        """
        copy = v.flag("copy", copy)
        self._add("patterns", patterns, values, copy=copy)
        k = len(self._x)
        if backend.is_tensor(self._x):
            self._m, self._scale = _tensor_stats(self._x)
        else:
            norms2 = np.einsum("ij,ij->i", self._x, self._x, dtype=np.float64)
            self._m = float(np.sqrt(norms2.max()))
            self._scale = max(float(self._x.max()), -float(self._x.min()))  # no |X| temporary
        lagrange = np.log(k) if self.separation == "softmax" else 0.5 * (1.0 - 1.0 / k)
        self._offset = lagrange / self._beta + 0.5 * self._m**2
        return self

    @property
    def max_norm(self) -> float:
        """M, the largest norm of a stored memory, read-only."""
        self._fitted()
        return self._m

    # -- recall and energy ---------------------------------------------------------------
    @v.keywords(queries="cues")
    def recall(
        self,
        cues,
        *,
        max_steps: int = 1,
        tol: float = 1e-6,
        clamp=None,
        return_weights: bool = False,
    ) -> Recall:
        """Run the update ``ξ ← Xᵀ sep(β X ξ)`` from the cues (queries).

        Update t reads the memories with the weights ``p_t = sep(β X ξ_{t−1})`` and moves the
        state to ``ξ_t = Xᵀ p_t``. A query stops when an update moves no component by more
        than ``tol`` times the largest memory component (it has converged) or after
        ``max_steps`` updates; its last update T is what every field of the result describes.
        With values stored, ``states`` are the payloads ``p_T @ values`` (B, P), read with the
        same weights that move the keys to ``ξ_T``: energies, converged, steps and k90 are
        those of that key-space trajectory, and ``extras["key_states"]`` holds ``ξ_T``.

        The update runs in the store's dtype (the memories are never copied). States come
        back float64 if the queries or the store are float64, float32 otherwise; clamped
        components hold the queries' values exactly. On a tensor store (queries and
        ``clamp`` tensors on the same device) every field is a tensor there: states in the
        dtype above (the queries' floating dtype promoted with the store's), energies in
        float64 for a float64 store and float32 otherwise, ``converged`` bool, ``steps`` and
        ``k90`` int64; states, payloads, energies and weights are differentiable.
        ``queries=`` is the deprecated old name of ``cues``.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The queries, the initial states ξ_0.
        max_steps : int, default 1
            The most updates per query (1: one-step retrieval).
        tol : float, default 1e-6
            Convergence tolerance, relative to ``max |x_μi|``; 0 stops only at an exact
            fixed point.
        clamp : array_like of bool or torch.Tensor of shape (N,) or (B, N), optional
            Mask of components held at the query's values while the others are completed;
            any mask that broadcasts to the queries' shape is taken.
        return_weights : bool, default False
            Also return the weights ``p_T`` of each query's last update, (B, K), in the
            store's dtype; this holds all B·K weights, so such a call does not stream.

        Returns
        -------
        Recall
            ``states`` (B, N) or (B, P) with values ((N,) or (P,) for one cue); ``update``
            is the separation's name (``"softmax"`` or ``"sparsemax"``); ``steps`` counts
            updates that moved a query by more than the tolerance; ``energies`` (B, T + 1),
            T the most updates any query ran, holds the key-space energy ``E(ξ_t)`` before
            and after every update (a stopped query keeps its final energy in later columns);
            ``extras["k90"]`` is the number of memories carrying 90% of the weight of
            ``p_T`` (−1 on the streamed path when more than 1024 do), ``extras["weights"]``
            the weights with ``return_weights`` and ``extras["key_states"]`` ξ_T with values.

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the cues do not have N columns, are not finite, or ``clamp`` does not fit
            their shape.
        TypeError
            When the cues or ``clamp`` are tensors and the memories NumPy arrays, or the
            other way round.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> net = hf.ModernHopfield(beta=8.0).store(np.eye(3))
        >>> r = net.recall([0.9, 0.3, 0.0], max_steps=10)
        >>> r.states.round(2), bool(r.converged), int(r.extras["k90"])
        (array([1., 0., 0.]), True, 1)
        """
        self._fitted()
        max_steps = v.integer("max_steps", max_steps, minimum=1)
        tol = v.positive("tol", tol, allow_zero=True)
        return_weights = v.flag("return_weights", return_weights)
        if backend.is_tensor(self._x):
            from ._modern_tensors import recall

            return recall(self, cues, max_steps, tol, clamp, return_weights)
        given, q, single = self._batch("cues", cues)
        self._numpy_mask("clamp", clamp)
        mask = None if clamp is None else dynamics._clamp_mask(clamp, q.shape)
        b, k = len(q), len(self._x)
        state = np.array(q, order="C")
        reads = (self._x,) if self._v is None else (self._x, self._v)
        run = ActiveSet(b, like=q)
        k90 = np.zeros(b, dtype=np.int64)
        weights = np.empty((b, k), self._x.dtype) if return_weights else None
        payload = None if self._v is None else np.empty((b, self._v.shape[1]), self._v.dtype)
        late, late_states = [], []  # streamed queries that stopped early: k90 from one more pass
        for t in range(max_steps):
            idx = run.running
            cur = state[idx]
            last = t == max_steps - 1
            # k90 is wanted once per query, from its last update, and which queries stop is
            # known only after the update: keep the weights where the read holds them anyway.
            hold = return_weights or sep._holds_weights(
                len(cur), k, self.chunk_size, self.separation
            )
            res = self._pass(cur, reads, k90=last and not hold, weights=hold)
            run.record(self._energy_of(res.phi, cur))
            new = res.outs[0]
            if mask is not None:
                np.copyto(new, q[idx], where=mask[idx])
            moved = np.abs(new - cur).max(axis=1) > tol * self._scale
            state[idx] = new
            stop = run.advance(moved, last=last)
            done = idx[stop]
            if hold:
                w = res.weights if stop.all() else res.weights[stop]
                k90[done] = sep._k90(w, k)
                if weights is not None:
                    weights[done] = w
            elif last:
                k90[done] = res.k90
            else:
                late.append(done)
                late_states.append(cur[stop])
            if payload is not None:
                payload[done] = res.outs[1][stop]
            if run.done:
                break
        if late:
            k90[np.concatenate(late)] = self._pass(np.concatenate(late_states), (), k90=True).k90
        # One more similarity pass gives the energy of every final state.
        final = self._energy_of(self._pass(state, ()).phi, state)
        energies = run.energies(final)
        dtype = self._out_dtype(given)
        keys = state.astype(dtype, copy=False)
        if mask is not None and keys.dtype != q.dtype:
            np.copyto(keys, given, where=mask)
        payload = None if payload is None else payload.astype(dtype, copy=False)
        return self._result(keys, payload, run, energies, k90, weights, single)

    def _result(self, keys, payload, run, energies, k90, weights, single) -> Recall:
        """Build the result of either library's loop: the payloads with values, else the keys."""
        extras = {"k90": k90}
        if weights is not None:
            extras["weights"] = weights
        states = keys
        if payload is not None:
            states = payload
            extras["key_states"] = keys
        fields = (states, run.converged, run.steps, energies)
        if single:
            fields = tuple(f[0] for f in fields)
            extras = {key: val[0] for key, val in extras.items()}
        check_finite("ModernHopfield.recall", states, energies, cause=self._cause())
        return Recall(*fields, update=self.separation, extras=extras)

    @v.keywords(queries="cues")
    def retrieve(self, cues, *, return_indices: bool = False):
        """Apply one update with no bookkeeping: the fast path for single-shot retrieval.

        Computes ``Xᵀ sep(β X ξ)``, or ``sep(β X ξ) @ values`` with values stored (attention
        with the stored keys and values); same shape and dtype rules as :meth:`recall`.
        ``queries=`` is the deprecated old name of ``cues``.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The queries ξ.
        return_indices : bool, default False
            Also return, for each cue, the memory with the largest weight, i.e.
            ``topk(cues, 1).indices[:, 0]``, found in a second streamed pass over the
            memories (O(B·chunk) memory, no B × K weights).

        Returns
        -------
        states : ndarray or torch.Tensor of shape (B, N), (B, P), (N,) or (P,)
            The retrieved states, or payloads with values stored; one row for one cue.
        indices : ndarray or torch.Tensor of shape (B,)
            Only with ``return_indices=True`` (then a tuple ``(states, indices)``): int64,
            a number for one cue.

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the cues do not have N columns or are not finite.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> keys, vals = np.eye(3), np.array([[1.0], [2.0], [3.0]])
        >>> hf.ModernHopfield(beta=50.0).store(keys, vals).retrieve([0.1, 0.9, 0.0]).round(6)
        array([2.])
        """
        self._fitted()
        return_indices = v.flag("return_indices", return_indices)
        given, q, single = self._batch("cues", cues)
        out = self._pass(q, (self._x,) if self._v is None else (self._v,)).outs[0]
        dtype = self._out_dtype(given)
        if backend.is_tensor(out):
            out = out.to(dtype)
        else:
            out = out.astype(dtype, copy=False)
            check_finite("ModernHopfield.retrieve", out, cause=self._cause())
        if not return_indices:
            return out[0] if single else out
        best = self._topk(q, 1).indices[:, 0]
        return (out[0], best[0]) if single else (out, best)

    @v.keywords(queries="cues")
    def topk(self, cues, k: int) -> _topk.TopK:
        """Find the ``k`` memories with the largest weights ``sep(β X ξ)`` for each cue.

        Softmax streams over chunks of memories (``chunk_size``, or 2**22 scores at a time)
        with a running log-sum-exp, holding O(B·(chunk + k)) numbers, never the B × K
        weights. Sparsemax works through blocks of queries (its threshold needs every score);
        when fewer than k weights are non-zero the rest of the k are the next memories by
        score, with weight 0. ``queries=`` is the deprecated old name of ``cues``.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The queries ξ.
        k : int
            How many memories, 1 ≤ k ≤ K.

        Returns
        -------
        TopK
            A named tuple ``TopK(indices, weights)``: ``indices`` (B, k) int64, the memories
            in order of decreasing weight (equivalently decreasing score β x_μ·ξ; of equal
            scores the lower index first, also at the k-th place, whatever the chunks), and
            ``weights`` (B, k) their weights in the store's dtype; (k,) each for one cue
            (N,). On a tensor store both are tensors on its device (no autograd graph).

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When ``k`` is not in 1..K or the cues do not have N columns.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> net = hf.ModernHopfield(beta=4.0).store(np.eye(3))
        >>> top = net.topk([0.2, 1.0, 0.5], 2)
        >>> top.indices.tolist(), top.weights.round(3).tolist()
        ([1, 2], [0.85, 0.115])
        """
        self._fitted()
        k = _topk.check_k(k, len(self._x))
        _, q, single = self._batch("cues", cues)
        top = self._topk(q, k)
        return _topk.TopK(top.indices[0], top.weights[0]) if single else top

    def _topk(self, q, k: int) -> _topk.TopK:
        """Find the top k of a batch already in the store's dtype (no checks)."""
        x, n = self._x, len(self._x)
        tensor = backend.is_tensor(q)
        if tensor:
            qb = sep._constant(q) * self._beta if self._beta != 1.0 else sep._constant(q)
            x = sep._constant(x)
        else:
            qb = q * x.dtype.type(self._beta) if self._beta != 1.0 else q
        b = qb.shape[0]
        if self.separation == "softmax":
            chunk = _topk.chunk(b, n, self.chunk_size)
            top, idx, m, total = _topk.stream(
                lambda lo, hi: qb @ x[lo:hi].T, b, n, k, chunk, lse=True
            )
            return _topk.TopK(idx, _topk.softmax_weights(top, m, total, x.dtype))
        parts_i, parts_w = [], []
        for lo in range(0, b, sep._block(n)):
            s = qb[lo : lo + sep._block(n)] @ x.T
            p = _readout.sparsemax_last(s) if tensor else sep._sparsemax64(s)
            _, idx, _, _ = _topk.stream(lambda a, c, s=s: s[:, a:c], len(s), n, k, n, lse=False)
            w = _topk.gather(p, idx)
            parts_i.append(idx)
            parts_w.append(w.to(x.dtype) if tensor else w.astype(x.dtype))
        if len(parts_i) == 1:
            return _topk.TopK(parts_i[0], parts_w[0])
        if tensor:
            import torch

            return _topk.TopK(torch.cat(parts_i), torch.cat(parts_w))
        return _topk.TopK(np.concatenate(parts_i), np.concatenate(parts_w))

    def _cause(self) -> str:
        """Describe what to change when a result is not finite (for the error message)."""
        return f"beta={self._beta:g} with {self._x.dtype} memories of scale {self._scale:g}"

    def energy(self, states) -> np.ndarray | float:
        """Compute the energy E(ξ) of a state or a batch of states.

        The energy of ``hopfield.models.modern`` for the network's separation, in
        float64. On a tensor store: a tensor, (B,) or 0-d for one state, float64 for a
        float64 store and float32 otherwise, differentiable with respect to the states and
        to memories stored with ``requires_grad`` (through ``lse`` and ``½ M²``).

        Parameters
        ----------
        states : array_like or torch.Tensor of shape (B, N) or (N,)
            The states ξ.

        Returns
        -------
        float or ndarray of shape (B,)
            The energies (a float for one state; a tensor on a tensor store).

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the states do not have N columns or are not finite.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> net = hf.ModernHopfield(beta=4.0).store(np.eye(3))
        >>> e = net.energy(np.eye(3))
        >>> bool(np.all((0.0 <= e) & (e <= 2 * net.max_norm**2)))
        True
        """
        self._fitted()
        _, s, single = self._batch("states", states)
        e = self._energy_of(self._pass(s, ()).phi, s)
        if backend.is_tensor(e):
            return e[0] if single else e
        return float(e[0]) if single else e

    # -- the passes over the memories ----------------------------------------------------
    def _batch(self, name: str, value) -> tuple[np.ndarray, np.ndarray, bool]:
        """Return the batch as given (2-D), in the store's dtype, and whether it was 1-D."""
        arr = v.real_array(name, value)
        self._same_library(name, arr)
        v.width(name, arr, self._x.shape[1])
        given = as_rows(arr)
        if backend.is_tensor(given):
            return given, given.to(self._x.dtype), arr.ndim == 1
        q = given.astype(self._x.dtype, copy=False)
        if q is not given and not np.all(np.isfinite(q)):
            raise ValueError(f"{name}: values beyond the range of the store's {q.dtype}")
        return given, q, arr.ndim == 1

    def _out_dtype(self, given):
        """Return the states' dtype: float64 if the queries or the store are float64 (or wider).

        Otherwise float32. Tensors: the queries' floating dtype promoted with the store's
        (the store's for integer queries), so float64 queries on a float32 store give float64
        states and bfloat16 queries on a bfloat16 store give bfloat16 states.
        """
        if backend.is_tensor(given):
            import torch

            if not given.is_floating_point():
                return self._x.dtype
            return torch.promote_types(given.dtype, self._x.dtype)
        wide = given.dtype.kind == "f" and given.dtype.itemsize >= 8
        return np.dtype(np.float64 if wide else self._x.dtype)

    def _energy_of(self, phi, s):
        """Return the energies of the states ``s`` from ``phi``, Ψ* of their scores."""
        if backend.is_tensor(s):
            s = s.to(phi.dtype)
            offset = self._offset
            if _readout.needs_grad(self._x):
                # ½ M² depends on the memories: in the graph when they take gradients.
                import torch

                m = torch.linalg.vector_norm(self._x.to(phi.dtype), dim=1).max()
                offset = offset - 0.5 * self._m**2 + 0.5 * m * m
            return -phi / self._beta + 0.5 * (s * s).sum(dim=1) + offset
        half = 0.5 * np.einsum("ij,ij->i", s, s, dtype=np.float64)
        return -phi / self._beta + half + self._offset

    def _pass(self, q, reads, *, k90: bool = False, weights: bool = False):
        """Compute the scores ``β q Xᵀ``, separate them and apply the weights to ``reads``."""
        if backend.is_tensor(q):
            qb = q * self._beta if self._beta != 1.0 else q
            return _readout.read(
                qb,
                self._x,
                reads,
                self.separation,
                chunk=self.chunk_size,
                k90=k90,
                weights=weights,
            )
        qb = q * self._x.dtype.type(self._beta) if self._beta != 1.0 else q
        return sep._read(
            qb, self._x, reads, self.separation, chunk=self.chunk_size, k90=k90, weights=weights
        )

    # -- saving --------------------------------------------------------------------------
    def _state(self):
        """Return the constructor parameters and the arrays a saved record holds."""
        self._fitted()
        params = {"beta": self._beta, "separation": self.separation, "chunk_size": self.chunk_size}
        return params, self._arrays()

    @classmethod
    def _from_state(cls, params, arrays, source):
        """Rebuild a network from a saved record, or raise ``ValueError`` naming ``source``."""
        try:
            net = cls(
                params["beta"], separation=params["separation"], chunk_size=params["chunk_size"]
            )
            return net._restore(arrays)
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(
                f"path: {source} has a damaged ModernHopfield record ({err})"
            ) from None

    def __repr__(self) -> str:
        state = self._sizes()
        return f"ModernHopfield(beta={self.beta!r}, separation={self.separation!r}{state})"

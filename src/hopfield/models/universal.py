r"""Universal Hopfield networks: projection · separation(similarity) (Millidge et al. 2022).

Millidge et al. [1]_ write single-shot associative memories as three parts: a similarity
between the query and every memory, a separation that sharpens the similarities into
weights, and a projection that reads the output with those weights. Memories M, of shape
(K, N), are stored as they are, with an optional projection P, of shape (K, P), for
hetero-association (P = M by default). A query q is answered in one shot:

.. math::

    \mathrm{out} = P^\top \operatorname{sep}\bigl(\beta \operatorname{sim}(M, q)\bigr).

With more than one step each output is fed back as the next query (auto-association).

.. rubric:: Similarities

Larger is more similar; with ``clamp`` only the clamped (known) components count.

``dot``
    :math:`m \cdot q`.
``cosine``
    :math:`m \cdot q / (\lVert m \rVert \lVert q \rVert)`.
``euclidean``
    :math:`-\lVert m - q \rVert`.
``manhattan``
    :math:`-\lVert m - q \rVert_1`.

.. rubric:: Separations

Applied to the K scores :math:`z = \beta \operatorname{sim}` of a query:

``identity``
    :math:`z`, the scores themselves.
``polynomial``
    :math:`z^n` (``degree``).
``softmax``
    :math:`\exp(z_\mu) / \sum_\nu \exp(z_\nu)`.
``max``
    One-hot on the best score (first on ties).
``sparsemax``
    The projection of z on the simplex (:func:`hopfield.separation.sparsemax`).

β scales the scores before every separation: it sets how sharp softmax and sparsemax are,
scales identity and polynomial outputs by β and βⁿ, and does not change ``max``.

.. rubric:: Known models are special cases

* Modern Hopfield (Ramsauer et al. 2020): ``dot`` + ``softmax`` is
  :math:`\xi \leftarrow M^\top \operatorname{softmax}(\beta M \xi)`,
  :class:`hopfield.ModernHopfield` with the same β, step for step.
* Classical Hopfield with Hebb's rule: for K ±1 memories, ``dot`` + ``identity`` gives
  :math:`M^\top M \sigma = N W \sigma + K \sigma`, W the Hebbian weights (diagonal zeroed)
  and Kσ the self-coupling W leaves out, so taking signs is one synchronous Hebbian step
  except where :math:`|N (W\sigma)_i| \le K` (there the self-coupling keeps σ_i, or ties).
* Dense associative memory (Krotov & Hopfield 2016): ``dot`` + ``polynomial(n)`` gives
  :math:`\sum_\mu \xi^\mu (\xi^\mu \cdot \sigma)^n = -\nabla E / (n + 1)` for the energy
  :math:`E = -\sum_\mu (\xi^\mu \cdot \sigma)^{n+1}`. The dense memory's own update takes
  signs of an energy *difference* with neuron i left out of the overlaps, not of this
  gradient; the two agree near memories at low load and part ways at high load, where the
  self-terms grow.

.. rubric:: Energy and retrieval quality

There is no energy in general: only some similarity–separation pairs derive from one, so
:meth:`hopfield.UniversalMemory.recall` fills ``Recall.energies`` with NaN and the model has
no ``energy`` method; its guarantees are those of the special cases above. Which similarity
fits the data matters more than which separation: on natural-image patches
(``examples/universal_images.py``) the Euclidean and Manhattan similarities retrieve from
noisy or half-hidden queries where the dot product, which prefers bright, high-contrast
memories, almost never does, as Millidge et al. found [1]_.

.. rubric:: PyTorch

Memories, values and queries may be tensors on any device (float32, float64; float16 and
bfloat16 too, at their rounding: cosine and euclidean norms are taken in float64, or float32
on devices without it). Every similarity × separation pair runs where the tensors are and
returns tensors there (all fields of the Recall); retrieval is differentiable with respect to
the queries and to memories stored with ``requires_grad`` (stored without a detach: their
graph is kept). ``max`` has zero gradient almost everywhere and ``euclidean`` none at a query
equal to a memory (the distance's square root); a store holds arrays of one library only.

.. rubric:: Cost

Dot, cosine and euclidean scores are one GEMM per step (euclidean through
:math:`\lVert m \rVert^2 - 2\, m \cdot q + \lVert q \rVert^2`); manhattan cannot be a GEMM and
is computed in blocks of queries so that its (block, K, N) differences stay within a fixed
budget.

References
----------
.. [1] B. Millidge, T. Salvatori, Y. Song, T. Lukasiewicz and R. Bogacz, "Universal Hopfield
   networks: a general framework for single-shot associative memory models", ICML (2022).
"""

from __future__ import annotations

import numpy as np

from .. import _backend as backend
from .. import _readout, _topk
from .. import _validation as v
from .. import separation as _sep
from .._finite import check as check_finite
from ..recall import ActiveSet, Recall
from ..separation import _constant, softmax, sparsemax
from ._keyvalue import KeyValueMemory, as_rows

__all__ = ["SEPARATIONS", "SIMILARITIES", "UniversalMemory"]

SIMILARITIES = ("dot", "cosine", "euclidean", "manhattan")
SEPARATIONS = ("identity", "polynomial", "softmax", "max", "sparsemax")

_BUDGET = 1 << 22  # elements of the (block, K, N) differences one manhattan block holds


def _known_mask(known, shape: tuple[int, int]) -> np.ndarray | None:
    """Return the ``clamp`` mask broadcast to ``shape`` (NumPy), or None.

    Raises
    ------
    TypeError
        When the mask is not boolean.
    ValueError
        When it does not broadcast to ``shape`` or a query has no known component.
    """
    if known is None:
        return None
    arr = np.asarray(known)
    if arr.dtype != np.bool_:
        raise TypeError(f"clamp: expected a boolean mask, got dtype {arr.dtype}")
    try:
        mask = np.ascontiguousarray(np.broadcast_to(arr, shape))
    except ValueError:
        raise ValueError(
            f"clamp: expected a mask of shape (N,) or (B, N) = {shape}, got {arr.shape}"
        ) from None
    if not mask.any(axis=1).all():
        raise ValueError("clamp: every query needs at least one known component")
    return mask


class UniversalMemory(KeyValueMemory):
    """Single-shot associative memory from a similarity, a separation and a projection.

    Retrieves ``Pᵀ sep(β sim(M, q))`` (Millidge et al. [1]_; the parts and the models they
    contain: ``hopfield.models.universal``). Queries are (B, N) or (N,); recalled states are
    (B, N), or (B, P) with values stored.

    Parameters
    ----------
    similarity : {"dot", "cosine", "euclidean", "manhattan"}, default "dot"
        How a query is compared with each memory (larger is more similar).
    separation : {"identity", "polynomial", "softmax", "max", "sparsemax"}, default "softmax"
        How the scaled similarities become weights.
    beta : float, default 1.0
        The scale β > 0 of the similarities before the separation.
    degree : int, default 2
        The power n >= 1 of the ``"polynomial"`` separation (unused by the others).

    Attributes
    ----------
    patterns : ndarray or torch.Tensor of shape (K, N)
        The stored memories, float32 or float64 (a tensor store keeps its dtype).
        Read-only; set by :meth:`store`. ``memories`` is its deprecated old name.
    values : ndarray or torch.Tensor of shape (K, P) or None
        The projection for hetero-association, or ``None`` (auto-association). Read-only;
        set by :meth:`store`.
    n_neurons : int
        N, the width of a memory. Read-only; set by :meth:`store`.

    Raises
    ------
    ValueError
        When ``similarity`` or ``separation`` is not one of the choices, ``beta`` is not a
        finite number > 0 or ``degree`` is below 1.
    TypeError
        When ``beta`` is not a real number or ``degree`` not an int.

    See Also
    --------
    hopfield.ModernHopfield : The iterated dot + softmax memory, with an energy.

    References
    ----------
    .. [1] B. Millidge, T. Salvatori, Y. Song, T. Lukasiewicz and R. Bogacz, "Universal
       Hopfield networks: a general framework for single-shot associative memory models",
       ICML (2022).

    Examples
    --------
    >>> import numpy as np
    >>> import hopfield as hf
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((100, 64)) * rng.uniform(0.5, 2.0, (100, 1))  # varied brightness
    >>> queries = X[:5] + 0.1 * rng.standard_normal((5, 64))
    >>> for sim in ("dot", "euclidean"):  # dot favours the brightest memory
    ...     r = hf.UniversalMemory(sim, "max").store(X).recall(queries)
    ...     print(sim, bool(np.allclose(r.states, X[:5])))
    dot False
    euclidean True
    """

    def __init__(
        self,
        similarity: str = "dot",
        separation: str = "softmax",
        *,
        beta: float = 1.0,
        degree: int = 2,
    ):
        self.similarity = similarity
        self.separation = separation
        self.beta = beta
        self.degree = degree
        v.choose("similarity", similarity, SIMILARITIES)
        v.choose("separation", separation, SEPARATIONS)
        self._beta = v.positive("beta", beta)
        self._degree = v.integer("degree", degree, minimum=1)

    # -- storing -------------------------------------------------------------------------
    @v.keywords(memories="patterns")
    def store(self, patterns, values=None) -> UniversalMemory:
        """Store memories, with optional values; calling it again adds more.

        Memories are copied once, as float32 unless float64 is given (integer keys with
        float32 values, or the reverse, promote to float64, as NumPy does). ``values`` (one row
        per memory) replace the memories as the projection, for hetero-association; either
        every call gives values or none does. PyTorch tensors stay tensors on their device,
        with their autograd graph (``hopfield.models.universal``). ``memories=`` is the
        deprecated old name of ``patterns``.

        Parameters
        ----------
        patterns : array_like or torch.Tensor of shape (K, N) or (N,)
            The memories M, real numbers; one (N,) memory is stored as one row.
        values : array_like or torch.Tensor of shape (K, P) or (P,), optional
            The projection P for hetero-association, one row per memory.

        Returns
        -------
        UniversalMemory
            The memory, for chaining.

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
        >>> import hopfield as hf
        >>> mem = hf.UniversalMemory("euclidean", "max").store([[0.0, 0.0], [1.0, 3.0]])
        >>> mem.store([2.0, 2.0]).patterns.shape
        (3, 2)
        """
        self._add("patterns", patterns, values)
        if backend.is_tensor(self._x):
            import torch

            # Squared norms are taken per call on tensors, so that they stay in the graph.
            self._sq = None
            work = _readout.work_dtype(torch, self._x.dtype)
            inf = torch.linalg.vector_norm(self._x.detach(), ord=float("inf"), dtype=work)
            self._scale = float(inf)
        else:
            self._sq = np.einsum("ij,ij->i", self._x, self._x, dtype=np.float64)
            self._scale = float(np.abs(self._x).max())
        return self

    # -- retrieval -----------------------------------------------------------------------
    @v.keywords(queries="cues", known="clamp")
    def recall(
        self, cues, *, max_steps: int = 1, tol: float = 1e-6, clamp=None
    ) -> Recall:
        """Retrieve from the cues (queries): ``q ← Pᵀ sep(β sim(M, q))``.

        One step is the single-shot retrieval of Millidge et al.; more steps feed each output
        back as the next query (auto-association). With values stored, the steps run in
        memory space and the last one reads the values. ``queries=`` and ``known=`` are the
        deprecated old names of ``cues`` and ``clamp``.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The queries.
        max_steps : int, default 1
            The most updates per query (1: single-shot retrieval).
        tol : float, default 1e-6
            A query stops when an update moves no component by more than ``tol`` times the
            largest memory component (it has converged).
        clamp : array_like of bool or torch.Tensor of shape (N,) or (B, N), optional
            Mask of the query components that are known (any mask that broadcasts to the
            queries' shape). The similarity is measured on those
            components only, and, without values, they are held at the query's values in the
            memory-space states while the rest are completed. Default: all known.

        Returns
        -------
        Recall
            ``states`` (B, N), or (B, P) with values ((N,) or (P,) for one cue); ``update``
            names the pair, e.g. ``"euclidean+softmax"``; ``steps`` counts updates that
            moved a query by more than the tolerance; ``energies`` (B, T + 1) is NaN, as
            there is no energy in general (``hopfield.models.universal``). On a tensor
            store every field is a tensor on the memories' device (energies in float64 for
            a float64 store, float32 otherwise).

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the cues do not have N columns or are not finite, ``clamp`` does not fit
            them, or a query has no known component.
        TypeError
            When ``clamp`` is not boolean, or the cues or ``clamp`` are in another library
            than the memories.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> mem = hf.UniversalMemory("euclidean", "max").store([[1.0, 2.0], [3.0, 4.0]])
        >>> known = np.array([False, True])  # the second component is known and kept
        >>> r = mem.recall([9.0, 3.5], clamp=known, max_steps=5)
        >>> r.states, bool(r.converged), int(r.steps)
        (array([3. , 3.5]), True, 1)
        """
        self._fitted()
        max_steps = v.integer("max_steps", max_steps, minimum=1)
        tol = v.positive("tol", tol, allow_zero=True)
        q, single = self._batch("cues", cues)
        mask = self._known(clamp, q)
        xp = backend.namespace(q)
        dev = backend.device(q)
        b = q.shape[0]
        state = cur = q
        run = ActiveSet(b, like=q)
        out = None
        if self._v is not None:
            out = xp.zeros((b, self._v.shape[1]), dtype=self._v.dtype, device=dev)
        for t in range(max_steps):
            idx = run.running
            p = self._weights(cur, None if mask is None else mask[idx])
            new = xp.matmul(p, self._x)
            if mask is not None:
                new = xp.where(mask[idx], q[idx], new)
            moved = xp.max(xp.abs(_constant(new - cur)), axis=1) > tol * self._scale
            state = _readout.put_rows(state, idx, new)
            stop = run.advance(moved, last=t == max_steps - 1)
            if out is not None:
                # The weights that produced the last memory-space state read the values.
                out = _readout.put_rows(out, idx[stop], xp.matmul(p[stop], self._v))
            cur = new[~stop]
            if run.done:
                break
        converged, steps = run.converged, run.steps
        states = state if out is None else out
        check_finite("UniversalMemory.recall", states, cause=f"{self!r}: lower degree or beta")
        # No energy is defined for most similarity/separation pairs: NaN, one column per step run.
        edtype = xp.float64 if backend.is_numpy(xp) else _readout.work_dtype(xp, q.dtype)
        energies = xp.full((b, int(xp.max(steps)) + 1), float("nan"), dtype=edtype, device=dev)
        fields = (states, converged, steps, energies)
        if single:
            fields = tuple(f[0] for f in fields)
        return Recall(*fields, update=f"{self.similarity}+{self.separation}")

    @v.keywords(queries="cues", known="clamp")
    def retrieve(self, cues, *, clamp=None, return_indices: bool = False):
        """Retrieve in one step: ``Pᵀ sep(β sim(M, q))``.

        The result is the states of ``recall(cues, clamp=clamp)``.
        ``queries=`` and ``known=`` are the deprecated old names of ``cues`` and ``clamp``.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The queries.
        clamp : array_like of bool or torch.Tensor of shape (N,) or (B, N), optional
            Mask of the known query components, as in :meth:`recall`.
        return_indices : bool, default False
            Also return, for each cue, the memory with the largest weight,
            ``topk(cues, 1, clamp=clamp).indices[:, 0]`` (a second, streamed pass).

        Returns
        -------
        states : ndarray or torch.Tensor of shape (B, N), (B, P), (N,) or (P,)
            The retrieved states, or payloads with values stored.
        indices : ndarray or torch.Tensor of shape (B,)
            Only with ``return_indices=True`` (then a tuple ``(states, indices)``): int64,
            a number for one cue.

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the cues do not have N columns or ``clamp`` does not fit them.

        Examples
        --------
        >>> import hopfield as hf
        >>> mem = hf.UniversalMemory("euclidean", "max").store([[0.0, 0.0], [1.0, 3.0]])
        >>> mem.retrieve([0.9, 2.0], return_indices=True)
        (array([1., 3.]), np.int64(1))
        """
        return_indices = v.flag("return_indices", return_indices)
        states = self.recall(cues, clamp=clamp).states
        if not return_indices:
            return states
        best = self.topk(cues, 1, clamp=clamp).indices
        return states, best[0] if best.ndim == 1 else best[:, 0]

    @v.keywords(queries="cues", known="clamp")
    def topk(self, cues, k: int, *, clamp=None) -> _topk.TopK:
        """Find the ``k`` memories with the largest weights ``sep(β sim(M, q))``, streamed.

        For softmax, ``max`` and the identity the order is that of the scores; for
        ``polynomial`` that of ``(β sim)ⁿ``. ``max`` gives weight 1 to the first and 0 to the
        rest; sparsemax gives 0 beyond its support, where the memories follow by score.
        Every separation but sparsemax streams over chunks of memories (a running
        log-sum-exp for softmax), holding O(B·(chunk + k)) numbers, never the B × K weights;
        sparsemax's threshold needs every score, so it works through blocks of queries.
        ``queries=`` and ``known=`` are the deprecated old names of ``cues`` and ``clamp``.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The queries.
        k : int
            How many memories, 1 ≤ k ≤ K.
        clamp : array_like of bool or torch.Tensor of shape (N,) or (B, N), optional
            Mask of the known query components, as in :meth:`recall`.

        Returns
        -------
        TopK
            A named tuple ``TopK(indices, weights)``: ``indices`` (B, k) int64, by
            decreasing weight (then decreasing score β sim; of equal ones the lower index
            first, also at the k-th place), and ``weights`` (B, k) their weights in the
            store's dtype; (k,) each for one cue. On a tensor store both are tensors on its
            device (no autograd graph).

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When ``k`` is not in 1..K or the cues do not have N columns.

        Examples
        --------
        >>> import hopfield as hf
        >>> mem = hf.UniversalMemory("manhattan", "softmax", beta=2.0)
        >>> top = mem.store([[0.0, 0.0], [1.0, 3.0], [1.0, 1.0]]).topk([1.0, 2.0], 2)
        >>> top.indices.tolist(), top.weights.round(3).tolist()  # a tie: lower index first
        ([1, 2], [0.495, 0.495])
        """
        self._fitted()
        k = _topk.check_k(k, len(self._x))
        q, single = self._batch("cues", cues)
        mask = self._known(clamp, q)
        q = _constant(q)
        top = self._topk(q, mask, k)
        return _topk.TopK(top.indices[0], top.weights[0]) if single else top

    def _topk(self, q, mask, k: int) -> _topk.TopK:
        """Find the top k of a checked batch (scores cut from the autograd graph)."""
        xp = backend.namespace(q)
        b, n, dtype, kind = q.shape[0], len(self._x), self._x.dtype, self.separation

        def scores(qs, ms, rows=slice(None)):
            z = _constant(self._similarity(qs, ms, rows))
            if self._beta != 1.0:
                z = z * self._beta if backend.is_tensor(z) else z * z.dtype.type(self._beta)
            return z**self._degree if kind == "polynomial" else z

        if kind == "sparsemax":
            parts_i, parts_w = [], []
            step = _sep._block(n)
            for lo in range(0, b, step):
                z = scores(q[lo : lo + step], None if mask is None else mask[lo : lo + step])
                _, idx, _, _ = _topk.stream(lambda a, c, z=z: z[:, a:c], len(z), n, k, n, lse=False)
                parts_i.append(idx)
                parts_w.append(xp.astype(_topk.gather(sparsemax(z, axis=1), idx), dtype))
            if len(parts_i) == 1:
                return _topk.TopK(parts_i[0], parts_w[0])
            return _topk.TopK(xp.concat(parts_i, axis=0), xp.concat(parts_w, axis=0))
        top, idx, m, total = _topk.stream(
            lambda lo, hi: scores(q, mask, slice(lo, hi)),
            b,
            n,
            k,
            _topk.chunk(b, n),
            lse=kind == "softmax",
        )
        if kind == "softmax":
            return _topk.TopK(idx, _topk.softmax_weights(top, m, total, dtype))
        if kind == "max":
            w = xp.zeros(top.shape, dtype=dtype, device=backend.device(top))
            w[:, 0] = 1.0
            return _topk.TopK(idx, w)
        return _topk.TopK(idx, xp.astype(top, dtype))

    @v.keywords(queries="cues", known="clamp")
    def weights(self, cues, *, clamp=None) -> np.ndarray:
        """Compute the separation's weights ``sep(β sim(M, q))`` on each memory.

        Softmax and sparsemax weights lie on the simplex; ``max`` gives one-hot rows.
        ``queries=`` and ``known=`` are the deprecated old names of ``cues`` and ``clamp``.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The queries.
        clamp : array_like of bool or torch.Tensor of shape (N,) or (B, N), optional
            Mask of the known query components, as in :meth:`recall`.

        Returns
        -------
        ndarray or torch.Tensor of shape (B, K) or (K,)
            The weights, one row per cue.

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the cues do not have N columns or ``clamp`` does not fit them.

        Examples
        --------
        >>> import hopfield as hf
        >>> mem = hf.UniversalMemory("euclidean", "sparsemax").store([[0.0], [1.0]])
        >>> mem.weights([0.2])
        array([0.8, 0.2])
        """
        self._fitted()
        q, single = self._batch("cues", cues)
        p = self._weights(q, self._known(clamp, q))
        return p[0] if single else p

    @v.keywords(queries="cues", known="clamp")
    def similarities(self, cues, *, clamp=None) -> np.ndarray:
        """Compute the similarity of each query to each memory (before β).

        ``queries=`` and ``known=`` are the deprecated old names of ``cues`` and ``clamp``.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The queries.
        clamp : array_like of bool or torch.Tensor of shape (N,) or (B, N), optional
            Mask of the known query components; only those are compared.

        Returns
        -------
        ndarray or torch.Tensor of shape (B, K) or (K,)
            The similarities, one row per cue.

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the cues do not have N columns or ``clamp`` does not fit them.

        Examples
        --------
        >>> import hopfield as hf
        >>> hf.UniversalMemory("manhattan").store([[0.0, 0.0], [1.0, 3.0]]).similarities([1, 1])
        array([-2., -2.])
        """
        self._fitted()
        q, single = self._batch("cues", cues)
        s = self._similarity(q, self._known(clamp, q))
        return s[0] if single else s

    # -- the three parts -----------------------------------------------------------------
    def _batch(self, name: str, value):
        """Return the batch as 2-D rows in the store's dtype, and whether it was 1-D."""
        arr = v.real_array(name, value)
        self._same_library(name, arr)
        v.width(name, arr, self._x.shape[1])
        q = as_rows(arr)
        if backend.is_tensor(q):
            return q.to(self._x.dtype), arr.ndim == 1
        return q.astype(self._x.dtype), arr.ndim == 1

    def _known(self, known, q):
        """Return the ``clamp`` mask for the batch ``q`` in its library, or None."""
        if known is None or not backend.is_tensor(q):
            self._numpy_mask("clamp", known)
            return _known_mask(known, q.shape)
        mask = _readout.bool_mask("clamp", known, q, tuple(q.shape))
        if not bool(mask.any(dim=1).all()):
            raise ValueError("clamp: every query needs at least one known component")
        return mask

    def _weights(self, q, mask):
        """Compute the (B, K) weights ``sep(β sim(M, q))``."""
        xp = backend.namespace(q)
        z = self._similarity(q, mask)
        if self._beta != 1.0:
            z = z * self._beta if backend.is_tensor(z) else z * z.dtype.type(self._beta)
        sep = self.separation
        if sep == "softmax":
            return softmax(z, axis=1)
        if sep == "sparsemax":
            return sparsemax(z, axis=1)
        if sep == "max":
            best = xp.argmax(z, axis=1)[:, None]
            cols = xp.arange(z.shape[1], device=backend.device(z))[None, :]
            return xp.astype(cols == best, z.dtype)
        if sep == "polynomial":
            return z**self._degree
        return z

    def _similarity(self, q, mask, rows=slice(None)):
        """Compute (B, K) similarities, or (B, len(rows)) to the memories ``rows`` (a slice)."""
        xp = backend.namespace(q)
        x, kind = self._x[rows], self.similarity
        qk = q if mask is None else xp.where(mask, q, xp.zeros_like(q))
        if kind == "manhattan":
            return -self._manhattan(qk, mask, x)
        dots = xp.matmul(qk, x.T)
        if kind == "dot":
            return dots
        # Norms and distances in float64 (where the device has it), as squared norms cancel.
        wide = _readout.wide_dtype(xp, q)
        xx = xp.astype(x, wide)
        if mask is None:
            msq = (xp.sum(xx * xx, axis=1) if self._sq is None else self._sq[rows])[None, :]
        else:
            # Squared norms of the memories over each query's known components (one GEMM).
            msq = xp.matmul(xp.astype(mask, wide), (xx * xx).T)
        qw = xp.astype(qk, wide)
        qsq = xp.sum(qw * qw, axis=1)[:, None]
        dw = xp.astype(dots, wide)
        if kind == "cosine":
            norms = xp.sqrt(msq * qsq)
            safe = xp.where(norms > 0, norms, xp.ones_like(norms))
            sims = xp.where(norms > 0, dw / safe, xp.zeros_like(dw))
            return xp.astype(sims, x.dtype)
        d2 = xp.clip(msq - 2.0 * dw + qsq, min=0.0)
        return -xp.astype(xp.sqrt(d2), x.dtype)

    def _manhattan(self, qk, mask, x):
        """Compute the (B, K) Manhattan distances in blocks of queries within the budget."""
        xp = backend.namespace(qk)
        b, k, n = qk.shape[0], x.shape[0], x.shape[1]
        block = max(1, _BUDGET // (k * n))
        parts = []
        for start in range(0, b, block):
            diff = xp.abs(qk[start : start + block, None, :] - x[None, :, :])
            if mask is not None:
                diff = diff * xp.astype(mask[start : start + block, None, :], diff.dtype)
            parts.append(xp.sum(diff, axis=2))
        return parts[0] if len(parts) == 1 else xp.concat(parts, axis=0)

    # -- saving --------------------------------------------------------------------------
    def _state(self):
        """Return the constructor parameters and the arrays a saved record holds."""
        self._fitted()
        params = {
            "similarity": self.similarity,
            "separation": self.separation,
            "beta": self._beta,
            "degree": self._degree,
        }
        return params, self._arrays()

    @classmethod
    def _from_state(cls, params, arrays, source):
        """Rebuild a memory from a saved record, or raise ``ValueError`` naming ``source``."""
        try:
            mem = cls(
                params["similarity"],
                params["separation"],
                beta=params["beta"],
                degree=params["degree"],
            )
            return mem._restore(arrays)
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(
                f"path: {source} has a damaged UniversalMemory record ({err})"
            ) from None

    def __repr__(self) -> str:
        state = self._sizes()
        extra = f", degree={self.degree!r}" if self.separation == "polynomial" else ""
        return (
            f"UniversalMemory(similarity={self.similarity!r}, separation={self.separation!r}, "
            f"beta={self.beta!r}{extra}{state})"
        )

"""Universal Hopfield networks: projection · separation(similarity) (Millidge et al. 2022).

Memories M (K, N) are stored as they are, with an optional projection P (K, P) for
hetero-association (P = M by default). A query q is answered in one shot:

    ``out = Pᵀ sep(β sim(M, q))``

Similarities (larger is more similar; with ``known`` only the known components count):
    ``dot`` ``m·q``; ``cosine`` ``m·q / (‖m‖ ‖q‖)``; ``euclidean`` ``−‖m − q‖``;
    ``manhattan`` ``−‖m − q‖₁``.
Separations, applied to the K scores z = β sim of a query:
    ``identity`` z; ``polynomial`` zⁿ (``degree``); ``softmax`` exp(z) / Σ exp(z);
    ``max`` one-hot on the best score (first on ties); ``sparsemax`` the projection of z on
    the simplex (:func:`hopfield.separation.sparsemax`).
β scales the scores before every separation: it sets how sharp softmax and sparsemax are,
scales identity and polynomial outputs by β and βⁿ, and does not change ``max``.

Known models are special cases:
    * modern Hopfield (Ramsauer et al. 2020): ``dot`` + ``softmax`` is ``ξ ← Mᵀ softmax(β M ξ)``,
      :class:`~hopfield.models.modern.ModernHopfield` with the same β, step for step;
    * classical Hopfield with Hebb's rule: for K ±1 memories, ``dot`` + ``identity`` gives
      ``MᵀM σ = N W σ + K σ``, W the Hebbian weights (diagonal zeroed) and K σ the
      self-coupling W leaves out, so taking signs is one synchronous Hebbian step except where
      ``|N (Wσ)_i| ≤ K`` (there the self-coupling keeps σ_i, or ties);
    * dense associative memory (Krotov & Hopfield 2016): ``dot`` + ``polynomial(n)`` gives
      ``Σ_μ ξ^μ (ξ^μ·σ)ⁿ = −∇E / (n + 1)`` for the energy ``E = −Σ_μ (ξ^μ·σ)^{n+1}``. The
      dense memory's own update takes signs of an energy *difference* with neuron i left out of
      the overlaps, not of this gradient; the two agree near memories at low load and part
      ways at high load, where the self-terms grow.

On natural-image patches (``examples/universal_images.py``) the Euclidean and Manhattan
similarities retrieve from noisy or half-hidden queries where the dot product, which prefers
bright, high-contrast memories, almost never does, as Millidge et al. found.

There is no energy in general: only some similarity–separation pairs derive from one, so
``recall`` fills ``Recall.energies`` with NaN and the model has no ``energy`` method.

Cost: dot, cosine and euclidean scores are one GEMM per step (euclidean through
``‖m‖² − 2 m·q + ‖q‖²``); manhattan cannot be a GEMM and is computed in blocks of queries so
that its (block, K, N) differences stay within a fixed budget.

References:
    B. Millidge, T. Salvatori, Y. Song, T. Lukasiewicz and R. Bogacz, "Universal Hopfield
    networks: a general framework for single-shot associative memory models", ICML (2022).
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .._finite import check as check_finite
from ..recall import Recall
from ..separation import softmax, sparsemax
from ._keyvalue import KeyValueMemory

__all__ = ["SEPARATIONS", "SIMILARITIES", "UniversalMemory"]

SIMILARITIES = ("dot", "cosine", "euclidean", "manhattan")
SEPARATIONS = ("identity", "polynomial", "softmax", "max", "sparsemax")

_BUDGET = 1 << 22  # elements of the (block, K, N) differences one manhattan block holds


def _known_mask(known, shape: tuple[int, int]) -> np.ndarray | None:
    if known is None:
        return None
    arr = np.asarray(known)
    if arr.dtype != np.bool_:
        raise TypeError(f"known: expected a boolean mask, got dtype {arr.dtype}")
    try:
        mask = np.ascontiguousarray(np.broadcast_to(arr, shape))
    except ValueError:
        raise ValueError(
            f"known: expected a mask of shape (N,) or (B, N) = {shape}, got {arr.shape}"
        ) from None
    if not mask.any(axis=1).all():
        raise ValueError("known: every query needs at least one known component")
    return mask


class UniversalMemory(KeyValueMemory):
    """Single-shot associative memory from a similarity, a separation and a projection.

    Args:
        similarity: ``"dot"``, ``"cosine"``, ``"euclidean"`` or ``"manhattan"``.
        separation: ``"identity"``, ``"polynomial"``, ``"softmax"``, ``"max"`` or
            ``"sparsemax"``.
        beta: β > 0, multiplies the similarities before the separation.
        degree: n >= 1, the power of the ``"polynomial"`` separation (unused by the others).

    Attributes (set by :meth:`store`, read-only):
        memories: (K, N) the stored patterns, float32 or float64.
        values: (K, P) the projection for hetero-association, or ``None`` (auto-association).

    Shapes:
        queries (B, N) or (N,); recall states (B, N), or (B, P) with values.

    Examples:
        >>> import numpy as np
        >>> from hopfield.models.universal import UniversalMemory
        >>> rng = np.random.default_rng(0)
        >>> X = rng.random((100, 64)) * rng.uniform(0.5, 2.0, (100, 1))  # varied brightness
        >>> queries = X[:5] + 0.1 * rng.standard_normal((5, 64))
        >>> for sim in ("dot", "euclidean"):  # dot favours the brightest memory
        ...     r = UniversalMemory(sim, "max").store(X).recall(queries)
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
    def store(self, memories, values=None) -> UniversalMemory:
        """Store memories (K, N) or one (N,), with optional ``values`` (K, P); adds on repeat.

        Memories are copied once, as float32 unless float64 is given. ``values`` (one row per
        memory) replace the memories as the projection, for hetero-association; either every
        call gives values or none does.
        """
        self._add("memories", memories, values)
        self._sq = np.einsum("ij,ij->i", self._x, self._x, dtype=np.float64)
        self._scale = float(np.abs(self._x).max())
        return self

    # -- retrieval -----------------------------------------------------------------------
    def recall(
        self, queries, *, max_steps: int = 1, tol: float = 1e-6, known=None
    ) -> Recall:
        """Retrieve from ``queries`` (B, N) or (N,): ``q ← Pᵀ sep(β sim(M, q))``.

        One step is the single-shot retrieval of Millidge et al.; more steps feed each output
        back as the next query (auto-association). With values stored, the steps run in
        memory space and the last one reads the values.

        Args:
            max_steps: the most updates per query (1: single-shot retrieval).
            tol: a query stops when an update moves no component by more than ``tol`` times
                the largest memory component (it has converged).
            known: boolean mask, (N,) or (B, N), of the query components that are known. The
                similarity is measured on those components only, and, without values, they
                are held at the query's values in the memory-space states while the rest are
                completed. Default: all known.

        Returns:
            a :class:`~hopfield.recall.Recall`: ``steps`` counts updates that moved a query
            by more than the tolerance; ``energies`` (B, T + 1) is NaN, as there is no energy
            in general (module docstring).
        """
        self._fitted()
        max_steps = v.integer("max_steps", max_steps, minimum=1)
        tol = v.positive("tol", tol, allow_zero=True)
        q, single = self._batch("queries", queries)
        mask = _known_mask(known, q.shape)
        b = len(q)
        state = q.copy()
        converged = np.zeros(b, dtype=np.bool_)
        steps = np.zeros(b, dtype=np.int64)
        out = None if self._v is None else np.empty((b, self._v.shape[1]), self._v.dtype)
        idx = np.arange(b)
        for t in range(max_steps):
            cur = state[idx]
            p = self._weights(cur, None if mask is None else mask[idx])
            new = p @ self._x
            if mask is not None:
                np.copyto(new, q[idx], where=mask[idx])
            moved = np.abs(new - cur).max(axis=1) > tol * self._scale
            state[idx] = new
            steps[idx] += moved
            converged[idx[~moved]] = True
            stop = ~moved if t < max_steps - 1 else np.ones_like(moved)
            if out is not None:
                # The weights that produced the last memory-space state read the values.
                out[idx[stop]] = p[stop] @ self._v
            idx = idx[~stop]
            if idx.size == 0:
                break
        states = state if out is None else out
        check_finite("UniversalMemory.recall", states, cause=f"{self!r}: lower degree or beta")
        # No energy is defined for most similarity/separation pairs: NaN, one column per step run.
        energies = np.full((b, int(steps.max()) + 1), np.nan)
        fields = (states, converged, steps, energies)
        if single:
            fields = tuple(f[0] for f in fields)
        return Recall(*fields, update=f"{self.similarity}+{self.separation}")

    def weights(self, queries, *, known=None) -> np.ndarray:
        """The separation's weights ``sep(β sim(M, q))`` on each memory, (B, K) or (K,).

        Softmax and sparsemax weights lie on the simplex; ``max`` gives one-hot rows.

        Examples:
            >>> from hopfield.models.universal import UniversalMemory
            >>> mem = UniversalMemory("euclidean", "sparsemax").store([[0.0], [1.0]])
            >>> mem.weights([0.2])
            array([0.8, 0.2])
        """
        self._fitted()
        q, single = self._batch("queries", queries)
        p = self._weights(q, _known_mask(known, q.shape))
        return p[0] if single else p

    def similarities(self, queries, *, known=None) -> np.ndarray:
        """The similarity of each query to each memory (before β), (B, K) or (K,).

        Examples:
            >>> from hopfield.models.universal import UniversalMemory
            >>> UniversalMemory("manhattan").store([[0.0, 0.0], [1.0, 3.0]]).similarities([1, 1])
            array([-2., -2.])
        """
        self._fitted()
        q, single = self._batch("queries", queries)
        s = self._similarity(q, _known_mask(known, q.shape))
        return s[0] if single else s

    # -- the three parts -----------------------------------------------------------------
    def _batch(self, name: str, value) -> tuple[np.ndarray, bool]:
        arr = v.real_array(name, value)
        v.width(name, arr, self._x.shape[1])
        return np.atleast_2d(arr).astype(self._x.dtype), arr.ndim == 1

    def _weights(self, q: np.ndarray, mask) -> np.ndarray:
        z = self._similarity(q, mask)
        if self._beta != 1.0:
            z *= z.dtype.type(self._beta)
        sep = self.separation
        if sep == "softmax":
            return softmax(z, axis=1)
        if sep == "sparsemax":
            return sparsemax(z, axis=1)
        if sep == "max":
            hot = np.zeros_like(z)
            hot[np.arange(len(z)), z.argmax(axis=1)] = 1
            return hot
        if sep == "polynomial":
            return z**self._degree
        return z

    def _similarity(self, q: np.ndarray, mask) -> np.ndarray:
        x, kind = self._x, self.similarity
        qk = q if mask is None else np.where(mask, q, 0).astype(q.dtype)
        if kind == "manhattan":
            return -self._manhattan(qk, mask)
        dots = qk @ x.T
        if kind == "dot":
            return dots
        # Squared norms of the memories over each query's known components (one GEMM).
        msq = self._sq[None, :] if mask is None else mask @ (x * x).T.astype(np.float64)
        qsq = np.einsum("ij,ij->i", qk, qk, dtype=np.float64)[:, None]
        if kind == "cosine":
            norms = np.sqrt(msq * qsq)
            sims = np.divide(dots, norms, out=np.zeros(dots.shape), where=norms > 0)
            return sims.astype(x.dtype)
        d2 = np.maximum(msq - 2.0 * dots + qsq, 0.0)
        return -np.sqrt(d2).astype(x.dtype)

    def _manhattan(self, qk: np.ndarray, mask) -> np.ndarray:
        x = self._x
        b, k, n = len(qk), len(x), x.shape[1]
        dist = np.empty((b, k), dtype=x.dtype)
        block = max(1, _BUDGET // (k * n))
        for start in range(0, b, block):
            rows = slice(start, start + block)
            diff = np.abs(qk[rows, None, :] - x[None, :, :])
            if mask is not None:
                diff *= mask[rows, None, :]
            dist[rows] = diff.sum(axis=2)
        return dist

    # -- saving --------------------------------------------------------------------------
    def _state(self):
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

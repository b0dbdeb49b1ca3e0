r"""Sparse patterns: a network of 0/1 neurons with low activity (Tsodyks & Feigel'man 1988).

N neurons :math:`\eta_i \in \{0, 1\}`; the stored patterns have coding level a, the fraction
of active units (:func:`hopfield.patterns.sparse` makes them with exactly round(a N) ones each).
The model is :class:`hopfield.SparseHopfield`.

Covariance rule [1]_:

.. math::

    w_{ij} = \frac{1}{N a (1 - a)} \sum_\mu (\eta_i^\mu - a)(\eta_j^\mu - a),
    \qquad w_{ii} = 0 .

Field: :math:`h_i = \sum_j w_{ij} \eta_j`; at a stored pattern it is about 1 − a on its active
units and −a on the others, with crosstalk of variance about a K / N from the other patterns.

Update, with a threshold θ:

.. math::

    \eta_i \leftarrow \begin{cases} 1 & h_i > \theta \\ 0 & h_i < \theta \end{cases}

(a unit whose field equals θ keeps its state), with θ chosen by ``threshold``:

``"kwta"`` (k winners take all, the default)
    A global inhibition that keeps exactly k = round(a N) units active [2]_: for each state, θ
    sits halfway between the k-th and the (k + 1)-th largest field. It needs no tuning and
    holds the activity at a, but it is a global rule, so it runs synchronously only. A
    synchronous sweep does not lower E step by step; with W symmetric (the covariance rule's
    is) it ends at a fixed point or a 2-cycle, reported, because :math:`-\eta(t+1)^\top W
    \eta(t)` never rises (each sweep picks the k largest fields). Energy, on states with k
    active units:
    :math:`E(\eta) = -\tfrac12 \eta^\top W \eta`.
a number θ
    A fixed threshold. 0.5 − a lies halfway between the two signal levels; near capacity a
    somewhat higher θ does better (0.5 rather than 0.45 at a = 0.05, K = 0.6 N), because the
    inactive units, far more numerous, then make most of the errors. Energy:

    .. math::

        E(\eta) = -\tfrac12 \eta^\top W \eta + \theta \sum_i \eta_i ;

    asynchronous updates never raise it.

With :math:`s = 2\eta - 1` a fixed-threshold network is exactly a ±1 network: substituting
:math:`\eta = (s + 1)/2` gives :math:`E = -\tfrac12 s^\top (W/4) s - b \cdot s + \text{const}`
with :math:`b_i = \sum_j w_{ij}/4 - \theta/2` and the field
:math:`(W/4)s + b = (h - \theta)/2`, which has the sign of :math:`h - \theta`. So recall runs
on the shared engine (:func:`hopfield.dynamics.run`) with the classical network's compiled
asynchronous kernel (weights W/4, fields (h − θ)/2); the k-winners threshold enters through the
engine's synchronous hook. States, energies and temperatures are reported in 0/1 terms
(Glauber: :math:`P(\eta_i = 1) = 1 / (1 + \exp(-(h_i - \theta)/T))`).

Capacity grows as the code gets sparser: :math:`\alpha_c \approx 1 / (2 a |\ln a|)` as a → 0
(Tsodyks & Feigel'man 1988 [1]_), against 0.138 for dense ±1 patterns with Hebb's rule. That is the
large-N, small-a limit. At N = 1000 the load at which half the patterns are still recalled
(k winners, 5% of bits flipped), measured with this library by ``examples/sparse.py`` at its
full size (a simulation, not a published value), is 0.48, 0.96 and 2.0 N at a = 0.1, 0.05 and
0.02, against 2.2, 3.3 and 6.4 N from the asymptotic formula.

The module also holds three measures that suit sparse codes: ``sparse_overlap`` (the overlap
normalised so that a stored pattern scores 1 and the silent state 0), ``precision_recall`` (of
the active units) and ``sparse_capacity`` (the theoretical load above).

References
----------
.. [1] M. V. Tsodyks and M. V. Feigel'man, "The enhanced storage capacity in neural networks
   with low activity level", Europhysics Letters 6, 101 (1988).
.. [2] E. Majani, R. Erlanson and Y. Abu-Mostafa, "On the K-winners-take-all network",
   Advances in Neural Information Processing Systems 1 (NIPS 1988).
"""

from __future__ import annotations

import dataclasses
import math
import numbers

import numpy as np

from .. import _backend, dynamics
from .. import _validation as v
from .._validation import RngLike
from ..kernels import classical as kernel
from ..recall import BinaryRecall

__all__ = ["SparseHopfield", "precision_recall", "sparse_capacity", "sparse_overlap"]


def _coding_level(a) -> float:
    if isinstance(a, bool) or not isinstance(a, numbers.Real):
        raise TypeError(f"a: expected a coding level in (0, 1), got {type(a).__name__}")
    if not 0.0 < float(a) < 1.0:
        raise ValueError(f"a: expected a coding level strictly between 0 and 1, got {a}")
    return float(a)


def _binary(name: str, value) -> np.ndarray:
    """Check for a 0/1 array, (N,) or (B, N), and return it as int8.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : array_like
        The array given.

    Returns
    -------
    ndarray
        The int8 array (no copy when it already is one).

    Raises
    ------
    ValueError
        When a value is not 0 or 1 (the message says how to map ±1 patterns).
    TypeError
        When ``value`` is a torch tensor: the sparse network runs on NumPy only.
    """
    _backend.refuse_tensors(
        name, value, "the sparse (0/1) network", "convert with .cpu().numpy() first"
    )
    arr = v.real_array(name, value)
    bad = ~np.isin(arr, (0, 1))
    if bad.any():
        raise ValueError(
            f"{name}: expected values 0 or 1, found {arr[bad].flat[0]!r} "
            f"({int(bad.sum())} entries are not 0/1); map ±1 patterns with (x + 1) // 2"
        )
    return arr.astype(np.int8, copy=False)


class SparseHopfield(dynamics.BinaryModel):
    """A Hopfield network of 0/1 neurons for sparse patterns, with the covariance rule.

    The rule, the update, the two kinds of threshold and the capacity are on the module page,
    "Sparse patterns". Patterns, cues and states are 0/1: (K, N) or (N,) to store, (B, N) or
    (N,) to recall. NumPy arrays only.

    Parameters
    ----------
    a : float
        The coding level of the patterns to store, strictly between 0 and 1.
    threshold : "kwta" or float, default "kwta"
        ``"kwta"``: exactly round(a N) units stay active (synchronous updates only). A number:
        a fixed firing threshold θ on the field (any update; about ``0.5 - a`` to 0.5).

    Attributes
    ----------
    weights : ndarray of shape (N, N)
        The float64 covariance weights, zero diagonal. Read-only; set by :meth:`store`.
    patterns : ndarray of shape (K, N)
        Every pattern stored so far, int8 0/1. Read-only; set by :meth:`store`.
    n_neurons : int
        The number N of neurons.

    Raises
    ------
    ValueError
        When ``a`` is not strictly between 0 and 1, ``threshold`` is an unknown name, or a
        threshold number is not finite.
    TypeError
        When ``a`` or ``threshold`` is not a number (or ``"kwta"``).

    See Also
    --------
    hopfield.Hopfield : The classical network of ±1 neurons.
    hopfield.patterns.sparse : Random 0/1 patterns of a given coding level.

    References
    ----------
    .. [1] M. V. Tsodyks and M. V. Feigel'man, "The enhanced storage capacity in neural
       networks with low activity level", Europhysics Letters 6, 101 (1988).

    Examples
    --------
    300 patterns at a = 0.05 in 1000 neurons, K = 0.3 N: twice Hebb's 0.138 N for dense
    patterns [1]_.

    >>> import hopfield as hf
    >>> X = hf.patterns.sparse(300, 1000, 0.05, rng=0)
    >>> net = hf.SparseHopfield(0.05).store(X)
    >>> cues = X[:20].copy()
    >>> cues[:, :50] = 1 - cues[:, :50]                   # 5% of the bits flipped
    >>> r = net.recall(cues)
    >>> bool((r.states == X[:20]).all())
    True
    >>> from hopfield.models.sparse import sparse_overlap
    >>> float(sparse_overlap(r.states[0], X[0], 0.05))
    1.0
    """

    def __init__(self, a: float, *, threshold: float | str = "kwta"):
        self.a = a
        self.threshold = threshold
        self._a = _coding_level(a)
        if isinstance(threshold, str):
            v.choose("threshold", threshold, ("kwta",))
            self._theta = None
        elif isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
            raise TypeError(
                f"threshold: expected 'kwta' or a number, got {type(threshold).__name__}"
            )
        elif not math.isfinite(threshold):
            raise ValueError(f"threshold: expected a finite number, got {threshold}")
        else:
            self._theta = float(threshold)

    # -- storing -------------------------------------------------------------------------
    def store(self, patterns) -> SparseHopfield:
        """Store 0/1 patterns; calling it again adds patterns.

        The covariance terms of the new patterns are added to the weights.

        Parameters
        ----------
        patterns : array_like of shape (K, N) or (N,)
            The patterns, values 0 or 1.

        Returns
        -------
        SparseHopfield
            The network itself (``self``), for chaining.

        Raises
        ------
        ValueError
            When a value is not 0 or 1, the width differs from the stored patterns', or, with
            ``threshold="kwta"``, round(a N) is not between 1 and N − 1.
        """
        x = np.atleast_2d(_binary("patterns", patterns))
        if hasattr(self, "_w"):
            v.width("patterns", x, self._w.shape[0])
            stored = np.concatenate([self._patterns, x])
            w = self._w.copy()
        else:
            stored = np.array(x, dtype=np.int8)  # never the caller's own int8 array
            w = np.zeros((x.shape[1], x.shape[1]))
        n = x.shape[1]
        k = round(self._a * n)
        if self._theta is None and not 1 <= k < n:
            raise ValueError(
                f"a: threshold='kwta' keeps round(a N) units active, which must be between 1 "
                f"and N - 1; got a = {self._a} with N = {n}"
            )
        y = x - self._a
        w += (y.T @ y) / (n * self._a * (1.0 - self._a))
        np.fill_diagonal(w, 0.0)
        self._set(w, stored)
        return self

    def _set(self, w: np.ndarray, stored: np.ndarray) -> None:
        self._w = np.ascontiguousarray(w, dtype=np.float64)
        self._quarter = self._w / 4.0  # the ±1 network's weights, for the compiled kernel
        self._patterns = stored
        self._k = round(self._a * self._w.shape[0])
        scale = np.abs(self._w).sum(axis=1) + abs(self._theta or 0.0)  # per neuron
        self._tol = 1e-9 * np.maximum(scale, 1e-300)

    def _fitted(self) -> None:
        if not hasattr(self, "_w"):
            raise RuntimeError("this network stores nothing yet: call store(patterns) first")

    @property
    def weights(self) -> np.ndarray:
        """The (N, N) float64 covariance weights, zero diagonal, read-only."""
        self._fitted()
        return v.readonly(self._w)

    @property
    def patterns(self) -> np.ndarray:
        """The (K, N) int8 0/1 patterns stored so far, read-only."""
        self._fitted()
        return v.readonly(self._patterns)

    @property
    def n_neurons(self) -> int:
        """The number N of neurons."""
        self._fitted()
        return self._w.shape[0]

    # -- recall and energy ---------------------------------------------------------------
    @v.keywords(max_sweeps="max_steps")
    def recall(
        self,
        cues,
        *,
        update: str = "sync",
        max_steps: int = 100,
        temperature=None,
        order: str = "random",
        clamp=None,
        rng: RngLike = None,
    ) -> BinaryRecall:
        """Run the dynamics from 0/1 ``cues`` until a fixed point, a 2-cycle or ``max_steps``.

        Parameters
        ----------
        cues : array_like of shape (B, N) or (N,)
            The cues, values 0 or 1.
        update : {"sync", "async", "stochastic"}, default "sync"
            The schedule (see :mod:`hopfield.dynamics`); ``"sync"`` is the only one with
            ``threshold="kwta"``.
        max_steps : int, default 100
            The most sweeps (N unit updates each) to run per cue. The old name
            ``max_sweeps`` is deprecated.
        temperature : float, sequence of float or callable, optional
            For ``"stochastic"`` only: T > 0 in units of the field, a per-sweep schedule, or
            a function of the sweep index.
        order : {"random", "sequential"}, default "random"
            The order of unit updates in an asynchronous sweep: ``"random"`` draws a new
            permutation per sweep.
        clamp : array_like of bool of shape (N,) or (B, N), optional
            A mask of units held at their cue values (with ``"kwta"`` they are held whatever
            the winners are).
        rng : int, numpy.random.Generator or None, default None
            The seed or generator for the update order and the Glauber draws.

        Returns
        -------
        BinaryRecall
            The result, with 0/1 int8 states and the 0/1 energy.

        Raises
        ------
        ValueError
            When ``update`` is not ``"sync"`` with ``threshold="kwta"``, a cue value is not 0
            or 1, the width is not N, or an option is unknown or out of range.
        RuntimeError
            When nothing is stored yet.

        Examples
        --------
        >>> import hopfield as hf
        >>> X = hf.patterns.sparse(20, 200, 0.1, rng=0)
        >>> net = hf.SparseHopfield(0.1, threshold=0.4).store(X)
        >>> r = net.recall(X[:3], update="async", rng=1)
        >>> bool((r.states == X[:3]).all()), r.converged.tolist()
        (True, [True, True, True])
        """
        self._fitted()
        update = v.choose("update", update, dynamics.UPDATES)
        if self._theta is None and update != "sync":
            raise ValueError(
                f"update: threshold='kwta' picks the winners of all units at once, so it runs "
                f"with update='sync' only; got update={update!r} (use a numeric threshold, "
                "e.g. 0.5 - a, for asynchronous or stochastic updates)"
            )
        x = _binary("cues", cues)
        r = dynamics.run(
            self,
            (2 * x - 1).astype(np.int8),
            update=update,
            max_steps=max_steps,
            temperature=temperature,
            order=order,
            clamp=clamp,
            rng=rng,
        )
        return dataclasses.replace(r, states=((r.states + 1) // 2).astype(np.int8))

    def energy(self, states) -> np.ndarray | float:
        """Compute the energy ``E(η) = −½ ηᵀWη + θ Σ_i η_i`` of 0/1 states.

        With ``threshold="kwta"`` there is no θ term.

        Parameters
        ----------
        states : array_like of shape (B, N) or (N,)
            The states, values 0 or 1.

        Returns
        -------
        float or ndarray of shape (B,)
            The energy: a float for one state, an array for a batch.

        Raises
        ------
        ValueError
            When a value is not 0 or 1 or the width is not N.

        Examples
        --------
        >>> import hopfield as hf
        >>> net = hf.SparseHopfield(0.5, threshold=0.0).store([1, 1, 0, 0])
        >>> net.energy([[1, 1, 0, 0], [1, 0, 1, 0]])
        array([-0.25,  0.25])
        """
        self._fitted()
        x = _binary("states", states)
        v.width("states", x, self.n_neurons)
        _, e = self._gap_and_energy(2.0 * np.atleast_2d(x) - 1.0)
        return float(e[0]) if x.ndim == 1 else e

    def field(self, states) -> np.ndarray:
        """Compute the fields ``h = W η`` of 0/1 states.

        Parameters
        ----------
        states : array_like of shape (B, N) or (N,)
            The states, values 0 or 1.

        Returns
        -------
        ndarray of shape (B, N) or (N,)
            The float64 fields, the shape of ``states``.

        Raises
        ------
        ValueError
            When a value is not 0 or 1 or the width is not N.

        Examples
        --------
        >>> import hopfield as hf
        >>> net = hf.SparseHopfield(0.5, threshold=0.0).store([1, 1, 0, 0])
        >>> net.field([1, 1, 0, 0])
        array([ 0.25,  0.25, -0.5 , -0.5 ])
        """
        self._fitted()
        x = _binary("states", states)
        v.width("states", x, self.n_neurons)
        return x.astype(np.float64) @ self._w

    # -- engine hooks (the engine works with s = 2η − 1) ----------------------------------
    def _n(self) -> int:
        return self._w.shape[0]

    def _tie_tol(self) -> float:
        return self._tol

    def _gap_and_energy(self, s):
        eta = (s + 1.0) / 2.0
        h = eta @ self._w  # W is symmetric
        energy = -0.5 * np.einsum("ij,ij->i", eta, h)
        if self._theta is None:
            n, k = self._w.shape[0], self._k
            top = np.partition(h, (n - k - 1, n - k), axis=1)
            theta = (0.5 * (top[:, n - k - 1] + top[:, n - k]))[:, None]
        else:
            theta = self._theta
            energy += theta * eta.sum(axis=1)
        return h - theta, energy

    def _async_state(self, s):
        eta = (s.astype(np.float64) + 1.0) / 2.0
        return (eta @ self._w - self._theta) / 2.0

    def _async_sweep(self, s, aux, orders, uniforms, temperature, clamp, tol, active, flips):
        kernel.async_sweep(
            self._quarter, s, aux, orders, uniforms, temperature, clamp, tol, active, flips
        )

    def _async_energy(self, s, aux):
        # With aux = (h − θ)/2:  −½ η·h + θ Σ η = −η·aux + (θ/2) Σ η.
        eta = (s.astype(np.float64) + 1.0) / 2.0
        return -np.einsum("ij,ij->i", eta, aux) + 0.5 * self._theta * eta.sum(axis=1)

    # -- saving --------------------------------------------------------------------------
    def _state(self):
        self._fitted()
        params = {"a": self._a, "threshold": self.threshold}
        return params, {"weights": self._w, "patterns": self._patterns}

    @classmethod
    def _from_state(cls, params, arrays, source):
        try:
            net = cls(params["a"], threshold=params["threshold"])
            w, x = arrays["weights"], arrays["patterns"]
            n = w.shape[0] if w.ndim == 2 else -1
            if w.shape != (n, n) or x.ndim != 2 or x.shape[1] != n:
                raise ValueError(f"inconsistent shapes: weights {w.shape}, patterns {x.shape}")
            if w.dtype.kind != "f" or not np.all(np.isfinite(w)):
                raise ValueError("weights that are not finite floats")
            if net._theta is None and not 1 <= round(net._a * n) < n:
                raise ValueError(f"a = {net._a} gives no kwta winners, or all, at N = {n}")
            x = _binary("patterns", x)
            y = x - net._a  # the weights must be the covariance rule's for these patterns
            expected = (y.T @ y) / (n * net._a * (1.0 - net._a))
            np.fill_diagonal(expected, 0.0)
            if not np.allclose(w, expected, rtol=1e-9, atol=1e-12):
                raise ValueError("weights that do not match the patterns")
            net._set(w.astype(np.float64), x)
            return net
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(
                f"path: {source} has a damaged SparseHopfield record ({err})"
            ) from None

    def __repr__(self) -> str:
        state = f", N={self._w.shape[0]}, K={len(self._patterns)}" if hasattr(self, "_w") else ""
        return f"SparseHopfield(a={self.a!r}, threshold={self.threshold!r}{state})"


# -- measures that suit sparse codes ---------------------------------------------------------
def sparse_overlap(states, patterns, a: float) -> np.ndarray:
    """Compute the overlaps ``m = Σ_i (η_i^μ − a) s_i / (N a (1 − a))`` of 0/1 states.

    A state equal to a pattern with exactly a N active units has overlap 1; a random state of
    activity a has overlap about 0, and, unlike the ±1 overlap, so has the all-zero state.

    Parameters
    ----------
    states : array_like of shape (B, N) or (N,)
        The 0/1 states s.
    patterns : array_like of shape (K, N) or (N,)
        The 0/1 patterns η^μ.
    a : float
        The coding level, strictly between 0 and 1.

    Returns
    -------
    ndarray of shape (B, K)
        The overlaps, dropping the axes that were 1-D in the input (a float64 scalar array
        when both were).

    Examples
    --------
    >>> from hopfield.models.sparse import sparse_overlap
    >>> sparse_overlap([[1, 0, 0, 0], [0, 0, 0, 0]], [1, 0, 0, 0], 0.25)
    array([1., 0.])
    """
    a = _coding_level(a)
    s = np.atleast_2d(_binary("states", states)).astype(np.float64)
    x = np.atleast_2d(_binary("patterns", patterns)).astype(np.float64)
    v.width("states", s, x.shape[1])
    m = s @ (x - a).T / (x.shape[1] * a * (1.0 - a))
    if np.ndim(patterns) == 1:
        m = m[:, 0]
    return m[0] if np.ndim(states) == 1 else m


def precision_recall(states, targets) -> tuple[np.ndarray, np.ndarray]:
    """Compute the precision and recall of each state's active units against its target.

    Precision is the share of a state's active units that are active in its target (1 for a
    state with no active units); recall is the share of the target's active units that the
    state has active (1 for an empty target). Rows are compared one by one.

    Parameters
    ----------
    states : array_like of shape (B, N) or (N,)
        The 0/1 states.
    targets : array_like of shape (B, N) or (N,)
        The 0/1 targets, the shape of ``states``.

    Returns
    -------
    precision : ndarray of shape (B,) or float
        The precision per row (a float for 1-D input).
    recall : ndarray of shape (B,) or float
        The recall per row (a float for 1-D input).

    Raises
    ------
    ValueError
        When a value is not 0 or 1, or the shapes differ.

    Examples
    --------
    >>> from hopfield.models.sparse import precision_recall
    >>> precision_recall([1, 1, 0, 0], [1, 0, 1, 0])
    (0.5, 0.5)
    """
    s = _binary("states", states)
    t = _binary("targets", targets)
    if s.shape != t.shape:
        raise ValueError(f"targets: expected the shape of states {s.shape}, got {t.shape}")
    s2, t2 = np.atleast_2d(s), np.atleast_2d(t)
    hits = (s2 & t2).sum(axis=1, dtype=np.float64)
    fired = s2.sum(axis=1, dtype=np.float64)
    wanted = t2.sum(axis=1, dtype=np.float64)
    precision = np.divide(hits, fired, out=np.ones_like(hits), where=fired > 0)
    recall = np.divide(hits, wanted, out=np.ones_like(hits), where=wanted > 0)
    if s.ndim == 1:
        return float(precision[0]), float(recall[0])
    return precision, recall


def sparse_capacity(a: float) -> float:
    """Compute Tsodyks & Feigel'man's critical load for sparse patterns, ``α_c ≈ 1 / (2 a |ln a|)``.

    An asymptotic result (a → 0, N → ∞); finite networks store less.

    Parameters
    ----------
    a : float
        The coding level, strictly between 0 and 1.

    Returns
    -------
    float
        The critical load α_c = K/N.

    Examples
    --------
    >>> from hopfield.models.sparse import sparse_capacity
    >>> round(sparse_capacity(0.05), 2)
    3.34
    """
    a = _coding_level(a)
    return 1.0 / (2.0 * a * abs(math.log(a)))

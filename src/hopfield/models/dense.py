r"""Dense associative memory.

The dense associative memory of Krotov & Hopfield [1]_ (:class:`hopfield.DenseAssociativeMemory`):
N neurons σ_i ∈ {−1, +1} and K stored ±1 memories ξ^μ (rows of X, shape (K, N)), kept as they
are: there is no weight matrix. With the overlaps :math:`m_\mu = \xi^\mu \cdot \sigma` and an
interaction F from :mod:`hopfield.functions` (:class:`hopfield.Polynomial` :math:`x^n`,
:class:`hopfield.RectifiedPolynomial` :math:`\max(x, 0)^n` or :class:`hopfield.Exponential`
:math:`e^{\beta x}`), the energy is

.. math::

    E(\sigma) = -\sum_\mu F(m_\mu) , \qquad m = X \sigma .

With :math:`F(x) = x^2` this is the classical Hopfield network with Hebbian weights:
:math:`E = 2N E_\text{Hopfield} - KN`.

The update is a difference of energies, not a local field: a neuron takes the sign of its
energy gap,

.. math::

    \mathrm{gap}_i = E(\sigma_i = -1) - E(\sigma_i = +1)
        = \sum_\mu \left[ F(r_{i\mu} + \xi_{i\mu}) - F(r_{i\mu} - \xi_{i\mu}) \right] ,
    \qquad \sigma_i \leftarrow \operatorname{sign}(\mathrm{gap}_i) ,

where :math:`r_{i\mu} = m_\mu - \sigma_i \xi_{i\mu}` is the overlap without neuron i. A neuron
whose gap is zero keeps its state; zero means within 10⁻¹¹ of the size of the terms of that
cue's gaps (exactly zero while polynomial terms are below 2⁵² and so exact), which rounding
never crosses and which, unlike a bound on the largest possible gap, stays far below the real
gaps at any degree. Asynchronous updates never raise E and end at a fixed point.

Capacity: steeper F stores more. A polynomial of degree n stores about :math:`N^{n-1}` memories
(Krotov & Hopfield used n up to 30); for random memories the error-free capacity is about
:math:`N^{n-1} / (2 (2n-3)!! \ln N)`, and for even n the reversed memories −ξ are attractors too.
The exponential stores exponentially many: with :math:`e^{\alpha N} + 1` random memories, cues
ρN bits away are recovered in one update of each neuron with high probability when α is below
:math:`I(1 - 2\rho)/2`, :math:`I(a) = \tfrac12[(1+a)\ln(1+a) + (1-a)\ln(1-a)]`, that is
:math:`2^{N/2}` memories at ρ = 0 (Demircigil et al. [2]_).

For ``Exponential`` the energy and gaps are reported on the log scale,

.. math::

    E(\sigma) = -\beta^{-1} \log \sum_\mu e^{\beta m_\mu} ,

an increasing function of :math:`-\sum_\mu e^{\beta m_\mu}` (same minima, same sign of every
gap, same deterministic dynamics) that stays finite where the raw sum overflows
(β m > 709). Its gaps lie in [−2, 2] and are exact for any β: the memories within 4 of the top
overlap, which a flip can bring level with the top, are counted exactly rather than weighed by
exponentials that underflow at large β.

Temperature (``update="stochastic"``): a neuron takes +1 with probability
:math:`1 / (1 + e^{-\mathrm{gap}_i / T})`, so T is in the units of the energy and the dynamics
samples :math:`e^{-E/T}`. For polynomials of degree n the gaps near a memory are about
:math:`2n N^{n-1}`, so a useful T grows like :math:`N^{n-1}`. For the exponential, on the log
scale, the gap is about ±2 when one memory dominates (like the classical network's 2h with
h ≈ ±1), so T is of order 1, and the dynamics samples
:math:`(\sum_\mu e^{\beta m_\mu})^{1/(\beta T)}`.

References
----------
.. [1] D. Krotov, J. J. Hopfield, "Dense associative memory for pattern recognition",
   Advances in Neural Information Processing Systems 29 (NeurIPS 2016).
.. [2] M. Demircigil, J. Heusel, M. Löwe, S. Upgang, F. Vermet, "On a model of associative
   memory with huge storage capacity", J. Stat. Phys. 168, 288-299 (2017).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .. import _backend, dynamics
from .. import _validation as v
from ..functions import (
    BUILTIN,
    EXPONENTIAL,
    GENERIC,
    INTERACTIONS,
    Interaction,
    RectifiedPolynomial,
)
from ..kernels import dense as kernel
from . import _dense_xp
from ._dense_xp import Sweep, _call

__all__ = ["DenseAssociativeMemory"]

_DEFAULT = RectifiedPolynomial(3)

# Entries of X turned into float64 at a time for the products that need float64 sums: blocks
# of 4 MiB instead of a second, float64 copy of X (as fast as one product when measured).
_BLOCK = 1 << 19


class DenseAssociativeMemory(dynamics.BinaryModel):
    """Dense associative memory of ±1 neurons with interaction function F.

    Keeps the ±1 memories themselves (no weight matrix) and recalls them by the dynamics of
    :mod:`hopfield.dynamics` (see :meth:`recall`) on the energy ``E(σ) = −Σ_μ F(ξ^μ·σ)``.

    Parameters
    ----------
    interaction : Interaction, default RectifiedPolynomial(3)
        F, one of :class:`hopfield.Polynomial`, :class:`hopfield.RectifiedPolynomial` (the
        default, n = 3) or :class:`hopfield.Exponential` (compiled kernels on NumPy), or any
        object following :class:`hopfield.functions.Interaction` (elementwise ``F(x)`` and
        ``F.derivative(x)``): synchronous sweeps and energies then use the same two matrix
        products with F evaluated at m and m ± 2; asynchronous and stochastic updates run a
        NumPy loop over neurons (O(K) per visit, as the compiled kernel, but in Python: for
        trying an F at small sizes), and :func:`hopfield.save` refuses it (model files are
        pickle-free). Its ties are gaps within 10⁻¹¹ of the size of their terms.
    precision : {"float64", "float32"}, default "float64"
        The dtype of the F terms and of the second product on tensors (see Notes). NumPy
        always computes in float64, and ``"float32"`` is for polynomials and a user's F on
        tensors only.

    Attributes
    ----------
    patterns : ndarray of shape (K, N)
        Every memory stored so far, int8 (a copy of what was given). Read-only; set by
        :meth:`store`.

    Raises
    ------
    TypeError
        When ``interaction`` is a class instead of an instance, or not an interaction.
    ValueError
        When ``precision`` is not one of the choices, or is ``"float32"`` with the exponential.

    See Also
    --------
    hopfield.Hopfield : The classical network, the case F(x) = x².
    hopfield.functions : The interaction functions.

    Notes
    -----
    Shapes: patterns (K, N) or (N,); cues and states (B, N) or (N,).

    Tensors: memories stored from a torch tensor stay int8 (and a float32 copy) on its
    device. ``recall(update="sync")``, :meth:`energy` and the engine hooks then run there (an
    array-API path written against the caller's arrays), for every interaction, and return
    tensors on that device (see :mod:`hopfield.dynamics`).

    Precision: the overlaps ``m = X σ`` are a float32 product, exact for N < 2²⁴ on every
    device (±1 entries and integer partial sums; also under TF32, which keeps ±1 exact). With
    ``precision="float64"`` (the default, on NumPy and tensors) the F terms and the second
    product are float64: polynomial terms below 2⁵² are exact multiples of 1/2, so every gap
    is exact whatever the summation order, ties are exact zeros, and tensors on any device give
    NumPy's states bit for bit; the exponential's leading memories are counted exactly and the
    rest weighed in float64 as on NumPy (gaps equal to rounding). With ``"float32"``
    (polynomials and a user's F on tensors) the F terms carry rounding once they pass 2²³; each
    gap is within ``(K + 2⌈log₂ n⌉ + 3) u`` of the sum of its terms' sizes
    (u = 2⁻²⁴, or TF32's 2⁻¹¹ / bfloat16's 2⁻⁸ when torch's float32 matmul precision allows
    them), and gaps within that bound are ties: a float32 sweep never moves a neuron against
    the sign of its exact gap, keeps every exact tie, and may hold a neuron whose gap is
    below twice the bound where float64 would move it. float16 and bfloat16 are not offered:
    their integers are exact only to 2048 and 256, below most overlaps (cues and patterns may
    still be given in any real dtype; only their ±1 and 0 values count).

    Memory: X is held as int8, once transposed for the asynchronous kernel, and once as
    float32 for the matrix products: 6 bytes per entry. On tensors there is no transposed
    copy, and the float64 precision keeps a float64 copy for the second product (casting
    blocks of X on every sweep cost as much as a third product there): 13 bytes per entry,
    5 with ``precision="float32"``.

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(200, 50, rng=0)           # K = 4 N: far beyond Hebb
    >>> dam = hf.DenseAssociativeMemory(hf.Polynomial(5)).store(X)
    >>> r = dam.recall(hf.patterns.flip(X[:20], 0.1, rng=1), rng=2)
    >>> bool((r.states == X[:20]).all())
    True

    A user-defined F (here x⁵ written with operators, so it runs on tensors too) takes the
    generic path and recalls as the built-in one does:

    >>> class Quintic:
    ...     def __call__(self, x):
    ...         return x * x * x * x * x
    ...     def derivative(self, x):
    ...         return 5.0 * x * x * x * x
    >>> mine = hf.DenseAssociativeMemory(Quintic()).store(X)
    >>> cues = hf.patterns.flip(X[:20], 0.1, rng=1)
    >>> same = mine.recall(cues, update="sync").states == dam.recall(cues, update="sync").states
    >>> bool(same.all())
    True
    """

    def __init__(self, interaction: Interaction = _DEFAULT, *, precision: str = "float64"):
        self.interaction = interaction
        self.precision = v.choose("precision", precision, ("float64", "float32"))
        if isinstance(interaction, type):
            raise TypeError(
                f"interaction: expected an interaction object, got the class "
                f"{interaction.__name__}; call it, e.g. {interaction.__name__}(...)"
            )
        if not isinstance(interaction, Interaction) or not callable(interaction):
            raise TypeError(
                f"interaction: expected one of {list(INTERACTIONS)} from hopfield.functions or "
                "an object with elementwise F(x) and F.derivative(x) "
                f"(hopfield.functions.Interaction), got {type(interaction).__name__}"
            )
        if isinstance(interaction, BUILTIN):
            self._args = interaction._kernel_args()
        else:
            self._args = (GENERIC, 1, 1.0)
        if precision == "float32" and self._args[0] == EXPONENTIAL:
            raise ValueError(
                "precision: 'float32' is for polynomial and user-defined interactions; the "
                "exponential counts the leading memories exactly and computes in float64"
            )

    # -- storing -------------------------------------------------------------------------
    def store(self, patterns) -> DenseAssociativeMemory:
        """Store ±1 memories; calling it again adds memories.

        Parameters
        ----------
        patterns : array_like or torch.Tensor of shape (K, N) or (N,)
            The ±1 memories, one per row (a 1-D array is one memory), in any real dtype. The
            memory keeps its own int8 copy; a torch tensor is kept as a tensor on its device.

        Returns
        -------
        DenseAssociativeMemory
            The memory, for chaining.

        Raises
        ------
        ValueError
            When the patterns are empty, not ±1, or their width differs from the memories
            stored before; when ``precision="float32"`` is used with NumPy memories; when the
            interaction overflows at this N (use a lower degree or ``Exponential``); or when a
            tensor is on another device than the stored ones.
        TypeError
            When the patterns are in another library than those stored before.

        Examples
        --------
        >>> import hopfield as hf
        >>> X = hf.patterns.random(30, 20, rng=0)
        >>> dam = hf.DenseAssociativeMemory().store(X[:10]).store(X[10:])
        >>> dam.patterns.shape
        (30, 20)
        """
        x = v.bipolar("patterns", patterns)
        if _backend.is_tensor(x):
            self._store_tensor(x, patterns)
            return self
        if self.precision != "float64":
            raise ValueError(
                "precision: 'float32' is for memories stored as torch tensors; on NumPy the "
                "compiled kernels compute in float64"
            )
        x = np.atleast_2d(x)
        if hasattr(self, "_patterns"):
            dynamics.check_home("patterns", x, self._patterns)
            v.width("patterns", x, self._patterns.shape[1])
            x = np.concatenate([self._patterns, x])
        else:
            # Validation hands back the caller's own array when it is int8 already: copy it
            # then, and only then, so that X is copied once and never shared with the caller.
            x = np.ascontiguousarray(x)
            if isinstance(patterns, np.ndarray) and np.may_share_memory(x, patterns):
                x = x.copy()
        self._set(x)
        return self

    def _store_tensor(self, x, given) -> None:
        """Keep tensor memories as tensors on their device (no host copy)."""
        if x.ndim == 1:
            x = x[None]
        if hasattr(self, "_patterns"):
            dynamics.check_home("patterns", x, self._patterns)
            v.width("patterns", x, self._patterns.shape[1])
            x = _backend.namespace(x).concat([self._patterns, x])
        elif x.data_ptr() == given.data_ptr():  # int8 already: validation gave it back as is
            x = x.clone()
        self._set(x.contiguous())

    def _set(self, stored) -> None:
        """Take ``stored``, a (K, N) int8 array nobody else holds, as the memories."""
        k, n = stored.shape
        if self._args[0] != EXPONENTIAL:
            self._check_range(k, n, stored)
        self._patterns = stored
        if _backend.is_tensor(stored):
            import torch

            # Tensors run synchronous sweeps only: no transposed copy for the async kernel.
            self._xt = None
            self._x = stored.to(torch.float32)
            dtype = torch.float64 if self.precision == "float64" else torch.float32
            self._sweep = Sweep(self.interaction, self._args[0], self._x, dtype)
            return
        self._xt = np.ascontiguousarray(stored.T)
        # The one float copy of X: ±1 entries and overlaps |m| <= N < 2^24 are exact in float32,
        # so the overlaps are a float32 product; products with non-integer weights are summed
        # in float64, a block of rows at a time (see _weighted).
        self._x = stored.astype(np.float32)
        self._sweep = Sweep(self.interaction, self._args[0], self._x, np.float64)

    def _check_range(self, k: int, n: int, like) -> None:
        # A sweep evaluates F at overlaps within ±(N + 2) and sums K of each: all of it must
        # stay finite, or gaps and their tie scale become inf and nan. F is called as a sweep
        # calls it: on an array of the memories' library, device and compute dtype.
        f = self.interaction
        ends = _backend.as_like(np.array([n + 2.0, -n - 2.0]), like, dtype=_float64(like))
        if self.precision == "float32":
            ends = ends.float()
        with np.errstate(over="ignore", invalid="ignore"):
            values = _backend.to_numpy(_call(f, ends))
            top = float(np.abs(values).max())
            bound = 3.0 * k * top
        limit = np.finfo(np.float32 if self.precision == "float32" else np.float64).max
        if not bound <= limit:
            raise ValueError(
                f"interaction: {f!r} overflows {self.precision} at N = {n} neurons; "
                "use a lower degree or Exponential"
            )

    def _fitted(self) -> None:
        if not hasattr(self, "_patterns"):
            raise RuntimeError("this memory stores nothing yet: call store(patterns) first")

    @property
    def patterns(self) -> np.ndarray:
        """The (K, N) int8 memories stored so far, read-only."""
        self._fitted()
        return v.readonly(self._patterns)

    @property
    def n_neurons(self) -> int:
        """The number of neurons N."""
        self._fitted()
        return self._patterns.shape[1]

    # -- recall and energy ---------------------------------------------------------------
    def energy(self, states) -> np.ndarray | float:
        """Compute the energy ``E(σ) = −Σ_μ F(ξ^μ·σ)`` of states.

        For the exponential the energy is on the log scale, ``−β⁻¹ log Σ_μ exp(β ξ^μ·σ)``.

        Parameters
        ----------
        states : array_like or torch.Tensor of shape (B, N) or (N,)
            ±1 states.

        Returns
        -------
        float or ndarray of shape (B,)
            The energy of each state (a float for one state; tensors for tensors).

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the states are not ±1 or their width is not N.
        TypeError
            When the states are in another library than the memories.

        Examples
        --------
        >>> import hopfield as hf
        >>> dam = hf.DenseAssociativeMemory(hf.Polynomial(3)).store([[1, 1, -1], [1, -1, 1]])
        >>> dam.energy([1, 1, -1])
        -26.0
        """
        self._fitted()
        s = v.bipolar("states", states)
        v.width("states", s, self.n_neurons)
        dynamics.check_home("states", s, self._patterns)
        e = self._energy_only(s.reshape(-1, s.shape[-1]))
        if s.ndim == 1:
            return e[0] if _backend.is_tensor(e) else float(e[0])
        return e

    def _energy_from_overlaps(self, m: np.ndarray) -> np.ndarray:
        """Compute (B,) energies from float64 NumPy overlaps, with the compiled kernels."""
        code, n, beta = self._args
        e = np.empty(m.shape[0])
        if code == EXPONENTIAL:
            kernel.exp_energy(m, beta, e)
        elif code == GENERIC:
            e = self._sweep.energy(m)
        else:
            kernel.poly_energy(m, code, n, e)
        return e

    def _energy_only(self, s):
        if self._xt is None:  # tensors
            return self._sweep.energy(self._sweep.overlaps(s))
        return self._energy_from_overlaps(self._overlaps(s))

    def _overlaps(self, s: np.ndarray) -> np.ndarray:
        """Compute the overlaps ``m = X σ`` as float64 (B, K).

        A float32 product, exact for entries in {−1, 0, 1}.
        """
        return (s.astype(np.float32) @ self._x.T).astype(np.float64)

    def _weighted(self, a: np.ndarray) -> np.ndarray:
        """Compute ``a X`` for float64 weights ``a`` (B, K), summed in float64."""
        k, n = self._x.shape
        step = max(1, _BLOCK // n)
        out = np.zeros((a.shape[0], n))
        for lo in range(0, k, step):
            out += a[:, lo : lo + step] @ self._x[lo : lo + step].astype(np.float64)
        return out

    # -- engine hooks --------------------------------------------------------------------
    def _n(self) -> int:
        return self._patterns.shape[1]

    def _home(self):
        return self._patterns

    def _tie_tol(self) -> float:
        # Ties are decided inside the gap computations, relative to each cue's own terms
        # (kernel.TIE_RTOL), and come out as gaps of exactly 0.
        return 0.0

    def _gap_and_energy(self, s):
        code, n, beta = self._args
        if self._xt is None or code == GENERIC:
            # Tensors (any interaction) and a user's F: the same two products, in the
            # caller's namespace (hopfield.models._dense_xp).
            return self._sweep.gap_and_energy(s)
        m = self._overlaps(s)
        if code == EXPONENTIAL:
            return self._exp_gap_and_energy(s, m, beta)
        # Polynomial gaps as two GEMMs. For σ_i = ±1 write u_μ = σ_i ξ_iμ ∈ {±1}, so that
        # ξ_iμ = σ_i u_μ and r_iμ = m_μ − u_μ. Then r ± ξ_iμ = m_μ − u_μ ± σ_i u_μ and the term
        # F(r + ξ_iμ) − F(r − ξ_iμ) is σ_i [F(m_μ) − F(m_μ − 2u_μ)]: σ_i D⁻_μ when u_μ = +1
        # and σ_i D⁺_μ when u_μ = −1, with D∓_μ = F(m_μ) − F(m_μ ∓ 2). Splitting on u,
        #   σ_i [(D⁻ + D⁺)/2 + u_μ (D⁻ − D⁺)/2] = σ_i (D⁻ + D⁺)/2 + ξ_iμ (D⁻ − D⁺)/2,
        # hence gap_i = Σ_μ ξ_iμ a_μ + σ_i c = (a X)_i + σ_i c with
        #   a_μ = (F(m_μ + 2) − F(m_μ − 2))/2,  c = Σ_μ (2F(m_μ) − F(m_μ + 2) − F(m_μ − 2))/2.
        # An unknown neuron (σ_i = 0) adds nothing to m, so r = m and its term is
        # F(m_μ + ξ_iμ) − F(m_μ − ξ_iμ) = ξ_iμ (F(m_μ + 1) − F(m_μ − 1)): one more GEMM.
        b, k = m.shape
        a, c, energy, scale = np.empty((b, k)), np.empty(b), np.empty(b), np.empty(b)
        kernel.poly_terms(m, code, n, a, c, energy, scale)
        gap = self._weighted(a) + s * c[:, None]
        unknown = s == 0
        rows = np.flatnonzero(unknown.any(axis=1))
        if rows.size:
            half, half_scale = np.empty((rows.size, k)), np.empty(rows.size)
            kernel.poly_half_terms(np.ascontiguousarray(m[rows]), code, n, half, half_scale)
            gap[rows] = np.where(unknown[rows], self._weighted(half), gap[rows])
            scale[rows] = np.maximum(scale[rows], half_scale)
        tol = np.where(scale >= kernel.EXACT, kernel.TIE_RTOL * scale, 0.0)
        gap[np.abs(gap) <= tol[:, None]] = 0.0
        return gap, energy

    def _exp_gap_and_energy(self, s, m, beta):
        # Relative to exp(β top) the leading memories weigh O(1); those within 4 of the top
        # are counted exactly (their weights may underflow, yet after a flip they can lead),
        # the rest enter by their weights, summed by the sign of ξ_iμ (kernels.dense).
        top = m.max(axis=1)
        w = np.exp(beta * (m - top[:, None]))
        energy = -(top + np.log(w.sum(axis=1)) / beta)
        b, n = s.shape
        sums = np.empty((b, kernel.LEVELS, n), dtype=np.int32)
        counts = np.empty((b, kernel.LEVELS), dtype=np.int64)
        kernel.near_counts(m, top, self._patterns, sums, counts)
        w[m > top[:, None] - 2 * kernel.LEVELS + 1] = 0.0
        far_total = w.sum(axis=1)
        # Far weights are at most e^{−6β}: beyond β ≈ 125 they all underflow, no product to form.
        far_signed = self._weighted(w) if far_total.any() else np.zeros((b, n))
        gap = np.empty((b, n))
        kernel.exp_gaps(sums, counts, far_total, far_signed, np.ascontiguousarray(s), beta, gap)
        return gap, energy

    def _async_state(self, s):
        return self._overlaps(s)

    def _async_sweep(self, s, aux, orders, uniforms, temperature, clamp, tol, active, flips):
        code, n, beta = self._args
        if code == GENERIC:  # a user's F: the same sweep, a visit at a time in NumPy
            xt = self._xt.astype(np.float64)  # rows ξ_i, contiguous
            _dense_xp.async_sweep(
                self.interaction,
                xt,
                s,
                aux,
                orders,
                uniforms,
                temperature,
                clamp,
                tol,
                active,
                flips,
            )
            return
        kernel.async_sweep(
            self._xt,
            code,
            n,
            beta,
            s,
            aux,
            orders,
            uniforms,
            temperature,
            clamp,
            tol,
            active,
            flips,
        )

    def _async_energy(self, s, aux):
        return self._energy_from_overlaps(aux)

    # -- saving --------------------------------------------------------------------------
    def _state(self):
        self._fitted()
        f = self.interaction
        if self._args[0] == GENERIC:
            raise TypeError(
                f"model: a memory with the user-defined interaction {f!r} cannot be saved: "
                "model files are pickle-free (JSON parameters and plain arrays) and cannot hold "
                f"code; save model.patterns instead and store them again in a new "
                f"DenseAssociativeMemory with your interaction, or use one of {list(INTERACTIONS)}"
            )
        params = {"interaction": type(f).__name__, "options": dataclasses.asdict(f)}
        # Files hold NumPy arrays: a tensor memory is written from the host.
        return params, {"patterns": _backend.to_numpy(self._patterns)}

    @classmethod
    def _from_state(cls, params, arrays, source):
        try:
            f = INTERACTIONS[params["interaction"]](**params["options"])
            x = arrays["patterns"]
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(
                f"path: {source} has a damaged DenseAssociativeMemory record ({err})"
            ) from None
        if x.ndim != 2:
            raise ValueError(f"path: {source} has patterns of shape {x.shape}, expected (K, N)")
        model = cls(f)
        model._set(np.array(v.bipolar("patterns", x), dtype=np.int8, order="C"))
        return model

    def __repr__(self) -> str:
        state = (
            f", N={self._patterns.shape[1]}, K={len(self._patterns)}"
            if hasattr(self, "_patterns")
            else ""
        )
        return f"DenseAssociativeMemory(interaction={self.interaction!r}{state})"


def _float64(like):
    if _backend.is_tensor(like):
        import torch

        return torch.float64
    return np.float64

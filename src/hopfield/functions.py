"""Interaction (separation) functions F of the dense associative memory.

A dense associative memory stores patterns ξ^μ and gives a state σ the energy
``E(σ) = −Σ_μ F(ξ^μ·σ)`` (Krotov & Hopfield 2016). F sets how sharply the memories are
separated: the steeper it grows, the less the memories interfere and the more of them can be
stored (about N^{n−1} for ``xⁿ``, exponentially many for ``exp``).

==========================  ==================  ==========================================
function                    F(x)                note
==========================  ==================  ==========================================
``Polynomial(n)``           xⁿ                  n = 2 is the classical Hopfield network
``RectifiedPolynomial(n)``  max(x, 0)ⁿ          Krotov & Hopfield's choice for classifiers
``Exponential(beta)``       exp(β x)            Demircigil et al. (2017)
==========================  ==================  ==========================================

With ``n = 2``, ``−Σ_μ (ξ^μ·σ)² = −σᵀ(XᵀX)σ`` is the classical energy with Hebbian weights
(up to a factor 2N and the constant KN that the zeroed diagonal drops).

Each function has a value, a derivative, and the two sums the dynamics needs: the energy
``−Σ_μ F(m_μ)`` and the energy gap ``Σ_μ [F(a_μ) − F(b_μ)]``. For the exponential these sums
are formed from log-sum-exps, never from raw exponentials, so they overflow only where the
true value is beyond float64; :class:`Exponential` also offers them on the log scale
(``log_energy``, ``log_gap``), which is always finite and is what the dense memory uses.

Every function here takes NumPy arrays (computing in float64) or PyTorch tensors (kept in
their dtype and on their device); integer powers are products (:func:`ipow`), exact for
integer overlaps while below 2⁵³ on every device. Any other object with an elementwise
``F(x)`` and ``F.derivative(x)`` is an :class:`Interaction` too, and the dense memory runs it
through its generic matrix-product path.

References:
    D. Krotov, J. J. Hopfield, "Dense associative memory for pattern recognition",
    NeurIPS 2016. M. Demircigil, J. Heusel, M. Löwe, S. Upgang, F. Vermet, "On a model of
    associative memory with huge storage capacity", J. Stat. Phys. 168, 288 (2017).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from . import _backend
from . import _validation as v
from .separation import logsumexp

__all__ = [
    "Polynomial",
    "RectifiedPolynomial",
    "Exponential",
    "Interaction",
    "INTERACTIONS",
    "BUILTIN",
]

# Codes for the compiled kernels (hopfield.kernels.dense), which cannot take Python objects;
# GENERIC marks a user's interaction, which the models evaluate through its __call__.
POLYNOMIAL, RECTIFIED, EXPONENTIAL, GENERIC = 0, 1, 2, -1


def _f64(x):
    """``x`` as float64 (NumPy), or a tensor kept as it is (a float tensor keeps its dtype
    and device; an integer one becomes float64)."""
    if _backend.is_tensor(x):
        return x if x.is_floating_point() else x.double()
    return np.asarray(x, dtype=np.float64)


def ipow(x, n: int):
    """``xⁿ`` for an int n >= 0 by repeated squaring, in ``x``'s own library.

    Integer-valued ``x`` gives the exact integer while it is below 2⁵³ (float64), on every
    device, which a library ``pow`` does not promise; and it is several times faster than
    ``np.power`` on float64 (which calls ``pow`` per element, about 50 ns on negative values).

    Examples:
        >>> import numpy as np
        >>> from hopfield.functions import ipow
        >>> ipow(np.array([-3.0, 2.0]), 5)
        array([-243.,   32.])
    """
    if n == 0:
        return x * 0.0 + 1.0
    if n in (2, 3) and _backend.is_tensor(x):
        # torch's pow special-cases these exponents as products in one pass (CPU and CUDA).
        return x.pow(n)
    result = None
    base = x
    while True:
        if n & 1:
            result = base if result is None else result * base
        n >>= 1
        if not n:
            return result
        base = base * base


def _relu(x):
    if _backend.is_tensor(x):
        return x.clamp(min=0)
    return np.maximum(x, 0.0)


def _where(cond, a, b):
    if _backend.is_tensor(cond):
        import torch

        return torch.where(cond, a, b)
    return np.where(cond, a, b)


@runtime_checkable
class Interaction(Protocol):
    """What a dense associative memory needs of an interaction function F.

    F is elementwise: ``F(x)`` and ``F.derivative(x)`` take an array of overlaps (a float64
    NumPy array, or a tensor in the caller's dtype and device) and return an array of the same
    shape, in the same library, dtype and device. Write them with operators and the array's
    own methods (``x * x``, ``x.clip(0)``) or with ``array_api_compat.array_namespace(x)``, and
    they run on NumPy and PyTorch alike. F must be finite on ``[−N − 2, N + 2]``.

    The built-in :class:`Polynomial`, :class:`RectifiedPolynomial` and :class:`Exponential`
    follow it, and the models also know them by their compiled codes (the fast path); any
    other object with these two methods runs through the generic matrix-product path (see
    :class:`~hopfield.models.dense.DenseAssociativeMemory`).

    Examples:
        >>> from hopfield.functions import Interaction, Polynomial
        >>> isinstance(Polynomial(3), Interaction)
        True
    """

    def __call__(self, x: Any) -> Any: ...

    def derivative(self, x: Any) -> Any: ...


class _PolynomialBase:
    """Shared sums for the polynomial families: exact in float64 while below 2⁵³."""

    n: int

    def __post_init__(self):
        v.integer("n", self.n, minimum=1)

    def energy(self, m, axis: int = -1) -> np.ndarray:
        """``−Σ F(m)`` along ``axis``.

        Examples:
            >>> from hopfield.functions import Polynomial
            >>> float(Polynomial(3).energy([2.0, -1.0]))
            -7.0
        """
        return -self(m).sum(axis=axis)

    def gap(self, a, b, axis: int = -1) -> np.ndarray:
        """``Σ [F(a) − F(b)]`` along ``axis``; ``a`` and ``b`` broadcast against each other.

        Examples:
            >>> from hopfield.functions import Polynomial
            >>> float(Polynomial(2).gap([3.0, 1.0], [1.0, -1.0]))
            8.0
        """
        return (self(a) - self(b)).sum(axis=axis)

    def _kernel_args(self) -> tuple[int, int, float]:
        return self._code, int(self.n), 1.0


@dataclass(frozen=True)
class Polynomial(_PolynomialBase):
    """``F(x) = xⁿ``. Odd n makes −ξ cost energy; even n stores −ξ as well as ξ.

    Args:
        n: the degree, an int >= 1. n = 2 is the classical Hopfield network.

    Examples:
        >>> from hopfield.functions import Polynomial
        >>> F = Polynomial(3)
        >>> F([-2.0, 0.0, 2.0]), F.derivative([-2.0, 0.0, 2.0])
        (array([-8.,  0.,  8.]), array([12.,  0., 12.]))
    """

    n: int = 2
    _code = POLYNOMIAL

    def __call__(self, x) -> np.ndarray:
        return ipow(_f64(x), self.n)

    def derivative(self, x) -> np.ndarray:
        """``F′(x) = n xⁿ⁻¹``."""
        return self.n * ipow(_f64(x), self.n - 1)


@dataclass(frozen=True)
class RectifiedPolynomial(_PolynomialBase):
    """``F(x) = max(x, 0)ⁿ``: only memories the state agrees with more than it disagrees with
    contribute (Krotov & Hopfield 2016).

    Args:
        n: the degree, an int >= 1.

    Examples:
        >>> from hopfield.functions import RectifiedPolynomial
        >>> F = RectifiedPolynomial(2)
        >>> F([-2.0, 0.0, 3.0]), F.derivative([-2.0, 0.0, 3.0])
        (array([0., 0., 9.]), array([0., 0., 6.]))
    """

    n: int = 3
    _code = RECTIFIED

    def __call__(self, x) -> np.ndarray:
        return ipow(_relu(_f64(x)), self.n)

    def derivative(self, x) -> np.ndarray:
        """``F′(x) = n max(x, 0)ⁿ⁻¹``, taken as 0 at x = 0 for every n."""
        x = _f64(x)
        return _where(x > 0, self.n * ipow(_relu(x), self.n - 1), 0.0)


@dataclass(frozen=True)
class Exponential:
    """``F(x) = exp(β x)`` (Demircigil et al. 2017): exponentially many memories.

    Sums of F are formed from log-sum-exps, so ``Exponential(1.0)`` at N = 1000 never
    overflows in :meth:`log_energy` and :meth:`log_gap`, and :meth:`gap` keeps the right sign
    even where the two sums are beyond float64.

    Args:
        beta: the inverse width β > 0. Small β (about 1/N) keeps many memories in play;
            large β lets the closest memory dominate.

    Examples:
        >>> import numpy as np
        >>> from hopfield.functions import Exponential
        >>> F = Exponential(1.0)
        >>> float(F(0.0)), float(F.derivative(0.0))
        (1.0, 1.0)
        >>> m = np.array([1000.0, 998.0])
        >>> float(F.log_energy(m)), float(F.gap(m, m - 2.0)) > 0, float(F.energy(m))
        (-1000.126928011043, True, -inf)
    """

    beta: float = 1.0
    _code = EXPONENTIAL

    def __post_init__(self):
        # Stored as a float: a Fraction or Decimal would pass the check, then fail in NumPy.
        object.__setattr__(self, "beta", v.positive("beta", self.beta))

    def __call__(self, x) -> np.ndarray:
        x = _f64(x)
        if _backend.is_tensor(x):
            return (self.beta * x).exp()
        with np.errstate(over="ignore"):
            return np.exp(self.beta * x)

    def derivative(self, x) -> np.ndarray:
        """``F′(x) = β exp(β x)``."""
        return self.beta * self(x)

    def log_sum(self, m, axis: int = -1) -> np.ndarray:
        """``log Σ exp(β m)`` along ``axis``, computed without overflow."""
        return logsumexp(self.beta * _f64(m), axis=axis)

    def log_energy(self, m, axis: int = -1) -> np.ndarray:
        """``−β⁻¹ log Σ exp(β m)``: an increasing function of the energy, always finite.

        It has the same minima as ``−Σ exp(β m)`` and the same sign of every energy gap.
        """
        return -self.log_sum(m, axis) / self.beta

    def log_gap(self, a, b, axis: int = -1) -> np.ndarray:
        """``β⁻¹ [log Σ exp(β a) − log Σ exp(β b)]``, the gap of :meth:`log_energy`."""
        return (self.log_sum(a, axis) - self.log_sum(b, axis)) / self.beta

    def energy(self, m, axis: int = -1) -> np.ndarray:
        """``−Σ exp(β m)``; ``-inf`` where the sum is beyond float64 (see :meth:`log_energy`)."""
        if _backend.is_tensor(m):
            return -self.log_sum(m, axis).exp()
        with np.errstate(over="ignore"):
            return -np.exp(self.log_sum(m, axis))

    def gap(self, a, b, axis: int = -1) -> np.ndarray:
        """``Σ [exp(β a) − exp(β b)]``: the sign is always right; the size is ±inf only when
        it is beyond float64."""
        la, lb = self.log_sum(a, axis), self.log_sum(b, axis)
        if _backend.is_tensor(la):
            import torch

            hi, lo = torch.maximum(la, lb), torch.minimum(la, lb)
            return torch.sign(la - lb) * (hi + torch.log(-torch.expm1(lo - hi))).exp()
        hi, lo = np.maximum(la, lb), np.minimum(la, lb)
        # e^hi − e^lo = e^(hi + log(1 − e^(lo − hi))): one exponential, of the result itself.
        with np.errstate(over="ignore", divide="ignore"):
            size = np.exp(hi + np.log(-np.expm1(lo - hi)))
        return np.sign(la - lb) * size

    def _kernel_args(self) -> tuple[int, int, float]:
        return self._code, 1, float(self.beta)


#: The interaction classes by name, for saving and loading models.
INTERACTIONS = {cls.__name__: cls for cls in (Polynomial, RectifiedPolynomial, Exponential)}

#: The built-in interaction classes, which the compiled kernels know by code.
BUILTIN = tuple(INTERACTIONS.values())

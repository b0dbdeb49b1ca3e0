r"""Interaction (separation) functions F of the dense associative memory.

A dense associative memory [1]_ stores ±1 patterns :math:`\xi^\mu` (the rows of X, shape
(K, N)) and gives a state :math:`\sigma \in \{-1, +1\}^N` the energy

.. math::

    E(\sigma) = -\sum_{\mu=1}^{K} F(m_\mu), \qquad m_\mu = \xi^\mu \cdot \sigma .

Its update sets each neuron to the sign of its energy gap, the energy with the neuron at −1
less the energy with it at +1:

.. math::

    \sigma_i \leftarrow \operatorname{sign} \sum_{\mu=1}^{K}
    \Big[ F\big(r_{i\mu} + \xi^\mu_i\big) - F\big(r_{i\mu} - \xi^\mu_i\big) \Big],
    \qquad r_{i\mu} = m_\mu - \sigma_i \xi^\mu_i ,

so F is only ever evaluated at overlaps. F sets how sharply the memories are separated: the
steeper it grows, the less the memories interfere and the more of them can be stored (about
:math:`N^{n-1}` for :math:`x^n`, exponentially many for :math:`\exp(\beta x)` [2]_).

.. list-table::
   :header-rows: 1
   :widths: 30 20 50

   * - function
     - :math:`F(x)`
     - note
   * - :class:`Polynomial(n) <hopfield.Polynomial>`
     - :math:`x^n`
     - n = 2 is the classical Hopfield network
   * - :class:`RectifiedPolynomial(n) <hopfield.RectifiedPolynomial>`
     - :math:`\max(x, 0)^n`
     - Krotov & Hopfield's choice for classifiers [1]_
   * - :class:`Exponential(beta) <hopfield.Exponential>`
     - :math:`\exp(\beta x)`
     - Demircigil et al. [2]_

With n = 2,

.. math::

    -\sum_\mu (\xi^\mu \cdot \sigma)^2 = -\sigma^\top (X^\top X)\, \sigma

is the classical energy with Hebbian weights (up to a factor 2N and the constant KN that the
zeroed diagonal drops).

Each built-in function has a value, a derivative, and the two sums the dynamics needs: the
energy :math:`-\sum_\mu F(m_\mu)` and the energy gap :math:`\sum_\mu [F(a_\mu) - F(b_\mu)]`.
For the exponential these sums are formed from log-sum-exps, never from raw exponentials, so
they overflow only where the true value is beyond float64; :class:`hopfield.Exponential` also
offers them on the log scale (:meth:`~hopfield.Exponential.log_energy`,
:meth:`~hopfield.Exponential.log_gap`),

.. math::

    \tilde E(\sigma) = -\beta^{-1} \log \sum_\mu e^{\beta m_\mu},

which is always finite and is what the dense memory uses.

Every function here takes NumPy arrays (computing in float64) or PyTorch tensors (kept in
their dtype and on their device); integer powers are products (``ipow``, repeated squaring),
exact for integer overlaps while below 2⁵³ on every device.

.. rubric:: Writing your own F

Any object with an elementwise ``F(x)`` and ``F.derivative(x)`` is an interaction too: it
follows the protocol :class:`hopfield.functions.Interaction` (checked by its methods, nothing to
inherit), and :class:`hopfield.DenseAssociativeMemory` takes it as its ``interaction``. What it
must provide:

- ``F(x)`` and ``F.derivative(x)`` take an array of overlaps (a float64 NumPy array, or a
  tensor in the caller's dtype and device) and return an array of the same shape, in the same
  library, dtype and device. Written with operators and the array's own methods
  (``x * x``, ``x.clip(0)``) or with ``array_api_compat.array_namespace(x)``, they run on
  NumPy and PyTorch alike; a result of another shape is a ``ValueError`` in the dense memory,
  and a NumPy result for a tensor a ``TypeError`` in the hidden-neuron layer.
- F must be finite on :math:`[-N - 2, N + 2]`, where the dense memory evaluates it.
- The dense memory evaluates F itself only; ``F.derivative`` is the activation :math:`F'`
  when F is the Lagrangian of a layer of hidden neurons
  (:class:`hopfield.lagrangians.Interaction` in :class:`hopfield.HiddenNeuronNetwork`), whose
  energy falls only if F is convex.

.. rubric:: What it costs: compiled built-ins and the generic path

The built-in :class:`hopfield.Polynomial`, :class:`hopfield.RectifiedPolynomial` and
:class:`hopfield.Exponential` are known to the models by their compiled codes, the fast path:
on NumPy, asynchronous sweeps run compiled (Numba) kernels that keep the overlaps and update
them in O(K) per flip, and synchronous sweeps are two matrix products with F evaluated in the
kernels; polynomial gaps are exact while their terms are below 2⁵², so ties are exact zeros.

Any other F runs through the generic matrix-product path:

- Synchronous sweeps (``update="sync"``) and energies use the same two matrix products, with
  F called on the (B, K) overlaps m and m ± 2 (and m ± 1 for cues with unknown bits), in the
  caller's namespace: F's own cost is O(B K) per sweep against the products' O(B K N).
- Asynchronous and stochastic updates run a NumPy loop over neurons: O(K) per visit, as the
  compiled kernel, but in Python, so meant for trying an F at small sizes.
- Ties are gaps within 10⁻¹¹ of the size of their terms (a user's F is not known to give
  exact terms); with ``precision="float32"`` on tensors its values are taken to be within 8
  units of rounding.
- :func:`hopfield.save` refuses the model: model files are pickle-free (JSON parameters and
  plain arrays) and cannot hold code. Save ``model.patterns`` and store them again.

On tensors every interaction, built-in or not, runs the array-API path of the dense memory
(matrix products in the caller's namespace, on its device).

References
----------
.. [1] D. Krotov and J. J. Hopfield, "Dense associative memory for pattern recognition",
   NeurIPS 2016.
.. [2] M. Demircigil, J. Heusel, M. Löwe, S. Upgang and F. Vermet, "On a model of associative
   memory with huge storage capacity", J. Stat. Phys. 168, 288 (2017).

Examples
--------
>>> import hopfield as hf
>>> F = hf.RectifiedPolynomial(3)
>>> F([-2.0, 1.0, 2.0]), float(F.energy([-2.0, 1.0, 2.0]))
(array([0., 1., 8.]), -9.0)
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
    """Return ``x`` as float64 (NumPy), or a tensor kept as it is.

    A float tensor keeps its dtype and device; an integer one becomes float64.
    """
    if _backend.is_tensor(x):
        return x if x.is_floating_point() else x.double()
    return np.asarray(x, dtype=np.float64)


def ipow(x, n: int):
    """Compute ``xⁿ`` for an int n >= 0 by repeated squaring, in ``x``'s own library.

    Integer-valued ``x`` gives the exact integer while it is below 2⁵³ (float64), on every
    device, which a library ``pow`` does not promise; and it is several times faster than
    ``np.power`` on float64 (which calls ``pow`` per element, about 50 ns on negative values).

    Parameters
    ----------
    x : ndarray or torch.Tensor
        The base, any shape.
    n : int
        The exponent, >= 0.

    Returns
    -------
    ndarray or torch.Tensor
        ``xⁿ``, elementwise, in ``x``'s library (``x * 0.0 + 1.0`` for n = 0).

    Examples
    --------
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


# A protocol has no constructor to document: the *args and **kwargs numpydoc sees are Protocol's.
@runtime_checkable
class Interaction(Protocol):  # numpydoc ignore=PR01
    r"""What a dense associative memory needs of an interaction function F.

    An interaction is any object with two elementwise methods; nothing needs to be inherited
    (``isinstance(F, Interaction)`` looks for the two methods):

    ``F(x)``
        the value :math:`F(x)`, at every entry of ``x``;
    ``F.derivative(x)``
        the derivative :math:`F'(x)`, at every entry of ``x``.

    Both take an array of overlaps (a float64 NumPy array, or a tensor in the caller's dtype
    and device) and return an array of the same shape, in the same library, dtype and device.
    Write them with operators and the array's own methods (``x * x``, ``x.clip(0)``) or with
    ``array_api_compat.array_namespace(x)``, and they run on NumPy and PyTorch alike. F must
    be finite on :math:`[-N - 2, N + 2]`.

    The dense memory evaluates F itself only (at the overlaps m and m ± 2, and m ± 1 for
    unknown bits); ``F.derivative`` is the activation when F is the Lagrangian of a layer of
    hidden neurons (:class:`hopfield.lagrangians.Interaction`), and F must then be convex for
    the network's energy to fall.

    The built-in :class:`hopfield.Polynomial`, :class:`hopfield.RectifiedPolynomial` and
    :class:`hopfield.Exponential` follow it, and the models also know them by their compiled
    codes (the fast path); any other object with these two methods runs through the generic
    matrix-product path of :class:`hopfield.DenseAssociativeMemory`: synchronous sweeps and
    energies cost about what the built-ins' do (the same two matrix products, F called on
    (B, K) overlaps), asynchronous and stochastic updates loop over neurons in Python (for
    trying an F at small sizes), and :func:`hopfield.save` refuses the model (model files
    cannot hold code). The module :mod:`hopfield.functions` details both paths.

    See Also
    --------
    hopfield.DenseAssociativeMemory : The dense memory; its ``interaction`` is an F.
    hopfield.lagrangians.Interaction : F as the Lagrangian of a layer of hidden neurons.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.functions import Interaction
    >>> isinstance(hf.Polynomial(3), Interaction)
    True

    A user-defined F, here x⁴ written with operators (so it runs on tensors too), takes the
    generic path and recalls as the built-in ``Polynomial(4)`` does:

    >>> class Quartic:
    ...     def __call__(self, x):
    ...         x2 = x * x
    ...         return x2 * x2
    ...     def derivative(self, x):
    ...         return 4.0 * x * x * x
    >>> isinstance(Quartic(), Interaction)
    True
    >>> X = hf.patterns.random(100, 40, rng=0)           # K = 2.5 N
    >>> dam = hf.DenseAssociativeMemory(Quartic()).store(X)
    >>> r = dam.recall(hf.patterns.flip(X[:10], 0.1, rng=1), update="sync")
    >>> bool((r.states == X[:10]).all())
    True
    """

    def __call__(self, x: Any) -> Any:
        """Evaluate F elementwise.

        Parameters
        ----------
        x : ndarray or torch.Tensor
            Overlaps, any shape: a float64 NumPy array, or a tensor in the caller's dtype and
            device.

        Returns
        -------
        ndarray or torch.Tensor
            F at every entry of ``x``: the same shape, library, dtype and device.
        """

    def derivative(self, x: Any) -> Any:
        """Evaluate the derivative F′ elementwise.

        Parameters
        ----------
        x : ndarray or torch.Tensor
            Overlaps or hidden-neuron inputs, any shape: a float64 NumPy array, or a tensor
            in the caller's dtype and device.

        Returns
        -------
        ndarray or torch.Tensor
            F′ at every entry of ``x``: the same shape, library, dtype and device.
        """


class _PolynomialBase:
    """Shared sums for the polynomial families: exact in float64 while below 2⁵³."""

    n: int

    def __post_init__(self):
        v.integer("n", self.n, minimum=1)

    def energy(self, m, axis: int = -1) -> np.ndarray:
        """Compute the energy ``−Σ F(m)`` along ``axis``.

        Exact in float64 while the terms are below 2⁵³.

        Parameters
        ----------
        m : array_like or torch.Tensor
            Overlaps, e.g. of shape (B, K).
        axis : int, default -1
            The axis summed over (the memories).

        Returns
        -------
        ndarray or torch.Tensor
            The energies, ``m``'s shape without ``axis``.

        Examples
        --------
        >>> import hopfield as hf
        >>> float(hf.Polynomial(3).energy([2.0, -1.0]))
        -7.0
        """
        return -self(m).sum(axis=axis)

    def gap(self, a, b, axis: int = -1) -> np.ndarray:
        """Compute the energy gap ``Σ [F(a) − F(b)]`` along ``axis``.

        Parameters
        ----------
        a, b : array_like or torch.Tensor
            Overlaps; they broadcast against each other.
        axis : int, default -1
            The axis summed over (the memories).

        Returns
        -------
        ndarray or torch.Tensor
            The gaps, the broadcast shape without ``axis``.

        Examples
        --------
        >>> import hopfield as hf
        >>> float(hf.Polynomial(2).gap([3.0, 1.0], [1.0, -1.0]))
        8.0
        """
        return (self(a) - self(b)).sum(axis=axis)

    def _kernel_args(self) -> tuple[int, int, float]:
        return self._code, int(self.n), 1.0


@dataclass(frozen=True)
class Polynomial(_PolynomialBase):
    r"""The polynomial interaction :math:`F(x) = x^n`.

    Odd n makes −ξ cost energy; even n stores −ξ as well as ξ. The energy and the gaps are
    sums of integer powers, exact in float64 while below 2⁵³.

    Parameters
    ----------
    n : int, default 2
        The degree, >= 1. n = 2 is the classical Hopfield network.

    Raises
    ------
    ValueError
        When ``n`` is below 1.
    TypeError
        When ``n`` is not an integer.

    See Also
    --------
    hopfield.DenseAssociativeMemory : The memory that uses it.

    Examples
    --------
    >>> import hopfield as hf
    >>> F = hf.Polynomial(3)
    >>> F([-2.0, 0.0, 2.0]), F.derivative([-2.0, 0.0, 2.0])
    (array([-8.,  0.,  8.]), array([12.,  0., 12.]))
    """

    n: int = 2
    _code = POLYNOMIAL

    def __call__(self, x) -> np.ndarray:
        """Evaluate ``F(x) = xⁿ`` elementwise.

        Parameters
        ----------
        x : array_like or torch.Tensor
            Overlaps, any shape.

        Returns
        -------
        ndarray or torch.Tensor
            ``xⁿ``: float64 for NumPy input, a tensor keeps its float dtype and device.
        """
        return ipow(_f64(x), self.n)

    def derivative(self, x) -> np.ndarray:
        """Evaluate the derivative ``F′(x) = n xⁿ⁻¹`` elementwise.

        Parameters
        ----------
        x : array_like or torch.Tensor
            Overlaps, any shape.

        Returns
        -------
        ndarray or torch.Tensor
            ``n xⁿ⁻¹``: float64 for NumPy input, a tensor keeps its float dtype and device.
        """
        return self.n * ipow(_f64(x), self.n - 1)


@dataclass(frozen=True)
class RectifiedPolynomial(_PolynomialBase):
    r"""The rectified polynomial interaction :math:`F(x) = \max(x, 0)^n`.

    Only memories the state agrees with more than it disagrees with contribute (Krotov &
    Hopfield 2016 [1]_). The energy and the gaps are exact in float64 while below 2⁵³.

    Parameters
    ----------
    n : int, default 3
        The degree, >= 1.

    Raises
    ------
    ValueError
        When ``n`` is below 1.
    TypeError
        When ``n`` is not an integer.

    See Also
    --------
    hopfield.DenseAssociativeMemory : The memory that uses it (``RectifiedPolynomial(3)`` is
        its default).

    References
    ----------
    .. [1] D. Krotov and J. J. Hopfield, "Dense associative memory for pattern recognition",
       NeurIPS 2016.

    Examples
    --------
    >>> import hopfield as hf
    >>> F = hf.RectifiedPolynomial(2)
    >>> F([-2.0, 0.0, 3.0]), F.derivative([-2.0, 0.0, 3.0])
    (array([0., 0., 9.]), array([0., 0., 6.]))
    """

    n: int = 3
    _code = RECTIFIED

    def __call__(self, x) -> np.ndarray:
        """Evaluate ``F(x) = max(x, 0)ⁿ`` elementwise.

        Parameters
        ----------
        x : array_like or torch.Tensor
            Overlaps, any shape.

        Returns
        -------
        ndarray or torch.Tensor
            ``max(x, 0)ⁿ``: float64 for NumPy input, a tensor keeps its float dtype and device.
        """
        return ipow(_relu(_f64(x)), self.n)

    def derivative(self, x) -> np.ndarray:
        """Evaluate the derivative ``F′(x) = n max(x, 0)ⁿ⁻¹`` elementwise.

        It is taken as 0 at x = 0 for every n.

        Parameters
        ----------
        x : array_like or torch.Tensor
            Overlaps, any shape.

        Returns
        -------
        ndarray or torch.Tensor
            ``n max(x, 0)ⁿ⁻¹`` (0 where x <= 0): float64 for NumPy input, a tensor keeps its
            float dtype and device.
        """
        x = _f64(x)
        return _where(x > 0, self.n * ipow(_relu(x), self.n - 1), 0.0)


@dataclass(frozen=True)
class Exponential:
    r"""The exponential interaction :math:`F(x) = \exp(\beta x)`: exponentially many memories.

    With :math:`e^{\alpha N} + 1` random patterns (Demircigil et al. 2017 [1]_), a cue
    :math:`\rho N` bits away is recovered by one update of each neuron with high probability
    when α is below a bound that reaches :math:`\tfrac12 \ln 2` at ρ = 0: :math:`2^{N/2}`
    patterns.

    Sums of F are formed from log-sum-exps, so ``Exponential(1.0)`` at N = 1000 never
    overflows in :meth:`log_energy` and :meth:`log_gap`, and :meth:`gap` keeps the right sign
    even where the two sums are beyond float64.

    Parameters
    ----------
    beta : float, default 1.0
        The inverse width β > 0 (stored as a float). Small β (about 1/N) keeps many memories
        in play; large β lets the closest memory dominate.

    Raises
    ------
    ValueError
        When ``beta`` is not finite and > 0.
    TypeError
        When ``beta`` is not a real number.

    See Also
    --------
    hopfield.DenseAssociativeMemory : The memory that uses it, on the log scale.

    References
    ----------
    .. [1] M. Demircigil, J. Heusel, M. Löwe, S. Upgang and F. Vermet, "On a model of
       associative memory with huge storage capacity", J. Stat. Phys. 168, 288 (2017).

    Examples
    --------
    >>> import numpy as np
    >>> import hopfield as hf
    >>> F = hf.Exponential(1.0)
    >>> float(F(0.0)), float(F.derivative(0.0))
    (1.0, 1.0)
    >>> m = np.array([1000.0, 998.0])
    >>> round(float(F.log_energy(m)), 6), bool(F.gap(m, m - 2.0) > 0), float(F.energy(m))
    (-1000.126928, True, -inf)
    """

    beta: float = 1.0
    _code = EXPONENTIAL

    def __post_init__(self):
        # Stored as a float: a Fraction or Decimal would pass the check, then fail in NumPy.
        object.__setattr__(self, "beta", v.positive("beta", self.beta))

    def __call__(self, x) -> np.ndarray:
        """Evaluate ``F(x) = exp(β x)`` elementwise.

        Parameters
        ----------
        x : array_like or torch.Tensor
            Overlaps, any shape.

        Returns
        -------
        ndarray or torch.Tensor
            ``exp(β x)`` (``inf`` where beyond float64 on NumPy, without a warning): float64
            for NumPy input, a tensor keeps its float dtype and device.
        """
        x = _f64(x)
        if _backend.is_tensor(x):
            return (self.beta * x).exp()
        with np.errstate(over="ignore"):
            return np.exp(self.beta * x)

    def derivative(self, x) -> np.ndarray:
        """Evaluate the derivative ``F′(x) = β exp(β x)`` elementwise.

        Parameters
        ----------
        x : array_like or torch.Tensor
            Overlaps, any shape.

        Returns
        -------
        ndarray or torch.Tensor
            ``β exp(β x)``: float64 for NumPy input, a tensor keeps its float dtype and device.
        """
        return self.beta * self(x)

    def log_sum(self, m, axis: int = -1) -> np.ndarray:
        """Compute ``log Σ exp(β m)`` along ``axis`` without overflow.

        Parameters
        ----------
        m : array_like or torch.Tensor
            Overlaps, e.g. of shape (B, K).
        axis : int, default -1
            The axis summed over (the memories).

        Returns
        -------
        ndarray or torch.Tensor
            The log-sums, ``m``'s shape without ``axis``.
        """
        return logsumexp(self.beta * _f64(m), axis=axis)

    def log_energy(self, m, axis: int = -1) -> np.ndarray:
        """Compute the log-scale energy ``−β⁻¹ log Σ exp(β m)`` along ``axis``.

        It is an increasing function of the energy ``−Σ exp(β m)``, always finite: it has the
        same minima and the same sign of every energy gap.

        Parameters
        ----------
        m : array_like or torch.Tensor
            Overlaps, e.g. of shape (B, K).
        axis : int, default -1
            The axis summed over (the memories).

        Returns
        -------
        ndarray or torch.Tensor
            The log-scale energies, ``m``'s shape without ``axis``.
        """
        return -self.log_sum(m, axis) / self.beta

    def log_gap(self, a, b, axis: int = -1) -> np.ndarray:
        """Compute ``β⁻¹ [log Σ exp(β a) − log Σ exp(β b)]``, the gap of :meth:`log_energy`.

        Parameters
        ----------
        a, b : array_like or torch.Tensor
            Overlaps; they broadcast against each other.
        axis : int, default -1
            The axis summed over (the memories).

        Returns
        -------
        ndarray or torch.Tensor
            The log-scale gaps, always finite, the broadcast shape without ``axis``.
        """
        return (self.log_sum(a, axis) - self.log_sum(b, axis)) / self.beta

    def energy(self, m, axis: int = -1) -> np.ndarray:
        """Compute the energy ``−Σ exp(β m)`` along ``axis``.

        Parameters
        ----------
        m : array_like or torch.Tensor
            Overlaps, e.g. of shape (B, K).
        axis : int, default -1
            The axis summed over (the memories).

        Returns
        -------
        ndarray or torch.Tensor
            The energies, ``m``'s shape without ``axis``; ``-inf`` where the sum is beyond
            float64 (see :meth:`log_energy`).
        """
        if _backend.is_tensor(m):
            return -self.log_sum(m, axis).exp()
        with np.errstate(over="ignore"):
            return -np.exp(self.log_sum(m, axis))

    def gap(self, a, b, axis: int = -1) -> np.ndarray:
        """Compute the energy gap ``Σ [exp(β a) − exp(β b)]`` along ``axis``.

        It is formed from the two log-sum-exps, with one exponential of the result itself.

        Parameters
        ----------
        a, b : array_like or torch.Tensor
            Overlaps; they broadcast against each other.
        axis : int, default -1
            The axis summed over (the memories).

        Returns
        -------
        ndarray or torch.Tensor
            The gaps, the broadcast shape without ``axis``: the sign is always right; the size
            is ±inf only when it is beyond float64.
        """
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

r"""Lagrangians of the hidden-neuron model: a layer of neurons is a scalar function L(x).

Following Krotov & Hopfield [1]_ and HAMUX [2]_, a layer is defined by its Lagrangian rather
than by its activation function. The activation is the gradient of L, and the layer's own
contribution to an energy is the Legendre transform:

.. math::

    g(x) = \frac{\partial L}{\partial x}, \qquad x \cdot g(x) - L(x),

written ``activation`` and ``legendre`` (:meth:`hopfield.lagrangians.Lagrangian.activation`,
:meth:`hopfield.lagrangians.Lagrangian.legendre`). Every Lagrangian maps ``x`` of shape
(..., D) to a value of shape (...); the activation keeps the shape (..., D).

In :class:`hopfield.HiddenNeuronNetwork`, N feature neurons v (Lagrangian :math:`L_v`, outputs
:math:`g = \partial L_v / \partial v`) and K memory neurons h (Lagrangian :math:`L_h`, outputs
:math:`f = \partial L_h / \partial h`), coupled by the memories ξ (K, N), follow

.. math::

    \tau_f \frac{dv_i}{dt} = \sum_\mu \xi_{\mu i} f_\mu - v_i + I_i, \qquad
    \tau_h \frac{dh_\mu}{dt} = \sum_i \xi_{\mu i} g_i - h_\mu,

and have the energy

.. math::

    E(v, h) = \Big[\sum_i (v_i - I_i)\, g_i - L_v\Big]
    + \Big[\sum_\mu h_\mu f_\mu - L_h\Big] - \sum_{\mu, i} f_\mu \xi_{\mu i} g_i .

Along the dynamics

.. math::

    \frac{dE}{dt} = -\tau_f\, \dot v^\top \frac{\partial^2 L_v}{\partial v\, \partial v}\, \dot v
    - \tau_h\, \dot h^\top \frac{\partial^2 L_h}{\partial h\, \partial h}\, \dot h \le 0,

so the energy of a network built from these layers never rises when every Lagrangian has a
positive semi-definite (PSD) Hessian :math:`\partial^2 L / \partial x\, \partial x`
(Krotov & Hopfield 2021, eq. 4):

.. list-table::
   :header-rows: 1
   :widths: 20 25 20 35

   * - Lagrangian
     - :math:`L(x)`
     - activation
     - Hessian
   * - :class:`~hopfield.lagrangians.Quadratic`
     - :math:`\tfrac12 \sum x^2`
     - :math:`x`
     - identity: PSD
   * - :class:`~hopfield.lagrangians.Absolute`
     - :math:`\sum \lvert x \rvert`
     - :math:`\operatorname{sign}(x)`
     - 0 off 0, a positive delta at 0: PSD as a measure (E falls in jumps)
   * - :class:`~hopfield.lagrangians.Tanh`
     - :math:`\sum \log\cosh(a x) / a`
     - :math:`\tanh(a x)`
     - :math:`a \operatorname{sech}^2(a x)`: PSD
   * - :class:`~hopfield.lagrangians.LogSumExp`
     - :math:`\beta^{-1} \log \sum e^{\beta x}`
     - :math:`\operatorname{softmax}(\beta x)`
     - :math:`\beta (\operatorname{diag} p - p p^\top)`: PSD
   * - :class:`~hopfield.lagrangians.Interaction`
     - :math:`\sum F(x)`
     - :math:`F'(x)`
     - :math:`\operatorname{diag} F''(x)`: PSD iff F is convex (rectified polynomials, exp,
       even :math:`x^n`; not :math:`x^3` for x < 0)
   * - :class:`~hopfield.lagrangians.Spherical`
     - :math:`\lVert x \rVert`
     - :math:`x / \lVert x \rVert`
     - :math:`(1 - \hat x \hat x^\top) / \lVert x \rVert`: PSD

Every method runs in its argument's library: NumPy arrays, or PyTorch tensors on any device,
kept in their dtype and differentiable.

.. rubric:: Writing your own layer

A new layer is a subclass of :class:`~hopfield.lagrangians.Lagrangian` that defines
``__call__`` (the value L) and ``activation`` (its gradient); ``legendre`` defaults to
:math:`\sum x \cdot g - L`. :func:`~hopfield.lagrangians.check` accepts any subclass, so
:class:`hopfield.HiddenNeuronNetwork` runs it, but only the classes of this module can be
saved. A new interaction function F needs no subclass: ``Interaction(F)`` makes it a layer of
hidden neurons for any F that follows :class:`hopfield.functions.Interaction` (its
``derivative`` is the activation; on tensors it must compute on tensors, and only the
functions of :mod:`hopfield.functions` can be saved).

References
----------
.. [1] D. Krotov and J. J. Hopfield, "Large associative memory problem in neurobiology and
   machine learning", ICLR 2021 (arXiv:2008.06996, 2020).
.. [2] B. Hoover et al., "HAMUX: a universal abstraction for hierarchical associative memory"
   (GitHub repository bhoov/hamux).

Examples
--------
>>> import numpy as np
>>> import hopfield as hf
>>> L = hf.lagrangians.LogSumExp(beta=2.0)
>>> x = np.array([1.0, 0.0, -1.0])
>>> p = L.activation(x)                      # softmax(2 x)
>>> round(float(p.sum()), 6), bool(np.isclose(L.legendre(x), x @ p - L(x)))
(1.0, True)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _backend, functions
from . import _validation as v
from .separation import logsumexp


def _arr(x):
    """Return ``x`` as an array of its own library: tensors as they are, anything else NumPy."""
    return x if _backend.is_tensor(x) else np.asarray(x)


def _float(x):
    """Return the floating dtype a Lagrangian's value takes for ``x`` (at least float32)."""
    if _backend.is_tensor(x):
        return _backend.float_dtype(x)
    return np.result_type(x, np.float32)

__all__ = [
    "Lagrangian",
    "Quadratic",
    "Absolute",
    "Tanh",
    "LogSumExp",
    "Interaction",
    "Spherical",
    "check",
]


class Lagrangian:
    r"""A layer's Lagrangian L(x), the base of every layer of the hidden-neuron model.

    Subclasses define ``__call__`` (the value L) and :meth:`activation` (the gradient
    :math:`g = \partial L / \partial x`). :meth:`legendre` defaults to
    :math:`\sum x \cdot g - L`; subclasses override it where a closed form is exact or better
    conditioned. A subclass runs in :class:`hopfield.HiddenNeuronNetwork`
    (:func:`~hopfield.lagrangians.check` accepts it), but only the classes of
    :mod:`hopfield.lagrangians` can be saved.

    See Also
    --------
    hopfield.lagrangians.check : Accept a Lagrangian, refuse anything else.

    Examples
    --------
    A softplus layer, :math:`L = \sum \log(1 + e^x)`, whose activation is the logistic
    function (a convex L: its Hessian is PSD):

    >>> import numpy as np
    >>> from hopfield.lagrangians import Lagrangian
    >>> class Softplus(Lagrangian):
    ...     def __call__(self, x):
    ...         return np.logaddexp(0.0, x).sum(axis=-1)
    ...     def activation(self, x):
    ...         return 1.0 / (1.0 + np.exp(-x))
    >>> L = Softplus()
    >>> x = np.array([0.0, 0.0])
    >>> round(float(L(x)), 6), L.activation(x), round(float(L.legendre(x)), 6)
    (1.386294, array([0.5, 0.5]), -1.386294)
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate L, summed over the last axis.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            L(x).

        Raises
        ------
        NotImplementedError
            In the base class: a subclass defines it.
        """
        raise NotImplementedError

    def activation(self, x: np.ndarray) -> np.ndarray:
        """Compute the activation ``g = ∂L/∂x``.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (..., D)
            The gradient of L at ``x``.

        Raises
        ------
        NotImplementedError
            In the base class: a subclass defines it.
        """
        raise NotImplementedError

    def legendre(self, x: np.ndarray) -> np.ndarray:
        """Compute the Legendre term ``Σ x·g − L``, the layer's own part of an energy.

        The base class forms it from ``__call__`` and :meth:`activation`; subclasses override
        it where a closed form is exact or better conditioned.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            ``Σ x·g(x) − L(x)``.
        """
        x = _arr(x)
        xp = _backend.namespace(x)
        return xp.sum(x * self.activation(x), axis=-1) - self(x)


@dataclass(frozen=True)
class Quadratic(Lagrangian):
    r"""The quadratic Lagrangian :math:`L = \tfrac12 \sum x^2`: linear (identity) neurons.

    The feature layer of the modern Hopfield network (model B of Krotov & Hopfield 2021). Its
    Hessian is the identity; its Legendre term equals L.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.lagrangians import Quadratic
    >>> L = Quadratic()
    >>> x = np.array([1.0, -2.0])
    >>> float(L(x)), L.activation(x), float(L.legendre(x))
    (2.5, array([ 1., -2.]), 2.5)
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate ``L = ½ Σ x²`` over the last axis.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            ``½ Σ x²``.
        """
        x = _arr(x)
        return 0.5 * _backend.namespace(x).sum(x * x, axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        """Compute the activation ``g = x``, a copy of ``x``.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (..., D)
            A copy of ``x``.
        """
        x = _arr(x)
        return x.clone() if _backend.is_tensor(x) else np.array(x, copy=True)

    def legendre(self, x: np.ndarray) -> np.ndarray:
        """Compute the Legendre term ``x·x − ½ Σ x² = ½ Σ x²``, which equals L.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            ``½ Σ x²``.
        """
        return self(x)


@dataclass(frozen=True)
class Absolute(Lagrangian):
    r"""The absolute-value Lagrangian :math:`L = \sum \lvert x \rvert`: binary (sign) neurons.

    These are the dense associative memory's ±1 units (model A of Krotov & Hopfield 2021, with
    an :class:`~hopfield.lagrangians.Interaction` memory layer). ``sign(0) = 0``, a
    subgradient. The Legendre term ``x·sign(x) − |x|`` is exactly zero.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.lagrangians import Absolute
    >>> L = Absolute()
    >>> x = np.array([0.5, -2.0, 0.0])
    >>> float(L(x)), L.activation(x), float(L.legendre(x))
    (2.5, array([ 1., -1.,  0.]), 0.0)
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate ``L = Σ |x|`` over the last axis.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            ``Σ |x|``.
        """
        x = _arr(x)
        xp = _backend.namespace(x)
        return xp.sum(xp.abs(x), axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        """Compute the activation ``g = sign(x)``, with ``sign(0) = 0``.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (..., D)
            ``sign(x)``: −1, 0 or +1.
        """
        x = _arr(x)
        return _backend.namespace(x).sign(x)

    def legendre(self, x: np.ndarray) -> np.ndarray:
        """Compute the Legendre term ``x·sign(x) − |x|``, exactly zero.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            Zeros, in ``x``'s library and device and a float dtype (at least float32).
        """
        return _zeros(_arr(x))


@dataclass(frozen=True)
class Tanh(Lagrangian):
    r"""The Lagrangian :math:`L = \sum \log\cosh(a x) / a` of graded neurons :math:`\tanh(a x)`.

    The graded neurons of Hopfield (1984), with the gain a. L is computed as
    ``|y| + log1p(exp(−2|y|)) − log 2`` with ``y = a x``, so it never overflows for large ``|x|``.
    Its Hessian ``a sech²(a x)`` is positive; the Legendre term is the default ``Σ x·g − L``.

    Parameters
    ----------
    gain : float, default 1.0
        The slope a of the activation at 0, > 0.

    Raises
    ------
    ValueError
        When ``gain`` is not finite and > 0.
    TypeError
        When ``gain`` is not a real number.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.lagrangians import Tanh
    >>> L = Tanh(gain=2.0)
    >>> np.round(L.activation(np.array([0.0, 10.0])), 6)
    array([0., 1.])
    """

    gain: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "gain", v.positive("gain", self.gain))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate ``L = Σ log cosh(gain·x) / gain`` over the last axis, without overflow.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            ``Σ log cosh(gain·x) / gain``.
        """
        # log cosh(y) = |y| + log1p(exp(-2|y|)) - log 2: no overflow for large |y|.
        x = _arr(x)
        xp = _backend.namespace(x)
        y = xp.abs(self.gain * x)
        return xp.sum(y + xp.log1p(xp.exp(-2.0 * y)) - np.log(2.0), axis=-1) / self.gain

    def activation(self, x: np.ndarray) -> np.ndarray:
        """Compute the activation ``g = tanh(gain·x)``.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (..., D)
            ``tanh(gain·x)``, in (−1, 1).
        """
        x = _arr(x)
        return _backend.namespace(x).tanh(self.gain * x)


@dataclass(frozen=True)
class LogSumExp(Lagrangian):
    r"""The log-sum-exp Lagrangian :math:`L = \beta^{-1} \log \sum e^{\beta x}`: a softmax layer.

    The memory layer of modern Hopfield memories and attention (model B of Krotov & Hopfield
    2020). Computed with a max shift, so it never overflows. The Legendre term is
    ``β⁻¹ Σ p log p`` with ``p = softmax(β x)``, minus the entropy over β.

    Parameters
    ----------
    beta : float, default 1.0
        The inverse temperature β, > 0.

    Raises
    ------
    ValueError
        When ``beta`` is not finite and > 0.
    TypeError
        When ``beta`` is not a real number.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.lagrangians import LogSumExp
    >>> L = LogSumExp(beta=1.0)
    >>> x = np.array([1000.0, 1000.0])
    >>> round(float(L(x)), 6), L.activation(x)
    (1000.693147, array([0.5, 0.5]))
    """

    beta: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "beta", v.positive("beta", self.beta))

    def _logp(self, x: np.ndarray) -> np.ndarray:
        z = self.beta * _arr(x)
        return z - logsumexp(z, axis=-1, keepdims=True)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate ``L = β⁻¹ log Σ exp(β x)`` over the last axis, without overflow.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            ``β⁻¹ log Σ exp(β x)``.
        """
        return logsumexp(self.beta * _arr(x), axis=-1) / self.beta

    def activation(self, x: np.ndarray) -> np.ndarray:
        """Compute the activation ``g = softmax(β x)`` over the last axis.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (..., D)
            ``softmax(β x)``: nonnegative, summing to 1 over the last axis.
        """
        logp = self._logp(x)
        return _backend.namespace(logp).exp(logp)

    def legendre(self, x: np.ndarray) -> np.ndarray:
        """Compute the Legendre term ``β⁻¹ Σ p log p`` with ``p = softmax(β x)``.

        It is minus the entropy of p over β, formed from log-probabilities (no overflow).

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            ``β⁻¹ Σ p log p``, at most 0.
        """
        logp = self._logp(x)
        xp = _backend.namespace(logp)
        return xp.sum(xp.exp(logp) * logp, axis=-1) / self.beta


@dataclass(frozen=True)
class Interaction(Lagrangian):
    r"""The Lagrangian :math:`L = \sum F(x)` of an interaction function F: activation :math:`F'(x)`.

    With the feature layer :class:`~hopfield.lagrangians.Absolute` and tau_h = 0 this makes
    the dense associative memory of energy :math:`-\sum_\mu F(\xi^\mu \cdot \sigma)`
    (Krotov & Hopfield 2016; model A of Krotov & Hopfield 2021,
    :meth:`hopfield.HiddenNeuronNetwork.model_a`). Its Hessian is
    :math:`\operatorname{diag} F''(x)`, PSD iff F is convex.

    On NumPy F is called as it is (float64 out). On tensors the interaction functions of
    :mod:`hopfield.functions` are evaluated with tensor operations in ``x``'s dtype and
    device; any other F must return a tensor for a tensor.

    Parameters
    ----------
    F : Interaction
        An object with ``F(x)`` and ``F.derivative(x)``, both elementwise (it follows
        :class:`hopfield.functions.Interaction`), e.g. one of :mod:`hopfield.functions` (only
        those can be saved). F must be convex for the energy of a network using this layer to
        fall.

    Raises
    ------
    TypeError
        When ``F`` is not callable or has no callable ``derivative``.

    Examples
    --------
    >>> import numpy as np
    >>> import hopfield as hf
    >>> from hopfield.lagrangians import Interaction
    >>> L = Interaction(hf.RectifiedPolynomial(3))
    >>> x = np.array([2.0, -1.0])
    >>> float(L(x)), L.activation(x), float(L.legendre(x))
    (8.0, array([12.,  0.]), 16.0)
    """

    F: Any

    def __post_init__(self) -> None:
        if isinstance(self.F, type):
            raise TypeError(
                f"F: expected an interaction function, got the class {self.F.__name__}; "
                f"call it: F={self.F.__name__}(...)"
            )
        if not callable(self.F) or not callable(getattr(self.F, "derivative", None)):
            raise TypeError(
                "F: expected an interaction function with F(x) and F.derivative(x), "
                f"got {type(self.F).__name__}"
            )

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate ``L = Σ F(x)`` over the last axis.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            ``Σ F(x)``.

        Raises
        ------
        TypeError
            When ``x`` is a tensor and a user's F returns something else.
        """
        x = _arr(x)
        return _backend.namespace(x).sum(_apply(self.F, x, derivative=False), axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        """Compute the activation ``g = F′(x)``, elementwise.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (..., D)
            ``F.derivative(x)``.

        Raises
        ------
        TypeError
            When ``x`` is a tensor and a user's F returns something else.
        """
        return _apply(self.F, _arr(x), derivative=True)


@dataclass(frozen=True)
class Spherical(Lagrangian):
    r"""The Lagrangian :math:`L = \lVert x \rVert`: divisive normalisation.

    Its activation is :math:`x / \lVert x \rVert` (0 at x = 0), the feature layer of the
    spherical memory (model C of Krotov & Hopfield 2021,
    :meth:`hopfield.HiddenNeuronNetwork.model_c`). The Legendre term ``x·x/‖x‖ − ‖x‖`` is
    exactly zero. Because the activation ignores the scale of x, so does any energy whose only
    use of this layer is its activation.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.lagrangians import Spherical
    >>> L = Spherical()
    >>> x = np.array([3.0, 4.0])
    >>> float(L(x)), L.activation(x), float(L.legendre(x))
    (5.0, array([0.6, 0.8]), 0.0)
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate ``L = ‖x‖`` over the last axis.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            The Euclidean norms ``‖x‖``.
        """
        x = _arr(x)
        return _backend.namespace(x).linalg.vector_norm(x, axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        """Compute the activation ``g = x / ‖x‖``, 0 where ``x = 0``.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (..., D)
            The unit vectors ``x / ‖x‖`` (float; zeros where the norm is 0).
        """
        x = _arr(x)
        xp = _backend.namespace(x)
        if not _backend.is_tensor(x):
            x = x.astype(np.result_type(x, 1.0), copy=False)
        norm = xp.linalg.vector_norm(x, axis=-1, keepdims=True)
        safe = xp.where(norm > 0, norm, xp.ones_like(norm))
        return xp.where(norm > 0, x / safe, xp.zeros_like(x))

    def legendre(self, x: np.ndarray) -> np.ndarray:
        """Compute the Legendre term ``x·x/‖x‖ − ‖x‖``, exactly zero.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (..., D)
            The layer's inputs.

        Returns
        -------
        ndarray or torch.Tensor of shape (...)
            Zeros, in ``x``'s library and device and a float dtype (at least float32).
        """
        return _zeros(_arr(x))


def _zeros(x):
    """Return zeros of ``x``'s shape less its last axis, in its library, device and float dtype."""
    xp = _backend.namespace(x)
    return xp.zeros(x.shape[:-1], dtype=_float(x), device=_backend.device(x))


def _apply(F, x, *, derivative: bool):
    """Evaluate ``F(x)`` or ``F′(x)`` in ``x``'s library.

    NumPy: F as it is (float64 out). Tensors: the interaction functions of
    :mod:`hopfield.functions` are evaluated here with tensor operations, in ``x``'s dtype and
    device (their own methods are NumPy code); any other F must return a tensor for a tensor.
    """
    fn = F.derivative if derivative else F
    if not _backend.is_tensor(x):
        return np.asarray(fn(x))
    xp = _backend.namespace(x)
    if isinstance(F, functions.Polynomial):
        return F.n * x ** (F.n - 1) if derivative else x**F.n
    if isinstance(F, functions.RectifiedPolynomial):
        pos = xp.clip(x, min=0.0)
        if not derivative:
            return pos**F.n
        return xp.where(x > 0, F.n * pos ** (F.n - 1), xp.zeros_like(x))
    if isinstance(F, functions.Exponential):
        e = xp.exp(F.beta * x)
        return F.beta * e if derivative else e
    out = fn(x)
    if not _backend.is_tensor(out):
        raise TypeError(
            f"F: {F!r} returned {type(out).__name__} for a torch tensor; an interaction "
            "function used on tensors must compute on tensors"
        )
    return out


LAGRANGIANS: dict[str, type[Lagrangian]] = {
    cls.__name__: cls for cls in (Quadratic, Absolute, Tanh, LogSumExp, Interaction, Spherical)
}


def check(name: str, value: object) -> Lagrangian:
    """Return ``value`` if it is a Lagrangian, else raise a TypeError naming ``name``.

    The models call it on the Lagrangians they are given; any subclass of
    :class:`~hopfield.lagrangians.Lagrangian` passes, a user's included.

    Parameters
    ----------
    name : str
        The argument's name, for the error message (e.g. ``"feature"``).
    value : object
        The object to check.

    Returns
    -------
    Lagrangian
        ``value`` itself.

    Raises
    ------
    TypeError
        When ``value`` is not a :class:`~hopfield.lagrangians.Lagrangian`; the message lists
        this module's classes.

    Examples
    --------
    >>> from hopfield.lagrangians import Tanh, check
    >>> check("feature", Tanh())
    Tanh(gain=1.0)
    >>> check("feature", "tanh")
    Traceback (most recent call last):
    ...
    TypeError: feature: expected a Lagrangian from hopfield.lagrangians (Quadratic, ...), got str
    """
    if not isinstance(value, Lagrangian):
        raise TypeError(
            f"{name}: expected a Lagrangian from hopfield.lagrangians ({', '.join(LAGRANGIANS)}), "
            f"got {type(value).__name__}"
        )
    return value


def _to_spec(lagrangian: Lagrangian) -> dict:
    """Describe ``lagrangian`` for JSON: class name and parameters (F described the same way)."""
    name = type(lagrangian).__name__
    if LAGRANGIANS.get(name) is not type(lagrangian):
        raise TypeError(f"model: a custom Lagrangian {lagrangian!r} cannot be saved")
    if isinstance(lagrangian, Interaction):
        f = lagrangian.F
        if functions.INTERACTIONS.get(type(f).__name__) is not type(f):
            raise TypeError(
                f"model: only interaction functions from hopfield.functions can be saved, got {f!r}"
            )
        return {"name": name, "F": {"name": type(f).__name__, "params": dataclasses.asdict(f)}}
    return {"name": name, "params": dataclasses.asdict(lagrangian)}


def _from_spec(spec: dict, source: str) -> Lagrangian:
    """Rebuild a Lagrangian written by ``_to_spec``; a ValueError names ``source``."""
    try:
        name = spec["name"]
        cls = LAGRANGIANS.get(name)
        if cls is None:
            raise ValueError(
                f"path: {source} holds an unknown Lagrangian {name!r}; known: {list(LAGRANGIANS)}"
            )
        if cls is Interaction:
            f_cls = functions.INTERACTIONS.get(spec["F"]["name"])
            if f_cls is None:
                raise ValueError(
                    f"path: {source} holds an unknown interaction function {spec['F']['name']!r}"
                )
            return Interaction(f_cls(**spec["F"]["params"]))
        return cls(**spec["params"])
    except (KeyError, TypeError) as err:
        raise ValueError(f"path: {source} has a damaged Lagrangian record ({err})") from None

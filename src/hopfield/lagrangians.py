"""Lagrangians: a layer of neurons is a scalar function L(x); its activation is ∂L/∂x.

Following Krotov & Hopfield (2020) and HAMUX, a layer is defined by its Lagrangian rather than
by its activation function. The activation is the gradient ``g = ∂L/∂x`` and the layer's own
contribution to an energy is the Legendre transform ``x·g − L`` (written :meth:`legendre`).
Every Lagrangian maps ``x`` of shape (..., D) to a value of shape (...); the activation keeps
the shape (..., D).

Every method runs in its argument's library (:mod:`hopfield._backend`): NumPy arrays, or
PyTorch tensors on any device, kept in their dtype and differentiable.

A network built from these layers has an energy that never rises along its dynamics when every
Lagrangian has a positive semi-definite Hessian ``∂²L/∂x∂x`` (Krotov & Hopfield 2020, eq. 4):

====================  =====================  ============  =================================
Lagrangian            L(x)                   activation    Hessian
====================  =====================  ============  =================================
:class:`Quadratic`    ½ Σ x²                 x             identity: PSD
:class:`Absolute`     Σ |x|                  sign(x)       0 off 0, a positive delta at 0:
                                                           PSD as a measure (E falls in jumps)
:class:`Tanh`         Σ log cosh(a x) / a    tanh(a x)     a sech²(a x): PSD
:class:`LogSumExp`    β⁻¹ log Σ exp(β x)     softmax(β x)  β (diag p − p pᵀ): PSD
:class:`Interaction`  Σ F(x)                 F′(x)         diag F″(x): PSD iff F is convex
                                                           (rectified polynomials, exp,
                                                           even xⁿ; not x³ for x < 0)
:class:`Spherical`    ‖x‖                    x / ‖x‖       (1 − x̂x̂ᵀ) / ‖x‖: PSD
====================  =====================  ============  =================================

References:
    D. Krotov and J. J. Hopfield, "Large associative memory problem in neurobiology and machine
    learning", ICLR 2021 (arXiv:2008.06996, 2020).
    B. Hoover et al., "HAMUX: a universal abstraction for hierarchical associative memory"
    (bhoov/hamux).
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
    """``x`` as an array of its own library: tensors as they are, anything else NumPy."""
    return x if _backend.is_tensor(x) else np.asarray(x)


def _float(x):
    """The floating dtype a Lagrangian's value takes for ``x`` (at least float32)."""
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
    """A layer's Lagrangian. Subclasses define ``__call__`` and ``activation``.

    ``legendre`` defaults to ``Σ x·g − L``; subclasses override it where a closed form is
    exact or better conditioned.
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def activation(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def legendre(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        xp = _backend.namespace(x)
        return xp.sum(x * self.activation(x), axis=-1) - self(x)


@dataclass(frozen=True)
class Quadratic(Lagrangian):
    """``L = ½ Σ x²``: linear (identity) neurons.

    Examples:
        >>> import numpy as np
        >>> L = Quadratic()
        >>> x = np.array([1.0, -2.0])
        >>> float(L(x)), L.activation(x), float(L.legendre(x))
        (2.5, array([ 1., -2.]), 2.5)
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        return 0.5 * _backend.namespace(x).sum(x * x, axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        return x.clone() if _backend.is_tensor(x) else np.array(x, copy=True)

    def legendre(self, x: np.ndarray) -> np.ndarray:
        return self(x)


@dataclass(frozen=True)
class Absolute(Lagrangian):
    """``L = Σ |x|``: binary (sign) neurons, the dense associative memory's ±1 units.

    ``sign(0) = 0``, a subgradient. The Legendre term ``x·sign(x) − |x|`` is exactly zero.

    Examples:
        >>> import numpy as np
        >>> L = Absolute()
        >>> x = np.array([0.5, -2.0, 0.0])
        >>> float(L(x)), L.activation(x), float(L.legendre(x))
        (2.5, array([ 1., -1.,  0.]), 0.0)
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        xp = _backend.namespace(x)
        return xp.sum(xp.abs(x), axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        return _backend.namespace(x).sign(x)

    def legendre(self, x: np.ndarray) -> np.ndarray:
        return _zeros(_arr(x))


@dataclass(frozen=True)
class Tanh(Lagrangian):
    """``L = Σ log cosh(gain·x) / gain``: graded neurons ``tanh(gain·x)`` (Hopfield 1984).

    Args:
        gain: slope of the activation at 0, > 0.

    Examples:
        >>> import numpy as np
        >>> L = Tanh(gain=2.0)
        >>> np.round(L.activation(np.array([0.0, 10.0])), 6)
        array([0., 1.])
    """

    gain: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "gain", v.positive("gain", self.gain))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        # log cosh(y) = |y| + log1p(exp(-2|y|)) - log 2: no overflow for large |y|.
        x = _arr(x)
        xp = _backend.namespace(x)
        y = xp.abs(self.gain * x)
        return xp.sum(y + xp.log1p(xp.exp(-2.0 * y)) - np.log(2.0), axis=-1) / self.gain

    def activation(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        return _backend.namespace(x).tanh(self.gain * x)


@dataclass(frozen=True)
class LogSumExp(Lagrangian):
    """``L = β⁻¹ log Σ exp(β x)``: a softmax layer (modern Hopfield memories, attention).

    Computed with a max shift, so it never overflows. The Legendre term is ``β⁻¹ Σ p log p``
    with ``p = softmax(β x)``, minus the entropy over β.

    Args:
        beta: inverse temperature, > 0.

    Examples:
        >>> import numpy as np
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
        return logsumexp(self.beta * _arr(x), axis=-1) / self.beta

    def activation(self, x: np.ndarray) -> np.ndarray:
        logp = self._logp(x)
        return _backend.namespace(logp).exp(logp)

    def legendre(self, x: np.ndarray) -> np.ndarray:
        logp = self._logp(x)
        xp = _backend.namespace(logp)
        return xp.sum(xp.exp(logp) * logp, axis=-1) / self.beta


@dataclass(frozen=True)
class Interaction(Lagrangian):
    """``L = Σ F(x)`` for an interaction function F: neurons with activation ``F′(x)``.

    With the feature layer :class:`Absolute` and tau_h = 0 this makes the dense associative
    memory of energy ``−Σ_μ F(ξ^μ·σ)`` (Krotov & Hopfield 2016).

    Args:
        F: an object with ``F(x)`` and ``F.derivative(x)``, both elementwise, e.g. one of
            :mod:`hopfield.functions` (only those can be saved). F must be convex for the
            energy of a network using this layer to fall.

    Examples:
        >>> import numpy as np
        >>> from hopfield.functions import RectifiedPolynomial
        >>> L = Interaction(RectifiedPolynomial(3))
        >>> x = np.array([2.0, -1.0])
        >>> float(L(x)), L.activation(x), float(L.legendre(x))
        (8.0, array([12.,  0.]), 16.0)
    """

    F: Any

    def __post_init__(self) -> None:
        if not callable(self.F) or not callable(getattr(self.F, "derivative", None)):
            raise TypeError(
                "F: expected an interaction function with F(x) and F.derivative(x), "
                f"got {type(self.F).__name__}"
            )

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        return _backend.namespace(x).sum(_apply(self.F, x, derivative=False), axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        return _apply(self.F, _arr(x), derivative=True)


@dataclass(frozen=True)
class Spherical(Lagrangian):
    """``L = ‖x‖``: divisive normalisation, activation ``x / ‖x‖`` (0 at x = 0).

    The Legendre term ``x·x/‖x‖ − ‖x‖`` is exactly zero. Because the activation ignores the
    scale of x, so does any energy whose only use of this layer is its activation.

    Examples:
        >>> import numpy as np
        >>> L = Spherical()
        >>> x = np.array([3.0, 4.0])
        >>> float(L(x)), L.activation(x), float(L.legendre(x))
        (5.0, array([0.6, 0.8]), 0.0)
    """

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        return _backend.namespace(x).linalg.vector_norm(x, axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        x = _arr(x)
        xp = _backend.namespace(x)
        if not _backend.is_tensor(x):
            x = x.astype(np.result_type(x, 1.0), copy=False)
        norm = xp.linalg.vector_norm(x, axis=-1, keepdims=True)
        safe = xp.where(norm > 0, norm, xp.ones_like(norm))
        return xp.where(norm > 0, x / safe, xp.zeros_like(x))

    def legendre(self, x: np.ndarray) -> np.ndarray:
        return _zeros(_arr(x))


def _zeros(x):
    """Zeros of ``x``'s shape less its last axis, in its library, device and float dtype."""
    xp = _backend.namespace(x)
    return xp.zeros(x.shape[:-1], dtype=_float(x), device=_backend.device(x))


def _apply(F, x, *, derivative: bool):
    """``F(x)`` or ``F′(x)`` in ``x``'s library.

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
    """``value`` if it is a :class:`Lagrangian`, else a TypeError naming ``name``."""
    if not isinstance(value, Lagrangian):
        raise TypeError(
            f"{name}: expected a Lagrangian from hopfield.lagrangians ({', '.join(LAGRANGIANS)}), "
            f"got {type(value).__name__}"
        )
    return value


def _to_spec(lagrangian: Lagrangian) -> dict:
    """A JSON-ready description: class name and parameters (F described the same way)."""
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
    """Rebuild a Lagrangian written by :func:`_to_spec`; a ValueError names ``source``."""
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

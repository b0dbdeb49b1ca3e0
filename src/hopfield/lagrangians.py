"""Lagrangians: a layer of neurons is a scalar function L(x); its activation is ∂L/∂x.

Following Krotov & Hopfield (2020) and HAMUX, a layer is defined by its Lagrangian rather than
by its activation function. The activation is the gradient ``g = ∂L/∂x`` and the layer's own
contribution to an energy is the Legendre transform ``x·g − L`` (written :meth:`legendre`).
Every Lagrangian maps ``x`` of shape (..., D) to a value of shape (...); the activation keeps
the shape (..., D).

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

from . import _validation as v
from . import functions

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
        x = np.asarray(x)
        return np.einsum("...i,...i->...", x, self.activation(x)) - self(x)


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
        x = np.asarray(x)
        return 0.5 * np.einsum("...i,...i->...", x, x)

    def activation(self, x: np.ndarray) -> np.ndarray:
        return np.array(x, copy=True)

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
        return np.abs(x).sum(axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        return np.sign(x)

    def legendre(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return np.zeros(x.shape[:-1], dtype=np.result_type(x, np.float32))


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
        y = np.abs(self.gain * np.asarray(x))
        return (y + np.log1p(np.exp(-2.0 * y)) - np.log(2.0)).sum(axis=-1) / self.gain

    def activation(self, x: np.ndarray) -> np.ndarray:
        return np.tanh(self.gain * np.asarray(x))


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

    def _shifted(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        z = self.beta * np.asarray(x)
        m = z.max(axis=-1, keepdims=True)
        e = np.exp(z - m)
        s = e.sum(axis=-1, keepdims=True)
        return z - m, m, s

    def __call__(self, x: np.ndarray) -> np.ndarray:
        _, m, s = self._shifted(x)
        return (m + np.log(s))[..., 0] / self.beta

    def activation(self, x: np.ndarray) -> np.ndarray:
        zs, _, s = self._shifted(x)
        return np.exp(zs) / s

    def legendre(self, x: np.ndarray) -> np.ndarray:
        zs, _, s = self._shifted(x)
        logp = zs - np.log(s)
        return np.einsum("...i,...i->...", np.exp(logp), logp) / self.beta


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
        return np.asarray(self.F(np.asarray(x))).sum(axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.F.derivative(np.asarray(x)))


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
        return np.linalg.norm(x, axis=-1)

    def activation(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        norm = np.linalg.norm(x, axis=-1, keepdims=True)
        return np.divide(
            x, norm, out=np.zeros_like(x, dtype=np.result_type(x, 1.0)), where=norm > 0
        )

    def legendre(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return np.zeros(x.shape[:-1], dtype=np.result_type(x, np.float32))


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

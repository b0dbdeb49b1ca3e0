"""Learning rules that write the weights of a classical network.

Each rule is a small object with one method, ``update(weights, new, stored)``: given the current
weights (zeros for an empty network), the patterns being added now and every pattern stored so
far (the new ones included), it returns the new weights. Rules that are incremental by nature
(Hebb, Storkey) read only ``new``; global ones (pseudo-inverse, perceptron) read ``stored``.
Every rule returns a zero diagonal.

=================  ==============================================  =====================
rule               weights                                         capacity (random ±1)
=================  ==============================================  =====================
``hebbian``        W = (η/N) Σ ξ ξᵀ                                 ≈ 0.138 N (with errors)
``storkey``        w_ij += (ξ_iξ_j − ξ_i h_ji − h_ij ξ_j)/N          N/√(2 ln N) exact
``pseudoinverse``  W = X⁺ X, the projection on the patterns' span   N (exact fixed points)
``perceptron``     per-neuron perceptron with margin κ               up to 2 N
=================  ==============================================  =====================
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from . import _backend
from . import _validation as v

__all__ = [
    "ConvergenceWarning",
    "Hebbian",
    "Storkey",
    "PseudoInverse",
    "Perceptron",
    "RULES",
    "get",
]




def _zero_diagonal(w) -> None:
    if _backend.is_tensor(w):
        w.fill_diagonal_(0.0)
    else:
        np.fill_diagonal(w, 0.0)


def _linalg(a):
    if _backend.is_tensor(a):
        import torch

        return torch.linalg
    return np.linalg


class ConvergenceWarning(UserWarning):
    """A learning rule stopped before every pattern met its condition."""


@dataclass(frozen=True)
class Hebbian:
    """Hebb's rule, ``W += (η/N) Σ_μ ξ^μ ξ^μᵀ`` with the diagonal zeroed (Hopfield 1982).

    Incremental: storing more patterns adds their outer products to the weights. Runs on
    NumPy arrays or torch tensors (the weights then stay on the tensors' device).

    Memory: the N × N float64 weights (8 N² bytes), written in place on the first store;
    adding patterns to a network that has some holds a second N × N array during the update.

    Args:
        learning_rate: η > 0. It scales the weights, which does not change the dynamics of a
            network without bias, but sets the scale of the field against a bias.

    Examples:
        >>> import numpy as np, hopfield as hf
        >>> W = hf.rules.Hebbian().update(np.zeros((3, 3)), np.array([[1, -1, 1]]), None)
        >>> W * 3
        array([[ 0., -1.,  1.],
               [-1.,  0., -1.],
               [ 1., -1.,  0.]])
    """

    learning_rate: float = 1.0
    symmetric: ClassVar[bool] = True

    def __post_init__(self):
        v.positive("learning_rate", self.learning_rate)

    def update(self, weights, new, stored):
        n = weights.shape[0]
        x = _backend.float64(new)
        if not _backend.is_tensor(x) and _fresh(weights):
            # The first store writes the product into the new network's zeros: one N×N array.
            w = np.matmul(x.T, x, out=weights)
            w *= self.learning_rate / n
        else:
            w = x.T @ x
            w *= self.learning_rate / n
            w += weights
        _zero_diagonal(w)
        return w


#: Rows per block when a rule updates N × N weights in place.
_ROWS = 512


def _fresh(weights: np.ndarray) -> bool:
    """Whether ``weights`` are a new network's zeros, which a rule may overwrite in place."""
    return weights.dtype == np.float64 and weights.flags.c_contiguous and not weights.any()


@dataclass(frozen=True)
class Storkey:
    """Storkey's local, incremental rule (Storkey 1997), with the diagonal kept at zero.

    ``w_ij += (1/N)(ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j)`` with ``h_ij = Σ_{k≠i,j} w_ik ξ_k``, one
    pattern at a time. Its absolute capacity is N/√(2 ln N) (about 33 at N = 100, against
    about 11 for Hebb). The rule accumulates a diagonal; kept, it would make almost any state
    look stable, so it is zeroed after every pattern. Runs on NumPy arrays or torch tensors.

    Memory: the N × N float64 weights (8 N² bytes, updated in place on the first store, a
    second copy when adding to stored patterns) plus temporaries of 512 × N per block.
    Time: O(N²) per pattern.
    """

    symmetric: ClassVar[bool] = True

    def update(self, weights, new, stored):
        n = weights.shape[0]
        if _backend.is_tensor(weights) or _backend.is_tensor(new):
            w = 1.0 * weights  # a copy, on the weights' device
            for xi in _backend.float64(new):
                h = w @ xi  # with w_ii = 0, h_ij = h_i - w_ij ξ_j
                # The closed form below; t + tᵀ is symmetric to the last bit.
                t = xi[:, None] * h[None, :]
                w += (xi[:, None] * xi[None, :] - (t + t.T) + 2.0 * w) / n
                _zero_diagonal(w)
            return w
        w = weights if _fresh(weights) else weights.copy()
        for xi in np.asarray(new, dtype=np.float64):
            h = w @ xi  # with w_ii = 0, h_ij = h_i - w_ij ξ_j
            # Expanding both h terms with ξ_j² = 1 and a symmetric w gives this closed form,
            # w += (ξξᵀ − (t + tᵀ) + 2w)/N with t = ξhᵀ, applied a block of rows at a time so
            # that the temporaries are _ROWS × N, not N × N. Each entry is computed from the
            # same two products in either order, so w stays exactly symmetric.
            for r in range(0, n, _ROWS):
                rows = slice(r, r + _ROWS)
                t = np.multiply.outer(xi[rows], h)
                t += np.multiply.outer(h[rows], xi)
                block = w[rows]
                block += (np.multiply.outer(xi[rows], xi) - t + 2.0 * block) / n
            np.fill_diagonal(w, 0.0)
        return w


@dataclass(frozen=True)
class PseudoInverse:
    """The projection (pseudo-inverse) rule, ``W = X⁺X`` (Personnaz et al. 1985).

    Every linearly independent set of up to N patterns becomes a set of exact fixed points.
    The diagonal is zeroed by default (Kanter & Sompolinsky 1987): patterns stay fixed points
    and the basins of attraction grow a great deal. Not incremental: the projection is
    recomputed from every stored pattern. Runs on NumPy arrays or torch tensors
    (``torch.linalg.pinv`` on the tensors' device).

    Memory: about three N × N float64 arrays at the peak (the projection, its symmetrised
    copy and the mask of rounding-sized entries) plus the K × N pseudo-inverse.

    Args:
        zero_diagonal: zero the self-couplings (recommended).
    """

    zero_diagonal: bool = True
    symmetric: ClassVar[bool] = True

    def __post_init__(self):
        v.flag("zero_diagonal", self.zero_diagonal)

    def update(self, weights, new, stored):
        x = _backend.float64(stored)
        linalg = _linalg(x)
        if int(linalg.matrix_rank(x)) == x.shape[1]:
            warnings.warn(
                f"pseudoinverse rule: the {len(x)} patterns span all {x.shape[1]} dimensions, "
                "so the projection is the identity and every state is a fixed point "
                "(no couplings are left once the diagonal is zeroed); store fewer than N patterns",
                stacklevel=3,
            )
        w = linalg.pinv(x) @ x
        w = 0.5 * (w + w.T)  # exact in theory; this removes rounding asymmetry
        # Entries of a projection are at most 1: anything below 1e-12 is rounding, not coupling.
        w[abs(w) < 1e-12] = 0.0
        if self.zero_diagonal:
            _zero_diagonal(w)
        return w


@dataclass(frozen=True)
class Perceptron:
    """Per-neuron perceptron learning with a stability margin (Gardner 1988).

    Each neuron i learns its incoming weights so that every stored pattern satisfies
    ``ξ_i h_i ≥ κ ‖w_i‖``, presenting the patterns in order for at most ``max_epochs`` epochs
    and starting from the current weights. Up to α = K/N = 2 is possible at κ = 0; near that
    limit convergence slows sharply. A :class:`ConvergenceWarning` says when an epoch limit
    was reached with patterns still unstable.

    The weights are **not symmetric**: each neuron learns alone. Asynchronous dynamics then
    need not lower the energy (which is computed from the symmetric part of W), although the
    stored patterns are fixed points.

    Memory: two N × N float64 arrays (the weights being trained and those they start from)
    plus an N × N boolean mask. Time: O(N²) per pattern presented.

    Args:
        margin: κ ≥ 0, the required stability relative to the norm of each weight row.
        max_epochs: epoch limit (≥ 1).
        learning_rate: step size η > 0 (scales the weights; with κ = 0 it changes nothing).
    """

    margin: float = 0.0
    max_epochs: int = 500
    learning_rate: float = 1.0
    symmetric: ClassVar[bool] = False

    def __post_init__(self):
        v.positive("margin", self.margin, allow_zero=True)
        v.integer("max_epochs", self.max_epochs, minimum=1)
        v.positive("learning_rate", self.learning_rate)

    def update(self, weights, new, stored):
        w, _, _ = self.train(weights, stored)
        return w

    def train(self, weights, stored, bias=None):
        """Return (weights, converged, epochs); a fixed ``bias`` enters every field."""
        _backend.refuse_tensors(
            "patterns",
            stored,
            "the perceptron rule (a loop over patterns and neurons)",
            "store patterns.cpu().numpy(), or use the hebbian, storkey or pseudoinverse rule",
        )
        x = np.asarray(stored, dtype=np.float64)
        n = x.shape[1]
        w = weights.copy()
        b = np.zeros(n) if bias is None else np.asarray(bias, dtype=np.float64)
        step = self.learning_rate / n
        off = ~np.eye(n, dtype=bool)
        for epoch in range(1, self.max_epochs + 1):
            updates = 0
            for xi in x:
                norms = np.sqrt(np.einsum("ij,ij->i", w, w))
                wrong = xi * (w @ xi + b) <= self.margin * norms
                if wrong.any():
                    # Each unstable neuron moves its weight row towards ξ_i ξ (Hebb on error).
                    w[wrong] += step * (xi[wrong, None] * xi[None, :]) * off[wrong]
                    updates += int(wrong.sum())
            if updates == 0:
                return w, True, epoch
        warnings.warn(
            f"perceptron rule did not converge in max_epochs={self.max_epochs} epochs: "
            f"some patterns are not stable with margin {self.margin}; raise max_epochs, "
            "lower the margin or store fewer patterns",
            ConvergenceWarning,
            stacklevel=3,
        )
        return w, False, self.max_epochs


RULES = {
    "hebbian": Hebbian,
    "storkey": Storkey,
    "pseudoinverse": PseudoInverse,
    "perceptron": Perceptron,
}


def get(rule) -> Hebbian | Storkey | PseudoInverse | Perceptron:
    """A rule object from a name or an object with an ``update`` method."""
    if isinstance(rule, str):
        return RULES[v.choose("rule", rule, RULES)]()
    if isinstance(rule, type):
        raise TypeError(
            f"rule: expected a rule name or a rule object, got the class {rule.__name__}; "
            f"call it: rule={rule.__name__}()"
        )
    if not callable(getattr(rule, "update", None)):
        raise TypeError(
            f"rule: expected one of {list(RULES)} or a rule object with an update method, "
            f"got {type(rule).__name__}"
        )
    return rule

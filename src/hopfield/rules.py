r"""Learning rules: the objects that write the weights of a classical network.

A rule is passed to :class:`hopfield.Hopfield` by name (``rule="storkey"``) or as an object
(``rule=hf.rules.Storkey()``). Each rule is a small object with one method,
``update(weights, new, stored)``: given the current weights (zeros for an empty network), the
patterns being added now and every pattern stored so far (the new ones included), it returns the
new weights. Rules that are incremental by nature (Hebb, Storkey) read only ``new``; global ones
(pseudo-inverse, perceptron) read ``stored``. Every rule returns a zero diagonal. Any object
with such an ``update`` method can be given as a rule (:func:`hopfield.rules.get`).

=================  ==============================================  =====================
rule               weights                                         capacity (random ±1)
=================  ==============================================  =====================
``hebbian``        W = (η/N) Σ ξ ξᵀ                                 ≈ 0.138 N (with errors)
``storkey``        w_ij += (ξ_iξ_j − ξ_i h_ji − h_ij ξ_j)/N          N/√(2 ln N) exact
``pseudoinverse``  W = X⁺ X, the projection on the patterns' span   N (exact fixed points)
``perceptron``     per-neuron perceptron with margin κ               up to 2 N
=================  ==============================================  =====================

Notation: N neurons, K patterns :math:`\xi^\mu \in \{-1, +1\}^N`, the rows of X (K, N).

**Hebb** (:class:`hopfield.rules.Hebbian`; Hopfield 1982 [1]_), incremental, with learning
rate η:

.. math::

    W \mathrel{+}= \frac{\eta}{N} \sum_\mu \xi^\mu {\xi^\mu}^\top, \qquad w_{ii} = 0 .

Random patterns are recalled with a few per cent of wrong bits up to K ≈ 0.138 N (Amit,
Gutfreund & Sompolinsky [2]_); correlated patterns interfere well below that.

**Storkey** (:class:`hopfield.rules.Storkey`; Storkey 1997 [3]_), local and incremental, one
pattern ξ at a time:

.. math::

    w_{ij} \mathrel{+}= \frac{1}{N}\big(\xi_i \xi_j - \xi_i h_{ji} - h_{ij} \xi_j\big),
    \qquad h_{ij} = \sum_{k \ne i, j} w_{ik} \xi_k .

Its absolute capacity (every pattern a fixed point) is N/√(2 ln N), about 33 at N = 100 against
about 11 for Hebb. The rule accumulates a diagonal, which is zeroed: kept, it would make almost
any state look stable.

**Pseudo-inverse** (projection) (:class:`hopfield.rules.PseudoInverse`; Personnaz et al. 1985
[4]_; Kanter & Sompolinsky 1987 [5]_):

.. math::

    W = X^{+} X = X^\top (X X^\top)^{-1} X \quad \text{(linearly independent patterns)},

the projection on the span of the patterns. Every linearly independent set of K < N patterns
is a set of exact fixed points, so the capacity is α = K/N = 1; the basins of attraction
shrink to nothing as α → 1. Zeroing the diagonal (the default) keeps the patterns fixed and
enlarges the basins a great deal [5]_.

**Perceptron** (:class:`hopfield.rules.Perceptron`; Gardner 1988 [6]_; Diederich & Opper 1987
[7]_): each neuron i learns its own incoming weights :math:`w_i` until every stored pattern is
stable with margin κ,

.. math::

    \xi_i^\mu h_i^\mu > \kappa \lVert w_i \rVert \quad \text{for every } \mu, \qquad
    h_i^\mu = \sum_j w_{ij} \xi_j^\mu ,

by adding :math:`(\eta/N)\, \xi_i^\mu \xi^\mu` (off the diagonal) to :math:`w_i` whenever
pattern μ is not yet stable at neuron i. Such weights exist up to α = 2 at κ = 0, Gardner's
bound; near it convergence slows sharply, and a :class:`hopfield.ConvergenceWarning` says when
the epoch limit was reached. The weights are not symmetric.

References
----------
.. [1] J. J. Hopfield, "Neural networks and physical systems with emergent collective
   computational abilities", PNAS 79, 2554-2558 (1982).
.. [2] D. J. Amit, H. Gutfreund and H. Sompolinsky, "Storing infinite numbers of patterns in a
   spin-glass model of neural networks", Physical Review Letters 55, 1530 (1985).
.. [3] A. Storkey, "Increasing the capacity of a Hopfield network without sacrificing
   functionality", Artificial Neural Networks, ICANN'97, Lecture Notes in Computer Science
   1327, 451-456 (1997).
.. [4] L. Personnaz, I. Guyon and G. Dreyfus, "Information storage and retrieval in spin-glass
   like neural networks", Journal de Physique Lettres 46, L359-L365 (1985).
.. [5] I. Kanter and H. Sompolinsky, "Associative recall of memory without errors", Physical
   Review A 35, 380 (1987).
.. [6] E. Gardner, "The space of interactions in neural network models", Journal of Physics A
   21, 257 (1988).
.. [7] S. Diederich and M. Opper, "Learning of correlated patterns in spin-glass networks by
   local learning rules", Physical Review Letters 58, 949 (1987).

Examples
--------
30 random patterns in 100 neurons (α = 0.3): how many each rule makes fixed points.

>>> import hopfield as hf
>>> X = hf.patterns.random(30, 100, rng=0)
>>> for rule in ["hebbian", "storkey", "pseudoinverse", "perceptron"]:
...     net = hf.Hopfield(rule=rule).store(X)
...     print(rule, int(hf.is_fixed_point(net, X).sum()))
hebbian 1
storkey 30
pseudoinverse 30
perceptron 30
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
    """A learning rule stopped before every pattern met its condition.

    :class:`hopfield.rules.Perceptron` issues it when its epoch limit is reached with patterns
    still unstable; filter it with the ``warnings`` module like any ``UserWarning``.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> import hopfield as hf
    >>> X = hf.patterns.random(60, 40, rng=0)              # α = 1.5, two epochs only
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _, converged, epochs = hf.rules.Perceptron(max_epochs=2).train(np.zeros((40, 40)), X)
    >>> converged, epochs, caught[0].category is hf.ConvergenceWarning
    (False, 2, True)
    """


@dataclass(frozen=True)
class Hebbian:
    """Hebb's rule, ``W += (η/N) Σ_μ ξ^μ ξ^μᵀ`` with the diagonal zeroed (Hopfield 1982).

    Incremental: storing more patterns adds their outer products to the weights. Runs on
    NumPy arrays or torch tensors (the weights then stay on the tensors' device).

    Memory: the N × N float64 weights (8 N² bytes), written in place on the first store;
    adding patterns to a network that has some holds a second N × N array during the update.

    Parameters
    ----------
    learning_rate : float, default 1.0
        The learning rate η > 0. It scales the weights, which does not change the dynamics of
        a network without bias, but sets the scale of the field against a bias.

    Attributes
    ----------
    symmetric : bool
        True: the weights are symmetric (a class attribute every rule sets).

    Raises
    ------
    ValueError
        When ``learning_rate`` is not a finite number > 0.

    Examples
    --------
    >>> import numpy as np
    >>> import hopfield as hf
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
        """Return the weights after storing ``new``.

        Adds the outer products of ``new`` to ``weights``; ``stored`` is not read (it may be
        None). On a new network's NumPy zeros the product is written in place.

        Parameters
        ----------
        weights : ndarray or torch.Tensor of shape (N, N)
            The current float64 weights (zeros for an empty network).
        new : array_like or torch.Tensor of shape (K_new, N)
            The ±1 patterns being added now.
        stored : array_like or torch.Tensor of shape (K, N)
            Every pattern stored so far, the new ones included.

        Returns
        -------
        ndarray or torch.Tensor of shape (N, N)
            The new float64 weights, with a zero diagonal.
        """
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
    """Return whether ``weights`` are a new network's zeros, which a rule may overwrite in place."""
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

    Attributes
    ----------
    symmetric : bool
        True: the weights are symmetric.

    References
    ----------
    .. [1] A. Storkey, "Increasing the capacity of a Hopfield network without sacrificing
       functionality", ICANN'97, Lecture Notes in Computer Science 1327, 451-456 (1997).

    Examples
    --------
    30 random patterns in 100 neurons, beyond Hebb's capacity but within Storkey's [1]_:

    >>> import hopfield as hf
    >>> X = hf.patterns.random(30, 100, rng=0)
    >>> net = hf.Hopfield(rule=hf.rules.Storkey()).store(X)
    >>> bool(hf.is_fixed_point(net, X).all())
    True
    """

    symmetric: ClassVar[bool] = True

    def update(self, weights, new, stored):
        """Return the weights after storing ``new``.

        Applies the rule once per row of ``new``, in order; ``stored`` is not read. On a new
        network's NumPy zeros the weights are updated in place.

        Parameters
        ----------
        weights : ndarray or torch.Tensor of shape (N, N)
            The current float64 weights (zeros for an empty network).
        new : array_like or torch.Tensor of shape (K_new, N)
            The ±1 patterns being added now.
        stored : array_like or torch.Tensor of shape (K, N)
            Every pattern stored so far, the new ones included.

        Returns
        -------
        ndarray or torch.Tensor of shape (N, N)
            The new float64 weights, with a zero diagonal.
        """
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

    Every linearly independent set of fewer than N patterns becomes a set of exact fixed points.
    The diagonal is zeroed by default (Kanter & Sompolinsky 1987): patterns stay fixed points
    and the basins of attraction grow a great deal. Not incremental: the projection is
    recomputed from every stored pattern. Runs on NumPy arrays or torch tensors
    (``torch.linalg.pinv`` on the tensors' device).

    Memory: about three N × N float64 arrays at the peak (the projection, its symmetrised
    copy and the mask of rounding-sized entries) plus the K × N pseudo-inverse.

    Parameters
    ----------
    zero_diagonal : bool, default True
        Whether to zero the self-couplings (recommended).

    Attributes
    ----------
    symmetric : bool
        True: the weights are symmetric.

    Raises
    ------
    TypeError
        When ``zero_diagonal`` is not a bool.

    References
    ----------
    .. [1] L. Personnaz, I. Guyon and G. Dreyfus, "Information storage and retrieval in
       spin-glass like neural networks", Journal de Physique Lettres 46, L359-L365 (1985).
    .. [2] I. Kanter and H. Sompolinsky, "Associative recall of memory without errors",
       Physical Review A 35, 380 (1987).

    Examples
    --------
    60 random patterns in 100 neurons, far beyond Hebb's 0.138 N, are all fixed points [1]_:

    >>> import hopfield as hf
    >>> X = hf.patterns.random(60, 100, rng=0)
    >>> net = hf.Hopfield(rule=hf.rules.PseudoInverse()).store(X)
    >>> bool(hf.is_fixed_point(net, X).all())
    True
    """

    zero_diagonal: bool = True
    symmetric: ClassVar[bool] = True

    def __post_init__(self):
        v.flag("zero_diagonal", self.zero_diagonal)

    def update(self, weights, new, stored):
        """Return the weights after storing ``new``.

        Recomputes the projection from ``stored``; ``weights`` and ``new`` are not read.
        Entries below 1e-12 in magnitude (rounding, not coupling) are set to 0.

        Parameters
        ----------
        weights : ndarray or torch.Tensor of shape (N, N)
            The current float64 weights (zeros for an empty network).
        new : array_like or torch.Tensor of shape (K_new, N)
            The ±1 patterns being added now.
        stored : array_like or torch.Tensor of shape (K, N)
            Every pattern stored so far, the new ones included.

        Returns
        -------
        ndarray or torch.Tensor of shape (N, N)
            The new float64 weights, with a zero diagonal if ``zero_diagonal``.

        Warns
        -----
        UserWarning
            When the patterns span all N dimensions: the projection is then the identity and
            every state is a fixed point.
        """
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
    ``ξ_i h_i > κ ‖w_i‖``, presenting the patterns in order for at most ``max_epochs`` epochs
    and starting from the current weights; a neuron where a pattern falls short adds
    ``(η/N) ξ_i ξ`` (off the diagonal) to its weight row. Up to α = K/N = 2 is possible at
    κ = 0; near that limit convergence slows sharply. A :class:`hopfield.ConvergenceWarning`
    says when an epoch limit was reached with patterns still unstable.

    The weights are **not symmetric**: each neuron learns alone. Asynchronous dynamics then
    need not lower the energy (which is computed from the symmetric part of W), although the
    stored patterns are fixed points. NumPy arrays only (a loop over patterns and neurons).

    Memory: two N × N float64 arrays (the weights being trained and those they start from)
    plus an N × N boolean mask. Time: O(N²) per pattern presented.

    Parameters
    ----------
    margin : float, default 0.0
        The margin κ ≥ 0, the required stability relative to the norm of each weight row.
    max_epochs : int, default 500
        The epoch limit (≥ 1).
    learning_rate : float, default 1.0
        The step size η > 0 (it scales the weights; with κ = 0 it changes nothing).

    Attributes
    ----------
    symmetric : bool
        False: each neuron learns its own row.

    Raises
    ------
    ValueError
        When ``margin`` is negative, ``max_epochs`` below 1 or ``learning_rate`` not > 0.
    TypeError
        When a parameter is not a number (``max_epochs`` not an int).

    References
    ----------
    .. [1] E. Gardner, "The space of interactions in neural network models", Journal of
       Physics A 21, 257 (1988).
    .. [2] S. Diederich and M. Opper, "Learning of correlated patterns in spin-glass networks
       by local learning rules", Physical Review Letters 58, 949 (1987).

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(30, 100, rng=0)
    >>> net = hf.Hopfield(rule=hf.rules.Perceptron(margin=0.5)).store(X)
    >>> bool(hf.is_fixed_point(net, X).all())
    True
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
        """Return the weights after storing ``new``.

        Trains from ``weights`` on every pattern of ``stored`` (see :meth:`train`); ``new``
        is not read.

        Parameters
        ----------
        weights : ndarray or torch.Tensor of shape (N, N)
            The current float64 weights (zeros for an empty network).
        new : array_like or torch.Tensor of shape (K_new, N)
            The ±1 patterns being added now.
        stored : array_like or torch.Tensor of shape (K, N)
            Every pattern stored so far, the new ones included.

        Returns
        -------
        ndarray or torch.Tensor of shape (N, N)
            The new float64 weights, with a zero diagonal (not symmetric).

        Warns
        -----
        ConvergenceWarning
            When ``max_epochs`` is reached with patterns still unstable.
        """
        w, _, _ = self.train(weights, stored)
        return w

    def train(self, weights, stored, bias=None):
        """Train every neuron's weights on ``stored``, starting from ``weights``.

        Parameters
        ----------
        weights : ndarray of shape (N, N)
            The float64 weights to start from; not modified.
        stored : array_like of shape (K, N)
            The ±1 patterns to make stable.
        bias : array_like of shape (N,), optional
            A fixed bias that enters every field; None for none.

        Returns
        -------
        weights : ndarray of shape (N, N)
            The trained weights.
        converged : bool
            Whether every pattern met the margin at every neuron.
        epochs : int
            The epochs run.

        Raises
        ------
        TypeError
            When ``stored`` is a torch tensor.

        Warns
        -----
        ConvergenceWarning
            When ``max_epochs`` is reached with patterns still unstable.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> X = hf.patterns.random(3, 8, rng=0)
        >>> W, converged, epochs = hf.rules.Perceptron().train(np.zeros((8, 8)), X)
        >>> converged, epochs, bool((np.sign(X @ W.T) == X).all())
        (True, 2, True)
        """
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
    """Return a rule object from a rule name or a rule object.

    Parameters
    ----------
    rule : {"hebbian", "storkey", "pseudoinverse", "perceptron"} or rule object
        A name (the rule with its default parameters), or any object with an ``update``
        method, returned as it is.

    Returns
    -------
    Hebbian, Storkey, PseudoInverse, Perceptron or rule object
        The rule.

    Raises
    ------
    ValueError
        When the name is unknown (the message suggests the closest one).
    TypeError
        When ``rule`` is a class rather than an instance, or has no ``update`` method.

    Examples
    --------
    >>> import hopfield as hf
    >>> hf.rules.get("storkey")
    Storkey()
    >>> hf.rules.get(hf.rules.Perceptron(margin=0.5))
    Perceptron(margin=0.5, max_epochs=500, learning_rate=1.0)
    """
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

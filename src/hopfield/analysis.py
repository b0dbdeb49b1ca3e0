r"""Read states: overlaps, distances, fixed points, what a recall ended in, capacity formulas.

These functions take ±1 states and patterns as rows (a batch (B, N) or one (N,)) and read
them without running any dynamics: the overlap :math:`m = \sigma \cdot \xi / N` of each state
with each pattern (:func:`hopfield.overlap`), the number of differing bits
(:func:`hopfield.hamming`), whether a state is a fixed point of a model
(:func:`hopfield.is_fixed_point`), and what a state is relative to the stored patterns: a
pattern, its reversal, a mixture or a spurious state (:func:`hopfield.classify`). The
capacity formulas of the classical network are here too: McEliece et al.'s exact-recall
capacity (:func:`~hopfield.analysis.mceliece_capacity`), Storkey's
(:func:`~hopfield.analysis.storkey_capacity`) and the Amit–Gutfreund–Sompolinsky critical
load ``AGS_ALPHA_C`` = 0.137906 (replica symmetric).

Examples
--------
>>> import hopfield as hf
>>> X = hf.patterns.random(3, 100, rng=0)
>>> cues = hf.patterns.flip(X, 0.1, rng=1)             # 10 bits of 100 flipped
>>> hf.hamming(cues, X).diagonal().tolist(), hf.overlap(cues, X).diagonal().tolist()
([10, 10, 10], [0.8, 0.8, 0.8])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _validation as v

__all__ = [
    "overlap",
    "hamming",
    "is_fixed_point",
    "classify",
    "Classification",
    "AGS_ALPHA_C",
    "mceliece_capacity",
    "storkey_capacity",
]

#: Amit–Gutfreund–Sompolinsky critical load of the Hebbian network (replica symmetric).
AGS_ALPHA_C = 0.137906


def _pair(a, b, name_a: str, name_b: str):
    x = np.atleast_2d(v.bipolar(name_a, a, allow_zero=True)).astype(np.float64)
    y = np.atleast_2d(v.bipolar(name_b, b, allow_zero=True)).astype(np.float64)
    v.width(name_a, x, y.shape[1])
    return x, y


def overlap(states, patterns) -> np.ndarray:
    """Compute the overlaps ``m = σ·ξ / N`` of each state with each pattern.

    An overlap is 1 for the pattern itself, −1 for its reversal and about 0 for an unrelated
    random pattern; an unknown bit (0) adds nothing.

    Parameters
    ----------
    states : array_like of shape (B, N) or (N,)
        States σ, ±1 (0 for an unknown bit).
    patterns : array_like of shape (K, N) or (N,)
        Patterns ξ, ±1 (0 for an unknown bit).

    Returns
    -------
    ndarray of shape (B, K)
        The float64 overlaps, dropping the axes that were 1-D in the input: (K,) for one
        state, (B,) for one pattern, a NumPy float64 scalar for one of each.

    Raises
    ------
    ValueError
        When an entry is not ±1 or 0, or ``states`` and ``patterns`` differ in N.

    Examples
    --------
    >>> import hopfield as hf
    >>> hf.overlap([1, 1, -1, -1], [[1, 1, 1, 1], [1, 1, -1, -1]])
    array([0., 1.])
    """
    s, x = _pair(states, patterns, "states", "patterns")
    m = s @ x.T / s.shape[1]
    if np.ndim(patterns) == 1:
        m = m[:, 0]
    return m[0] if np.ndim(states) == 1 else m


def hamming(a, b) -> np.ndarray:
    """Count the differing bits between each row of ``a`` and each row of ``b``.

    An unknown bit (0, as :func:`hopfield.patterns.mask` leaves it) in either row counts as a
    mismatch: the distance is the number of positions that are not known to agree, so a cue
    with 30 masked bits is 30 bits from its pattern. For ±1 rows it is ``(N − a·b) / 2``.

    Parameters
    ----------
    a : array_like of shape (B, N) or (N,)
        Rows of ±1 (0 for an unknown bit).
    b : array_like of shape (K, N) or (N,)
        Rows of ±1 (0 for an unknown bit).

    Returns
    -------
    ndarray of shape (B, K)
        The int64 distances, dropping the axes that were 1-D in the input, as
        :func:`hopfield.overlap` does.

    Raises
    ------
    ValueError
        When an entry is not ±1 or 0, or ``a`` and ``b`` differ in N.

    Examples
    --------
    >>> import hopfield as hf
    >>> int(hf.hamming([1, 1, -1], [1, -1, 1]))
    2
    >>> int(hf.hamming([1, 0, 0, -1], [1, 1, -1, -1]))
    2
    """
    s, x = _pair(a, b, "a", "b")
    # Agreements are (σ_i ξ_i + |σ_i| |ξ_i|) / 2: 1 where both are known and equal, else 0;
    # for ±1 rows d = (N − σ·ξ) / 2. Integers below 2^53: exact in float64.
    known = np.abs(s) @ np.abs(x).T if not (s.all() and x.all()) else s.shape[1]
    d = (s.shape[1] - (s @ x.T + known) / 2).astype(np.int64)
    if np.ndim(b) == 1:
        d = d[:, 0]
    return d[0] if np.ndim(a) == 1 else d


def is_fixed_point(model, states) -> np.ndarray | bool:
    """Tell whether each state is left unchanged by a deterministic update of every neuron.

    A state is fixed when no neuron's deterministic update would change it (ties keep the
    state): no flip lowers the energy, or, for a classical network with a kept diagonal, no
    field (self-coupling included) disagrees with its neuron. The answer is the same for every
    deterministic update rule (asynchronous, synchronous or descent).

    Parameters
    ----------
    model : hopfield.dynamics.BinaryModel
        A binary model of ±1 neurons that has stored patterns, e.g. :class:`hopfield.Hopfield`
        or :class:`hopfield.DenseAssociativeMemory`.
    states : array_like of shape (B, N) or (N,)
        The ±1 states to test.

    Returns
    -------
    ndarray of shape (B,) or bool
        True where the state is a fixed point; a bool for one (N,) state.

    Raises
    ------
    ValueError
        When an entry of ``states`` is not ±1, or its width is not the model's N.

    See Also
    --------
    hopfield.landscape.fixed_points : Every fixed point of a small network.

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(3, 64, rng=0)
    >>> hf.is_fixed_point(hf.Hopfield().store(X), X)
    array([ True,  True,  True])
    """
    from .dynamics import stored_binary_model

    stored_binary_model(model)
    s = v.bipolar("states", states)
    v.width("states", s, model._n())
    gap, _ = model._gap_and_energy(np.atleast_2d(s).astype(np.float64))
    tol = model._tie_tol()
    fixed = ~((gap * np.atleast_2d(s)) < -tol).any(axis=1)
    return bool(fixed[0]) if s.ndim == 1 else fixed


@dataclass(frozen=True)
class Classification:
    """What each state is, relative to the stored patterns.

    Made by :func:`hopfield.classify`; each parameter is kept, read-only, as the attribute of
    the same name.

    Parameters
    ----------
    kind : ndarray of shape (B,)
        Per state, ``"pattern"`` (equals ξ^μ), ``"reversal"`` (equals −ξ^μ), ``"mixture"``
        (equals sign(±ξ^a ± ξ^b ± ξ^c ...) for an odd number of patterns) or ``"spurious"``
        (anything else).
    index : ndarray of shape (B,)
        The pattern index for pattern/reversal, −1 otherwise (int64).
    components : tuple of tuple of int
        Per state: for a mixture, the indices of the patterns mixed (empty otherwise).
    overlaps : ndarray of shape (B, K)
        Overlaps with every pattern.

    Examples
    --------
    >>> import numpy as np, hopfield as hf
    >>> X = hf.patterns.random(3, 101, rng=0)
    >>> hf.classify(np.stack([X[1], -X[2], np.sign(X.sum(axis=0))]), X)
    Classification(states=3, patterns=3, mixture=1, pattern=1, reversal=1)
    """

    kind: np.ndarray
    index: np.ndarray
    components: tuple
    overlaps: np.ndarray

    def __repr__(self) -> str:
        kinds, counts = np.unique(self.kind, return_counts=True)
        tally = ", ".join(f"{k}={int(c)}" for k, c in zip(kinds, counts, strict=True))
        k = self.overlaps.shape[1]
        return f"Classification(states={len(self.kind)}, patterns={k}, {tally})"


def classify(states, patterns, *, max_mixture: int = 7) -> Classification:
    """Name what each state is: a stored pattern, its reversal, a mixture, or spurious.

    Mixtures are tested for 3, 5, ... ``max_mixture`` components, taken as the patterns
    with the largest ``|overlap|`` and the signs of those overlaps (the symmetric mixture states
    of Amit, Gutfreund & Sompolinsky 1985 [1]_).

    Parameters
    ----------
    states : array_like of shape (B, N) or (N,)
        The states to name, ±1 (0 for an unknown bit, which matches no pattern).
    patterns : array_like of shape (K, N) or (N,)
        The stored patterns, ±1.
    max_mixture : int, default 7
        The most components of a mixture tested, >= 1 (an odd count of at least 3 is
        needed for any mixture to be found).

    Returns
    -------
    Classification
        The kind, pattern index, mixture components and overlaps of each state (one row for
        an (N,) state).

    Raises
    ------
    ValueError
        When an entry is not ±1 or 0, ``states`` and ``patterns`` differ in N, or
        ``max_mixture`` is below 1.

    References
    ----------
    .. [1] D. J. Amit, H. Gutfreund and H. Sompolinsky, "Spin-glass models of neural
       networks", Phys. Rev. A 32, 1007 (1985).

    Examples
    --------
    >>> import numpy as np, hopfield as hf
    >>> X = hf.patterns.random(3, 101, rng=0)
    >>> mix = np.sign(X.sum(axis=0))
    >>> c = hf.classify(np.stack([X[1], -X[2], mix]), X)
    >>> c.kind.tolist(), c.index.tolist(), c.components[2]
    (['pattern', 'reversal', 'mixture'], [1, 2, -1], (0, 1, 2))
    """
    s, x = _pair(states, patterns, "states", "patterns")
    max_mixture = v.integer("max_mixture", max_mixture, minimum=1)
    dots = s @ x.T  # integers, exact in float64
    m = dots / s.shape[1]
    kind = np.full(len(s), "spurious", dtype=object)
    index = np.full(len(s), -1, dtype=np.int64)
    components: list[tuple] = [()] * len(s)
    for b in range(len(s)):
        best = int(np.argmax(np.abs(m[b])))
        if abs(dots[b, best]) == s.shape[1]:
            kind[b] = "pattern" if m[b, best] > 0 else "reversal"
            index[b] = best
            continue
        order = np.argsort(-np.abs(m[b]), kind="stable")
        for size in range(3, min(max_mixture, len(x)) + 1, 2):
            top = order[:size]
            mix = np.sign(np.sign(m[b, top]) @ x[top])
            if np.array_equal(mix, s[b]):
                kind[b] = "mixture"
                components[b] = tuple(sorted(int(i) for i in top))
                break
    return Classification(kind.astype(str), index, tuple(components), m)


def mceliece_capacity(n: int, *, all_patterns: bool = False) -> float:
    r"""Compute the exact-recall capacity of the Hebbian network (McEliece et al. 1987).

    :math:`N / (2 \ln N)` patterns are mostly recalled without error; :math:`N / (4 \ln N)`
    if every pattern must be (``all_patterns=True``) [1]_.

    Parameters
    ----------
    n : int
        The number of neurons N, >= 2.
    all_patterns : bool, default False
        Whether every pattern must be recalled exactly, rather than most of them.

    Returns
    -------
    float
        The number of patterns, ``N / (2 ln N)`` or ``N / (4 ln N)``.

    Raises
    ------
    ValueError
        When ``n`` is below 2.
    TypeError
        When ``n`` is not an int or ``all_patterns`` not a bool.

    References
    ----------
    .. [1] R. J. McEliece, E. C. Posner, E. R. Rodemich and S. S. Venkatesh, "The capacity of
       the Hopfield associative memory", IEEE Trans. Inf. Theory 33, 461 (1987).

    Examples
    --------
    >>> import hopfield as hf
    >>> round(hf.analysis.mceliece_capacity(100), 1)
    10.9
    >>> round(hf.analysis.mceliece_capacity(100, all_patterns=True), 1)
    5.4
    """
    n = v.integer("n", n, minimum=2)
    return n / ((4 if v.flag("all_patterns", all_patterns) else 2) * math.log(n))


def storkey_capacity(n: int) -> float:
    r"""Compute the absolute capacity of Storkey's rule, :math:`N / \sqrt{2 \ln N}` (Storkey 1997).

    Storkey's rule (:class:`hopfield.rules.Storkey`) stores about 33 patterns at N = 100,
    against about 11 for the Hebbian rule (:func:`~hopfield.analysis.mceliece_capacity`) [1]_.

    Parameters
    ----------
    n : int
        The number of neurons N, >= 2.

    Returns
    -------
    float
        The number of patterns, ``N / sqrt(2 ln N)``.

    Raises
    ------
    ValueError
        When ``n`` is below 2.
    TypeError
        When ``n`` is not an int.

    References
    ----------
    .. [1] A. Storkey, "Increasing the capacity of a Hopfield network without sacrificing
       functionality", ICANN 1997, Lecture Notes in Computer Science 1327, 451 (1997).

    Examples
    --------
    >>> import hopfield as hf
    >>> round(hf.analysis.storkey_capacity(100), 1)
    33.0
    """
    n = v.integer("n", n, minimum=2)
    return n / math.sqrt(2 * math.log(n))

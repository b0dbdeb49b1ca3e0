"""Read states: overlaps, distances, fixed points, what a recall ended in, capacity formulas."""

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
    """Overlaps ``m = σ·ξ / N`` of each state with each pattern.

    Shapes:
        states (B, N) or (N,); patterns (K, N) or (N,); returns (B, K), dropping the axes
        that were 1-D in the input.

    Examples:
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
    """Number of differing bits between each row of ``a`` and each row of ``b``.

    An unknown bit (0, as :func:`hopfield.patterns.mask` leaves it) in either row counts as a
    mismatch: the distance is the number of positions that are not known to agree, so a cue
    with 30 masked bits is 30 bits from its pattern.

    Shapes:
        like :func:`overlap`: (B, N) and (K, N) give (B, K).

    Examples:
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
    """Whether each state is left unchanged by a deterministic update of every neuron.

    A state is fixed when no neuron's deterministic update would change it (ties keep the
    state): no flip lowers the energy, or, for a classical network with a kept diagonal, no
    field (self-coupling included) disagrees with its neuron.

    Examples:
        >>> import hopfield as hf
        >>> X = hf.patterns.random(3, 64, rng=0)
        >>> hf.is_fixed_point(hf.Hopfield().store(X), X)
        array([ True,  True,  True])
    """
    s = v.bipolar("states", states)
    v.width("states", s, model._n())
    gap, _ = model._gap_and_energy(np.atleast_2d(s).astype(np.float64))
    tol = model._tie_tol()
    fixed = ~((gap * np.atleast_2d(s)) < -tol).any(axis=1)
    return bool(fixed[0]) if s.ndim == 1 else fixed


@dataclass(frozen=True)
class Classification:
    """What each state is, relative to the stored patterns.

    Attributes:
        kind: per state, ``"pattern"`` (equals ξ^μ), ``"reversal"`` (equals −ξ^μ),
            ``"mixture"`` (equals sign(±ξ^a ± ξ^b ± ξ^c ...) for an odd number of patterns) or
            ``"spurious"`` (anything else).
        index: the pattern index for pattern/reversal, −1 otherwise.
        components: for a mixture, the indices of the patterns mixed (empty otherwise).
        overlaps: (B, K) overlaps with every pattern.
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
    with the largest |overlap| and the signs of those overlaps (the symmetric mixture states
    of Amit, Gutfreund & Sompolinsky 1985).

    Examples:
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
    """Exact-recall capacity of the Hebbian network (McEliece et al. 1987).

    ``N / (2 ln N)`` patterns are mostly recalled without error; ``N / (4 ln N)`` if every
    pattern must be (``all_patterns=True``).

    Examples:
        >>> import hopfield as hf
        >>> round(hf.analysis.mceliece_capacity(100), 1)
        10.9
    """
    n = v.integer("n", n, minimum=2)
    return n / ((4 if v.flag("all_patterns", all_patterns) else 2) * math.log(n))


def storkey_capacity(n: int) -> float:
    """Absolute capacity of Storkey's rule, ``N / sqrt(2 ln N)`` (Storkey 1997).

    Examples:
        >>> import hopfield as hf
        >>> round(hf.analysis.storkey_capacity(100), 1)
        33.0
    """
    n = v.integer("n", n, minimum=2)
    return n / math.sqrt(2 * math.log(n))

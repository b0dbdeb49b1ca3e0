r"""Sequence memory: networks whose dynamics step through stored sequences of ±1 patterns.

A sequence :math:`\xi^1, \xi^2, \dots, \xi^L` (the rows of an (L, N) array) gives the
transitions :math:`\xi^\mu \to \xi^{\mu+1}`, plus :math:`\xi^L \to \xi^1` when it is cyclic;
several sequences can share one network. All updates are synchronous: every neuron at once from
the same state, one step per element. Three rules are offered.

**Linear (Hebbian) rule** (Amari 1972 [1]_; Sompolinsky & Kanter 1986 [2]_), the couplings and
update of :class:`hopfield.SequenceMemory` with ``interaction=None``:

.. math::

    J = \frac{1}{N} \sum_\mu \xi^{\mu+1} {\xi^\mu}^\top, \qquad
    \sigma \leftarrow \operatorname{sign}(J \sigma).

Random sequences are followed up to a load α = K/N ≈ 0.269 transitions per neuron (Düring,
Coolen & Sherrington 1998 [3]_).

**Dense rule** (Chaudhry et al. 2023 [4]_), :class:`hopfield.SequenceMemory` with an
interaction F from :mod:`hopfield.functions`:

.. math::

    \sigma \leftarrow \operatorname{sign}\Big(\sum_\mu \xi^{\mu+1}\,
    F\big(\xi^\mu \cdot \sigma / N\big)\Big).

F(x) = x is the linear rule; a steeper F (:class:`hopfield.Polynomial` of degree n,
:class:`hopfield.Exponential`) suppresses the crosstalk of the other transitions: F enters the
update itself, not as a difference of F as in the dense memory, so each of the K other
transitions adds a term :math:`F(m)` with :math:`m \sim N^{-1/2}`, of variance
:math:`(2n-1)!!/N^n`, and a polynomial of degree n stores of the order of :math:`N^n`
transitions (theory, a signal-to-noise estimate; at N = 300 and 100 transitions the linear rule
fails where n = 2 recalls all of them [4]_). The exponential is evaluated as
:math:`\exp(\beta (x - \max x))`: a positive factor per state, which changes no sign and never
overflows.

**Delayed rule** (Sompolinsky & Kanter 1986 [2]_), :class:`hopfield.DelayedSequenceMemory`:

.. math::

    \sigma(t+1) = \operatorname{sign}\big(J_s\, \sigma(t) + \lambda J\, \sigma(t - \tau)\big),
    \qquad J_s = \frac{1}{N} \sum_\mu \xi^\mu {\xi^\mu}^\top \ (\text{zero diagonal}),

with the Hebbian auto-associative :math:`J_s` over every stored element. The symmetric term
holds the current element; the asymmetric one, acting on the state τ steps ago, pushes to the
next once it has been held long enough. With λ > 1 and a silent network before the cue, each
element is held for exactly τ + 1 steps.

Energy: none. Asymmetric J has no Lyapunov function (the dynamics is meant to move), so these
models report no energy; :meth:`hopfield.SequenceMemory.recall` returns the trajectory, a
:class:`hopfield.SequenceRecall`, and, at each step, the stored element it is closest to.

Tie rule: a neuron whose field is zero (within 1e-9 of the largest field the state could
produce, so that rounding never decides) keeps its state; an unknown bit (0) of a cue with a
zero field becomes +1.

References
----------
.. [1] S. Amari, "Learning patterns and pattern sequences by self-organizing nets of threshold
   elements", IEEE Transactions on Computers C-21, 1197 (1972).
.. [2] H. Sompolinsky and I. Kanter, "Temporal association in asymmetric neural networks",
   Physical Review Letters 57, 2861 (1986).
.. [3] A. Düring, A. C. C. Coolen and D. Sherrington, "Phase diagram and storage capacity of
   sequence processing neural networks", Journal of Physics A 31, 8607 (1998).
.. [4] H. Chaudhry, J. Zavatone-Veth, D. Krotov and C. Pehlevan, "Long sequence Hopfield
   memory", NeurIPS 2023.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .. import _backend, dynamics
from .. import _validation as v
from ..contract import Memory
from ..functions import INTERACTIONS, Exponential, Interaction

__all__ = ["SequenceMemory", "DelayedSequenceMemory", "SequenceRecall"]

_TIE_RTOL = 1e-9


@dataclass(frozen=True)
class SequenceRecall:
    """The trajectory of a sequence recall and the stored element it matched at each step.

    :meth:`hopfield.SequenceMemory.recall` returns one; each parameter is kept as the
    attribute of the same name (the dataclass is frozen). Arrays are NumPy arrays, or tensors
    for a memory stored from tensors.

    Parameters
    ----------
    states : ndarray of shape (B, T + 1, N) or (T + 1, N)
        The visited int8 states, the second form for a single cue; index 0 is the cue.
    matches : ndarray of shape (B, T + 1) or (T + 1,)
        At each step, the index (into ``patterns``, the stored elements in storage order) of
        the element with the largest overlap, int64.
    overlaps : ndarray of shape (B, T + 1) or (T + 1,)
        That largest overlap ``ξ·σ / N``, float64.

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(3, 100, rng=0)
    >>> r = hf.SequenceMemory().store(X).recall(X[0], max_steps=2)
    >>> r.states.shape, r.matches.tolist(), r.overlaps.tolist()
    ((3, 100), [0, 1, 2], [1.0, 1.0, 1.0])
    """

    states: np.ndarray
    matches: np.ndarray
    overlaps: np.ndarray

    def __repr__(self) -> str:
        final = _backend.to_numpy(self.overlaps[..., -1])
        return (
            f"SequenceRecall(states={tuple(self.states.shape)}, "
            f"final overlap min={float(np.min(final)):.3f})"
        )




def _row_max(m):
    """Return the largest entry of each row of ``m``, kept as a column."""
    if _backend.is_tensor(m):
        return m.max(dim=1, keepdim=True).values
    return m.max(axis=1, keepdims=True)


def _sequences(sequence) -> list:
    """Return a list of (L, N) sequences from one (L, N) array, an (S, L, N) array or a list."""
    if isinstance(sequence, list | tuple) and sequence and np.ndim(sequence[0]) == 2:
        return list(sequence)
    if (isinstance(sequence, np.ndarray) or _backend.is_tensor(sequence)) and sequence.ndim == 3:
        return list(sequence)
    return [sequence]


class SequenceMemory(Memory):
    """A network of ±1 neurons that steps through stored sequences, linear or dense.

    The rules, the tie rule and the references are on the module page, "Sequence memory".
    A stored sequence has L >= 2 elements, (L, N); cues are (B, N) or (N,).

    PyTorch tensors: sequences stored from torch tensors stay on their device; :meth:`recall`
    then takes tensor cues there and returns a :class:`hopfield.SequenceRecall` of tensors
    (states int8, matches int64, overlaps float64), computed in float64 like NumPy's.

    Parameters
    ----------
    interaction : Polynomial, RectifiedPolynomial, Exponential or None, default None
        None for the linear (Hebbian) rule, or an interaction F from :mod:`hopfield.functions`
        for the dense rule of Chaudhry et al. (2023), e.g. ``Polynomial(2)``.
        ``Polynomial(1)`` recalls as the linear rule does, through the dense rule's path (so
        it has no ``weights``; ``None`` keeps the coupling matrix).

    Attributes
    ----------
    patterns : ndarray of shape (P, N)
        Every stored element, int8, sequence after sequence. Read-only; set by :meth:`store`.
    sequences : tuple of ndarray
        Each stored sequence, an (L_s, N) int8 array. Read-only; set by :meth:`store`.
    cyclic : tuple of bool
        Whether each sequence wraps around. Set by :meth:`store`.
    n_neurons : int
        The number N of neurons.
    n_transitions : int
        The number of stored transitions ξ^μ → ξ^{μ+1}.
    weights : ndarray of shape (N, N)
        The float64 couplings ``J = (1/N) Σ_μ ξ^{μ+1} ξ^μᵀ``; the linear rule only. Read-only.

    Raises
    ------
    TypeError
        When ``interaction`` is neither None nor an interaction of :mod:`hopfield.functions`.

    See Also
    --------
    hopfield.DelayedSequenceMemory : Holds each element for several steps.

    Examples
    --------
    A cyclic sequence of 30 patterns, cued with 20% of the first one's bits flipped:

    >>> import hopfield as hf
    >>> X = hf.patterns.random(30, 300, rng=0)
    >>> mem = hf.SequenceMemory(interaction=hf.Polynomial(2)).store(X, cyclic=True)
    >>> r = mem.recall(hf.patterns.flip(X[0], 0.2, rng=1), max_steps=40)
    >>> r.matches[:5].tolist(), r.matches[-1].item(), float(r.overlaps[1:].min())
    ([0, 1, 2, 3, 4], 10, 1.0)
    """

    def __init__(self, interaction: Interaction | None = None):
        self.interaction = interaction
        if interaction is not None and not isinstance(interaction, tuple(INTERACTIONS.values())):
            raise TypeError(
                f"interaction: expected None (the linear rule) or one of {list(INTERACTIONS)} "
                f"from hopfield.functions, got {type(interaction).__name__}"
            )

    # -- storing -------------------------------------------------------------------------
    def store(self, sequence, *, cyclic: bool = False) -> SequenceMemory:
        """Store one sequence or several; calling it again adds sequences.

        Parameters
        ----------
        sequence : array_like or torch.Tensor of shape (L, N) or (S, L, N), or list of arrays
            The sequence(s) of ±1 patterns, elements in order as rows, L >= 2: one (L, N)
            array, an (S, L, N) array, or a list of (L_s, N) arrays.
        cyclic : bool, default False
            Whether the last element leads back to the first (for every sequence given in
            this call).

        Returns
        -------
        SequenceMemory
            The memory itself (``self``), for chaining.

        Raises
        ------
        ValueError
            When a value is not ±1, a sequence has fewer than 2 elements, or its width differs
            from the stored one.
        TypeError
            When ``cyclic`` is not a bool, or the sequences are in another array library than
            those stored.
        """
        if not isinstance(cyclic, bool | np.bool_):
            raise TypeError(f"cyclic: expected a bool, got {type(cyclic).__name__}")
        items = _sequences(sequence)
        n = self._elements.shape[1] if hasattr(self, "_elements") else None
        new = []
        for i, item in enumerate(items):
            name = "sequence" if len(items) == 1 else f"sequence[{i}]"
            seq = v.bipolar(name, item, ndim=(2,))
            if hasattr(self, "_elements"):
                dynamics.check_home(name, seq, self._elements)
            elif new:
                dynamics.check_home(name, seq, new[0])
            if len(seq) < 2:
                raise ValueError(
                    f"{name}: expected at least 2 elements (rows), got shape {seq.shape}"
                )
            if n is None:
                n = seq.shape[1]
            v.width(name, seq, n)
            new.append(seq)
        old = list(self._seqs) if hasattr(self, "_seqs") else []
        flags = list(self._cyclic) if hasattr(self, "_cyclic") else []
        self._set(old + new, flags + [bool(cyclic)] * len(new))
        return self

    def _set(self, seqs: list, cyclic: list) -> None:
        # Copies: validation hands back the caller's own int8 arrays, which must not be kept.
        if _backend.is_tensor(seqs[0]):
            self._seqs = tuple(s.clone() for s in seqs)  # on the tensors' device
        else:
            self._seqs = tuple(np.array(s, dtype=np.int8, order="C") for s in seqs)
        self._cyclic = tuple(cyclic)
        self._elements = _backend.namespace(self._seqs[0]).concat(self._seqs)
        pre, post, start = [], [], 0
        for seq, wraps in zip(self._seqs, self._cyclic, strict=True):
            idx = np.arange(start, start + len(seq))
            nxt = np.roll(idx, -1) if wraps else idx[1:]
            pre.append(idx[: len(nxt)])
            post.append(nxt)
            start += len(seq)
        # Transitions are kept as indices into the elements: the overlaps with every element,
        # needed anyway to report matches, then give the transition overlaps for free.
        if _backend.is_tensor(self._elements):
            import torch

            self._pre = _backend.as_like(np.concatenate(pre), self._elements)
            post_idx = _backend.as_like(np.concatenate(post), self._elements)
            self._post = self._elements[post_idx].to(torch.float64)
            self._x = self._elements.to(torch.float64)
            self._xt = self._x.T.contiguous()
            return
        self._pre = np.concatenate(pre)
        self._post = self._elements[np.concatenate(post)].astype(np.float64)
        self._x = self._elements.astype(np.float64)
        self._xt = np.ascontiguousarray(self._x.T)

    def _fitted(self) -> None:
        if not hasattr(self, "_elements"):
            raise RuntimeError("this memory stores nothing yet: call store(sequence) first")

    @property
    def patterns(self) -> np.ndarray:
        """The (P, N) int8 stored elements, sequence after sequence, read-only."""
        self._fitted()
        return v.readonly(self._elements)

    @property
    def sequences(self) -> tuple:
        """Each stored sequence as a read-only (L_s, N) int8 array, in a tuple."""
        self._fitted()
        return tuple(v.readonly(s) for s in self._seqs)

    @property
    def cyclic(self) -> tuple:
        """Whether each stored sequence wraps around, a tuple of bools."""
        self._fitted()
        return self._cyclic

    @property
    def n_neurons(self) -> int:
        """The number N of neurons."""
        self._fitted()
        return self._elements.shape[1]

    @property
    def n_transitions(self) -> int:
        """The number of stored transitions ξ^μ → ξ^{μ+1}."""
        self._fitted()
        return len(self._pre)

    @property
    def weights(self) -> np.ndarray:
        """The (N, N) float64 couplings ``J = (1/N) Σ_μ ξ^{μ+1} ξ^μᵀ``, linear rule only."""
        self._fitted()
        if self.interaction is not None:
            raise AttributeError(
                "weights: a dense sequence memory has no weight matrix (its update is not "
                "linear in the state); only SequenceMemory(interaction=None) has one"
            )
        return v.readonly(self._post.T @ self._x[self._pre] / self._elements.shape[1])

    # -- recall --------------------------------------------------------------------------
    @v.keywords(steps="max_steps")
    def recall(self, cues, *, max_steps: int = 10) -> SequenceRecall:
        """Run ``max_steps`` synchronous updates from ``cues``.

        A sequence memory does not stop at a fixed point (it steps through its sequence), so
        every cue runs all ``max_steps`` updates.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            The cues, ±1 with 0 for unknown bits.
        max_steps : int, default 10
            The number of updates; the trajectory holds ``max_steps + 1`` states. The old
            name ``steps`` is deprecated.

        Returns
        -------
        SequenceRecall
            The visited states and, at each step, the stored element of largest overlap (an
            index into ``patterns``) and that overlap.

        Raises
        ------
        ValueError
            When a cue value is not ±1 or 0, or the width is not N.
        TypeError
            When the cues are in another array library than the stored sequences.
        RuntimeError
            When nothing is stored yet.

        Examples
        --------
        >>> import hopfield as hf
        >>> X = hf.patterns.random(4, 200, rng=0)
        >>> mem = hf.SequenceMemory().store(X, cyclic=True)
        >>> mem.recall(hf.patterns.flip(X[2], 0.1, rng=1), max_steps=5).matches.tolist()
        [2, 3, 0, 1, 2, 3]
        """
        self._fitted()
        steps = v.integer("max_steps", max_steps, minimum=1)
        s = v.bipolar("cues", cues, allow_zero=True)
        v.width("cues", s, self.n_neurons)
        dynamics.check_home("cues", s, self._elements)
        single = s.ndim == 1
        s = s.reshape(-1, s.shape[-1])
        b, n = s.shape
        # The caller's library and device; NumPy itself for NumPy (the same calls as ever).
        xp = _backend.namespace(s) if _backend.is_tensor(s) else np
        dev = _backend.device(s)
        traj = xp.empty((b, steps + 1, n), dtype=xp.int8, device=dev)
        traj[:, 0] = s
        matches = xp.empty((b, steps + 1), dtype=xp.int64, device=dev)
        overlaps = xp.empty((b, steps + 1), dtype=xp.float64, device=dev)
        rows = xp.arange(b, device=dev)
        for t in range(steps + 1):
            cur = traj[:, t]
            m = self._overlaps(cur)
            matches[:, t] = xp.argmax(m, axis=1)
            overlaps[:, t] = m[rows, matches[:, t]]
            if t == steps:
                break
            field, scale = self._field(m, traj, t)
            tol = _TIE_RTOL * scale[:, None]
            keep = xp.where(cur == 0, 1, cur)
            traj[:, t + 1] = xp.where(field > tol, 1, xp.where(field < -tol, -1, keep))
        if single:
            return SequenceRecall(traj[0], matches[0], overlaps[0])
        return SequenceRecall(traj, matches, overlaps)

    def _overlaps(self, s: np.ndarray) -> np.ndarray:
        """Return the overlaps ``ξ·σ / N`` of states ``s`` (B, N) with every stored element.

        The (B, P) float64 result is exact integers divided once.
        """
        return (_backend.float64(s) @ self._xt) / s.shape[1]

    def _transition_field(self, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the transition field ``Σ_μ ξ^{μ+1} F(ξ^μ·σ / N)`` and its scale.

        Parameters
        ----------
        m : ndarray of shape (B, P)
            The overlaps of the states with every stored element.

        Returns
        -------
        field : ndarray of shape (B, N)
            The field.
        scale : ndarray of shape (B,)
            The largest absolute field the state could produce, ``Σ_μ abs(F(ξ^μ·σ / N))``,
            which scales the tie tolerance.
        """
        m = m[:, self._pre]
        f = self.interaction
        if f is None:
            w = m
        elif isinstance(f, Exponential):
            w = f(m - _row_max(m))
        else:
            w = f(m)
        return w @ self._post, abs(w).sum(axis=1)

    def _field(self, m: np.ndarray, traj: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the field on state t and its scale (see ``_transition_field``).

        ``m`` holds the overlaps of state t, ``traj`` the trajectory so far.
        """
        return self._transition_field(m)

    # -- saving --------------------------------------------------------------------------
    def _params(self) -> dict:
        f = self.interaction
        if f is None:
            return {"interaction": None}
        return {"interaction": type(f).__name__, "options": dataclasses.asdict(f)}

    def _state(self):
        self._fitted()
        arrays = {
            "patterns": _backend.to_numpy(self._elements),
            "lengths": np.array([len(s) for s in self._seqs], dtype=np.int64),
            "cyclic": np.array(self._cyclic, dtype=np.bool_),
        }
        return self._params(), arrays

    @classmethod
    def _build(cls, params: dict):
        name = params["interaction"]
        return cls(None if name is None else INTERACTIONS[name](**params["options"]))

    @classmethod
    def _from_state(cls, params, arrays, source):
        try:
            model = cls._build(params)
            x, lengths, cyclic = arrays["patterns"], arrays["lengths"], arrays["cyclic"]
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(
                f"path: {source} has a damaged {cls.__name__} record ({err})"
            ) from None
        if (
            x.ndim != 2
            or lengths.ndim != 1
            or cyclic.shape != lengths.shape
            or lengths.size == 0
            or (lengths < 2).any()
            or lengths.sum() != len(x)
        ):
            raise ValueError(
                f"path: {source} has inconsistent shapes: patterns {x.shape}, "
                f"lengths {lengths.tolist()}, cyclic {cyclic.shape}"
            )
        seqs = np.split(v.bipolar("patterns", x), np.cumsum(lengths)[:-1])
        model._set(seqs, [bool(c) for c in cyclic])
        return model

    def _describe(self) -> str:
        return f"interaction={self.interaction!r}"

    def __repr__(self) -> str:
        state = ""
        if hasattr(self, "_elements"):
            state = (
                f", N={self._elements.shape[1]}, sequences={len(self._seqs)}, "
                f"transitions={len(self._pre)}"
            )
        return f"{type(self).__name__}({self._describe()}{state})"


class DelayedSequenceMemory(SequenceMemory):
    """A sequence memory that holds each element for ``delay + 1`` steps.

    The delayed rule of Sompolinsky & Kanter (1986),
    ``σ(t+1) = sign(J_s σ(t) + λ J σ(t − τ))``: the symmetric Hebbian term ``J_s`` (zero
    diagonal, every stored element) holds the current element, and the transition term
    ``J = (1/N) Σ_μ ξ^{μ+1} ξ^μᵀ``, fed the state ``τ = delay`` steps ago (zero before the
    cue), moves on once the element has been held for τ + 1 steps. It needs λ > 1 to move at
    all: with λ < 1 the symmetric term wins and the network stays at the cued element.
    ``weights`` is the transition matrix J; J_s is applied through the stored elements.
    Storing and recall are those of :class:`hopfield.SequenceMemory`.

    Parameters
    ----------
    strength : float, default 2.0
        The weight λ > 0 of the transition term.
    delay : int, default 3
        The delay τ >= 0, in steps; 0 moves one element per step, like
        :class:`hopfield.SequenceMemory`.

    Raises
    ------
    ValueError
        When ``strength`` is not a finite number > 0 or ``delay`` is negative.
    TypeError
        When ``strength`` is not a real number or ``delay`` not an int.

    See Also
    --------
    hopfield.SequenceMemory : One element per step, linear or dense.

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(4, 200, rng=0)
    >>> mem = hf.DelayedSequenceMemory(strength=2.0, delay=2).store(X, cyclic=True)
    >>> mem.recall(X[0], max_steps=13).matches.tolist()
    [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0, 0]
    """

    def __init__(self, strength: float = 2.0, *, delay: int = 3):
        super().__init__(None)
        self.strength = strength
        self.delay = delay
        self._lambda = v.positive("strength", strength)
        self._delay = v.integer("delay", delay, minimum=0)

    def _field(self, m: np.ndarray, traj: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
        s = _backend.float64(traj[:, t])
        k, n = self._x.shape
        # Hebb's J_s with its diagonal zeroed: each element adds ξ_i ξ_i σ_i / N = σ_i / N.
        field = m @ self._x - (k / n) * s
        scale = abs(m).sum(axis=1) + k / n
        if t >= self._delay:
            late = m if self._delay == 0 else self._overlaps(traj[:, t - self._delay])
            push, push_scale = self._transition_field(late)
            field += self._lambda * push
            scale += self._lambda * push_scale
        return field, scale

    def _params(self) -> dict:
        return {"strength": self._lambda, "delay": self._delay}

    @classmethod
    def _build(cls, params: dict):
        return cls(params["strength"], delay=params["delay"])

    def _describe(self) -> str:
        return f"strength={self.strength!r}, delay={self.delay!r}"

"""The energy landscape of a small binary network, by exact enumeration.

:func:`~hopfield.landscape.census` visits all 2^N states of a network of N ≤ 20 ±1 neurons:
the energy of each, the fixed point each one flows to, the size of every basin and what each
attractor is (a stored pattern, its reversal, a mixture or a spurious state).
:func:`~hopfield.landscape.fixed_points` lists every fixed point exactly. Pictures of it are in
:mod:`hopfield.plot`; recorded recalls for pictures of trajectories are in
:mod:`hopfield.traces`.

State numbering: state ``i`` has neuron ``j`` at +1 when bit ``j`` of ``i`` is set, −1
otherwise (:func:`~hopfield.landscape.enumerate_states`,
:func:`~hopfield.landscape.state_index`).

Which attractor a state has depends on the dynamics, so the census uses a deterministic rule:

``"async"`` with ``order="sequential"`` (the default)
    asynchronous updates visiting neurons 0..N−1 in every sweep (the compiled engine of
    ``model.recall``). ``order="random"`` draws the orders from ``rng``: reproducible for a
    seed, but then a state's attractor depends on that seed.
``"descent"``
    steepest descent: flip, one at a time, the neuron whose flip lowers the energy most
    (the lowest index among equals), until no flip lowers it.
``"sync"``
    all neurons at once; states that fall into a 2-cycle have no attractor (index −1).

Asynchronous updates and descent never raise the energy of a symmetric network, so every
attractor lies at or below each state of its basin.

Examples
--------
>>> import hopfield as hf
>>> from hopfield.landscape import census
>>> X = hf.patterns.random(2, 10, rng=0)
>>> census(hf.Hopfield().store(X))
Census(N=10, states=1024, update='async', attractors=4 (pattern=2, reversal=2), unresolved=0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from . import dynamics
from ._validation import RngLike
from .analysis import classify, is_fixed_point

__all__ = [
    "MAX_NEURONS",
    "CENSUS_UPDATES",
    "Census",
    "census",
    "fixed_points",
    "enumerate_states",
    "state_index",
]

#: The largest network :func:`census` and :func:`fixed_points` enumerate (2^20 ≈ 10^6 states).
MAX_NEURONS = 20
CENSUS_UPDATES = ("async", "descent", "sync")
_BLOCK = 1 << 16  # states per batch: bounded memory at N = 20


def _binary_model(model) -> int:
    dynamics.stored_binary_model(model)
    if type(model).__name__ == "SparseHopfield":
        # Its states are 0/1 and its k-winners-take-all update is no descent of one energy.
        raise TypeError(
            "model: the landscape enumerates ±1 states of Hopfield or DenseAssociativeMemory; "
            "SparseHopfield (0/1 neurons) is not supported"
        )
    return model.n_neurons


def _small(model) -> int:
    n = _binary_model(model)
    if n > MAX_NEURONS:
        raise ValueError(
            f"model: exact enumeration visits 2^N states and is limited to N <= {MAX_NEURONS} "
            f"neurons, got n = {n}"
        )
    return n


def enumerate_states(n: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """List the states numbered ``start`` to ``stop − 1`` of N neurons (the module's numbering).

    State ``i`` has neuron ``j`` at +1 when bit ``j`` of ``i`` is set, −1 otherwise.

    Parameters
    ----------
    n : int
        The number of neurons N, from 1 to 20.
    start : int, default 0
        The first state's number.
    stop : int, optional
        One past the last state's number; by default 2^N, all of them.

    Returns
    -------
    ndarray of shape (stop − start, N)
        The int8 ±1 states.

    Raises
    ------
    ValueError
        When ``n`` is not from 1 to 20, or not ``0 <= start <= stop <= 2^N``.

    See Also
    --------
    hopfield.landscape.state_index : The inverse: the number of each state.

    Examples
    --------
    >>> from hopfield.landscape import enumerate_states
    >>> enumerate_states(2).tolist()
    [[-1, -1], [1, -1], [-1, 1], [1, 1]]
    """
    n = v.integer("n", n, minimum=1)
    if n > MAX_NEURONS:
        raise ValueError(f"n: expected at most {MAX_NEURONS} neurons, got n = {n}")
    stop = 1 << n if stop is None else v.integer("stop", stop)
    start = v.integer("start", start)
    if not start <= stop <= 1 << n:
        raise ValueError(f"start, stop: expected 0 <= start <= stop <= 2^{n}, got {start}, {stop}")
    return _states_of(np.arange(start, stop, dtype=np.int64), n)


def state_index(states) -> np.ndarray | int:
    """Number each ±1 state, the inverse of :func:`~hopfield.landscape.enumerate_states`.

    Parameters
    ----------
    states : array_like of shape (B, N) or (N,)
        ±1 states of at most 20 neurons.

    Returns
    -------
    ndarray of shape (B,) or int
        The int64 state numbers; an int for one (N,) state.

    Raises
    ------
    ValueError
        When an entry is not ±1, or N is above 20.

    Examples
    --------
    >>> from hopfield.landscape import state_index
    >>> state_index([[1, -1, 1], [-1, -1, -1]]).tolist()
    [5, 0]
    """
    s = v.bipolar("states", states)
    if s.shape[-1] > MAX_NEURONS:
        raise ValueError(f"states: expected at most {MAX_NEURONS} neurons, got shape {s.shape}")
    weights = np.int64(1) << np.arange(s.shape[-1], dtype=np.int64)
    codes = (s > 0).astype(np.int64) @ weights
    return int(codes) if s.ndim == 1 else codes


@dataclass(frozen=True, repr=False)
class Census:
    """Every state of a small network: its energy and the attractor it flows to.

    Made by :func:`~hopfield.landscape.census`; each parameter is kept, read-only, as the
    attribute of the same name.

    Parameters
    ----------
    energies : ndarray of shape (2^N,)
        The energy of every state (numbered as in :func:`~hopfield.landscape.enumerate_states`).
    attractor : ndarray of shape (2^N,)
        The index into ``attractors`` of the fixed point each state reaches, −1 where none is
        reached (a 2-cycle, or ``max_steps`` ran out).
    attractors : ndarray of shape (A, N)
        The distinct fixed points reached (int8), largest basin first (then lowest energy,
        then lowest state number).
    attractor_energies : ndarray of shape (A,)
        Their energies.
    basin_sizes : ndarray of shape (A,)
        The number of states that flow to each; they sum to 2^N − :attr:`unresolved`.
    kinds : ndarray of shape (A,)
        ``"pattern"``, ``"reversal"``, ``"mixture"`` or ``"spurious"``
        (:func:`hopfield.classify` against ``patterns``).
    pattern_index : ndarray of shape (A,)
        The stored pattern for a pattern or reversal, −1 otherwise.
    components : tuple of tuple of int
        For each mixture, the indices of the patterns mixed (empty for the other kinds).
    overlaps : ndarray of shape (A, K)
        The overlaps of each attractor with each stored pattern.
    patterns : ndarray of shape (K, N)
        The stored patterns.
    update : str
        The dynamics that defined the basins: ``"async"``, ``"descent"`` or ``"sync"``.
    order : str
        The order of ``"async"`` updates (``"sequential"`` or ``"random"``); ``""`` for the
        other dynamics.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.landscape import census
    >>> X = hf.patterns.random(2, 10, rng=0)
    >>> c = census(hf.Hopfield().store(X), update="sync")
    >>> c
    Census(N=10, states=1024, update='sync', attractors=4 (pattern=2, reversal=2), unresolved=584)
    >>> int(c.basin_sizes.sum()) + c.unresolved == 2**c.n_neurons
    True
    """

    energies: np.ndarray
    attractor: np.ndarray
    attractors: np.ndarray
    attractor_energies: np.ndarray
    basin_sizes: np.ndarray
    kinds: np.ndarray
    pattern_index: np.ndarray
    components: tuple
    overlaps: np.ndarray
    patterns: np.ndarray
    update: str
    order: str

    @property
    def n_neurons(self) -> int:
        """The number of neurons N."""
        return self.attractors.shape[1] if self.attractors.size else self.patterns.shape[1]

    @property
    def unresolved(self) -> int:
        """The number of states that reached no fixed point."""
        return int(np.count_nonzero(self.attractor < 0))

    def __repr__(self) -> str:
        kinds, counts = np.unique(self.kinds, return_counts=True)
        found = ", ".join(f"{k}={c}" for k, c in zip(kinds, counts, strict=True))
        return (
            f"Census(N={self.n_neurons}, states={self.energies.size}, update={self.update!r}, "
            f"attractors={len(self.attractors)} ({found}), unresolved={self.unresolved})"
        )


def _descend(model, s: np.ndarray, max_flips: int, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Descend steepest from each row of ``s``; return final states and who reached a minimum."""
    x = s.astype(np.float64)
    done = np.zeros(len(x), dtype=np.bool_)
    live = np.arange(len(x))
    for step in range(max_flips + 1):
        gap, _ = model._gap_and_energy(x[live])
        # A flip of neuron i changes the energy by gap_i σ_i (gap = E(σ_i=−1) − E(σ_i=+1)).
        change = gap * x[live]
        best = np.argmin(change, axis=1)
        # tol: one number, or one per neuron (then the chosen neuron's).
        lower = change[np.arange(live.size), best] < -np.broadcast_to(tol, (x.shape[1],))[best]
        done[live[~lower]] = True
        live, best = live[lower], best[lower]
        if live.size == 0 or step == max_flips:
            break
        x[live, best] *= -1.0
    return x.astype(np.int8), done


@v.keywords(max_sweeps="max_steps")
def census(
    model,
    *,
    update: str = "async",
    order: str = "sequential",
    max_steps: int = 100,
    rng: RngLike = 0,
) -> Census:
    """Enumerate all 2^N states of a small binary network and the basin of every attractor.

    Each state is run with a deterministic rule to the fixed point it reaches (see
    :mod:`hopfield.landscape` for the rules); the attractors are then named with
    :func:`hopfield.classify` against the stored patterns. States are visited in blocks of
    2^16, so memory stays bounded at N = 20.

    Parameters
    ----------
    model : hopfield.dynamics.BinaryModel
        A stored binary model of ±1 neurons (:class:`hopfield.Hopfield`,
        :class:`hopfield.DenseAssociativeMemory`), N ≤ 20.
    update : {"async", "descent", "sync"}, default "async"
        The dynamics that defines the basins (see :mod:`hopfield.landscape`).
    order : {"sequential", "random"}, default "sequential"
        For ``"async"``: neurons 0..N−1 in every sweep (deterministic), or orders drawn from
        ``rng``.
    max_steps : int, default 100
        The most sweeps per state (for descent, ``max_steps × N`` flips), >= 1. The old name
        ``max_sweeps`` still works, with a ``DeprecationWarning``.
    rng : int, numpy.random.Generator or None, default 0
        Seed or Generator for ``order="random"``.

    Returns
    -------
    Census
        The energy and attractor of every state, and the attractors with their basins.

    Raises
    ------
    TypeError
        When ``model`` is not a binary model of ±1 neurons (``SparseHopfield`` is refused).
    ValueError
        When the model has more than 20 neurons, or an option is unknown.
    RuntimeError
        When the model stores nothing yet.

    See Also
    --------
    hopfield.landscape.fixed_points : Every fixed point, whatever the dynamics.
    hopfield.plot.landscape : Draw the landscape.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.landscape import census
    >>> X = hf.patterns.random(2, 10, rng=0)
    >>> c = census(hf.Hopfield().store(X))
    >>> int(c.basin_sizes.sum()), sorted(set(c.kinds.tolist()))
    (1024, ['pattern', 'reversal'])
    """
    n = _small(model)
    update = v.choose("update", update, CENSUS_UPDATES)
    order = v.choose("order", order, dynamics.ORDERS)
    max_steps = v.integer("max_steps", max_steps, minimum=1)
    gen = v.as_rng(rng)
    tol = model._tie_tol()
    total = 1 << n
    energies = np.empty(total)
    final = np.empty(total, dtype=np.int64)
    reached = np.empty(total, dtype=np.bool_)
    for start in range(0, total, _BLOCK):
        stop = min(start + _BLOCK, total)
        s = enumerate_states(n, start, stop)
        energies[start:stop] = model.energy(s)
        if update == "descent":
            end, ok = _descend(model, s, max_steps * n, tol)
        else:
            r = model.recall(s, update=update, order=order, max_steps=max_steps, rng=gen)
            end, ok = r.states, r.converged
        final[start:stop] = state_index(end)
        reached[start:stop] = ok
    codes, inverse, sizes = np.unique(final[reached], return_inverse=True, return_counts=True)
    attractor_energies = energies[codes]
    rank = np.lexsort((codes, attractor_energies, -sizes))
    attractor = np.full(total, -1, dtype=np.int64)
    attractor[reached] = np.argsort(rank)[inverse]
    codes = codes[rank]
    attractors = _states_of(codes, n)
    patterns = np.asarray(model.patterns)
    if len(codes):
        kind = classify(attractors, patterns)
        kinds, index, components, overlaps = kind.kind, kind.index, kind.components, kind.overlaps
    else:
        kinds, index = np.array([], dtype=str), np.array([], dtype=np.int64)
        components, overlaps = (), np.empty((0, len(patterns)))
    return Census(
        energies,
        attractor,
        attractors,
        attractor_energies[rank],
        sizes[rank],
        kinds,
        index,
        components,
        overlaps,
        patterns,
        update,
        order if update == "async" else "",
    )


def _states_of(codes: np.ndarray, n: int) -> np.ndarray:
    bits = (codes[:, None] >> np.arange(n, dtype=np.int64)) & 1
    return np.where(bits == 1, 1, -1).astype(np.int8)


def fixed_points(model) -> np.ndarray:
    """Find every fixed point of a small binary network, exactly (no neuron would flip).

    Found from the energy gaps of all 2^N states (:func:`hopfield.is_fixed_point`); these are
    the same for every deterministic update rule.

    Parameters
    ----------
    model : hopfield.dynamics.BinaryModel
        A stored binary model of ±1 neurons (:class:`hopfield.Hopfield`,
        :class:`hopfield.DenseAssociativeMemory`), N ≤ 20.

    Returns
    -------
    ndarray of shape (F, N)
        The int8 fixed points, in the order of :func:`~hopfield.landscape.enumerate_states`.

    Raises
    ------
    TypeError
        When ``model`` is not a binary model of ±1 neurons (``SparseHopfield`` is refused).
    ValueError
        When the model has more than 20 neurons.
    RuntimeError
        When the model stores nothing yet.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.landscape import fixed_points
    >>> X = hf.patterns.random(1, 8, rng=0)
    >>> fp = fixed_points(hf.Hopfield().store(X))
    >>> sorted(hf.overlap(fp, X[0]).tolist())
    [-1.0, 1.0]
    """
    n = _small(model)
    found = []
    for start in range(0, 1 << n, _BLOCK):
        s = enumerate_states(n, start, min(start + _BLOCK, 1 << n))
        found.append(s[is_fixed_point(model, s)])
    return np.concatenate(found)

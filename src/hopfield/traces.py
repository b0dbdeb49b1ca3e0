"""Recalls recorded step by step, and the energy over the plane of two overlaps.

:func:`hopfield.traces.record_sweeps` keeps the state after every sweep of the compiled engine;
:func:`hopfield.traces.record_flips` replays one asynchronous recall neuron by neuron with a
plain NumPy loop (the engine's rule, tie tolerance and random draws);
:func:`hopfield.traces.energy_surface` estimates the energy as a function of the overlaps with
two stored patterns. They work on the binary models with ±1 neurons (:class:`hopfield.Hopfield`,
:class:`hopfield.DenseAssociativeMemory`) and feed the pictures in :mod:`hopfield.plot`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validation as v
from . import dynamics
from ._validation import RngLike
from .landscape import _binary_model

__all__ = ["Sweeps", "record_sweeps", "Trace", "record_flips", "Surface", "energy_surface"]


@dataclass(frozen=True)
class Sweeps:
    """States recorded after every sweep, as :func:`hopfield.traces.record_sweeps` returns them.

    A frozen dataclass; its fields are its attributes.

    Parameters
    ----------
    states : ndarray of shape (T + 1, B, N) or (T + 1, N)
        ``int8``, the start then the state after each sweep; (T + 1, N) for a single 1-D cue.
        Cues that stopped keep their state in later rows.
    energies : ndarray of shape (T + 1, B) or (T + 1,)
        The energy of every recorded state.
    converged : ndarray of shape (B,) or bool
        Whether each cue reached a fixed point (stochastic updates: whether its last sweep
        flipped nothing).
    cycled : ndarray of shape (B,) or bool, default False
        Whether synchronous updates ended in a 2-cycle.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.traces import record_sweeps
    >>> X = hf.patterns.random(2, 64, rng=0)
    >>> rec = record_sweeps(hf.Hopfield().store(X), X[0], rng=1)
    >>> rec.states.shape, bool(rec.converged), bool(rec.cycled)
    ((1, 64), True, False)
    """

    states: np.ndarray
    energies: np.ndarray
    converged: np.ndarray
    cycled: np.ndarray | bool = False

    def __repr__(self) -> str:
        conv = np.atleast_1d(self.converged)
        return (
            f"Sweeps(states={self.states.shape}, sweeps={self.states.shape[0] - 1}, "
            f"converged={int(conv.sum())}/{conv.size})"
        )


def _start(model, cue, gen: np.random.Generator, *, ndim: tuple[int, ...]) -> np.ndarray:
    """Return a ±1 starting state: unknown (0) bits set from the known ones, as recall does."""
    n = _binary_model(model)
    arr = v.bipolar("cues" if 2 in ndim else "cue", cue, allow_zero=True, ndim=ndim)
    v.width("cues" if 2 in ndim else "cue", arr, n)
    s = np.array(np.atleast_2d(arr), dtype=np.int8)
    return dynamics._fill_unknown(model, s, gen, model._tie_tol())


@v.keywords(max_sweeps="max_steps")
def record_sweeps(
    model,
    cues,
    *,
    max_steps: int = 50,
    order: str = "random",
    update: str = "async",
    temperature: float | None = None,
    rng: RngLike = None,
) -> Sweeps:
    """Recall from ``cues`` and keep the state after every sweep.

    Runs ``model.recall(..., max_steps=1)`` repeatedly with one Generator, which is the same
    dynamics as one long recall: deterministic updates stop when a sweep changes no cue (sync
    also when a cue returns to its state of two sweeps before, a 2-cycle, where ``recall``
    stops too); stochastic updates run all ``max_steps``, as ``recall`` does.

    Parameters
    ----------
    model : Hopfield or DenseAssociativeMemory
        A binary model with ±1 neurons and stored patterns.
    cues : array_like of shape (B, N) or (N,)
        ±1 cues, 0 for unknown bits (set as ``recall`` sets them).
    max_steps : int, default 50
        The most sweeps to record. The old name ``max_sweeps`` is deprecated.
    order : {"random", "sequential"}, default "random"
        ``"random"`` draws a new permutation per sweep.
    update : {"async", "sync", "stochastic"}, default "async"
        The update rule (see :mod:`hopfield.dynamics`).
    temperature : float, optional
        T > 0 for ``update="stochastic"``.
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator`` for the orders, Glauber draws and unknown bits.

    Returns
    -------
    Sweeps
        The recorded states and energies; the per-cue fields are scalars for a 1-D cue.

    Raises
    ------
    TypeError
        When ``model`` is not a binary model with ±1 neurons (``SparseHopfield`` is not).
    RuntimeError
        When ``model`` stores nothing yet.
    ValueError
        When ``cues`` is not ±1/0 of the model's width, or an option is unknown.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.traces import record_sweeps
    >>> X = hf.patterns.random(3, 100, rng=0)
    >>> rec = record_sweeps(hf.Hopfield().store(X), hf.patterns.flip(X, 0.3, rng=1), rng=2)
    >>> rec.states.shape[1:], bool((rec.states[-1] == X).all())
    ((3, 100), True)
    """
    max_steps = v.integer("max_steps", max_steps, minimum=1)
    order = v.choose("order", order, dynamics.ORDERS)
    update = v.choose("update", update, dynamics.UPDATES)
    gen = v.as_rng(rng)
    single = np.ndim(cues) == 1
    s = _start(model, cues, gen, ndim=(1, 2))
    states, energies = [s], [np.atleast_1d(model.energy(s))]
    converged = np.zeros(len(s), dtype=np.bool_)
    cycled = np.zeros(len(s), dtype=np.bool_)
    for _ in range(max_steps):
        r = model.recall(
            s, max_steps=1, order=order, update=update, temperature=temperature, rng=gen
        )
        if update == "stochastic":
            converged = r.flips == 0
            s, e = r.states, r.energies[:, -1]
        else:
            converged |= r.flips == 0
            if update == "sync" and len(states) > 1:
                # A 2-cycle: recall stops before the sweep that returns to the earlier state.
                cycled |= ~converged & (r.states == states[-2]).all(axis=1)
            held = converged | cycled
            if held.all():
                break
            s = np.where(held[:, None], s, r.states)
            e = np.where(held, energies[-1], r.energies[:, -1])
        states.append(s)
        energies.append(e)
    st, en = np.stack(states), np.stack(energies)
    if single:
        return Sweeps(st[:, 0], en[:, 0], converged[0], cycled[0])
    return Sweeps(st, en, converged, cycled)


@dataclass(frozen=True)
class Trace:
    """One asynchronous recall, neuron by neuron, as :func:`hopfield.traces.record_flips` returns.

    A frozen dataclass; its fields are its attributes.

    Parameters
    ----------
    states : ndarray of shape (F + 1, N)
        ``int8``, the start and the state after each of the F flips.
    energies : ndarray of shape (F + 1,)
        Their energies.
    neurons : ndarray of shape (F,)
        Which neuron each flip changed.
    updates : ndarray of shape (F + 1,)
        How many neuron updates had been made when each state was reached.
    total_updates : int
        All neuron updates made, including the final sweep that changed nothing.
    converged : bool
        Whether a fixed point was reached within ``max_steps``.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.traces import record_flips
    >>> X = hf.patterns.random(2, 50, rng=0)
    >>> t = record_flips(hf.Hopfield().store(X), hf.patterns.flip(X[0], 0.2, rng=1), rng=2)
    >>> t.states.shape, t.neurons.shape, bool(t.converged)
    ((11, 50), (10,), True)
    >>> t.at(0), t.at(t.total_updates)  # the rows reached after 0 updates and after all
    (0, 10)
    """

    states: np.ndarray
    energies: np.ndarray
    neurons: np.ndarray
    updates: np.ndarray
    total_updates: int
    converged: bool

    @property
    def final(self) -> np.ndarray:
        """The last state."""
        return self.states[-1]

    def at(self, update: int) -> int:
        """Find the row of ``states`` holding the state after ``update`` neuron updates.

        Parameters
        ----------
        update : int
            A count of neuron updates, from 0 to ``total_updates``.

        Returns
        -------
        int
            The index of the last row reached within ``update`` updates.
        """
        return int(np.searchsorted(self.updates, update, side="right")) - 1

    def __repr__(self) -> str:
        return (
            f"Trace(neurons={self.states.shape[1]}, flips={len(self.neurons)}, "
            f"updates={self.total_updates}, energy {self.energies[0]:.4g} → "
            f"{self.energies[-1]:.4g}, converged={bool(self.converged)})"
        )


@v.keywords(max_sweeps="max_steps")
def record_flips(
    model, cue, *, max_steps: int = 50, order: str = "random", rng: RngLike = None
) -> Trace:
    """Recall one cue asynchronously, one neuron at a time, and keep every flip.

    A plain NumPy reference loop with the engine's rule (flip neuron i when that lowers the
    energy by more than the tie tolerance; a fresh random order each sweep, or 0..N−1 with
    ``order="sequential"``). The energy gaps are recomputed after each flip only, so a recall
    costs one gap evaluation per flip: meant for small networks and pictures.

    Parameters
    ----------
    model : Hopfield or DenseAssociativeMemory
        A binary model with ±1 neurons and stored patterns.
    cue : array_like of shape (N,)
        One ±1 cue, 0 for unknown bits.
    max_steps : int, default 50
        The most sweeps (N neuron updates each). The old name ``max_sweeps`` is deprecated.
    order : {"random", "sequential"}, default "random"
        ``"random"`` draws a new permutation per sweep (the engine's draws).
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator`` for the orders and unknown bits.

    Returns
    -------
    Trace
        Every state the recall passed through, with its energy and the flipped neuron.

    Raises
    ------
    TypeError
        When ``model`` is not a binary model with ±1 neurons (``SparseHopfield`` is not).
    RuntimeError
        When ``model`` stores nothing yet.
    ValueError
        When ``cue`` is not one ±1/0 vector of the model's width, or ``order`` is unknown.

    Examples
    --------
    >>> import numpy as np, hopfield as hf
    >>> from hopfield.traces import record_flips
    >>> X = hf.patterns.random(2, 50, rng=0)
    >>> t = record_flips(hf.Hopfield().store(X), hf.patterns.flip(X[0], 0.2, rng=1), rng=2)
    >>> bool((t.final == X[0]).all()), len(t.neurons), bool(np.all(np.diff(t.energies) < 0))
    (True, 10, True)
    """
    max_steps = v.integer("max_steps", max_steps, minimum=1)
    order = v.choose("order", order, dynamics.ORDERS)
    gen = v.as_rng(rng)
    s = _start(model, cue, gen, ndim=(1,)).astype(np.float64)
    n = s.shape[1]
    tol_i = np.broadcast_to(model._tie_tol(), (n,))  # one tolerance or one per neuron
    gap, energy = model._gap_and_energy(s)
    states, energies, neurons, updates = [s[0].copy()], [energy[0]], [], [0]
    # The same draws as the engine's (B = 1) sweeps.
    base = np.ascontiguousarray(np.arange(n, dtype=np.int64)[None, :])
    done, count = False, 0
    for _ in range(max_steps):
        visit = base[0] if order == "sequential" else gen.permuted(base, axis=1)[0]
        moved = False
        for i in visit:
            count += 1
            if gap[0, i] * s[0, i] < -tol_i[i]:
                s[0, i] = -s[0, i]
                gap, energy = model._gap_and_energy(s)
                states.append(s[0].copy())
                energies.append(energy[0])
                neurons.append(int(i))
                updates.append(count)
                moved = True
        if not moved:
            done = True
            break
    return Trace(
        np.array(states, dtype=np.int8),
        np.array(energies),
        np.array(neurons, dtype=np.int64),
        np.array(updates, dtype=np.int64),
        count,
        done,
    )


@dataclass(frozen=True)
class Surface:
    """Energy over the plane of overlaps with two stored patterns.

    What :func:`hopfield.traces.energy_surface` returns: a frozen dataclass whose fields are its
    attributes.

    Parameters
    ----------
    overlaps : ndarray of shape (P, 2)
        The lattice points (m_a, m_b) that were sampled.
    energy : ndarray of shape (P,)
        Mean energy of the states sampled at each point.
    spread : ndarray of shape (P,)
        Standard deviation of those energies (0 where the overlaps fix the energy).

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.traces import energy_surface
    >>> X = hf.patterns.random(3, 40, rng=0)
    >>> s = energy_surface(hf.Hopfield().store(X), resolution=3, samples=4, rng=1)
    >>> s.overlaps.shape, s.energy.shape, bool((s.spread >= 0).all())
    ((9, 2), (9,), True)
    """

    overlaps: np.ndarray
    energy: np.ndarray
    spread: np.ndarray

    def __repr__(self) -> str:
        return (
            f"Surface(points={len(self.energy)}, energy {self.energy.min():.4g} to "
            f"{self.energy.max():.4g})"
        )


def energy_surface(
    model, patterns=(0, 1), *, resolution: int = 31, samples: int = 8, rng: RngLike = None
) -> Surface:
    """Approximate the energy as a function of the overlaps with two stored patterns.

    Neurons where ξ^a and ξ^b agree (n_s of them) and where they differ (n_d) are set
    independently: a state with k_s agreements with ξ^a on the first set and k_d on the second
    has overlaps ``m_a = (U_s + U_d) / N`` and ``m_b = (U_s − U_d) / N``, ``U = 2k − n``. For up
    to ``resolution`` values of each of k_s and k_d, ``samples`` states are drawn uniformly
    among those with exactly these overlaps and their energies averaged. The overlaps with the
    other patterns are left random, so this is the energy a typical state with these two
    overlaps has, not the lowest one; ``spread`` says how much it varies.

    Parameters
    ----------
    model : Hopfield or DenseAssociativeMemory
        A binary model with ±1 neurons and at least two stored patterns.
    patterns : tuple of int, default (0, 1)
        Indices (a, b) of the two stored patterns.
    resolution : int, default 31
        The most values of k_s and of k_d (so at most ``resolution²`` points), at least 2.
    samples : int, default 8
        States drawn per point, at least 1.
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator`` for the draws.

    Returns
    -------
    Surface
        The sampled overlaps, the mean energy at each and its spread.

    Raises
    ------
    TypeError
        When ``model`` is not a binary model with ±1 neurons (``SparseHopfield`` is not).
    RuntimeError
        When ``model`` stores nothing yet.
    ValueError
        When ``patterns`` are not two different indices of stored patterns, or the two
        patterns are equal or opposite.

    Examples
    --------
    With two stored patterns the overlaps fix the energy, so the spread is 0:

    >>> import hopfield as hf
    >>> from hopfield.traces import energy_surface
    >>> X = hf.patterns.random(2, 40, rng=0)
    >>> s = energy_surface(hf.Hopfield().store(X), resolution=5, samples=2, rng=1)
    >>> s.overlaps.shape, round(float(s.spread.max()), 9)
    ((25, 2), 0.0)
    """
    n = _binary_model(model)
    stored = np.asarray(model.patterns)
    a, b = _two_patterns(patterns, len(stored))
    resolution = v.integer("resolution", resolution, minimum=2)
    samples = v.integer("samples", samples, minimum=1)
    gen = v.as_rng(rng)
    xa = stored[a]
    same = np.flatnonzero(stored[a] == stored[b])
    diff = np.flatnonzero(stored[a] != stored[b])
    if same.size == 0 or diff.size == 0:
        raise ValueError(
            f"patterns: patterns {a} and {b} are equal or opposite, so their overlaps are tied; "
            "choose two patterns that differ"
        )
    ks = np.unique(np.round(np.linspace(0, same.size, resolution)).astype(np.int64))
    kd = np.unique(np.round(np.linspace(0, diff.size, resolution)).astype(np.int64))
    points, mean, std = [], [], []
    for k in ks:
        count = np.repeat(kd, samples)
        u = np.empty((count.size, n), dtype=np.int8)
        u[:, same] = _agreeing(gen, count.size, same.size, k)
        u[:, diff] = _agreeing(gen, count.size, diff.size, count)
        e = np.atleast_1d(model.energy(u * xa)).reshape(kd.size, samples)
        us, ud = 2 * k - same.size, 2 * kd - diff.size
        points.append(np.column_stack([us + ud, np.broadcast_to(us, ud.shape) - ud]) / n)
        mean.append(e.mean(axis=1))
        std.append(e.std(axis=1))
    return Surface(np.concatenate(points), np.concatenate(mean), np.concatenate(std))


def _two_patterns(patterns, k: int) -> tuple[int, int]:
    """Check ``patterns`` as two different indices below ``k``; return them."""
    if np.ndim(patterns) != 1 or len(patterns) != 2:
        raise ValueError(f"patterns: expected two pattern indices, got {patterns!r}")
    a, b = (v.integer("patterns", i) for i in patterns)
    for i in (a, b):
        if i >= k:
            raise ValueError(f"patterns: expected indices below {k} (patterns stored), got {i}")
    if a == b:
        raise ValueError(f"patterns: expected two different indices, got {a} twice")
    return a, b


def _agreeing(gen: np.random.Generator, rows: int, size: int, count) -> np.ndarray:
    """Draw ±1 rows with exactly ``count`` entries +1, placed uniformly at random."""
    rank = gen.random((rows, size)).argsort(axis=1).argsort(axis=1)
    return np.where(rank < np.reshape(count, (-1, 1)), 1, -1).astype(np.int8)

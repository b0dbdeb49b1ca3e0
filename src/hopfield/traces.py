"""Recalls recorded step by step, and the energy over the plane of two overlaps.

:func:`record_sweeps` keeps the state after every asynchronous sweep of the compiled engine;
:func:`record_flips` replays one recall neuron by neuron with a plain NumPy loop (the engine's
rule, tie tolerance and random draws); :func:`energy_surface` estimates the energy as a
function of the overlaps with two stored patterns. They feed the pictures in
:mod:`hopfield.plot`.
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
    """States recorded after every asynchronous sweep (:func:`record_sweeps`).

    Attributes:
        states: (T + 1, B, N) int8, the start then the state after each sweep; (T + 1, N) for
            a single 1-D cue. Cues that stopped keep their state in later rows.
        energies: (T + 1, B) or (T + 1,).
        converged: (B,) or a bool, whether each cue reached a fixed point (stochastic
            updates: whether its last sweep flipped nothing).
        cycled: (B,) or a bool, whether synchronous updates ended in a 2-cycle.
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
    """A ±1 starting state: unknown (0) bits set from the known ones, as recall does."""
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
    """Recall from ``cues`` that keeps the state after every sweep.

    Runs ``model.recall(..., max_steps=1)`` repeatedly with one Generator, which is the same
    dynamics as one long recall: deterministic updates stop when a sweep changes no cue (sync
    also when a cue returns to its state of two sweeps before, a 2-cycle, where ``recall``
    stops too); stochastic updates run all ``max_steps``, as ``recall`` does.

    Args:
        model: a stored binary model.
        cues: ±1 (0 for unknown bits, set as ``recall`` sets them), (B, N) or (N,).
        max_steps: the most sweeps to record.
        order: ``"random"`` (a new permutation per sweep) or ``"sequential"``.
        update: ``"async"``, ``"sync"`` or ``"stochastic"`` (see :mod:`hopfield.dynamics`).
        temperature: T > 0 for ``update="stochastic"``.
        rng: seed or Generator for the orders, Glauber draws and unknown bits.

    Examples:
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
    """One asynchronous recall, neuron by neuron (:func:`record_flips`).

    Attributes:
        states: (F + 1, N) int8, the start and the state after each of the F flips.
        energies: (F + 1,) their energies.
        neurons: (F,) which neuron each flip changed.
        updates: (F + 1,) how many neuron updates had been made when each state was reached.
        total_updates: all neuron updates made, including the final sweep that changed nothing.
        converged: whether a fixed point was reached within ``max_steps``.
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
        """Row of ``states`` holding the state after ``update`` neuron updates."""
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
    """Asynchronous recall of one cue, one neuron at a time, keeping every flip.

    A plain NumPy reference loop with the engine's rule (flip neuron i when that lowers the
    energy by more than the tie tolerance; a fresh random order each sweep, or 0..N−1 with
    ``order="sequential"``). The energy gaps are recomputed after each flip only, so a recall
    costs one gap evaluation per flip: meant for small networks and pictures.

    Args:
        model: a stored binary model.
        cue: one ±1 cue (N,), 0 for unknown bits.
        max_steps: the most sweeps (N neuron updates each).
        order: ``"random"`` (a new permutation per sweep, the engine's draws) or
            ``"sequential"``.
        rng: seed or Generator for the orders and unknown bits.

    Examples:
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
    """Energy over the plane of overlaps with two stored patterns (:func:`energy_surface`).

    Attributes:
        overlaps: (P, 2) the lattice points (m_a, m_b) that were sampled.
        energy: (P,) mean energy of the states sampled at each point.
        spread: (P,) standard deviation of those energies (0 where the overlaps fix the energy).
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

    Args:
        model: a stored binary model with at least two patterns.
        patterns: indices (a, b) of the two stored patterns.
        resolution: the most values of k_s and of k_d (so at most ``resolution²`` points).
        samples: states drawn per point.
        rng: seed or Generator for the draws.

    Examples:
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
    """±1 rows with exactly ``count`` entries +1, placed uniformly at random."""
    rank = gen.random((rows, size)).argsort(axis=1).argsort(axis=1)
    return np.where(rank < np.reshape(count, (-1, 1)), 1, -1).astype(np.int8)

"""Exact enumeration of small networks, recorded recalls, and the landscape figures.

Networks are kept small (N ≤ 16) so that every census enumerates at most 65,536 states.
"""

import itertools

import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from PIL import Image

import hopfield as hf
from hopfield import landscape as ls
from hopfield import plot as pl
from hopfield import traces as tr
from hopfield.models.dense import DenseAssociativeMemory
from hopfield.plot import save_figure


def hebbian(k=3, n=12, seed=0):
    x = hf.patterns.random(k, n, rng=seed)
    return hf.Hopfield().store(x), x


def codes(states):
    return set(np.atleast_1d(ls.state_index(states)).tolist())


# -- enumeration ---------------------------------------------------------------------------


def test_states_are_numbered_by_their_bits_and_back():
    s = ls.enumerate_states(5)
    assert s.shape == (32, 5) and s.dtype == np.int8
    assert len({tuple(r) for r in s}) == 32
    assert np.array_equal(ls.state_index(s), np.arange(32))
    assert ls.state_index(s[19]) == 19
    assert np.array_equal(ls.enumerate_states(5, 7, 11), s[7:11])


# -- census --------------------------------------------------------------------------------


@pytest.mark.parametrize("update", ["async", "descent"])
def test_census_of_a_low_load_hebbian_network(update):
    net, x = hebbian(k=3, n=12)  # all three patterns and their reversals are attractors
    c = ls.census(net, update=update)
    total = 1 << 12
    assert c.energies.shape == c.attractor.shape == (total,)
    assert c.unresolved == 0 and c.basin_sizes.sum() == total
    assert np.array_equal(np.bincount(c.attractor), c.basin_sizes)
    assert np.all(np.diff(c.basin_sizes) <= 0)  # largest basin first
    for mu in range(len(x)):
        for kind, state in (("pattern", x[mu]), ("reversal", -x[mu])):
            (i,) = np.flatnonzero((c.attractors == state).all(axis=1))
            assert c.kinds[i] == kind and c.pattern_index[i] == mu and c.basin_sizes[i] > 0
    # Every state ends at or below where it started, and each attractor is its own attractor.
    assert np.all(c.attractor_energies[c.attractor] <= c.energies + 1e-9)
    assert np.array_equal(c.attractor[ls.state_index(c.attractors)], np.arange(len(c.attractors)))
    assert np.allclose(c.attractor_energies, net.energy(c.attractors))
    # The attractors are exactly the fixed points found from the energy gaps.
    assert codes(c.attractors) == codes(ls.fixed_points(net))


def _naive_attractor(w, s, rule):
    """Sequential asynchronous updates or steepest descent, from the definitions."""
    s = s.astype(float)
    while True:
        h = w @ s
        if rule == "descent":
            change = 2 * h * s  # energy change of flipping each neuron
            i = int(np.argmin(change))
            if change[i] >= -1e-9:
                return s
            s[i] = -s[i]
            continue
        moved = False
        for i in range(len(s)):
            hi = w[i] @ s
            new = 1.0 if hi > 1e-9 else -1.0 if hi < -1e-9 else s[i]
            moved |= new != s[i]
            s[i] = new
        if not moved:
            return s


@pytest.mark.parametrize("update", ["async", "descent"])
def test_census_equals_a_naive_enumeration(update):
    net, _ = hebbian(k=2, n=8, seed=3)
    w = net.weights
    c = ls.census(net, update=update)
    for i, s in enumerate(ls.enumerate_states(8)):
        assert np.isclose(c.energies[i], -0.5 * s @ w @ s)
        assert np.array_equal(c.attractors[c.attractor[i]], _naive_attractor(w, s, update))


@pytest.mark.parametrize(
    ("interaction", "reversals"), [(hf.RectifiedPolynomial(3), False), (hf.Polynomial(4), True)]
)
def test_census_of_dense_memories(interaction, reversals):
    x = hf.patterns.random(6, 14, rng=0)  # K/N = 0.43: beyond the classical network
    dam = DenseAssociativeMemory(interaction).store(x)
    c = ls.census(dam)
    assert c.unresolved == 0 and c.basin_sizes.sum() == 1 << 14
    for mu in range(len(x)):
        (i,) = np.flatnonzero((c.kinds == "pattern") & (c.pattern_index == mu))
        assert c.basin_sizes[i] > 1000
    assert ("reversal" in c.kinds) == reversals
    assert np.all(c.attractor_energies[c.attractor] <= c.energies + 1e-9 * np.abs(c.energies).max())
    assert codes(c.attractors) == codes(ls.fixed_points(dam))


def test_synchronous_census_leaves_two_cycles_unresolved():
    net, _ = hebbian(k=3, n=12)
    c = ls.census(net, update="sync")
    r = net.recall(ls.enumerate_states(12), update="sync")
    assert c.unresolved > 0 and np.array_equal(c.attractor < 0, r.cycled)
    assert c.basin_sizes.sum() + c.unresolved == 1 << 12
    assert codes(c.attractors) <= codes(ls.fixed_points(net))


def test_random_order_census_is_reproducible_for_a_seed():
    net, _ = hebbian(k=3, n=10)
    a, b = (ls.census(net, order="random", rng=5) for _ in range(2))
    assert np.array_equal(a.attractor, b.attractor) and a.order == "random"
    assert codes(a.attractors) == codes(ls.fixed_points(net))


def test_census_refuses_large_networks_and_unknown_updates():
    big = hf.Hopfield().store(hf.patterns.random(2, 21, rng=0))
    with pytest.raises(ValueError, match="N <= 20.*n = 21"):
        ls.census(big)
    with pytest.raises(ValueError, match="n = 21"):
        ls.fixed_points(big)
    net, _ = hebbian()
    with pytest.raises(ValueError, match="update: unknown option 'stochastic'"):
        ls.census(net, update="stochastic")
    with pytest.raises(ValueError, match="did you mean 'async'"):
        ls.census(net, update="asyncc")
    with pytest.raises(TypeError, match="model"):
        ls.census(np.eye(4))
    with pytest.raises(RuntimeError, match="store"):
        ls.census(hf.Hopfield())


# -- recorded recalls ----------------------------------------------------------------------


@pytest.mark.parametrize("order", ["sequential", "random"])
def test_record_flips_follows_the_engine_one_flip_at_a_time(order):
    x = hf.patterns.random(4, 60, rng=0)
    net = hf.Hopfield().store(x)
    cue = hf.patterns.flip(x[1], 0.25, rng=1)
    t = tr.record_flips(net, cue, order=order, rng=2)
    assert t.converged and np.array_equal(t.states[0], cue)
    assert np.all(np.diff(t.energies) < 0)
    assert np.allclose(t.energies, net.energy(t.states))
    changed = np.flatnonzero(np.diff(t.states, axis=0))
    assert np.array_equal(
        changed, np.arange(len(t.neurons)) * 60 + t.neurons
    )  # each step flips exactly the named neuron
    assert t.updates[-1] <= t.total_updates and t.total_updates % 60 == 0
    assert t.at(0) == 0 and t.at(t.total_updates) == len(t.states) - 1
    assert hf.is_fixed_point(net, t.final)
    if order == "sequential":
        assert np.array_equal(t.final, net.recall(cue, order="sequential").states)


def test_record_sweeps_keeps_each_sweep():
    x = hf.patterns.random(5, 80, rng=0)
    net = hf.Hopfield().store(x)
    cues = hf.patterns.flip(x[:3], 0.3, rng=1)
    rec = tr.record_sweeps(net, cues, rng=2)
    assert rec.states.shape[1:] == (3, 80) and rec.energies.shape == rec.states.shape[:2]
    assert np.array_equal(rec.states[0], cues) and rec.converged.all()
    assert np.all(np.diff(rec.energies, axis=0) <= 1e-9)
    assert hf.is_fixed_point(net, rec.states[-1]).all()
    one = tr.record_sweeps(net, cues[0], rng=2)
    assert one.states.ndim == 2 and bool(one.converged)


def test_energy_surface_is_exact_when_two_patterns_fix_the_energy():
    n = 40
    x = hf.patterns.random(2, n, rng=0)
    s = tr.energy_surface(hf.Hopfield().store(x), resolution=7, samples=3, rng=1)
    ma, mb = s.overlaps.T
    # Hebb, zero diagonal, K = 2: E = −N (m_a² + m_b²) / 2 + K / 2.
    assert np.allclose(s.energy, -n * (ma**2 + mb**2) / 2 + 1) and np.allclose(s.spread, 0)
    m_ab = hf.overlap(x[0], x[1])
    corners = {(1.0, m_ab), (-1.0, -m_ab), (m_ab, 1.0), (-m_ab, -1.0)}
    assert corners <= {tuple(p) for p in s.overlaps}
    with pytest.raises(ValueError, match="patterns"):
        tr.energy_surface(hf.Hopfield().store(x), patterns=(0, 0))


# -- figures -------------------------------------------------------------------------------


def _png(fig, path):
    save_figure(fig, path)
    image = matplotlib.image.imread(path)
    assert image.shape[0] > 200 and image.shape[1] > 200
    assert image[..., :3].std() > 0.05  # something was drawn
    return image


def test_landscape_figure(tmp_path):
    net, x = hebbian(k=3, n=12)
    c = ls.census(net)
    fig = pl.landscape(c, max_bars=4)
    bars, plane, scatter, energy_ax = fig.axes
    assert len(bars.patches) == 5  # four attractors and "others"
    assert len(energy_ax.lines[0].get_xdata()) == 4
    # One diamond per pair of overlaps with ξ0, ξ1: each set by the agreements on the neurons
    # where the two patterns agree and on those where they differ.
    same = int((x[0] == x[1]).sum())
    assert len(plane.collections[0].get_paths()) == (same + 1) * (12 - same + 1)
    _png(fig, tmp_path / "landscape.png")
    one = ls.census(hf.Hopfield().store(hf.patterns.random(1, 8, rng=0)))
    assert len(pl.landscape(one, patterns=(0,)).axes) == 4
    with pytest.raises(ValueError, match="patterns"):
        pl.landscape(c, patterns=(0, 3))
    with pytest.raises(TypeError, match="census"):
        pl.landscape(net)


def test_trajectory_and_overlap_figures(tmp_path):
    x = hf.patterns.random(8, 100, rng=0)
    net = hf.Hopfield().store(x)
    cues = hf.patterns.flip(x[:3], 0.3, rng=1)
    fig = pl.trajectories(net, cues, resolution=9, samples=2, rng=2)
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 3 + 4
    _png(fig, tmp_path / "trajectories.png")
    fig = pl.overlaps_over_time(net, cues[0], highlight=3, rng=2)
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 8
    assert len(fig.axes[0].get_legend().get_texts()) == 3
    _png(fig, tmp_path / "overlaps.png")


def _table(x, xs, **groups):
    """A tidy table like hopfield.experiments returns: one row per trial, quality falling in x."""
    rows = []
    for *group, at, trial in itertools.product(*groups.values(), xs, range(3)):
        quality = 1.0 / (1.0 + np.exp(40 * (at - 0.2))) - 0.01 * trial
        rows.append(
            {**dict(zip(groups, group, strict=True)), x: at, "trial": trial, "seed": trial}
            | {"overlap": quality, "recalled": quality**2, "wrong_bits": 0.0}
            | {"converged": 1.0, "sweeps": 3.0}
        )
    return pd.DataFrame(rows)


def test_curves_from_tidy_tables(tmp_path):
    cap = _table("load", [0.05, 0.1, 0.15, 0.2], n=[100, 200])
    fig = pl.capacity_curve(cap, theory="hebbian")
    overlap_ax, exact_ax = fig.axes
    # One curve per N; AGS on both panels, McEliece's two loads per N on the exact panel.
    assert len(overlap_ax.lines) == 2 + 1 and len(exact_ax.lines) == 2 + 1 + 4
    _png(fig, tmp_path / "capacity.png")
    assert len(pl.capacity_curve(cap, theory="storkey").axes[1].lines) == 2 + 2
    custom = pl.capacity_curve(cap, theory={"α = 0.1": 0.1, "1/ln N": lambda n: 1 / np.log(n)})
    assert len(custom.axes[0].lines) == 2 + 1 + 2
    basins = _table("distance", [0.0, 0.1, 0.2, 0.3], n=[100], load=[0.05, 0.1])
    assert len(pl.basin_curve(basins).axes[0].lines) == 2
    noise = _table("level", [0.1, 0.2, 0.3], n=[100], kind=["flip", "mask"])
    assert len(pl.noise_curve(noise).axes[1].lines) == 2
    with pytest.raises(ValueError, match=r"missing columns \['distance'\]"):
        pl.basin_curve(cap)
    with pytest.raises(TypeError, match="DataFrame"):
        pl.capacity_curve(cap.to_dict())
    with pytest.raises(ValueError, match="theory"):
        pl.capacity_curve(cap, theory="hebb")


def test_capacity_curve_draws_a_table_from_experiments():
    experiments = pytest.importorskip("hopfield.experiments")
    df = experiments.capacity(
        hf.Hopfield, n=40, loads=[0.05, 0.2], trials=2, executor="serial", progress=False
    )
    assert len(pl.capacity_curve(df).axes[0].lines) == 1 + 1


def test_animated_recall_gif(tmp_path):
    x = hf.datasets.letters("HOPF", 10).reshape(4, -1)
    net = hf.Hopfield("pseudoinverse").store(x)
    cue = hf.patterns.flip(x[2], 0.2, rng=1)
    path = tmp_path / "recall.gif"
    t = pl.animate_recall(net, cue, path, shape=(10, 10), max_frames=12, rng=3)
    assert np.array_equal(t.final, x[2]) and t.converged
    with Image.open(path) as gif:
        assert 1 < gif.n_frames <= 12
        gif.seek(gif.n_frames - 1)
        last = np.asarray(gif.convert("L"))
    assert last.std() > 0
    assert [p.name for p in tmp_path.iterdir()] == ["recall.gif"]  # no temporary file left
    strip = pl.animate_recall(net, cue, tmp_path / "strip.gif", every=60, rng=3)
    assert np.array_equal(strip.final, x[2])
    with pytest.raises(ValueError, match="every >= "):
        pl.animate_recall(net, cue, tmp_path / "x.gif", every=1, max_frames=5, rng=3)
    with pytest.raises(ValueError, match=r"\.gif"):
        pl.animate_recall(net, cue, tmp_path / "x.png")
    with pytest.raises(ValueError, match="shape"):
        pl.animate_recall(net, cue, tmp_path / "x.gif", shape=(9, 10))

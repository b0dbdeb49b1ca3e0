"""Tests for the sparse (0/1, low-activity) Hopfield network and sparse patterns.

The capacity tests run at N = 1000 with at most 200 cues per load; each recall is a few
synchronous sweeps (a GEMM each), so the file runs in a few seconds.
"""

import numpy as np
import pytest

import hopfield as hf
from hopfield.dynamics import trajectory_energies_rise
from hopfield.models.sparse import (
    SparseHopfield,
    precision_recall,
    sparse_capacity,
    sparse_overlap,
)

N, A = 1000, 0.05


def _flip(x, fraction, rng):
    """Flip ``round(fraction N)`` bits of 0/1 patterns, through their ±1 form."""
    return ((hf.patterns.flip(2 * x - 1, fraction, rng=rng) + 1) // 2).astype(np.int8)


def _recalled(states, targets, max_wrong=0.01):
    return (states != targets).mean(axis=1) <= max_wrong


# -- patterns --------------------------------------------------------------------------------
def test_sparse_patterns_have_exactly_a_n_active_units():
    x = hf.patterns.sparse(50, 333, 0.1, rng=0)
    assert x.shape == (50, 333) and x.dtype == np.int8
    assert set(np.unique(x).tolist()) == {0, 1}
    assert (x.sum(axis=1) == 33).all()
    assert np.array_equal(x, hf.patterns.sparse(50, 333, 0.1, rng=0))
    assert not np.array_equal(x, hf.patterns.sparse(50, 333, 0.1, rng=1))
    # Every unit is equally likely to be active: per-unit rates scatter around a.
    rates = hf.patterns.sparse(4000, 20, 0.25, rng=2).mean(axis=0)
    assert np.abs(rates - 0.25).max() < 0.03
    with pytest.raises(ValueError, match="a"):
        hf.patterns.sparse(2, 10, 1.5)


# -- storage ---------------------------------------------------------------------------------
def test_covariance_weights_equal_the_naive_sum_and_store_is_incremental():
    x = hf.patterns.sparse(12, 40, 0.2, rng=3)
    naive = np.zeros((40, 40))
    for eta in x:
        for i in range(40):
            for j in range(40):
                if i != j:
                    naive[i, j] += (eta[i] - 0.2) * (eta[j] - 0.2)
    naive /= 40 * 0.2 * 0.8
    net = SparseHopfield(0.2).store(x)
    np.testing.assert_allclose(net.weights, naive, atol=1e-12)
    both = SparseHopfield(0.2).store(x[:5]).store(x[5:])
    np.testing.assert_allclose(both.weights, net.weights, atol=1e-12)
    assert np.array_equal(both.patterns, x)
    with pytest.raises(ValueError):
        net.weights[0, 1] = 1.0


def _pm1_reference(w4, bias, s, update, sweeps=30):
    """A naive ±1 network: ``s_i ← sign((W/4) s + b)_i``, keeping s_i on a tie.

    ``"async"`` visits neurons 0..N-1 in order, one at a time; returns the final states and
    the energy ``−½ sᵀ(W/4)s − b·s`` after every sweep. Fields within rounding of zero are
    ties (the covariance weights are multiples of 1/(N a (1 − a) · 100) here, so exact ties
    with θ = 0.4 occur).
    """
    tol = 1e-9 * (np.abs(w4).sum(axis=1).max() + np.abs(bias).max())
    s = s.astype(np.float64)
    energies = [-0.5 * np.einsum("ij,ij->i", s, s @ w4) - s @ bias]
    for _ in range(sweeps):
        if update == "sync":
            h = s @ w4 + bias
            s = np.where(h > tol, 1.0, np.where(h < -tol, -1.0, s))
        else:
            for i in range(s.shape[1]):
                h = s @ w4[:, i] + bias[i]
                s[:, i] = np.where(h > tol, 1.0, np.where(h < -tol, -1.0, s[:, i]))
        energies.append(-0.5 * np.einsum("ij,ij->i", s, s @ w4) - s @ bias)
    return s, np.stack(energies, axis=1)


def test_fixed_threshold_is_the_derived_pm1_network():
    """With s = 2η − 1 the network is a ±1 network with weights W/4 and bias W1/4 − θ/2."""
    theta, n = 0.4, 200
    x = hf.patterns.sparse(60, n, 0.1, rng=4)
    net = SparseHopfield(0.1, threshold=theta).store(x)
    w = net.weights
    bias = w.sum(axis=1) / 4 - theta / 2
    # The substitution's constant: E_01(η) = E_pm(s) − ⅛ 1ᵀW1 + θN/2.
    const = -w.sum() / 8 + theta * n / 2
    cues = _flip(x[:30], 0.05, rng=5)
    for update in ("async", "sync"):
        mine = net.recall(cues, update=update, order="sequential", max_steps=30)
        states, energies = _pm1_reference(w / 4, bias, 2 * cues - 1, update)
        # The engine stops a synchronous 2-cycle where the reference keeps alternating.
        run = ~mine.cycled
        assert run.sum() >= 25
        assert np.array_equal(2 * mine.states[run] - 1, states[run])
        t = mine.energies.shape[1]
        np.testing.assert_allclose(mine.energies[run], energies[run, :t] + const, atol=1e-9)
    pm = 2.0 * x - 1
    naive = -0.5 * np.einsum("ij,ij->i", pm, pm @ (w / 4)) - pm @ bias + const
    np.testing.assert_allclose(net.energy(x), naive, atol=1e-9)


def test_async_fixed_threshold_never_raises_the_energy_and_keeps_patterns():
    x = hf.patterns.sparse(40, 400, 0.1, rng=7)  # α = 0.1: every pattern a fixed point
    net = SparseHopfield(0.1, threshold=0.45).store(x)
    r = net.recall(_flip(x, 0.05, rng=8), update="async", rng=9)
    assert r.converged.all() and not trajectory_energies_rise(r.energies)
    assert np.array_equal(r.states, x)
    fixed = net.recall(x, update="async", rng=10)
    assert (fixed.steps == 0).all() and np.array_equal(fixed.states, x)


def test_kwta_holds_the_activity_at_a_and_recalls_from_noise():
    x = hf.patterns.sparse(300, N, A, rng=11)
    net = SparseHopfield(A).store(x)
    cues = _flip(x[:100], 0.05, rng=12)
    assert (cues.sum(axis=1) > 80).all()  # about 95 active units in a cue, not 50
    r = net.recall(cues)
    assert (r.states.sum(axis=1) == 50).all()
    assert np.array_equal(r.states, x[:100]) and r.converged.all()
    with pytest.raises(ValueError, match="update='sync'"):
        net.recall(cues, update="async")


def test_sparse_network_stores_far_beyond_the_dense_hebbian_network():
    """K = 300 = 0.3 N at a = 0.05, from 5% flipped bits: sparse recalls, dense ±1 fails.

    Measured (seeds below): the sparse network recalls 200/200 with ≤ 1% wrong bits; the
    dense Hebbian network recalls 0/200 random ±1 patterns (mean overlap 0.32), and 0/200 of
    the same sparse patterns written as ±1, which all fall into the all −1 state (±1 overlap
    0.9 with every pattern, sparse overlap 0).
    """
    k, b = 300, 200
    x = hf.patterns.sparse(k, N, A, rng=0)
    cues = _flip(x[:b], 0.05, rng=1)
    r = SparseHopfield(A).store(x).recall(cues)
    assert _recalled(r.states, x[:b]).mean() >= 0.9
    assert sparse_overlap(r.states, x[:b], A).diagonal().min() > 0.9

    dense = hf.patterns.random(k, N, rng=0)
    rd = hf.Hopfield().store(dense).recall(hf.patterns.flip(dense[:b], 0.05, rng=1), rng=2)
    assert _recalled(rd.states, dense[:b]).mean() <= 0.1
    assert hf.overlap(rd.states, dense[:b]).diagonal().mean() < 0.6

    pm = 2 * x - 1
    rs = hf.Hopfield().store(pm).recall(2 * cues - 1, rng=2)
    assert _recalled(rs.states, pm[:b]).mean() <= 0.1
    # The ±1 overlap is blind to this failure; the sparse overlap is not.
    eta = ((rs.states + 1) // 2).astype(np.int8)
    assert hf.overlap(rs.states, pm[:b]).diagonal().mean() > 0.8
    assert np.abs(sparse_overlap(eta, x[:b], A).diagonal()).max() < 0.1


def test_measured_capacity_against_tsodyks_feigelman():
    """Half-recall load at N = 1000: about 0.93 N at a = 0.05, 1.75 N at a = 0.02.

    Theory (a → 0, N → ∞): 1 / (2 a |ln a|) = 3.34 and 6.39. The finite network reaches about
    0.28 of it, but the growth with sparseness holds. Recalled: ≤ 1% wrong bits.
    """
    assert sparse_capacity(A) == pytest.approx(3.338, abs=1e-3)

    def fraction(a, alpha, b=200):
        x = hf.patterns.sparse(int(alpha * N), N, a, rng=13)
        r = SparseHopfield(a).store(x).recall(_flip(x[:b], 0.05, rng=14), max_steps=50)
        return _recalled(r.states, x[:b]).mean()

    assert fraction(A, 0.6) >= 0.9  # measured 1.0
    assert fraction(A, 1.2) <= 0.2  # measured 0.075: capacity between 0.6 N and 1.2 N
    assert fraction(0.02, 1.2) >= 0.9  # measured 1.0: sparser codes store more


def test_stochastic_updates_at_low_temperature_stay_at_a_pattern():
    x = hf.patterns.sparse(40, 400, 0.1, rng=7)
    net = SparseHopfield(0.1, threshold=0.45).store(x)
    r = net.recall(x[:10], update="stochastic", temperature=0.02, max_steps=5, rng=16)
    assert np.array_equal(r.states, x[:10])
    hot = net.recall(x[:10], update="stochastic", temperature=5.0, max_steps=5, rng=16)
    assert abs(hot.states.mean() - 0.5) < 0.1  # T far above the fields: coin flips


# -- measures --------------------------------------------------------------------------------
def test_sparse_overlap_and_precision_recall():
    x = hf.patterns.sparse(5, 200, 0.1, rng=17)
    m = sparse_overlap(x, x, 0.1)
    np.testing.assert_allclose(np.diag(m), 1.0)
    naive = np.array([[((p - 0.1) * s).sum() / (200 * 0.1 * 0.9) for p in x] for s in x])
    np.testing.assert_allclose(m, naive, atol=1e-12)
    noise = hf.patterns.sparse(500, 200, 0.1, rng=18)
    assert abs(sparse_overlap(noise, x[0], 0.1).mean()) < 0.02
    assert sparse_overlap(np.zeros(200, np.int8), x[0], 0.1) == 0.0
    half = x[0].copy()
    half[np.flatnonzero(half)[:10]] = 0  # lose half of the 20 active units
    half[np.flatnonzero(x[0] == 0)[:30]] = 1  # and fire 30 wrong ones
    assert precision_recall(half, x[0]) == (10 / 40, 10 / 20)
    p, r = precision_recall(np.stack([x[0], np.zeros(200, np.int8)]), x[:2])
    assert p.tolist() == [1.0, 1.0] and r.tolist() == [1.0, 0.0]


# -- interface -------------------------------------------------------------------------------
def test_single_cue_energy_and_state_round_trip():
    x = hf.patterns.sparse(10, 200, 0.1, rng=19)
    for threshold in ("kwta", 0.45):
        net = SparseHopfield(0.1, threshold=threshold).store(x)
        r = net.recall(x[3])
        assert r.states.shape == (200,) and np.array_equal(r.states, x[3])
        assert isinstance(net.energy(x[3]), float)
        params, arrays = net._state()
        back = SparseHopfield._from_state(params, arrays, source="mem")
        expected = f"SparseHopfield(a=0.1, threshold={threshold!r}, N=200, K=10)"
        assert repr(back) == repr(net) == expected
        np.testing.assert_array_equal(back.weights, net.weights)
        np.testing.assert_array_equal(back.energy(x), net.energy(x))
        np.testing.assert_array_equal(back.recall(x).states, net.recall(x).states)
    with pytest.raises(ValueError, match="path: f.npz"):
        SparseHopfield._from_state(params, {"weights": arrays["weights"][:5]}, source="f.npz")
    with pytest.raises(ValueError, match="path: f.npz"):
        SparseHopfield._from_state({"a": 2.0, "threshold": "kwta"}, arrays, source="f.npz")


X01 = np.array([[1, 0, 0, 0], [0, 1, 0, 0]])


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: SparseHopfield(0.0), ValueError, "a: expected a coding level"),
        (lambda: SparseHopfield(1.0), ValueError, "a: expected a coding level"),
        (lambda: SparseHopfield(-0.1), ValueError, "a: "),
        (lambda: SparseHopfield(True), TypeError, "a: "),
        (lambda: SparseHopfield("0.1"), TypeError, "a: "),
        (lambda: SparseHopfield(0.1, threshold="kwat"), ValueError, "did you mean 'kwta'"),
        (lambda: SparseHopfield(0.1, threshold=float("nan")), ValueError, "threshold"),
        (lambda: SparseHopfield(0.1, threshold=None), TypeError, "threshold"),
        (lambda: SparseHopfield(0.25).store([[1, -1, 1, -1]]), ValueError, "patterns: .*0 or 1"),
        (lambda: SparseHopfield(0.25).store([[0.5, 0, 0, 0]]), ValueError, "patterns"),
        (lambda: SparseHopfield(0.25).store(np.zeros((0, 4))), ValueError, "patterns"),
        (lambda: SparseHopfield(0.25).store(X01).store(np.eye(5)), ValueError, "patterns"),
        (lambda: SparseHopfield(0.01).store(X01), ValueError, "round\\(a N\\)"),
        (lambda: SparseHopfield(0.25).recall(X01), RuntimeError, "store"),
        (lambda: SparseHopfield(0.25).store(X01).recall([2, 0, 0, 0]), ValueError, "cues"),
        (lambda: SparseHopfield(0.25).store(X01).recall([1, 0, 0]), ValueError, "cues"),
        (lambda: SparseHopfield(0.25).store(X01).recall(X01, update="asnyc"), ValueError, "update"),
        (lambda: SparseHopfield(0.25).store(X01).energy([1, 0, 1]), ValueError, "states"),
        (lambda: sparse_overlap(X01, X01, 1.5), ValueError, "a: "),
        (lambda: sparse_overlap(X01, np.ones((2, 5), int), 0.25), ValueError, "states"),
        (lambda: precision_recall(X01, X01[0]), ValueError, "targets"),
    ],
)
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()

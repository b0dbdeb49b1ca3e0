"""Tests for the dense associative memory and its interaction functions."""

import numpy as np
import pytest

import hopfield as hf
from hopfield.functions import EXPONENTIAL, Exponential, Polynomial, RectifiedPolynomial
from hopfield.kernels import dense as kernel
from hopfield.models.dense import DenseAssociativeMemory

POLYS = [Polynomial(n) for n in range(1, 6)] + [RectifiedPolynomial(n) for n in range(1, 6)]
EXPS = [Exponential(0.1), Exponential(1.0), Exponential(30.0)]
ALL = POLYS + EXPS

# The four rows of XOR in ±1 coding, (x, y, z) with z = −x·y.
XOR = np.array([[x, y, -x * y] for x in (-1, 1) for y in (-1, 1)], dtype=np.int8)


def _energy(f, x, states):
    """The model's energy from the definition: −Σ_μ F(ξ^μ·σ), log scale for the exponential."""
    m = np.atleast_2d(states).astype(np.float64) @ x.T.astype(np.float64)
    return f.log_energy(m) if isinstance(f, Exponential) else f.energy(m)


def _naive_gap(f, x, state, i):
    up, down = state.copy(), state.copy()
    up[i], down[i] = 1, -1
    return float(_energy(f, x, down)[0] - _energy(f, x, up)[0])


def _naive_sweep(f, x, s, orders, uniforms, temperature, clamp, tol, active):
    """One asynchronous sweep neuron by neuron, each gap a difference of two energies."""
    s = s.copy()
    flips = np.zeros(len(s), dtype=np.int64)
    for c in np.flatnonzero(active):
        for i in orders[c]:
            if clamp[c, i]:
                continue
            gap = _naive_gap(f, x, s[c], i)
            if temperature > 0:
                new = 1 if uniforms[c, i] < 1 / (1 + np.exp(-gap / temperature)) else -1
            else:
                new = 1 if gap > tol else -1 if gap < -tol else s[c, i]
            flips[c] += new != s[c, i]
            s[c, i] = new
    return s, flips


def _random_states(rng, b, n, unknown=0.0):
    s = rng.choice(np.array([-1, 1], dtype=np.int8), size=(b, n))
    s[rng.random((b, n)) < unknown] = 0
    return s


# -- interaction functions ------------------------------------------------------------------
def test_functions_values_and_derivatives():
    x = np.array([-3.0, -0.5, 0.0, 2.0])
    assert np.array_equal(Polynomial(3)(x), x**3)
    assert np.array_equal(RectifiedPolynomial(2)(x), np.maximum(x, 0) ** 2)
    assert np.allclose(Exponential(0.5)(x), np.exp(0.5 * x))
    for f in (Polynomial(3), RectifiedPolynomial(4), Exponential(0.7)):
        h = 1e-6
        numeric = (f(x + h) - f(x - h)) / (2 * h)
        assert np.allclose(f.derivative(x), numeric, rtol=1e-6, atol=1e-6)


def test_exponential_sums_do_not_overflow():
    # N = 1000, beta = 1: the raw sums exp(1000) are beyond float64.
    f = Exponential(1.0)
    a = np.array([[1000.0, 990.0, -1000.0]])
    b = a - 2.0
    with np.errstate(over="raise", invalid="raise"):
        assert np.allclose(f.log_energy(a), -(1000 + np.log1p(np.exp(-10.0) + np.exp(-2000.0))))
        assert np.allclose(f.log_gap(a, b), 2.0)
        assert f.gap(a, b)[0] == np.inf and f.gap(b, a)[0] == -np.inf
        assert f.energy(a)[0] == -np.inf
    small = np.array([1.0, 2.0])
    assert np.isclose(f.gap(small, small - 1), np.sum(np.exp(small) - np.exp(small - 1)))
    assert np.isclose(f.energy(small), -np.sum(np.exp(small)))


# -- the gap of every neuron at once equals the naive definition ------------------------------
@pytest.mark.parametrize("f", ALL, ids=repr)
def test_batch_gaps_equal_naive(f):
    rng = np.random.default_rng(0)
    x = hf.patterns.random(37, 23, rng=rng)
    dam = DenseAssociativeMemory(f).store(x)
    s = _random_states(rng, 9, 23, unknown=0.2)
    gap, energy = dam._gap_and_energy(s.astype(np.float64))
    ref = np.array([[_naive_gap(f, x, state, i) for i in range(23)] for state in s])
    scale = np.abs(ref).max()
    np.testing.assert_allclose(gap, ref, rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_allclose(energy, _energy(f, x, s), rtol=1e-12)


def test_exponential_gaps_at_large_n_stay_finite_and_exact():
    rng = np.random.default_rng(1)
    x = hf.patterns.random(50, 1000, rng=rng)
    f = Exponential(1.0)
    dam = DenseAssociativeMemory(f).store(x)
    s = np.concatenate([hf.patterns.flip(x[:2], 0.05, rng=rng), _random_states(rng, 2, 1000)])
    with np.errstate(over="raise", invalid="raise"):
        gap, energy = dam._gap_and_energy(s.astype(np.float64))
        r = dam.recall(s, rng=2)
    assert np.isfinite(gap).all() and np.isfinite(energy).all()
    for c, i in [(0, 0), (1, 500), (2, 999), (3, 7)]:
        assert gap[c, i] == pytest.approx(_naive_gap(f, x, s[c], i), rel=1e-9, abs=1e-9)
    assert np.array_equal(r.states[:2], x[:2])


# -- the asynchronous kernel equals a neuron-by-neuron reference ------------------------------
@pytest.mark.parametrize("f", ALL, ids=repr)
@pytest.mark.parametrize("stochastic", [False, True])
def test_async_kernel_equals_naive(f, stochastic):
    rng = np.random.default_rng(2)
    b, n, k = 5, 16, 40
    x = hf.patterns.random(k, n, rng=rng)
    dam = DenseAssociativeMemory(f).store(x)
    s = _random_states(rng, b, n)
    m = s.astype(np.float64) @ x.T.astype(np.float64)
    clamp = rng.random((b, n)) < 0.2
    active = np.array([True, True, False, True, True])
    tol = dam._tie_tol()
    if stochastic:
        gaps, _ = dam._gap_and_energy(s.astype(np.float64))
        temperature = 0.5 if isinstance(f, Exponential) else float(np.median(np.abs(gaps)))
    else:
        temperature = 0.0
    code, deg, beta = f._kernel_args()
    for _ in range(3):
        orders = np.argsort(rng.random((b, n)), axis=1)
        uniforms = rng.random((b, n))
        ref, ref_flips = _naive_sweep(f, x, s, orders, uniforms, temperature, clamp, tol, active)
        flips = np.full(b, -1, dtype=np.int64)
        kernel.async_sweep(
            dam._xt,
            code,
            deg,
            beta,
            s,
            m,
            orders,
            uniforms,
            temperature,
            clamp,
            tol,
            active,
            flips,
        )
        assert np.array_equal(s, ref)
        assert np.array_equal(flips[active], ref_flips[active]) and flips[2] == 0
        np.testing.assert_allclose(m, s.astype(np.float64) @ x.T, atol=1e-9)


@pytest.mark.parametrize(
    "f", [Polynomial(2), Polynomial(3), RectifiedPolynomial(4), Exponential(0.2)], ids=repr
)
def test_energy_never_rises_under_async(f):
    x = hf.patterns.random(60, 40, rng=3)
    dam = DenseAssociativeMemory(f).store(x)
    cues = _random_states(np.random.default_rng(4), 16, 40)
    r = dam.recall(cues, update="async", max_sweeps=50, rng=5)
    assert r.converged.all()
    tol = dam._tie_tol()
    assert (np.diff(r.energies, axis=1) <= tol).all()
    assert np.allclose(r.energies[:, -1], dam.energy(r.states))
    assert hf.is_fixed_point(dam, r.states).all()


# -- known special cases ----------------------------------------------------------------------
@pytest.mark.parametrize("update", ["async", "sync", "stochastic"])
def test_n2_is_the_classical_hebbian_network(update):
    n, k = 64, 6
    x = hf.patterns.random(k, n, rng=6)
    cues = hf.patterns.mask(hf.patterns.flip(x, 0.25, rng=7), 0.1, rng=8)
    dam = DenseAssociativeMemory(Polynomial(2)).store(x)
    net = hf.Hopfield("hebbian").store(x)
    # gap_dense = 4 Σ_{j≠i} (XᵀX)_ij σ_j = 2N · 2h_i = 2N gap_Hopfield, so T scales by 2N too.
    t_dense, t_net = (2 * n * 0.3, 0.3) if update == "stochastic" else (None, None)
    a = dam.recall(cues, update=update, temperature=t_dense, rng=9)
    b = net.recall(cues, update=update, temperature=t_net, rng=9)
    assert np.array_equal(a.states, b.states)
    assert np.array_equal(a.steps, b.steps)
    # −Σ_μ (ξ^μ·σ)² = −σᵀ(XᵀX)σ = −(N σᵀWσ + KN) = 2N E_Hopfield − KN
    np.testing.assert_allclose(a.energies, 2 * n * b.energies - k * n, rtol=1e-12)


def test_n3_energy_is_the_three_body_form():
    x = hf.patterns.random(5, 6, rng=10).astype(np.float64)
    t = np.einsum("ki,kj,kl->ijl", x, x, x)
    states = np.array(np.meshgrid(*[[-1, 1]] * 6)).reshape(6, -1).T
    three_body = -np.einsum("ijl,bi,bj,bl->b", t, states, states, states)
    dam = DenseAssociativeMemory(Polynomial(3)).store(x)
    np.testing.assert_allclose(dam.energy(states), three_body, rtol=1e-12)


def _xor_completions(f):
    """The third bit recalled from (x, y, ±1) with x, y clamped: (4 rows, 2 starts)."""
    dam = DenseAssociativeMemory(f).store(XOR)
    cues = np.concatenate([XOR, XOR * np.array([1, 1, -1], dtype=np.int8)])
    r = dam.recall(cues, clamp=np.array([True, True, False]), rng=11)
    return dam, r.states[:, 2].reshape(2, 4).T


@pytest.mark.parametrize(
    "f",
    [Polynomial(3), Polynomial(5), Exponential(1.0)]
    + [RectifiedPolynomial(n) for n in (2, 3, 4, 5)],
    ids=repr,
)
def test_xor_is_completed(f):
    _, z = _xor_completions(f)
    assert np.array_equal(z, np.repeat(XOR[:, 2:], 2, axis=1))


@pytest.mark.parametrize(
    "f", [Polynomial(1), Polynomial(2), Polynomial(4), RectifiedPolynomial(1)], ids=repr
)
def test_xor_is_out_of_reach_when_the_energy_ignores_z(f):
    # The columns of the XOR table are orthogonal, so for x, xy-linear terms (n = 1, 2) and for
    # the odd-in-overlap terms of even n the contributions of z cancel: E(x, y, +1) = E(x, y, −1)
    # and a tie keeps z wherever it started (each row is right from exactly one start).
    dam, z = _xor_completions(f)
    flipped = XOR * np.array([1, 1, -1], dtype=np.int8)
    np.testing.assert_allclose(dam.energy(XOR), dam.energy(flipped), atol=1e-12)
    assert np.array_equal(z, np.stack([XOR[:, 2], flipped[:, 2]], axis=1))


# -- capacity ---------------------------------------------------------------------------------
@pytest.mark.parametrize("degree, reached", [(3, False), (5, True)])
def test_krotov_hopfield_capacity_story(degree, reached):
    # Krotov & Hopfield (2016): N = 100, K = 2000 memories, random starts. n = 3 never reaches
    # a memory, n = 5 always does. 24 starts here (the paper's claim is about all starts).
    x = hf.patterns.random(2000, 100, rng=12)
    dam = DenseAssociativeMemory(Polynomial(degree)).store(x)
    starts = hf.patterns.random(24, 100, rng=13)
    r = dam.recall(starts, max_sweeps=30, rng=14)
    best = np.abs(hf.overlap(r.states, x)).max(axis=1)
    assert r.converged.all()
    assert (best == 1.0).all() if reached else (best < 1.0).all()


def test_exponential_stores_two_to_the_half_n():
    # Demircigil et al. (2017): about 2^{N/2} random patterns are fixed points at β = 1.
    x = hf.patterns.random(2**10, 20, rng=15)
    dam = DenseAssociativeMemory(Exponential(1.0)).store(x)
    assert hf.is_fixed_point(dam, x).mean() >= 0.95


def test_exponential_one_sweep_recovers_ten_percent_flips():
    # N = 30, K = 400, cues 3 bits away: one synchronous update of every unit. K is beyond the
    # asymptotic bound e^{N I(0.8)/2} ≈ 250, so most (not all) cues are recovered.
    x = hf.patterns.random(400, 30, rng=16)
    dam = DenseAssociativeMemory(Exponential(1.0)).store(x)
    cues = hf.patterns.flip(x, 0.1, rng=17)
    r = dam.recall(cues, update="sync", max_sweeps=1)
    assert (r.states == x).all(axis=1).mean() >= 0.97  # measured 0.9875


# -- the model's interface --------------------------------------------------------------------
def test_store_adds_patterns_and_state_round_trips():
    x = hf.patterns.random(10, 30, rng=18)
    dam = DenseAssociativeMemory(Exponential(0.5)).store(x[:4]).store(x[4:])
    assert np.array_equal(dam.patterns, x)
    with pytest.raises(ValueError):
        dam.patterns[0, 0] = 1
    params, arrays = dam._state()
    back = DenseAssociativeMemory._from_state(params, arrays, source="mem")
    assert back.interaction == dam.interaction and back._args[0] == EXPONENTIAL
    assert np.array_equal(back.energy(x), dam.energy(x))
    assert repr(back) == "DenseAssociativeMemory(interaction=Exponential(beta=0.5), N=30, K=10)"


def test_single_cue_and_unknown_bits():
    x = hf.patterns.random(40, 50, rng=19)
    dam = DenseAssociativeMemory().store(x)
    r = dam.recall(hf.patterns.mask(x[3], 0.3, rng=20), rng=21)
    assert r.states.shape == (50,) and np.array_equal(r.states, x[3])
    assert isinstance(dam.energy(x[3]), float)


def test_bad_input():
    with pytest.raises(ValueError, match="n"):
        Polynomial(0)
    with pytest.raises(TypeError, match="n"):
        RectifiedPolynomial(2.5)
    for beta in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="beta"):
            Exponential(beta)
    with pytest.raises(TypeError, match="interaction"):
        DenseAssociativeMemory("poly")
    dam = DenseAssociativeMemory(Polynomial(3))
    with pytest.raises(RuntimeError, match="store"):
        dam.recall([1, -1])
    with pytest.raises(ValueError, match="±1"):
        dam.store([[1, 0, 1], [1, 1, -1]])
    dam.store([[1, -1, 1]])
    with pytest.raises(ValueError, match="patterns"):
        dam.store([[1, -1, 1, 1]])
    with pytest.raises(ValueError, match="cues"):
        dam.recall([[1, -1]])
    with pytest.raises(ValueError, match="states"):
        dam.energy([1, 1])
    with pytest.raises(ValueError, match="overflows"):
        DenseAssociativeMemory(Polynomial(200)).store(hf.patterns.random(2, 100, rng=0))
    with pytest.raises(ValueError, match="did you mean 'async'"):
        dam.recall([1, -1, 1], update="asinc")

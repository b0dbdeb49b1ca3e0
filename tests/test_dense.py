"""Tests for the dense associative memory and its interaction functions."""

import numpy as np
import pytest
from scipy.special import logsumexp

import hopfield as hf
from hopfield.functions import EXPONENTIAL, Exponential, Polynomial, RectifiedPolynomial
from hopfield.kernels import dense as kernel
from hopfield.models.dense import DenseAssociativeMemory

POLYS = (
    [Polynomial(n) for n in (*range(1, 6), 20, 30)]
    + [RectifiedPolynomial(n) for n in range(1, 6)]
    + [RectifiedPolynomial(20)]
)
EXPS = [Exponential(0.1), Exponential(1.0), Exponential(30.0)]
ALL = POLYS + EXPS

# The four rows of XOR in ±1 coding, (x, y, z) with z = −x·y.
XOR = np.array([[x, y, -x * y] for x in (-1, 1) for y in (-1, 1)], dtype=np.int8)


def _energy(f, x, states):
    """The model's energy from the definition: −Σ_μ F(ξ^μ·σ), log scale for the exponential."""
    m = np.atleast_2d(states).astype(np.float64) @ x.T.astype(np.float64)
    return f.log_energy(m) if isinstance(f, Exponential) else f.energy(m)


def _exact_poly_energy(f, x, state):
    """−Σ_μ F(ξ^μ·σ) in Python integers: exact at any degree."""
    m = [int(v) for v in x.astype(np.int64) @ state.astype(np.int64)]
    if isinstance(f, RectifiedPolynomial):
        m = [max(v, 0) for v in m]
    return -sum(v**f.n for v in m)


def _naive_gap(f, x, state, i):
    """E(σ_i = −1) − E(σ_i = +1) from two energies: exact for polynomials; for the
    exponential, zero when within 1e-9 of the energies (the reference's own rounding)."""
    up, down = state.copy(), state.copy()
    up[i], down[i] = 1, -1
    if not isinstance(f, Exponential):
        return float(_exact_poly_energy(f, x, down) - _exact_poly_energy(f, x, up))
    e_down, e_up = _energy(f, x, down)[0], _energy(f, x, up)[0]
    gap = float(e_down - e_up)
    return 0.0 if abs(gap) <= 1e-9 * (1 + abs(e_down) + abs(e_up)) else gap


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
                with np.errstate(over="ignore"):
                    p_plus = 1 / (1 + np.exp(-gap / temperature))
                new = 1 if uniforms[c, i] < p_plus else -1
            else:
                new = 1 if gap > tol else -1 if gap < -tol else s[c, i]
            flips[c] += new != s[c, i]
            s[c, i] = new
    return s, flips


def _lse_gaps(beta, x, s):
    """Log-scale gaps of every neuron from two scipy log-sum-exps each, and whether each is an
    exact tie: the same multiset of candidate overlaps for σ_i = +1 and σ_i = −1 (e^β is
    transcendental, so nothing else gives equal sums)."""
    x, s = x.astype(np.float64), s.astype(np.float64)
    m = s @ x.T
    gap, tie = np.empty(s.shape), np.empty(s.shape, dtype=bool)
    for i in range(s.shape[1]):
        r = m - s[:, i : i + 1] * x[:, i]
        plus, minus = r + x[:, i], r - x[:, i]
        gap[:, i] = (logsumexp(beta * plus, axis=1) - logsumexp(beta * minus, axis=1)) / beta
        tie[:, i] = (np.sort(plus, axis=1) == np.sort(minus, axis=1)).all(axis=1)
    return gap, tie


def _kernel_sweep(dam, s, m, orders, uniforms, temperature, clamp, tol, active, flips):
    code, n, beta = dam.interaction._kernel_args()
    args = (s, m, orders, uniforms, temperature, clamp, tol, active, flips)
    kernel.async_sweep(dam._xt, code, n, beta, *args)


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
    # Every exact tie is a zero gap; a real gap is taken for a tie only below 1e-11 of the
    # size of the cue's terms, where float64 can no longer resolve it.
    assert (gap[ref == 0] == 0).all()
    if not isinstance(f, Exponential):
        m = s.astype(np.float64) @ x.T
        size = (np.abs(f(m - 2)) + np.abs(f(m)) + np.abs(f(m + 2))).sum(axis=1)
        assert (np.abs(ref) <= 1e-11 * size[:, None])[gap == 0].all()


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
    for _ in range(3):
        orders = np.argsort(rng.random((b, n)), axis=1)
        uniforms = rng.random((b, n))
        ref, ref_flips = _naive_sweep(f, x, s, orders, uniforms, temperature, clamp, tol, active)
        flips = np.full(b, -1, dtype=np.int64)
        _kernel_sweep(dam, s, m, orders, uniforms, temperature, clamp, tol, active, flips)
        assert np.array_equal(s, ref)
        assert np.array_equal(flips[active], ref_flips[active]) and flips[2] == 0
        np.testing.assert_allclose(m, s.astype(np.float64) @ x.T, atol=1e-9)


def _exp_states(x, rng):
    """Cues that make the memories near the top overlap compete: stored patterns with 0 to 2
    bits flipped, mixtures of two patterns with overlaps 0, 2 or 4 apart, random states, and
    all of them again with unknown (0) bits."""
    k, n = x.shape
    near = x[rng.integers(0, k, 8)].copy()
    for row in near:
        row[rng.choice(n, size=rng.integers(0, 3), replace=False)] *= -1
    mixed = []
    for apart in (0, 2, 4, 2, 0, 4, 2, 4):
        # On the bits D where ξ^a and ξ^b differ, take t from a: m_a − m_b = 2(2t − |D|), so
        # the parity of |D| decides which distances a pair can have.
        a, b = rng.choice(k, size=2, replace=False)
        while (np.count_nonzero(x[a] != x[b]) + apart // 2) % 2:
            a, b = rng.choice(k, size=2, replace=False)
        differ = rng.permutation(np.flatnonzero(x[a] != x[b]))
        t = (len(differ) + apart // 2) // 2
        row = x[a].copy()
        row[differ[t:]] = x[b, differ[t:]]
        mixed.append(row)
    s = np.concatenate([near, mixed, _random_states(rng, 8, n)])
    return np.concatenate([s, np.where(rng.random(s.shape) < 0.2, 0, s).astype(np.int8)])


# (N, K): exact ties; many memories level with the top; overlaps near 1000.
EXP_SIZES = [(8, 6), (12, 60), (1000, 30)]


@pytest.mark.parametrize("beta", [1.0, 200.0, 400.0, 2000.0, 1e4])
@pytest.mark.parametrize("n, k", EXP_SIZES)
def test_exponential_gaps_equal_logsumexp_at_any_beta(beta, n, k):
    # exp(β(m − top)) underflows for memories 2 or 4 below the top from β ≈ 186 on, yet a flip
    # can bring them level with or above the top memory: the gap is then about ±log 2 / β, and
    # a wrong one is off by 2 with the wrong sign.
    rng = np.random.default_rng(int(beta) + n)
    x = hf.patterns.random(k, n, rng=rng)
    s = _exp_states(x, rng)
    gap, _ = DenseAssociativeMemory(Exponential(beta)).store(x)._gap_and_energy(s.astype(float))
    ref, tie = _lse_gaps(beta, x, s)
    np.testing.assert_allclose(gap, ref, rtol=0, atol=1e-9)
    assert (gap[tie] == 0).all()
    resolved = ~tie & (np.abs(ref) > 1e-9)
    assert (np.sign(gap) == np.sign(ref))[resolved].all()
    # Gaps other than ±2, where a second memory within 4 of the top counts: underflow lost it.
    assert (resolved & (np.abs(np.abs(ref) - 2) > 1e-6)).any()


@pytest.mark.parametrize("beta", [1.0, 400.0, 1e4])
@pytest.mark.parametrize("n, k", EXP_SIZES)
def test_exponential_async_kernel_equals_logsumexp_at_any_beta(beta, n, k):
    # One row per (state, neuron) with every other neuron clamped: each row's sweep decides
    # one neuron from the kernel's own gap. At T = 0 the decision is the sign (a tie keeps the
    # state); at T = 1 with the draw u = 1/(1 + exp(−(ref ∓ ε))) the neuron takes +1 exactly
    # when gap > ref − ε and −1 exactly when gap <= ref + ε, which brackets the value.
    rng = np.random.default_rng(int(beta) + n + 1)
    x = hf.patterns.random(k, n, rng=rng)
    s = _exp_states(x, rng)[::3]
    ref, tie = _lse_gaps(beta, x, s)
    rows = np.repeat(s, n, axis=0)
    free = np.tile(np.arange(n), len(s))
    clamp = np.ones(rows.shape, dtype=bool)
    clamp[np.arange(len(rows)), free] = False
    ref, tie = ref.ravel(), tie.ravel()
    order = np.ascontiguousarray(np.broadcast_to(np.arange(n), rows.shape))
    dam = DenseAssociativeMemory(Exponential(beta)).store(x)

    def decide(temperature, target):
        states = rows.copy()
        m = states.astype(np.float64) @ x.T.astype(np.float64)
        uniforms = np.zeros(rows.shape)
        uniforms[np.arange(len(rows)), free] = 1 / (1 + np.exp(-target))
        active, flips = np.ones(len(rows), dtype=bool), np.zeros(len(rows), dtype=np.int64)
        _kernel_sweep(dam, states, m, order, uniforms, temperature, clamp, 0.0, active, flips)
        return states[np.arange(len(rows)), free]

    old = rows[np.arange(len(rows)), free]
    expected = np.where(tie, old, np.sign(ref).astype(np.int8))
    resolved = tie | (np.abs(ref) > 1e-9)
    assert np.array_equal(decide(0.0, ref)[resolved], expected[resolved])
    assert (decide(1.0, ref - 1e-9) == 1).all()
    assert (decide(1.0, ref + 1e-9) == -1).all()


@pytest.mark.parametrize("update", ["async", "sync"])
def test_exponential_at_large_beta_sees_memories_a_flip_brings_to_the_top(update):
    # σ is stored once and σ with bit 3 flipped twice: flipping bit 3 takes the energy from
    # −(6 + log(1 + 2e^{−2β})/β) to −(6 + log(2 + e^{−2β})/β), about −6.0017 at β = 400. The
    # two memories 2 below the top weigh e^{−800}, which underflows: they must still count.
    sigma = hf.patterns.random(1, 6, rng=40)[0]
    other = sigma.copy()
    other[3] *= -1
    dam = DenseAssociativeMemory(Exponential(400.0)).store([sigma, other, other])
    assert dam.energy(sigma) == pytest.approx(-6.0, abs=1e-12)
    assert dam.energy(other) == pytest.approx(-6.0 - np.log(2) / 400, abs=1e-12)
    assert not hf.is_fixed_point(dam, sigma)
    r = dam.recall(sigma, update=update, rng=41)
    assert np.array_equal(r.states, other) and r.flips == 1 and r.converged


@pytest.mark.parametrize("degree", [20, 30])
def test_high_degree_polynomials_recall(degree):
    # Krotov & Hopfield (2016) used n = 20 and 30. Gaps of a random state are far below the
    # largest possible gap K (F(N) − F(N − 2)); ties must be judged against the cue's own terms
    # or nothing ever moves. N = 100, K = 50.
    x = hf.patterns.random(50, 100, rng=43)
    dam = DenseAssociativeMemory(Polynomial(degree)).store(x)
    starts = hf.patterns.random(20, 100, rng=44)
    assert not hf.is_fixed_point(dam, starts).any()
    r = dam.recall(starts, rng=45)
    assert r.converged.all() and not hf.dynamics.trajectory_energies_rise(r.energies)
    assert (np.abs(hf.overlap(r.states, x)).max(axis=1) == 1.0).all()
    cues = hf.patterns.flip(x[:20], 0.1, rng=46)
    for update in ("async", "sync"):
        assert np.array_equal(dam.recall(cues, update=update, rng=47).states, x[:20])


@pytest.mark.parametrize(
    "f", [Polynomial(2), Polynomial(3), RectifiedPolynomial(4), Exponential(0.2)], ids=repr
)
def test_energy_never_rises_under_async(f):
    x = hf.patterns.random(60, 40, rng=3)
    dam = DenseAssociativeMemory(f).store(x)
    cues = _random_states(np.random.default_rng(4), 16, 40)
    r = dam.recall(cues, update="async", max_steps=50, rng=5)
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
    r = dam.recall(starts, max_steps=30, rng=14)
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
    r = dam.recall(cues, update="sync", max_steps=1)
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


@pytest.mark.parametrize("f", [RectifiedPolynomial(3), Exponential(0.1)], ids=repr)
def test_memories_are_held_once_as_float(f):
    # int8 X, its int8 transpose for the asynchronous kernel, and one float32 X for the
    # products: 6 bytes per entry, where float64 copies took 10 (polynomial) or 26 (exp).
    k, n = 300, 64
    x = hf.patterns.random(k, n, rng=48)
    dam = DenseAssociativeMemory(f).store(x)
    held = [a for a in vars(dam).values() if isinstance(a, np.ndarray)]
    assert sum(a.nbytes for a in held) == 6 * k * n
    assert not any(a.dtype == np.float64 and a.size >= k * n for a in held)


@pytest.mark.parametrize("dtype", [np.int8, np.float64])
def test_store_keeps_its_own_copy_of_the_patterns(dtype):
    x = hf.patterns.random(10, 40, rng=49)
    given = x.astype(dtype)
    dam = DenseAssociativeMemory(Polynomial(3)).store(given)
    given[:] = 1
    assert np.array_equal(dam.patterns, x)
    r = dam.recall(hf.patterns.flip(x, 0.1, rng=50), rng=51)
    assert np.array_equal(r.states, x)


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

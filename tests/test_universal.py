"""Tests for universal Hopfield networks (Millidge et al. 2022) and the natural-image patches.

The image experiment stores 200 patches of 16×16 pixels (N = 256); manhattan scores are a
(200, 200, 256) computation per recall, so the whole file runs in a few seconds.
"""

import numpy as np
import pytest

import hopfield as hf
from hopfield.datasets import natural_images
from hopfield.models import universal
from hopfield.models.dense import DenseAssociativeMemory
from hopfield.models.modern import ModernHopfield
from hopfield.models.universal import SEPARATIONS, SIMILARITIES, UniversalMemory


# -- known models as special cases -----------------------------------------------------------
@pytest.mark.parametrize("dtype, atol", [(np.float32, 1e-6), (np.float64, 1e-12)])
@pytest.mark.parametrize("separation", ["softmax", "sparsemax"])
def test_dot_softmax_is_the_modern_hopfield_network(dtype, atol, separation):
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((40, 32)) / np.sqrt(32)).astype(dtype)
    q = rng.standard_normal((9, 32)).astype(dtype)
    beta = 3.0
    mine = UniversalMemory("dot", separation, beta=beta).store(x)
    ref = ModernHopfield(beta, separation=separation).store(x)
    for steps in (1, 5):
        a = mine.recall(q, max_steps=steps, tol=0.0)
        b = ref.recall(q, max_steps=steps, tol=0.0)
        np.testing.assert_allclose(a.states, b.states, atol=atol, rtol=0)
        assert a.states.dtype == dtype
    vals = rng.standard_normal((40, 3)).astype(dtype)
    a = UniversalMemory("dot", separation, beta=beta).store(x, vals).recall(q)
    b = ModernHopfield(beta, separation=separation).store(x, vals).recall(q)
    np.testing.assert_allclose(a.states, b.states, atol=10 * atol, rtol=0)


def test_dot_identity_is_one_hebbian_step_plus_the_self_coupling():
    """``MᵀM σ = N W σ + K σ``: signs match a synchronous Hebbian step where |N (Wσ)_i| > K."""
    k, n = 30, 200
    x = hf.patterns.random(k, n, rng=1)
    cues = hf.patterns.flip(x, 0.3, rng=2)
    raw = UniversalMemory("dot", "identity").store(x.astype(np.float64)).recall(cues).states
    net = hf.Hopfield().store(x)
    field = cues @ net.weights
    np.testing.assert_allclose(raw, n * field + k * cues, atol=1e-9)
    step = net.recall(cues, update="sync", max_steps=1).states
    nh = np.rint(n * field)  # N W σ is an integer; rint removes rounding
    clear = np.abs(nh) > k
    assert clear.mean() > 0.8
    assert np.array_equal(np.sign(raw)[clear], step[clear])
    # Where the self-coupling K σ_i outweighs the field it keeps the cue's bit: not Hebb's step.
    weak = np.abs(nh) < k
    assert (np.sign(raw)[weak] != step[weak]).any()
    assert np.array_equal(np.sign(raw)[weak], cues[weak])


@pytest.mark.parametrize("degree", [2, 3])
def test_dot_polynomial_is_the_dense_energy_gradient(degree):
    """``Σ_μ ξ^μ (ξ^μ·σ)ⁿ = −∇E / (n + 1)`` for ``E(σ) = −Σ_μ (ξ^μ·σ)^{n+1}``."""
    rng = np.random.default_rng(3)
    x = hf.patterns.random(20, 50, rng=4).astype(np.float64)
    s = rng.uniform(-1, 1, (4, 50))
    mem = UniversalMemory("dot", "polynomial", degree=degree).store(x)
    out = mem.recall(s).states
    naive = np.array([sum(xi * (xi @ si) ** degree for xi in x) for si in s])
    np.testing.assert_allclose(out, naive, rtol=1e-12)
    f = hf.Polynomial(degree + 1)
    h = 1e-5
    for i in (0, 17, 49):
        e = np.eye(50)[i] * h
        grad = -(f((s + e) @ x.T).sum(1) - f((s - e) @ x.T).sum(1)) / (2 * h)
        np.testing.assert_allclose(out[:, i], -grad / (degree + 1), rtol=1e-6)


@pytest.mark.parametrize("degree", [2, 3])
def test_polynomial_sign_step_against_the_dense_memory(degree):
    """The dense memory's update is an energy difference with neuron i left out, not the
    gradient: the two agree on every neuron near memories at low load (K = 50, N = 100,
    10% flipped) and part ways at high load (K = 200, 30% flipped), where the self-terms
    grow: measured agreement 0.973 (degree 2) and 0.809 (degree 3)."""
    x = hf.patterns.random(50, 100, rng=0)
    dam = DenseAssociativeMemory(hf.Polynomial(degree + 1)).store(x)
    mem = UniversalMemory("dot", "polynomial", degree=degree).store(x.astype(np.float64))
    cues = hf.patterns.flip(x, 0.1, rng=1)
    step = dam.recall(cues, update="sync", max_steps=1).states
    assert np.array_equal(np.sign(mem.recall(cues).states), step)
    assert np.array_equal(step, x)

    x = hf.patterns.random(200, 100, rng=0)
    dam = DenseAssociativeMemory(hf.Polynomial(degree + 1)).store(x)
    mem = UniversalMemory("dot", "polynomial", degree=degree).store(x.astype(np.float64))
    cues = hf.patterns.flip(x[:100], 0.3, rng=1)
    agree = np.sign(mem.recall(cues).states) == dam.recall(cues, update="sync", max_steps=1).states
    assert 0.7 < agree.mean() < 0.99


# -- the parts -------------------------------------------------------------------------------
def _naive_similarity(kind, m, q):
    if kind == "dot":
        return m @ q
    if kind == "cosine":
        return m @ q / (np.linalg.norm(m) * np.linalg.norm(q))
    if kind == "euclidean":
        return -np.linalg.norm(m - q)
    return -np.abs(m - q).sum()


@pytest.mark.parametrize("kind", SIMILARITIES)
def test_similarities_equal_the_naive_formulas_on_known_components(kind, monkeypatch):
    monkeypatch.setattr(universal, "_BUDGET", 64)  # manhattan in blocks of one query
    rng = np.random.default_rng(5)
    x = rng.standard_normal((7, 12))
    q = rng.standard_normal((5, 12))
    known = rng.random((5, 12)) < 0.6
    mem = UniversalMemory(kind).store(x)
    got = mem.similarities(q)
    want = np.array([[_naive_similarity(kind, m, qi) for m in x] for qi in q])
    np.testing.assert_allclose(got, want, atol=1e-10)
    got = mem.similarities(q, clamp=known)
    want = [
        [_naive_similarity(kind, m[k], qi[k]) for m in x] for qi, k in zip(q, known, strict=True)
    ]
    np.testing.assert_allclose(got, want, atol=1e-10)
    assert mem.similarities(q[0]).shape == (7,)


def test_separations_weights():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((30, 10))
    q = rng.standard_normal((8, 10))
    z = 2.0 * (q @ x.T)
    for sep in ("softmax", "sparsemax"):
        w = UniversalMemory("dot", sep, beta=2.0).store(x).weights(q)
        assert w.shape == (8, 30) and (w >= 0).all()
        np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-12)
    sparse = UniversalMemory("dot", "sparsemax", beta=2.0).store(x).weights(q)
    assert (sparse == 0).any(axis=1).all()  # exact zeros, unlike softmax
    hot = UniversalMemory("dot", "max", beta=2.0).store(x).weights(q)
    assert np.array_equal(hot, np.eye(30)[z.argmax(axis=1)])
    np.testing.assert_allclose(UniversalMemory("dot", "identity", beta=2.0).store(x).weights(q), z)
    poly = UniversalMemory("dot", "polynomial", beta=2.0, degree=3).store(x).weights(q)
    np.testing.assert_allclose(poly, z**3)


def test_known_components_are_held_and_the_rest_completed():
    rng = np.random.default_rng(7)
    x = rng.random((50, 64))
    top = np.arange(64) < 32
    query = np.where(top, x[9], 0.0)
    r = UniversalMemory("euclidean", "max").store(x).recall(query, clamp=top)
    np.testing.assert_allclose(r.states, x[9])
    noisy = x[9] + np.where(top, 0.05 * rng.standard_normal(64), 0.0)
    r = UniversalMemory("euclidean", "softmax", beta=50.0).store(x).recall(noisy, clamp=top)
    np.testing.assert_array_equal(r.states[top], noisy[top])
    np.testing.assert_allclose(r.states[~top], x[9][~top], atol=1e-3)


def test_hetero_association_multi_step_and_recall_fields():
    rng = np.random.default_rng(8)
    keys = rng.standard_normal((20, 16))
    vals = rng.standard_normal((20, 3))
    mem = UniversalMemory("manhattan", "softmax", beta=5.0).store(keys, vals)
    r = mem.recall(keys[:4] + 0.05 * rng.standard_normal((4, 16)), max_steps=20)
    np.testing.assert_allclose(r.states, vals[:4], atol=1e-4)
    assert r.states.shape == (4, 3) and r.update == "manhattan+softmax"
    assert r.converged.all() and (r.steps >= 1).all() and np.isnan(r.energies).all()
    assert r.energies.shape == (4, r.steps.max() + 1) and r.unit == "step"
    one = UniversalMemory("euclidean", "max").store(keys).recall(keys[2])
    assert one.states.shape == (16,) and bool(one.converged) and int(one.steps) == 0
    grown = UniversalMemory().store(keys[:5]).store(keys[5:])
    np.testing.assert_array_equal(grown.patterns, keys)
    with pytest.raises(ValueError):
        grown.patterns[0, 0] = 1.0


# -- natural images and the image experiment -------------------------------------------------
def test_natural_images_are_deterministic_grey_level_patches():
    p = natural_images()
    assert p.shape == (200, 16, 16) and p.dtype == np.float32
    assert p.min() >= 0.0 and p.max() <= 1.0
    assert p.std(axis=(1, 2)).min() >= 0.02  # no blank patches
    assert np.array_equal(p, natural_images(rng=0))
    assert not np.array_equal(p, natural_images(rng=1))
    assert natural_images(size=100, count=3, rng=2).shape == (3, 100, 100)
    assert len({a.tobytes() for a in p}) == 200
    bad = [
        ("size", 1, ValueError),
        ("size", 600, ValueError),
        ("size", 2.5, TypeError),
        ("count", 0, ValueError),
        ("rng", "x", TypeError),
    ]
    for name, value, error in bad:
        with pytest.raises(error, match=name):
            natural_images(**{name: value})


BETAS = (1.0, 10.0, 100.0, 1000.0)


def _accuracy(out, x):
    """Fraction of outputs whose nearest stored memory (Euclidean) is the right one."""
    d = (out * out).sum(1)[:, None] - 2 * out @ x.T + (x * x).sum(1)[None]
    return float((d.argmin(axis=1) == np.arange(len(x))).mean())


def _best(similarity, x, queries, known=None):
    """Best accuracy over β for softmax (β tuned per similarity), and with ``max`` (β → ∞)."""
    accs = [
        _accuracy(
            UniversalMemory(similarity, beta=b).store(x).recall(queries, clamp=known).states, x
        )
        for b in BETAS
    ]
    top = _accuracy(
        UniversalMemory(similarity, "max").store(x).recall(queries, clamp=known).states, x
    )
    return max(accs), top


def test_distance_similarities_beat_the_dot_product_on_natural_images():
    """Millidge et al.: Euclidean and Manhattan similarities beat the dot product on images.

    200 patches of 16×16 pixels in [0, 1] (not centred, as images are usually stored).
    Measured at these seeds, softmax with the best β per similarity (max separation alike):
    Gaussian noise σ = 0.1: dot 0.025, euclidean 1.0, manhattan 1.0;
    bottom half set to 0 (black), unknown to the memory: dot 0.005, euclidean 0.115,
    manhattan 0.15 (every similarity does poorly: the black half dominates the distances);
    bottom half marked unknown (``known``): dot 0.05, euclidean 1.0, manhattan 1.0.
    """
    x = natural_images(size=16, count=200, rng=0).reshape(200, -1).astype(np.float64)
    rng = np.random.default_rng(1)
    noisy = x + 0.1 * rng.standard_normal(x.shape)
    top = np.arange(256) < 128
    half = np.where(top, x, 0.0)
    results = {
        sim: (_best(sim, x, noisy), _best(sim, x, half), _best(sim, x, half, known=top))
        for sim in ("dot", "euclidean", "manhattan")
    }
    for sim in ("euclidean", "manhattan"):
        (noise_sm, noise_max), (zero_sm, zero_max), (known_sm, known_max) = results[sim]
        assert min(noise_sm, noise_max, known_sm, known_max) >= 0.95
        assert min(zero_sm, zero_max) >= max(results["dot"][1]) + 0.05
    assert max(max(r) for r in results["dot"]) <= 0.1


# -- interface -------------------------------------------------------------------------------
@pytest.mark.parametrize("values", [False, True])
def test_state_round_trip(values):
    rng = np.random.default_rng(9)
    x = rng.standard_normal((7, 5)).astype(np.float32)
    mem = UniversalMemory("euclidean", "polynomial", beta=0.5, degree=3)
    mem.store(x, rng.standard_normal((7, 2)) if values else None)
    params, arrays = mem._state()
    back = UniversalMemory._from_state(params, arrays, source="mem")
    assert repr(back) == repr(mem)
    np.testing.assert_array_equal(back.recall(x).states, mem.recall(x).states)
    with pytest.raises(ValueError, match="path: f.npz"):
        UniversalMemory._from_state(params, {"memories": x[0]}, source="f.npz")
    with pytest.raises(ValueError, match="path: f.npz"):
        UniversalMemory._from_state({**params, "similarity": "cos"}, arrays, source="f.npz")


X4 = np.eye(4)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: UniversalMemory("euclidian"), ValueError, "did you mean 'euclidean'"),
        (lambda: UniversalMemory("dot", "softmx"), ValueError, "did you mean 'softmax'"),
        (lambda: UniversalMemory("dot", "sparsemx"), ValueError, "did you mean 'sparsemax'"),
        (lambda: UniversalMemory(3), TypeError, "similarity"),
        (lambda: UniversalMemory(beta=0.0), ValueError, "beta"),
        (lambda: UniversalMemory(beta=float("inf")), ValueError, "beta"),
        (lambda: UniversalMemory(degree=0), ValueError, "degree"),
        (lambda: UniversalMemory(degree=2.0), TypeError, "degree"),
        (lambda: UniversalMemory().store([[1.0, np.nan]]), ValueError, "patterns"),
        (lambda: UniversalMemory().store(np.zeros((0, 4))), ValueError, "patterns"),
        (lambda: UniversalMemory().store(X4, np.ones((3, 2))), ValueError, "values"),
        (lambda: UniversalMemory().store(X4).store(np.eye(5)), ValueError, "patterns"),
        (lambda: UniversalMemory().store(X4, X4).store(X4), ValueError, "values"),
        (lambda: UniversalMemory().recall(X4), RuntimeError, "store"),
        (lambda: UniversalMemory().store(X4).recall(np.ones(5)), ValueError, "cues"),
        (lambda: UniversalMemory().store(X4).recall(X4, max_steps=0), ValueError, "max_steps"),
        (lambda: UniversalMemory().store(X4).recall(X4, tol=-1.0), ValueError, "tol"),
        (lambda: UniversalMemory().store(X4).recall(X4, clamp=[True] * 3), ValueError, "clamp"),
        (lambda: UniversalMemory().store(X4).recall(X4, clamp=[1, 0, 1, 0]), TypeError, "clamp"),
        (lambda: UniversalMemory().store(X4).recall(X4, clamp=[False] * 4), ValueError, "clamp"),
        (lambda: UniversalMemory().store(X4).weights(np.ones(3)), ValueError, "cues"),
    ],
)
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_every_pair_runs_and_proper_similarities_return_an_exact_query():
    x = np.random.default_rng(10).standard_normal((25, 8))
    for sim in SIMILARITIES:
        for sep in SEPARATIONS:
            r = UniversalMemory(sim, sep).store(x).recall(x)
            assert r.states.shape == x.shape and np.isfinite(r.states).all()
    # A stored pattern is its own best match under a proper similarity, not under the dot
    # product, which prefers memories with large norms.
    for sim in ("cosine", "euclidean", "manhattan"):
        r = UniversalMemory(sim, "max").store(x).recall(x)
        np.testing.assert_allclose(r.states, x, atol=1e-12)
    r = UniversalMemory("dot", "max").store(x).recall(x)
    assert not np.allclose(r.states, x)

"""Tests for the modern continuous Hopfield network and the separation functions.

Sizes are small (N ≤ 128, K ≤ 1500) so that the file runs in seconds; the streamed path is
exercised with explicit small chunks and a lowered score budget instead of millions of memories.
"""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.special import softmax as sp_softmax

from hopfield import dynamics, separation
from hopfield.models.modern import ModernHopfield
from hopfield.separation import softmax, sparsemax


def _bipolar(rng, k, n):
    return rng.choice([-1.0, 1.0], size=(k, n))


def _separation_gaps(x):
    """Δ_i = x_iᵀx_i − max_{j≠i} x_iᵀx_j."""
    g = x @ x.T
    off = np.where(np.eye(len(x), dtype=bool), -np.inf, g)
    return np.diag(g) - off.max(axis=1)


def _naive_energy(x, xi, beta, sep):
    m2 = (x * x).sum(axis=1).max()
    z = x @ xi
    if sep == "softmax":
        lagrange = logsumexp(beta * z) / beta
        const = np.log(len(x)) / beta
    else:
        p = sparsemax(beta * z)
        lagrange = (p @ (beta * z) - 0.5 * p @ p + 0.5) / beta
        const = 0.5 * (1 - 1 / len(x)) / beta
    return -lagrange + 0.5 * xi @ xi + const + 0.5 * m2


# -- retrieval -------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_step_retrieval_within_ramsauer_bound(dtype):
    rng = np.random.default_rng(0)
    k, n, beta, radius = 10, 64, 0.25, 0.5
    x = _bipolar(rng, k, n)
    net = ModernHopfield(beta).store(x.astype(dtype))
    noise = rng.standard_normal((k, n))
    queries = x + radius * noise / np.linalg.norm(noise, axis=1, keepdims=True)
    r = net.recall(queries.astype(dtype))
    fixed = ModernHopfield(beta).store(x).recall(x, max_steps=200, tol=0).states
    m = np.sqrt(n)
    far = np.maximum(radius, np.linalg.norm(fixed - x, axis=1))
    # Ramsauer et al. (2020), Theorem 5: ‖T(ξ) − x_i‖ ≤ 2 ε M, ε = (K−1) e^{−β(Δ_i − 2 far M)}.
    bound = 2 * (k - 1) * np.exp(-beta * (_separation_gaps(x) - 2 * far * m)) * m
    error = np.linalg.norm(r.states - x, axis=1)
    slack = 1e-5 * m if dtype == np.float32 else 1e-12
    assert np.all(bound < 0.1)  # the bound says something at this β
    assert np.all(error <= bound + slack)
    assert np.all(error > 0)  # softmax is never exact


def test_large_beta_retrieves_stored_patterns_exactly_float32():
    rng = np.random.default_rng(1)
    x = _bipolar(rng, 20, 64)
    net = ModernHopfield(beta=4.0).store(x.astype(np.int8))
    cues = np.where(rng.random(x.shape) < 0.1, -x, x).astype(np.int8)  # 10% of signs flipped
    r = net.recall(cues)
    assert r.states.dtype == np.float32  # int8 in, int8 stored: the float32 default
    np.testing.assert_allclose(r.states, x, atol=1e-6)
    assert r.extras["k90"].tolist() == [1] * 20


@pytest.mark.parametrize("dtype, atol", [(np.float32, 1e-6), (np.float64, 1e-12)])
def test_update_equals_naive_formula(dtype, atol):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal((50, 32)) / np.sqrt(32)).astype(dtype)
    q = rng.standard_normal((7, 32)).astype(dtype)
    beta = 2.0
    naive = sp_softmax(dtype(beta) * (q @ x.T), axis=1) @ x
    net = ModernHopfield(beta).store(x)
    r = net.recall(q, return_weights=True)
    assert r.states.dtype == dtype
    np.testing.assert_allclose(r.states, naive, rtol=0, atol=atol)
    np.testing.assert_allclose(net.retrieve(q), naive, rtol=0, atol=atol)
    np.testing.assert_allclose(r.extras["weights"], sp_softmax(beta * (q @ x.T), axis=1), atol=atol)


# -- energy ----------------------------------------------------------------------------------
@pytest.mark.parametrize("separation", ["softmax", "sparsemax"])
@pytest.mark.parametrize("beta", [0.05, 1.0, 20.0])
def test_energy_never_rises_cccp(separation, beta):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((40, 16))
    net = ModernHopfield(beta, separation=separation).store(x)
    r = net.recall(3 * rng.standard_normal((12, 16)), max_steps=30, tol=0)
    # One column per update the longest-running query made, plus its start.
    assert r.energies.shape == (12, (r.steps + r.converged).max() + 1)
    assert not dynamics.trajectory_energies_rise(r.energies, rtol=1e-12)
    np.testing.assert_allclose(r.energies[:, -1], net.energy(r.states), rtol=1e-12)
    mask = np.arange(16) < 6
    clamped = net.recall(rng.standard_normal((12, 16)), max_steps=30, tol=0, clamp=mask)
    assert not dynamics.trajectory_energies_rise(clamped.energies, rtol=1e-12)


@pytest.mark.parametrize("separation", ["softmax", "sparsemax"])
@pytest.mark.parametrize("beta", [0.01, 1.0, 50.0])
def test_energy_bounds_and_exact_form(separation, beta):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((30, 8))
    net = ModernHopfield(beta, separation=separation).store(x)
    m = net.max_norm
    d = rng.standard_normal((200, 8))
    inside = d / np.linalg.norm(d, axis=1, keepdims=True) * m * rng.random((200, 1))
    e = net.energy(inside)
    assert e.min() >= -1e-12 and e.max() <= 2 * m**2
    assert net.energy(10 * m * d).min() >= 0  # E ≥ ½(‖ξ‖ − M)² holds everywhere
    naive = [_naive_energy(x, s, beta, separation) for s in inside[:20]]
    np.testing.assert_allclose(e[:20], naive, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("separation", ["softmax", "sparsemax"])
def test_energy_gradient_matches_update(separation):
    """∇E(ξ) = ξ − Xᵀ sep(βXξ): the energy and the update belong together (CCCP)."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((12, 6))
    net = ModernHopfield(1.5, separation=separation).store(x)
    xi = rng.standard_normal(6)
    h = 1e-6
    grad = [(net.energy(xi + h * e) - net.energy(xi - h * e)) / (2 * h) for e in np.eye(6)]
    np.testing.assert_allclose(grad, xi - net.retrieve(xi), atol=1e-6)


def test_energies_grow_with_the_steps_run_not_max_steps():
    rng = np.random.default_rng(17)
    x = rng.standard_normal((30, 16))
    # Stored patterns at large β are fixed points: one update that moves nothing, so two columns
    # however large max_steps is (it used to size the array: (4, 10**5 + 1) here).
    fixed = ModernHopfield(50.0).store(x).recall(x[:4], max_steps=10**5)
    assert fixed.converged.all() and fixed.energies.shape == (4, 2)
    net = ModernHopfield(2.0).store(x)
    q = rng.standard_normal((6, 16))
    r = net.recall(q, max_steps=10**5, tol=1e-4)
    runs = r.steps + r.converged  # updates each query ran
    assert len(set(runs.tolist())) > 1 and r.energies.shape == (6, runs.max() + 1)
    for i in range(6):  # each row: the query's own trajectory, then its final energy
        alone = net.recall(q[i], max_steps=10**5, tol=1e-4).energies
        np.testing.assert_allclose(r.energies[i, : runs[i] + 1], alone, rtol=1e-12)
        assert (r.energies[i, runs[i] :] == r.energies[i, runs[i]]).all()


# -- the three kinds of fixed points ---------------------------------------------------------
def _clustered(rng):
    """15 random ±1 memories and a cluster of 5 near-copies of another one."""
    centre = rng.choice([-1.0, 1.0], 64)
    cluster = centre + 0.02 * rng.standard_normal((5, 64))
    return np.concatenate([_bipolar(rng, 15, 64), cluster]), centre, cluster


def test_small_beta_gives_the_global_average():
    rng = np.random.default_rng(6)
    x, centre, _ = _clustered(rng)
    r = ModernHopfield(1e-3).store(x).recall(centre, max_steps=200, tol=1e-9)
    assert r.converged
    np.testing.assert_allclose(r.states, x.mean(axis=0), atol=5e-3)
    assert abs(int(r.extras["k90"]) - 0.9 * len(x)) <= 1  # uniform weights: 90% of K


def test_metastable_state_averages_the_cluster():
    rng = np.random.default_rng(6)
    x, centre, cluster = _clustered(rng)
    r = ModernHopfield(0.5).store(x).recall(centre, max_steps=200, tol=1e-9)
    assert r.converged
    assert int(r.extras["k90"]) == len(cluster)
    np.testing.assert_allclose(r.states, cluster.mean(axis=0), atol=2e-3)


def test_large_beta_gives_single_patterns():
    rng = np.random.default_rng(6)
    x, _, _ = _clustered(rng)
    separated = x[:15]
    r = ModernHopfield(5.0).store(x).recall(separated + 0.1, max_steps=50, tol=1e-9)
    assert r.converged.all()
    assert r.extras["k90"].tolist() == [1] * 15
    np.testing.assert_allclose(r.states, separated, atol=1e-9)
    assert r.steps.tolist() == [1] * 15  # one update lands there; the next moves nothing


# -- k90 ---------------------------------------------------------------------------------------
def _naive_k90(w):
    mass = np.cumsum(np.sort(w)[::-1], dtype=np.float64)
    return min(int((mass < separation._MASS).sum()) + 1, len(w))


def test_k90_equals_the_count_from_a_full_sort():
    rng = np.random.default_rng(19)
    k = 3000  # > 2 * 256 weights per block, so the running sum goes block by block
    scales = [0.0, 0.01, 0.5, 1.0, 3.0, 10.0, 30.0, 1000.0]  # uniform ... one memory
    z = rng.standard_normal((len(scales), k)) * np.array(scales)[:, None]
    z[0, :7] = 5.0  # ties: seven equal large weights over uniform small ones
    w = softmax(z)
    expected = [_naive_k90(row) for row in w]
    assert 1 == expected[-1] < expected[5] < expected[4] < 256 < expected[3] < expected[1]
    assert separation._k90(w, k).tolist() == expected
    assert separation._k90(w.astype(np.float32), k).tolist() == expected
    # Peaked rows alone take a partial selection instead of a full sort (with a running sum
    # over blocks when over 256 weights remain, and a plain one otherwise).
    for peaked in ([4, 5, 6, 7], [5, 6, 7]):
        assert separation._k90(w[peaked], k).tolist() == [expected[i] for i in peaked]
    # Streaming keeps only the largest weights: exact where they carry 90%, else −1.
    top = np.sort(w, axis=1)[:, -separation._TOP :]
    want = [n if n <= separation._TOP else -1 for n in expected]
    assert separation._k90(top, k).tolist() == want


@pytest.mark.parametrize("chunk_size", [None, 64])
def test_k90_is_found_once_per_query_from_its_last_update(monkeypatch, chunk_size):
    rng = np.random.default_rng(18)
    x = rng.standard_normal((300, 16))
    q = rng.standard_normal((10, 16))
    kwargs = {"max_steps": 50, "tol": 1e-3}
    ref = ModernHopfield(0.5).store(x).recall(q, return_weights=True, **kwargs)
    rows, inner = [], separation._k90

    def counted(w, k):
        rows.append(len(w))
        return inner(w, k)

    monkeypatch.setattr(separation, "_k90", counted)
    r = ModernHopfield(0.5, chunk_size=chunk_size).store(x).recall(q, **kwargs)
    assert len(set((r.steps + r.converged).tolist())) > 1  # queries stop at different steps
    assert sum(rows) == len(q)  # not once per query and step
    np.testing.assert_array_equal(r.steps, ref.steps)
    assert r.extras["k90"].tolist() == [_naive_k90(w) for w in ref.extras["weights"]]


# -- streaming over chunks of memories -------------------------------------------------------
@pytest.mark.parametrize("beta", [0.02, 3.0])
def test_streamed_equals_unchunked(beta):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((1003, 24)).astype(np.float32)
    v = rng.standard_normal((1003, 3)).astype(np.float32)
    q = rng.standard_normal((9, 24)).astype(np.float32)
    whole = ModernHopfield(beta).store(x, v)
    chunked = ModernHopfield(beta, chunk_size=64).store(x, v)  # 64 does not divide 1003
    a, b = whole.recall(q, max_steps=4, tol=0), chunked.recall(q, max_steps=4, tol=0)
    np.testing.assert_allclose(b.states, a.states, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(b.energies, a.energies, rtol=1e-5)
    assert b.extras["k90"].tolist() == a.extras["k90"].tolist()
    np.testing.assert_allclose(chunked.energy(q), whole.energy(q), rtol=1e-5)
    np.testing.assert_allclose(chunked.retrieve(q), whole.retrieve(q), rtol=1e-5, atol=1e-5)


def test_streamed_k90_beyond_the_kept_top_is_minus_one():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((1500, 8))
    q = rng.standard_normal((3, 8))
    whole = ModernHopfield(1e-3).store(x).recall(q)
    streamed = ModernHopfield(1e-3, chunk_size=100).store(x).recall(q)
    assert (whole.extras["k90"] > separation._TOP).all()
    assert streamed.extras["k90"].tolist() == [-1, -1, -1]
    np.testing.assert_allclose(streamed.states, whole.states, atol=1e-12)


def test_automatic_streaming_and_query_blocks(monkeypatch):
    rng = np.random.default_rng(9)
    x = rng.standard_normal((300, 10))
    q = rng.standard_normal((20, 10))
    expected = {
        s: ModernHopfield(2.0, separation=s).store(x).recall(q) for s in ("softmax", "sparsemax")
    }
    # A small score budget forces chunks of memories (softmax: 20 queries x 100 memories) and
    # blocks of queries (sparsemax: one query at a time); count the chunks to be sure.
    monkeypatch.setattr(separation, "_BUDGET", 2000)
    monkeypatch.setattr(separation, "_TOP", 64)
    calls = {"chunks": 0, "blocks": 0}

    def counted(name, key):
        inner = getattr(separation, name)

        def wrapper(*args, **kwargs):
            calls[key] += 1
            return inner(*args, **kwargs)

        monkeypatch.setattr(separation, name, wrapper)

    counted("_merge_top", "chunks")
    counted("_sparsemax64", "blocks")
    for s, want in expected.items():
        got = ModernHopfield(2.0, separation=s).store(x).recall(q)
        np.testing.assert_allclose(got.states, want.states, atol=1e-12)
        np.testing.assert_allclose(got.energies, want.energies, atol=1e-12)
        assert got.extras["k90"].tolist() == want.extras["k90"].tolist()
    assert calls == {"chunks": 3, "blocks": 2 * 20}  # one update with k90, one energy pass


# -- sparsemax -------------------------------------------------------------------------------
def _simplex_projection_bisection(z):
    lo, hi = z.min() - 1, z.max()
    for _ in range(200):
        tau = (lo + hi) / 2
        lo, hi = (tau, hi) if np.maximum(z - tau, 0).sum() > 1 else (lo, tau)
    return np.maximum(z - (lo + hi) / 2, 0)


def test_sparsemax_is_the_simplex_projection():
    rng = np.random.default_rng(10)
    z = rng.standard_normal((50, 17)) * rng.choice([0.1, 1, 10], (50, 1))
    p = sparsemax(z)
    assert (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=1), 1, atol=1e-12)
    np.testing.assert_allclose(p, [_simplex_projection_bisection(r) for r in z], atol=1e-10)
    np.testing.assert_allclose(sparsemax(z.T, axis=0), p.T, atol=0)
    p32 = sparsemax(z.astype(np.float32))
    assert p32.dtype == np.float32
    np.testing.assert_allclose(p32.sum(axis=1), 1, atol=1e-6)
    np.testing.assert_allclose(softmax(z).sum(axis=1), 1)


def test_sparsemax_retrieval_exact_when_beta_delta_at_least_one():
    rng = np.random.default_rng(11)
    x = _bipolar(rng, 12, 32)
    beta = 1.0 / _separation_gaps(x).min()  # β Δ_i ≥ 1 for every i, = 1 for the closest pair
    r = ModernHopfield(beta, separation="sparsemax").store(x).recall(x, return_weights=True)
    np.testing.assert_allclose(r.states, x, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.extras["weights"], np.eye(12), atol=1e-12)
    assert r.converged.all() and r.steps.tolist() == [0] * 12 and r.update == "sparsemax"
    dense = ModernHopfield(beta).store(x).recall(x)
    assert np.abs(dense.states - x).max() > 1e-3  # softmax at the same β is not exact
    weaker = ModernHopfield(0.9 * beta, separation="sparsemax").store(x).recall(x)
    assert np.abs(weaker.states - x).max() > 1e-3  # below the condition the closest pair mixes


# -- hetero-association and clamping ---------------------------------------------------------
def test_hetero_association_returns_the_payload():
    rng = np.random.default_rng(12)
    keys = _bipolar(rng, 30, 64)
    vals = rng.standard_normal((30, 5))
    net = ModernHopfield(1.0).store(keys, vals)
    cues = np.where(rng.random(keys.shape) < 0.15, -keys, keys)
    r = net.recall(cues)
    assert r.states.shape == (30, 5)
    np.testing.assert_allclose(r.states, vals, atol=1e-5)
    np.testing.assert_allclose(net.retrieve(cues), r.states, atol=1e-6)
    several = net.recall(cues, max_steps=3)
    np.testing.assert_allclose(several.states, vals, atol=1e-5)
    one = net.recall(cues[4])
    assert one.states.shape == (5,) and int(one.extras["k90"]) == 1


def test_payload_and_key_space_fields_describe_the_same_update():
    rng = np.random.default_rng(21)
    keys, vals = rng.standard_normal((40, 16)), rng.standard_normal((40, 3))
    q = rng.standard_normal((8, 16))
    kwargs = {"max_steps": 20, "tol": 1e-4, "return_weights": True}
    auto = ModernHopfield(0.8).store(keys).recall(q, **kwargs)
    net = ModernHopfield(0.8).store(keys, vals)
    r = net.recall(q, **kwargs)
    assert len(set((r.steps + r.converged).tolist())) > 1
    for name in ("converged", "steps", "energies"):
        np.testing.assert_array_equal(getattr(r, name), getattr(auto, name))
    np.testing.assert_array_equal(r.extras["k90"], auto.extras["k90"])
    p_last = r.extras["weights"]
    np.testing.assert_array_equal(p_last, auto.extras["weights"])
    # The payload is read with the weights that gave the final key state, whose energy ends
    # the trace: states, energies, converged and k90 all describe the last update.
    np.testing.assert_allclose(r.states, p_last @ vals, atol=1e-12)
    np.testing.assert_allclose(r.extras["key_states"], p_last @ keys, atol=1e-12)
    np.testing.assert_array_equal(r.extras["key_states"], auto.states)
    np.testing.assert_allclose(r.energies[:, -1], net.energy(auto.states), rtol=1e-12)
    assert r.take([1]).extras["key_states"].shape == (1, 16)


def test_clamping_completes_the_unknown_half():
    rng = np.random.default_rng(13)
    x = rng.standard_normal((25, 40)) + 0.5
    known = np.arange(40) < 20
    queries = np.where(known, x, 0.0)
    r = ModernHopfield(2.0).store(x).recall(queries, max_steps=10, clamp=known)
    np.testing.assert_array_equal(r.states[:, known], queries[:, known])
    np.testing.assert_allclose(r.states[:, ~known], x[:, ~known], atol=1e-4)
    per_query = ModernHopfield(2.0).store(x).recall(queries, clamp=np.tile(known, (25, 1)))
    unclamped = ModernHopfield(2.0).store(x).recall(queries)
    assert not np.allclose(per_query.states, unclamped.states)


# -- storing, state and saving ---------------------------------------------------------------
def test_store_adds_memories_dtype_and_read_only():
    rng = np.random.default_rng(14)
    x = rng.standard_normal((6, 4))
    net = ModernHopfield().store(x[:3].astype(np.float32)).store(x[3:].astype(np.float32))
    assert net.patterns.dtype == np.float32 and net.patterns.shape == (6, 4)
    assert ModernHopfield().store(x).patterns.dtype == np.float64
    assert ModernHopfield().store(np.sign(x).astype(np.int8)).patterns.dtype == np.float32
    with pytest.raises(ValueError):
        net.patterns[0, 0] = 1.0
    np.testing.assert_allclose(net.max_norm, np.linalg.norm(x, axis=1).max(), rtol=1e-6)


def test_dtypes_follow_the_queries_and_the_store():
    rng = np.random.default_rng(20)
    x, q = rng.standard_normal((40, 12)), rng.standard_normal((5, 12))
    net32 = ModernHopfield(2.0).store(x.astype(np.float32))
    r = net32.recall(q, return_weights=True)  # float64 queries, float32 store
    assert r.states.dtype == net32.retrieve(q).dtype == np.float64
    assert r.extras["weights"].dtype == np.float32 and r.energies.dtype == np.float64
    # The update ran in the store's float32; only the result is widened.
    as32 = net32.recall(q.astype(np.float32))
    assert as32.states.dtype == np.float32
    np.testing.assert_array_equal(r.states, as32.states)
    assert net32.recall(np.sign(q).astype(np.int8)).states.dtype == np.float32
    assert ModernHopfield(2.0).store(x).recall(q.astype(np.float32)).states.dtype == np.float64
    known = np.arange(12) < 5
    held = net32.recall(q, max_steps=3, clamp=known).states
    np.testing.assert_array_equal(held[:, known], q[:, known])  # exactly, not float32-rounded


def test_single_query_and_recall_fields():
    rng = np.random.default_rng(15)
    x = _bipolar(rng, 5, 16)
    r = ModernHopfield(3.0).store(x).recall(x[2], max_steps=4)
    assert r.states.shape == (16,) and r.energies.shape == (2,)  # a fixed point: one update
    assert bool(r.converged) and int(r.steps) == 0 and not hasattr(r, "flips")
    assert r.update == "softmax"


@pytest.mark.parametrize("values", [False, True])
def test_state_round_trip(values, tmp_path):
    from hopfield.io import save

    rng = np.random.default_rng(16)
    x = rng.standard_normal((7, 5)).astype(np.float32)
    net = ModernHopfield(2.5, chunk_size=3).store(
        x, rng.standard_normal((7, 2)) if values else None
    )
    path = save(net, tmp_path / "mhn")
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files if k != "__header__"}
    params, _ = net._state()
    back = ModernHopfield._from_state(params, arrays, source=str(path))
    assert repr(back) == repr(net)
    np.testing.assert_array_equal(back.recall(x).states, net.recall(x).states)
    with pytest.raises(ValueError, match="path"):
        ModernHopfield._from_state(params, {"memories": x[0]}, source="f.npz")


# -- bad input -------------------------------------------------------------------------------
X4 = np.eye(4)


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda: ModernHopfield(beta=0), ValueError, "beta"),
        (lambda: ModernHopfield(beta=float("nan")), ValueError, "beta"),
        (lambda: ModernHopfield(beta="1"), TypeError, "beta"),
        (lambda: ModernHopfield(separation="softmx"), ValueError, "did you mean 'softmax'"),
        (lambda: ModernHopfield(chunk_size=0), ValueError, "chunk_size"),
        (lambda: ModernHopfield(chunk_size=2.5), TypeError, "chunk_size"),
        (lambda: ModernHopfield(separation="sparsemax", chunk_size=8), ValueError, "chunk_size"),
        (lambda: ModernHopfield().store([[1.0, np.nan]]), ValueError, "patterns"),
        (lambda: ModernHopfield().store([[1.0, np.inf]]), ValueError, "patterns"),
        (lambda: ModernHopfield().store(np.zeros((0, 4))), ValueError, "patterns"),
        (lambda: ModernHopfield().store([["a", "b"]]), TypeError, "patterns"),
        (lambda: ModernHopfield().store(X4, np.ones((3, 2))), ValueError, "values"),
        (lambda: ModernHopfield().store(X4).store(np.eye(5)), ValueError, "patterns"),
        (lambda: ModernHopfield().store(X4, X4).store(X4), ValueError, "values"),
        (lambda: ModernHopfield().recall(X4), RuntimeError, "store"),
        (lambda: ModernHopfield().store(X4).recall(np.ones(5)), ValueError, "cues"),
        (lambda: ModernHopfield().store(X4).recall([np.nan] * 4), ValueError, "cues"),
        (lambda: ModernHopfield().store(X4).recall(X4, max_steps=0), ValueError, "max_steps"),
        (lambda: ModernHopfield().store(X4).recall(X4, tol=-1.0), ValueError, "tol"),
        (lambda: ModernHopfield().store(X4).recall(X4, clamp=[True] * 3), ValueError, "clamp"),
        (lambda: ModernHopfield().store(X4).recall(X4, clamp=[1, 0, 1, 0]), TypeError, "clamp"),
        (lambda: ModernHopfield().store(X4).energy(np.ones(3)), ValueError, "states"),
        (lambda: ModernHopfield().store(X4).retrieve(np.ones((2, 3))), ValueError, "cues"),
        (lambda: ModernHopfield().store(X4 > 0), TypeError, "patterns: expected numbers"),
        (lambda: ModernHopfield().store(X4, X4 > 0), TypeError, "values: expected numbers"),
        (lambda: ModernHopfield().store(X4).recall(X4 > 0), TypeError, "cues: expected num"),
        (lambda: ModernHopfield().store(X4).retrieve(X4[0] > 0), TypeError, "cues: expected"),
        (lambda: ModernHopfield().store(X4).energy(X4 > 0), TypeError, "states: expected num"),
        (lambda: softmax([True, False]), TypeError, "z: expected numbers, got a boolean"),
        (lambda: sparsemax([]), ValueError, "z"),
        (lambda: sparsemax([1.0, 2.0], axis=1), ValueError, "axis"),
        (lambda: softmax([1.0, np.nan]), ValueError, "z"),
    ],
)
def test_bad_input_names_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()

"""Nearest memories: ``topk`` and ``retrieve(return_indices=True)``, and ``store(copy=False)``.

The reference for every top-k is written here: ``np.argsort`` (stable) of the full (B, K)
weight matrix the models return with ``recall(return_weights=True)`` or ``weights()``, ties in
weight (sparsemax's zeros) broken by the score, then by the lower index. Streamed calls (small
chunks) must give the same indices exactly and the same weights to rounding.
"""

import tracemalloc

import numpy as np
import pytest

from hopfield import _topk
from hopfield.models.modern import ModernHopfield
from hopfield.models.universal import SEPARATIONS, SIMILARITIES, UniversalMemory

B, K, N = 6, 400, 12


def _data(k=K, n=N, b=B, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((k, n))
    q = x[rng.integers(0, k, b)] + 0.8 * rng.standard_normal((b, n))
    return x, q


def _reference(w, s, k):
    """Indices of the k largest weights per row, ties by larger score, then lower index."""
    cols = np.broadcast_to(np.arange(w.shape[1]), w.shape)
    order = np.lexsort((cols, -s, -w), axis=1)[:, :k]
    return order, np.take_along_axis(w, order, axis=1)


# -- ModernHopfield ------------------------------------------------------------------------
@pytest.mark.parametrize("separation", ["softmax", "sparsemax"])
@pytest.mark.parametrize("k", [1, 5, K])
def test_modern_topk_equals_argsort_of_all_weights(separation, k):
    x, q = _data()
    net = ModernHopfield(beta=2.0, separation=separation).store(x)
    w = net.recall(q, return_weights=True).extras["weights"]
    idx, want = _reference(w, q @ x.T, k)
    top = net.topk(q, k)
    assert isinstance(top, _topk.TopK)
    assert top.indices.dtype == np.int64 and top.indices.shape == (B, k)
    np.testing.assert_array_equal(top.indices, idx)
    np.testing.assert_allclose(top.weights, want, rtol=1e-12, atol=1e-15)
    assert top.weights.dtype == np.float64
    assert np.all(np.diff(top.weights, axis=1) <= 0)


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_modern_streamed_equals_unstreamed(chunk):
    x, q = _data()
    whole = ModernHopfield(beta=3.0).store(x).topk(q, 9)
    streamed = ModernHopfield(beta=3.0, chunk_size=chunk).store(x).topk(q, 9)
    np.testing.assert_array_equal(streamed.indices, whole.indices)
    # Only the order of the float64 running sum differs.
    np.testing.assert_allclose(streamed.weights, whole.weights, rtol=1e-12, atol=0)


def test_modern_float32_and_values():
    x, q = _data()
    x32 = x.astype(np.float32)
    payload = np.arange(K, dtype=np.float32)[:, None]
    net = ModernHopfield(beta=1.5, chunk_size=50).store(x32, payload)
    top = net.topk(q, 3)
    assert top.weights.dtype == np.float32
    ref = ModernHopfield(beta=1.5).store(x32).recall(q, return_weights=True).extras["weights"]
    s = (q.astype(np.float32) * np.float32(1.5)) @ x32.T
    idx, want = _reference(ref, s, 3)
    np.testing.assert_array_equal(top.indices, idx)
    np.testing.assert_allclose(top.weights, want, rtol=1e-5, atol=1e-7)


def test_sparsemax_fewer_nonzero_weights_than_k():
    x, q = _data()
    net = ModernHopfield(beta=50.0, separation="sparsemax").store(x)
    top = net.topk(q, 6)
    s = q @ x.T
    np.testing.assert_array_equal(top.indices, np.argsort(-s, axis=1, kind="stable")[:, :6])
    nonzero = np.count_nonzero(net.recall(q, return_weights=True).extras["weights"], axis=1)
    assert nonzero.min() < 6  # the case under test occurs
    for row, count in zip(top.weights, nonzero, strict=True):
        assert np.all(row[:count] > 0) and np.all(row[count:] == 0)
        assert row.sum() == pytest.approx(1.0)


def test_single_cue_and_retrieve_indices():
    x, q = _data()
    for separation in ("softmax", "sparsemax"):
        net = ModernHopfield(beta=2.0, separation=separation).store(x)
        one = net.topk(q[2], 4)
        assert one.indices.shape == (4,) and one.weights.shape == (4,)
        np.testing.assert_array_equal(one.indices, net.topk(q, 4).indices[2])
        states, best = net.retrieve(q, return_indices=True)
        np.testing.assert_array_equal(states, net.retrieve(q))
        w = net.recall(q, return_weights=True).extras["weights"]
        np.testing.assert_array_equal(best, np.argmax(w, axis=1))
        assert best.dtype == np.int64
        state, b2 = net.retrieve(q[2], return_indices=True)
        assert int(b2) == best[2] and state.shape == (N,)


def test_streamed_topk_never_holds_b_by_k():
    # 64 × 100,000 float32 scores are 24 MiB; chunks of 1,000 hold under 1 MiB of them.
    rng = np.random.default_rng(1)
    x = rng.standard_normal((100_000, 4), dtype=np.float32)
    q = rng.standard_normal((64, 4), dtype=np.float32)
    net = ModernHopfield(beta=1.0, chunk_size=1000).store(x)
    tracemalloc.start()
    try:
        top = net.topk(q, 10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 100_000 * 4 / 8
    s = q @ x.T
    np.testing.assert_array_equal(top.indices, np.argsort(-s, axis=1, kind="stable")[:, :10])


@pytest.mark.parametrize("bad", [0, -1, K + 1])
def test_k_out_of_range(bad):
    x, q = _data()
    for model in (ModernHopfield().store(x), UniversalMemory().store(x)):
        with pytest.raises(ValueError, match=r"^k: expected"):
            model.topk(q, bad)


@pytest.mark.parametrize("bad", [2.0, True, "3", None])
def test_k_not_an_int(bad):
    x, q = _data()
    for model in (ModernHopfield().store(x), UniversalMemory().store(x)):
        with pytest.raises(TypeError, match=r"^k: expected an int"):
            model.topk(q, bad)


def test_return_indices_is_a_flag():
    x, q = _data()
    with pytest.raises(TypeError, match="return_indices"):
        ModernHopfield().store(x).retrieve(q, return_indices=1)


# -- UniversalMemory -----------------------------------------------------------------------
def _universal_reference(mem, q, k, clamp=None):
    w = mem.weights(q, clamp=clamp)
    z = mem.beta * mem.similarities(q, clamp=clamp)
    key = z**mem.degree if mem.separation == "polynomial" else z
    return _reference(w, key, k)


@pytest.mark.parametrize("similarity", SIMILARITIES)
@pytest.mark.parametrize("separation", SEPARATIONS)
def test_universal_topk_every_pair(similarity, separation, monkeypatch):
    x, q = _data(k=300)
    mem = UniversalMemory(similarity, separation, beta=1.5, degree=2).store(x)
    idx, want = _universal_reference(mem, q, 5)
    top = mem.topk(q, 5)
    np.testing.assert_array_equal(top.indices, idx)
    np.testing.assert_allclose(top.weights, want, rtol=1e-12, atol=1e-12)
    # Streamed: 23 memories per chunk.
    monkeypatch.setattr(_topk, "_BUDGET", 23 * B)
    monkeypatch.setattr(_topk, "_MIN_CHUNK", 1)
    assert _topk.chunk(B, 300) == 23
    streamed = mem.topk(q, 5)
    np.testing.assert_array_equal(streamed.indices, idx)
    np.testing.assert_allclose(streamed.weights, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("similarity", ["euclidean", "manhattan"])
def test_universal_topk_with_clamp(similarity):
    x, q = _data(k=200)
    mask = np.zeros(N, dtype=bool)
    mask[: N // 2] = True
    mem = UniversalMemory(similarity, "softmax", beta=2.0).store(x)
    idx, want = _universal_reference(mem, q, 3, clamp=mask)
    top = mem.topk(q, 3, clamp=mask)
    np.testing.assert_array_equal(top.indices, idx)
    np.testing.assert_allclose(top.weights, want, rtol=1e-12)


def test_universal_retrieve_indices():
    x, q = _data(k=200)
    mem = UniversalMemory("manhattan", "softmax", beta=2.0).store(x)
    states, best = mem.retrieve(q, return_indices=True)
    np.testing.assert_array_equal(states, mem.recall(q).states)
    np.testing.assert_array_equal(best, np.argmax(mem.weights(q), axis=1))
    one, b1 = mem.retrieve(q[0], return_indices=True)
    assert one.shape == (N,) and int(b1) == best[0]


# -- PyTorch tensors -----------------------------------------------------------------------
@pytest.mark.parametrize("separation", ["softmax", "sparsemax"])
def test_modern_tensor_topk_streams_and_equals_numpy(separation):
    torch = pytest.importorskip("torch")
    x, q = _data()
    chunk = 13 if separation == "softmax" else None
    net = ModernHopfield(beta=2.0, separation=separation, chunk_size=chunk)
    top = net.store(torch.as_tensor(x)).topk(torch.as_tensor(q), 7)
    ref = ModernHopfield(beta=2.0, separation=separation).store(x).topk(q, 7)
    assert top.indices.dtype == torch.int64 and top.weights.dtype == torch.float64
    np.testing.assert_array_equal(top.indices.numpy(), ref.indices)
    np.testing.assert_allclose(top.weights.numpy(), ref.weights, rtol=1e-12, atol=1e-15)
    states, best = net.retrieve(torch.as_tensor(q), return_indices=True)
    np.testing.assert_array_equal(best.numpy(), ref.indices[:, 0])
    one = net.topk(torch.as_tensor(q[1]), 7)
    assert tuple(one.indices.shape) == (7,)


@pytest.mark.parametrize("similarity", SIMILARITIES)
@pytest.mark.parametrize("separation", SEPARATIONS)
def test_universal_tensor_topk(similarity, separation, monkeypatch):
    torch = pytest.importorskip("torch")
    x, q = _data(k=120)
    mem = UniversalMemory(similarity, separation, beta=1.5, degree=3)
    ref = mem.store(x).topk(q, 4)
    monkeypatch.setattr(_topk, "_BUDGET", 17 * B)
    monkeypatch.setattr(_topk, "_MIN_CHUNK", 1)
    tmem = UniversalMemory(similarity, separation, beta=1.5, degree=3).store(torch.as_tensor(x))
    top = tmem.topk(torch.as_tensor(q), 4)
    np.testing.assert_array_equal(top.indices.numpy(), ref.indices)
    np.testing.assert_allclose(top.weights.numpy(), ref.weights, rtol=1e-12, atol=1e-12)


# -- store(copy=False) ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_store_without_copy_keeps_a_read_only_view(dtype):
    x, q = _data()
    x = x.astype(dtype)
    values = np.ones((K, 2), dtype=dtype)
    net = ModernHopfield(beta=2.0).store(x, values, copy=False)
    assert np.shares_memory(net.patterns, x) and np.shares_memory(net.values, values)
    assert not net.patterns.flags.writeable and x.flags.writeable  # the caller's array as it was
    copied = ModernHopfield(beta=2.0).store(x, values)
    assert not np.shares_memory(copied.patterns, x)
    assert not np.shares_memory(copied.values, values)
    np.testing.assert_array_equal(net.retrieve(q), copied.retrieve(q))


def test_store_without_copy_copies_when_it_must():
    x, _ = _data()
    for given in (x[:, ::2], x.astype(np.int64), np.asfortranarray(x)):
        net = ModernHopfield().store(given, copy=False)
        assert not np.shares_memory(net.patterns, given)
    net = ModernHopfield().store(x, copy=False).store(x[:3], copy=False)  # adding copies
    assert not np.shares_memory(net.patterns, x) and len(net.patterns) == K + 3
    with pytest.raises(TypeError, match="copy"):
        ModernHopfield().store(x, copy="no")


def test_store_without_copy_tensor():
    torch = pytest.importorskip("torch")
    x = torch.as_tensor(_data()[0])
    kept = ModernHopfield().store(x, copy=False)
    assert kept.patterns.data_ptr() == x.data_ptr()
    assert ModernHopfield().store(x).patterns.data_ptr() != x.data_ptr()


# -- ties ----------------------------------------------------------------------------------
@pytest.mark.parametrize("chunk", [None, 1, 5, 64])
def test_ties_by_lower_index_whatever_the_chunks(chunk):
    # ±1 memories give integer scores, so many memories tie at the k-th place.
    rng = np.random.default_rng(3)
    x = rng.choice([-1.0, 1.0], size=(300, 8))
    q = rng.choice([-1.0, 1.0], size=(B, 8))
    s = q @ x.T
    cols = np.broadcast_to(np.arange(300), s.shape)
    want = np.lexsort((cols, -s), axis=1)[:, :20]
    top = ModernHopfield(beta=0.5, chunk_size=chunk).store(x).topk(q, 20)
    np.testing.assert_array_equal(top.indices, want)
    torch = pytest.importorskip("torch")
    net = ModernHopfield(beta=0.5, chunk_size=chunk).store(torch.as_tensor(x))
    np.testing.assert_array_equal(net.topk(torch.as_tensor(q), 20).indices.numpy(), want)


def test_max_separation_ties_weigh_the_first():
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    mem = UniversalMemory("euclidean", "max").store(x)
    top = mem.topk([1.0, 0.0], 3)
    np.testing.assert_array_equal(top.indices, [0, 2, 3])
    np.testing.assert_array_equal(top.weights, mem.weights([1.0, 0.0])[[0, 2, 3]])

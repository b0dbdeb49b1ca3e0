"""Tests for the bidirectional associative memory (Kosko 1988)."""

import numpy as np
import pytest

import hopfield as hf
from hopfield.models.hetero import BidirectionalMemory

# Kosko's worked example, in binary (0/1) coding: A1 → B1 and A2 → B2.
A_BIN = np.array([[1, 0, 1, 0, 1, 0], [1, 1, 1, 0, 0, 0]])
B_BIN = np.array([[1, 1, 0, 0], [1, 0, 1, 0]])
A, B = 2 * A_BIN - 1, 2 * B_BIN - 1
M_KOSKO = np.array(
    [[2, 0, 0, -2], [0, -2, 2, 0], [2, 0, 0, -2], [-2, 0, 0, 2], [0, 2, -2, 0], [-2, 0, 0, 2]]
)


def _naive_recall(xs, ys, x, y, max_steps=100):
    """Reverberation from the stored pairs themselves, neuron by neuron, one cue at a time.

    Fields are Σ_k (x·x_k) y_kj and Σ_k (y·y_k) x_ki, never the matrix M; ties keep the
    state, an unknown bit with a zero field becomes +1.
    """
    x, y = x.astype(np.int64), y.astype(np.int64)
    xs, ys = xs.astype(np.int64), ys.astype(np.int64)
    energies = [-int(x @ xs.T @ (ys @ y))]
    layer_y, changed_steps = True, 0
    for t in range(max_steps):
        src, dst, keys, vals = (x, y, xs, ys) if layer_y else (y, x, ys, xs)
        new = dst.copy()
        for j in range(len(dst)):
            h = sum(int(src @ keys[k]) * int(vals[k, j]) for k in range(len(keys)))
            new[j] = 1 if h > 0 else -1 if h < 0 else (1 if dst[j] == 0 else dst[j])
        changed = bool((new != dst).any())
        if layer_y:
            y = new
        else:
            x = new
        energies.append(-int(x @ xs.T @ (ys @ y)))
        changed_steps += changed
        if not changed and t > 0:
            return x, y, changed_steps, energies, True
        layer_y = not layer_y
    return x, y, changed_steps, energies, False


def test_kosko_worked_example_matrix_fields_and_recall():
    bam = BidirectionalMemory().store(A, B)
    assert np.array_equal(bam.weights, M_KOSKO)
    # Kosko multiplies the binary A1 into the bipolar M: (4, 2, −2, −4), thresholded to B1.
    assert np.array_equal(A_BIN[0] @ bam.weights, [4, 2, -2, -4])
    assert np.array_equal(A[0] @ bam.weights, [8, 4, -4, -8])
    for k in range(2):
        r = bam.recall(x=A[k])
        assert np.array_equal(r.states, B[k]) and np.array_equal(r.extras["x"], A[k])
        r = bam.recall(y=B[k])
        assert np.array_equal(r.states, A[k]) and np.array_equal(r.extras["y"], B[k])
        assert r.converged and not isinstance(r, hf.BinaryRecall)
    # Read in this library's coding, binary A1 is a cue with its 0 bits unknown: still B1.
    assert np.array_equal(bam.recall(x=A_BIN[0]).states, B[0])
    # Both sides given as a pair: a stored pair is already a fixed pair.
    r = bam.recall(x=A, y=B)
    assert np.array_equal(r.extras["x"], A) and np.array_equal(r.states, B)
    assert r.steps.tolist() == [0, 0] and r.converged.all()


def test_store_incrementally_equals_at_once_and_learned_state_is_read_only():
    x, y = hf.patterns.random(7, 30, rng=0), hf.patterns.random(7, 11, rng=1)
    once = BidirectionalMemory().store(x, y)
    inc = BidirectionalMemory().store(x[:3], y[:3]).store(x[3], y[3]).store(x[4:], y[4:])
    assert np.array_equal(once.weights, inc.weights)
    assert np.array_equal(once.weights, sum(np.outer(a, b) for a, b in zip(x, y, strict=True)))
    assert np.array_equal(inc.patterns, x) and np.array_equal(inc.values, y)
    assert (inc.n_x, inc.n_y) == (30, 11)
    with pytest.raises(ValueError):
        inc.weights[0, 0] = 5
    assert "n=30, p=11, K=7" in repr(inc)


def test_recall_matches_naive_reference_and_energy_never_rises():
    # Overloaded (K = 0.4 min(n, p)) so that reverberation takes many steps.
    n, p, k = 40, 30, 12
    xs, ys = hf.patterns.random(k, n, rng=0), hf.patterns.random(k, p, rng=1)
    bam = BidirectionalMemory().store(xs, ys)
    cues_x = hf.patterns.mask(hf.patterns.flip(xs, 0.3, rng=2), 0.3, rng=3)
    cues_y = hf.patterns.flip(ys, 0.3, rng=4)
    for r, starts in (
        (bam.recall(x=cues_x), [(c, np.zeros(p, np.int8)) for c in cues_x]),
        (bam.recall(x=cues_x, y=cues_y), list(zip(cues_x, cues_y, strict=True))),
    ):
        assert not hf.dynamics.trajectory_energies_rise(r.energies)
        assert r.converged.all() and r.extras["flips"].shape == r.steps.shape
        for i, (cx, cy) in enumerate(starts):
            x, y, steps, energies, converged = _naive_recall(xs, ys, cx, cy)
            assert converged
            assert np.array_equal(r.extras["x"][i], x) and np.array_equal(r.extras["y"][i], y)
            assert r.steps[i] == steps
            assert np.array_equal(r.energies[i, : len(energies)], energies)
    # From the y side alone, every final pair is a fixed pair of both layer updates.
    r = bam.recall(y=hf.patterns.mask(cues_y, 0.5, rng=5))
    x, y = r.extras["x"].astype(float), r.extras["y"].astype(float)
    fy, fx = x @ bam.weights, y @ bam.weights.T
    assert ((fy == 0) | (np.sign(fy) == y)).all() and ((fx == 0) | (np.sign(fx) == x)).all()
    assert np.array_equal(r.states, r.extras["x"])
    assert np.allclose(r.energies[:, -1], bam.energy(r.extras["x"], r.extras["y"]))
    assert r.steps.max() > 2  # the reverberation really ran


def test_random_pairs_recall_at_low_load_and_fail_at_half_of_min_n_p():
    # n = p = 200. Measured from clean x cues (a few seeds): K = 10, every pair exact; K = 20,
    # 18-20 of 20; K = 40, mean overlap 0.95-0.97 but few pairs exact; K = 100 (n / 2), mean
    # overlap 0.45-0.46 and no pair exact. Kosko's "capacity about min(n, p)" is an upper
    # bound, not what Hebbian correlation storage of random pairs achieves.
    n = p = 200
    xs, ys = hf.patterns.random(10, n, rng=0), hf.patterns.random(10, p, rng=1)
    bam = BidirectionalMemory().store(xs, ys)
    assert np.array_equal(bam.recall(x=hf.patterns.flip(xs, 0.15, rng=2)).states, ys)
    assert np.array_equal(bam.recall(y=hf.patterns.flip(ys, 0.15, rng=3)).states, xs)
    r = bam.recall(x=hf.patterns.mask(xs, 0.5, rng=4), y=hf.patterns.mask(ys, 0.5, rng=5))
    assert np.array_equal(r.states, ys) and np.array_equal(r.extras["x"], xs)

    xs, ys = hf.patterns.random(100, n, rng=6), hf.patterns.random(100, p, rng=7)
    r = BidirectionalMemory().store(xs, ys).recall(x=xs)
    overlaps = (r.states * ys).mean(axis=1)
    assert overlaps.mean() < 0.6 and not (r.states == ys).all(axis=1).any()
    assert r.converged.all()  # overloaded, it still ends at a fixed pair: no cycles


def test_shapes_single_cue_and_take():
    xs, ys = hf.patterns.random(3, 20, rng=0), hf.patterns.random(3, 9, rng=1)
    bam = BidirectionalMemory().store(xs, ys)
    r = bam.recall(x=xs[1])
    assert r.states.shape == (9,) and r.energies.ndim == 1 and r.extras["x"].shape == (20,)
    assert isinstance(bam.energy(xs[0], ys[0]), float)
    rb = bam.recall(x=xs)
    assert rb.states.shape == (3, 9) and rb.energies.shape[0] == 3
    assert np.array_equal(rb.take([1]).extras["x"], xs[[1]])
    assert np.array_equal(bam.energy(xs, ys), -np.einsum("ij,jk,ik->i", xs, bam.weights, ys))


def test_bad_input_is_rejected_with_a_clear_message():
    xs, ys = hf.patterns.random(3, 6, rng=0), hf.patterns.random(3, 4, rng=1)
    bam = BidirectionalMemory()
    with pytest.raises(RuntimeError, match="store"):
        bam.recall(x=xs)
    with pytest.raises(ValueError, match="y: expected one row per row of x"):
        bam.store(xs, ys[:2])
    with pytest.raises(ValueError, match="binarize"):
        bam.store(A_BIN, B)
    with pytest.raises(ValueError, match="x: contains NaN"):
        bam.store(np.where(xs > 0, np.nan, -1.0), ys)
    with pytest.raises(TypeError, match="y: expected a real numeric array"):
        bam.store(xs, [["a"] * 4] * 3)
    bam.store(xs, ys)
    with pytest.raises(ValueError, match="x: expected 6 neurons"):
        bam.store(hf.patterns.random(3, 5, rng=2), ys)
    with pytest.raises(ValueError, match="y: expected 4 neurons"):
        bam.recall(y=xs)
    with pytest.raises(ValueError, match="at least one side"):
        bam.recall()
    with pytest.raises(ValueError, match="y: expected as many rows as x"):
        bam.recall(x=xs, y=ys[:2])
    with pytest.raises(ValueError, match="y: expected as many rows as x"):
        bam.recall(x=xs[0], y=ys)
    with pytest.raises(ValueError, match="x: expected values"):
        bam.recall(x=xs * 2)
    with pytest.raises(ValueError, match="max_steps"):
        bam.recall(x=xs, max_steps=0)
    with pytest.raises(ValueError, match="both sides"):
        bam.energy(xs, None)


def test_state_round_trip_and_damaged_records():
    xs, ys = hf.patterns.random(4, 25, rng=0), hf.patterns.random(4, 15, rng=1)
    bam = BidirectionalMemory().store(xs, ys)
    params, arrays = bam._state()
    back = BidirectionalMemory._from_state(params, arrays, source="mem")
    assert np.array_equal(back.weights, bam.weights)
    cues = hf.patterns.flip(xs, 0.2, rng=2)
    assert np.array_equal(back.recall(x=cues).states, bam.recall(x=cues).states)
    with pytest.raises(ValueError, match="damaged BidirectionalMemory"):
        BidirectionalMemory._from_state(params, {"x": xs}, source="mem")
    with pytest.raises(ValueError, match="inconsistent shapes"):
        BidirectionalMemory._from_state(params, {"x": xs, "y": ys[:3]}, source="mem")

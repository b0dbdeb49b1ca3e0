"""Tests for the sequence memories: linear (Hebbian), dense (Chaudhry et al.) and delayed."""

import numpy as np
import pytest

import hopfield as hf
from hopfield.functions import Exponential, Polynomial, RectifiedPolynomial
from hopfield.models.sequence import DelayedSequenceMemory, SequenceMemory, SequenceRecall


def _step(field: np.ndarray, state: np.ndarray) -> np.ndarray:
    """sign(field), ties keeping the state (and an unknown bit becoming +1)."""
    return np.where(field > 0, 1, np.where(field < 0, -1, np.where(state == 0, 1, state)))


def _naive_linear(x, cue, steps, cyclic=True):
    """σ ← sign(J σ) with the integer matrix N·J = Σ_μ ξ^{μ+1} ξ^μᵀ: exact ties."""
    x = x.astype(np.int64)
    post = np.roll(x, -1, axis=0) if cyclic else x[1:]
    j = post.T @ x[: len(post)]
    states = [cue.astype(np.int64)]
    for _ in range(steps):
        states.append(_step(j @ states[-1], states[-1]))
    return np.array(states)


def _naive_polynomial(x, cue, steps, n):
    """σ ← sign(Σ_μ ξ^{μ+1} (ξ^μ·σ)^n), a loop over μ in exact integers (N^n scales out)."""
    x = x.astype(np.int64)
    states = [cue.astype(np.int64)]
    for _ in range(steps):
        s = states[-1]
        field = np.zeros(x.shape[1], dtype=np.int64)
        for mu in range(len(x)):
            field += x[(mu + 1) % len(x)] * int(x[mu] @ s) ** n
        states.append(_step(field, s))
    return np.array(states)


def _one_step_transitions(model, x):
    """How many of the cyclic transitions ξ^μ → ξ^{μ+1} one step from ξ^μ gets exactly right."""
    r = model.store(x, cyclic=True).recall(x, max_steps=1)
    return int((r.states[:, 1] == np.roll(x, -1, axis=0)).all(axis=1).sum())


def test_chaudhry_dense_rule_recalls_all_100_transitions_where_the_linear_rule_fails():
    # Chaudhry et al. (2023): N = 300, a cycle of 100 patterns (α = 0.33 > 0.269).
    x = hf.patterns.random(100, 300, rng=0)
    assert _one_step_transitions(SequenceMemory(), x) < 10  # measured: 0 of 100
    for f in (Polynomial(2), RectifiedPolynomial(2), Polynomial(3), Exponential(10.0)):
        assert _one_step_transitions(SequenceMemory(interaction=f), x) == 100
    r = SequenceMemory(Polynomial(2)).store(x, cyclic=True).recall(x[0], max_steps=250)
    assert r.matches.tolist() == [t % 100 for t in range(251)] and (r.overlaps == 1.0).all()


def test_linear_rule_equals_polynomial_1_and_the_naive_weight_matrix():
    x = hf.patterns.random(20, 60, rng=0)
    cues = np.concatenate([hf.patterns.random(6, 60, rng=1), hf.patterns.flip(x[:4], 0.3, rng=2)])
    linear = SequenceMemory().store(x, cyclic=True)
    poly1 = SequenceMemory(Polynomial(1)).store(x, cyclic=True)
    a, b = linear.recall(cues, max_steps=12), poly1.recall(cues, max_steps=12)
    assert np.array_equal(a.states, b.states) and np.array_equal(a.matches, b.matches)
    for i, cue in enumerate(cues):
        assert np.array_equal(a.states[i], _naive_linear(x, cue, 12))
    post = np.roll(x, -1, axis=0).astype(float)
    assert np.allclose(linear.weights, post.T @ x / 60)
    assert not np.allclose(linear.weights, linear.weights.T)


def test_dense_polynomial_matches_a_naive_loop_over_transitions():
    x = hf.patterns.random(25, 40, rng=0)
    cues = hf.patterns.random(8, 40, rng=1)
    for n in (2, 3):
        r = SequenceMemory(Polynomial(n)).store(x, cyclic=True).recall(cues, max_steps=6)
        for i, cue in enumerate(cues):
            assert np.array_equal(r.states[i], _naive_polynomial(x, cue, 6, n))


def test_exponential_with_a_steep_beta_does_not_overflow():
    # exp(β ξ·σ/N) reaches exp(5000): the shift by the largest overlap keeps it finite.
    x = hf.patterns.random(50, 200, rng=0)
    mem = SequenceMemory(Exponential(5000.0)).store(x, cyclic=True)
    with np.errstate(over="raise", invalid="raise"):
        r = mem.recall(hf.patterns.flip(x[:5], 0.2, rng=1), max_steps=10)
    assert np.array_equal(r.matches[:, -1], np.arange(5) + 10) and (r.overlaps[:, 1:] == 1).all()


def test_hebbian_sequence_capacity_retrieves_at_0_15_and_fails_at_0_30():
    # Düring, Coolen & Sherrington (1998): α_c ≈ 0.269. N = 2000 as asked; one step is two
    # GEMMs of (10, 2000) by (2000, K). Measured (seeds 0-3), overlap with the right element
    # after 30 steps from 10 clean starts: α = 0.15 ≥ 0.98 for every start; α = 0.30 mean
    # 0.06-0.08 (overlap after 1 step is still 0.93: the state drifts away over the steps).
    n, steps = 2000, 30
    for alpha, retrieves in ((0.15, True), (0.30, False)):
        k = int(alpha * n)
        x = hf.patterns.random(k, n, rng=0)
        starts = np.arange(0, k, k // 10)[:10]
        r = SequenceMemory().store(x, cyclic=True).recall(x[starts], max_steps=steps)
        target = (starts + steps) % k
        final = (r.states[:, -1].astype(float) * x[target]).mean(axis=1)
        if retrieves:
            assert final.min() > 0.95 and np.array_equal(r.matches[:, -1], target)
        else:
            assert final.mean() < 0.3


def test_several_sequences_open_and_cyclic_and_partial_cues():
    x = hf.patterns.random(16, 200, rng=0)
    a, b, c = x[:5], x[5:12], x[12:]
    mem = SequenceMemory(Polynomial(2)).store([a, b]).store(c, cyclic=True)
    assert mem.cyclic == (False, False, True) and mem.n_transitions == 4 + 6 + 4
    assert [len(s) for s in mem.sequences] == [5, 7, 4]
    assert np.array_equal(mem.patterns, x)
    r = mem.recall(hf.patterns.mask(x[[0, 5, 12]], 0.5, rng=1), max_steps=4)
    assert r.matches.tolist() == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [12, 13, 14, 15, 12]]
    assert (r.overlaps[:, 1:] == 1.0).all() and set(np.unique(r.states[:, 1:])) == {-1, 1}
    # An (S, L, N) array is S sequences.
    three = SequenceMemory().store(x[:15].reshape(3, 5, 200))
    assert len(three.sequences) == 3 and three.n_transitions == 12


def test_single_cue_shapes_and_result():
    x = hf.patterns.random(5, 50, rng=0)
    r = SequenceMemory(Polynomial(2)).store(x, cyclic=True).recall(x[2], max_steps=3)
    assert isinstance(r, SequenceRecall)
    assert r.states.shape == (4, 50) and r.matches.shape == (4,) and r.overlaps.shape == (4,)
    assert r.matches.tolist() == [2, 3, 4, 0] and r.states.dtype == np.int8
    assert "SequenceRecall" in repr(r)


def test_delayed_memory_dwells_on_each_element_for_delay_plus_one_steps():
    # Sompolinsky & Kanter (1986): the symmetric term holds, the delayed transition moves.
    x = hf.patterns.random(10, 500, rng=0)
    mem = DelayedSequenceMemory(strength=2.0, delay=3).store(x, cyclic=True)
    steps = 6 * 4 * 10
    cues = np.stack([x[0], hf.patterns.flip(x[0], 0.1, rng=1)])
    r = mem.recall(cues, max_steps=steps)
    expected = (np.arange(steps + 1) // 4) % 10
    assert np.array_equal(r.matches, np.stack([expected, expected]))
    assert r.overlaps[:, 1:].min() > 0.9  # measured 0.988 clean, 0.94 from the noisy cue
    # With λ < 1 the symmetric term wins: the network stays at the cued element.
    held = DelayedSequenceMemory(strength=0.5, delay=3).store(x, cyclic=True)
    assert (held.recall(x[3], max_steps=40).matches == 3).all()
    # No delay: one element per step.
    quick = DelayedSequenceMemory(strength=2.0, delay=0).store(x, cyclic=True)
    assert quick.recall(x[0], max_steps=25).matches.tolist() == [t % 10 for t in range(26)]


def test_delayed_memory_matches_a_naive_reference():
    x = hf.patterns.random(12, 50, rng=0).astype(np.int64)
    delay, lam, steps = 2, 3, 15
    sym = x.T @ x
    np.fill_diagonal(sym, 0)
    trans = np.roll(x, -1, axis=0).T @ x
    cues = hf.patterns.random(6, 50, rng=1)
    r = (
        DelayedSequenceMemory(float(lam), delay=delay)
        .store(x, cyclic=True)
        .recall(cues, max_steps=steps)
    )
    for i, cue in enumerate(cues):
        states = [cue.astype(np.int64)]
        for t in range(steps):
            late = states[t - delay] if t >= delay else np.zeros(50, np.int64)
            states.append(_step(sym @ states[t] + lam * (trans @ late), states[t]))
        assert np.array_equal(r.states[i], np.array(states))


def test_bad_input_is_rejected_with_a_clear_message():
    x = hf.patterns.random(4, 10, rng=0)
    with pytest.raises(TypeError, match="interaction"):
        SequenceMemory("poly")
    with pytest.raises(RuntimeError, match="store"):
        SequenceMemory().recall(x[0])
    with pytest.raises(ValueError, match="sequence: expected at least 2 elements"):
        SequenceMemory().store(x[:1])
    with pytest.raises(ValueError, match="sequence: expected a 2-D array"):
        SequenceMemory().store(x[0])
    with pytest.raises(ValueError, match=r"sequence\[1\]: expected 10 neurons"):
        SequenceMemory().store([x, hf.patterns.random(3, 9, rng=1)])
    with pytest.raises(ValueError, match="binarize"):
        SequenceMemory().store((x + 1) // 2)
    with pytest.raises(ValueError, match="NaN"):
        SequenceMemory().store(np.where(x > 0, np.nan, -1.0))
    with pytest.raises(TypeError, match="cyclic"):
        SequenceMemory().store(x, cyclic="yes")
    mem = SequenceMemory(Polynomial(2)).store(x)
    with pytest.raises(ValueError, match="sequence: expected 10 neurons"):
        mem.store(hf.patterns.random(3, 12, rng=1))
    with pytest.raises(ValueError, match="cues: expected 10 neurons"):
        mem.recall(hf.patterns.random(2, 12, rng=1))
    with pytest.raises(ValueError, match="cues: expected values"):
        mem.recall(x * 3)
    with pytest.raises(ValueError, match="steps"):
        mem.recall(x, max_steps=0)
    with pytest.raises(AttributeError, match="no weight matrix"):
        _ = mem.weights
    with pytest.raises(ValueError, match="strength"):
        DelayedSequenceMemory(strength=-1.0)
    with pytest.raises(ValueError, match="delay"):
        DelayedSequenceMemory(delay=-1)


@pytest.mark.parametrize(
    "model",
    [SequenceMemory(), SequenceMemory(Exponential(3.0)), DelayedSequenceMemory(1.5, delay=2)],
    ids=repr,
)
def test_state_round_trip_and_damaged_records(model):
    x = hf.patterns.random(9, 40, rng=0)
    model.store([x[:4], x[4:6]], cyclic=True).store(x[6:])
    params, arrays = model._state()
    back = type(model)._from_state(params, arrays, source="mem")
    assert repr(back) == repr(model) and back.cyclic == (True, True, False)
    cues = hf.patterns.flip(x, 0.1, rng=1)
    again = back.recall(cues, max_steps=8).states
    assert np.array_equal(again, model.recall(cues, max_steps=8).states)
    with pytest.raises(ValueError, match="damaged"):
        type(model)._from_state(params, {"patterns": x}, source="mem")
    bad = dict(arrays, lengths=np.array([4, 2, 2]))
    with pytest.raises(ValueError, match="inconsistent shapes"):
        type(model)._from_state(params, bad, source="mem")

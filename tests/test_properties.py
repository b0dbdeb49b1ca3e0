"""Property-based tests (hypothesis) of the public entry points and the models' invariants.

Bounded and derandomised by the profile in conftest.py: each property runs a fixed set of at
most 25 examples, small enough for the CI budget.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import hopfield as hf

SMALL = settings(max_examples=20)


def _bipolar(draw, k, n):
    bits = draw(hnp.arrays(np.bool_, (k, n)))
    return np.where(bits, 1, -1).astype(np.int8)


@st.composite
def stored_and_cues(draw, max_n=24, max_k=4):
    n = draw(st.integers(6, max_n))
    k = draw(st.integers(1, max_k))
    x = _bipolar(draw, k, n)
    cues = _bipolar(draw, draw(st.integers(1, 4)), n)
    return x, cues


# -- bad input: a ValueError or TypeError that names the argument ----------------------------
@st.composite
def bad_bipolar(draw, n):
    """An array that is not a valid (B, N) ±1 batch, and what is wrong with it."""
    kind = draw(st.sampled_from(["width", "ndim", "value", "nan", "bool", "complex", "empty"]))
    good = np.where(draw(hnp.arrays(np.bool_, (2, n))), 1, -1)
    if kind == "width":
        return np.ones((2, n + draw(st.integers(1, 3))))
    if kind == "ndim":
        return np.ones((2, 2, n))
    if kind == "value":
        bad = good.astype(np.float64)
        bad[draw(st.integers(0, 1)), draw(st.integers(0, n - 1))] = draw(
            st.sampled_from([2.0, 0.5, -3.0])
        )
        return bad
    if kind == "nan":
        bad = good.astype(np.float64)
        bad[0, 0] = draw(st.sampled_from([np.nan, np.inf]))
        return bad
    if kind == "bool":
        return good > 0
    if kind == "complex":
        return good.astype(np.complex128)
    return np.ones((0, n))


ENTRY_POINTS = {
    "Hopfield.recall": (lambda net, a: net.recall(a), "cues"),
    "Hopfield.energy": (lambda net, a: net.energy(a), "states"),
    "Hopfield.store": (lambda net, a: hf.Hopfield().store(a), "patterns"),
    "is_fixed_point": (lambda net, a: hf.is_fixed_point(net, a), "states"),
    "DenseAssociativeMemory.store": (
        lambda net, a: hf.DenseAssociativeMemory(hf.Polynomial(3)).store(a),
        "patterns",
    ),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@SMALL
@given(data=st.data())
def test_bad_arrays_are_refused_naming_the_argument(entry, data):
    n = 12
    net = hf.Hopfield().store(hf.patterns.random(2, n, rng=0))
    call, name = ENTRY_POINTS[entry]
    bad = data.draw(bad_bipolar(n))
    if entry.endswith("store") and bad.shape[-1:] != (n,) and bad.ndim == 2 and bad.size:
        return  # a store of another width is a valid new network
    with pytest.raises((ValueError, TypeError), match=name):
        call(net, bad)


@SMALL
@given(
    beta=st.one_of(
        st.sampled_from([0.0, -1.0, np.nan, np.inf, "1", None, True]), st.floats(max_value=0)
    )
)
def test_bad_parameters_are_refused_naming_them(beta):
    with pytest.raises((ValueError, TypeError), match="beta"):
        hf.ModernHopfield(beta=beta)
    with pytest.raises((ValueError, TypeError), match="beta"):
        hf.Exponential(beta)


# -- inputs are never modified; equivalent inputs give identical results ---------------------
@SMALL
@given(case=stored_and_cues())
def test_inputs_are_never_modified_and_never_kept(case):
    x, cues = case
    x_before, cues_before = x.copy(), cues.copy()
    models = [
        hf.Hopfield().store(x),
        hf.DenseAssociativeMemory(hf.RectifiedPolynomial(3)).store(x),
        hf.Hopfield("storkey").store(x),
    ]
    results = [m.recall(cues, rng=1).states.copy() for m in models]
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(cues, cues_before)
    x *= -1  # editing the caller's arrays afterwards changes nothing stored
    cues *= -1
    for m, before in zip(models, results, strict=True):
        np.testing.assert_array_equal(m.recall(cues_before, rng=1).states, before)


@SMALL
@given(case=stored_and_cues(), layout=st.sampled_from(["int64", "float64", "F", "list", "view"]))
def test_equivalent_inputs_give_identical_results(case, layout):
    x, cues = case

    def convert(a):
        if layout == "list":
            return a.tolist()
        if layout == "F":
            return np.asfortranarray(a)
        if layout == "view":
            return np.repeat(a, 2, axis=0)[::2]
        return a.astype(layout)

    for make in (hf.Hopfield, lambda: hf.DenseAssociativeMemory(hf.Polynomial(3))):
        ref = make().store(x)
        alt = make().store(convert(x))
        np.testing.assert_array_equal(ref.weights if hasattr(ref, "weights") else 0,
                                      alt.weights if hasattr(alt, "weights") else 0)  # fmt: skip
        a, b = ref.recall(cues, rng=3), alt.recall(convert(cues), rng=3)
        np.testing.assert_array_equal(a.states, b.states)
        np.testing.assert_array_equal(a.energies, b.energies)
        np.testing.assert_array_equal(ref.energy(cues), alt.energy(convert(cues)))


# -- model invariants ------------------------------------------------------------------------
@SMALL
@given(case=stored_and_cues(max_n=32, max_k=6), rule=st.sampled_from(["hebbian", "storkey"]))
def test_async_energy_never_rises_and_ends_at_a_fixed_point(case, rule):
    x, cues = case
    net = hf.Hopfield(rule).store(x)
    r = net.recall(cues, max_steps=200, rng=2)
    e = np.atleast_2d(r.energies)
    scale = 1e-9 * max(1.0, np.abs(e).max())
    assert np.all(np.diff(e, axis=1) <= scale)
    assert r.converged.all()
    assert hf.is_fixed_point(net, r.states).all()


@SMALL
@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(1, 12),
    d=st.integers(2, 10),
    beta=st.floats(0.01, 50.0),
    scale=st.floats(0.1, 10.0),
    separation=st.sampled_from(["softmax", "sparsemax"]),
)
def test_modern_energy_stays_in_its_bounds_after_an_update(seed, k, d, beta, scale, separation):
    rng = np.random.default_rng(seed)
    x = scale * rng.standard_normal((k, d))
    net = hf.ModernHopfield(beta=beta, separation=separation).store(x)
    # Any query, however far: after one update the state is in the memories' convex hull.
    q = 5 * scale * rng.standard_normal((3, d))
    r = net.recall(q, max_steps=3, tol=0.0)
    m2 = net.max_norm**2
    after = r.energies[:, 1:]
    assert np.all(after >= -1e-9 * max(1.0, m2)) and np.all(after <= 2 * m2 * (1 + 1e-9))
    assert np.all(np.diff(r.energies, axis=1) <= 1e-9 * max(1.0, m2))


@SMALL
@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(2, 40),
    chunk=st.integers(1, 7),
    beta=st.floats(0.1, 20.0),
    hetero=st.booleans(),
)
def test_streamed_equals_unstreamed(seed, k, chunk, beta, hetero):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((k, 6))
    values = rng.standard_normal((k, 3)) if hetero else None
    q = rng.standard_normal((4, 6))
    whole = hf.ModernHopfield(beta=beta).store(x, values)
    parts = hf.ModernHopfield(beta=beta, chunk_size=chunk).store(x, values)
    np.testing.assert_allclose(parts.retrieve(q), whole.retrieve(q), rtol=1e-9, atol=1e-12)
    a, b = whole.recall(q, max_steps=2), parts.recall(q, max_steps=2)
    np.testing.assert_allclose(b.states, a.states, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.energies, a.energies, rtol=1e-9, atol=1e-12)


@settings(max_examples=10)
@given(case=stored_and_cues(), which=st.sampled_from(["hopfield", "dense", "modern", "sparse"]))
def test_save_and_load_round_trip(tmp_path_factory, case, which):
    x, cues = case
    path = tmp_path_factory.mktemp("rt") / "model"
    if which == "hopfield":
        model = hf.Hopfield(bias=0.25).store(x)
    elif which == "dense":
        model = hf.DenseAssociativeMemory(hf.Exponential(2.0)).store(x)
    elif which == "modern":
        model, cues = hf.ModernHopfield(beta=4.0).store(x.astype(float)), cues.astype(float)
    else:
        x, cues = (x + 1) // 2, (cues + 1) // 2
        model = hf.SparseHopfield(a=0.5, threshold=0.0).store(x)
    back = hf.load(hf.save(model, path))
    assert type(back) is type(model)
    np.testing.assert_array_equal(back.energy(cues), model.energy(cues))
    if which == "modern":
        np.testing.assert_array_equal(back.recall(cues).states, model.recall(cues).states)
    else:
        np.testing.assert_array_equal(
            back.recall(cues, rng=4).states, model.recall(cues, rng=4).states
        )

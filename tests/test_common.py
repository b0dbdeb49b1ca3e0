"""One contract, checked over every model (as scikit-learn's ``parametrize_with_checks`` does).

Each case says how to build a small stored model, its data and a batch of cues; every check
below runs on every case: the shapes and types of ``store``/``recall``/``energy``, read-only
learned state, inputs never modified nor kept, save/load round trips, and the errors for bad
input. A new model joins by adding one case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest

import hopfield as hf


@dataclasses.dataclass
class Case:
    name: str
    make: Callable  # () -> an unfitted model
    data: Callable  # () -> tuple of positional arrays for store
    cues: Callable  # (data) -> (B, N) cues for recall
    recall: dict  # keyword arguments of recall
    energy: Callable | None = None  # (model, states) -> energies, None: no energy
    binary: bool = True
    levels: tuple = (-1, 1)  # the values of a binary state
    cue_name: str = "cues"
    keyword: bool = False  # recall takes the cues as the keyword ``cue_name``

    def run(self, model, cues):
        if self.keyword:
            return model.recall(**{self.cue_name: cues}, **self.recall)
        return model.recall(cues, **self.recall)

    def __repr__(self) -> str:
        return self.name


def _pm(k, n, seed):
    return hf.patterns.random(k, n, rng=seed)


def _floats(k, n, seed):
    return np.random.default_rng(seed).standard_normal((k, n)).astype(np.float32)


def _flip(data):
    return hf.patterns.flip(data[0][:4], 0.1, rng=5)


def _noisy(data):
    x = data[0][:4]
    return x + np.float32(0.05) * np.random.default_rng(5).standard_normal(x.shape).astype(x.dtype)


CASES = [
    Case("Hopfield", hf.Hopfield, lambda: (_pm(5, 40, 0),), _flip, {"rng": 1},
         lambda m, s: m.energy(s)),
    Case("Hopfield-storkey", lambda: hf.Hopfield(rule="storkey"), lambda: (_pm(5, 40, 0),),
         _flip, {"update": "sync"}, lambda m, s: m.energy(s)),
    Case("Dense", lambda: hf.DenseAssociativeMemory(hf.RectifiedPolynomial(3)),
         lambda: (_pm(30, 40, 0),), _flip, {"rng": 1}, lambda m, s: m.energy(s)),
    Case("Dense-exp", lambda: hf.DenseAssociativeMemory(hf.Exponential(0.5)),
         lambda: (_pm(30, 40, 0),), _flip, {"update": "sync"}, lambda m, s: m.energy(s)),
    Case("Sparse", lambda: hf.SparseHopfield(0.1),
         lambda: (hf.patterns.sparse(5, 100, 0.1, rng=0),),
         lambda d: d[0][:4].copy(), {}, lambda m, s: m.energy(s), levels=(0, 1)),
    Case("Modern", lambda: hf.ModernHopfield(beta=4.0), lambda: (_floats(20, 16, 0),), _noisy,
         {"max_steps": 3}, lambda m, s: m.energy(s), binary=False, cue_name="cues"),
    Case("Modern-values", lambda: hf.ModernHopfield(beta=4.0),
         lambda: (_floats(20, 16, 0), _floats(20, 3, 1)), _noisy, {}, None, binary=False,
         cue_name="cues"),
    Case("Universal", lambda: hf.UniversalMemory("euclidean", "softmax", beta=4.0),
         lambda: (_floats(20, 16, 0),), _noisy, {}, None, binary=False, cue_name="cues"),
    Case("Hidden", lambda: hf.HiddenNeuronNetwork.model_b(beta=4.0),
         lambda: (_floats(20, 16, 0),), _noisy, {"method": "euler", "dt": 0.5, "t_max": 2.0},
         lambda m, s: m.energy(s), binary=False),
    Case("Bidirectional", hf.BidirectionalMemory, lambda: (_pm(3, 40, 0), _pm(3, 24, 1)), _flip,
         {}, lambda m, s: m.energy(s, m.recall(x=s).states), cue_name="x", keyword=True),
    Case("Sequence", hf.SequenceMemory, lambda: (_pm(6, 60, 0),),
         lambda d: d[0][:3].copy(), {"max_steps": 3}, None),
]


def _fit(case):
    data = case.data()
    return case.make().store(*data), data


@pytest.fixture(params=CASES, ids=repr)
def case(request):
    return request.param


def test_recall_before_store_says_what_to_do(case):
    model = case.make()
    data = case.data()
    with pytest.raises(RuntimeError, match="store"):
        case.run(model, case.cues(data))


def test_store_returns_the_model_and_recall_has_the_documented_shapes(case):
    model = case.make()
    data = case.data()
    assert model.store(*data) is model
    cues = case.cues(data)
    r = case.run(model, cues)
    b = len(cues)
    assert len(r.states) == b
    if case.binary:
        assert r.states.dtype == np.int8
        assert set(np.unique(r.states).tolist()) <= set(case.levels)
    else:
        assert np.issubdtype(r.states.dtype, np.floating)
        assert np.isfinite(r.states).all()
    if hasattr(r, "converged"):
        assert r.converged.shape == (b,) and r.converged.dtype == np.bool_
        assert r.steps.shape == (b,) and np.issubdtype(r.steps.dtype, np.integer)
        assert r.energies.ndim == 2 and len(r.energies) == b
    one = case.run(model, cues[0])
    assert one.states.shape == r.states.shape[1:]
    if "rng" not in case.recall:  # deterministic: one cue alone gives its row of the batch
        np.testing.assert_allclose(one.states, r.states[0], rtol=1e-6)


def test_energy_of_a_batch_and_of_one_state(case):
    if case.energy is None:
        pytest.skip(f"{case.name} has no energy function")
    model, data = _fit(case)
    states = case.cues(data)
    e = np.asarray(case.energy(model, states))
    assert e.shape == (len(states),) and np.isfinite(e).all()
    one = case.energy(model, states[0])
    assert isinstance(one, float)
    # float32 models compute in float32: a batch and a single state may round differently.
    rel = 1e-12 if e.dtype == np.float64 and case.binary else 1e-6
    assert one == pytest.approx(float(e[0]), rel=rel, abs=rel)


def test_recall_never_raises_the_energy_of_a_binary_model(case):
    if not case.binary or case.energy is None:
        pytest.skip("a binary model with an energy")
    model, data = _fit(case)
    r = case.run(model, case.cues(data))
    assert not hf.dynamics.trajectory_energies_rise(r.energies)
    if not case.keyword:  # a bidirectional memory's energy is that of the pair, not of states
        np.testing.assert_allclose(r.energies[:, -1], case.energy(model, r.states), rtol=1e-12)


def _arrays_of(model):
    out = {}
    for name in ("weights", "patterns", "values", "bias"):
        try:
            a = getattr(model, name, None)
        except RuntimeError:
            continue
        if isinstance(a, np.ndarray):
            out[name] = a
    return out


def test_learned_state_is_read_only(case):
    model, _ = _fit(case)
    arrays = _arrays_of(model)
    assert arrays, f"{case.name} exposes no learned array"
    for name, a in arrays.items():
        with pytest.raises(ValueError, match="read-only"):
            a.flat[0] = 0
        assert not np.shares_memory(a, case.data()[0]), name


def test_inputs_are_never_modified_nor_kept(case):
    data = case.data()
    before = [d.copy() for d in data]
    model = case.make().store(*data)
    cues = case.cues(data)
    cues_before = cues.copy()
    r1 = case.run(model, cues)
    learned = {name: a.copy() for name, a in _arrays_of(model).items()}
    for d, b in zip(data, before, strict=True):
        np.testing.assert_array_equal(d, b)
    np.testing.assert_array_equal(cues, cues_before)
    # Editing the caller's arrays afterwards must not reach the model.
    for d in data:
        d[...] = np.roll(d, 1, axis=-1)
    r2 = case.run(model, cues)
    np.testing.assert_array_equal(r1.states, r2.states)
    for name, a in _arrays_of(model).items():
        np.testing.assert_array_equal(a, learned[name], err_msg=f"{name} follows the caller")


def test_save_load_round_trip(case, tmp_path):
    model, data = _fit(case)
    path = hf.save(model, tmp_path / "model.npz")
    loaded = hf.load(path)
    assert type(loaded) is type(model)
    cues = case.cues(data)
    np.testing.assert_array_equal(
        case.run(loaded, cues).states, case.run(model, cues).states
    )
    for name, a in _arrays_of(model).items():
        np.testing.assert_array_equal(getattr(loaded, name), a, err_msg=name)


def test_a_cue_of_the_wrong_width_names_the_argument(case):
    model, data = _fit(case)
    cues = case.cues(data)
    with pytest.raises(ValueError, match=case.cue_name):
        case.run(model, cues[:, :-1])


def test_nan_and_boolean_cues_are_refused(case):
    model, data = _fit(case)
    cues = case.cues(data).astype(np.float64)
    cues[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        case.run(model, cues)
    with pytest.raises(TypeError, match="boolean"):
        case.run(model, cues > 0)


def test_an_empty_store_is_refused(case):
    data = case.data()
    empty = tuple(d[:0] for d in data)
    with pytest.raises(ValueError, match="empty|non-empty"):
        case.make().store(*empty)


def test_repr_is_one_short_line(case):
    model, data = _fit(case)
    for obj in (case.make(), model, case.run(model, case.cues(data))):
        text = repr(obj)
        assert "\n" not in text and len(text) < 200, text


# -- one vocabulary (DESIGN.md) -------------------------------------------------------------
def test_recall_speaks_the_vocabulary(case):
    import inspect

    params = inspect.signature(case.make().recall).parameters
    if not case.keyword:
        assert next(iter(params)) == "cues"
    limits = {"max_steps", "t_max"} & set(params)
    assert limits, f"{case.name}.recall has no max_steps"
    for old in ("max_sweeps", "steps", "queries", "known"):
        assert old not in params
    if "clamp" not in params:
        assert case.name in ("Sequence", "Hidden", "Bidirectional")


def test_an_unknown_keyword_suggests_the_closest(case):
    model, data = _fit(case)
    with pytest.raises(TypeError, match="did you mean 'max_steps'"):
        model.recall(**{case.cue_name: case.cues(data)}, max_stepz=3)


def test_learned_state_has_no_trailing_underscore(case):
    model, _ = _fit(case)
    public = [n for n in dir(model) if not n.startswith("_") and n.endswith("_")]
    for name in public:  # only deprecated aliases may keep the old spelling
        with pytest.warns(DeprecationWarning):
            getattr(model, name)


# -- NumPy and PyTorch give the same answers --------------------------------------------------
def _tensor_recall(case):
    """The recall keywords for tensors: binary models run synchronously (async is compiled)."""
    kw = {k: a for k, a in case.recall.items() if k != "rng"}
    if case.binary and case.name not in ("Sequence", "Bidirectional"):
        kw["update"] = "sync"
    return kw


def test_numpy_and_torch_agree(case):
    torch = pytest.importorskip("torch")
    if case.name == "Sparse":
        pytest.skip("the sparse network runs on NumPy only (k-winners-take-all engine)")
    data = case.data()
    as64 = [torch.as_tensor(d if case.binary else d.astype(np.float64)) for d in data]
    numpy_model = case.make().store(*(d if case.binary else d.astype(np.float64) for d in data))
    torch_model = case.make().store(*as64)
    cues = case.cues(data)
    cues = cues if case.binary else cues.astype(np.float64)
    kw = _tensor_recall(case)
    run = Case(case.name, case.make, case.data, case.cues, kw, keyword=case.keyword,
               cue_name=case.cue_name)
    want, got = run.run(numpy_model, cues), run.run(torch_model, torch.as_tensor(cues))
    assert isinstance(got.states, torch.Tensor)
    np.testing.assert_allclose(got.states.numpy(), want.states, rtol=0, atol=1e-12)
    if hasattr(want, "energies"):
        e = np.asarray(want.energies)
        scale = max(1.0, float(np.nanmax(np.abs(e)))) if np.isfinite(e).any() else 1.0
        np.testing.assert_allclose(got.energies.numpy(), e, rtol=0, atol=1e-12 * scale)
        np.testing.assert_array_equal(got.converged.numpy(), want.converged)
        np.testing.assert_array_equal(got.steps.numpy(), want.steps)


def test_store_appends_and_clear_starts_over(case):
    data = case.data()
    half = tuple(d[: len(d) // 2] for d in data)
    rest = tuple(d[len(d) // 2 :] for d in data)
    model = case.make().store(*half)
    if case.name != "Sequence":  # a sequence memory stores whole sequences
        model.store(*rest)
        whole = case.make().store(*data)
        cues = case.cues(data)
        np.testing.assert_allclose(case.run(model, cues).states, case.run(whole, cues).states)
    assert model.clear() is model
    with pytest.raises(RuntimeError, match="store"):
        case.run(model, case.cues(data))
    again = model.store(*data)
    np.testing.assert_array_equal(
        case.run(again, case.cues(data)).states,
        case.run(case.make().store(*data), case.cues(data)).states,
    )
    assert repr(again) == repr(case.make().store(*data))

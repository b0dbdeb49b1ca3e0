"""The binary models on PyTorch tensors: the same results as NumPy, on the tensors' device.

The reference is always the NumPy path of the same model on the same seed (itself tested
against definitions in test_dense.py, test_classical.py, test_hetero.py, test_sequence.py):
integer states, steps and flags must be identical, float64 energies equal to 1e-12 of their
scale. The float32 contract is tested against the exact (float64) gaps. Tests marked for CUDA
run the same comparisons on a GPU when one is present.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is optional ([torch] extra)")

import hopfield as hf  # noqa: E402
from hopfield.models._dense_xp import rounding_bound  # noqa: E402
from hopfield.models.dense import DenseAssociativeMemory  # noqa: E402
from hopfield.models.hetero import BidirectionalMemory  # noqa: E402
from hopfield.models.sequence import DelayedSequenceMemory, SequenceMemory  # noqa: E402

CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
DEVICES = ["cpu", pytest.param("cuda", marks=CUDA)]
FUNCTIONS = [
    hf.Polynomial(3),
    hf.RectifiedPolynomial(3),
    hf.Polynomial(8),
    hf.Exponential(0.4),
    hf.Exponential(60.0),  # far weights underflow: only the exact level counts remain
]


def t(a, device="cpu"):
    return torch.as_tensor(np.asarray(a), device=device)


def n(a):
    return a.detach().cpu().numpy()


def assert_same_recall(ref, got, device):
    """Every field of a tensor Recall equals the NumPy one; dtypes and device as documented."""
    assert got.states.device.type == torch.device(device).type
    assert got.states.dtype == torch.int8 and got.energies.dtype == torch.float64
    assert type(got) is type(ref)
    fields = [f for f in ("converged", "steps", "cycled", "flips") if hasattr(ref, f)]
    for name in fields:
        want = torch.bool if name in ("converged", "cycled") else torch.int64
        assert getattr(got, name).dtype == want, name
    np.testing.assert_array_equal(n(got.states), ref.states)
    for name in fields:
        np.testing.assert_array_equal(n(getattr(got, name)), getattr(ref, name), err_msg=name)
    scale = max(1.0, float(np.abs(ref.energies).max()))
    np.testing.assert_allclose(n(got.energies), ref.energies, rtol=0, atol=1e-12 * scale)


def _cues(x, b, flip, seed, unknown=0):
    c = hf.patterns.flip(x[np.arange(b) % len(x)], flip, rng=seed).astype(np.int8)
    c[: b // 2, :unknown] = 0
    return c


# -- dense associative memory ------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("f", FUNCTIONS, ids=repr)
def test_dense_sync_recall_equals_numpy(f, device):
    x = hf.patterns.random(150, 48, rng=0)
    cues = _cues(x, 24, 0.3, 1, unknown=6)
    ref = DenseAssociativeMemory(f).store(x).recall(cues, update="sync", rng=5)
    dam = DenseAssociativeMemory(f).store(t(x, device))
    got = dam.recall(t(cues, device), update="sync", rng=5)
    assert_same_recall(ref, got, device)
    assert dam.patterns.device.type == torch.device(device).type
    assert dam.patterns.dtype == torch.int8
    # The same gaps, which is what makes the states agree: exact for polynomials.
    s = cues.astype(np.float64)
    g_ref, e_ref = DenseAssociativeMemory(f).store(x)._gap_and_energy(s)
    g, e = dam._gap_and_energy(t(s, device))
    scale = max(1.0, float(np.abs(g_ref).max()))
    np.testing.assert_allclose(n(g), g_ref, rtol=0, atol=1e-12 * scale)
    if not isinstance(f, hf.Exponential):
        np.testing.assert_array_equal(n(g), g_ref)  # exact integers in float64
    np.testing.assert_allclose(n(e), e_ref, rtol=1e-12)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("f", [hf.Polynomial(3), hf.Exponential(0.4)], ids=repr)
def test_dense_energy_and_single_cue(f, device):
    x = hf.patterns.random(60, 32, rng=2)
    ref = DenseAssociativeMemory(f).store(x)
    dam = DenseAssociativeMemory(f).store(t(x, device))
    np.testing.assert_allclose(n(dam.energy(t(x[:5], device))), ref.energy(x[:5]), rtol=1e-12)
    one = dam.energy(t(x[0], device))
    assert one.ndim == 0 and one.dtype == torch.float64
    assert float(one) == pytest.approx(ref.energy(x[0]), rel=1e-12)
    r = dam.recall(t(x[3], device), update="sync")
    assert r.states.shape == (32,) and r.steps.ndim == 0
    np.testing.assert_array_equal(n(r.states), ref.recall(x[3], update="sync").states)


def test_dense_many_memories_on_the_top_levels():
    # Duplicated memories put most of K on the top levels: the one-hot product path.
    base = hf.patterns.random(3, 40, rng=3)
    x = base[np.arange(90) % 3]
    cues = _cues(x, 12, 0.2, 4)
    for f in (hf.Exponential(0.5), hf.Exponential(5.0)):
        ref = DenseAssociativeMemory(f).store(x).recall(cues, update="sync")
        got = DenseAssociativeMemory(f).store(t(x)).recall(t(cues), update="sync")
        assert_same_recall(ref, got, "cpu")


def test_dense_store_keeps_tensors_and_copies():
    x = t(hf.patterns.random(20, 16, rng=0)).to(torch.int8)
    dam = DenseAssociativeMemory(hf.Polynomial(3)).store(x)
    before = n(dam.patterns).copy()
    x[0] = -x[0]  # the caller's tensor changes; the memory must not
    np.testing.assert_array_equal(n(dam.patterns), before)
    dam.store(t(hf.patterns.random(5, 16, rng=1)))
    assert dam.patterns.shape == (25, 16) and dam.patterns.dtype == torch.int8
    with pytest.raises(TypeError, match="stores torch tensors"):
        dam.store(hf.patterns.random(5, 16, rng=1))
    with pytest.raises(TypeError, match="stores torch tensors"):
        dam.recall(n(x), update="sync")


def test_dense_clamp_mask_as_bool_tensor():
    x = hf.patterns.random(80, 40, rng=6)
    cues = _cues(x, 10, 0.3, 7)
    clamp = np.zeros(40, dtype=bool)
    clamp[:10] = True
    f = hf.RectifiedPolynomial(3)
    ref = DenseAssociativeMemory(f).store(x).recall(cues, update="sync", clamp=clamp)
    got = DenseAssociativeMemory(f).store(t(x)).recall(t(cues), update="sync", clamp=t(clamp))
    assert_same_recall(ref, got, "cpu")
    np.testing.assert_array_equal(n(got.states)[:, :10], cues[:, :10])
    with pytest.raises(TypeError, match="boolean mask"):
        DenseAssociativeMemory(f).store(t(x)).recall(t(cues), update="sync", clamp=t(clamp * 1))


@pytest.mark.parametrize("update", ["async", "stochastic"])
def test_tensor_cues_refused_for_async_and_stochastic(update):
    x = hf.patterns.random(20, 30, rng=0)
    kwargs = {"temperature": 1.0} if update == "stochastic" else {}
    for model in (DenseAssociativeMemory().store(t(x)), hf.Hopfield().store(t(x))):
        with pytest.raises(TypeError, match=r"update='sync'.*cues.cpu\(\).numpy\(\)"):
            model.recall(t(x[:2]), update=update, **kwargs)


def test_inputs_not_modified():
    x = t(hf.patterns.random(30, 20, rng=0))
    cues = t(_cues(n(x), 6, 0.3, 1, unknown=4))
    kept = cues.clone()
    DenseAssociativeMemory(hf.Polynomial(3)).store(x).recall(cues, update="sync", rng=0)
    hf.Hopfield().store(x).recall(cues, update="sync", rng=0)
    assert torch.equal(cues, kept)


def test_float32_cues_and_float_patterns_accepted():
    x = hf.patterns.random(40, 24, rng=0)
    ref = DenseAssociativeMemory(hf.Polynomial(3)).store(x).recall(x[:4], update="sync")
    dam = DenseAssociativeMemory(hf.Polynomial(3)).store(t(x).float())
    got = dam.recall(t(x[:4]).float(), update="sync")
    assert_same_recall(ref, got, "cpu")


# -- the precision contract --------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_float32_overlaps_are_exact(device):
    # ±1 entries, integer partial sums below 2^24: the float32 product is the integer one.
    x = hf.patterns.random(64, 4096, rng=1)
    s = _cues(x, 16, 0.3, 2, unknown=100)
    dam = DenseAssociativeMemory(hf.Polynomial(3), precision="float32").store(t(x, device))
    exact = s.astype(np.int64) @ x.T.astype(np.int64)
    np.testing.assert_array_equal(n(dam._sweep.overlaps(t(s, device))), exact)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("f", [hf.Polynomial(5), hf.RectifiedPolynomial(4)], ids=repr)
def test_float32_gaps_within_bound_and_never_against_exact_sign(f, device):
    # Degree 5 at N = 120: terms up to ~2.6e10, far beyond float32's 2^24, so rounding occurs.
    x = hf.patterns.random(400, 120, rng=3)
    cues = _cues(x, 40, 0.35, 4)
    s = cues.astype(np.float64)
    exact_model = DenseAssociativeMemory(f).store(x)  # float64: exact integer gaps
    g64, _ = exact_model._gap_and_energy(s)
    dam = DenseAssociativeMemory(f, precision="float32").store(t(x, device))
    g32, e32 = dam._gap_and_energy(t(s, device))
    assert g32.dtype == torch.float32 and e32.dtype == torch.float32
    m = s @ x.T.astype(np.float64)
    terms = [np.abs(np.asarray(f(m + d))) for d in (-2.0, 0.0, 2.0)]
    scale = sum(terms).sum(axis=1)[:, None]
    bound = rounding_bound(f._code, f.n, len(x), 2.0**-24) * scale
    g32 = n(g32).astype(np.float64)
    assert (np.abs(g32 - g64) <= bound).all()
    assert np.abs(g32 - g64).max() > 0  # the case does round: the test can tell
    # Sign: never the opposite of the exact gap; a float32 tie only where |gap| <= 2 bound.
    assert not ((np.sign(g32) * np.sign(g64)) < 0).any()
    held = (g32 == 0) & (g64 != 0)
    assert (np.abs(g64[held]) <= 2 * bound[np.nonzero(held)[0], 0]).all()
    r32 = dam.recall(t(cues, device), update="sync", max_steps=1)
    r64 = exact_model.recall(cues, update="sync", max_steps=1)
    differ = n(r32.states) != r64.states
    assert (n(r32.states)[differ] == cues[differ]).all()  # only held neurons may differ


def test_float32_keeps_exact_ties():
    # Polynomial(2) is the classical network: gaps are 4 × integer fields, zero when tied.
    x = hf.patterns.random(10, 31, rng=8)
    cues = _cues(x, 50, 0.45, 9)
    g64, _ = DenseAssociativeMemory(hf.Polynomial(2)).store(x)._gap_and_energy(cues * 1.0)
    dam = DenseAssociativeMemory(hf.Polynomial(2), precision="float32").store(t(x))
    g32, _ = dam._gap_and_energy(t(cues * 1.0))
    assert (g64 == 0).sum() > 0
    np.testing.assert_array_equal(n(g32) == 0, g64 == 0)


def test_precision_option_checked():
    with pytest.raises(ValueError, match="precision"):
        DenseAssociativeMemory(hf.Exponential(1.0), precision="float32")
    with pytest.raises(ValueError, match="tensors"):
        DenseAssociativeMemory(hf.Polynomial(3), precision="float32").store([[1, -1, 1]])
    with pytest.raises(ValueError, match="did you mean"):
        DenseAssociativeMemory(hf.Polynomial(3), precision="float33")


# -- user-defined interactions -----------------------------------------------------------------
class Cube:
    """F(x) = x³ written with operators only: NumPy and torch alike."""

    def __call__(self, x):
        return x * x * x

    def derivative(self, x):
        return 3.0 * x * x

    def __repr__(self):
        return "Cube()"


class SoftExp:
    """exp(x / 4) through the array's own namespace."""

    def __call__(self, x):
        import array_api_compat

        return array_api_compat.array_namespace(x).exp(x / 4.0)

    def derivative(self, x):
        return self(x) / 4.0


def test_user_interaction_equals_builtin_on_numpy_and_torch():
    x = hf.patterns.random(120, 40, rng=1)
    cues = _cues(x, 20, 0.3, 2, unknown=5)
    ref = DenseAssociativeMemory(hf.Polynomial(3)).store(x).recall(cues, update="sync", rng=3)
    ours = DenseAssociativeMemory(Cube()).store(x)
    assert_same_numpy(ref, ours.recall(cues, update="sync", rng=3))
    np.testing.assert_array_equal(ours.energy(x[:4]), -((x[:4] @ x.T * 1.0) ** 3).sum(axis=1))
    got = DenseAssociativeMemory(Cube()).store(t(x)).recall(t(cues), update="sync", rng=3)
    assert_same_recall(ref, got, "cpu")


def assert_same_numpy(ref, got):
    for name in ("states", "converged", "steps", "cycled", "flips"):
        if not hasattr(ref, name):
            continue
        np.testing.assert_array_equal(getattr(got, name), getattr(ref, name), err_msg=name)
    np.testing.assert_allclose(got.energies, ref.energies, rtol=1e-12)


def test_user_interaction_namespace_generic_and_limits(tmp_path):
    x = hf.patterns.random(50, 30, rng=4)
    cues = _cues(x, 8, 0.2, 5)
    a = DenseAssociativeMemory(SoftExp()).store(x).recall(cues, update="sync")
    b = DenseAssociativeMemory(SoftExp()).store(t(x)).recall(t(cues), update="sync")
    assert_same_recall(a, b, "cpu")
    # exp(x/4) on the raw scale moves every neuron as Exponential(0.25) on the log scale
    # (an increasing function of the same energy): the same states, sweep for sweep.
    builtin = DenseAssociativeMemory(hf.Exponential(0.25)).store(x).recall(cues, update="sync")
    for name in ("states", "steps", "converged", "flips"):
        np.testing.assert_array_equal(getattr(a, name), getattr(builtin, name))
    np.testing.assert_allclose(np.log(-a.energies) * -4.0, builtin.energies, rtol=1e-12)
    dam = DenseAssociativeMemory(Cube()).store(x)
    with pytest.raises(TypeError, match="pickle-free"):
        hf.save(dam, tmp_path / "m")
    with pytest.raises(TypeError, match="Interaction"):
        DenseAssociativeMemory(lambda v: v)

    class Sum(Cube):
        def __call__(self, v):
            return v.sum()

    with pytest.raises(ValueError, match="elementwise"):
        DenseAssociativeMemory(Sum()).store(x).recall(cues, update="sync")


# -- classical network -------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("rule", ["hebbian", "storkey", "pseudoinverse"])
@pytest.mark.parametrize("bias", [None, 0.05])
def test_hopfield_store_recall_energy_field(rule, bias, device):
    x = hf.patterns.random(14, 50, rng=0)
    ref = hf.Hopfield(rule, bias=bias).store(x[:7]).store(x[7:])
    net = hf.Hopfield(rule, bias=bias).store(t(x[:7], device)).store(t(x[7:], device))
    assert net.weights.dtype == torch.float64
    assert net.weights.device.type == torch.device(device).type
    np.testing.assert_allclose(n(net.weights), ref.weights, rtol=0, atol=1e-12)
    cues = _cues(x, 30, 0.3, 1, unknown=3)
    assert_same_recall(
        ref.recall(cues, update="sync", rng=2),
        net.recall(t(cues, device), update="sync", rng=2),
        device,
    )
    np.testing.assert_allclose(n(net.field(t(cues, device))), ref.field(cues), atol=1e-12)
    np.testing.assert_allclose(n(net.energy(t(x, device))), ref.energy(x), atol=1e-12)


def test_hopfield_two_cycle_detected_on_tensors():
    # One pattern (1, −1): w12 = −1/2. From (1, 1) every neuron flips every sweep:
    # (1, 1) → (−1, −1) → (1, 1), a 2-cycle of synchronous updates.
    net = hf.Hopfield().store(t([[1, -1]]))
    r = net.recall(t([[1, 1], [1, -1]]), update="sync")
    assert n(r.cycled).tolist() == [True, False]
    assert n(r.converged).tolist() == [False, True]
    assert n(r.steps).tolist() == [1, 0]


def test_hopfield_perceptron_and_mixing_refused():
    x = hf.patterns.random(5, 20, rng=0)
    with pytest.raises(TypeError, match="perceptron"):
        hf.Hopfield("perceptron").store(t(x))
    net = hf.Hopfield().store(x)
    with pytest.raises(TypeError, match="stores NumPy arrays"):
        net.recall(t(x), update="sync")
    with pytest.raises(TypeError, match="stores NumPy arrays"):
        net.energy(t(x))


def test_saving_a_tensor_model_writes_numpy(tmp_path):
    x = hf.patterns.random(8, 30, rng=0)
    for model in (hf.Hopfield("storkey").store(t(x)), DenseAssociativeMemory().store(t(x))):
        back = hf.load(hf.save(model, tmp_path / "m"))
        np.testing.assert_array_equal(back.patterns, x)
        assert isinstance(back.patterns, np.ndarray)


# -- hetero-association and sequences ----------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_bam_equals_numpy(device):
    x, y = hf.patterns.random(6, 50, rng=0), hf.patterns.random(6, 30, rng=1)
    ref = BidirectionalMemory().store(x, y)
    bam = BidirectionalMemory().store(t(x, device), t(y, device))
    np.testing.assert_array_equal(n(bam.weights), ref.weights)
    cx, cy = _cues(x, 10, 0.3, 2, unknown=5), _cues(y, 10, 0.3, 3)
    for kw in ({"x": cx}, {"y": cy}, {"x": cx, "y": cy}):
        r = ref.recall(**kw)
        got = bam.recall(**{k: t(a, device) for k, a in kw.items()})
        assert_same_recall(r, got, device)
        for side in ("x", "y"):
            np.testing.assert_array_equal(n(got.extras[side]), r.extras[side])
    np.testing.assert_array_equal(n(bam.energy(t(x, device), t(y, device))), ref.energy(x, y))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(
    "make",
    [
        lambda: SequenceMemory(),
        lambda: SequenceMemory(hf.Polynomial(2)),
        lambda: SequenceMemory(hf.Exponential(4.0)),
        lambda: DelayedSequenceMemory(2.0, delay=2),
    ],
    ids=["linear", "poly2", "exp", "delayed"],
)
def test_sequences_equal_numpy(make, device):
    x = hf.patterns.random(24, 80, rng=0)
    ref = make().store(x[:12], cyclic=True).store(x[12:])
    mem = make().store(t(x[:12], device), cyclic=True).store(t(x[12:], device))
    cues = _cues(x[[0, 5, 13]], 3, 0.2, 1, unknown=3)
    r = ref.recall(cues, max_steps=10)
    got = mem.recall(t(cues, device), max_steps=10)
    assert got.states.dtype == torch.int8 and got.states.device.type == torch.device(device).type
    np.testing.assert_array_equal(n(got.states), r.states)
    np.testing.assert_array_equal(n(got.matches), r.matches)
    np.testing.assert_allclose(n(got.overlaps), r.overlaps, rtol=0, atol=1e-12)
    assert len(set(r.matches[0].tolist())) > 2  # the trajectory moves: real dynamics compared


# -- the interaction functions on tensors --------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(
    "f",
    [hf.Polynomial(3), hf.Polynomial(6), hf.RectifiedPolynomial(5), hf.Exponential(0.3)],
    ids=repr,
)
def test_functions_on_tensors_equal_numpy(f, device):
    x = np.linspace(-40.0, 40.0, 81)
    xt = t(x, device)
    for name in ("__call__", "derivative", "energy"):
        got, want = getattr(f, name)(xt), getattr(f, name)(x)
        assert torch.is_tensor(got) and got.dtype == torch.float64
        np.testing.assert_allclose(n(got), want, rtol=1e-13)
    np.testing.assert_allclose(n(f.gap(xt, xt - 2.0)), f.gap(x, x - 2.0), rtol=1e-12)
    if isinstance(f, hf.Exponential):
        np.testing.assert_allclose(n(f.log_energy(xt)), f.log_energy(x), rtol=1e-13)
    assert f(t(x, device).float()).dtype == torch.float32  # a tensor keeps its dtype


@pytest.mark.parametrize("device", DEVICES)
def test_integer_powers_exact_below_2_53(device):
    from hopfield.functions import ipow

    # 3^33 ≈ 5.6e15 < 2^53, 7^18 ≈ 1.6e15, 514^5 ≈ 3.6e13: exact integers, any sign.
    for base, n_ in ((3, 33), (-3, 33), (7, 18), (-514, 5), (514, 6), (-2, 52)):
        want = float(base**n_)
        assert float(ipow(np.array([float(base)]), n_)[0]) == want
        assert float(ipow(t([float(base)], device), n_)[0]) == want
    for n_ in (2, 3):  # torch's own pow path for these
        v = t(np.arange(-600.0, 601.0), device)
        assert torch.equal(
            ipow(v, n_), t(np.arange(-600, 601, dtype=np.int64) ** n_, device).double()
        )


def test_user_interaction_async_and_stochastic_equal_builtin():
    # The NumPy loop for a user's F makes the visits of the compiled kernel: the same random
    # orders and Glauber draws (same seed) give the same states, flips and energies.
    x = hf.patterns.random(60, 24, rng=1)
    cues = _cues(x, 6, 0.3, 2, unknown=3)
    clamp = np.zeros(24, dtype=bool)
    clamp[:4] = True
    for kwargs in ({"update": "async"}, {"update": "stochastic", "temperature": 300.0}):
        ref = DenseAssociativeMemory(hf.Polynomial(3)).store(x)
        got = DenseAssociativeMemory(Cube()).store(x)
        a = ref.recall(cues, rng=4, max_steps=6, clamp=clamp, **kwargs)
        b = got.recall(cues, rng=4, max_steps=6, clamp=clamp, **kwargs)
        assert_same_numpy(a, b)
    assert a.flips.sum() > 0

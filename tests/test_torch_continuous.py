"""The continuous models on PyTorch tensors: modern, universal and hidden-neuron networks.

The reference for every tensor result is the NumPy path run on the same numbers (same seeds):
float64 must agree to 1e-12 and float32 to 1e-5 of the result's scale. Gradients are checked
with ``torch.autograd.gradcheck`` (finite differences) in float64 at small sizes. Tests on
"cuda" repeat the CPU equalities and are skipped where no GPU is present.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is optional: pip install torch==2.13.0")

from torch.autograd import gradcheck  # noqa: E402

from hopfield import lagrangians as lg  # noqa: E402
from hopfield.functions import Exponential, Polynomial, RectifiedPolynomial  # noqa: E402
from hopfield.models.hidden import HiddenNeuronNetwork  # noqa: E402
from hopfield.models.modern import ModernHopfield  # noqa: E402
from hopfield.models.universal import SEPARATIONS, SIMILARITIES, UniversalMemory  # noqa: E402
from hopfield.separation import logsumexp, softmax, sparsemax  # noqa: E402

CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
DEVICES = ["cpu", pytest.param("cuda", marks=CUDA)]
TOL = {np.float64: 1e-12, np.float32: 1e-5}
TORCH = {np.float64: torch.float64, np.float32: torch.float32}


def _t(a, device="cpu", dtype=None):
    return None if a is None else torch.as_tensor(np.asarray(a), device=device, dtype=dtype)


def _close(got, want, dtype, what=""):
    """``got`` (tensor) equals ``want`` (NumPy) to the dtype's tolerance of ``want``'s scale."""
    assert torch.is_tensor(got), f"{what}: expected a tensor, got {type(got).__name__}"
    got = got.detach().cpu().numpy()
    want = np.asarray(want)
    assert got.shape == want.shape, f"{what}: shapes {got.shape} vs {want.shape}"
    scale = max(1.0, float(np.nanmax(np.abs(want))) if want.size else 1.0)
    np.testing.assert_allclose(got, want, rtol=0, atol=TOL[dtype] * scale, err_msg=what)


def _data(dtype, k=60, n=16, b=6, p=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((k, n)).astype(dtype)
    q = (x[:b] + 0.6 * rng.standard_normal((b, n))).astype(dtype)
    vals = rng.standard_normal((k, p)).astype(dtype)
    clamp = rng.random((b, n)) < 0.3
    return x, q, vals, clamp


# -- ModernHopfield -------------------------------------------------------------------------
MODERN = [("softmax", None), ("softmax", 16), ("sparsemax", None)]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("separation, chunk", MODERN)
@pytest.mark.parametrize("hetero", [False, True])
def test_modern_recall_equals_numpy(device, dtype, separation, chunk, hetero):
    x, q, vals, clamp = _data(dtype)
    vals = vals if hetero else None
    kw = {"separation": separation, "chunk_size": chunk}
    ref = ModernHopfield(0.5, **kw).store(x, vals)
    net = ModernHopfield(0.5, **kw).store(_t(x, device), _t(vals, device))
    mask = None if hetero else clamp
    want = ref.recall(q, max_steps=4, tol=1e-4, clamp=mask, return_weights=chunk is None)
    got = net.recall(_t(q, device), max_steps=4, tol=1e-4, clamp=_t(mask, device))
    for field in ("states", "energies"):
        _close(getattr(got, field), getattr(want, field), dtype, field)
    for field in ("converged", "steps"):
        assert getattr(got, field).device.type == device
        np.testing.assert_array_equal(getattr(got, field).cpu().numpy(), getattr(want, field))
    np.testing.assert_array_equal(got.extras["k90"].cpu().numpy(), want.extras["k90"])
    if hetero:
        _close(got.extras["key_states"], want.extras["key_states"], dtype, "key_states")
    else:
        # Clamped components hold the queries exactly.
        assert torch.equal(got.states[_t(mask, device)], _t(q, device)[_t(mask, device)])
    if chunk is None:
        full = net.recall(
            _t(q, device), max_steps=4, tol=1e-4, clamp=_t(mask, device), return_weights=True
        )
        _close(full.extras["weights"], want.extras["weights"], dtype, "weights")
    _close(net.retrieve(_t(q, device)), ref.retrieve(q), dtype, "retrieve")
    _close(net.energy(_t(q, device)), ref.energy(q), dtype, "energy")


@pytest.mark.parametrize("device", DEVICES)
def test_modern_streamed_equals_unstreamed_with_k90_beyond_the_kept_weights(device):
    # Small β spreads the weight over most of K = 3000 memories: k90 is beyond the 1024
    # weights the streamed read keeps (−1), on NumPy and tensors alike.
    x, q, _, _ = _data(np.float64, k=3000, n=8, b=5, seed=1)
    for beta, expect_beyond in ((0.05, True), (4.0, False)):
        ref = ModernHopfield(beta, chunk_size=500).store(x).recall(q, max_steps=2)
        stream = ModernHopfield(beta, chunk_size=500).store(_t(x, device))
        whole = ModernHopfield(beta).store(_t(x, device))
        rs, rw = stream.recall(_t(q, device), max_steps=2), whole.recall(_t(q, device), max_steps=2)
        _close(rs.states, ref.states, np.float64, "streamed")
        _close(rw.states, ref.states, np.float64, "whole")
        np.testing.assert_array_equal(rs.extras["k90"].cpu().numpy(), ref.extras["k90"])
        assert bool((rs.extras["k90"] == -1).all()) == expect_beyond
        if not expect_beyond:
            assert torch.equal(rs.extras["k90"], rw.extras["k90"])


def test_modern_dtype_device_and_shape_rules():
    x, q, vals, _ = _data(np.float32)
    net = ModernHopfield(1.0).store(_t(x))
    r = net.recall(_t(q))
    assert r.states.dtype == torch.float32 and r.energies.dtype == torch.float32
    assert r.converged.dtype == torch.bool and r.steps.dtype == torch.int64
    assert r.extras["k90"].dtype == torch.int64
    # float64 queries on a float32 store give float64 states, as on NumPy.
    assert net.recall(_t(q, dtype=torch.float64)).states.dtype == torch.float64
    assert net.retrieve(_t(q, dtype=torch.float64)).dtype == torch.float64
    # Integer queries take the store's dtype.
    assert net.retrieve(torch.ones(16, dtype=torch.int64)).dtype == torch.float32
    one = net.recall(_t(q[0]))
    assert one.states.shape == (16,) and one.energies.ndim == 1 and one.steps.ndim == 0
    assert net.energy(_t(q[0])).ndim == 0
    assert isinstance(net.patterns, torch.Tensor) and net.patterns.dtype == torch.float32
    # Integer memories are stored as float32 tensors.
    ints = ModernHopfield().store(torch.ones((3, 4), dtype=torch.int8))
    assert ints.patterns.dtype == torch.float32


def test_modern_low_precision_is_close_to_float32():
    x, q, vals, _ = _data(np.float32, k=200, n=32, b=8)
    ref = ModernHopfield(0.25).store(_t(x), _t(vals)).retrieve(_t(q))
    for low in (torch.bfloat16, torch.float16):
        net = ModernHopfield(0.25).store(_t(x, dtype=low), _t(vals, dtype=low))
        out = net.retrieve(_t(q, dtype=low))
        assert out.dtype == low
        r = net.recall(_t(q, dtype=low))
        assert r.states.dtype == low and r.energies.dtype == torch.float32
        # bfloat16 keeps 8 bits of mantissa: a few parts in a hundred of the payload scale.
        gap = float((out.float() - ref).abs().max() / ref.abs().max())
        assert gap < 0.05, (low, gap)


def test_modern_stored_tensors_are_copies_that_keep_the_graph():
    x, q, _, _ = _data(np.float64, k=10, n=4, b=3)
    xt = torch.tensor(x, requires_grad=True)
    original = xt.detach().clone()
    qt = _t(q)
    net = ModernHopfield(0.5).store(xt)
    before = qt.clone()
    for _ in range(2):  # two retrievals, two backward passes through the same store
        net.recall(qt, max_steps=2).states.sum().backward()
    assert xt.grad is not None and bool(xt.grad.abs().sum() > 0)
    assert torch.equal(qt, before)  # queries not modified
    with torch.no_grad():
        xt.add_(1.0)  # the caller's tensor changes; the store does not
    assert torch.equal(net.patterns, original)


@pytest.mark.parametrize("separation, chunk", MODERN)
def test_modern_gradients_match_finite_differences(separation, chunk):
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(12, 5, dtype=torch.float64, generator=gen, requires_grad=True)
    vals = torch.randn(12, 3, dtype=torch.float64, generator=gen, requires_grad=True)
    q = torch.randn(3, 5, dtype=torch.float64, generator=gen, requires_grad=True)
    kw = {"separation": separation, "chunk_size": chunk}

    def retrieve(q, x):
        return ModernHopfield(0.7, **kw).store(x).retrieve(q)

    clamp = torch.tensor([True, False, False, True, False])

    def recall(q, x):
        r = ModernHopfield(0.7, **kw).store(x).recall(q, max_steps=3, tol=0)
        return r.states, r.energies

    def clamped(q, x):
        return ModernHopfield(0.7, **kw).store(x).recall(q, max_steps=3, clamp=clamp).states

    def hetero(q, x, vals):
        return ModernHopfield(0.7, **kw).store(x, vals).recall(q, max_steps=2).states

    assert gradcheck(retrieve, (q, x))
    assert gradcheck(recall, (q, x))
    assert gradcheck(clamped, (q, x))
    assert gradcheck(hetero, (q, x, vals))


def test_modern_bad_inputs_are_refused():
    x, q, _, clamp = _data(np.float32)
    tensor_net = ModernHopfield().store(_t(x))
    numpy_net = ModernHopfield().store(x)
    with pytest.raises(TypeError, match="cues: the memories are torch tensors"):
        tensor_net.recall(q)
    with pytest.raises(TypeError, match="cues: got a torch tensor, but the memories are NumPy"):
        numpy_net.retrieve(_t(q))
    with pytest.raises(TypeError, match="patterns: every array of one memory lives in one"):
        tensor_net.store(x)
    with pytest.raises(TypeError, match="patterns: every array of one memory lives in one"):
        ModernHopfield().store(x, _t(np.ones((60, 2))))
    with pytest.raises(TypeError, match="clamp: .* boolean tensor"):
        tensor_net.recall(_t(q), clamp=clamp)
    with pytest.raises(TypeError, match="clamp: expected a boolean mask"):
        tensor_net.recall(_t(q), clamp=_t(clamp.astype(np.int8)))
    with pytest.raises(TypeError, match="cues: expected numbers, got a boolean tensor"):
        tensor_net.recall(_t(q) > 0)
    with pytest.raises(TypeError, match="clamp: got a torch tensor, but the memories are NumPy"):
        numpy_net.recall(q, clamp=_t(clamp))
    bad = _t(q)
    bad[0, 0] = float("nan")
    with pytest.raises(ValueError, match="cues: contains NaN"):
        tensor_net.retrieve(bad)
    with pytest.raises(ValueError, match="cues: expected 16 neurons"):
        tensor_net.retrieve(torch.zeros(3, 5))


def test_tensor_store_saves_and_loads_as_numpy(tmp_path):
    import hopfield as hf

    x, q, _, _ = _data(np.float64)
    net = ModernHopfield(0.5).store(_t(x))
    hf.save(net, tmp_path / "m.npz")
    back = hf.load(tmp_path / "m.npz")
    assert isinstance(back.patterns, np.ndarray) and np.array_equal(back.patterns, x)
    _close(net.retrieve(_t(q)), back.retrieve(q), np.float64, "loaded")


# -- separation functions ---------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
def test_separations_and_logsumexp_equal_numpy(device):
    rng = np.random.default_rng(3)
    z = rng.standard_normal((4, 7, 9)) * 3
    for axis in (0, 1, -1):
        _close(softmax(_t(z, device), axis=axis), softmax(z, axis=axis), np.float64, "softmax")
        _close(sparsemax(_t(z, device), axis=axis), sparsemax(z, axis=axis), np.float64, "sparse")
        _close(logsumexp(_t(z, device), axis=axis), logsumexp(z, axis=axis), np.float64, "lse")
    zt = _t(z[0], device, torch.float32)
    assert softmax(zt).dtype == sparsemax(zt).dtype == torch.float32
    big = torch.tensor([1000.0, 1000.0], device=device)
    assert abs(float(logsumexp(big)) - 1000.0 - np.log(2)) < 1e-4


def test_sparsemax_gradient_matches_finite_differences():
    z = torch.tensor([[0.9, 0.5, -1.0, 0.7], [0.1, 0.0, 0.05, -0.3]], dtype=torch.float64)
    assert gradcheck(lambda z: sparsemax(z), (z.requires_grad_(True),))


# -- UniversalMemory ----------------------------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("similarity", SIMILARITIES)
def test_universal_every_pair_equals_numpy(device, dtype, similarity):
    x, q, vals, known = _data(dtype, k=30, n=12, b=5, seed=4)
    known[:, 0] = True
    for separation in SEPARATIONS:
        for values, mask in ((None, None), (vals, None), (None, known)):
            ref = UniversalMemory(similarity, separation, beta=2.0).store(x, values)
            mem = UniversalMemory(similarity, separation, beta=2.0)
            mem.store(_t(x, device), _t(values, device))
            km = _t(mask, device)
            want = ref.recall(q, max_steps=3, clamp=mask)
            got = mem.recall(_t(q, device), max_steps=3, clamp=km)
            what = f"{similarity}+{separation}"
            _close(got.states, want.states, dtype, what)
            np.testing.assert_array_equal(got.steps.cpu().numpy(), want.steps)
            np.testing.assert_array_equal(got.converged.cpu().numpy(), want.converged)
            assert got.energies.shape == want.energies.shape
            assert bool(torch.isnan(got.energies).all())
            _close(mem.weights(_t(q, device), clamp=km), ref.weights(q, clamp=mask), dtype, what)
            _close(
                mem.similarities(_t(q, device), clamp=km),
                ref.similarities(q, clamp=mask),
                dtype,
                what,
            )


@pytest.mark.parametrize("similarity", SIMILARITIES)
def test_universal_gradients_match_finite_differences(similarity):
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(8, 4, dtype=torch.float64, generator=gen, requires_grad=True)
    vals = torch.randn(8, 2, dtype=torch.float64, generator=gen, requires_grad=True)
    q = torch.randn(3, 4, dtype=torch.float64, generator=gen, requires_grad=True)
    for separation in ("identity", "polynomial", "softmax", "sparsemax"):

        def auto(q, x, separation=separation):
            return UniversalMemory(similarity, separation, beta=0.5).store(x).recall(q).states

        def hetero(q, x, vals, separation=separation):
            mem = UniversalMemory(similarity, separation, beta=0.5).store(x, vals)
            return mem.recall(q).states

        assert gradcheck(auto, (q, x)), separation
        assert gradcheck(hetero, (q, x, vals)), separation


def test_universal_low_precision_is_close_to_float32():
    x, q, _, _ = _data(np.float32, k=50, n=16, b=4, seed=6)
    for similarity in SIMILARITIES:
        ref = UniversalMemory(similarity, "softmax", beta=2.0).store(_t(x)).recall(_t(q)).states
        low = UniversalMemory(similarity, "softmax", beta=2.0).store(_t(x, dtype=torch.bfloat16))
        out = low.recall(_t(q, dtype=torch.bfloat16)).states
        assert out.dtype == torch.bfloat16
        # 8 bits of mantissa: a few parts in a hundred of the states' scale.
        assert float((out.float() - ref).abs().max() / ref.abs().max()) < 0.05, similarity


def test_universal_bad_inputs_are_refused():
    x, q, _, known = _data(np.float32, k=10, n=16, b=3)
    mem = UniversalMemory("euclidean", "softmax").store(_t(x))
    with pytest.raises(TypeError, match="cues: the memories are torch tensors"):
        mem.recall(q)
    with pytest.raises(TypeError, match="clamp: .* boolean tensor"):
        mem.recall(_t(q), clamp=known)
    with pytest.raises(TypeError, match="clamp: got a torch tensor, but the memories are NumPy"):
        UniversalMemory().store(x).recall(q, clamp=_t(known))
    none = torch.zeros((3, 16), dtype=torch.bool)
    with pytest.raises(ValueError, match="clamp: every query needs at least one"):
        mem.recall(_t(q), clamp=none)


# -- HiddenNeuronNetwork ------------------------------------------------------------------------
def _hidden_nets():
    return {
        "model_a": lambda: HiddenNeuronNetwork.model_a(RectifiedPolynomial(3)),
        "model_b": lambda: HiddenNeuronNetwork.model_b(0.5),
        "model_c": lambda: HiddenNeuronNetwork.model_c(Exponential(0.3)),
        "tanh+poly, tau_h": lambda: HiddenNeuronNetwork(
            lg.Tanh(2.0), lg.Interaction(Polynomial(2)), tau_h=0.5
        ),
        "quadratic+lse, tau_h": lambda: HiddenNeuronNetwork(
            lg.Quadratic(), lg.LogSumExp(0.2), tau_h=0.3
        ),
    }


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(_hidden_nets()))
def test_hidden_euler_equals_numpy(device, dtype, name):
    rng = np.random.default_rng(5)
    x = rng.choice([-1.0, 1.0], (8, 20)).astype(dtype)
    cues = (x[:3] + 0.4 * rng.standard_normal((3, 20))).astype(dtype)
    inp = (0.1 * rng.standard_normal((3, 20))).astype(dtype)
    make = _hidden_nets()[name]
    ref = make().store(x)
    net = make().store(_t(x, device))
    want = ref.recall(cues, input=inp, dt=0.1, t_max=3.0)
    got = net.recall(_t(cues, device), input=_t(inp, device), dt=0.1, t_max=3.0)
    _close(got.states, want.states, dtype, "states")
    _close(got.energies, want.energies, dtype, "energies")
    _close(got.extras["hidden"], want.extras["hidden"], dtype, "hidden")
    _close(got.extras["times"], want.extras["times"], dtype, "times")
    np.testing.assert_array_equal(got.steps.cpu().numpy(), want.steps)
    np.testing.assert_array_equal(got.converged.cpu().numpy(), want.converged)
    assert got.states.dtype == TORCH[dtype] and got.states.device.type == device
    _close(net.energy(_t(cues, device)), ref.energy(cues), dtype, "energy")


def test_hidden_solve_ivp_refuses_tensors():
    x = np.eye(3) * 4.0
    net = HiddenNeuronNetwork.model_b(0.5).store(x)
    with pytest.raises(TypeError, match=r"cues: method='rk45' \(scipy.integrate.solve_ivp\)"):
        net.recall(torch.ones(3), method="rk45")
    tensor_net = HiddenNeuronNetwork.model_b(0.5).store(_t(x))
    with pytest.raises(TypeError, match="memories: method='bdf'"):
        tensor_net.recall(np.ones(3), method="bdf")
    with pytest.raises(TypeError, match="cues: the memories are torch tensors"):
        tensor_net.recall(np.ones(3))
    with pytest.raises(TypeError, match="patterns: the memories are torch tensors"):
        tensor_net.store(np.ones(3))


def test_hidden_tensor_store_saves_and_loads_as_numpy(tmp_path):
    import hopfield as hf

    x = np.eye(3)[:2] * 4.0
    net = HiddenNeuronNetwork.model_b(beta=0.5).store(_t(x))
    hf.save(net, tmp_path / "h.npz")
    back = hf.load(tmp_path / "h.npz")
    assert isinstance(back.patterns, np.ndarray) and np.array_equal(back.patterns, x)
    cue = np.array([3.0, 1.0, 0.5])
    want = back.recall(cue, dt=1.0, t_max=1.0).states
    _close(net.recall(_t(cue), dt=1.0, t_max=1.0).states, want, np.float64, "loaded")


def test_hidden_energy_is_differentiable():
    x = torch.randn(5, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    net = HiddenNeuronNetwork.model_b(0.5).store(x)
    s = torch.randn(2, 4, dtype=torch.float64, requires_grad=True)
    assert gradcheck(net.energy, (s,))

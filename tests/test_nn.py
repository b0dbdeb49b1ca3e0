"""Tests for hopfield.nn: the PyTorch layers against the NumPy model and plain-torch references.

References written here: the NumPy ``ModernHopfield`` (the contract "the layer and the model
never disagree", float64 to 1e-10), a plain-torch multi-head attention with the layer's own
weights, the energy formula evaluated term by term, and entmax15 by bisection on its threshold.
"""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import hopfield as hf  # noqa: E402
from hopfield.nn import (  # noqa: E402
    HopfieldAttention,
    HopfieldLookup,
    HopfieldPooling,
    HopfieldRetrieval,
)
from hopfield.nn import functional as F  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
T64 = torch.float64


def _data(seed=0, k=40, n=16, b=7, p=3, noise=0.8):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((k, n))
    q = x[rng.integers(0, k, b)] + noise * rng.standard_normal((b, n))
    q[0] = rng.standard_normal(n) * 0.1  # a query far from all memories: an average
    return x, q, rng.standard_normal((k, p))


# -- the contract: equal to the NumPy ModernHopfield --------------------------------------------
# sparsemax cannot stream over memories: both the model and the layer refuse its chunk_size
@pytest.mark.parametrize(
    "separation, chunk", [("softmax", None), ("softmax", 7), ("sparsemax", None)]
)
@pytest.mark.parametrize("steps", [1, 6])
@pytest.mark.parametrize("with_values", [False, True])
def test_equals_numpy_modern_hopfield(separation, steps, with_values, chunk):
    x, q, v = _data()
    beta = 0.7
    vals = v if with_values else None
    net = hf.ModernHopfield(beta, separation=separation, chunk_size=chunk).store(x, vals)
    ref = net.recall(q, max_steps=steps)
    layer = HopfieldRetrieval(beta, steps=steps, separation=separation, chunk_size=chunk)
    args = (torch.tensor(q), torch.tensor(x), None if vals is None else torch.tensor(vals))
    out = layer(*args)
    traj = layer(*args, return_trajectory=True)
    np.testing.assert_allclose(out.numpy(), ref.states, rtol=0, atol=1e-10)
    np.testing.assert_allclose(traj.states.numpy(), ref.states, rtol=0, atol=1e-10)
    np.testing.assert_allclose(traj.energies.numpy(), ref.energies, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(traj.steps.numpy(), ref.steps)
    np.testing.assert_array_equal(traj.converged.numpy(), ref.converged)
    if with_values:
        np.testing.assert_allclose(
            traj.key_states.numpy(), ref.extras["key_states"], rtol=0, atol=1e-10
        )
    if steps > 1:  # the case must exercise stopping: some queries stop early, some run on
        assert ref.steps.min() < ref.steps.max()
    np.testing.assert_allclose(
        layer.energy(torch.tensor(q), torch.tensor(x)).numpy(), net.energy(q), atol=1e-10
    )


def test_batched_memories_equal_one_model_per_batch():
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((3, 20, 8))
    qs = xs[:, :5] + 0.5 * rng.standard_normal((3, 5, 8))
    traj = F.retrieve(torch.tensor(qs), torch.tensor(xs), beta=1.5, steps=8, trajectory=True)
    for i in range(3):
        ref = hf.ModernHopfield(1.5).store(xs[i]).recall(qs[i], max_steps=8)
        t_i = ref.energies.shape[1]
        np.testing.assert_allclose(traj.states[i].numpy(), ref.states, atol=1e-10)
        np.testing.assert_allclose(traj.energies[i, :, :t_i].numpy(), ref.energies, atol=1e-10)
        np.testing.assert_array_equal(traj.steps[i].numpy(), ref.steps)


def test_per_query_stopping_equals_running_each_query_alone():
    x, q, _ = _data(seed=2, noise=0.2)
    qt, xt = torch.tensor(q), torch.tensor(x)
    both = F.retrieve(qt, xt, beta=2.0, steps=10, trajectory=True)
    assert both.steps.min() < both.steps.max()  # the batch holds fast and slow queries
    for i in range(len(q)):
        alone = F.retrieve(qt[i : i + 1], xt, beta=2.0, steps=10, trajectory=True)
        torch.testing.assert_close(both.states[i], alone.states[0], rtol=0, atol=1e-12)
        assert int(both.steps[i]) == int(alone.steps[0])
        # a stopped query is frozen: its path is constant after it stopped
        last = int(alone.energies.shape[-1]) - 1
        assert torch.equal(
            both.path[last:, i], both.path[last:, i][:1].expand_as(both.path[last:, i])
        )


# -- separations ---------------------------------------------------------------------------------
def _entmax15_bisect(z):
    """argmax ⟨p, z⟩ + (4/3)(1 − Σ p^{3/2}): p = [z/2 − τ]₊², τ by bisection on Σ p = 1."""
    lo, hi = z.max() / 2 - 1, z.max() / 2
    for _ in range(200):
        tau = (lo + hi) / 2
        if (np.clip(z / 2 - tau, 0, None) ** 2).sum() > 1:
            lo = tau
        else:
            hi = tau
    return np.clip(z / 2 - (lo + hi) / 2, 0, None) ** 2


def test_entmax15_equals_bisection_and_sparsemax_equals_numpy():
    rng = np.random.default_rng(3)
    z = rng.standard_normal((20, 9)) * 2
    got = F.entmax15(torch.tensor(z)).numpy()
    ref = np.stack([_entmax15_bisect(row) for row in z])
    np.testing.assert_allclose(got, ref, atol=1e-12)
    assert (got == 0).any() and np.allclose(got.sum(1), 1)
    np.testing.assert_allclose(
        F.sparsemax(torch.tensor(z), dim=0).numpy(), hf.separation.sparsemax(z, axis=0), atol=1e-14
    )
    masked = torch.tensor(z).masked_fill(torch.tensor(z) > 1.5, -math.inf)
    for fn in (F.entmax15, F.sparsemax):
        p = fn(masked)
        assert torch.isfinite(p).all() and (p[torch.isinf(masked)] == 0).all()


@pytest.mark.parametrize("fn", [F.sparsemax, F.entmax15])
def test_sparse_separations_gradcheck(fn):
    z = torch.randn(4, 6, dtype=T64, generator=torch.Generator().manual_seed(4), requires_grad=True)
    assert torch.autograd.gradcheck(fn, (z,))


# -- energy ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("separation", ["softmax", "sparsemax", "entmax15"])
def test_energy_formula_and_descent(separation):
    x, q, _ = _data(seed=5)
    beta = 1.3
    xt, qt = torch.tensor(x), torch.tensor(q)
    m2 = (x * x).sum(1).max()
    k = len(x)
    for xi in q:
        z = beta * x @ xi
        if separation == "softmax":
            psi = np.log(np.exp(z - z.max()).sum()) + z.max()
            hmax = np.log(k)
        elif separation == "sparsemax":
            p = hf.separation.sparsemax(z)
            psi, hmax = p @ z + 0.5 * (1 - p @ p), 0.5 * (1 - 1 / k)
        else:
            p = _entmax15_bisect(z)
            psi, hmax = p @ z + 4 / 3 * (1 - (p**1.5).sum()), 4 / 3 * (1 - k**-0.5)
        want = -psi / beta + 0.5 * xi @ xi + hmax / beta + 0.5 * m2
        got = F.energy(torch.tensor(xi[None]), xt, beta=beta, separation=separation)
        assert abs(float(got[0]) - want) < 1e-9
    traj = F.retrieve(qt, xt, beta=beta, separation=separation, steps=12, trajectory=True)
    e = traj.energies
    assert (e.diff(dim=-1) <= 1e-12).all()
    assert (e[:, 1:] >= -1e-12).all() and (e[:, 1:] <= 2 * m2 + 1e-12).all()  # 0 ≤ E ≤ 2M²
    torch.testing.assert_close(e[:, 0], F.energy(qt, xt, beta=beta, separation=separation))


@pytest.mark.parametrize("separation", ["softmax", "entmax15"])
def test_attention_energy_never_rises(separation):
    torch.manual_seed(6)
    layer = HopfieldAttention(12, num_heads=3, steps=6, beta=2.0, separation=separation)
    q, mem = torch.randn(2, 5, 12), torch.randn(2, 9, 12)
    pad = torch.zeros(2, 9, dtype=torch.bool)
    pad[1, -3:] = True
    with torch.no_grad():
        out, traj = layer(q, mem, key_padding_mask=pad, return_trajectory=True)
        e0 = layer.energy(q, mem, key_padding_mask=pad)
    assert traj.energies.shape[:3] == (2, 3, 5)
    assert (traj.energies.diff(dim=-1) <= 1e-5).all()
    torch.testing.assert_close(traj.energies[..., 0], e0)
    assert (traj.weights[1, :, :, -3:] == 0).all()


# -- masks -------------------------------------------------------------------------------------
@pytest.mark.parametrize("separation", ["softmax", "sparsemax", "entmax15"])
def test_boolean_mask_equals_retrieval_from_the_allowed_memories(separation):
    x, q, v = _data(seed=7)
    rng = np.random.default_rng(7)
    mask = rng.random((len(q), len(x))) < 0.4  # True excludes
    qt, xt, vt = torch.tensor(q), torch.tensor(x), torch.tensor(v)
    got = F.retrieve(
        qt,
        xt,
        vt,
        beta=0.9,
        separation=separation,
        steps=4,
        mask=torch.tensor(mask),
        trajectory=True,
    )
    fmask = torch.zeros(mask.shape, dtype=T64).masked_fill(torch.tensor(mask), -math.inf)
    as_float = F.retrieve(qt, xt, vt, beta=0.9, separation=separation, steps=4, mask=fmask)
    torch.testing.assert_close(as_float, got.states)
    for i in range(len(q)):
        keep = ~mask[i]
        alone = F.retrieve(
            qt[i : i + 1],
            xt[keep],
            vt[keep],
            beta=0.9,
            separation=separation,
            steps=4,
            trajectory=True,
        )
        torch.testing.assert_close(got.states[i], alone.states[0], rtol=0, atol=1e-12)
        assert int(got.steps[i]) == int(alone.steps[0])
        # only ½M² differs (M over all memories here, over the kept ones alone)
        d = got.energies[i, : alone.energies.shape[-1]] - alone.energies[0]
        torch.testing.assert_close(d, d[:1].expand_as(d))


def test_mask_shapes_broadcast_and_batched():
    torch.manual_seed(8)
    q, mem = torch.randn(2, 4, 6, dtype=T64), torch.randn(2, 5, 6, dtype=T64)
    m2 = torch.rand(4, 5) < 0.3
    m2[:, 0] = False
    full = F.retrieve(q, mem, beta=1.0, mask=m2.expand(2, 4, 5), steps=2)
    for mask in (m2, m2[None], m2[None].expand(2, 4, 5).clone()):
        torch.testing.assert_close(F.retrieve(q, mem, beta=1.0, mask=mask, steps=2), full)
    col = torch.zeros(2, 1, 5, dtype=torch.bool)
    col[0, 0, 1] = True
    torch.testing.assert_close(
        F.retrieve(q, mem, beta=1.0, mask=col),
        F.retrieve(q, mem, beta=1.0, mask=col.expand(2, 4, 5)),
    )
    zero = torch.zeros(4, 5, dtype=T64)
    torch.testing.assert_close(
        F.retrieve(q, mem, beta=1.0, mask=zero), F.retrieve(q, mem, beta=1.0)
    )


# -- the attention form against plain torch ---------------------------------------------------
def _plain_attention(layer, q, k, v, am=None, kp=None, steps=1):
    """Multi-head attention written out, with the layer's weights; the state iterates in key
    space for steps > 1, every query runs all steps (eps = 0 makes the layer do the same)."""
    h, d, dv = layer.num_heads, layer.hidden_size, layer.pattern_size
    b, n, s = q.shape[0], q.shape[1], k.shape[1]
    Q = (q @ layer.query_proj.weight.T + layer.query_proj.bias).view(b, n, h, d).transpose(1, 2)
    K = (k @ layer.key_proj.weight.T + layer.key_proj.bias).view(b, s, h, d).transpose(1, 2)
    V = (v @ layer.value_proj.weight.T + layer.value_proj.bias).view(b, s, h, dv).transpose(1, 2)
    bias = torch.zeros(b, h, n, s, dtype=q.dtype)
    if am is not None:
        bias = bias.masked_fill(am.view(-1, h, n, s) if am.ndim == 3 else am, -math.inf)
    if kp is not None:
        bias = bias.masked_fill(kp[:, None, None, :], -math.inf)
    for _ in range(steps - 1):
        Q = torch.softmax(layer.beta * Q @ K.transpose(-1, -2) + bias, -1) @ K
    a = torch.softmax(layer.beta * Q @ K.transpose(-1, -2) + bias, -1)
    out = (a @ V).transpose(1, 2).reshape(b, n, h * dv)
    return out @ layer.out_proj.weight.T + layer.out_proj.bias


@pytest.mark.parametrize("steps", [1, 3])
def test_attention_equals_plain_torch(steps):
    torch.manual_seed(9)
    layer = HopfieldAttention(
        12,
        num_heads=3,
        stored_size=10,
        value_size=7,
        output_size=5,
        pattern_size=4,
        steps=steps,
        eps=0.0,
        dtype=T64,
    )
    q, k, v = (
        torch.randn(2, 4, 12, dtype=T64),
        torch.randn(2, 6, 10, dtype=T64),
        torch.randn(2, 6, 7, dtype=T64),
    )
    am = torch.rand(4, 6) < 0.3
    am[:, 0] = False
    kp = torch.zeros(2, 6, dtype=torch.bool)
    kp[1, 4:] = True
    am3 = torch.rand(2 * 3, 4, 6) < 0.3
    am3[..., 1] = False
    for a, p in ((None, None), (am, None), (None, kp), (am, kp), (am3, kp)):
        want = _plain_attention(layer, q, k, v, a, p, steps)
        fast = layer(q, k, v, association_mask=a, key_padding_mask=p)
        general, _ = layer(q, k, v, association_mask=a, key_padding_mask=p, return_trajectory=True)
        torch.testing.assert_close(fast, want)
        torch.testing.assert_close(general, want)
    # sequence-first and unbatched inputs give the same numbers
    seq = HopfieldAttention(
        12,
        num_heads=3,
        stored_size=10,
        value_size=7,
        output_size=5,
        pattern_size=4,
        steps=steps,
        eps=0.0,
        batch_first=False,
        dtype=T64,
    )
    seq.load_state_dict(layer.state_dict())
    torch.testing.assert_close(
        seq(q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)).transpose(0, 1),
        layer(q, k, v),
    )
    torch.testing.assert_close(layer(q[0], k[0], v[0]), layer(q, k, v)[0])


def test_pure_retrieval_is_one_argument_and_equals_retrieval():
    x, q, _ = _data(seed=10)
    layer = HopfieldAttention(16, projections=False, beta=0.8, steps=5, dtype=T64)
    assert sum(p.numel() for p in layer.parameters()) == 0
    xt, qt = torch.tensor(x)[None], torch.tensor(q)[None]
    want = HopfieldRetrieval(0.8, steps=5)(torch.tensor(q), torch.tensor(x))
    torch.testing.assert_close(layer(qt, xt)[0], want)


def test_fast_path_and_general_path_agree_and_reasons():
    torch.manual_seed(11)
    layer = HopfieldAttention(16, num_heads=4, steps=4, dtype=T64)
    q, k = torch.randn(3, 7, 16, dtype=T64), torch.randn(3, 9, 16, dtype=T64)
    assert layer.fast_path_reason() is None
    assert "trajectory" in layer.fast_path_reason(return_trajectory=True)
    fast = layer(q, k)
    general, _ = layer(q, k, return_trajectory=True)
    torch.testing.assert_close(fast, general)
    assert "sparsemax" in HopfieldRetrieval(separation="sparsemax").fast_path_reason()
    assert "chunk_size" in HopfieldRetrieval(chunk_size=4).fast_path_reason()
    streamed = HopfieldAttention(16, num_heads=4, steps=4, chunk_size=4, dtype=T64)
    streamed.load_state_dict(layer.state_dict())
    torch.testing.assert_close(streamed(q, k), fast)


def test_gradcheck_through_retrieval_and_attention():
    g = torch.Generator().manual_seed(12)
    q = torch.randn(2, 3, dtype=T64, generator=g, requires_grad=True)
    x = torch.randn(5, 3, dtype=T64, generator=g, requires_grad=True)
    for kw in ({}, {"steps": 3, "eps": 0.0}, {"chunk_size": 4}, {"separation": "entmax15"}):
        assert torch.autograd.gradcheck(
            lambda a, b, kw=kw: F.retrieve(a, b, beta=0.9, **kw), (q, x)
        )
    layer = HopfieldAttention(3, num_heads=1, dtype=T64)
    assert torch.autograd.gradcheck(lambda a, b: layer(a[None], b[None]), (q, x))


# -- pooling and lookup --------------------------------------------------------------------------
def test_pooling_and_lookup():
    torch.manual_seed(13)
    pool = HopfieldPooling(8, quantity=3, num_heads=2, steps=3)
    sets = torch.randn(4, 10, 8)
    pad = torch.zeros(4, 10, dtype=torch.bool)
    pad[:, 7:] = True
    out = pool(sets, key_padding_mask=pad)
    assert out.shape == (4, 3 * 8)
    torch.testing.assert_close(out, pool(sets[:, :7]))  # padding = leaving the elements out
    assert pool.energy(sets).shape == (4, 2, 3)
    assert "queries" in dict(pool.named_buffers()) or "queries" in dict(pool.named_parameters())
    fixed = HopfieldPooling(8, quantity=3, trainable=False)
    assert "queries" in dict(fixed.named_buffers()) and "queries" not in dict(
        fixed.named_parameters()
    )
    table = HopfieldLookup(6, quantity=5, target_size=2, projections=False, beta=3.0)
    x = torch.randn(2, 3, 6)
    got = table(x)
    want = torch.softmax(3.0 * x @ table.memories.T, -1) @ table.targets
    torch.testing.assert_close(got, want)
    assert table.energy(x).shape == (2, 3, 1)
    # Fixed targets are a buffer (saved, moved by .to()), not a parameter, and are read out.
    fixed = HopfieldLookup(
        6, quantity=5, target_size=2, trainable_targets=False, projections=False, beta=3.0
    )
    assert "targets" in dict(fixed.named_buffers())
    assert "targets" not in dict(fixed.named_parameters())
    want = torch.softmax(3.0 * x @ fixed.memories.T, -1) @ fixed.targets
    torch.testing.assert_close(fixed(x), want)


def test_sizes_of_zero_and_flags_that_are_not_bools_are_refused():
    for size in ("hidden_size", "output_size", "pattern_size", "stored_size", "value_size"):
        with pytest.raises(ValueError, match=f"{size}: expected an int >= 1, got 0"):
            HopfieldAttention(4, **{size: 0})
    for name in ("projections", "layer_norm", "bias", "batch_first"):
        with pytest.raises(TypeError, match=f"{name}: expected True or False"):
            HopfieldAttention(4, **{name: "no"})
    with pytest.raises(ValueError, match="query_size"):
        HopfieldPooling(4, query_size=0)
    with pytest.raises(ValueError, match="input_size"):
        HopfieldPooling(0)
    with pytest.raises(TypeError, match="trainable"):
        HopfieldPooling(4, trainable="no")
    with pytest.raises(TypeError, match="trainable_targets"):
        HopfieldLookup(4, 3, target_size=2, trainable_targets=1)


# -- errors ------------------------------------------------------------------------------------
def test_errors_name_the_argument():
    q, x = torch.randn(3, 4), torch.randn(5, 4)
    layer = HopfieldAttention(8, num_heads=2)
    a = torch.randn(2, 3, 8)
    cases = [
        (lambda: F.retrieve(q, x, beta=0.0), "beta"),
        (lambda: F.retrieve(q, x, beta=1.0, separation="sparsmax"), "sparsemax"),
        (lambda: F.retrieve(q, x, beta=1.0, separation="sparsemax", chunk_size=2), "chunk_size"),
        (lambda: F.retrieve(q, torch.randn(5, 3), beta=1.0), "memories"),
        (lambda: F.retrieve(q, x, torch.randn(4, 2), beta=1.0), "values"),
        (lambda: F.retrieve(q, x, beta=1.0, mask=torch.zeros(3, 4, dtype=torch.bool)), "mask"),
        (lambda: F.retrieve(q, x, beta=1.0, mask=torch.ones(3, 5, dtype=torch.bool)), "mask"),
        (lambda: F.retrieve(q, x, beta=1.0, steps=0), "steps"),
        (
            lambda: layer(a, association_mask=torch.zeros(3, 4, dtype=torch.bool)),
            "association_mask",
        ),
        (
            lambda: layer(a, key_padding_mask=torch.zeros(3, 3, dtype=torch.bool)),
            "key_padding_mask",
        ),
        (lambda: layer(torch.randn(2, 3, 7)), "queries"),
        (lambda: HopfieldAttention(6, num_heads=4), "num_heads"),
        (lambda: HopfieldAttention(6, projections=False, hidden_size=3), "hidden_size"),
        (lambda: HopfieldPooling(8)(torch.randn(3, 8)), "input"),
    ]
    for call, name in cases:
        with pytest.raises((ValueError, TypeError), match=name):
            call()
    with pytest.raises(ValueError, match=r"\(B, S\) = \(2, 3\)"):
        layer(a, key_padding_mask=torch.zeros(3, 3, dtype=torch.bool))
    with pytest.raises(TypeError, match="memories"):
        F.retrieve(q, x.double(), beta=1.0)


def test_inputs_not_modified():
    q, x = torch.randn(3, 4), torch.randn(5, 4)
    q0, x0 = q.clone(), x.clone()
    F.retrieve(q, x, beta=2.0, steps=4, trajectory=True)
    F.retrieve(q, x, beta=2.0, steps=4)
    assert torch.equal(q, q0) and torch.equal(x, x0)


# -- devices, dtypes, compile, autocast --------------------------------------------------------
def test_factory_kwargs_and_autocast_bfloat16():
    torch.manual_seed(14)
    layer = HopfieldAttention(16, num_heads=4, steps=2, device="cpu", dtype=torch.float32)
    assert all(p.dtype == torch.float32 for p in layer.parameters())
    q, k = torch.randn(2, 5, 16), torch.randn(2, 7, 16)
    want = layer(q, k)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        got = layer(q, k)
        _, traj = layer(q, k, return_trajectory=True)
    assert got.dtype == torch.bfloat16
    assert traj.energies.dtype == torch.float32
    torch.testing.assert_close(got.float(), want, atol=0.05, rtol=0.05)  # bfloat16: 8 bits


def test_torch_compile():
    torch.manual_seed(15)
    layer = HopfieldAttention(16, num_heads=4)
    q = torch.randn(2, 5, 16)
    compiled = torch.compile(layer, backend="eager", fullgraph=True)
    torch.testing.assert_close(compiled(q), layer(q))


def test_import_hopfield_does_not_import_torch():
    code = "import sys, hopfield; assert 'torch' not in sys.modules; hopfield.nn; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr

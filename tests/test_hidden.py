import json

import numpy as np
import pytest

import hopfield as hf
from hopfield import lagrangians as lg
from hopfield.functions import Exponential, Polynomial, RectifiedPolynomial
from hopfield.models.hidden import HiddenNeuronNetwork

CUBE = RectifiedPolynomial(3)


class Custom:
    """A user's own interaction function: usable (duck-typed), but not saveable."""

    def __call__(self, x):
        return np.maximum(x, 0.0) ** 2

    def derivative(self, x):
        return 2.0 * np.maximum(x, 0.0)


LAGRANGIANS = [
    lg.Quadratic(),
    lg.Absolute(),
    lg.Tanh(),
    lg.Tanh(gain=2.5),
    lg.LogSumExp(),
    lg.LogSumExp(beta=3.0),
    lg.Spherical(),
    lg.Interaction(CUBE),
    lg.Interaction(Exponential(0.5)),
    lg.Interaction(Polynomial(4)),
    lg.Interaction(Custom()),
]


def _rises(e, rtol):
    return hf.dynamics.trajectory_energies_rise(e, rtol=rtol)


# -- Lagrangians ---------------------------------------------------------------------------
@pytest.mark.parametrize("lagr", LAGRANGIANS, ids=repr)
def test_activation_is_the_gradient_and_legendre_is_x_dot_g_minus_l(lagr):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 6))
    x = np.where(np.abs(x) < 0.1, 0.5, x)  # keep away from the kinks of |x| and max(x, 0)
    g = lagr.activation(x)
    assert lagr(x).shape == (3, 4) and g.shape == x.shape and lagr.legendre(x).shape == (3, 4)
    eps = 1e-6
    numeric = np.empty_like(x)
    for i in range(x.shape[-1]):
        step = np.zeros(x.shape[-1])
        step[i] = eps
        numeric[..., i] = (lagr(x + step) - lagr(x - step)) / (2 * eps)
    np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-6)
    direct = np.einsum("...i,...i->...", x, g) - lagr(x)
    np.testing.assert_allclose(lagr.legendre(x), direct, rtol=1e-12, atol=1e-12)


def test_lagrangians_are_stable_for_large_inputs():
    x = np.array([1e4, -1e4, 3.0])
    assert np.isclose(lg.Tanh()(x), 2e4 - 2 * np.log(2.0) + np.log(np.cosh(3.0)))
    np.testing.assert_allclose(lg.LogSumExp(2.0).activation(x), [1.0, 0.0, 0.0])
    assert np.isclose(lg.LogSumExp(2.0)(x), 1e4)
    assert np.isfinite(lg.LogSumExp(2.0).legendre(x)) and np.isclose(lg.LogSumExp().legendre(x), 0)
    np.testing.assert_array_equal(lg.Spherical().activation(np.zeros(3)), np.zeros(3))


def test_lagrangian_parameters_are_validated():
    for bad in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match="beta"):
            lg.LogSumExp(beta=bad)
        with pytest.raises(ValueError, match="gain"):
            lg.Tanh(gain=bad)
    with pytest.raises(TypeError, match="gain"):
        lg.Tanh(gain="2")
    with pytest.raises(TypeError, match="F: expected an interaction function"):
        lg.Interaction(lambda x: x**2)


# -- energy --------------------------------------------------------------------------------
def test_energy_equals_the_papers_formula_and_its_reduction():
    rng = np.random.default_rng(1)
    xi = rng.standard_normal((7, 12))
    s, h, inp = rng.standard_normal((4, 12)), rng.standard_normal((4, 7)), rng.standard_normal(12)
    beta, gain = 1.7, 0.8
    net = HiddenNeuronNetwork(lg.Tanh(gain), lg.LogSumExp(beta), tau_h=0.5).store(xi)
    g = np.tanh(gain * s)
    lv = np.log(np.cosh(gain * s)).sum(1) / gain

    def lse(z):
        return np.log(np.exp(beta * z).sum(1)) / beta

    f = np.exp(beta * h) / np.exp(beta * h).sum(1, keepdims=True)
    full = (
        ((s - inp) * g).sum(1) - lv + (h * f).sum(1) - lse(h) - np.einsum("bk,ki,bi->b", f, xi, g)
    )
    np.testing.assert_allclose(net.energy(s, h, input=inp), full, rtol=1e-12)
    reduced = ((s - inp) * g).sum(1) - lv - lse(g @ xi.T)
    np.testing.assert_allclose(net.energy(s, input=inp), reduced, rtol=1e-12)
    np.testing.assert_allclose(net.energy(s, g @ xi.T, input=inp), reduced, rtol=1e-12)
    assert isinstance(net.energy(s[0]), float)


def _id(case) -> str:
    return "-".join(type(c).__name__ if isinstance(c, lg.Lagrangian) else str(c) for c in case)


PAIRS = [  # (feature, memory, tau_h): Hessians PSD in every pair
    (lg.Quadratic(), lg.LogSumExp(2.0), 0.0),
    (lg.Tanh(2.0), lg.Interaction(CUBE), 0.0),
    (lg.Spherical(), lg.Interaction(CUBE), 0.0),
    (lg.Quadratic(), lg.Tanh(), 0.0),
    (lg.Tanh(), lg.LogSumExp(4.0), 0.5),
    (lg.Spherical(), lg.LogSumExp(3.0), 2.0),
    (lg.Tanh(1.5), lg.Interaction(RectifiedPolynomial(2)), 0.3),
    (lg.Tanh(), lg.Interaction(Exponential(1.0)), 0.0),
]


def _network(feature, memory, tau_h, seed=0, n=24, k=6):
    rng = np.random.default_rng(seed)
    xi = rng.standard_normal((k, n)) / np.sqrt(n)
    net = HiddenNeuronNetwork(feature, memory, tau_h=tau_h).store(xi)
    return net, rng.standard_normal((5, n)), rng.standard_normal(n) * 0.3


def _assert_fixed_point(net, r, inp, feature, memory):
    """The final state solves v = ξᵀ f(h) + I and h = ξ g(v)."""
    f = memory.activation(r.extras["hidden"])
    np.testing.assert_allclose(r.states, f @ net.patterns + inp, atol=1e-4)
    g = feature.activation(r.states)
    np.testing.assert_allclose(r.extras["hidden"], g @ net.patterns.T, atol=1e-4)


@pytest.mark.parametrize(("feature", "memory", "tau_h"), PAIRS, ids=map(_id, PAIRS))
def test_energy_never_rises_along_euler_trajectories(feature, memory, tau_h):
    net, cues, inp = _network(feature, memory, tau_h)
    r = net.recall(cues, input=inp, dt=0.02, t_max=200.0)
    assert r.converged.all()
    assert not _rises(r.energies, 1e-12)
    assert (r.energies[:, -1] < r.energies[:, 0]).all()
    _assert_fixed_point(net, r, inp, feature, memory)


# Implicit Radau differentiates the flattened batch numerically (slow): two pairs suffice.
IVP_CASES = [(*pair, m) for pair in PAIRS for m in ("rk45", "lsoda")] + [
    (*PAIRS[0], "radau"),
    (*PAIRS[4], "radau"),
]


@pytest.mark.parametrize(
    ("feature", "memory", "tau_h", "method"), IVP_CASES, ids=map(_id, IVP_CASES)
)
def test_energy_never_rises_along_solve_ivp_trajectories(feature, memory, tau_h, method):
    net, cues, inp = _network(feature, memory, tau_h)
    r = net.recall(cues, input=inp, method=method)
    assert r.converged.all() and r.update == method
    # Between the solver's steps the energy may wobble by the integrator's error; measured
    # rises are below 5e-12 of the energy's scale at the default rtol = 1e-6.
    assert not _rises(r.energies, 1e-9)
    assert r.extras["times"][0] == 0.0 and (np.diff(r.extras["times"]) > 0).all()
    _assert_fixed_point(net, r, inp, feature, memory)


@pytest.mark.parametrize("pair", [PAIRS[1], PAIRS[4]], ids=["tanh-poly3", "tanh-lse-tau_h"])
def test_euler_with_a_small_step_ends_where_the_adaptive_integrator_does(pair):
    # With dt = 0.02 one cue of the first pair crosses into another basin (checked: dt = 0.005
    # and rk45 agree); the step must be small against the dynamics for trajectories to agree.
    net, cues, inp = _network(*pair)
    exact = net.recall(cues, input=inp, method="dop853", rtol=1e-10, atol=1e-12)
    euler = net.recall(cues, input=inp, dt=0.005, t_max=60.0)
    np.testing.assert_allclose(euler.states, exact.states, atol=1e-4)


# -- the three limits ----------------------------------------------------------------------
def test_model_b_one_euler_step_is_ramsauers_update():
    rng = np.random.default_rng(2)
    x, q, beta = rng.standard_normal((30, 16)), rng.standard_normal((8, 16)), 3.0
    net = HiddenNeuronNetwork.model_b(beta, tau_f=0.7).store(x)
    r = net.recall(q, dt=0.7, t_max=0.7)
    z = beta * q @ x.T
    p = np.exp(z - z.max(1, keepdims=True))
    expected = (p / p.sum(1, keepdims=True)) @ x
    assert (r.steps == 1).all()
    np.testing.assert_allclose(r.states, expected, rtol=0, atol=1e-10)
    # Its energy is Ramsauer's without the constants: ½‖v‖² − lse(β, Xv).
    lse = (np.log(p.sum(1)) + z.max(1)) / beta
    np.testing.assert_allclose(net.energy(q), 0.5 * (q * q).sum(1) - lse, rtol=1e-12)
    # Each further step of dt = τ_f is another CCCP update: the energy never rises.
    many = net.recall(q, dt=0.7, t_max=7.0)
    assert not _rises(many.energies, 1e-12)


def _dense_update(x, sigma, F):
    """Krotov & Hopfield 2016, asynchronous in index order until nothing changes."""
    sigma = sigma.copy()
    for _ in range(50):
        changed = False
        for i in range(x.shape[1]):
            rest = x @ sigma - x[:, i] * sigma[i]
            new = np.sign(np.sum(F(x[:, i] + rest) - F(-x[:, i] + rest)))
            if new != 0 and new != sigma[i]:
                sigma[i], changed = new, True
        if not changed:
            return sigma
    raise AssertionError("dense update did not settle")


def test_model_a_fixed_points_are_the_dense_memorys():
    rng = np.random.default_rng(3)
    F = CUBE
    x = hf.patterns.random(8, 80, rng=rng).astype(np.float64)
    cues = hf.patterns.flip(x, 0.15, rng=rng).astype(np.float64)
    net = HiddenNeuronNetwork.model_a(F).store(x)
    for start in (x, cues):
        r = net.recall(start)
        assert r.converged.all()
        np.testing.assert_array_equal(np.sign(r.states), x)
        assert not _rises(r.energies, 1e-12)
        for row, cue in zip(x, start, strict=True):
            np.testing.assert_array_equal(_dense_update(x, cue, F), row)
    # The energy is the dense memory's, −Σ_μ F(ξ^μ·σ) with σ = sign(v), for any scale of v.
    v = rng.standard_normal((4, 80)) * 5
    expected = -F(np.sign(v) @ x.T).sum(1)
    np.testing.assert_allclose(net.energy(v), expected, rtol=1e-12)


def test_model_a_synchronous_steps_never_raise_the_energy():
    # dt = τ_f is a synchronous sweep σ ← sign(ξᵀ F′(ξσ)); for convex F the energy still falls.
    rng = np.random.default_rng(4)
    x = hf.patterns.random(40, 60, rng=rng).astype(np.float64)
    net = HiddenNeuronNetwork.model_a(CUBE).store(x)
    r = net.recall(rng.choice([-1.0, 1.0], size=(10, 60)), dt=1.0, t_max=50.0)
    assert not _rises(r.energies, 1e-12) and r.converged.all()
    assert (r.steps > 1).all() and (r.energies[:, -1] < r.energies[:, 0]).all()


@pytest.mark.parametrize("tau_h", [0.0, 0.5])
def test_model_c_energy_ignores_the_length_of_v(tau_h):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((6, 20))
    net = HiddenNeuronNetwork(lg.Spherical(), lg.Interaction(CUBE), tau_h=tau_h).store(x)
    s, h = rng.standard_normal((3, 20)), rng.standard_normal((3, 6))
    hidden = h if tau_h > 0 else None
    for inp in (None, rng.standard_normal(20)):
        e = net.energy(s, hidden, input=inp)
        for c in (1e-3, 0.5, 7.0, 1e4):
            np.testing.assert_allclose(net.energy(c * s, hidden, input=inp), e, rtol=1e-12)


def test_model_c_recalls_the_direction_of_a_pattern():
    rng = np.random.default_rng(6)
    x = hf.patterns.random(5, 64, rng=rng).astype(np.float64)
    net = HiddenNeuronNetwork.model_c(CUBE).store(x)
    cues = 0.01 * hf.patterns.flip(x, 0.2, rng=rng)  # the scale of a cue does not matter
    r = net.recall(cues, method="rk45")
    assert r.converged.all() and not _rises(r.energies, 1e-9)
    np.testing.assert_array_equal(np.sign(r.states), x)


# -- interface -----------------------------------------------------------------------------
def test_single_cue_dtypes_and_read_only_memories():
    x = hf.patterns.random(3, 10, rng=0)
    net = HiddenNeuronNetwork.model_b(4.0).store(x)
    r = net.recall(x[0])
    assert r.states.shape == (10,) and r.states.dtype == np.float32
    assert r.energies.ndim == 1 and r.extras["hidden"].shape == (3,) and r.converged
    assert net.recall(x[:2].astype(np.float64)).states.dtype == np.float64
    with pytest.raises(ValueError):
        net.patterns[0, 0] = 2.0
    net.store(x[:1])
    assert net.n_memories == 4 and net.n_neurons == 10


def test_state_round_trips_through_json_and_rejects_the_unknown():
    net = HiddenNeuronNetwork(lg.Tanh(2.0), lg.LogSumExp(3.0), tau_f=2.0, tau_h=0.5)
    net.store(np.random.default_rng(0).standard_normal((4, 9)))
    params, arrays = net._state()
    params = json.loads(json.dumps(params))
    back = HiddenNeuronNetwork._from_state(params, arrays, "f.npz")
    assert (back.feature, back.memory, back.tau_f, back.tau_h) == (
        lg.Tanh(2.0),
        lg.LogSumExp(3.0),
        2.0,
        0.5,
    )
    np.testing.assert_array_equal(back.patterns, net.patterns)
    bad = dict(params, memory={"name": "Softplus", "params": {}})
    with pytest.raises(ValueError, match="unknown Lagrangian 'Softplus'"):
        HiddenNeuronNetwork._from_state(bad, arrays, "f.npz")
    with pytest.raises(ValueError, match="damaged"):
        HiddenNeuronNetwork._from_state({"feature": {}}, arrays, "f.npz")
    dense = HiddenNeuronNetwork.model_a(Exponential(0.25)).store(np.ones((1, 3)))
    params, arrays = dense._state()
    back = HiddenNeuronNetwork._from_state(json.loads(json.dumps(params)), arrays, "f.npz")
    assert back.memory == lg.Interaction(Exponential(0.25)) and back.feature == lg.Absolute()
    with pytest.raises(ValueError, match="unknown interaction function 'Cosh'"):
        spec = {"name": "Interaction", "F": {"name": "Cosh", "params": {}}}
        HiddenNeuronNetwork._from_state(dict(params, memory=spec), arrays, "f.npz")
    with pytest.raises(TypeError, match="only interaction functions from hopfield.functions"):
        HiddenNeuronNetwork.model_a(Custom()).store(np.ones((1, 3)))._state()


def test_bad_input_is_refused_with_the_arguments_name():
    net = HiddenNeuronNetwork.model_b(2.0)
    with pytest.raises(RuntimeError, match="store"):
        net.recall(np.ones(4))
    net.store(np.eye(4))
    with pytest.raises(TypeError, match="feature"):
        HiddenNeuronNetwork("tanh")
    with pytest.raises(ValueError, match="tau_f"):
        HiddenNeuronNetwork(tau_f=0.0)
    with pytest.raises(ValueError, match="tau_h"):
        HiddenNeuronNetwork(tau_h=-1.0)
    with pytest.raises(ValueError, match="cues"):
        net.recall(np.ones(5))
    with pytest.raises(ValueError, match="NaN"):
        net.recall(np.array([1.0, np.nan, 0.0, 0.0]))
    with pytest.raises(ValueError, match="did you mean 'rk45'"):
        net.recall(np.ones(4), method="rk54")
    with pytest.raises(ValueError, match="dt"):
        net.recall(np.ones(4), dt=2.0)
    with pytest.raises(ValueError, match="dt"):
        net.recall(np.ones(4), dt=0.1, method="rk45")
    with pytest.raises(ValueError, match="input"):
        net.recall(np.ones((2, 4)), input=np.ones((3, 4)))
    with pytest.raises(ValueError, match="hidden"):
        net.recall(np.ones(4), hidden=np.ones(4))
    with pytest.raises(ValueError, match="hidden"):
        HiddenNeuronNetwork(tau_h=1.0).store(np.eye(4)).energy(np.ones(4), np.ones(3))
    with pytest.raises(ValueError, match="patterns"):
        net.store(np.ones((2, 3)))
    with pytest.raises(ValueError, match="tol"):
        net.recall(np.ones(4), tol=0.0)


def test_max_steps_caps_the_euler_integrator():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((10, 8))
    net = HiddenNeuronNetwork.model_b(beta=2.0).store(x)
    cues = x[:3] + 0.3 * rng.standard_normal((3, 8))
    full = net.recall(cues, dt=0.1, t_max=5.0)
    capped = net.recall(cues, dt=0.1, t_max=5.0, max_steps=3)
    assert capped.steps.max() == 3 and capped.energies.shape[1] == 4
    np.testing.assert_array_equal(capped.energies, full.energies[:, :4])
    with pytest.raises(ValueError, match="max_steps: only method='euler'"):
        net.recall(cues, method="rk45", max_steps=3)

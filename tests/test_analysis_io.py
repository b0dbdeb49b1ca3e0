import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import hopfield as hf


def test_overlap_and_hamming_agree_with_definitions():
    a = hf.patterns.random(4, 30, rng=0)
    b = hf.patterns.random(5, 30, rng=1)
    m = hf.overlap(a, b)
    assert m.shape == (4, 5)
    assert np.allclose(m, (a[:, None, :] * b[None, :, :]).sum(-1) / 30)
    d = hf.hamming(a, b)
    assert np.array_equal(d, (a[:, None, :] != b[None, :, :]).sum(-1))
    assert hf.hamming(a[0], b).shape == (5,) and hf.overlap(a, b[0]).shape == (4,)


def test_classify_names_patterns_reversals_mixtures_and_spurious():
    x = hf.patterns.random(5, 201, rng=0)
    mix3 = np.sign(x[0] - x[2] + x[4]).astype(np.int8)
    mix5 = np.sign(x.sum(axis=0)).astype(np.int8)
    other = hf.patterns.random(1, 201, rng=9)[0]
    c = hf.classify(np.stack([x[3], -x[1], mix3, mix5, other]), x)
    assert list(c.kind) == ["pattern", "reversal", "mixture", "mixture", "spurious"]
    assert list(c.index) == [3, 1, -1, -1, -1]
    assert c.components[2] == (0, 2, 4) and c.components[3] == (0, 1, 2, 3, 4)
    assert c.overlaps.shape == (5, 5)


def test_mixture_states_are_attractors_of_the_hebbian_network():
    x = hf.patterns.random(3, 1001, rng=0)
    net = hf.Hopfield().store(x)
    mix = np.sign(x.sum(axis=0)).astype(np.int8)
    assert hf.is_fixed_point(net, mix)
    assert hf.classify(net.recall(mix, rng=0).states, x).kind[0] == "mixture"


def test_capacity_formulas_match_published_numbers():
    assert round(hf.analysis.mceliece_capacity(100), 1) == 10.9
    assert round(hf.analysis.mceliece_capacity(100, all_patterns=True), 1) == 5.4
    assert abs(hf.analysis.storkey_capacity(100) - 33) < 0.5


@pytest.mark.parametrize("rule", ["hebbian", "storkey", "pseudoinverse", "perceptron"])
def test_save_load_round_trip(tmp_path, rule):
    x = hf.patterns.random(6, 40, rng=0)
    net = hf.Hopfield(rule, bias=0.1).store(x)
    path = hf.save(net, tmp_path / "model")
    assert path.name == "model.npz" and not list(tmp_path.glob("*.tmp"))
    back = hf.load(path)
    assert type(back) is hf.Hopfield and hf.rules.get(back.rule) == hf.rules.get(rule)
    assert np.array_equal(back.weights, net.weights)
    assert np.array_equal(back.patterns, net.patterns)
    assert np.array_equal(back.bias, net.bias)
    cues = hf.patterns.flip(x, 0.1, rng=1)
    assert np.array_equal(back.recall(cues, rng=2).states, net.recall(cues, rng=2).states)


def test_save_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    net = hf.Hopfield().store(hf.patterns.random(3, 10, rng=0))
    path = hf.save(net, tmp_path / "m.npz")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        hf.save(hf.Hopfield().store(hf.patterns.random(4, 10, rng=1)), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


def test_load_refuses_foreign_corrupt_and_inconsistent_files(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file at all")
    with pytest.raises(ValueError, match="not a hopfield model file"):
        hf.load(junk)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.arange(3))
    with pytest.raises(ValueError, match="no valid header"):
        hf.load(foreign)
    net = hf.Hopfield().store(hf.patterns.random(3, 10, rng=0))
    params, arrays = net._state()
    header = {"format": "hopfield", "version": 1, "model": "Hopfield", "params": params}
    import json

    bad = tmp_path / "bad.npz"
    np.savez(bad, __header__=np.array(json.dumps(header)), **{**arrays, "bias": np.zeros(7)})
    with pytest.raises(ValueError, match="inconsistent shapes"):
        hf.load(bad)
    future = tmp_path / "future.npz"
    np.savez(future, __header__=np.array(json.dumps({**header, "version": 99})), **arrays)
    with pytest.raises(ValueError, match="version 99"):
        hf.load(future)
    with pytest.raises(FileNotFoundError):
        hf.load(tmp_path / "missing.npz")


def test_docstring_examples_run():
    failures = []
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    # walk_packages lists the subpackages and modules, not the package's own __init__.
    names = ["hopfield", *(info.name for info in pkgutil.walk_packages(hf.__path__, "hopfield."))]
    for name in names:
        module = importlib.import_module(name)
        result = doctest.testmod(module, optionflags=flags)
        if result.failed:
            failures.append(name)
    assert not failures, f"doctest failures in {failures}"


def test_load_refuses_hebbian_weights_that_disagree_with_the_patterns(tmp_path):
    import json

    net = hf.Hopfield().store(hf.patterns.random(3, 20, rng=0))
    params, arrays = net._state()
    header = {"format": "hopfield", "version": 1, "model": "Hopfield", "params": params}
    tampered = arrays["weights"].copy()
    tampered[0, 1] = tampered[1, 0] = 5.0
    path = tmp_path / "tampered.npz"
    np.savez(path, __header__=np.array(json.dumps(header)), **{**arrays, "weights": tampered})
    with pytest.raises(ValueError, match="do not match its patterns"):
        hf.load(path)


def test_saved_files_get_ordinary_permissions(tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        path = hf.save(hf.Hopfield().store(hf.patterns.random(2, 8, rng=0)), tmp_path / "m")
        fig_path = hf.plot.save_figure(
            hf.plot.pattern_grid([[1, -1, 1, -1]], (2, 2)), tmp_path / "f.png"
        )
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE(fig_path.stat().st_mode) == 0o644


def test_classify_is_exact_at_large_n():
    x = hf.patterns.random(1, 300_000, rng=0)
    near = x.copy()
    near[0, 0] *= -1
    assert hf.classify(near, x).kind[0] == "spurious"
    assert hf.classify(x, x).kind[0] == "pattern"


@pytest.mark.parametrize("damage", ["nan", "asymmetric", "bool-version"])
def test_load_refuses_damaged_records(tmp_path, damage):
    import json

    net = hf.Hopfield("storkey").store(hf.patterns.random(3, 12, rng=0))
    params, arrays = net._state()
    header = {"format": "hopfield", "version": 1, "model": "Hopfield", "params": params}
    w = arrays["weights"].copy()
    if damage == "nan":
        w[0, 1] = np.nan
    elif damage == "asymmetric":
        w[0, 1] += 0.5
    else:
        header["version"] = True
    path = tmp_path / "damaged.npz"
    np.savez(path, __header__=np.array(json.dumps(header)), **{**arrays, "weights": w})
    with pytest.raises(ValueError, match="finite|asymmetric|version"):
        hf.load(path)

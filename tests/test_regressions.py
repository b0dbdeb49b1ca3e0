"""Regression tests for the defects a fuzzing run found (issue 13, section 3), one block each.

They live apart from the per-model test files so that the models can change underneath them
(the PyTorch seam) without merge conflicts; each test names the defect it guards.
"""

import numpy as np
import pytest

import hopfield as hf


# -- 1. models keep no reference to the caller's int8 array ---------------------------------
def _edit_and_compare(model, arrays, pick):
    """Store ``arrays``, then overwrite the caller's arrays: the model must not change."""
    before = [np.array(a, copy=True) for a in pick(model)]
    for a in arrays:
        a *= -1
    after = pick(model)
    for b, a in zip(before, after, strict=True):
        np.testing.assert_array_equal(b, a)


def test_defect_1_bam_sequence_and_sparse_copy_int8_input(tmp_path):
    rng = np.random.default_rng(1)
    x = hf.patterns.random(3, 12, rng=rng)
    y = hf.patterns.random(3, 8, rng=rng)
    bam = hf.BidirectionalMemory().store(x, y)
    w = bam.weights.copy()
    _edit_and_compare(bam, [x, y], lambda m: [m.weights])
    np.testing.assert_array_equal(bam.weights, w)
    np.testing.assert_array_equal(hf.load(hf.save(bam, tmp_path / "bam")).weights, w)

    seq = hf.patterns.random(5, 20, rng=rng)
    mem = hf.SequenceMemory().store(seq)
    _edit_and_compare(mem, [seq], lambda m: list(m.sequences))
    np.testing.assert_array_equal(mem.sequences[0], -seq)

    sparse = (rng.random((4, 30)) < 0.2).astype(np.int8)
    keep = sparse.copy()
    net = hf.SparseHopfield(a=0.2).store(sparse)
    sparse[:] = 1 - sparse
    np.testing.assert_array_equal(net.patterns, keep)
    np.testing.assert_array_equal(hf.load(hf.save(net, tmp_path / "sparse")).patterns, keep)


# -- 3. the tie tolerance is per neuron ------------------------------------------------------
@pytest.mark.parametrize("big", [1e9, 1e12])
def test_defect_3_one_large_bias_does_not_freeze_the_other_neurons(big):
    rng = np.random.default_rng(3)
    x = hf.patterns.random(3, 20, rng=rng)
    b = np.zeros(20)
    b[0] = big
    net = hf.Hopfield(bias=b).store(x)
    starts = hf.patterns.random(50, 20, rng=rng)
    h = net.field(starts)
    wrong = (h * starts < 0)[:, 1:].any(axis=1)  # some neuron other than 0 disagrees
    assert wrong.any()
    assert not hf.is_fixed_point(net, starts[wrong]).any()
    r = net.recall(starts, rng=4)
    assert r.converged.all()
    # Every neuron agrees with its field at the end (ties aside: none at these sizes).
    assert np.all(net.field(r.states) * r.states >= 0)
    assert hf.is_fixed_point(net, r.states).all()
    sync = net.recall(starts, update="sync", rng=4)
    ends = sync.states[sync.converged]
    assert np.all(net.field(ends) * ends >= 0)


# -- 4. sparsemax beyond 2^53 ----------------------------------------------------------------
def test_defect_4_sparsemax_of_huge_scores_is_on_the_simplex():
    from hopfield.separation import sparsemax

    np.testing.assert_array_equal(sparsemax(np.array([1e16])), [1.0])
    np.testing.assert_array_equal(sparsemax(np.array([3e20, 1e20, -5e20])), [1.0, 0.0, 0.0])
    # Shift invariance, where the scores are exact: the same answer as the small scores.
    z = np.array([[1.0, 0.5, -1.0]])
    np.testing.assert_allclose(sparsemax(z + 2.0**40), sparsemax(z))
    x = np.random.default_rng(4).standard_normal((20, 8))
    q = x[:3] + 0.01
    r = hf.ModernHopfield(beta=1e14, separation="sparsemax").store(x).recall(q, max_steps=1)
    # One step at huge β returns the memory with the largest score, exactly.
    np.testing.assert_array_equal(r.states, x[np.argmax(q @ x.T, axis=1)])
    assert np.all(np.isfinite(r.energies)) and np.all(r.energies[:, -1] >= -1e-9)


# -- 7. overflow raises instead of returning NaN ---------------------------------------------
def test_defect_7_overflow_raises_and_names_the_cause():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((10, 8))
    x32 = x.astype(np.float32)
    with np.errstate(all="ignore"):
        with pytest.raises(FloatingPointError, match="beta=1e\\+39"):
            hf.ModernHopfield(beta=1e39).store(x32).recall(x32[:2])
        with pytest.raises(FloatingPointError, match="beta=1e\\+39"):
            hf.ModernHopfield(beta=1e39).store(x32).retrieve(x32[:2])
        with pytest.raises(ValueError, match="cues: values beyond the range"):
            hf.ModernHopfield(beta=1.0).store(x32).recall(x[:2] * 1e200)
        with pytest.raises(FloatingPointError, match="degree"):
            hf.UniversalMemory("dot", "polynomial", degree=200).store(4 * x).recall(4 * x[:2])
        with pytest.raises(FloatingPointError, match="HiddenNeuronNetwork"):
            hf.HiddenNeuronNetwork().store(x * 1e154).recall(x[:2] * 1e154)
    # Ordinary sizes are untouched.
    r = hf.ModernHopfield(beta=8.0).store(x32).recall(x32[:2])
    assert np.all(np.isfinite(r.states)) and np.all(np.isfinite(r.energies))


# -- 6. a tiny β is not all ties -----------------------------------------------------------
@pytest.mark.parametrize("beta", [1e-11, 1e-12])
@pytest.mark.parametrize("update", ["sync", "async"])
def test_defect_6_exponential_memory_moves_at_tiny_beta(beta, update):
    # For β → 0, exp(β m) ≈ 1 + β m and the gap of neuron i is ≈ 2β Σ_μ ξ_iμ: with K odd
    # the sum is never 0, so one sweep sets every neuron to the majority of the memories.
    rng = np.random.default_rng(6)
    x = hf.patterns.random(5, 40, rng=rng)
    majority = np.sign(x.sum(axis=0)).astype(np.int8)
    dam = hf.DenseAssociativeMemory(hf.Exponential(beta)).store(x)
    cues = hf.patterns.random(6, 40, rng=rng)
    r = dam.recall(cues, update=update, max_steps=5, rng=1)
    np.testing.assert_array_equal(r.states, np.broadcast_to(majority, cues.shape))
    assert r.converged.all()


# -- 8. loading refuses every damaged file with one error naming the path ------------------
def _rewrite(path, change_header=None, **arrays):
    """Rewrite a saved model with some arrays replaced, or its header changed."""
    import json

    with np.load(path, allow_pickle=False) as data:
        contents = {k: data[k] for k in data.files}
    header = json.loads(str(contents["__header__"]))
    if change_header:
        change_header(header)
    contents["__header__"] = np.array(json.dumps(header))
    contents.update(arrays)
    np.savez(path, **contents)
    return path


def _patch_zip(path, local_offset, central_offset, value, size=2):
    data = bytearray(path.read_bytes())
    for sig, off in ((b"PK\x03\x04", local_offset), (b"PK\x01\x02", central_offset)):
        at = data.find(sig)
        while at >= 0:
            old = int.from_bytes(data[at + off : at + off + size], "little")
            data[at + off : at + off + size] = value(old).to_bytes(size, "little")
            at = data.find(sig, at + 4)
    path.write_bytes(bytes(data))
    return path


def test_defect_8_every_damaged_file_gives_one_error_naming_the_path(tmp_path):
    from hopfield.io import ModelFileError

    rng = np.random.default_rng(8)
    sparse = (rng.random((4, 30)) < 0.2).astype(np.int8)
    net = hf.SparseHopfield(a=0.2).store(sparse)
    w = net.weights.copy()
    hop = hf.Hopfield(bias=0.0).store(hf.patterns.random(3, 16, rng=rng))

    def saved(model, name):
        return hf.save(model, tmp_path / name)

    nan = w.copy()
    nan[0, 1] = np.nan
    asym = w.copy()
    asym[0, 1] += 1.0
    bad = {
        "nan weights": _rewrite(saved(net, "a"), weights=nan),
        "asymmetric": _rewrite(saved(net, "b"), weights=asym),
        "not the patterns' weights": _rewrite(saved(net, "c"), weights=2 * w),
        "no winners": _rewrite(saved(net, "d"), lambda h: h["params"].update(a=0.001)),
        "bias disagrees": _rewrite(saved(hop, "e"), lambda h: h["params"].update(bias=0.5)),
        "encrypted": _patch_zip(saved(hop, "f"), 6, 8, lambda f: f | 1),
        "unknown compression": _patch_zip(saved(hop, "g"), 8, 10, lambda m: 99),
        "header bytes": _patch_zip(saved(hop, "h"), 14, 16, lambda c: c ^ 0xFFFF, size=4),
    }
    np.save(tmp_path / "plain.npy", w)
    bad["a .npy file"] = tmp_path / "plain.npy"
    # 1 KB that declares a (100000, 100000) float64 array: refused before allocating 74.5 GiB.
    import zipfile

    huge = tmp_path / "huge.npz"
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (100000, 100000)
    with zipfile.ZipFile(huge, "w") as z, z.open("weights.npy", "w") as f:
        np.lib.format.write_array_header_1_0(f, header)
        f.write(b"\0" * 512)
    bad["huge"] = huge
    for why, path in bad.items():
        with pytest.raises(ModelFileError, match=f"path: {path}") as err:
            hf.load(path)
        assert isinstance(err.value, ValueError), why
    with pytest.raises(ModelFileError, match=r"declares a \(100000, 100000\)"):
        hf.load(huge)
    # A sound file still loads, with or without its suffix (defect 14: save appends .npz).
    back = hf.load(tmp_path / "x" if saved(hop, "x") else None)
    np.testing.assert_array_equal(back.weights, hop.weights)
    with pytest.raises(FileNotFoundError):
        hf.load(tmp_path / "missing")


# -- 9. saves clean up after killed writers, keep the file's mode, refuse read-only files ----
def test_defect_9_saves_clean_up_keep_the_mode_and_respect_read_only(tmp_path):
    import os
    import stat
    import subprocess
    import sys

    net = hf.Hopfield().store(hf.patterns.random(3, 16, rng=9))
    target = tmp_path / "net.npz"
    # A writer killed mid-save left its temporary file; a live writer's file must stay.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".net.npz.{dead.pid}.abc123.npz"
    stale.write_bytes(b"\0" * 1000)
    live = tmp_path / f".net.npz.{os.getppid()}.def456.npz"
    live.write_bytes(b"\0" * 10)
    other = tmp_path / f".other.npz.{dead.pid}.x.npz"  # another target's: not ours to remove
    other.write_bytes(b"")
    hf.save(net, target)
    assert not stale.exists() and live.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".net")) == [live.name]

    target.chmod(0o600)
    hf.save(net, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o444)
    before = target.read_bytes()
    with pytest.raises(PermissionError, match="read-only"):
        hf.save(hf.Hopfield().store(hf.patterns.random(2, 16, rng=1)), target)
    assert target.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".net.npz") and p != live]


# -- 2. a checkpoint names the model by every parameter --------------------------------------
def _biased(bias):
    return hf.Hopfield(bias=bias)


def test_defect_2_a_checkpoint_is_not_reused_for_another_bias(tmp_path):
    from functools import partial

    from hopfield.experiments import basins

    path = tmp_path / "basins.json"
    common = {"n": 32, "k": 3, "distances": (0.1,), "executor": "serial", "progress": False}
    basins(partial(_biased, 0.0), trials=1, checkpoint=path, **common)
    basins(partial(_biased, 0.0), trials=1, checkpoint=path, **common)  # same model: resumes
    with pytest.raises(ValueError, match="checkpoint: .*bias=0.0.*bias=0.5"):
        basins(partial(_biased, 0.5), trials=1, checkpoint=path, **common)
    with pytest.raises(ValueError, match="checkpoint: .*model"):
        basins(partial(_biased, np.full(32, 0.1)), trials=1, checkpoint=path, **common)


# -- 12. every checkpoint record is validated ------------------------------------------------
def test_defect_12_corrupted_checkpoint_records_are_refused(tmp_path):
    import json

    from hopfield.experiments import capacity

    path = tmp_path / "cap.json"
    common = {"n": 32, "loads": (0.1,), "trials": 2, "executor": "serial", "progress": False}
    whole = capacity(hf.Hopfield, checkpoint=path, **common)
    doc = json.loads(path.read_text())
    good = doc["records"][0]

    def damaged(change):
        bad = json.loads(json.dumps(doc))
        change(bad["records"])
        path.write_text(json.dumps(bad))
        with pytest.raises(ValueError, match=f"checkpoint: {path}") as err:
            capacity(hf.Hopfield, checkpoint=path, **common)
        return str(err.value)

    variants = [
        lambda r: r[0].update(overlap="garbage"),
        lambda r: r[0].update(recalled=7.5),
        lambda r: r[0].update(recalled=0.5 / 3),
        lambda r: r[0].update(seed=r[0]["seed"] + 1),
        lambda r: r[0].update(seed="x"),
        lambda r: r[0].update(converged=None),
        lambda r: r[0].update(sweeps=-1),
        lambda r: r[0].update(wrong_bits=33),
        lambda r: r[0].update(overlap=True),
        lambda r: r[0].pop("overlap"),
        lambda r: r[0].update(extra=1),
        lambda r: r[0].update(key=[32, 3]),
        lambda r: r[0].update(key=[32, 3, 9, 3, 0]),
        lambda r: r[0].update(key="abc"),
        lambda r: r.append(dict(good)),
        lambda r: r.__setitem__(0, 7),
        lambda r: r.__setitem__(slice(None), {"a": 1}),
    ]
    for change in variants:
        damaged(change)
    # The sound file still resumes to the same table.
    path.write_text(json.dumps(doc))
    import pandas as pd

    pd.testing.assert_frame_equal(capacity(hf.Hopfield, checkpoint=path, **common), whole)


# -- 13. the command line refuses bad options without a traceback --------------------------
@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["capacity", "--workers", "-3", "--loads", "0.1", "--n", "16"], "--workers"),
        (["capacity", "--workers", "0", "--loads", "0.1", "--n", "16"], "--workers"),
        (["reproduce", "--workers", "0", "--only", "dense-xor"], "--workers"),
        (["capacity", "--checkpoint", ".", "--loads", "0.1", "--n", "16"], "--checkpoint"),
        (["capacity", "--scheduler", "tcp://127.0.0.1:1", "--loads", "0.1"], "--scheduler"),
        (["demo", "--output", "x.txt"], "--output"),
        (["demo", "--output", "."], "--output"),
    ],
)
def test_defect_13_cli_errors_name_the_flag_without_a_traceback(tmp_path, monkeypatch, args, flag):
    from typer.testing import CliRunner

    from hopfield.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit) and flag in result.output
    assert not list(tmp_path.glob("x.txt")) and not list(tmp_path.glob(".*"))


# -- 14. smaller defects ----------------------------------------------------------------------
def test_defect_14_save_figure_without_a_suffix_writes_png(tmp_path):
    from matplotlib.figure import Figure

    fig = Figure()
    fig.subplots().plot([0, 1])
    path = hf.plot.save_figure(fig, tmp_path / "plot")
    assert path.name == "plot.png" and path.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="path: cannot save a figure as '.txt'"):
        hf.plot.save_figure(fig, tmp_path / "plot.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plot.png"]


# -- 5. hamming counts an unknown bit as a mismatch ------------------------------------------
def test_defect_5_hamming_counts_unknown_bits_as_mismatches():
    x = hf.patterns.random(6, 100, rng=5)
    masked = hf.patterns.mask(x, 0.3, rng=6)
    np.testing.assert_array_equal(np.diag(hf.hamming(masked, x)), (masked == 0).sum(axis=1))
    # Against a direct count: a position differs unless both bits are known and equal.
    flipped = masked * np.where(np.random.default_rng(7).random(masked.shape) < 0.2, -1, 1)
    expected = ((flipped[:, None, :] != x[None, :, :]) | (flipped[:, None, :] == 0)).sum(axis=2)
    np.testing.assert_array_equal(hf.hamming(flipped, x), expected)
    assert int(hf.hamming([0, 0], [0, 0])) == 2 and int(hf.hamming([1, -1], [1, -1])) == 0
    np.testing.assert_array_equal(hf.hamming(x, x[0]), (x != x[0]).sum(axis=1))


def test_defect_14_smaller_input_defects_are_refused_by_name(tmp_path):
    from fractions import Fraction

    with pytest.raises(ValueError, match="patterns: expected a rectangular array"):
        hf.Hopfield().store([[1, -1, 1], [1, -1]])
    for call, name in [
        (lambda: hf.patterns.mask(np.ones(8), 0.5, rng=0, contiguous=1), "contiguous"),
        (lambda: hf.rules.PseudoInverse(zero_diagonal="no"), "zero_diagonal"),
        (lambda: hf.analysis.mceliece_capacity(100, all_patterns=1), "all_patterns"),
        (lambda: hf.patterns.to_images(np.ones(9), shape=5), "shape"),
    ]:
        with pytest.raises(TypeError, match=f"{name}: expected"):
            call()
    with pytest.raises(TypeError, match="return_weights"):
        hf.ModernHopfield().store(np.eye(3)).recall(np.ones(3), return_weights=1)
    with pytest.raises(ValueError, match="rng: expected a seed >= 0"):
        hf.patterns.random(3, 8, rng=-1)
    exp = hf.Exponential(Fraction(1, 2))
    assert type(exp.beta) is float and exp == hf.Exponential(0.5)
    x = hf.patterns.random(3, 8, rng=0)
    r = hf.DenseAssociativeMemory(exp).store(x).recall(x)
    np.testing.assert_array_equal(r.states, x)
    net = hf.HiddenNeuronNetwork().store(np.eye(3))
    with pytest.raises(ValueError, match="dt: t_max / dt"):
        net.recall(np.ones(3), dt=1e-300)
    big = np.random.default_rng(0).standard_normal((4, 3)).astype(">f8")
    stored = hf.HiddenNeuronNetwork().store(big).patterns
    assert stored.dtype.itemsize == 8 and np.array_equal(stored, big)


# -- 15. storing peaks at about one copy of what is kept ------------------------------------
def test_defect_15_store_peaks_near_one_copy_of_what_is_kept():
    import tracemalloc

    n = 4096
    x = hf.patterns.random(20, n, rng=15)
    weights = 8 * n * n

    def peak(fn):
        tracemalloc.start()
        try:
            kept = fn()
            return tracemalloc.get_traced_memory()[1], kept
        finally:
            tracemalloc.stop()

    hebb, net = peak(lambda: hf.Hopfield().store(x))
    assert hebb < 1.3 * weights  # was 2 × W: the product, then W + product
    del net
    storkey, net = peak(lambda: hf.Hopfield("storkey").store(x[:2]))
    assert storkey < 1.7 * weights  # was 5 × W: four N × N temporaries per pattern
    assert np.array_equal(net.weights, net.weights.T) and not np.diag(net.weights).any()
    del net
    y = np.random.default_rng(15).standard_normal((100_000, 32)).astype(np.float32)
    modern, mhn = peak(lambda: hf.ModernHopfield().store(y))
    assert modern < 1.25 * y.nbytes  # was 2 ×: the copy plus an np.abs temporary
    assert mhn._scale == float(np.abs(y).max())


# -- 10. pool workers exit when the sweep's process is killed ------------------------------
def test_defect_10_pool_workers_exit_when_their_parent_is_killed(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "sweep.py"
    script.write_text(
        "import os, time\n"
        "from hopfield.experiments import process_pool\n"
        "if __name__ == '__main__':\n"
        "    pool = process_pool(2)\n"
        "    pids = [pool.submit(os.getpid).result() for _ in range(4)]\n"
        "    print(' '.join(map(str, set(pids))), flush=True)\n"
        "    time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert workers
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:  # a zombie waiting for init to reap it is gone too
            with open(f"/proc/{pid}/stat") as f:
                return f.read().split(") ")[-1][0] != "Z"
        except OSError:
            return True

    deadline = time.monotonic() + 30
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in workers if alive(p)]


# -- 11. recall from several threads under Numba's workqueue layer -------------------------
def test_defect_11_threads_recall_safely_under_the_workqueue_layer(tmp_path):
    import os
    import subprocess
    import sys

    script = tmp_path / "threads.py"
    script.write_text(
        "import numba, numpy as np, hopfield as hf\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "net = hf.Hopfield().store(hf.patterns.random(5, 120, rng=0))\n"
        "x = hf.patterns.random(9, 120, rng=0)\n"
        "dam = hf.DenseAssociativeMemory(hf.Polynomial(3)).store(x)\n"
        "cues = hf.patterns.random(32, 120, rng=1)\n"
        "ref = [net.recall(cues, rng=5).states, dam.recall(cues, rng=5).states]\n"
        "def work(i):\n"
        "    for _ in range(10):\n"
        "        a, b = net.recall(cues, rng=5).states, dam.recall(cues, rng=5).states\n"
        "        assert np.array_equal(a, ref[0]) and np.array_equal(b, ref[1])\n"
        "with ThreadPoolExecutor(4) as ex:\n"
        "    list(ex.map(work, range(8)))\n"
        "print(numba.threading_layer())\n"
    )
    env = {**os.environ, "NUMBA_THREADING_LAYER": "workqueue", "NUMBA_NUM_THREADS": "2"}
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["workqueue"]


def test_defect_14_census_of_a_sparse_network_is_refused_clearly():
    x = (np.random.default_rng(14).random((3, 10)) < 0.3).astype(np.int8)
    with pytest.raises(TypeError, match="model: .*SparseHopfield"):
        hf.landscape.census(hf.SparseHopfield(0.3).store(x))


# -- found while documenting (issue 15): docstrings checked against what the code does ----------
def test_fixed_point_tests_and_the_engine_refuse_an_empty_or_non_binary_model_clearly():
    x = hf.patterns.random(3, 20, rng=15)
    with pytest.raises(RuntimeError, match="call store"):
        hf.is_fixed_point(hf.Hopfield(), x[0])
    with pytest.raises(RuntimeError, match="call store"):
        hf.dynamics.run(hf.Hopfield(), x[0])
    with pytest.raises(TypeError, match="model: expected a binary model"):
        hf.is_fixed_point(hf.ModernHopfield().store(np.eye(2)), [1, -1])
    with pytest.raises(TypeError, match="model: expected a binary model"):
        hf.dynamics.run(3, x[0])


def test_the_sparse_network_refuses_tensors_by_name():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="patterns: .*NumPy arrays only"):
        hf.SparseHopfield(0.5).store(torch.tensor([[1, 0, 1, 0]]))
    net = hf.SparseHopfield(0.5).store(np.array([[1, 0, 1, 0]]))
    with pytest.raises(TypeError, match="cues: .*NumPy arrays only"):
        net.recall(torch.tensor([1, 0, 0, 0]))


def test_an_interaction_class_instead_of_an_instance_is_refused_with_the_fix():
    with pytest.raises(TypeError, match=r"F: .*the class RectifiedPolynomial; call it"):
        hf.HiddenNeuronNetwork.model_a(hf.RectifiedPolynomial)
    with pytest.raises(TypeError, match=r"F: .*the class Polynomial; call it"):
        hf.lagrangians.Interaction(hf.Polynomial)

import functools
import json
import logging
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import hopfield as hf
from hopfield.experiments import MEASURES, basins, capacity, noise

STORKEY = functools.partial(hf.Hopfield, rule="storkey")
# Small sweeps keep the file fast: n = 64 and 2 trials per setting unless the science needs more.
SMALL = {"n": 64, "loads": (0.1, 0.3), "trials": 2, "progress": False}


class Flaky:
    """A picklable model factory that counts its calls and raises on call number ``fail_at``."""

    def __init__(self, fail_at=None, error=RuntimeError):
        self.calls = 0
        self.fail_at = fail_at
        self.error = error

    def __call__(self):
        self.calls += 1
        if self.calls == self.fail_at:
            raise self.error("stopped on purpose")
        return hf.Hopfield()


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_capacity_collapses_between_low_and_high_load():
    # Amit–Gutfreund–Sompolinsky: alpha_c ≈ 0.138. At n = 200 (finite size smears the
    # transition) cues 10% away are recalled perfectly at load 0.05 and not at 0.3.
    df = capacity(
        hf.Hopfield, n=200, loads=(0.05, 0.3), trials=3, executor="serial", progress=False
    )
    assert list(df.columns) == ["n", "k", "load", "noise", "trial", "seed", *MEASURES]
    assert df["k"].tolist() == [10, 10, 10, 60, 60, 60]
    assert df["trial"].tolist() == [0, 1, 2] * 2
    low, high = (df[df.load == load] for load in (0.05, 0.3))
    assert (low.recalled == 1.0).all() and (low.overlap == 1.0).all()
    assert high.overlap.mean() < 0.6 and high.recalled.mean() < 0.05
    assert high.wrong_bits.mean() > 20 and (df.converged == 1.0).all()
    assert df.attrs["experiment"] == "capacity"
    assert df.attrs["params"]["model"] == "Hopfield(rule='hebbian')"


def test_biased_patterns_interfere_at_low_load():
    biased = functools.partial(hf.patterns.biased, p=0.8)
    common = {"n": 200, "loads": 0.05, "trials": 2, "executor": "serial", "progress": False}
    unbiased = capacity(hf.Hopfield, **common)
    skewed = capacity(hf.Hopfield, patterns=biased, **common)
    assert unbiased.recalled.mean() == 1.0
    assert skewed.recalled.mean() < 0.2
    assert skewed.attrs["params"]["patterns"] == "hopfield.patterns.biased(p=0.8)"


def test_a_row_is_reproduced_by_hand_from_its_seed():
    df = capacity(hf.Hopfield, executor="serial", **SMALL)
    row = df.iloc[-1]
    gen = np.random.default_rng(int(row.seed))
    x = hf.patterns.random(int(row.k), 64, rng=gen)
    net = hf.Hopfield().store(x)
    r = net.recall(hf.patterns.flip(x, row.noise, rng=gen), rng=gen)
    assert row.overlap == pytest.approx(np.mean(np.sum(r.states * x, axis=1) / 64))
    assert row.wrong_bits == pytest.approx(np.mean(np.sum(r.states != x, axis=1)))
    assert row.sweeps == pytest.approx(r.steps.mean())


def test_rows_depend_on_the_setting_not_on_order_or_neighbours():
    both = capacity(STORKEY, executor="serial", update="sync", **SMALL)
    flipped = capacity(STORKEY, executor="serial", update="sync", **{**SMALL, "loads": (0.3, 0.1)})
    alone = capacity(STORKEY, executor="serial", update="sync", **{**SMALL, "loads": 0.3})
    pd.testing.assert_frame_equal(both, flipped)
    pd.testing.assert_frame_equal(both[both.k == 19].reset_index(drop=True), alone)
    assert both.seed.nunique() == len(both)
    # The same trial seen by two sweeps: capacity at noise 0.1 is basins at distance 0.1.
    near = basins(
        STORKEY,
        n=64,
        k=19,
        distances=0.1,
        trials=2,
        update="sync",
        executor="serial",
        progress=False,
    )
    assert near[list(MEASURES)].equals(alone[list(MEASURES)])


def test_serial_threads_processes_and_dask_give_identical_tables(client):
    serial = capacity(STORKEY, executor="serial", **SMALL)
    assert serial.recalled.iloc[0] == 1.0
    with ThreadPoolExecutor(2) as threads:
        pd.testing.assert_frame_equal(capacity(STORKEY, executor=threads, **SMALL), serial)
    pd.testing.assert_frame_equal(capacity(STORKEY, executor=None, **SMALL), serial)
    pd.testing.assert_frame_equal(capacity(STORKEY, executor=client, **SMALL), serial)
    cluster = client.get_executor()
    pd.testing.assert_frame_equal(capacity(STORKEY, executor=cluster, **SMALL), serial)


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
@pytest.mark.parametrize("executor", ["serial", "threads"])
def test_an_interrupted_sweep_resumes_to_the_uninterrupted_result(tmp_path, error, executor):
    path = tmp_path / "capacity.json"
    whole = capacity(hf.Hopfield, executor="serial", **SMALL)
    flaky = Flaky(fail_at=3, error=error)  # call 1 is the up-front check, 2 the first trial
    with pytest.raises(error), ThreadPoolExecutor(1) as threads:
        pool = "serial" if executor == "serial" else threads
        capacity(flaky, executor=pool, checkpoint=path, **SMALL)
    doc = json.loads(path.read_text())
    done = {tuple(r["key"]): r for r in doc["records"]}
    assert 1 <= len(done) < len(whole)
    for key, record in done.items():
        row = whole[(whole.k == key[1]) & (whole.trial == key[4])].iloc[0]
        assert record["overlap"] == row.overlap and record["seed"] == row.seed
    counting = Flaky()
    resumed = capacity(counting, executor="serial", checkpoint=path, **SMALL)
    pd.testing.assert_frame_equal(resumed, whole)
    assert counting.calls == 1 + len(whole) - len(done)
    again = Flaky()
    pd.testing.assert_frame_equal(
        capacity(again, executor="serial", checkpoint=path, **SMALL), whole
    )
    assert again.calls == 1
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_checkpoint_extends_to_more_trials_and_rejects_other_parameters(tmp_path):
    path = tmp_path / "sub" / "basins.json"
    path.parent.mkdir()  # a checkpoint's folder must exist
    common = {"n": 64, "k": 6, "distances": (0.1, 0.3), "executor": "serial", "progress": False}
    basins(hf.Hopfield, trials=1, checkpoint=path, **common)
    counting = Flaky()
    more = basins(counting, trials=3, checkpoint=path, **common)
    pd.testing.assert_frame_equal(more, basins(hf.Hopfield, trials=3, **common))
    assert counting.calls == 1 + 2 * 2
    with pytest.raises(ValueError, match="checkpoint: .*update: 'async' there, 'sync' here"):
        basins(hf.Hopfield, trials=3, checkpoint=path, update="sync", **common)
    with pytest.raises(ValueError, match="checkpoint: .*model"):
        basins(STORKEY, trials=3, checkpoint=path, **common)
    with pytest.raises(ValueError, match="rng: a checkpointed sweep needs an int seed"):
        basins(hf.Hopfield, trials=3, checkpoint=path, rng=None, **common)
    junk = tmp_path / "junk.json"
    junk.write_text("not json")
    with pytest.raises(ValueError, match="checkpoint: .* is not a readable checkpoint"):
        basins(hf.Hopfield, trials=1, checkpoint=junk, **common)


def test_recall_probability_falls_with_distance():
    df = basins(
        hf.Hopfield,
        n=100,
        k=10,
        distances=(0.0, 0.25, 0.4, 0.5),
        trials=4,
        executor="serial",
        progress=False,
    )
    assert list(df.columns) == ["n", "k", "load", "distance", "bits", "trial", "seed", *MEASURES]
    p = df.groupby("distance")["recalled"].mean()
    assert p[0.0] >= 0.9 and p[0.5] <= 0.1
    assert (np.diff(p.to_numpy()) <= 0).all()
    assert (np.diff(df.groupby("distance")["overlap"].mean().to_numpy()) < 0).all()


def test_masking_hurts_less_than_flipping_the_same_fraction():
    # A hidden bit carries no information, a flipped one wrong information: the cue overlap is
    # 1 - f for a mask and 1 - 2f for flips, so masks are completed where flips fail.
    df = noise(
        hf.Hopfield, n=100, k=10, levels=(0.2, 0.4), trials=4, executor="serial", progress=False
    )
    assert df["kind"].tolist() == ["flip"] * 8 + ["mask"] * 8
    m = df.groupby(["kind", "level"])[["overlap", "recalled"]].mean()
    assert (m.loc[[("flip", 0.2), ("mask", 0.2)], "overlap"] >= 0.99).all()
    assert m.loc[("mask", 0.4), "overlap"] >= 0.99 > 0.6 > m.loc[("flip", 0.4), "overlap"]
    assert m.loc[("mask", 0.4), "recalled"] >= 0.9 > 0.5 > m.loc[("flip", 0.4), "recalled"]


def test_progress_bar_stays_out_of_non_terminal_output(capsys):
    capacity(hf.Hopfield, n=32, loads=0.1, trials=1, executor="serial", progress=True)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"loads": []}, ValueError, "loads: expected a non-empty"),
        ({"loads": [0.1, 0.0]}, ValueError, "loads: each load must"),
        ({"loads": [-0.2]}, ValueError, "loads: each load must"),
        ({"loads": [0.001]}, ValueError, r"loads: each load must give K = round\(load \* n\) >= 1"),
        ({"loads": [0.1, 0.104]}, ValueError, "loads: 0.1 and 0.104 both give K = 10"),
        ({"trials": 0}, ValueError, "trials: expected an int >= 1"),
        ({"noise": 1.5}, ValueError, r"noise: expected a number in \[0, 1\]"),
        ({"noise": -0.1}, ValueError, r"noise: expected a number in \[0, 1\]"),
        ({"n": 0}, ValueError, "n: expected an int >= 1"),
        ({"update": "stochastic"}, ValueError, "update: unknown option"),
        ({"max_steps": 0}, ValueError, "max_steps: expected an int >= 1"),
        ({"rng": -1}, ValueError, "rng: expected an int >= 0"),
        ({"executor": "threads"}, TypeError, "executor: expected None, 'serial'"),
        ({"model": "hebbian"}, TypeError, "model: expected a callable"),
        ({"model": lambda: 3}, TypeError, "model: sweeps need a binary model"),
        ({"model": hf.BidirectionalMemory}, TypeError, "continuous one.*got BidirectionalMemory"),
        ({"patterns": lambda k, n, rng: np.ones((k, n + 1))}, ValueError, "patterns: the gen"),
        ({"model": lambda: hf.Hopfield(), "executor": None}, TypeError, "model: a process pool"),
        ({"checkpoint": 3}, TypeError, "checkpoint: expected a path"),
    ],
)
def test_bad_capacity_input_fails_before_any_trial_runs(tmp_path, kwargs, error, match):
    args = {
        "model": hf.Hopfield,
        "n": 100,
        "loads": [0.1],
        "executor": "serial",
        "progress": False,
        "checkpoint": tmp_path / "c.json",
        **kwargs,
    }
    with pytest.raises(error, match=match):
        capacity(args.pop("model"), **args)
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize(
    ("sweep", "kwargs", "match"),
    [
        (basins, {"distances": [0.1, 1.2]}, r"distances: expected a number in \[0, 1\]"),
        (basins, {"distances": [0.1, 0.104]}, "distances: 0.1 and 0.104 both give 10 flipped"),
        (basins, {"k": 0}, "k: expected an int >= 1"),
        (noise, {"kinds": ["flip", "flp"]}, "kinds: unknown option 'flp'.*did you mean 'flip'"),
        (noise, {"kinds": []}, "kinds: expected at least one"),
        (noise, {"kinds": ["mask", "mask"]}, "kinds: 'mask' is given 2 times"),
        (noise, {"levels": []}, "levels: expected a non-empty"),
    ],
)
def test_bad_basins_and_noise_input(sweep, kwargs, match):
    args = {"n": 100, "k": 5, "executor": "serial", "progress": False, **kwargs}
    with pytest.raises(ValueError, match=match):
        sweep(hf.Hopfield, **args)

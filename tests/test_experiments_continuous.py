"""Sweeps of continuous models: real patterns, Gaussian or masked cues, cosine-threshold recall."""

import functools
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import hopfield as hf
from hopfield.cli import app
from hopfield.experiments import (
    CONTINUOUS_MEASURES,
    THRESHOLD,
    basins,
    capacity,
    noise,
    process_pool,
)

SHARP = functools.partial(hf.ModernHopfield, beta=1.0)
FLAT = functools.partial(hf.ModernHopfield, beta=0.01)
SMALL = {"n": 32, "trials": 2, "progress": False}


class FlakyModern:
    """A picklable modern-network factory that counts its calls and raises on ``fail_at``."""

    def __init__(self, fail_at=None):
        self.calls = 0
        self.fail_at = fail_at

    def __call__(self):
        self.calls += 1
        if self.calls == self.fail_at:
            raise RuntimeError("stopped on purpose")
        return hf.ModernHopfield(beta=1.0)


def _softmax_recall(x, cues, beta, steps):
    """Ramsauer et al.'s update ξ ← Xᵀ softmax(β X ξ), in float64, written here as a reference."""
    x = x.astype(np.float64)
    state = cues.astype(np.float64)
    for _ in range(steps):
        scores = beta * state @ x.T
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        state = (p / p.sum(axis=1, keepdims=True)) @ x
    return state


def _cosine(a, b):
    return np.einsum("ij,ij->i", a, b) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_a_sharp_modern_network_recalls_what_a_flat_one_averages():
    # At β = 1 Gaussian memories of N = 32 are far apart on the scale 1/β (Δ ≈ N against
    # cross terms of order √N), so cues with noise of half the signal's size fall back to
    # their memory; at β = 0.01 the softmax is nearly uniform and every cue ends near the
    # memories' mean (the "global average" fixed point, Ramsauer et al. 2020, Sec. 2).
    loads = (0.125, 0.5)
    sharp = capacity(SHARP, loads=loads, noise=0.5, executor="serial", **SMALL)
    flat = capacity(FLAT, loads=loads, noise=0.5, executor="serial", **SMALL)
    columns = ["n", "k", "load", "noise", "trial", "seed", *CONTINUOUS_MEASURES]
    assert list(sharp.columns) == columns and list(flat.columns) == columns
    assert sharp["k"].tolist() == [4, 4, 16, 16] and sharp["noise"].tolist() == [0.5] * 4
    assert (sharp.recalled == 1.0).all() and (sharp.cosine > THRESHOLD).all()
    assert (flat.recalled == 0.0).all() and (flat.cosine < 0.7).all()
    assert sharp.seed.tolist() == flat.seed.tolist()  # same trials, only β differs
    assert sharp.attrs["params"]["threshold"] == THRESHOLD
    assert sharp.attrs["params"]["patterns"] == "hopfield._sweep_continuous.gaussian"

    # Each row from its seed alone: Gaussian patterns, then noise, then the update. One step
    # at β = 0.1 keeps the final state dependent on the very noise drawn.
    one = functools.partial(hf.ModernHopfield, beta=0.1)
    middle = capacity(one, loads=loads, noise=0.5, max_steps=1, executor="serial", **SMALL)
    for table, beta, steps in ((sharp, 1.0, 100), (flat, 0.01, 100), (middle, 0.1, 1)):
        for i in (0, 3):
            row = table.iloc[i]
            gen = np.random.default_rng(int(row.seed))
            x = gen.standard_normal((int(row.k), 32), dtype=np.float32)
            rms = np.sqrt(np.mean(np.square(x, dtype=np.float64), axis=1, keepdims=True))
            cues = (x + gen.standard_normal(x.shape) * 0.5 * rms).astype(np.float32)
            cos = _cosine(_softmax_recall(x, cues, beta, steps), x.astype(np.float64))
            assert row.cosine == pytest.approx(cos.mean(), abs=1e-5)
            assert row.recalled == np.mean(cos >= THRESHOLD)


def test_the_curve_of_a_modern_table_draws_cosine_and_no_classical_theory():
    df = capacity(SHARP, loads=(0.125, 0.25), noise=0.2, executor="serial", **SMALL)
    fig = hf.plot.capacity_curve(df)  # theory="auto"
    for ax in fig.axes:
        assert [line.get_label() for line in ax.lines] == ["N = 32"]  # no AGS or McEliece line
    assert fig.axes[0].get_ylabel() == "mean cosine similarity"
    mean = fig.axes[0].lines[0].get_ydata()
    assert np.allclose(mean, df.groupby("load")["cosine"].mean().to_numpy())


def test_the_table_is_the_same_on_processes_and_in_this_process():
    kwargs = {"k": 6, "levels": (0.25, 0.75), **SMALL}
    serial = noise(SHARP, executor="serial", **kwargs)
    with process_pool(2) as pool:
        pooled = noise(SHARP, executor=pool, **kwargs)
    pd.testing.assert_frame_equal(serial, pooled)
    assert serial["kind"].tolist() == ["mask"] * 4 + ["gauss"] * 4  # the key order of kinds
    assert serial["level"].tolist() == [0.25, 0.25, 0.75, 0.75] * 2


def test_an_interrupted_continuous_sweep_resumes_to_the_uninterrupted_result(tmp_path):
    path = tmp_path / "modern.json"
    common = {"loads": (0.125, 0.25, 0.5), "noise": 0.3, "executor": "serial", **SMALL}
    whole = capacity(SHARP, **common)
    with pytest.raises(RuntimeError, match="on purpose"):
        capacity(FlakyModern(fail_at=4), checkpoint=path, **common)  # call 1 is the probe
    done = json.loads(path.read_text())["records"]
    assert len(done) == 2 and set(done[0]) == {"key", "seed", *CONTINUOUS_MEASURES}
    counting = FlakyModern()
    resumed = capacity(counting, checkpoint=path, **common)
    pd.testing.assert_frame_equal(resumed, whole)
    assert counting.calls == 1 + len(whole) - 2
    with pytest.raises(ValueError, match="threshold: 0.99 there, 0.9 here"):
        capacity(SHARP, checkpoint=path, threshold=0.9, **common)


def test_every_continuous_model_sweeps_and_pm1_patterns_come_as_floats():
    model_b = functools.partial(hf.HiddenNeuronNetwork.model_b, beta=1.0)
    for model in (hf.UniversalMemory, model_b):
        df = basins(model, k=4, distances=(0.0, 0.5), executor="serial", **SMALL)
        assert (df.recalled == 1.0).all() and (df.cosine > THRESHOLD).all(), df
    hidden = basins(model_b, k=4, distances=(0.5,), executor="serial", **SMALL)
    assert (hidden.steps > 1).all()  # Euler steps of a tenth of tau_f each
    pm1 = capacity(SHARP, loads=(0.125,), patterns=hf.patterns.random, executor="serial", **SMALL)
    assert (pm1.recalled == 1.0).all()
    assert pm1.attrs["params"]["patterns"] == "hopfield.patterns.random"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"update": "sync"}, ValueError, "update: a continuous model runs its own update"),
        ({"threshold": 1.5}, ValueError, r"threshold: expected a cosine in \(0, 1\]"),
        ({"threshold": 0}, ValueError, "threshold: expected a finite number > 0"),
        ({"model": hf.Hopfield, "threshold": 0.9}, ValueError, "threshold: binary models"),
        ({"kinds": ("flip",)}, ValueError, "kinds: unknown option 'flip'"),
        ({"model": hf.Hopfield, "kinds": ("gauss",)}, ValueError, "kinds: unknown option"),
    ],
)
def test_bad_continuous_input_fails_before_any_trial_runs(kwargs, error, match):
    args = {"model": FlakyModern(fail_at=2), "k": 4, "levels": (0.1,), **SMALL, **kwargs}
    with pytest.raises(error, match=match):
        noise(args.pop("model"), executor="serial", **args)


def test_the_cli_sweeps_a_modern_network(tmp_path):
    runner = CliRunner()
    out = tmp_path / "modern"
    args = ["capacity", "--model", "modern:1", "-n", "32", "--loads", "0.125,0.5"]
    result = runner.invoke(app, [*args, "--trials", "2", "--noise", "0.5", "--workers", "1",
                                 "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out.with_suffix(".csv"))
    expected = capacity(SHARP, loads=(0.125, 0.5), noise=0.5, executor="serial", **SMALL)
    pd.testing.assert_frame_equal(df, expected, check_dtype=False)
    assert out.with_suffix(".png").stat().st_size > 0 and "cosine" in result.output
    flat = runner.invoke(app, ["noise", "--model", "modern:0.01", "-n", "32", "-k", "4",
                               "--levels", "0.5", "--trials", "1", "--workers", "1",
                               "-o", str(tmp_path / "flat")])  # fmt: skip
    assert flat.exit_code == 0, flat.output
    assert (pd.read_csv(tmp_path / "flat.csv").recalled == 0).all()
    bad = runner.invoke(app, ["basins", "--model", "modern:-1", "-o", str(tmp_path / "b")])
    assert bad.exit_code == 2 and "modern:BETA with a number β > 0" in bad.output

"""Sweep curves: one line per model, the theory of the rule measured, bands inside [0, 1]."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hopfield import plot as pl
from hopfield.analysis import AGS_ALPHA_C, storkey_capacity


def _capacity_table(rule_quality: dict[str, float], n: int = 100) -> pd.DataFrame:
    """A capacity table per rule, trials spread ±0.3 around each rule's recall quality."""
    rows = []
    for rule, quality in rule_quality.items():
        for load in (0.05, 0.1, 0.2):
            for trial, spread in enumerate((-0.3, 0.0, 0.3)):
                value = float(np.clip(quality + spread, 0, 1))
                rows.append({"rule": rule, "n": n, "load": load, "trial": trial,
                             "overlap": value, "recalled": value})
    return pd.DataFrame(rows)


def _vlines(ax) -> dict[str, float]:
    return {line.get_label(): line.get_xdata()[0] for line in ax.lines
            if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]}


def test_several_rules_get_a_line_each_and_their_own_theory():
    df = _capacity_table({"hebbian": 0.2, "storkey": 0.95})
    fig = pl.capacity_curve(df)
    overlap_ax, exact_ax = fig.axes
    curves = [line.get_label() for line in overlap_ax.lines if len(line.get_xdata()) == 3]
    assert curves == ["hebbian, N = 100", "storkey, N = 100"]
    lines = _vlines(exact_ax)
    assert lines["AGS α_c = 0.138"] == pytest.approx(AGS_ALPHA_C)
    assert lines["N/√(2 ln N), N = 100"] == pytest.approx(storkey_capacity(100) / 100)
    # The N-dependent theory line takes the colour of the curve of its own rule.
    storkey_curve = next(line for line in exact_ax.lines if line.get_label().startswith("storkey"))
    storkey_theory = next(line for line in exact_ax.lines if line.get_label().startswith("N/√"))
    assert storkey_theory.get_color() == storkey_curve.get_color()


def test_bands_stay_inside_the_range_of_the_measure():
    df = _capacity_table({"hebbian": 0.05, "storkey": 0.98})
    fig = pl.capacity_curve(df, theory=None)
    # Overlaps lie in [-1, 1]; the fraction recalled in [0, 1].
    for ax, (lo, hi) in zip(fig.axes, [(-1.0, 1.0), (0.0, 1.0)], strict=True):
        for band in ax.collections:
            ys = np.concatenate([path.vertices[:, 1] for path in band.get_paths()])
            assert ys.min() >= lo and ys.max() <= hi
        assert any(  # the data would have gone past: the cut is what keeps it inside
            np.concatenate([p.vertices[:, 1] for p in band.get_paths()]).max() == hi
            for band in ax.collections
        )


def test_the_theory_comes_from_the_table_attributes_or_is_left_out():
    df = _capacity_table({"x": 0.9}).drop(columns="rule")
    df.attrs = {"experiment": "capacity", "params": {"model": "Hopfield(rule='storkey')"}}
    assert "N/√(2 ln N), N = 100" in _vlines(pl.capacity_curve(df).axes[1])
    df.attrs = {"params": {"model": "DenseAssociativeMemory(interaction=Polynomial(n=3))"}}
    assert _vlines(pl.capacity_curve(df).axes[1]) == {}
    # An explicit theory still wins.
    assert "AGS α_c = 0.138" in _vlines(pl.capacity_curve(df, theory="hebbian").axes[0])


def test_by_names_the_grouping_column():
    df = _capacity_table({"hebbian": 0.2, "storkey": 0.95}).rename(columns={"rule": "net"})
    labels = [line.get_label() for line in pl.capacity_curve(df, by="net").axes[0].lines]
    assert "hebbian, N = 100" in labels and "storkey, N = 100" in labels
    with pytest.raises(ValueError, match="by: expected columns of df"):
        pl.capacity_curve(df, by="colour")
    basins = df.rename(columns={"load": "distance"}).assign(load=0.1)
    assert len(pl.basin_curve(basins, by="net").axes[0].lines) == 2


def test_animation_shows_a_frame_per_flip_and_no_still_frames(tmp_path):
    from PIL import Image

    import hopfield as hf

    x = hf.datasets.letters("HOPF", 8).reshape(4, -1)
    net = hf.Hopfield("pseudoinverse").store(x)
    cue = hf.patterns.flip(x[1], 0.3, rng=1)
    for every in (None, 1):
        path = tmp_path / f"recall-{every}.gif"
        trace = pl.animate_recall(net, cue, path, shape=(8, 8), every=every, rng=2)
        flips = len(trace.neurons)
        # The start, one frame per flip, and the final frame after the confirming sweep, whose
        # N updates changed nothing: that sweep is not spent on still frames.
        assert trace.total_updates >= flips + 64
        with Image.open(path) as gif:
            assert gif.n_frames == flips + 2
            frames = []
            for i in range(gif.n_frames):
                gif.seek(i)
                frames.append(np.asarray(gif.convert("L"), dtype=np.int16))
        assert all(np.any(a != b) for a, b in zip(frames, frames[1:], strict=False))


def test_pattern_grid_draws_into_a_given_figure_with_the_patterns_as_images():
    from matplotlib.figure import Figure

    import hopfield as hf

    x = hf.patterns.random(3, 20, rng=0)
    given = Figure()
    fig = hf.plot.pattern_grid([x, -x], (4, 5), row_titles=["x", "-x"], fig=given)
    assert fig is given and len(given.axes) == 6
    # Each axes shows its pattern, reshaped: row 1 is the reversal of row 0.
    shown = [ax.images[0].get_array().reshape(-1) for ax in given.axes]
    assert all((shown[c] == x[c]).all() and (shown[3 + c] == -x[c]).all() for c in range(3))

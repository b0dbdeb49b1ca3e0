"""Figures of recall: pattern grids, energy curves, cue / recalled / stored side by side."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .. import _validation as v
from .._atomic import atomic_path
from ..recall import Recall

__all__ = ["energy_curves", "pattern_grid", "recall_figure", "save_figure"]

# Unknown bits (0) show as mid grey between the two colours.
_CMAP = "gray_r"


def pattern_grid(
    rows: Sequence, shape: tuple[int, int], *, row_titles: Sequence[str] = (), labels=None
) -> Figure:
    """A grid of ±1 images: one row of the grid per array in ``rows``.

    Args:
        rows: arrays of patterns, each (K, N) with N = height × width; all the same K.
        shape: (height, width) of one image.
        row_titles: a title for each grid row (e.g. "cue", "recalled", "stored").
        labels: optional column labels.

    Examples:
        >>> import hopfield as hf
        >>> X = hf.datasets.letters("AB", 8).reshape(2, -1)
        >>> fig = hf.plot.pattern_grid([X, -X], (8, 8), row_titles=["x", "-x"])
        >>> len(fig.axes)
        4
    """
    arrays = [
        np.atleast_2d(v.bipolar(f"rows[{i}]", r, allow_zero=True)) for i, r in enumerate(rows)
    ]
    if not arrays:
        raise ValueError("rows: expected at least one array of patterns")
    k = arrays[0].shape[0]
    for i, a in enumerate(arrays):
        if a.shape[0] != k:
            raise ValueError(f"rows[{i}]: expected {k} patterns like rows[0], got {a.shape[0]}")
    h, w = shape
    fig = Figure(figsize=(1.1 * k + 0.8, 1.15 * len(arrays) + 0.3), layout="constrained")
    axes = fig.subplots(len(arrays), k, squeeze=False)
    for r, a in enumerate(arrays):
        images = a.reshape(k, h, w)
        for c in range(k):
            ax = axes[r, c]
            ax.imshow(images[c], cmap=_CMAP, vmin=-1, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0 and labels is not None:
                ax.set_title(str(labels[c]), fontsize=9)
        if r < len(row_titles):
            axes[r, 0].set_ylabel(row_titles[r], fontsize=9)
    return fig


def energy_curves(recall: Recall, *, labels=None, ax=None) -> Figure:
    """Energy of each cue after every sweep of a recall.

    Examples:
        >>> import hopfield as hf
        >>> X = hf.patterns.random(3, 50, rng=0)
        >>> r = hf.Hopfield().store(X).recall(hf.patterns.flip(X, 0.2, rng=1), rng=2)
        >>> fig = hf.plot.energy_curves(r)
        >>> len(fig.axes[0].lines)
        3
    """
    energies = np.atleast_2d(recall.energies)
    fig = ax.figure if ax is not None else Figure(figsize=(5, 3.2), layout="constrained")
    ax = ax if ax is not None else fig.subplots()
    steps = np.atleast_1d(recall.steps)
    # Continuous time: the energies were recorded at ``extras["times"]``.
    times = recall.extras.get("times") if recall.unit == "time" else None
    for i, e in enumerate(energies):
        # Draw each trace up to the iteration that confirmed its fixed point.
        end = min(len(e), int(steps[i]) + 2) if times is None else len(e)
        x = np.arange(end) if times is None else np.asarray(times)[:end]
        label = str(labels[i]) if labels is not None else None
        ax.plot(x, e[:end], marker="o", markersize=3, label=label)
    if times is None:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(recall.unit)
    ax.set_ylabel("energy")
    ax.set_title(f"energy during {recall.update} recall", fontsize=10)
    if labels is not None:
        ax.legend(fontsize=7, ncols=2)
    return fig


def recall_figure(
    cues, recall: Recall, originals, shape: tuple[int, int], *, labels=None, states=None
) -> Figure:
    """Cues, recalled states and originals as images, beside the energy curves.

    ``states`` replaces ``recall.states`` in the pictures, e.g. the signs of a continuous
    model's states.

    Examples:
        >>> import hopfield as hf
        >>> X = hf.datasets.letters("HI", 10).reshape(2, -1)
        >>> net = hf.Hopfield("pseudoinverse").store(X)
        >>> cues = hf.patterns.flip(X, 0.1, rng=0)
        >>> fig = hf.plot.recall_figure(cues, net.recall(cues, rng=1), X, (10, 10))
        >>> len(fig.axes)
        7
    """
    shown = recall.states if states is None else states
    rows = [np.atleast_2d(cues), np.atleast_2d(shown), np.atleast_2d(originals)]
    k = rows[0].shape[0]
    h, w = shape
    fig = Figure(figsize=(1.1 * k + 4.5, 3.8), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[1.1 * k, 4.0])
    axes = left.subplots(3, k, squeeze=False)
    for r, (name, a) in enumerate(zip(["cue", "recalled", "stored"], rows, strict=True)):
        for c in range(k):
            ax = axes[r, c]
            ax.imshow(a[c].reshape(h, w), cmap=_CMAP, vmin=-1, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0 and labels is not None:
                ax.set_title(str(labels[c]), fontsize=9)
        axes[r, 0].set_ylabel(name, fontsize=9)
    energy_curves(recall, labels=labels, ax=right.subplots())
    return fig


def save_figure(fig: Figure, path, *, dpi: int = 120) -> Path:
    """Save ``fig`` atomically (temporary file, then rename); returns the path.

    The format is the suffix's; a path without one gets ``.png`` appended, as matplotlib does.
    An unknown suffix is a ``ValueError`` naming ``path`` before anything is written.
    """
    path = Path(os.fspath(path))
    if not path.suffix:
        path = path.with_name(path.name + ".png")
    kinds = fig.canvas.get_supported_filetypes()
    if path.suffix[1:].lower() not in kinds:
        raise ValueError(
            f"path: cannot save a figure as {path.suffix!r}; expected one of {sorted(kinds)}"
        )
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format=path.suffix[1:].lower())
    return path

"""Figures of recall: pattern grids, energy curves, cue / recalled / stored side by side.

Images are ±1 patterns drawn in black and white; unknown bits (0) show as mid grey.
:func:`save_figure` writes any figure atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import MaxNLocator

from .. import _validation as v
from .._atomic import atomic_path
from ..recall import Recall

__all__ = ["energy_curves", "pattern_grid", "recall_figure", "save_figure"]

# Unknown bits (0) show as mid grey between the two colours.
_CMAP = "gray_r"


def pattern_grid(
    rows: Sequence,
    shape: tuple[int, int],
    *,
    row_titles: Sequence[str] = (),
    labels=None,
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """Draw a grid of ±1 images: one row of the grid per array in ``rows``.

    Unknown bits (0) show as mid grey.

    Parameters
    ----------
    rows : sequence of array_like of shape (K, N)
        Arrays of patterns, each with N = height × width; all with the same K.
    shape : tuple of int
        (height, width) of one image.
    row_titles : sequence of str, default ()
        A title for each grid row (e.g. "cue", "recalled", "stored").
    labels : sequence or None, default None
        Column labels, one per pattern.
    fig : matplotlib.figure.Figure, matplotlib.figure.SubFigure or None, default None
        Where to draw (an empty figure, e.g. one from ``plt.figure()`` so that pyplot shows
        it); None makes a new figure of a size that fits the grid.

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.figure.SubFigure
        The figure drawn on (``fig`` when given), one axes per image.

    Raises
    ------
    ValueError
        If ``rows`` is empty, an array holds values other than ±1 and 0, or the arrays hold
        different numbers of patterns.

    Examples
    --------
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
    if fig is None:
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
    """Draw the energy of each cue after every step of a recall.

    Each curve stops at the step that confirmed its fixed point. A continuous-time recall is
    drawn against the times its energies were recorded at.

    Parameters
    ----------
    recall : hopfield.Recall
        The result of a model's ``recall`` (with ``energies`` recorded).
    labels : sequence or None, default None
        A legend label for each cue; None draws no legend.
    ax : matplotlib.axes.Axes or None, default None
        The axes to draw on; by default those of a new Figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into (that of ``ax`` when it is given).

    Examples
    --------
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
    """Draw cues, recalled states and originals as images, beside the energy curves.

    Parameters
    ----------
    cues : array_like of shape (K, N) or (N,)
        The cues, with N = height × width.
    recall : hopfield.Recall
        The recall of ``cues``.
    originals : array_like of shape (K, N) or (N,)
        The stored patterns the cues came from.
    shape : tuple of int
        (height, width) of one image.
    labels : sequence or None, default None
        Column labels and legend labels, one per cue.
    states : array_like of shape (K, N) or None, default None
        Replaces ``recall.states`` in the pictures, e.g. the signs of a continuous model's
        states.

    Returns
    -------
    matplotlib.figure.Figure
        Three rows of images (cue, recalled, stored) and the energy curves
        (:func:`energy_curves`) on the right.

    Examples
    --------
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
    """Save ``fig`` atomically (temporary file, then rename) and return the path.

    The format is the suffix's; a path without one gets ``.png`` appended, as matplotlib does.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    path : str or os.PathLike
        Where to write it; its suffix names the format.
    dpi : int, default 120
        Resolution in dots per inch.

    Returns
    -------
    pathlib.Path
        The path written (with ``.png`` appended where ``path`` had no suffix).

    Raises
    ------
    ValueError
        If the suffix names no format matplotlib can write; nothing is written then.

    Examples
    --------
    >>> import hopfield as hf, tempfile, pathlib
    >>> X = hf.datasets.letters("AB", 8).reshape(2, -1)
    >>> fig = hf.plot.pattern_grid([X], (8, 8))
    >>> out = hf.plot.save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "letters")
    >>> out.name, out.exists()
    ('letters.png', True)
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

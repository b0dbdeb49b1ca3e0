"""The learned memories of a :class:`hopfield.DenseClassifier`, drawn as images with their labels.

Each memory is two things: its visible part, an image in [−1, 1], and its label part, one
weight per class. Krotov & Hopfield (2016, Fig. 3) [1]_ show that at small degree n the images
are features (strokes, parts of digits) voting for several classes, and at large n prototypes
(whole digits) voting for one.

References
----------
.. [1] D. Krotov and J. J. Hopfield, "Dense associative memory for pattern recognition",
   Advances in Neural Information Processing Systems 29 (2016).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure, SubFigure

__all__ = ["memories"]


def _image_shape(n_visible: int, shape) -> tuple[int, int]:
    if shape is not None:
        rows, cols = (int(s) for s in shape)
        if rows * cols != n_visible:
            raise ValueError(
                f"shape: {shape} has {rows * cols} pixels, the memories have {n_visible}"
            )
        return rows, cols
    side = math.isqrt(n_visible)
    return (side, side) if side * side == n_visible else (1, n_visible)


def memories(
    clf,
    count: int | None = 25,
    *,
    shape: tuple[int, int] | None = None,
    columns: int | None = None,
    title: str | None = None,
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """Draw a fitted classifier's memories: each image above a strip of its label weights.

    Memories are sorted by the class they vote for most, then by their prototype score (see
    :meth:`hopfield.DenseClassifier.prototype_scores`), which each panel's title shows.
    Colours run from blue (−1) through white (0) to red (+1) in the image and the strip.

    Parameters
    ----------
    clf : hopfield.DenseClassifier
        A fitted classifier (anything with ``memories_``, ``classes_``, ``n_features_in_`` and
        ``prototype_scores()``).
    count : int or None, default 25
        How many memories to draw (the first ``count`` in the sorted order); None: all.
    shape : tuple of int or None, default None
        (rows, cols) of the images; by default square if N_v is a square, else one row.
    columns : int or None, default None
        Panels per row; by default about the square root of ``count``.
    title : str or None, default None
        A title over the panels; by default it names the degree and the mean score.
    fig : matplotlib.figure.Figure, matplotlib.figure.SubFigure or None, default None
        A Figure or SubFigure to draw into; by default a new Figure.

    Returns
    -------
    matplotlib.figure.Figure or matplotlib.figure.SubFigure
        The figure (or subfigure) drawn into.

    Raises
    ------
    ValueError
        If ``clf`` is not fitted, ``count`` is not an int >= 1 or None, or ``shape`` does not
        hold the memories' N_v pixels.

    Examples
    --------
    >>> import hopfield as hf
    >>> X, y = hf.datasets.handwritten_digits()
    >>> clf = hf.DenseClassifier(memories=12, epochs=3, rng=0).fit(X[:300], y[:300])
    >>> fig = hf.plot.memories(clf, count=6)
    >>> len(fig.axes)
    12
    """
    if not hasattr(clf, "memories_"):
        raise ValueError("clf: expected a fitted DenseClassifier (call fit first)")
    mem = np.asarray(clf.memories_)
    n_visible = int(clf.n_features_in_)
    total = len(mem)
    if count is None:
        count = total
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
        raise ValueError(f"count: expected an int >= 1 or None, got {count!r}")
    count = min(int(count), total)
    rows_px, cols_px = _image_shape(n_visible, shape)
    scores = clf.prototype_scores()
    labels = mem[:, n_visible:]
    favourite = labels.argmax(axis=1)
    order = np.lexsort((-scores, favourite))[:count]
    if columns is None:
        columns = max(1, math.ceil(math.sqrt(count)))
    rows = math.ceil(count / columns)
    if fig is None:
        fig = Figure(figsize=(1.3 * columns, 1.6 * rows + 0.5), layout="constrained")
    grid = fig.add_gridspec(2 * rows, columns, height_ratios=[6, 1] * rows)
    style = dict(cmap="bwr", vmin=-1.0, vmax=1.0, interpolation="nearest")
    for i, mu in enumerate(order):
        r, c = divmod(i, columns)
        top = fig.add_subplot(grid[2 * r, c])
        top.imshow(mem[mu, :n_visible].reshape(rows_px, cols_px), aspect="auto", **style)
        top.set_title(f"{clf.classes_[favourite[mu]]} · {scores[mu]:.2f}", fontsize=7, pad=2)
        strip = fig.add_subplot(grid[2 * r + 1, c])
        strip.imshow(labels[mu][None, :], aspect="auto", **style)
        for ax in (top, strip):
            ax.set_xticks([])
            ax.set_yticks([])
    if title is None:
        degree = getattr(clf, "degree", "?")
        title = f"degree n = {degree}: {total} memories, mean prototype score {scores.mean():.2f}"
    fig.suptitle(title, fontsize=9)
    return fig

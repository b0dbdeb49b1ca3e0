"""Figures of the energy landscape: basins, trajectories, an animated recall.

Every figure is drawn on a ``matplotlib.figure.Figure`` (no pyplot, no GUI backend) and
returned; save it with :func:`hopfield.plot.save_figure`. :func:`animate_recall` writes a GIF
(temporary file, then rename). The recordings drawn here are those of :mod:`hopfield.traces`,
and the census of every state is that of :func:`hopfield.landscape.census`.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import matplotlib
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import _validation as v
from .._atomic import atomic_path
from ..analysis import overlap
from ..landscape import Census, enumerate_states
from ..traces import _two_patterns, energy_surface, record_flips, record_sweeps

__all__ = ["KIND_COLOURS", "animate_recall", "landscape", "overlaps_over_time", "trajectories"]

KIND_COLOURS = {
    "pattern": "Blues",
    "reversal": "Oranges",
    "mixture": "Greens",
    "spurious": "Purples",
}
_NONE = np.array([0.55, 0.55, 0.55])  # states that reached no fixed point
_MAX_POINTS = 1 << 16  # states drawn in a scatter; a fixed random subset above that


def _basin_colours(c: Census) -> np.ndarray:
    """Return one RGB colour per attractor: the hue says the kind, the shade tells basins apart."""
    colours = np.empty((len(c.kinds), 3))
    for kind, cmap in KIND_COLOURS.items():
        rows = np.flatnonzero(c.kinds == kind)
        shades = np.linspace(0.85, 0.45, rows.size) if rows.size > 1 else [0.7]
        colours[rows] = matplotlib.colormaps[cmap](shades)[:, :3]
    return colours


def _labels(c: Census) -> list[str]:
    names, spurious = [], 0
    for kind, index, parts, m in zip(
        c.kinds, c.pattern_index, c.components, c.overlaps, strict=True
    ):
        if kind == "pattern":
            names.append(f"ξ{index}")
        elif kind == "reversal":
            names.append(f"−ξ{index}")
        elif kind == "mixture":
            names.append("".join(("+" if m[p] > 0 else "−") + f"ξ{p}" for p in parts).lstrip("+"))
        else:
            names.append(f"s{spurious}")
            spurious += 1
    return names


def _all_overlaps(n: int, patterns: np.ndarray) -> np.ndarray:
    """Return the (2^N, K) integer overlaps ξ·σ of every state with every pattern, in blocks."""
    x = patterns.astype(np.int32).T
    step = 1 << 16
    return np.concatenate(
        [
            enumerate_states(n, i, min(i + step, 1 << n)).astype(np.int32) @ x
            for i in range(0, 1 << n, step)
        ]
    )


def _plane(ax, census: Census, colours: np.ndarray, names: list[str], a: int, b: int, labels: int):
    """Draw the states grouped by their overlaps with ξ^a and ξ^b, one diamond per pair.

    Returns the overlap of every state with ξ^a.
    """
    n, e = census.n_neurons, census.energies
    x = census.patterns[[a, b]] if b >= 0 else np.vstack([census.patterns[a], np.ones(n, np.int8)])
    m = _all_overlaps(n, x)
    cell = (m[:, 0] + n) // 2 * (n + 1) + (m[:, 1] + n) // 2
    # Count the states of each (cell, basin) pair; the first pair of a cell by count wins.
    slots = len(names) + 1  # basins, and "none" for states with no attractor
    pairs, counts = np.unique(cell * slots + census.attractor + 1, return_counts=True)
    by_cell = np.lexsort((-counts, pairs // slots))
    first = np.r_[True, np.diff(pairs[by_cell] // slots) != 0]
    cells, basin = pairs[by_cell][first] // slots, pairs[by_cell][first] % slots - 1
    depth = np.bincount(cell, weights=e)[cells] / np.bincount(cell)[cells]
    pale = (depth - e.min()) / max(float(np.ptp(e)), 1e-300)
    face = np.vstack([colours, _NONE])[basin]
    face = face + 0.75 * pale[:, None] * (1.0 - face)
    cx, cy = (2 * (cells // (n + 1)) - n) / n, (2 * (cells % (n + 1)) - n) / n
    d = 2.0 / n  # neighbouring cells are (±2/N, ±2/N) apart: these diamonds tile the plane
    verts = np.stack([[cx - d, cy], [cx, cy + d], [cx + d, cy], [cx, cy - d]]).transpose(2, 0, 1)
    ax.add_collection(PolyCollection(verts, facecolors=face, edgecolors="white", linewidths=0.3))
    am = (census.attractors.astype(np.int32) @ x.T.astype(np.int32)) / n
    ax.scatter(am[:, 0], am[:, 1], s=30, c=colours, edgecolors="black", zorder=3)
    for i in range(min(labels, len(names))):
        ax.annotate(names[i], am[i], xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.set_xlim(-1 - d, 1 + d)
    ax.set_ylim(-1 - d, 1 + d)
    ax.set_aspect("equal")
    ax.set_xlabel(f"overlap with ξ{a}")
    ax.set_ylabel(f"overlap with ξ{b}" if b >= 0 else "mean activity")
    ax.set_title(
        "states by overlaps: colour = commonest basin,\npaler = higher mean energy", fontsize=10
    )
    return m[:, 0] / n


def landscape(
    census: Census, *, patterns=(0, 1), max_bars: int = 24, max_labels: int = 12
) -> Figure:
    """Draw the basins and energies of every attractor, and all 2^N states laid out.

    Three panels: (1) basin sizes of the attractors, largest first, coloured by kind (blue
    patterns, orange reversals, green mixtures, purple spurious states; a shade per
    attractor), with their energies as black diamonds on the right axis; (2) the states
    grouped by their overlaps with stored patterns ``patterns = (a, b)``: one diamond per pair
    of overlaps, coloured by the basin most of its states flow to and paler where their mean
    energy is higher, attractors marked (a network of one pattern gets the mean activity as
    second axis); (3) the energy of every state against its overlap with ξ^a, coloured by
    basin (at most 65,536 states drawn, a fixed random subset above that).

    Parameters
    ----------
    census : hopfield.landscape.Census
        The census of every state, from :func:`hopfield.landscape.census`.
    patterns : tuple of int, default (0, 1)
        The two stored patterns (a, b) of the second and third panels.
    max_bars : int, default 24
        Bars drawn; smaller basins (and states with no attractor) are pooled into one grey
        "others" bar.
    max_labels : int, default 12
        Attractors named in the second panel.

    Returns
    -------
    matplotlib.figure.Figure
        The three panels (four axes: the basin bars carry a second axis for the energies).

    Raises
    ------
    TypeError
        If ``census`` is not a :class:`hopfield.landscape.Census`.
    ValueError
        If ``patterns`` does not name two different stored patterns, or ``max_bars`` is
        below 1 or ``max_labels`` below 0.

    See Also
    --------
    hopfield.landscape.census : Enumerate every state and find its attractor.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.landscape import census
    >>> from hopfield.plot import landscape
    >>> c = census(hf.Hopfield().store(hf.patterns.random(3, 10, rng=0)))
    >>> len(landscape(c).axes)
    4
    """
    if not isinstance(census, Census):
        raise TypeError(f"census: expected a landscape.Census, got {type(census).__name__}")
    k = len(census.patterns)
    a, b = _two_patterns(patterns, k) if k > 1 else (0, -1)
    max_bars = v.integer("max_bars", max_bars, minimum=1)
    max_labels = v.integer("max_labels", max_labels)
    n, total, e = census.n_neurons, census.energies.size, census.energies
    colours, names = _basin_colours(census), _labels(census)
    state_colour = np.vstack([colours, _NONE])[census.attractor]  # index −1 picks _NONE
    fig = Figure(figsize=(15, 5.2), layout="constrained")
    bars, plane, scatter = fig.subplots(1, 3, width_ratios=[1.25, 1.0, 1.1])

    shown = min(len(names), max_bars)
    sizes = list(census.basin_sizes[:shown])
    bar_colours, ticks = list(colours[:shown]), names[:shown]
    rest = int(census.basin_sizes[shown:].sum()) + census.unresolved
    if rest:
        sizes.append(rest)
        bar_colours.append(_NONE)
        ticks.append(f"others ({rest} states)")
    x = np.arange(len(sizes))
    bars.bar(x, sizes, color=bar_colours, edgecolor="black", linewidth=0.5)
    bars.set_xticks(x, ticks, rotation=60, ha="right", fontsize=8)
    bars.set_ylabel("basin size (states)")
    bars.set_title(
        f"N = {n}: {total} states, {len(names)} attractors ({census.update} updates)", fontsize=10
    )
    energy_ax = bars.twinx()
    energy_ax.plot(np.arange(shown), census.attractor_energies[:shown], "kD", markersize=4)
    energy_ax.set_ylabel("attractor energy (◆)")
    found = set(census.kinds.tolist())
    handles = [
        Patch(color=matplotlib.colormaps[cmap](0.7), label=kind)
        for kind, cmap in KIND_COLOURS.items()
        if kind in found
    ]
    if census.unresolved:
        handles.append(Patch(color=_NONE, label="no fixed point"))
    handles.append(Line2D([], [], color="black", marker="D", linestyle="", label="energy"))
    fig.legend(handles=handles, loc="outside upper center", ncols=len(handles), fontsize=9)

    m = _plane(plane, census, colours, names, a, b, max_labels)
    gen = np.random.default_rng(0)
    drawn = np.sort(gen.choice(total, _MAX_POINTS, replace=False)) if total > _MAX_POINTS else None
    picked = slice(None) if drawn is None else drawn
    jitter = gen.uniform(-0.3, 0.3, m[picked].size) / n  # overlaps come in steps of 2/N
    scatter.scatter(
        m[picked] + jitter, e[picked], s=3, c=state_colour[picked], linewidths=0, rasterized=True
    )
    scatter.scatter(
        census.overlaps[:, a], census.attractor_energies, s=40, c=colours, edgecolors="black"
    )
    scatter.set_xlabel(f"overlap with ξ{a}")
    scatter.set_ylabel("energy")
    scatter.set_title("energy of every state, coloured by basin", fontsize=10)
    return fig


@v.keywords(max_sweeps="max_steps")
def trajectories(
    model,
    cues,
    *,
    patterns=(0, 1),
    max_steps: int = 30,
    resolution: int = 31,
    samples: int = 8,
    rng=None,
) -> Figure:
    """Draw asynchronous recalls in the plane of overlaps with two stored patterns.

    Each cue's state is recorded after every sweep (:func:`hopfield.traces.record_sweeps`)
    and drawn as a path (circle: start, star: end) over the energy surface, which
    :func:`hopfield.traces.energy_surface` approximates by the mean energy of ``samples``
    random states with each pair of overlaps (the overlaps with other patterns are random).
    The stored patterns and their reversals are marked.

    Parameters
    ----------
    model : hopfield.dynamics.BinaryModel
        A stored binary model with at least two patterns.
    cues : array_like of shape (B, N) or (N,)
        ±1 cues; one path each.
    patterns : tuple of int, default (0, 1)
        Indices (a, b) of the stored patterns that span the plane.
    max_steps : int, default 30
        The most sweeps recorded. ``max_sweeps`` is its deprecated spelling.
    resolution : int, default 31
        Grid points of the energy surface along each axis.
    samples : int, default 8
        Random states averaged per grid point of the surface.
    rng : int, numpy.random.Generator or None, default None
        Seed or generator for the recall and the surface (separate streams, so that the paths
        do not change with the surface's resolution).

    Returns
    -------
    matplotlib.figure.Figure
        The paths over the filled contours of the surface, with its colour bar.

    Raises
    ------
    TypeError
        If ``model`` is not a binary model (Hopfield or DenseAssociativeMemory; SparseHopfield
        is not supported).
    ValueError
        If ``patterns`` does not name two different stored patterns (or they are equal or
        opposite), ``resolution`` is below 2, ``samples`` is below 1, or the cues do not match
        the model.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.plot import trajectories
    >>> X = hf.patterns.random(4, 64, rng=0)
    >>> cues = hf.patterns.flip(X[:2], 0.35, rng=1)
    >>> fig = trajectories(hf.Hopfield().store(X), cues, resolution=9, samples=2, rng=2)
    >>> len(fig.axes), len(fig.axes[0].lines)  # 2 paths, 4 marks at ±ξ0 and ±ξ1
    (2, 6)
    """
    # Separate streams, so that the paths do not change with the surface's resolution.
    seeds = v.as_rng(rng).integers(2**63, size=2)
    surface = energy_surface(
        model, patterns, resolution=resolution, samples=samples, rng=int(seeds[0])
    )
    a, b = patterns
    rec = record_sweeps(model, cues, max_steps=max_steps, rng=int(seeds[1]))
    states = rec.states if rec.states.ndim == 3 else rec.states[:, None, :]
    stored = np.asarray(model.patterns)
    fig = Figure(figsize=(6.4, 5.4), layout="constrained")
    ax = fig.subplots()
    filled = ax.tricontourf(*surface.overlaps.T, surface.energy, levels=24, cmap="viridis")
    fig.colorbar(filled, ax=ax, label="mean energy of states with these overlaps")
    for c in range(states.shape[1]):
        m = overlap(states[:, c], stored[[a, b]])
        colour = matplotlib.colormaps["tab10"](c % 10)
        ax.plot(m[:, 0], m[:, 1], "-", color=colour, lw=1.6, marker=".", markersize=5)
        ax.scatter(*m[0], s=40, color=colour, edgecolors="white", zorder=3)
        ax.scatter(*m[-1], s=140, marker="*", color=colour, edgecolors="white", zorder=3)
    m_ab = float(overlap(stored[a], stored[b]))
    for name, (px, py) in [(f"ξ{a}", (1, m_ab)), (f"ξ{b}", (m_ab, 1))]:
        for sign, label in [(1, name), (-1, "−" + name)]:
            x, y = sign * px, sign * py
            ax.plot([x], [y], "+", color="white", markersize=9, markeredgewidth=2)
            # Name the point from the inside of the plane, where the label stays on the plot.
            ax.annotate(
                label,
                (x, y),
                xytext=(
                    -14 * np.sign(x) if abs(x) > 0.5 else 0,
                    -14 * np.sign(y) if abs(y) > 0.5 else 0,
                ),
                textcoords="offset points",
                color="white",
                fontsize=10,
                ha="center",
                va="center",
                fontweight="bold",
            )
    ax.set_xlim(-1.08, 1.08)
    ax.set_ylim(-1.08, 1.08)
    ax.set_aspect("equal")
    ax.set_xlabel(f"overlap with ξ{a}")
    ax.set_ylabel(f"overlap with ξ{b}")
    n_sweeps = states.shape[0] - 1
    ax.set_title(f"asynchronous recall, {n_sweeps} sweeps (points: after each sweep)", fontsize=10)
    return fig


@v.keywords(max_sweeps="max_steps")
def overlaps_over_time(model, cue, *, max_steps: int = 50, highlight: int = 4, rng=None) -> Figure:
    """Draw the overlap of the state with every stored memory, and the energy, flip by flip.

    Runs :func:`hopfield.traces.record_flips` on one cue. The ``highlight`` memories with
    the largest overlap at any time are coloured and named, the others drawn thin and grey.
    Time is in sweeps (N neuron updates each).

    Parameters
    ----------
    model : hopfield.dynamics.BinaryModel
        A stored binary model.
    cue : array_like of shape (N,)
        One ±1 cue.
    max_steps : int, default 50
        The most sweeps run. ``max_sweeps`` is its deprecated spelling.
    highlight : int, default 4
        Memories coloured and named.
    rng : int, numpy.random.Generator or None, default None
        Seed or generator for the update order.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the time axis: the overlaps above, the energy below.

    Raises
    ------
    ValueError
        If ``highlight`` is negative, ``max_steps`` is below 1, or the cue does not match
        the model.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.plot import overlaps_over_time
    >>> X = hf.patterns.random(6, 60, rng=0)
    >>> cue = hf.patterns.flip(X[2], 0.25, rng=1)
    >>> fig = overlaps_over_time(hf.Hopfield().store(X), cue, rng=2)
    >>> len(fig.axes), len(fig.axes[0].lines)
    (2, 6)
    """
    highlight = v.integer("highlight", highlight)
    trace = record_flips(model, cue, max_steps=max_steps, rng=rng)
    stored = np.asarray(model.patterns)
    n = stored.shape[1]
    time = np.append(trace.updates, trace.total_updates) / n
    m = overlap(trace.states, stored)
    m = np.vstack([m, m[-1:]])
    energy = np.append(trace.energies, trace.energies[-1])
    top = np.argsort(-np.abs(m).max(axis=0), kind="stable")[:highlight]
    fig = Figure(figsize=(7, 5), layout="constrained")
    ax, ax_e = fig.subplots(2, 1, sharex=True, height_ratios=[2.2, 1])
    for mu in range(len(stored)):
        if mu not in top:
            ax.plot(time, m[:, mu], drawstyle="steps-post", color="0.7", lw=0.7)
    for mu in top:
        ax.plot(time, m[:, mu], drawstyle="steps-post", lw=1.8, label=f"ξ{mu}")
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("overlap")
    ax.legend(fontsize=8, loc="lower right")
    end = "fixed point" if trace.converged else "no fixed point yet"
    ax.set_title(f"{len(trace.neurons)} flips, {end} after {time[-1]:.1f} sweeps", fontsize=10)
    ax_e.plot(time, energy, drawstyle="steps-post", color="black")
    ax_e.set_xlabel("sweeps (N neuron updates)")
    ax_e.set_ylabel("energy")
    return fig


@v.keywords(max_sweeps="max_steps")
def animate_recall(
    model,
    cue,
    path,
    *,
    shape: tuple[int, int] | None = None,
    every: int | None = None,
    max_frames: int = 200,
    fps: int = 15,
    max_steps: int = 50,
    rng=0,
):
    """Write an animated GIF of asynchronous recall, neuron by neuron, and return the recall.

    Each frame shows the state (as an image of ``shape`` = (height, width), or a strip of N
    cells) and the energy curve so far. By default one frame per flip (evenly thinned to at
    most ``max_frames``); with ``every``, one frame per ``every`` neuron updates. Frames where
    nothing changed are left out, and the last frame, the final state after the sweep that
    confirmed it, is held for a second. The GIF is written to a temporary file, then renamed.

    Parameters
    ----------
    model : hopfield.dynamics.BinaryModel
        A stored binary model.
    cue : array_like of shape (N,)
        One ±1 cue.
    path : str or os.PathLike
        Where to write the GIF (the name must end in ``.gif``).
    shape : tuple of int or None, default None
        (height, width) to show the state as an image; ``None`` shows a strip.
    every : int or None, default None
        Neuron updates per frame; ``None``: a frame per flip.
    max_frames : int, default 200
        The most frames (at least 2).
    fps : int, default 15
        Frames per second.
    max_steps : int, default 50
        The most sweeps run. ``max_sweeps`` is its deprecated spelling.
    rng : int, numpy.random.Generator or None, default 0
        Seed or generator for the update order.

    Returns
    -------
    hopfield.traces.Trace
        The recording that was animated (:func:`hopfield.traces.record_flips`).

    Raises
    ------
    ValueError
        If ``path`` does not end in ``.gif``, ``shape`` does not hold N neurons, ``every``
        gives more than ``max_frames`` frames, ``max_frames`` is below 2, ``fps`` or
        ``max_steps`` is below 1, or the cue does not match the model.

    Examples
    --------
    >>> import hopfield as hf, tempfile, pathlib
    >>> from hopfield.plot import animate_recall
    >>> X = hf.datasets.letters("AB", 8).reshape(2, -1)
    >>> net = hf.Hopfield("pseudoinverse").store(X)
    >>> gif = pathlib.Path(tempfile.mkdtemp()) / "recall.gif"
    >>> cue = hf.patterns.flip(X[0], 0.2, rng=1)
    >>> t = animate_recall(net, cue, gif, shape=(8, 8), max_frames=5)
    >>> bool((t.final == X[0]).all()), gif.exists()
    (True, True)
    """
    path = Path(os.fspath(path))
    if path.suffix.lower() != ".gif":
        raise ValueError(f"path: expected a file name ending in .gif, got {str(path)!r}")
    max_frames = v.integer("max_frames", max_frames, minimum=2)
    fps = v.integer("fps", fps, minimum=1)
    trace = record_flips(model, cue, max_steps=max_steps, rng=rng)
    n, total = trace.states.shape[1], trace.total_updates
    if shape is not None:
        h, w = (v.integer("shape", d, minimum=1) for d in shape)
        if h * w != n:
            raise ValueError(f"shape: expected height × width = {n} neurons, got {shape}")
    else:
        h, w = 1, n
    if every is None:
        # A frame per flip, thinned evenly to leave room for the final frame.
        flips = len(trace.updates)
        rows = np.unique(np.round(np.linspace(0, flips - 1, min(flips, max_frames - 1))))
        frames = np.append(trace.updates[rows.astype(np.intp)], total)
    else:
        least = max(1, math.ceil(total / (max_frames - 1)))
        every = v.integer("every", every, minimum=1)
        if every < least:
            raise ValueError(
                f"every: {every} gives more than max_frames = {max_frames} frames for "
                f"{total} neuron updates; use every >= {least}"
            )
        frames = np.append(np.arange(0, total, every), total)
        # Still frames (no flip since the one before) show nothing new: leave them out.
        shown = np.array([trace.at(u) for u in frames])
        keep = np.append(np.diff(shown) != 0, True)
        keep[0] = True
        frames = frames[keep]
    frames = np.unique(frames)

    fig = Figure(figsize=(8, 3.5), layout="constrained", dpi=80)
    ax_s, ax_e = fig.subplots(1, 2, width_ratios=[1.0, 1.4] if shape else [1.6, 1.0])
    image = ax_s.imshow(
        trace.states[0].reshape(h, w), cmap="gray_r", vmin=-1, vmax=1, interpolation="nearest"
    )
    ax_s.set_xticks([])
    ax_s.set_yticks([])
    if shape is None:
        ax_s.set_aspect("auto")
    time = np.append(trace.updates, total)
    energy = np.append(trace.energies, trace.energies[-1])
    ax_e.plot(time, energy, drawstyle="steps-post", color="0.8")
    (line,) = ax_e.plot([], [], drawstyle="steps-post", color="tab:red")
    (dot,) = ax_e.plot([], [], "o", color="tab:red")
    ax_e.set_xlabel("neuron updates")
    ax_e.set_ylabel("energy")
    stored = getattr(model, "patterns", None)

    def title(row: int, u: int) -> str:
        text = f"update {u} of {total}, E = {energy[row]:.4g}"
        if stored is not None:
            m = overlap(trace.states[row], stored)
            best = int(np.argmax(np.abs(m)))
            text += f"\noverlap with ξ{best}: {m[best]:+.2f}"
        return text

    # Lay the figure out once: frames change only data and a title of the same height. The
    # still parts are drawn once; each frame redraws only the moving artists over them (blit).
    ax_s.set_title(title(0, 0), fontsize=9)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    moving = [(ax_s, image), (ax_e, line), (ax_e, dot), (ax_s, ax_s.title)]
    for _, artist in moving:
        artist.set_animated(True)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    pictures = []
    for u in frames:
        row = trace.at(u)
        image.set_data(trace.states[row].reshape(h, w))
        upto = time <= u
        line.set_data(np.append(time[upto], u), np.append(energy[upto], energy[row]))
        dot.set_data([u], [energy[row]])
        ax_s.set_title(title(row, u), fontsize=9)
        canvas.restore_region(background)
        for ax, artist in moving:
            ax.draw_artist(artist)
        pictures.append(PIL.Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]))
    durations = [round(1000 / fps)] * (len(pictures) - 1) + [max(1000, round(1000 / fps))]
    with atomic_path(path) as tmp:
        pictures[0].save(
            tmp,
            format="GIF",
            save_all=True,
            append_images=pictures[1:],
            duration=durations,
            loop=0,
        )
    return trace

"""Curves of sweep results (tables from :mod:`hopfield.experiments`) with theory lines.

Each function takes the tidy table of one sweep (one row per trial) and draws two panels side
by side: the mean overlap (or cosine, for a continuous model) and the fraction of cues recalled,
each as a mean over trials with a band of ± one standard deviation, one line per group.
"""

from __future__ import annotations

import re

import matplotlib
from matplotlib.figure import Figure

from .. import _validation as v
from ..analysis import AGS_ALPHA_C, mceliece_capacity, storkey_capacity

__all__ = ["THEORIES", "basin_curve", "capacity_curve", "noise_curve"]


def _table(df, required: tuple[str, ...]) -> tuple[str, str]:
    """Check that ``df`` has the columns and return the names of the two measures drawn.

    The measures are ``overlap`` and ``recalled``, or ``cosine`` and ``recalled`` for a
    continuous model's table.
    """
    if not (hasattr(df, "groupby") and hasattr(df, "columns")):
        raise TypeError(f"df: expected a pandas DataFrame, got {type(df).__name__}")
    first = "cosine" if "overlap" not in df.columns and "cosine" in df.columns else "overlap"
    missing = [c for c in (*required, first, "recalled") if c not in df.columns]
    if missing:
        raise ValueError(
            f"df: missing columns {missing}; expected a table from hopfield.experiments "
            f"with columns {[*required, 'overlap (or cosine)', 'recalled']}, "
            f"got {list(df.columns)}"
        )
    if len(df) == 0:
        raise ValueError("df: expected a non-empty table, got 0 rows")
    return first, "recalled"


def _ylabels(metrics: tuple[str, str]) -> tuple[str, str]:
    if metrics[0] == "cosine":
        return "mean cosine similarity", "fraction recalled (cosine ≥ threshold)"
    return "mean overlap", "fraction exactly recalled"


# The range each measure can take: a band of ± one standard deviation is cut to it.
_BOUNDS = {"overlap": (-1.0, 1.0), "cosine": (-1.0, 1.0), "recalled": (0.0, 1.0)}
# Columns that tell tables of different models apart when several are concatenated.
GROUPS = ("model", "rule")


def _group_columns(df, by) -> list[str]:
    """Return the columns whose values get a line each (besides the network size).

    These are ``by``, or by default whichever of ``GROUPS`` the table has.
    """
    if by is None:
        return [c for c in GROUPS if c in df.columns]
    cols = [by] if isinstance(by, str) else list(by)
    missing = [c for c in cols if not isinstance(c, str) or c not in df.columns]
    if missing:
        raise ValueError(f"by: expected columns of df, got {missing}; df has {list(df.columns)}")
    return cols


def _label(by: list[str], extra):
    """Make a legend label from a group's key: its ``by`` values, then ``extra`` of the rest."""

    def label(key) -> str:
        named = [str(value) for value in key[: len(by)]]
        return ", ".join([*named, extra(key[len(by) :])])

    return label


def _curves(axes, df, x: str, by: list[str], label, metrics: tuple[str, str]) -> dict:
    """Draw the mean ± one standard deviation over trials of each metric against ``x``, per group.

    Returns the colour of each group, keyed by its values of ``by``.
    """
    colours = {}
    for i, (key, group) in enumerate(df.groupby(by, sort=True)):
        stats = group.groupby(x, sort=True)[list(metrics)].agg(["mean", "std"]).fillna(0.0)
        colour = colours[key] = matplotlib.colormaps["tab10"](i % 10)
        xs = stats.index.to_numpy(dtype=float)
        for ax, metric in zip(axes, metrics, strict=True):
            mean, std = stats[(metric, "mean")].to_numpy(), stats[(metric, "std")].to_numpy()
            lo, hi = _BOUNDS.get(metric, (-float("inf"), float("inf")))
            ax.plot(xs, mean, "o-", color=colour, markersize=3, label=label(key))
            ax.fill_between(
                xs,
                (mean - std).clip(lo, hi),
                (mean + std).clip(lo, hi),
                color=colour,
                alpha=0.2,
                linewidth=0,
            )
    return colours


def _two_panels(ylabels=("mean overlap", "fraction exactly recalled")):
    fig = Figure(figsize=(10, 4), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, label in zip(axes, ylabels, strict=True):
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    return fig, axes


THEORIES = ("hebbian", "storkey", "pseudoinverse")


def capacity_curve(df, *, theory: str | dict | None = "auto", by=None) -> Figure:
    """Draw recall quality against the load α = K/N, one line per model and size, with theory.

    Lines are the mean over trials, bands ± one standard deviation (cut to the range of the
    measure). A continuous model's table (``cosine`` in place of ``overlap``) is drawn the same
    way, its recall panel counting cues whose cosine reached the sweep's threshold.

    Parameters
    ----------
    df : pandas.DataFrame
        A capacity table from :func:`hopfield.experiments.capacity` (columns ``n``, ``load``,
        ``overlap``, ``recalled``; one row per trial), or several such tables concatenated
        with a column that tells them apart.
    theory : {"auto", "hebbian", "storkey", "pseudoinverse"}, dict or None, default "auto"
        Vertical lines of theory. ``"hebbian"``: the AGS critical load 0.138, and McEliece's
        exact-recall loads 1/(2 ln N), 1/(4 ln N) for each N; ``"storkey"``: 1/√(2 ln N);
        ``"pseudoinverse"``: α = 1; a dict ``{label: load or function of N}``; ``None``: no
        line. ``"auto"``: the lines of the rule(s) the table was measured with, read from its
        ``by`` column (a rule name, or a model such as ``Hopfield(rule='storkey')``) or else
        from ``df.attrs`` (set by :mod:`hopfield.experiments`); none for other models (dense,
        modern and other continuous models have no such line). Lines that depend on N take
        the colour of that N's curve; exact-recall capacities (McEliece, Storkey) are drawn on
        the exact-recall panel only.
    by : str, sequence of str or None, default None
        The column(s) whose values get a line each, besides N; by default
        ``"model"`` and/or ``"rule"`` where the table has them. Several models are never
        averaged into one line.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: the mean overlap (or cosine) after recall, and the fraction of cues
        recalled exactly (or with cosine at least the sweep's threshold).

    Raises
    ------
    TypeError
        If ``df`` is not a pandas DataFrame.
    ValueError
        If ``theory`` is an unknown name or a load in its dict is not positive, ``df`` is
        empty or lacks a column named above, or ``by`` names a column it lacks.

    See Also
    --------
    hopfield.analysis.mceliece_capacity : McEliece's exact-recall capacity of the Hebbian rule.
    hopfield.analysis.storkey_capacity : The exact-recall capacity of Storkey's rule.

    Examples
    --------
    >>> import pandas as pd
    >>> from hopfield.plot import capacity_curve
    >>> df = pd.DataFrame({"n": 100, "load": [0.05, 0.05, 0.2, 0.2],
    ...                    "overlap": [1.0, 1.0, 0.4, 0.3], "recalled": [1.0, 0.9, 0, 0]})
    >>> len(capacity_curve(df).axes)
    2
    >>> two = pd.concat([df.assign(rule="hebbian"), df.assign(rule="storkey")])
    >>> [line.get_label() for line in capacity_curve(two).axes[0].lines][:2]
    ['hebbian, N = 100', 'storkey, N = 100']
    """
    metrics = _table(df, ("n", "load"))
    groups = _group_columns(df, by)
    fig, (ax_m, ax_x) = _two_panels(_ylabels(metrics))
    label = _label(groups, lambda rest: f"N = {rest[0]}")
    colours = _curves((ax_m, ax_x), df, "load", [*groups, "n"], label, metrics)
    if isinstance(theory, str) and theory == "auto":
        rules = _rules_of(df, groups)
    else:
        rules = {None: theory}
    for rule, named in rules.items():
        keys = [key for key in colours if rule is None or _rule_of(key[0]) == rule]
        sizes = list(dict.fromkeys(key[-1] for key in keys))
        for text, load, style, n, exact in _theory_lines(named, sizes):
            colour = "black" if n is None else colours[next(k for k in keys if k[-1] == n)]
            for ax in (ax_x,) if exact else (ax_m, ax_x):
                ax.axvline(load, color=colour, linestyle=style, linewidth=1, label=text)
    for ax in (ax_m, ax_x):
        ax.set_xlabel("load α = K / N")
        ax.legend(fontsize=7)
    exact = "without error" if metrics[0] == "overlap" else "(cosine ≥ threshold)"
    ax_m.set_title(f"capacity: {metrics[0]} with the stored pattern", fontsize=10)
    ax_x.set_title(f"capacity: patterns recalled {exact}", fontsize=10)
    return fig


def _rule_of(model) -> str | None:
    """Return the classical rule a model description names, or None for anything else.

    A description is a rule name (``"storkey"``) or a model's ``repr`` as
    ``hopfield.experiments`` records it (``Hopfield(rule='storkey')``).
    """
    text = str(model)
    if text in THEORIES:
        return text
    match = re.fullmatch(r"Hopfield\(rule='(\w+)'\)", text)
    return match.group(1) if match and match.group(1) in THEORIES else None


def _rules_of(df, groups: list[str]) -> dict:
    """Return ``{value of the first group column: its rule}`` for the rules with a theory."""
    if groups:
        values = list(dict.fromkeys(df[groups[0]]))
    else:
        values = [getattr(df, "attrs", {}).get("params", {}).get("model")]
    found = {_rule_of(value): _rule_of(value) for value in values}
    found.pop(None, None)
    if groups:
        # Keyed by the rule; the curves are matched to it through _rule_of of their key.
        return found
    return {None: next(iter(found.values()))} if found else {}


def _theory_lines(theory, sizes: list) -> list[tuple]:
    """Return (label, load, line style, N or None, exact-recall only) for each theory line."""
    if theory is None:
        return []
    if isinstance(theory, dict):
        lines = []
        for label, at in theory.items():
            if callable(at):
                lines += [(f"{label}, N = {n}", float(at(int(n))), "-.", n, False) for n in sizes]
            else:
                lines.append((str(label), v.positive(f"theory[{label!r}]", at), "-.", None, False))
        return lines
    theory = v.choose("theory", theory, THEORIES)
    if theory == "pseudoinverse":
        return [("pseudo-inverse α = 1", 1.0, "--", None, False)]
    if theory == "storkey":
        return [
            (f"N/√(2 ln N), N = {n}", storkey_capacity(int(n)) / n, ":", n, True) for n in sizes
        ]
    lines = [(f"AGS α_c = {AGS_ALPHA_C:.3f}", AGS_ALPHA_C, "--", None, False)]
    for n in sizes:
        most, every = mceliece_capacity(int(n)), mceliece_capacity(int(n), all_patterns=True)
        lines.append((f"N/(2 ln N), N = {n}", most / n, ":", n, True))
        lines.append((f"N/(4 ln N), N = {n}", every / n, "-.", n, True))
    return lines


def basin_curve(df, *, by=None) -> Figure:
    """Draw recall quality against the distance of the cue, one line per (model, N, load).

    Lines are the mean over trials, bands ± one standard deviation.

    Parameters
    ----------
    df : pandas.DataFrame
        A basin table from :func:`hopfield.experiments.basins` (columns ``n``, ``load``,
        ``distance``, ``overlap`` (or ``cosine``), ``recalled``).
    by : str, sequence of str or None, default None
        The column(s) whose values get a line each, besides N and the load; by default
        ``"model"`` and/or ``"rule"`` where the table has them. Several models are never
        averaged into one line.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: the mean overlap (or cosine) after recall, and the fraction of cues
        recalled exactly (or with cosine at least the sweep's threshold).

    Raises
    ------
    TypeError
        If ``df`` is not a pandas DataFrame.
    ValueError
        If ``df`` is empty or lacks a column named above, or ``by`` names a column it lacks.

    Examples
    --------
    >>> import pandas as pd
    >>> from hopfield.plot import basin_curve
    >>> df = pd.DataFrame({"n": 100, "load": 0.1, "distance": [0.1, 0.3, 0.5],
    ...                    "overlap": [1.0, 0.8, 0.0], "recalled": [1.0, 0.4, 0.0]})
    >>> len(basin_curve(df).axes[0].lines)
    1
    """
    metrics = _table(df, ("n", "load", "distance"))
    groups = _group_columns(df, by)
    fig, axes = _two_panels(_ylabels(metrics))
    label = _label(groups, lambda rest: f"N = {rest[0]}, α = {rest[1]:.3g}")
    _curves(axes, df, "distance", [*groups, "n", "load"], label, metrics)
    for ax in axes:
        ax.set_xlabel("cue distance from the stored pattern")
        ax.legend(fontsize=7)
    exact = "exact recall" if metrics[0] == "overlap" else "recall (cosine ≥ threshold)"
    axes[0].set_title(f"basins of attraction: {metrics[0]} after recall", fontsize=10)
    axes[1].set_title(f"basins of attraction: {exact}", fontsize=10)
    return fig


def noise_curve(df, *, by=None) -> Figure:
    """Draw recall quality against the noise level, one line per kind of noise (and model, N).

    Lines are the mean over trials, bands ± one standard deviation.

    Parameters
    ----------
    df : pandas.DataFrame
        A noise table from :func:`hopfield.experiments.noise` (columns ``n``, ``kind``,
        ``level``, ``overlap`` (or ``cosine``), ``recalled``).
    by : str, sequence of str or None, default None
        The column(s) whose values get a line each, besides the kind of noise and N; by default
        ``"model"`` and/or ``"rule"`` where the table has them. Several models are never
        averaged into one line.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: the mean overlap (or cosine) after recall, and the fraction of cues
        recalled exactly (or with cosine at least the sweep's threshold).

    Raises
    ------
    TypeError
        If ``df`` is not a pandas DataFrame.
    ValueError
        If ``df`` is empty or lacks a column named above, or ``by`` names a column it lacks.

    Examples
    --------
    >>> import pandas as pd
    >>> from hopfield.plot import noise_curve
    >>> df = pd.DataFrame({"n": 100, "kind": ["flip", "flip", "mask", "mask"],
    ...                    "level": [0.1, 0.4, 0.1, 0.4], "overlap": [1, .5, 1, .9],
    ...                    "recalled": [1, 0, 1, .5]})
    >>> len(noise_curve(df).axes[0].lines)
    2
    """
    metrics = _table(df, ("n", "kind", "level"))
    groups = _group_columns(df, by)
    fig, axes = _two_panels(_ylabels(metrics))
    label = _label(groups, lambda rest: f"{rest[0]}, N = {rest[1]}")
    _curves(axes, df, "level", [*groups, "kind", "n"], label, metrics)
    for ax in axes:
        ax.set_xlabel("noise level")
        ax.legend(fontsize=7)
    exact = "exact recall" if metrics[0] == "overlap" else "recall (cosine ≥ threshold)"
    axes[0].set_title(f"noise: {metrics[0]} after recall", fontsize=10)
    axes[1].set_title(f"noise: {exact}", fontsize=10)
    return fig

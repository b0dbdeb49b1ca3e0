"""Figures, drawn with matplotlib on ``Figure`` objects so no GUI backend is ever needed.

Every drawing function returns a ``matplotlib.figure.Figure`` (none goes through pyplot, so
there is nothing to close); save it with ``fig.savefig(path)`` or :func:`save_figure`, which
writes atomically. :func:`animate_recall` writes a GIF and returns the recording it animated.

- Sweep results (tables from :mod:`hopfield.experiments`): :func:`capacity_curve`,
  :func:`basin_curve`, :func:`noise_curve`.
- Recall: :func:`pattern_grid`, :func:`energy_curves`, :func:`recall_figure`.
- The energy landscape of a small binary network: :func:`landscape`, :func:`trajectories`,
  :func:`overlaps_over_time`, :func:`animate_recall`.
- A classifier's learned memories: :func:`memories`.
"""

from .curves import basin_curve, capacity_curve, noise_curve
from .landscape import animate_recall, landscape, overlaps_over_time, trajectories
from .memories import memories
from .recall import energy_curves, pattern_grid, recall_figure, save_figure

__all__ = [
    "animate_recall",
    "basin_curve",
    "capacity_curve",
    "energy_curves",
    "landscape",
    "memories",
    "noise_curve",
    "overlaps_over_time",
    "pattern_grid",
    "recall_figure",
    "save_figure",
    "trajectories",
]

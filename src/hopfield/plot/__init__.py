"""Figures, drawn with matplotlib on ``Figure`` objects so no GUI backend is ever needed.

Every function returns a :class:`matplotlib.figure.Figure`; save it with ``fig.savefig(path)``
or :func:`save_figure`, which writes atomically. :func:`animate_recall` writes a GIF.
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

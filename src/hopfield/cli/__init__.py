"""The ``hopfield`` command.

The library returns; only this package prints. Each module adds its commands to the one typer
application: ``demo``, ``capacity``, ``basins``, ``noise``, ``landscape``, ``classify``,
``reproduce`` and ``serve``. One flag means one thing in every command (``--count``/``-k``
for a number of patterns, ``--output``/``-o`` for every written file, ``--model`` for the model
family, ``--rule`` for the learning rule).
"""

from __future__ import annotations

from . import classify, demo, reproduce, serve, sweeps  # noqa: F401  (each module adds its commands)
from ._app import app


def main() -> None:
    """Run the ``hopfield`` command (the console script's entry point)."""
    app()

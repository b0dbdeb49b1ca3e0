"""The ``hopfield`` command. The library returns; only this package prints."""

from __future__ import annotations

from . import classify, demo, reproduce, serve, sweeps  # noqa: F401  (each module adds its commands)
from ._app import app


def main() -> None:
    """Entry point of the ``hopfield`` command."""
    app()

"""The ``hopfield`` command's application object, shared by the modules that add commands."""

from __future__ import annotations

import importlib
from typing import Any

import typer

from .. import __version__


class LazyModule:
    """A module imported on first attribute access, so ``hopfield --help`` stays fast.

    The command modules name the heavy parts of the library (pandas, matplotlib, Numba) at the
    top as usual; they load only when a command runs.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


app = typer.Typer(
    help="Associative memory that works: store patterns, recall them from noisy cues.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(show: bool) -> None:
    if show:
        typer.echo(f"hopfield {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Associative memory that works: store patterns, recall them from noisy cues."""

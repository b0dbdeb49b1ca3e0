"""The ``hopfield`` command's application object, shared by the modules that add commands."""

from __future__ import annotations

import typer

from .. import __version__

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

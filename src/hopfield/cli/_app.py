"""The ``hopfield`` command's application object, shared by the modules that add commands."""

from __future__ import annotations

import importlib
import re
from typing import Any

import typer

from .. import __version__

# Named here, not imported, so that --help needs no NumPy; tests/test_imports.py checks they
# equal hopfield.rules.RULES and hopfield.landscape.MAX_NEURONS.
RULES = ("hebbian", "storkey", "pseudoinverse", "perceptron")
MAX_NEURONS = 20


class LazyModule:
    """A module imported on first attribute access, so ``hopfield --help`` stays fast.

    The command modules name the heavy parts of the library (pandas, matplotlib, Numba) at the
    top as usual; they load only when a command runs.

    Parameters
    ----------
    name : str
        The module's absolute name, e.g. ``"hopfield.experiments"``.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


app = typer.Typer(
    help="Associative memory that works: store patterns, recall them from noisy cues.",
    no_args_is_help=True,
    add_completion=False,
    # Plain click help: rich's panels label every flag with its Python type (``--quick
    # <bool>``, ``<list[str]>``), and importing rich costs a tenth of a second per call.
    rich_markup_mode=None,
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


def deprecated(old: str, new: str) -> None:
    """Say on stderr that a flag's old spelling still works this release, and what replaces it.

    Parameters
    ----------
    old : str
        The deprecated spelling, e.g. ``"--out"``.
    new : str
        The spelling that replaces it, e.g. ``"--output"``.
    """
    typer.echo(
        f"hopfield: {old} is deprecated and will be removed in the next release; use {new}.",
        err=True,
    )


def flag_error(err: Exception, flags: dict[str, str]) -> typer.BadParameter:
    """Turn a library error into a command-line error that names flags, not Python arguments.

    ``rule: unknown option 'hebb'`` becomes ``Invalid value for '--rule': unknown option
    'hebb'``, and ``update='stochastic'`` inside a message becomes ``--update stochastic``.

    Parameters
    ----------
    err : Exception
        The library's error; its message starts with the argument's name.
    flags : dict of str to str
        The flag of each Python argument, e.g. ``{"rule": "--rule"}``.

    Returns
    -------
    typer.BadParameter
        The error to raise, its hint the flag named at the head of the message.
    """
    text = str(err)

    def spelled(match: re.Match) -> str:
        name, value = match.group(1), match.group(2).strip("'\"")
        return f"{flags[name]} {value}" if name in flags else match.group(0)

    head = re.match(r"(\w+): ", text)
    hint = None
    if head and head.group(1) in flags:
        hint, text = flags[head.group(1)], text[head.end() :]
    text = re.sub(r"\b(\w+)=('[^']*'|\"[^\"]*\"|[^\s,;)]+)", spelled, text)
    return typer.BadParameter(text, param_hint=hint)

"""``hopfield reproduce``: the published results, measured beside their theory."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import LazyModule, app, deprecated, flag_error
from .sweeps import _executor, _shutdown

suite = LazyModule("hopfield.reproduce")  # loads when the command runs: --help stays fast


@app.command()
def reproduce(
    quick: bool = typer.Option(False, "--quick", help="Small sizes: a minute or two on 2 cores."),
    only: list[str] = typer.Option(
        None, "--only", metavar="NAME", help="Run only this result (repeatable; see --list)."
    ),
    out: Path = typer.Option(
        Path("reproduce-report"), "--output", "-o", help="Report folder to write."
    ),
    old_out: Path = typer.Option(None, "--out", hidden=True, help="Deprecated: --output."),
    seed: int = typer.Option(0, help="Base seed of every result."),
    workers: int = typer.Option(None, help="Local processes to spread the results over."),
    scheduler: str = typer.Option(None, help="Dask scheduler address (tcp://host:8786) to run on."),
    list_: bool = typer.Option(False, "--list", help="List the results and exit."),
) -> None:
    """Run the literature suite: each published result with its tolerance and a figure.

    Exits with status 1 if any result falls outside its tolerance.
    """
    if old_out is not None:
        deprecated("--out", "--output")
        out = old_out
    if list_:
        for name in suite.names():
            typer.echo(name)
        return

    def show(result) -> None:
        mark = "✓" if result.passed else "✗"
        typer.echo(f"{mark} {result.name}: {result.title} ({result.seconds:.1f} s)")

    executor = _executor(workers, scheduler) if (workers or scheduler) else None
    try:
        report = suite.run(
            quick=quick, out=out, only=only or None, executor=executor, progress=show, seed=seed
        )
    except (ValueError, TypeError) as err:
        flags = {"only": "--only", "out": "--output", "seed": "--seed", "rng": "--seed"}
        raise flag_error(err, {**flags, "max_workers": "--workers"}) from None
    finally:
        _shutdown(executor)
    typer.echo("")
    typer.echo(report.table())
    typer.echo("")
    passed = len(report.results) - len(report.failed)
    typer.echo(
        f"{passed}/{len(report.results)} results within their stated tolerance "
        f"in {report.seconds:.0f} s."
    )
    typer.echo(f"Report: {(report.out / 'report.md').resolve()}")
    if not report.passed:
        raise typer.Exit(1)

"""``hopfield reproduce``: the published results, measured beside their theory."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import typer

from ._app import LazyModule, app, deprecated, flag_error
from .sweeps import _executor, _shutdown

suite = LazyModule("hopfield.reproduce")  # loads when the command runs: --help stays fast


@contextmanager
def _bar(names: list[str], serial: bool):
    """Show a progress bar over the results whose clock keeps running while a result computes.

    The bar is drawn on stderr, on a terminal only.

    Parameters
    ----------
    names : list of str
        The results that will run.
    serial : bool
        Whether they run one after another in this process.

    Yields
    ------
    callable
        The callback that reports each finished result.
    """
    from tqdm import tqdm

    bar = tqdm(
        total=len(names),
        desc="reproduce",
        unit="result",
        disable=None,
        bar_format="{desc}: {n}/{total} results |{bar:20}| {elapsed}{postfix}",
    )
    upcoming = iter(names)

    def running() -> None:
        # Run one after another here, the results come in order: name the one now running.
        if serial:
            bar.set_postfix_str(f"running {next(upcoming, '')}")
        else:
            bar.set_postfix_str(f"{len(names) - bar.n} running or queued")

    def show(result) -> None:
        mark = "✓" if result.passed else "✗"
        tqdm.write(f"{mark} {result.name}: {result.title} ({result.seconds:.1f} s)")
        bar.update()
        running()

    stop = threading.Event()

    def tick() -> None:  # redraw each second: the elapsed time shows the run is alive
        while not stop.wait(1.0):
            bar.refresh()

    ticker = threading.Thread(target=tick, daemon=True)
    running()
    if not bar.disable:
        ticker.start()
    try:
        yield show
    finally:
        stop.set()
        if ticker.is_alive():
            ticker.join()
        bar.close()


@app.command()
def reproduce(
    quick: bool = typer.Option(False, "--quick", help="Small sizes: a few minutes on 2 cores."),
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

    executor = _executor(workers, scheduler) if (workers is not None or scheduler) else None
    names = list(dict.fromkeys(only)) if only else suite.names()
    size = "quick" if quick else "full"
    typer.echo(f"Running {len(names)} results at {size} sizes; each prints as it finishes.")
    try:
        with _bar(names, executor is None) as show:
            report = suite.run(
                quick=quick, out=out, only=only or None, executor=executor, progress=show, seed=seed
            )
    except (ValueError, TypeError) as err:
        flags = {"only": "--only", "out": "--output", "seed": "--seed", "rng": "--seed"}
        raise flag_error(err, {**flags, "max_workers": "--workers"}) from None
    except OSError as err:
        raise typer.BadParameter(
            f"cannot write {err.filename or out}: {err.strerror or err}", param_hint="--output"
        ) from None
    finally:
        _shutdown(executor)
    # A short summary: the full table is in the report.
    for result in report.failed:
        if result.error is not None:
            typer.echo(f"✗ {result.name}: raised an error (see the report)")
        for check in (c for c in result.checks if not c.passed):
            typer.echo(
                f"✗ {result.name}: {check.quantity}: measured {check.measured}, "
                f"{check.kind} {check.reference} ({check.tolerance})"
            )
    typer.echo("")
    passed = len(report.results) - len(report.failed)
    typer.echo(
        f"{passed}/{len(report.results)} results within their stated tolerance "
        f"in {report.seconds:.0f} s."
    )
    typer.echo(f"Report: {(report.out / 'report.md').resolve()}")
    if not report.passed:
        raise typer.Exit(1)

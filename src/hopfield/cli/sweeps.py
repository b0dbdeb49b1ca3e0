"""``hopfield capacity``, ``hopfield basins`` and ``hopfield landscape``: a table and a figure."""

from __future__ import annotations

import difflib
import functools
from pathlib import Path

import numpy as np
import typer

from .. import landscape, patterns
from .._atomic import atomic_path
from ..rules import RULES
from ._app import LazyModule, app

# Heavy parts load when a command runs, so that ``hopfield --help`` stays fast.
pd = LazyModule("pandas")
experiments = LazyModule("hopfield.experiments")
plot = LazyModule("hopfield.plot")
_INTERACTIONS = {"poly": "Polynomial", "rpoly": "RectifiedPolynomial", "exp": "Exponential"}
_MODEL_HELP = (
    "Model: a classical learning rule (" + ", ".join(RULES) + ") or a dense memory "
    "'poly:N', 'rpoly:N' or 'exp:BETA' (e.g. rpoly:3)."
)


def _factory(spec: str):
    """A picklable factory of fresh models from a command-line name."""
    from .. import functions
    from ..models import DenseAssociativeMemory, Hopfield

    if spec in RULES:
        return functools.partial(Hopfield, rule=spec)
    kind, _, value = spec.partition(":")
    if kind in _INTERACTIONS and value:
        try:
            number = float(value) if kind == "exp" else int(value)
            interaction = getattr(functions, _INTERACTIONS[kind])(number)
        except (TypeError, ValueError):
            what = "a number β > 0" if kind == "exp" else "an integer degree >= 1"
            raise typer.BadParameter(
                f"expected {kind}:{'BETA' if kind == 'exp' else 'N'} with {what}, got {spec!r}",
                param_hint="--model",
            ) from None
        return functools.partial(DenseAssociativeMemory, interaction)
    valid = [*RULES, "poly:N", "rpoly:N", "exp:BETA"]
    close = difflib.get_close_matches(spec, RULES, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise typer.BadParameter(f"expected one of {valid}, got {spec!r}{hint}", param_hint="--model")


def _floats(text: str, name: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise typer.BadParameter(
            f"expected numbers separated by commas, got {text!r}", param_hint=name
        ) from None
    if not values:
        raise typer.BadParameter("expected at least one number", param_hint=name)
    return values


def _executor(workers: int | None, scheduler: str | None):
    """Local processes by default; ``--workers 1`` runs in this process; a Dask scheduler."""
    if scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise typer.BadParameter(
                'needs Dask: pip install "hopfield[distributed]"', param_hint="--scheduler"
            ) from None
        return Client(scheduler)
    if workers == 1:
        return "serial"
    return experiments.process_pool(workers) if workers else None


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)
    return path


def _write(df: pd.DataFrame, fig, out: Path) -> None:
    """Write ``out``.csv and ``out``.png and say where."""
    try:
        table = _write_csv(df, out.with_suffix(".csv"))
        figure = plot.save_figure(fig, out.with_suffix(".png"))
    except OSError as err:
        raise typer.BadParameter(
            f"cannot write {out}: {err.strerror}", param_hint="--out"
        ) from None
    typer.echo(f"Table:  {table.resolve()}")
    typer.echo(f"Figure: {figure.resolve()}")


def _finish(df: pd.DataFrame, fig, out: Path, by: str) -> None:
    summary = df.groupby(by)[list(experiments.MEASURES)].mean()
    typer.echo(summary.round(3).to_string())
    _write(df, fig, out)


def _sweep(experiment, model: str, *, workers, scheduler, **settings) -> pd.DataFrame:
    """Run ``experiment`` for the model named on the command line, on the chosen executor."""
    factory = _factory(model)
    executor = _executor(workers, scheduler)
    try:
        return experiment(factory, executor=executor, **settings)
    except (ValueError, TypeError) as err:
        raise typer.BadParameter(str(err)) from None
    finally:
        _shutdown(executor)


def _shutdown(executor) -> None:
    """Release what :func:`_executor` started (a Dask client or a process pool)."""
    if hasattr(executor, "close"):
        executor.close()
    elif hasattr(executor, "shutdown"):
        executor.shutdown()


_OUT_HELP = "Path prefix of the .csv and .png written."
_MODEL = typer.Option("hebbian", help=_MODEL_HELP)
_N = typer.Option(200, help="Neurons.")
_TRIALS = typer.Option(5, help="Networks per setting.")
_UPDATE = typer.Option("async", help="async or sync.")
_SEED = typer.Option(0, help="Sweep seed: every trial's seed derives from it.")
_WORKERS = typer.Option(None, help="Local processes (default: one per core); 1 runs in-process.")
_SCHEDULER = typer.Option(None, help="Dask scheduler address (tcp://host:8786) to run on.")
_CHECKPOINT = typer.Option(None, help="JSON file to resume an interrupted sweep from.")


@app.command()
def capacity(
    model: str = _MODEL,
    n: int = _N,
    loads: str = typer.Option("0.05,0.1,0.125,0.15,0.2,0.3", help="Loads K/N, comma-separated."),
    trials: int = _TRIALS,
    noise: float = typer.Option(0.1, help="Fraction of bits flipped in each cue."),
    update: str = _UPDATE,
    seed: int = _SEED,
    workers: int = _WORKERS,
    scheduler: str = _SCHEDULER,
    checkpoint: Path = _CHECKPOINT,
    out: Path = typer.Option(Path("capacity"), "--out", "-o", help=_OUT_HELP),
) -> None:
    """Recall quality against load K/N, with the theory lines (AGS 0.138, McEliece)."""
    df = _sweep(
        experiments.capacity,
        model,
        workers=workers,
        scheduler=scheduler,
        n=n,
        loads=_floats(loads, "--loads"),
        trials=trials,
        noise=noise,
        update=update,
        rng=seed,
        checkpoint=checkpoint,
    )
    theory = {"hebbian": "hebbian", "storkey": "storkey", "pseudoinverse": "pseudoinverse"}
    _finish(df, plot.capacity_curve(df, theory=theory.get(model)), out, "load")


@app.command()
def basins(
    model: str = _MODEL,
    n: int = _N,
    k: int = typer.Option(10, help="Stored patterns."),
    distances: str = typer.Option(
        "0,0.1,0.2,0.3,0.4,0.5", help="Cue distances (fractions of flipped bits)."
    ),
    trials: int = _TRIALS,
    update: str = _UPDATE,
    seed: int = _SEED,
    workers: int = _WORKERS,
    scheduler: str = _SCHEDULER,
    checkpoint: Path = _CHECKPOINT,
    out: Path = typer.Option(Path("basins"), "--out", "-o", help=_OUT_HELP),
) -> None:
    """Probability of recall against the cue's distance from the memory."""
    df = _sweep(
        experiments.basins,
        model,
        workers=workers,
        scheduler=scheduler,
        n=n,
        k=k,
        distances=_floats(distances, "--distances"),
        trials=trials,
        update=update,
        rng=seed,
        checkpoint=checkpoint,
    )
    _finish(df, plot.basin_curve(df), out, "distance")


@app.command("landscape")
def landscape_command(
    model: str = typer.Option("hebbian", help=_MODEL_HELP),
    n: int = typer.Option(16, help=f"Neurons (at most {landscape.MAX_NEURONS})."),
    k: int = typer.Option(3, help="Stored random patterns."),
    update: str = typer.Option("async", help="async (sequential order), descent or sync."),
    seed: int = typer.Option(0, help="Seed of the stored patterns."),
    out: Path = typer.Option(Path("landscape"), "--out", "-o", help=_OUT_HELP),
) -> None:
    """Every state of a small network: its attractor, the basins and their sizes."""
    factory = _factory(model)
    if not 1 <= n <= landscape.MAX_NEURONS:
        raise typer.BadParameter(
            f"expected 1 to {landscape.MAX_NEURONS}, got {n}", param_hint="--n"
        )
    try:
        net = factory().store(patterns.random(k, n, rng=seed))
        c = landscape.census(net, update=update)
    except (ValueError, TypeError) as err:
        raise typer.BadParameter(str(err)) from None
    df = pd.DataFrame(
        {
            "attractor": np.arange(len(c.attractors)),
            "kind": c.kinds,
            "pattern": c.pattern_index,
            "components": [" ".join(map(str, comp)) for comp in c.components],
            "energy": c.attractor_energies,
            "basin_size": c.basin_sizes,
            "basin_share": c.basin_sizes / c.energies.size,
            "state": ["".join("+" if x > 0 else "-" for x in a) for a in c.attractors],
        }
    )
    typer.echo(repr(c))
    typer.echo(df.drop(columns="state").round(4).to_string(index=False))
    _write(df, plot.landscape(c), out)

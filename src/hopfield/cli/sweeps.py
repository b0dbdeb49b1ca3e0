"""``hopfield capacity``, ``basins``, ``noise`` and ``landscape``: a table and a figure."""

from __future__ import annotations

import difflib
import functools
from pathlib import Path

import typer

from .._atomic import atomic_path
from ._app import MAX_NEURONS, RULES, LazyModule, app, deprecated, flag_error

# Heavy parts load when a command runs, so that ``hopfield --help`` stays fast.
np = LazyModule("numpy")
landscape = LazyModule("hopfield.landscape")
patterns = LazyModule("hopfield.patterns")
pd = LazyModule("pandas")
experiments = LazyModule("hopfield.experiments")
plot = LazyModule("hopfield.plot")
_INTERACTIONS = {"poly": "Polynomial", "rpoly": "RectifiedPolynomial", "exp": "Exponential"}
_MODEL_HELP = (
    "Model family: classical, a dense memory 'poly:N', 'rpoly:N' or 'exp:BETA' "
    "(e.g. rpoly:3), or the modern continuous network 'modern' or 'modern:BETA' "
    "(default β = 1; Gaussian patterns, recalled = cosine >= --threshold)."
)
_RULE_HELP = f"Learning rule of the classical model: {', '.join(RULES)} (default: hebbian)."
# What the library's messages call an argument, as the commands spell it.
_FLAGS = {
    "rule": "--rule",
    "update": "--update",
    "n": "--n",
    "k": "--count",
    "loads": "--loads",
    "distances": "--distances",
    "trials": "--trials",
    "noise": "--noise",
    "kinds": "--kinds",
    "levels": "--levels",
    "threshold": "--threshold",
    "rng": "--seed",
    "checkpoint": "--checkpoint",
    "max_workers": "--workers",
}


def _factory(spec: str, rule: str | None = None):
    """Make a picklable factory of fresh models from the command line's --model and --rule."""
    from .. import functions
    from ..models import DenseAssociativeMemory, Hopfield, ModernHopfield

    if spec in RULES:  # the old spelling: --model named the rule
        if rule is not None and rule != spec:
            raise typer.BadParameter(
                f"--model {spec} names a rule and --rule says {rule}", param_hint="--rule"
            )
        deprecated(f"--model {spec}", f"--rule {spec}")
        spec, rule = "classical", spec
    if spec == "classical":
        rule = "hebbian" if rule is None else rule
        if rule not in RULES:
            close = difflib.get_close_matches(rule, RULES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise typer.BadParameter(
                f"expected one of {list(RULES)}, got {rule!r}{hint}", param_hint="--rule"
            )
        return functools.partial(Hopfield, rule=rule)
    if rule is not None:
        raise typer.BadParameter(
            f"only the classical model has a learning rule, not {spec}", param_hint="--rule"
        )
    kind, _, value = spec.partition(":")
    if kind == "modern":
        try:
            beta = float(value) if value else 1.0
            ModernHopfield(beta=beta)  # checks β here, where the flag is known
        except ValueError:
            raise typer.BadParameter(
                f"expected modern or modern:BETA with a number β > 0, got {spec!r}",
                param_hint="--model",
            ) from None
        return functools.partial(ModernHopfield, beta=beta)
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
    valid = ["classical", "poly:N", "rpoly:N", "exp:BETA", "modern", "modern:BETA"]
    close = difflib.get_close_matches(spec, ["classical", "modern", *RULES], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    if close and close[0] in RULES:
        hint = f"; did you mean --rule {close[0]}?"
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
    """Choose where a sweep runs: local processes by default, this process, or a Dask scheduler.

    ``--workers 1`` runs in this process; ``--scheduler`` connects to a Dask scheduler.
    """
    if workers is not None and workers < 1:
        raise typer.BadParameter(f"expected a number of processes >= 1, got {workers}",
                                 param_hint="--workers")  # fmt: skip
    if scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise typer.BadParameter(
                'needs Dask: pip install "hopfield[distributed]"', param_hint="--scheduler"
            ) from None
        try:
            return Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError, TypeError) as err:
            raise typer.BadParameter(
                f"cannot reach a Dask scheduler at {scheduler!r}: {err}", param_hint="--scheduler"
            ) from None
    if workers == 1:
        return "serial"
    return experiments.process_pool(workers) if workers else None


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)
    return path


def _write(df: pd.DataFrame, fig, out: Path) -> None:
    """Write ``out``.csv and ``out``.png and say where (and which files they replaced)."""
    old = {p for p in (out.with_suffix(".csv"), out.with_suffix(".png")) if p.exists()}
    try:
        table = _write_csv(df, out.with_suffix(".csv"))
        figure = plot.save_figure(fig, out.with_suffix(".png"))
    except (OSError, ValueError) as err:
        where = f" ({err.filename})" if isinstance(err, FileNotFoundError) else ""
        why = getattr(err, "strerror", None) or err
        raise typer.BadParameter(
            f"cannot write {out}: {why}{where}", param_hint="--output"
        ) from None
    typer.echo(f"Table:  {table.resolve()}{REPLACED if table in old else ''}")
    typer.echo(f"Figure: {figure.resolve()}{REPLACED if figure in old else ''}")


def _finish(df: pd.DataFrame, fig, out: Path, by: str | list[str]) -> None:
    every = {*experiments.MEASURES, *experiments.CONTINUOUS_MEASURES}
    measures = [m for m in df.columns if m in every]
    summary = df.groupby(by, sort=False)[measures].mean()
    typer.echo(summary.round(3).to_string())
    _write(df, fig, out)


def _sweep(experiment, model: str, rule, *, workers, scheduler, **settings) -> pd.DataFrame:
    """Run ``experiment`` for the model named on the command line, on the chosen executor."""
    factory = _factory(model, rule)
    checkpoint = settings.get("checkpoint")
    if checkpoint is not None and Path(checkpoint).is_dir():
        raise typer.BadParameter(f"{checkpoint} is a directory, expected a JSON file",
                                 param_hint="--checkpoint")  # fmt: skip
    executor = _executor(workers, scheduler)
    try:
        return experiment(factory, executor=executor, **settings)
    except (ValueError, TypeError) as err:
        raise flag_error(err, _FLAGS) from None
    except OSError as err:
        raise typer.BadParameter(
            f"cannot read or write {err.filename or checkpoint}: {err.strerror or err}",
            param_hint="--checkpoint",
        ) from None
    finally:
        _shutdown(executor)


def _shutdown(executor) -> None:
    """Release what ``_executor`` started (a Dask client or a process pool)."""
    if hasattr(executor, "close"):
        executor.close()
    elif hasattr(executor, "shutdown"):
        executor.shutdown()


_OUT_HELP = "Path prefix of the .csv and .png written (their folder must exist)."
REPLACED = "  (replaced the file that was there)"
_MODEL = typer.Option("classical", "--model", help=_MODEL_HELP)
_RULE = typer.Option(None, "--rule", help=_RULE_HELP)
_N = typer.Option(200, "--n", "-n", help="Neurons.")
_OLD_OUT = typer.Option(None, "--out", hidden=True, help="Deprecated: --output.")
_OLD_K = typer.Option(None, "--k", hidden=True, help="Deprecated: --count.")


def _renamed(new, old, old_flag: str, new_flag: str):
    """Return the value of a flag, taken from its deprecated spelling when that was given."""
    if old is None:
        return new
    deprecated(old_flag, new_flag)
    return old

_TRIALS = typer.Option(5, help="Networks per setting.")
_UPDATE = typer.Option(
    None, help="async (default) or sync; continuous models run their own update."
)
_THRESHOLD = typer.Option(
    None, help="Continuous models: the cosine at which a state counts as recalled (0.99)."
)
_SEED = typer.Option(0, help="Sweep seed: every trial's seed derives from it.")
_WORKERS = typer.Option(None, help="Local processes (default: one per core); 1 runs in-process.")
_SCHEDULER = typer.Option(None, help="Dask scheduler address (tcp://host:8786) to run on.")
_CHECKPOINT = typer.Option(None, help="JSON file to resume an interrupted sweep from.")


@app.command()
def capacity(
    model: str = _MODEL,
    rule: str = _RULE,
    n: int = _N,
    loads: str = typer.Option("0.05,0.1,0.125,0.15,0.2,0.3", help="Loads K/N, comma-separated."),
    trials: int = _TRIALS,
    noise: float = typer.Option(
        0.1, help="Fraction of bits flipped in each cue (continuous: Gaussian noise level)."
    ),
    update: str = _UPDATE,
    threshold: float = _THRESHOLD,
    seed: int = _SEED,
    workers: int = _WORKERS,
    scheduler: str = _SCHEDULER,
    checkpoint: Path = _CHECKPOINT,
    out: Path = typer.Option(Path("capacity"), "--output", "-o", help=_OUT_HELP),
    old_out: Path = _OLD_OUT,
) -> None:
    """Recall quality against load K/N, with the theory lines (AGS 0.138, McEliece)."""
    out = _renamed(out, old_out, "--out", "--output")
    df = _sweep(
        experiments.capacity,
        model,
        rule,
        workers=workers,
        scheduler=scheduler,
        n=n,
        loads=_floats(loads, "--loads"),
        trials=trials,
        noise=noise,
        update=update,
        threshold=threshold,
        rng=seed,
        checkpoint=checkpoint,
    )
    _finish(df, plot.capacity_curve(df), out, "load")  # the theory of the rule in df.attrs


@app.command()
def basins(
    model: str = _MODEL,
    rule: str = _RULE,
    n: int = _N,
    k: int = typer.Option(10, "--count", "-k", help="Stored patterns."),
    old_k: int = _OLD_K,
    distances: str = typer.Option(
        "0,0.1,0.2,0.3,0.4,0.5",
        help="Cue distances (fractions of flipped bits; continuous: Gaussian noise levels).",
    ),
    trials: int = _TRIALS,
    update: str = _UPDATE,
    threshold: float = _THRESHOLD,
    seed: int = _SEED,
    workers: int = _WORKERS,
    scheduler: str = _SCHEDULER,
    checkpoint: Path = _CHECKPOINT,
    out: Path = typer.Option(Path("basins"), "--output", "-o", help=_OUT_HELP),
    old_out: Path = _OLD_OUT,
) -> None:
    """Probability of recall against the cue's distance from the memory."""
    out = _renamed(out, old_out, "--out", "--output")
    k = _renamed(k, old_k, "--k", "--count")
    df = _sweep(
        experiments.basins,
        model,
        rule,
        workers=workers,
        scheduler=scheduler,
        n=n,
        k=k,
        distances=_floats(distances, "--distances"),
        trials=trials,
        update=update,
        threshold=threshold,
        rng=seed,
        checkpoint=checkpoint,
    )
    _finish(df, plot.basin_curve(df), out, "distance")


@app.command("noise")
def noise_command(
    model: str = _MODEL,
    rule: str = _RULE,
    n: int = _N,
    k: int = typer.Option(10, "--count", "-k", help="Stored patterns."),
    kinds: str = typer.Option(
        None, help="Kinds of corruption, comma-separated: flip, mask (continuous: gauss, mask)."
    ),
    levels: str = typer.Option("0.1,0.2,0.3,0.4,0.5", help="Noise levels, comma-separated."),
    trials: int = _TRIALS,
    update: str = _UPDATE,
    threshold: float = _THRESHOLD,
    seed: int = _SEED,
    workers: int = _WORKERS,
    scheduler: str = _SCHEDULER,
    checkpoint: Path = _CHECKPOINT,
    out: Path = typer.Option(Path("noise"), "--output", "-o", help=_OUT_HELP),
) -> None:
    """Recall against the kind and level of corruption of the cues."""
    df = _sweep(
        experiments.noise,
        model,
        rule,
        workers=workers,
        scheduler=scheduler,
        n=n,
        k=k,
        kinds=None if kinds is None else [x.strip() for x in kinds.split(",") if x.strip()],
        levels=_floats(levels, "--levels"),
        trials=trials,
        update=update,
        threshold=threshold,
        rng=seed,
        checkpoint=checkpoint,
    )
    _finish(df, plot.noise_curve(df), out, ["kind", "level"])


@app.command("landscape")
def landscape_command(
    model: str = _MODEL,
    rule: str = _RULE,
    n: int = typer.Option(16, "--n", "-n", help=f"Neurons (at most {MAX_NEURONS})."),
    k: int = typer.Option(3, "--count", "-k", help="Stored random patterns."),
    old_k: int = _OLD_K,
    update: str = typer.Option("async", help="async (sequential order), descent or sync."),
    seed: int = typer.Option(0, help="Seed of the stored patterns."),
    out: Path = typer.Option(Path("landscape"), "--output", "-o", help=_OUT_HELP),
    old_out: Path = _OLD_OUT,
) -> None:
    """Every state of a small network: its attractor, the basins and their sizes."""
    out = _renamed(out, old_out, "--out", "--output")
    k = _renamed(k, old_k, "--k", "--count")
    factory = _factory(model, rule)
    if model.partition(":")[0] == "modern":
        raise typer.BadParameter(
            "a landscape enumerates the states of a binary model; modern is continuous",
            param_hint="--model",
        )
    if not 1 <= n <= MAX_NEURONS:
        raise typer.BadParameter(
            f"expected 1 to {MAX_NEURONS}, got {n}", param_hint="--n"
        )
    try:
        net = factory().store(patterns.random(k, n, rng=seed))
        c = landscape.census(net, update=update)
    except (ValueError, TypeError) as err:
        raise flag_error(err, _FLAGS) from None
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

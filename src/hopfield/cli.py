"""The ``hopfield`` command. The library returns; only this module prints."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import typer

from . import __version__, datasets, patterns, plot
from .analysis import hamming
from .models import Hopfield
from .rules import RULES

app = typer.Typer(
    help="Associative memory that works: store patterns, recall them from noisy cues.",
    no_args_is_help=True,
    add_completion=False,
)

DEMO_LETTERS = "HOPFIELDNETWORKS"


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


def _blocks(image: np.ndarray) -> list[str]:
    """Render a ±1 image (0 = unknown) with half blocks: two pixel rows per text line."""
    if image.shape[0] % 2:
        image = np.vstack([image, -np.ones((1, image.shape[1]), image.dtype)])
    lines = []
    for top, bottom in zip(image[::2], image[1::2], strict=True):
        chars = []
        for a, b in zip(top, bottom, strict=True):
            if a == 0 or b == 0:
                chars.append("░")
            else:
                chars.append(" ▄▀█"[2 * (a > 0) + (b > 0)])
        lines.append("".join(chars))
    return lines


def _side_by_side(images: list[np.ndarray], titles: list[str], gap: str = "   ") -> str:
    blocks = [_blocks(im) for im in images]
    width = images[0].shape[1]
    head = gap.join(t.center(width + 2) for t in titles)
    rows = [gap.join(f"│{b[i]}│" for b in blocks) for i in range(len(blocks[0]))]
    edge = gap.join("┌" + "─" * width + "┐" for _ in images)
    foot = gap.join("└" + "─" * width + "┘" for _ in images)
    return "\n".join([head, edge, *rows, foot])


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _unique_letters(count: int) -> str:
    chars = "".join(dict.fromkeys(DEMO_LETTERS))
    if not 1 <= count <= len(chars):
        raise typer.BadParameter(f"expected 1..{len(chars)}, got {count}", param_hint="--count")
    return chars[:count]


@app.command()
def demo(
    count: int = typer.Option(6, "--count", "-k", help="How many letters to store."),
    size: int = typer.Option(12, help="Side of each letter image in pixels (N = size²)."),
    noise: float = typer.Option(0.15, help="Fraction of pixels flipped in each cue."),
    mask: float = typer.Option(0.25, help="Fraction of pixels hidden as one band in each cue."),
    rule: str = typer.Option("pseudoinverse", help=f"Learning rule: {', '.join(RULES)}."),
    update: str = typer.Option("async", help="Update rule: async, sync or stochastic."),
    temperature: float = typer.Option(None, help="Temperature for --update stochastic."),
    seed: int = typer.Option(0, help="Seed for the corruption and the update order."),
    output: Path = typer.Option(Path("hopfield-demo.png"), "--output", "-o", help="PNG path."),
) -> None:
    """Store letters, corrupt them, recall them, and show it in the terminal and a PNG."""
    chars = _unique_letters(count)
    for name, value in (("--noise", noise), ("--mask", mask)):
        if not 0.0 <= value <= 1.0:
            raise typer.BadParameter(f"expected a fraction in [0, 1], got {value}", param_hint=name)
    try:
        images = datasets.letters(chars, size)
        stored = images.reshape(len(chars), -1)
        gen = np.random.default_rng(seed)
        cues = patterns.mask(patterns.flip(stored, noise, rng=gen), mask, rng=gen, contiguous=True)
        net = Hopfield(rule=rule).store(stored)
        start = time.perf_counter()
        result = net.recall(cues, update=update, temperature=temperature, rng=gen)
        elapsed = time.perf_counter() - start
    except (ValueError, TypeError) as err:
        raise typer.BadParameter(str(err)) from None

    n = stored.shape[1]
    typer.echo(
        f"Stored {len(chars)} letters of {size}×{size} = {n} neurons with the {rule} rule; "
        f"each cue has {noise:.0%} of its pixels flipped and a band of {mask:.0%} hidden (░)."
    )
    wrong = hamming(result.states, stored).diagonal()
    for i, ch in enumerate(chars):
        shape = (size, size)
        typer.echo("")
        typer.echo(
            _side_by_side(
                [cues[i].reshape(shape), result.states[i].reshape(shape), images[i]],
                ["cue", "recalled", "stored"],
            )
        )
        energies = result.energies[i]
        verdict = "recalled exactly" if wrong[i] == 0 else f"{wrong[i]} pixels wrong"
        typer.echo(
            f"{ch}: {verdict} after {_plural(int(result.steps[i]), 'sweep')}; "
            f"energy {energies[0]:.2f} → {energies[-1]:.2f}"
        )
    exact = int((wrong == 0).sum())
    typer.echo("")
    typer.echo(
        f"{exact}/{len(chars)} letters recalled exactly ({update} updates, {elapsed:.3f} s)."
    )
    fig = plot.recall_figure(cues, result, stored, (size, size), labels=list(chars))
    path = plot.save_figure(fig, output)
    typer.echo(f"Figure: {path.resolve()}")


def main() -> None:
    """Entry point of the ``hopfield`` command."""
    app()

"""``hopfield demo``: letters stored, corrupted and recalled, in the terminal and a PNG."""

from __future__ import annotations

import difflib
import time
from pathlib import Path

import typer

from ._app import RULES, LazyModule, app, flag_error

# Loaded when the command runs, so that ``hopfield --help`` stays fast.
np = LazyModule("numpy")
patterns = LazyModule("hopfield.patterns")

DEMO_LETTERS = "HOPFIELDNETWORKS"


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


MODELS = ("classical", "dense", "modern")
# What the library's messages call an argument, as this command spells it.
_FLAGS = {
    "rule": "--rule",
    "update": "--update",
    "temperature": "--temperature",
    "beta": "--beta",
    "size": "--size",
    "rng": "--seed",
}


def _demo_letters(count: int | None, model: str) -> str:
    chars = "".join(dict.fromkeys(DEMO_LETTERS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if count is None:
        # The classical network holds a handful of correlated letters; the others hold all 26.
        count = 6 if model == "classical" else 26
    if not 1 <= count <= len(chars):
        raise typer.BadParameter(f"expected 1..{len(chars)}, got {count}", param_hint="--count")
    return chars[:count]


def _errors(states: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """Count the wrong pixels of each recalled state against its own letter."""
    from ..analysis import hamming

    return hamming(states, stored).diagonal()


def _recall(model: str, stored, cues, *, rule, update, temperature, beta, gen):
    """Build the model, recall, and return (description, ±1 states, Recall, seconds)."""
    # Imported here, not at the top, so that ``hopfield --help`` stays fast.
    from ..functions import Exponential
    from ..models import DenseAssociativeMemory, Hopfield, ModernHopfield

    if model == "modern":
        net = ModernHopfield(beta=beta).store(stored.astype(np.float32))
        start = time.perf_counter()
        result = net.recall(cues.astype(np.float32), max_steps=10)
        seconds = time.perf_counter() - start
        states = np.where(result.states > 0, 1, -1).astype(np.int8)
        return f"a modern Hopfield network (softmax, β = {beta:g})", states, result, seconds
    if model == "dense":
        net = DenseAssociativeMemory(Exponential(beta))
        what = f"a dense associative memory (F = exp({beta:g}·x))"
    else:
        net = Hopfield(rule=rule)
        what = f"a classical Hopfield network ({rule} rule)"
    net.store(stored)
    start = time.perf_counter()
    result = net.recall(cues, update=update, temperature=temperature, rng=gen)
    seconds = time.perf_counter() - start
    return what, result.states, result, seconds


@app.command()
def demo(
    model: str = typer.Option("classical", help="Model: classical, dense or modern."),
    count: int = typer.Option(
        None, "--count", "-k", help="Letters to store (default: 6 classical, 26 dense/modern)."
    ),
    size: int = typer.Option(12, help="Side of each letter image in pixels, 5 to 64 (N = size²)."),
    noise: float = typer.Option(0.15, help="Fraction of pixels flipped in each cue."),
    mask: float = typer.Option(0.25, help="Fraction of pixels hidden as one band in each cue."),
    rule: str = typer.Option(
        None, help=f"Classical learning rule: {', '.join(RULES)} (default: pseudoinverse)."
    ),
    update: str = typer.Option(
        None, help="Classical and dense models: async, sync or stochastic (default: async)."
    ),
    temperature: float = typer.Option(None, help="Temperature for --update stochastic."),
    beta: float = typer.Option(1.0, help="β of the dense (exp) and modern models."),
    show: int = typer.Option(6, help="How many letters to draw in the terminal and figure."),
    seed: int = typer.Option(0, help="Seed for the corruption and the update order."),
    output: Path = typer.Option(
        Path("hopfield-demo.png"), "--output", "-o", help="PNG path (its folder must exist)."
    ),
) -> None:
    """Store letters, corrupt them, recall them, and show it in the terminal and a PNG."""
    if model not in MODELS:
        close = difflib.get_close_matches(model, MODELS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise typer.BadParameter(f"expected one of {list(MODELS)}{hint}", param_hint="--model")
    if model != "classical" and rule is not None:
        raise typer.BadParameter(
            f"only the classical model has a rule, not {model}", param_hint="--rule"
        )
    if model == "modern" and (update is not None or temperature is not None):
        raise typer.BadParameter(
            "the modern model has no update rule or temperature", param_hint="--update"
        )
    rule = rule or "pseudoinverse"
    update = update or "async"
    if not 5 <= size <= 64:
        raise typer.BadParameter(f"expected 5 to 64 pixels, got {size}", param_hint="--size")
    chars = _demo_letters(count, model)
    for name, value in (("--noise", noise), ("--mask", mask)):
        if not 0.0 <= value <= 1.0:
            raise typer.BadParameter(f"expected a fraction in [0, 1], got {value}", param_hint=name)
    if show < 1:
        raise typer.BadParameter(f"expected at least 1, got {show}", param_hint="--show")
    from .. import datasets, plot

    try:
        images = datasets.letters(chars, size)
        stored = images.reshape(len(chars), -1)
        gen = np.random.default_rng(seed)
        cues = patterns.mask(patterns.flip(stored, noise, rng=gen), mask, rng=gen, contiguous=True)
        what, states, result, seconds = _recall(
            model,
            stored,
            cues,
            rule=rule,
            update=update,
            temperature=temperature,
            beta=beta,
            gen=gen,
        )
    except (ValueError, TypeError) as err:
        raise flag_error(err, _FLAGS) from None

    n = stored.shape[1]
    typer.echo(
        f"Stored {len(chars)} letters of {size}×{size} = {n} neurons (K/N = {len(chars) / n:.2f}) "
        f"in {what}; each cue has {noise:.0%} of its pixels flipped and a band of {mask:.0%} "
        "hidden (░)."
    )
    wrong = _errors(states, stored)
    unit = "step" if model == "modern" else "sweep"
    shown = min(show, len(chars))
    for i, ch in enumerate(chars[:shown]):
        shape = (size, size)
        typer.echo("")
        typer.echo(
            _side_by_side(
                [cues[i].reshape(shape), states[i].reshape(shape), images[i]],
                ["cue", "recalled", "stored"],
            )
        )
        energies = result.energies[i]
        verdict = "recalled exactly" if wrong[i] == 0 else f"{wrong[i]} pixels wrong"
        typer.echo(
            f"{ch}: {verdict} after {_plural(int(result.steps[i]), unit)}; "
            f"energy {energies[0]:.2f} → {energies[-1]:.2f}"
        )
    if shown < len(chars):
        typer.echo(f"\n(the other {len(chars) - shown} letters are counted below; --show N)")
    exact = int((wrong == 0).sum())
    typer.echo("")
    typer.echo(f"{exact}/{len(chars)} letters recalled exactly in {seconds * 1000:.1f} ms.")
    if model != "classical":
        # The point of the larger models: the same cues overload the classical network.
        for classical_rule in ("hebbian", "pseudoinverse"):
            _, base, _, _ = _recall(
                "classical",
                stored,
                cues,
                rule=classical_rule,
                update="async",
                temperature=None,
                beta=beta,
                gen=np.random.default_rng(seed),
            )
            typer.echo(
                f"The classical network ({classical_rule} rule) recalls "
                f"{int((_errors(base, stored) == 0).sum())}/{len(chars)} of the same cues."
            )
    picked = slice(0, shown)
    fig = plot.recall_figure(
        cues[picked],
        result.take(picked),
        stored[picked],
        (size, size),
        labels=list(chars[:shown]),
        states=states[picked],
    )
    existed = output.exists()
    try:
        path = plot.save_figure(fig, output)
    except (OSError, ValueError) as err:
        where = f" ({err.filename})" if isinstance(err, FileNotFoundError) else ""
        why = getattr(err, "strerror", None) or err
        raise typer.BadParameter(
            f"cannot write {output}: {why}{where}", param_hint="--output"
        ) from None
    replaced = "  (replaced the file that was there)" if existed else ""
    typer.echo(f"Figure: {path.resolve()}{replaced}")

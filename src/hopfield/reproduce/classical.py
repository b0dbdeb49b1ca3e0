"""The classical network: AGS capacity, exact recall, Hopfield's bit errors.

Registers ``ags-capacity`` (Amit, Gutfreund & Sompolinsky 1985: the critical load α_c ≈ 0.138
from the replica-symmetric equations at T = 0), ``mceliece-exact-recall`` (McEliece, Posner,
Rodemich & Venkatesh 1987: N/(2 ln N) and N/(4 ln N)) and ``hopfield-1982-bit-errors``
(Hopfield 1982: the bit-error probability of the 0/1 network).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import erf
from scipy.stats import binom, norm

from .. import analysis, rules
from .. import patterns as pats
from ..models.classical import Hopfield
from ._core import Measured, at_least, at_most, close, figure, fmt, register

# The results register themselves (hopfield.reproduce); nothing here is imported by name.
__all__: list[str] = []


# -- Amit, Gutfreund & Sompolinsky ----------------------------------------------------------
def _rs_alpha(y: float) -> float:
    """Return the load α at which ``erf(y) = y (√(2α) + (2/√π) e^{−y²})`` (RS theory, T = 0)."""
    return 0.5 * (erf(y) / y - 2.0 / math.sqrt(math.pi) * math.exp(-y * y)) ** 2


def _rs_peak() -> float:
    """Return the y at which the RS load α(y) peaks: α_c = α(y_c)."""
    best = minimize_scalar(
        lambda y: -_rs_alpha(y), bounds=(0.5, 3.0), method="bounded", options={"xatol": 1e-12}
    )
    return float(best.x)


def rs_theory() -> tuple[float, float]:
    """Compute α_c and the retrieval overlap there, from the replica-symmetric equations at T = 0.

    Returns
    -------
    alpha_c : float
        The critical load, the peak of α(y) over y.
    m_c : float
        The retrieval overlap ``erf(y_c)`` at α_c.
    """
    y_c = _rs_peak()
    return _rs_alpha(y_c), float(erf(y_c))


def rs_curve(points: int = 80) -> tuple[np.ndarray, np.ndarray]:
    """Compute the retrieval branch (α, m) of the RS theory for α ≤ α_c, parametrised by y ≥ y_c.

    Parameters
    ----------
    points : int, default 80
        Points along the branch (geometrically spaced y from y_c to 8).

    Returns
    -------
    alpha : ndarray of shape (points,)
        The loads.
    m : ndarray of shape (points,)
        The retrieval overlaps.
    """
    y = np.geomspace(_rs_peak(), 8.0, points)
    return np.array([_rs_alpha(t) for t in y]), erf(y)


def _retrieval_overlaps(n, alpha, nets, cues, rng) -> np.ndarray:
    """Return, per network, the mean final overlap of async recall started at stored patterns."""
    k = max(1, round(alpha * n))
    out = []
    for _ in range(nets):
        x = pats.random(k, n, rng=rng)
        r = Hopfield().store(x).recall(x[: min(k, cues)], max_steps=200, rng=rng)
        out.append(
            float(
                np.mean(np.einsum("ij,ij->i", r.states, x[: len(r.states)], dtype=np.float64) / n)
            )
        )
    return np.array(out)


@register(
    "ags-capacity",
    "Hebbian capacity α_c ≈ 0.138 and the collapse of the retrieval overlap",
    "Amit, Gutfreund & Sompolinsky 1985",
)
def ags_capacity(quick: bool, rng: np.random.Generator) -> Measured:
    alphas = [0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.24]
    checked = (0.08, 0.14, 0.20)
    # The checked loads get more networks: finite-size fluctuations are largest near α_c.
    nets, cues = (4, 20) if quick else (24, 50)
    more = (16, 40) if quick else (48, 50)
    sizes = (1000,) if quick else (500, 1000, 2000)
    curves = {
        n: [
            _retrieval_overlaps(n, a, *(more if a in checked else (nets, cues)), rng)
            for a in alphas
        ]
        for n in sizes
    }
    m = {a: float(c.mean()) for a, c in zip(alphas, curves[1000], strict=True)}
    alpha_c, m_c = rs_theory()
    sim = "independent NumPy simulation, N = 1000 (SCIENCE.md §1)"
    checks = [
        close(
            "mean overlap at α = 0.08, N = 1000",
            1.0,
            m[0.08],
            atol=0.05,
            reference_text="≈ 1.0",
            kind="reference simulation",
            where=sim,
        ),
        close(
            "mean overlap at α = 0.14, N = 1000",
            0.95,
            m[0.14],
            atol=0.05,
            reference_text="≈ 0.95",
            kind="reference simulation",
            where=sim,
        ),
        close(
            "mean overlap at α = 0.20, N = 1000",
            0.37,
            m[0.20],
            atol=0.1,
            reference_text="≈ 0.37",
            kind="reference simulation",
            where=sim,
        ),
        close(
            "α_c solved from the RS equations",
            0.138,
            alpha_c,
            atol=5e-4,
            digits=6,
            kind="published",
            where="PRL 55, 1530 (1985), text: α_c ≈ 0.138",
        ),
        close(
            "wrong-bit fraction at α_c, RS theory",
            0.016,
            (1 - m_c) / 2,
            atol=0.001,
            reference_text="1.6 % (0.016)",
            kind="published",
            where="PRL 55, 1530 (1985), text: errors at α_c",
        ),
    ]
    fig = figure()
    ax = fig.subplots()
    theory_a, theory_m = rs_curve()
    ax.plot(theory_a, theory_m, "k-", lw=1.5, label="RS theory m(α)")
    ax.plot([alpha_c, alpha_c], [m_c, 0], "k:", lw=1)
    ax.axvline(analysis.AGS_ALPHA_C, color="grey", ls="--", lw=1, label="α_c = 0.138")
    for n, per_load in curves.items():
        mean = [c.mean() for c in per_load]
        se = [c.std(ddof=1) / math.sqrt(len(c)) for c in per_load]
        ax.errorbar(alphas, mean, yerr=se, marker="o", ms=4, capsize=2, label=f"N = {n}")
    ref = ([0.08, 0.14, 0.20], [1.0, 0.95, 0.37], [0.05, 0.05, 0.1])
    ax.errorbar(
        *ref[:2], yerr=ref[2], fmt="x", color="crimson", capsize=3, label="reference sim. ± tol."
    )
    ax.set(xlabel="load α = K/N", ylabel="final overlap with the cued pattern", ylim=(0, 1.05))
    ax.set_title("Hebbian network: retrieval overlap against load", fontsize=10)
    ax.legend(fontsize=8)
    note = (
        f"Async recall started at each stored pattern; {more[0]} networks × up to {more[1]} "
        f"patterns at the checked loads, {nets} × {cues} elsewhere; mean final overlap (error "
        "bars: standard error over networks). RS theory: erf(y) = y(√(2α) + (2/√π)e^(−y²)), "
        f"maximised over y gives α_c = {alpha_c:.6f}, m(α_c) = {m_c:.4f}."
    )
    return Measured(checks, fig, note)


# -- exact recall: McEliece, Storkey, pseudo-inverse ----------------------------------------
def exact_curves(rule: str, n: int, k_max: int, trials: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Measure exact recall as patterns are stored one at a time.

    Parameters
    ----------
    rule : str
        The learning rule of the :class:`hopfield.Hopfield` network.
    n : int
        Neurons.
    k_max : int
        Patterns stored, one at a time.
    trials : int
        Networks, each with its own random patterns.
    rng : numpy.random.Generator
        The generator of the patterns.

    Returns
    -------
    fraction : ndarray of shape (trials, k_max)
        The fraction of stored patterns that are fixed points after storing 1..k_max patterns.
    every : ndarray of bool, shape (trials, k_max)
        Whether all of them are.
    """
    frac = np.zeros((trials, k_max))
    every = np.zeros((trials, k_max), dtype=bool)
    for t in range(trials):
        x = pats.random(k_max, n, rng=rng)
        net = Hopfield(rule)
        for k in range(1, k_max + 1):
            net.store(x[k - 1 : k])
            fixed = analysis.is_fixed_point(net, x[:k])
            frac[t, k - 1], every[t, k - 1] = fixed.mean(), fixed.all()
    return frac, every


def _largest_k(curve: np.ndarray, level: float) -> int:
    """Return the largest K (1-based) up to which ``curve`` stays >= level."""
    below = np.flatnonzero(curve < level)
    return int(below[0]) if below.size else len(curve)


@register(
    "mceliece-exact-recall",
    "Exact recall up to N/(2 ln N) patterns, all of them up to N/(4 ln N)",
    "McEliece, Posner, Rodemich & Venkatesh 1987",
)
def mceliece(quick: bool, rng: np.random.Generator) -> Measured:
    n, k_max = 100, 30
    frac, every = exact_curves("hebbian", n, k_max, 100 if quick else 400, rng)
    f, p_all = frac.mean(axis=0), every.mean(axis=0)
    most, alln = analysis.mceliece_capacity(n), analysis.mceliece_capacity(n, all_patterns=True)
    k_most, k_all = math.floor(most), math.floor(alln)
    k_over = 2 * k_most + 2
    checks = [
        close(
            "N/(2 ln N) at N = 100",
            10.9,
            most,
            atol=0.05,
            kind="sanity",
            where="the formula against its value",
        ),
        close(
            "N/(4 ln N) at N = 100",
            5.4,
            alln,
            atol=0.05,
            kind="sanity",
            where="the formula against its value",
        ),
        close(
            f"fraction of patterns exact at K = {k_most}",
            pattern_exact(n, k_most),
            f[k_most - 1],
            atol=0.03,
            kind="theory",
            where="(1 − p)^N, p the exact binomial crosstalk tail",
        ),
        at_most(
            f"fraction exact at K = {k_over} (2 × capacity)",
            0.5,
            f[k_over - 1],
            reference="→ 0 as N → ∞",
            kind="sanity",
            where="an asymptotic bound",
        ),
        at_least(
            f"P(every pattern exact) at K = {k_all}",
            0.95,
            p_all[k_all - 1],
            reference="→ 1 as N → ∞",
            kind="sanity",
            where="a bound far from the measurement",
        ),
        close(
            "largest K with ≥ 90 % of patterns exact",
            most,
            _largest_k(f, 0.9),
            rtol=0.2,
            reference_text="N/(2 ln N) = 10.9",
            kind="theory",
            where="McEliece et al. 1987, the 'most patterns' capacity",
        ),
    ]
    ks = np.arange(1, k_max + 1)
    theory = (1 - norm.cdf(-np.sqrt((n - 1) / np.maximum(ks - 1, 1e-9)))) ** n
    fig = figure()
    ax = fig.subplots()
    ax.plot(ks, f, "o-", ms=4, label="fraction of patterns exact")
    ax.plot(ks, p_all, "s-", ms=4, label="P(every pattern exact)")
    ax.plot(ks, theory, "k--", lw=1, label="Gaussian crosstalk theory (per pattern)")
    ax.axvline(most, color="C0", ls=":", label=f"N/(2 ln N) = {most:.1f}")
    ax.axvline(alln, color="C1", ls=":", label=f"N/(4 ln N) = {alln:.1f}")
    ax.set(xlabel="stored patterns K", ylabel="probability", ylim=(-0.02, 1.02))
    ax.set_title("Hebbian network, N = 100: patterns that are exact fixed points", fontsize=10)
    ax.legend(fontsize=8)
    note = (
        f"{frac.shape[0]} networks, patterns stored one at a time; a pattern is exact when "
        "hf.is_fixed_point holds. The formulas are asymptotic: at N = 100, "
        f"P(every pattern exact) is still {p_all[2 * k_all]:.2f} at K = {2 * k_all + 1} "
        "(about twice N/(4 ln N)), so the all-patterns threshold is not yet sharp."
    )
    return Measured(checks, fig, note)


def bit_error(n: int, k: int) -> float:
    """Compute the exact probability that a stored bit of a ±1 Hebbian network is unstable.

    The network has a zero diagonal. The field of a stored bit is N − 1 plus a crosstalk of
    m = (K − 1)(N − 1) independent ±1 terms, C = 2B − m with B ~ Binomial(m, ½); the bit errs
    when C < −(N − 1) (a tie keeps it).

    Parameters
    ----------
    n : int
        Neurons N.
    k : int
        Stored patterns K.

    Returns
    -------
    float
        The probability p that the bit flips.
    """
    m = (k - 1) * (n - 1)
    return float(binom.cdf(math.ceil((m - (n - 1)) / 2) - 1, m, 0.5))


def pattern_exact(n: int, k: int) -> float:
    """Compute ``(1 − p)^N``: the probability that a stored pattern is a fixed point.

    The bits are taken as independent, each unstable with the probability p of
    :func:`bit_error`.

    Parameters
    ----------
    n : int
        Neurons N.
    k : int
        Stored patterns K.

    Returns
    -------
    float
        The probability.
    """
    return (1 - bit_error(n, k)) ** n


# -- Hopfield 1982 ----------------------------------------------------------------------------
def _bit_errors(x: np.ndarray, zero_one: bool) -> np.ndarray:
    """Return the (K, N) unstable bits of the stored patterns after one update of each neuron.

    ``zero_one`` runs Hopfield's 0/1 network: T = Σ (2V − 1)(2V − 1)ᵀ and V_i ← [Σ_j T_ij V_j > 0].
    With V = (σ + 1)/2 its field is ½(Tσ + T·1): the ±1 network with the bias b_i = Σ_j T_ij.
    A zero field keeps the bit, as in both papers. The weights are the integers T
    (learning rate N), so fields and bias are exact and a tie is exactly zero: with weights
    k/N the bias Σ_j w_ij is inexact and about a quarter of the ties would count as errors.
    """
    net = Hopfield(rules.Hebbian(learning_rate=x.shape[1])).store(x)
    if zero_one:
        net = Hopfield(rules.Hebbian(learning_rate=x.shape[1]), bias=net.weights.sum(axis=1))
        net.store(x)
    return net.field(x) * x < 0


@register(
    "hopfield-1982-bit-errors",
    "Bit-error probability 0.0091 at N = 100 with 10 memories (0/1 neurons)",
    "Hopfield 1982",
)
def hopfield_1982(quick: bool, rng: np.random.Generator) -> Measured:
    n, k, trials = 100, 10, 2000 if quick else 10000
    stats = {}
    for zero_one in (True, False):
        bad = np.stack([_bit_errors(pats.random(k, n, rng=rng), zero_one) for _ in range(trials)])
        stats[zero_one] = (bad.mean(), (~bad.any(axis=2)).mean())
    # 0/1 neurons: signal N/2 against crosstalk of variance (K − 1)N/2 (Hopfield's estimate).
    p01 = norm.cdf(-math.sqrt(n / (2 * (k - 1))))
    # ±1 neurons: exact binomial crosstalk, where the Gaussian tail Φ(−√((N−1)/(K−1))) would
    # overstate it by 14 % at N = 100, K = 10.
    ppm = bit_error(n, k)
    where = "PNAS 79, 2554 (1982), p. 2556, text on N = 100, n = 10 (Fig. 3)"
    checks = [
        close(
            "0/1 neurons: Gaussian theory of the bit-error probability",
            0.0091,
            p01,
            rtol=0.02,
            kind="published",
            where=where,
        ),
        close(
            "0/1 neurons: measured bit-error probability",
            0.0091,
            stats[True][0],
            rtol=0.15,
            kind="published",
            where=where,
        ),
        close(
            "0/1 neurons: P(no error in a memory), measured",
            0.6,
            stats[True][1],
            atol=0.1,
            reference_text="0.6 (his simulation; 0.40 in theory)",
            kind="published",
            where=where,
        ),
        close(
            "±1 neurons: measured bit-error probability",
            ppm,
            stats[False][0],
            rtol=0.25,
            reference_text=fmt(ppm),
            kind="theory",
            where="exact binomial crosstalk tail",
        ),
        close(
            "±1 neurons: P(no error in a memory), measured",
            (1 - ppm) ** n,
            stats[False][1],
            atol=0.03,
            reference_text=f"(1 − p)^N = {fmt((1 - ppm) ** n)}",
            kind="theory",
            where="independent bits, exact binomial p",
        ),
    ]
    fig = figure(7.6, 3.6)
    left, right = fig.subplots(1, 2)
    labels = ["0/1\ntheory", "0/1\nmeasured", "±1\ntheory", "±1\nmeasured"]
    left.bar(
        labels, [p01, stats[True][0], ppm, stats[False][0]], color=["grey", "C0", "grey", "C1"]
    )
    left.axhline(0.0091, color="crimson", ls="--", lw=1, label="published 0.0091")
    left.set(yscale="log", ylabel="bit-error probability")
    left.legend(fontsize=8)
    labels = ["0/1\ntheory", "0/1\nHopfield sim.", "0/1\nmeasured", "±1\ntheory", "±1\nmeasured"]
    values = [(1 - p01) ** n, 0.6, stats[True][1], (1 - ppm) ** n, stats[False][1]]
    right.bar(labels, values, color=["grey", "crimson", "C0", "grey", "C1"])
    right.set(ylabel="P(no error in a memory)", ylim=(0, 1.05))
    right.tick_params(axis="x", labelsize=7)
    fig.suptitle("N = 100, K = 10 Hebbian memories, one update of every neuron", fontsize=10)
    note = (
        f"{trials} networks; a bit is in error when its field has the wrong sign (ties keep the "
        "bit). Hopfield's 0/1 network is run as the ±1 network with bias b_i = Σ_j T_ij, which has "
        "the same updates; the weights are the integers T, so every field and tie is exact. "
        "Its errors cluster in memories with few active bits, so the measured "
        f"P(no error) = {stats[True][1]:.2f} agrees with his simulation (0.6), not with the "
        f"independent-bit estimate (1 − p)^N = {(1 - p01) ** n:.2f}. With ±1 neurons the same "
        f"load gives {stats[False][0]:.1e} errors per bit."
    )
    return Measured(checks, fig, note)

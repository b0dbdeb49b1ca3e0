"""The modern continuous network: retrieval bounds, energy, fixed points, capacity, sparsemax.

Registers ``modern-one-step-retrieval``, ``modern-energy-bounds``, ``modern-fixed-point-types``
and ``modern-capacity-theorem`` (Ramsauer et al. 2021), and ``sparsemax-exact-retrieval``
(Hu et al. 2023).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import lambertw

from ..models.modern import ModernHopfield
from ._core import Measured, at_least, at_most, close, equal, figure, fmt, register

# The results register themselves (hopfield.reproduce); nothing here is imported by name.
__all__: list[str] = []

_RAMSAUER = "Ramsauer et al. 2020"


def _sphere(k: int, d: int, radius: float, rng) -> np.ndarray:
    x = rng.standard_normal((k, d))
    return radius * x / np.linalg.norm(x, axis=1, keepdims=True)


def _separation(x: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Return the separations Δ_i = x_iᵀξ_i − max_{j≠i} x_jᵀξ_i, query ξ_i aimed at memory i."""
    s = queries @ x.T
    own = np.diag(s).copy()
    np.fill_diagonal(s, -np.inf)
    return own - s.max(axis=1)


@register(
    "modern-one-step-retrieval",
    "One update retrieves a well-separated pattern with error ≤ 2(K−1)e^{−β(Δ−2rM)}M",
    _RAMSAUER,
)
def one_step_retrieval(quick: bool, rng: np.random.Generator) -> Measured:
    d, k = 64, 200 if quick else 1000
    x = _sphere(k, d, math.sqrt(d), rng)
    m = math.sqrt(d)
    delta = _separation(x, x)
    errors, bounds = [], []
    for beta in (0.2, 0.3, 0.5):
        net = ModernHopfield(beta=beta).store(x)
        fixed = net.recall(x, max_steps=500, tol=0.0).states  # x_i*, the fixed point near x_i
        for radius in (0.25, 1.0, 2.0):
            noise = rng.standard_normal((k, d))
            q = x + radius * noise / np.linalg.norm(noise, axis=1, keepdims=True)
            err = np.linalg.norm(net.recall(q, max_steps=1).states - x, axis=1)
            r = np.maximum(np.linalg.norm(q - x, axis=1), np.linalg.norm(fixed - x, axis=1))
            errors.append(err)
            bounds.append(2 * (k - 1) * np.exp(-beta * (delta - 2 * r * m)) * m)
    err, bound = np.concatenate(errors), np.concatenate(bounds)
    informative = bound < m
    # float64 rounding of a retrieved pattern is ~1e-15 M; allow 1e-12 M of it.
    violations = int(np.sum(err > bound + 1e-12 * m))
    checks = [
        equal(
            "queries whose one-step error exceeds the bound",
            0,
            violations,
            reference_text="none",
            kind="theory",
            where="‖f(ξ) − x_i‖ ≤ 2(K−1)e^{−β(Δ_i − 2 max(‖ξ−x_i‖, ‖x_i*−x_i‖) M)} M",
        ),
        at_least(
            "queries where the bound is informative (< M)",
            1,
            int(informative.sum()),
            reference="the bound is tight enough to matter",
            digits=4,
            kind="sanity",
            where="the bound is below M for some queries",
        ),
    ]
    fig = figure(5.6, 4.2)
    ax = fig.subplots()
    floor = 1e-17
    ax.loglog(np.maximum(bound, floor), np.maximum(err, floor), ".", ms=3, alpha=0.5)
    lim = [floor, max(bound.max(), err.max()) * 2]
    ax.plot(lim, lim, "k--", lw=1, label="error = bound")
    ax.set(xlabel="bound 2(K−1) e^{−β(Δ − 2rM)} M", ylabel="one-step retrieval error ‖f(ξ) − x_i‖")
    ax.set_title(f"Modern Hopfield, d = {d}, K = {k}, β ∈ {{0.2, 0.3, 0.5}}", fontsize=10)
    ax.legend(fontsize=8)
    note = (
        f"Memories uniform on the sphere of radius M = √d; queries x_i plus noise of norm 0.25, 1 "
        "or 2; r = max(‖ξ − x_i‖, ‖x_i* − x_i‖) with x_i* the fixed point reached from x_i. "
        f"{len(err)} queries, {int(informative.sum())} with an informative bound; largest "
        f"error/bound ratio {fmt(float(np.max(err / bound)))}."
    )
    return Measured(checks, fig, note)


@register(
    "modern-energy-bounds",
    "The energy lies in [0, 2M²] after an update and never rises",
    _RAMSAUER,
)
def energy_bounds(quick: bool, rng: np.random.Generator) -> Measured:
    d, k, b = 32, 100, 200 if quick else 2000
    x = rng.standard_normal((k, d)) / math.sqrt(d) * 2
    traces, lo, hi, rises = {}, math.inf, -math.inf, 0
    for sep in ("softmax", "sparsemax"):
        for beta in (0.5, 2.0, 8.0):
            net = ModernHopfield(beta=beta, separation=sep).store(x)
            r = net.recall(rng.standard_normal((b, d)) * 3, max_steps=20, tol=0.0)
            e = r.energies
            lo, hi = min(lo, e[:, 1:].min()), max(hi, e[:, 1:].max() / (2 * net.max_norm**2))
            rises += int(np.sum(np.diff(e, axis=1) > 1e-9 * np.abs(e).max()))
            traces[sep, beta] = e[:3]
    checks = [
        at_least(
            "lowest energy after one update",
            0.0,
            lo,
            reference="E ≥ 0",
            kind="sanity",
            where="a bound far from the measurement",
        ),
        at_most(
            "highest energy after one update / 2M²",
            1.0,
            hi,
            reference="E ≤ 2M²",
            kind="sanity",
            where="a bound far from the measurement",
        ),
        equal(
            "energy rises along updates",
            0,
            rises,
            reference_text="never (CCCP)",
            kind="theory",
            where="the update is a CCCP step (Ramsauer et al. 2021)",
        ),
    ]
    fig = figure()
    ax = fig.subplots()
    for (sep, beta), e in traces.items():
        style = "-" if sep == "softmax" else "--"
        for i, row in enumerate(e):
            ax.plot(
                row,
                style,
                color=f"C{[0.5, 2.0, 8.0].index(beta)}",
                lw=1,
                label=f"{sep}, β = {beta}" if i == 0 else None,
            )
    ax.set(xlabel="update", ylabel="energy", yscale="symlog")
    ax.set_title("Modern Hopfield energy along recall (3 queries per setting)", fontsize=10)
    ax.legend(fontsize=7, ncols=2)
    note = (
        f"K = {k} Gaussian memories in d = {d}; {b} random queries (far outside the memories, "
        "so E starts above 2M²) per setting, 20 updates; softmax and sparsemax, β = 0.5, 2, 8. "
        "After one update every state lies in the convex hull of the memories."
    )
    return Measured(checks, fig, note)


@register(
    "modern-fixed-point-types",
    "Three kinds of fixed points: global average, metastable, single pattern (k90)",
    _RAMSAUER,
)
def fixed_point_types(quick: bool, rng: np.random.Generator) -> Measured:
    d, clusters, size = 64, 8, 8
    k = clusters * size
    centres = rng.standard_normal((clusters, d))
    x = np.repeat(centres, size, axis=0) + 0.35 * rng.standard_normal((k, d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    queries = x + 0.1 * rng.standard_normal((k, d)) / math.sqrt(d)
    betas = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256]
    k90, dist = {}, {}
    own_cluster = np.repeat(np.arange(clusters), size)
    cluster_mean = np.stack([x[own_cluster == c].mean(axis=0) for c in range(clusters)])
    for beta in betas:
        r = ModernHopfield(beta=beta).store(x).recall(queries, max_steps=500, tol=1e-9)
        k90[beta] = float(np.median(r.extras["k90"]))
        dist[beta] = (
            np.linalg.norm(r.states - x.mean(axis=0), axis=1).max(),
            np.linalg.norm(r.states - cluster_mean[own_cluster], axis=1).max(),
            np.linalg.norm(r.states - x, axis=1).max(),
        )
    checks = [
        at_least(
            "β = 1: median k90 (global average)",
            0.8 * k,
            k90[1],
            reference="≈ all K",
            kind="theory",
            where="small β: the fixed point averages all memories",
        ),
        close(
            "β = 8: median k90 (metastable: one cluster)",
            size,
            k90[8],
            atol=2,
            reference_text=f"a group of similar patterns ({size} per cluster)",
            kind="theory",
            where="intermediate β: a metastable state averages one cluster",
        ),
        equal(
            "β = 128: median k90 (single pattern)",
            1,
            int(k90[128]),
            reference_text="1",
            kind="theory",
            where="large β: one memory",
        ),
        at_most(
            "β = 128: largest distance to the cued pattern",
            0.01,
            dist[128][2],
            reference="the pattern itself",
            kind="theory",
            where="large β: one memory",
        ),
    ]
    fig = figure()
    ax = fig.subplots()
    ax.semilogx(betas, [k90[b] for b in betas], "o-", label="median k90 at the fixed point")
    ax.axhline(size, color="grey", ls=":", lw=1, label=f"cluster size {size}")
    ax.axhline(k, color="grey", ls="--", lw=1, label=f"K = {k}")
    ax.set(xlabel="β", ylabel="memories carrying 90 % of the weight", yscale="log")
    ax.set_title(f"{clusters} clusters of {size} similar patterns, d = {d}", fontsize=10)
    ax.legend(fontsize=8)
    note = (
        "Unit-norm memories in clusters (within-cluster cosine ≈ 0.9); each query is a memory "
        "plus a little noise, iterated to a fixed point. Largest distance of the fixed points to "
        f"the global mean at β = 1: {fmt(dist[1][0])}; to the cluster mean at β = 8: "
        f"{fmt(dist[8][1])}; to the pattern at β = 128: {fmt(dist[128][2])}."
    )
    return Measured(checks, fig, note)


def theorem3_c(beta: float, k: float, d: int, p: float) -> float:
    """Compute Ramsauer's Theorem 3 constant ``c = b / W₀(exp(a + ln b))``.

    Here ``a = 2/(d−1) (1 + ln(2βK²p(d−1)))``, ``b = 2K²β/5`` and W₀ is the principal branch of
    Lambert's W.

    Parameters
    ----------
    beta : float
        The inverse temperature β.
    k : float
        Ramsauer's K: the patterns lie on the sphere of radius M = K√(d−1).
    d : int
        The dimension of the patterns.
    p : float
        The failure probability.

    Returns
    -------
    float
        The constant c.
    """
    a = 2 / (d - 1) * (1 + math.log(2 * beta * k * k * p * (d - 1)))
    b = 2 * k * k * beta / 5
    return b / float(lambertw(math.exp(a + math.log(b))).real)


@register(
    "modern-capacity-theorem",
    "Theorem 3: c = 3.1546 (β=1, K=3, d=20, p=0.001) and c = 1.3718 (β=1, K=1, d=75)",
    _RAMSAUER,
)
def capacity_theorem(quick: bool, rng: np.random.Generator) -> Measured:
    cases = [(3, 20, 3.1546), (1, 75, 1.3718)]
    checks = [
        close(
            f"c at β = 1, K = {k}, d = {d}, p = 0.001",
            c,
            theorem3_c(1.0, k, d, 1e-3),
            atol=1e-4,
            digits=5,
            kind="published",
            where="ICLR 2021, Theorem 3 and the examples after it",
        )
        for k, d, c in cases
    ]
    trials = 300 if quick else 3000
    for k, d, _ in cases:
        count = math.ceil(math.sqrt(1e-3) * theorem3_c(1.0, k, d, 1e-3) ** ((d - 1) / 4))
        radius = k * math.sqrt(d - 1)
        ok = 0
        for _ in range(trials):
            x = _sphere(count, d, radius, rng)
            out = ModernHopfield(beta=1.0).store(x).recall(x, max_steps=1).states
            ok += bool(np.all(np.linalg.norm(out - x, axis=1) <= 1e-6 * radius))
        checks.append(
            at_least(
                f"K = {k}, d = {d}: draws whose {count} patterns are all retrieved",
                0.99,
                ok / trials,
                reference="probability ≥ 1 − p = 0.999",
                kind="theory",
                where="Theorem 3: retrieval with probability ≥ 1 − p",
            )
        )
    ds = np.arange(5, 101)
    fig = figure()
    ax = fig.subplots()
    for k in (1, 2, 3):
        cap = [math.sqrt(1e-3) * theorem3_c(1.0, k, int(d), 1e-3) ** ((d - 1) / 4) for d in ds]
        ax.semilogy(ds, cap, label=f"K = {k} (radius K√(d−1))")
    ax.plot(
        [20, 75],
        [math.sqrt(1e-3) * c ** ((d - 1) / 4) for _, d, c in cases],
        "kx",
        label="published examples",
    )
    ax.set(xlabel="dimension d", ylabel="guaranteed patterns √p c^{(d−1)/4}")
    ax.set_title(
        "Theorem 3: storage capacity grows exponentially in d (β = 1, p = 0.001)", fontsize=10
    )
    ax.legend(fontsize=8)
    note = (
        "c computed with scipy's Lambert W₀. In the paper's notation N is the number of patterns "
        "(our K) and K sets the radius M = K√(d−1) of the sphere the patterns lie on. Measured: "
        f"{trials} draws of the guaranteed number of patterns, each pattern retrieved by one "
        "update to within 1e-6 M."
    )
    return Measured(checks, fig, note)


@register(
    "sparsemax-exact-retrieval",
    "Sparse modern Hopfield: one-step retrieval is exact when βΔ ≥ 1",
    "Hu et al. 2023",
)
def sparsemax_exact(quick: bool, rng: np.random.Generator) -> Measured:
    d, k = 32, 100 if quick else 1000
    x = rng.standard_normal((k, d)) / math.sqrt(d) * 2
    q = x + 0.05 * rng.standard_normal((k, d))
    delta = _separation(x, q)
    rows = []
    for beta in np.geomspace(0.25, 16, 13):
        for sep in ("sparsemax", "softmax"):
            out = ModernHopfield(beta=float(beta), separation=sep).store(x).recall(q).states
            rows.append((sep, beta * delta, np.abs(out - x).max(axis=1)))
    sparse = [(bd, e) for sep, bd, e in rows if sep == "sparsemax"]
    bd = np.concatenate([b for b, _ in sparse])
    err = np.concatenate([e for _, e in sparse])
    checks = [
        equal(
            "sparsemax, βΔ ≥ 1: largest one-step error",
            0.0,
            float(err[bd >= 1].max()),
            reference_text="0 (exact)",
            kind="theory",
            where="Hu et al. 2023: exact one-step retrieval when βΔ ≥ 1",
        ),
        at_least(
            "sparsemax, βΔ < 1: fraction with a nonzero error",
            0.5,
            float(np.mean(err[bd < 1] > 0)),
            reference="not guaranteed",
            kind="sanity",
            where="the condition is not vacuous",
        ),
    ]
    fig = figure()
    ax = fig.subplots()
    floor = 1e-18
    for sep, c in (("softmax", "C1"), ("sparsemax", "C0")):
        b = np.concatenate([r[1] for r in rows if r[0] == sep])
        e = np.concatenate([r[2] for r in rows if r[0] == sep])
        ax.loglog(b, np.maximum(e, floor), ".", ms=2, color=c, alpha=0.5, label=sep)
    ax.axvline(1.0, color="k", ls="--", lw=1, label="βΔ = 1")
    ax.set(
        xlabel="βΔ (score margin of the cued memory)",
        ylabel=f"max |retrieved − x_i| (0 drawn at {floor:g})",
    )
    ax.set_title(f"One update, K = {k}, d = {d}, β from 0.25 to 16", fontsize=10)
    ax.legend(fontsize=8)
    note = (
        "Queries are memories plus Gaussian noise (σ = 0.05); Δ is the query's score margin "
        "x_iᵀξ − max_{j≠i} x_jᵀξ. Sparsemax returns x_i bit for bit once βΔ ≥ 1; softmax "
        "never does exactly."
    )
    return Measured(checks, fig, note)

"""The general model with hidden neurons and its three limits (Krotov & Hopfield 2020).

Registers ``hidden-neuron-limits``: model B is the modern network, model A the dense
associative memory, model C scale-free.
"""

from __future__ import annotations

import numpy as np

from .. import analysis
from .. import patterns as pats
from ..functions import RectifiedPolynomial
from ..models.dense import DenseAssociativeMemory
from ..models.hidden import HiddenNeuronNetwork
from ..models.modern import ModernHopfield
from ._core import Measured, at_most, equal, figure, fmt, register

# The results register themselves (hopfield.reproduce); nothing here is imported by name.
__all__: list[str] = []


@register(
    "hidden-neuron-limits",
    "Hidden-neuron model: B is the modern network, A the dense memory, C scale-free",
    "Krotov & Hopfield 2020",
)
def hidden_limits(quick: bool, rng: np.random.Generator) -> Measured:
    # Model B: one Euler step with dt = τ_f against Ramsauer's update, float64 throughout.
    k, n, beta = (30, 16, 3.0) if quick else (300, 64, 3.0)
    x = rng.standard_normal((k, n))
    q = rng.standard_normal((4 * k, n))
    b_step = HiddenNeuronNetwork.model_b(beta).store(x).recall(q, dt=1.0, t_max=1.0).states
    modern = ModernHopfield(beta=beta).store(x).recall(q, max_steps=1).states
    b_diff = float(np.abs(b_step - modern).max())

    # Model A: its flow from corrupted cues ends at the dense memory's stored patterns.
    f = RectifiedPolynomial(3)
    xa = pats.random(8 if quick else 20, 80, rng=rng)
    cues = pats.flip(xa, 0.15, rng=rng)
    a_run = (
        HiddenNeuronNetwork.model_a(f).store(xa.astype(np.float64)).recall(cues.astype(np.float64))
    )
    dam = DenseAssociativeMemory(f).store(xa)
    a_states = np.sign(a_run.states).astype(np.int8)
    dam_states = dam.recall(cues, rng=rng).states
    same = float(np.mean(np.all(a_states == xa, axis=1) & np.all(dam_states == xa, axis=1)))
    fixed = bool(analysis.is_fixed_point(dam, xa).all())

    # Model C: the energy depends on the direction of v only.
    xc = rng.standard_normal((6, 20))
    net_c = HiddenNeuronNetwork.model_c(f).store(xc)
    v = rng.standard_normal((16, 20))
    scales = np.geomspace(1e-3, 1e4, 15)
    e0 = net_c.energy(v)
    drift = np.array([np.abs(net_c.energy(c * v) - e0).max() / np.abs(e0).max() for c in scales])

    checks = [
        at_most(
            "model B: one Euler step (dt = τ_f) minus ξ ← Xᵀ softmax(βXξ)",
            1e-10,
            b_diff,
            reference="identical (exact limit)",
            kind="theory",
            where="Krotov & Hopfield 2021: model B with dt = τ_f is Ramsauer's update",
        ),
        equal(
            "model A: cues recalled to the stored patterns by both A and the dense memory",
            1.0,
            same,
            reference_text="same fixed points",
            kind="theory",
            where="Krotov & Hopfield 2021: model A is the dense memory",
        ),
        equal(
            "dense memory: the stored patterns are fixed points",
            True,
            fixed,
            kind="sanity",
            where="the comparison's premise",
        ),
        at_most(
            "model C: largest relative energy change, v scaled by 1e-3 … 1e4",
            1e-12,
            float(drift.max()),
            reference="none (energy of v/‖v‖)",
            kind="theory",
            where="Krotov & Hopfield 2021: model C depends on v/‖v‖ only",
        ),
    ]
    fig = figure(9.0, 3.2)
    left, mid, right = fig.subplots(1, 3)
    left.hist(np.log10(np.abs(b_step - modern).ravel() + 1e-18), bins=30, color="C0")
    left.set(xlabel="log₁₀ |model B − modern|", ylabel="entries", title="model B = Ramsauer")
    e = np.atleast_2d(a_run.energies)
    for row in e[:4]:
        mid.plot(a_run.extras["times"][: len(row)], row, lw=1)
    mid.set(xlabel="time", ylabel="energy", title="model A flow from cues")
    right.semilogx(scales, np.maximum(drift, 1e-18), "o-", ms=3)
    right.set(
        xlabel="scale c of v",
        ylabel="relative |E(cv) − E(v)|",
        yscale="log",
        ylim=(1e-18, 1e-10),
        title="model C: E(cv) = E(v)",
    )
    for ax in (left, mid, right):
        ax.title.set_fontsize(9)
    note = (
        f"Model B: K = {k} memories, N = {n}, β = {beta}, {len(q)} queries, largest difference "
        f"{fmt(b_diff)}. Model A: F = max(x, 0)³, {len(xa)} patterns of 80 bits, cues 15 % "
        "flipped, Euler flow to rest against the dense memory's async recall. Model C: "
        f"relative energy drift {fmt(float(drift.max()))} over 7 decades of scale."
    )
    return Measured(checks, fig, note)

"""
Sparse patterns and the covariance rule
=======================================

Sparse patterns: a 0/1 network with the covariance rule stores far more than 0.138 N.

Part 1 stores K = 300 patterns in N = 1000 units at coding level a = 0.05 (K = 0.3 N, twice
the dense network's 0.138 N) and recalls them from cues with 5% of the bits flipped, with the
k-winners-take-all threshold (synchronous) and with fixed thresholds (asynchronous). The dense
±1 Hebbian network fails at the same K, both on random ±1 patterns and on the same sparse
patterns written as ±1. "Recalled" means at most 1% wrong bits (10 bits: 5 of the 50 active
units misplaced).

Part 2 measures the capacity: the load K/N at which half of the patterns are still recalled,
for three coding levels, beside Tsodyks & Feigel'man's asymptotic ``1 / (2 a |ln a|)``.

Run:  python examples/sparse.py   (about half a minute; HOPFIELD_EXAMPLE_QUICK=1: N = 400 and
100 cues instead of 1000 and 200, K = 0.3 N still, a few seconds, for the tests and the docs)
"""

# %%
# Setup
# -----
# ``flip`` corrupts 0/1 patterns by flipping a fraction of their bits; ``recalled`` is the
# fraction of cues that end with at most 1% wrong bits.

import os

import matplotlib.pyplot as plt
import numpy as np

import hopfield as hf
from hopfield.models.sparse import (
    SparseHopfield,
    precision_recall,
    sparse_capacity,
    sparse_overlap,
)

QUICK = os.environ.get("HOPFIELD_EXAMPLE_QUICK") == "1"
N, B = (400, 100) if QUICK else (1000, 200)
A, K = 0.05, 3 * N // 10


def flip(x, fraction, rng):
    return ((hf.patterns.flip(2 * x - 1, fraction, rng=rng) + 1) // 2).astype(np.int8)


def recalled(states, targets):
    return float(((states != targets).mean(axis=1) <= 0.01).mean())


# %%
# Part 1: the sparse network at K = 0.3 N
# ---------------------------------------
# The covariance rule with the k-winners-take-all threshold (synchronous: the a N units with
# the largest fields turn on) and with three fixed thresholds (asynchronous).

part1 = {}
x = hf.patterns.sparse(K, N, A, rng=0)
cues = flip(x[:B], 0.05, rng=1)
print(f"Part 1: N = {N}, a = {A}, K = {K} (K/N = {K / N}); {B} cues with 5% of bits flipped")
print(f"{'network':<34} {'recalled':>8} {'sparse m':>9} {'precision':>9} {'recall':>7}")
for threshold, update in (("kwta", "sync"), (0.45, "async"), (0.5, "async"), (0.55, "async")):
    r = SparseHopfield(A, threshold=threshold).store(x).recall(cues, update=update, rng=2)
    m = sparse_overlap(r.states, x[:B], A).diagonal().mean()
    p, c = precision_recall(r.states, x[:B])
    name = f"sparse, threshold={threshold!r}, {update}"
    part1[name] = recalled(r.states, x[:B])
    print(
        f"{name:<34} {recalled(r.states, x[:B]):>8.3f} {m:>9.3f} {p.mean():>9.3f} {c.mean():>7.3f}"
    )

# %%
# The dense ±1 network at the same load
# -------------------------------------
# Hebb's rule on random ±1 patterns, and on the same sparse patterns written as ±1.

dense = hf.patterns.random(K, N, rng=0)
rd = hf.Hopfield().store(dense).recall(hf.patterns.flip(dense[:B], 0.05, rng=1), rng=2)
m = hf.overlap(rd.states, dense[:B]).diagonal().mean()
part1["dense Hebbian, random ±1 patterns"] = recalled(rd.states, dense[:B])
print(
    f"{'dense Hebbian, random ±1 patterns':<34} {recalled(rd.states, dense[:B]):>8.3f}"
    f"   (±1 overlap {m:.3f})"
)
pm = 2 * x - 1
rs = hf.Hopfield().store(pm).recall(2 * cues - 1, rng=2)
eta = ((rs.states + 1) // 2).astype(np.int8)
part1["dense Hebbian, the sparse as ±1"] = recalled(rs.states, pm[:B])
m = sparse_overlap(eta, x[:B], A).diagonal().mean()
print(
    f"{'dense Hebbian, the sparse as ±1':<34} {recalled(rs.states, pm[:B]):>8.3f} {m:>9.3f}"
    f"   (±1 overlap {hf.overlap(rs.states, pm[:B]).diagonal().mean():.3f}: "
    f"{(rs.states == -1).all(axis=1).mean():.0%} fell to the all −1 state)"
)

# %%
# Part 2: the capacity against the coding level
# ---------------------------------------------
# For three coding levels the load K/N is raised in steps of 0.05 until fewer than half of
# the cues are recalled; the half-recall load is interpolated between the last two steps.

curves = {}
print(f"\nPart 2: half-recall load at N = {N} (k-winners-take-all, {B} cues, 5% flipped)")
print(f"{'a':>5} {'measured K/N':>12} {'theory 1/(2a|ln a|)':>20} {'ratio':>6}")
for a in (0.1, 0.05, 0.02):
    loads = np.round(np.arange(0.1, 3.01, 0.05), 2)
    fractions = []
    for alpha in loads:
        xs = hf.patterns.sparse(int(alpha * N), N, a, rng=3)
        r = SparseHopfield(a).store(xs).recall(flip(xs[:B], 0.05, rng=4), max_steps=50)
        fractions.append(recalled(r.states, xs[:B]))
        if fractions[-1] < 0.5:
            break
    # Interpolate linearly between the last load above one half and the first below.
    f0, f1 = fractions[-2], fractions[-1]
    half = loads[len(fractions) - 2] + 0.05 * (f0 - 0.5) / (f0 - f1)
    theory = sparse_capacity(a)
    curves[a] = (loads[: len(fractions)], fractions, half, theory)
    print(f"{a:>5} {half:>12.2f} {theory:>20.2f} {half / theory:>6.2f}")
print("dense ±1 patterns, Hebb's rule: 0.138 (Amit, Gutfreund & Sompolinsky)")

# %%
# The figure
# ----------
# Left: Part 1, the fraction of cues recalled at K = 0.3 N. Right: Part 2, the fraction
# recalled against the load for each coding level, with the measured half-recall load
# (circle) and Tsodyks & Feigel'man's asymptotic capacity (dashed).

fig, (left, right) = plt.subplots(
    1, 2, figsize=(11, 3.8), layout="constrained", width_ratios=[1, 1.2]
)
bars = left.barh(list(part1), list(part1.values()))
left.bar_label(bars, fmt="%.2f", fontsize=8, padding=2)
left.invert_yaxis()
left.set_xlim(0, 1.12)
left.set_xlabel("fraction of cues recalled")
left.set_title(f"K = {K} patterns in N = {N} units (a = {A})", fontsize=10)
left.tick_params(axis="y", labelsize=8)
for i, (a, (loads_a, fractions, half, theory)) in enumerate(curves.items()):
    right.plot(loads_a, fractions, marker=".", color=f"C{i}", label=f"a = {a}")
    right.plot([half], [0.5], "o", color=f"C{i}", markerfacecolor="none", markersize=9)
    right.axvline(theory, color=f"C{i}", linestyle="--", linewidth=1)
right.axvline(0.138, color="grey", linestyle=":", label="dense ±1, Hebb: 0.138")
right.set_xlabel("load K / N")
right.set_ylabel("fraction of cues recalled")
right.set_title("capacity of the sparse network (dashed: 1 / (2a |ln a|))", fontsize=10)
right.legend(fontsize=8)
plt.show()

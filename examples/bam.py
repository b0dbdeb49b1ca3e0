"""
Hetero-association with a bidirectional associative memory
==========================================================

Hetero-association with a bidirectional associative memory (Kosko 1988).

Kosko's worked example first: two pairs of binary vectors, stored in bipolar (±1) coding,
recalled from either side. Then 10 random pairs of 200-bit x and 120-bit y vectors, recalled
from x cues with 20% of the bits flipped: the layers reverberate x → y → x until the pair stops
changing, and the energy −x M yᵀ falls at every step. Last, the load is raised to show where
correlation storage stops working: far below Kosko's upper bound of min(n, p) pairs.

Run:  python examples/bam.py
"""

# %%
# Kosko's worked example
# ----------------------
# Two pairs (A1, B1) and (A2, B2) of binary vectors, stored as ±1 vectors in the correlation
# matrix M = Σ xᵀy. Either side recalls the other.

import matplotlib.pyplot as plt
import numpy as np

import hopfield as hf
from hopfield.models.hetero import BidirectionalMemory

a = np.array([[1, 0, 1, 0, 1, 0], [1, 1, 1, 0, 0, 0]])
b = np.array([[1, 1, 0, 0], [1, 0, 1, 0]])
bam = BidirectionalMemory().store(2 * a - 1, 2 * b - 1)
print("Kosko's example: M =")
print(bam.weights.astype(int))
print("binary A1 . M =", (a[0] @ bam.weights).astype(int), "-> B1 =", b[0])
for k in range(2):
    y = bam.recall(x=2 * a[k] - 1).states
    x = bam.recall(y=2 * b[k] - 1).states
    print(f"  A{k + 1} -> {(y > 0).astype(int)}   B{k + 1} -> {(x > 0).astype(int)}")

# %%
# Random pairs from corrupted cues
# --------------------------------
# Ten pairs of random ±1 vectors, x of 200 bits and y of 120. Each x cue has 20% of its bits
# flipped; recall alternates between the layers until neither changes.

x = hf.patterns.random(10, 200, rng=0)
y = hf.patterns.random(10, 120, rng=1)
bam = BidirectionalMemory().store(x, y)
r = bam.recall(x=hf.patterns.flip(x, 0.2, rng=2))
print("\n10 random pairs (n = 200, p = 120), x cues with 20% of bits flipped:")
print("  y recalled exactly:", int((r.states == y).all(axis=1).sum()), "of 10")
print("  x cleaned up:      ", int((r.extras["x"] == x).all(axis=1).sum()), "of 10")
print("  layer updates that changed something:", r.steps.tolist())
print("  energy of cue 0 along the way:", r.energies[0].astype(int).tolist())

# %%
# Raising the load
# ----------------
# With n = p = 200, K pairs are stored and recalled from their own x. Correlation storage
# fails long before Kosko's upper bound of min(n, p) = 200 pairs.

loads = (10, 20, 40, 60, 100)
overlaps, exact_fraction = [], []
print("\nload (n = p = 200)   mean overlap of recalled y   pairs exact")
for k in loads:
    xk = hf.patterns.random(k, 200, rng=k)
    yk = hf.patterns.random(k, 200, rng=k + 1)
    rk = BidirectionalMemory().store(xk, yk).recall(x=xk)
    exact = int((rk.states == yk).all(axis=1).sum())
    overlaps.append((rk.states * yk).mean())
    exact_fraction.append(exact / k)
    print(f"  K = {k:3d}            {overlaps[-1]:.3f}                 {exact}/{k}")

# %%
# The figure
# ----------
# Left: the energy −x M yᵀ of each of the ten corrupted cues at every layer update; it never
# rises. Right: recall quality against the number of stored pairs.

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
hf.plot.energy_curves(r, labels=[f"pair {i}" for i in range(10)], ax=left)
left.set_title("energy while the layers reverberate", fontsize=10)
right.plot(loads, overlaps, marker="o", label="mean overlap of recalled y")
right.plot(loads, exact_fraction, marker="s", label="fraction of pairs exact")
right.set_xlabel("stored pairs K (n = p = 200)")
right.set_ylim(0, 1.05)
right.set_title("recall from the stored x as the load grows", fontsize=10)
right.legend(fontsize=8)
plt.show()

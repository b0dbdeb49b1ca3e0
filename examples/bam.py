"""Hetero-association with a bidirectional associative memory (Kosko 1988).

Kosko's worked example first: two pairs of binary vectors, stored in bipolar (±1) coding,
recalled from either side. Then 10 random pairs of 200-bit x and 120-bit y vectors, recalled
from x cues with 20% of the bits flipped: the layers reverberate x → y → x until the pair stops
changing, and the energy −x M yᵀ falls at every step. Last, the load is raised to show where
correlation storage stops working: far below Kosko's upper bound of min(n, p) pairs.

Run:  python examples/bam.py
"""

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

x = hf.patterns.random(10, 200, rng=0)
y = hf.patterns.random(10, 120, rng=1)
bam = BidirectionalMemory().store(x, y)
r = bam.recall(x=hf.patterns.flip(x, 0.2, rng=2))
print("\n10 random pairs (n = 200, p = 120), x cues with 20% of bits flipped:")
print("  y recalled exactly:", int((r.states == y).all(axis=1).sum()), "of 10")
print("  x cleaned up:      ", int((r.extras["x"] == x).all(axis=1).sum()), "of 10")
print("  layer updates that changed something:", r.steps.tolist())
print("  energy of cue 0 along the way:", r.energies[0].astype(int).tolist())

print("\nload (n = p = 200)   mean overlap of recalled y   pairs exact")
for k in (10, 20, 40, 60, 100):
    x = hf.patterns.random(k, 200, rng=k)
    y = hf.patterns.random(k, 200, rng=k + 1)
    r = BidirectionalMemory().store(x, y).recall(x=x)
    exact = int((r.states == y).all(axis=1).sum())
    print(f"  K = {k:3d}            {(r.states * y).mean():.3f}                 {exact}/{k}")

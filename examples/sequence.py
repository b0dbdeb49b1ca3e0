"""Sequence memories: networks that step through stored sequences.

A cycle of 100 random patterns in 300 neurons (Chaudhry et al. 2023): the Hebbian transition
rule J = (1/N) sum xi^{mu+1} xi^mu^T is overloaded (100 / 300 > 0.269) and gets almost every
transition wrong, while the dense rule with F(x) = x^2 follows all of them. Then the delayed
network of Sompolinsky & Kanter (1986), which holds each element for a few steps before moving.

Run:  python examples/sequence.py
"""

import numpy as np

import hopfield as hf
from hopfield.models.sequence import DelayedSequenceMemory, SequenceMemory

x = hf.patterns.random(100, 300, rng=0)
following = np.roll(x, -1, axis=0)
print("N = 300, a cycle of 100 patterns; one step from each element:")
for name, f in (("linear (Hebbian)", None), ("dense, F = x^2  ", hf.Polynomial(2))):
    mem = SequenceMemory(interaction=f).store(x, cyclic=True)
    r = mem.recall(x, max_steps=1)
    right = int((r.states[:, 1] == following).all(axis=1).sum())
    wrong_bits = (r.states[:, 1] != following).sum(axis=1).mean()
    print(f"  {name}: {right:3d}/100 transitions exact, {wrong_bits:.1f} wrong bits on average")

mem = SequenceMemory(interaction=hf.Polynomial(2)).store(x, cyclic=True)
r = mem.recall(hf.patterns.flip(x[0], 0.25, rng=1), max_steps=12)
print("\ndense rule from element 0 with 25% of its bits flipped:")
print("  matched element:", r.matches.tolist())
print("  overlap:        ", np.round(r.overlaps, 2).tolist())

x = hf.patterns.random(5, 400, rng=2)
mem = DelayedSequenceMemory(strength=2.0, delay=3).store(x, cyclic=True)
r = mem.recall(x[0], max_steps=24)
print("\ndelayed network (strength 2, delay 3), a cycle of 5: each element held 4 steps")
print("  matched element:", r.matches.tolist())

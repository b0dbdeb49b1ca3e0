"""
Sequence memories
=================

Sequence memories: networks that step through stored sequences.

A cycle of 100 random patterns in 300 neurons (Chaudhry et al. 2023): the Hebbian transition
rule J = (1/N) sum xi^{mu+1} xi^mu^T is overloaded (100 / 300 > 0.269) and gets almost every
transition wrong, while the dense rule with F(x) = x^2 follows all of them. Then the delayed
network of Sompolinsky & Kanter (1986), which holds each element for a few steps before moving.

Run:  python examples/sequence.py
"""

# %%
# One step from every element: linear against dense
# -------------------------------------------------
# A cycle of 100 random ±1 patterns of 300 bits. Started on each element, one step of the
# network should land exactly on the next element.

import matplotlib.pyplot as plt
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

# %%
# Running the dense sequence from a corrupted start
# -------------------------------------------------
# The cue is element 0 with a quarter of its bits flipped. ``matches`` is the stored element
# nearest to the state after each step and ``overlaps`` the overlap with it.

mem = SequenceMemory(interaction=hf.Polynomial(2)).store(x, cyclic=True)
dense = mem.recall(hf.patterns.flip(x[0], 0.25, rng=1), max_steps=12)
print("\ndense rule from element 0 with 25% of its bits flipped:")
print("  matched element:", dense.matches.tolist())
print("  overlap:        ", np.round(dense.overlaps, 2).tolist())

# %%
# The delayed network
# -------------------
# Sompolinsky & Kanter's network adds a slow, delayed term to a symmetric Hopfield term, so
# that each element of a cycle of 5 is held for a few steps before the transition fires.

x5 = hf.patterns.random(5, 400, rng=2)
slow = DelayedSequenceMemory(strength=2.0, delay=3).store(x5, cyclic=True)
delayed = slow.recall(x5[0], max_steps=24)
print("\ndelayed network (strength 2, delay 3), a cycle of 5: each element held 4 steps")
print("  matched element:", delayed.matches.tolist())

# %%
# The figure
# ----------
# The element the state matches after every step: the dense network moves on at each step
# (its overlap, right axis, is 1 after the first), the delayed network climbs a staircase.

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
left.step(np.arange(len(dense.matches)), dense.matches, where="mid", marker="o")
left.set_xlabel("step")
left.set_ylabel("matched element")
left.set_title("dense rule, F = x², from a corrupted element 0", fontsize=10)
twin = left.twinx()
twin.plot(np.arange(len(dense.overlaps)), dense.overlaps, color="C1", marker=".")
twin.set_ylabel("overlap", color="C1")
twin.set_ylim(0, 1.05)
right.step(np.arange(len(delayed.matches)), delayed.matches, where="mid", marker="o")
right.set_xlabel("step")
right.set_ylabel("matched element")
right.set_title("delayed network, a cycle of 5, delay 3", fontsize=10)
plt.show()

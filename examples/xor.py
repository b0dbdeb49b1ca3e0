"""
XOR by pattern completion
=========================

XOR by pattern completion: a dense associative memory does what the classical net cannot.

The four rows (x, y, z) of the XOR truth table in ±1 coding (z = −x·y) are stored as memories
in N = 3 neurons. Clamping x and y and letting z evolve completes the table when F(x) = x³,
from either starting value of z. With F(x) = x² (the classical network) the energy does not
depend on z at all, so z stays wherever it started.

Run:  python examples/xor.py
"""

# %%
# The truth table as memories
# ---------------------------
# Each row (x, y, z) of the XOR table, with z = −x·y in ±1 coding, is one memory of three
# neurons. During recall x and y are clamped (``clamp``) and only z may change.

import matplotlib.pyplot as plt
import numpy as np

from hopfield.functions import Polynomial
from hopfield.models.dense import DenseAssociativeMemory

rows = np.array([[x, y, -x * y] for x in (-1, 1) for y in (-1, 1)], dtype=np.int8)
clamp = np.array([True, True, False])

# %%
# Completing z with F(x) = x² and F(x) = x³
# -----------------------------------------
# Each row is recalled twice, with z starting at +1 and at −1. The cubic interaction
# completes all eight; the quadratic one (the classical Hopfield network) leaves z where it
# started, so it is right only half of the time.

for n in (2, 3):
    dam = DenseAssociativeMemory(Polynomial(n)).store(rows)
    print(f"F(x) = x^{n}")
    print("   x   y | z from +1  z from -1 | XOR")
    correct = 0
    for x, y, z in rows:
        got = [int(dam.recall([x, y, start], clamp=clamp, rng=0).states[2]) for start in (1, -1)]
        correct += sum(g == z for g in got)
        print(f"  {x:+d}  {y:+d} |    {got[0]:+d}         {got[1]:+d}     | {z:+d}")
    print(f"  {correct}/8 completions correct\n")

# %%
# Why: the energy as a function of z
# ----------------------------------
# For each clamped (x, y) the figure shows the energy gap E(z = wrong) − E(z = right). With
# F(x) = x² the two values of z have the same energy (a gap of 0), so nothing pulls z either
# way; with F(x) = x³ the right z is always lower.

fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
width = 0.38
for i, n in enumerate((2, 3)):
    dam = DenseAssociativeMemory(Polynomial(n)).store(rows)
    wrong = rows * np.array([1, 1, -1], dtype=np.int8)
    gap = dam.energy(wrong) - dam.energy(rows)
    bars = ax.bar(np.arange(4) + (i - 0.5) * width, gap, width, label=f"F(x) = x^{n}")
    ax.bar_label(bars, fmt="%g", fontsize=8)
ax.axhline(0, color="black", linewidth=0.8)
ax.set_xticks(np.arange(4), [f"x={x:+d}, y={y:+d}" for x, y, _ in rows])
ax.set_ylabel("E(wrong z) − E(right z)")
ax.set_title("energy gap that drives z to x XOR y")
ax.set_ylim(top=1.3 * ax.get_ylim()[1])
ax.legend(loc="upper left", ncols=2)
plt.show()

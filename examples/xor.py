"""XOR by pattern completion: a dense associative memory does what the classical net cannot.

The four rows (x, y, z) of the XOR truth table in ±1 coding (z = −x·y) are stored as memories
in N = 3 neurons. Clamping x and y and letting z evolve completes the table when F(x) = x³,
from either starting value of z. With F(x) = x² (the classical network) the energy does not
depend on z at all, so z stays wherever it started.

Run:  python examples/xor.py
"""

import numpy as np

from hopfield.functions import Polynomial
from hopfield.models.dense import DenseAssociativeMemory

rows = np.array([[x, y, -x * y] for x in (-1, 1) for y in (-1, 1)], dtype=np.int8)
clamp = np.array([True, True, False])

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

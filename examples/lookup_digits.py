"""
Learned memories and labels for handwritten digits
==================================================

A lookup layer that learns memories and their labels: scikit-learn's 8×8 digits.

``HopfieldLookup`` holds 40 learned memories (64 pixels each) and a learned 10-class target per
memory; an image reads the targets with the weights ``softmax(β x Mᵀ)`` (pure retrieval, no
projections), and the result serves as the class scores. Both memories and targets are trained
by gradient descent on the cross-entropy, the ``HopfieldLayer`` use of Ramsauer et al. (2020).
After training, each memory is a prototype that votes for mostly one class; the script prints
the test accuracy and how many memories mostly vote for each digit.

Run:  python examples/lookup_digits.py   (HOPFIELD_EXAMPLE_QUICK=1: fewer epochs, for the tests)
"""

# %%
# The data
# --------
# scikit-learn's 1797 digits of 8×8 pixels, scaled to [0, 1]; 30% are held out for testing.
# ``HOPFIELD_EXAMPLE_QUICK=1`` trains for 8 epochs instead of 40.

import os

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from hopfield.nn import HopfieldLookup

QUICK = os.environ.get("HOPFIELD_EXAMPLE_QUICK") == "1"
EPOCHS = 8 if QUICK else 40
MEMORIES, BETA = 40, 0.5

torch.manual_seed(0)

digits = load_digits()
x = digits.data.astype(np.float32) / 16.0  # pixels in [0, 1]
x_train, x_test, y_train, y_test = train_test_split(
    x, digits.target, test_size=0.3, random_state=0, stratify=digits.target
)
x_train, x_test = torch.tensor(x_train), torch.tensor(x_test)
y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)

# %%
# Training memories and targets
# -----------------------------
# With ``projections=False`` the layer is pure retrieval: an image x reads the targets T with
# the weights ``softmax(β x Mᵀ)``, and those are the class scores. Adam trains M and T on the
# cross-entropy, in mini-batches of 64 images.

table = HopfieldLookup(64, quantity=MEMORIES, target_size=10, projections=False, beta=BETA)
opt = torch.optim.Adam(table.parameters(), lr=0.05)
gen = torch.Generator().manual_seed(1)
for _ in range(EPOCHS):
    order = torch.randperm(len(x_train), generator=gen)
    for start in range(0, len(order), 64):
        idx = order[start : start + 64]
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(table(x_train[idx]), y_train[idx])
        loss.backward()
        opt.step()

# %%
# Accuracy and votes
# ------------------
# Each memory's target votes mostly for one digit; the counts show how the 40 memories are
# shared among the ten digits.

with torch.no_grad():
    acc = float((table(x_test).argmax(1) == y_test).float().mean())
    favourite = table.targets.argmax(1)
    votes = favourite.bincount(minlength=10).tolist()
print(f"{MEMORIES} learned memories, beta={BETA}, {EPOCHS} epochs on {len(x_train)} images")
print(f"memories voting mostly for digits 0-9: {votes}")
print(f"test accuracy {acc:.3f} on {len(x_test)} images")

# %%
# The learned memories
# --------------------
# The 40 memories drawn as 8×8 images, sorted by the digit each votes for most (its title).
# Red pixels are positive weights, blue negative, each memory on its own symmetric scale.

order = np.argsort(favourite.numpy(), kind="stable")
images = table.memories.detach().numpy()[order].reshape(-1, 8, 8)
fig, axes = plt.subplots(4, MEMORIES // 4, figsize=(10, 4.6), layout="constrained")
for ax, image, digit in zip(axes.flat, images, favourite.numpy()[order], strict=True):
    limit = np.abs(image).max()
    ax.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    ax.set_title(f"votes {digit}", fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle(f"learned memories ({EPOCHS} epochs, test accuracy {acc:.3f})")
plt.show()

"""
Multiple-instance learning with Hopfield pooling
================================================

Multiple-instance learning with HopfieldPooling: is a planted pattern somewhere in the bag?

Each bag holds 8 to 24 random ±1 bit patterns of length 32; a positive bag also holds a copy of
one planted pattern with 2 of its bits flipped. A bag's label says only whether the planted
pattern is in it, not where: the classic multiple-instance setting that Ramsauer et al. (2020)
solve with a Hopfield pooling layer. One learned query retrieves from the bag (padded bags are
masked with ``key_padding_mask``), and a linear read-out classifies the retrieved vector.

Ramsauer et al., "Hopfield networks is all you need", ICLR (2021), Sec. 4 (MIL).

Run:  python examples/mil_pooling.py   (HOPFIELD_EXAMPLE_QUICK=1: fewer bags, for the tests)
Prints the test accuracy and exits with status 1 (a ``RuntimeError``) if it is below 0.95.
"""

# %%
# Bags of bit patterns
# --------------------
# Bags are padded to 24 instances; ``pad`` marks the padding (True = no instance). Every
# second bag is positive and holds the planted pattern, with 2 bits flipped, at a random
# position. ``HOPFIELD_EXAMPLE_QUICK=1`` uses 256 training bags, 300 test bags and 8 epochs
# instead of 1024, 1000 and 10.

import os

import matplotlib.pyplot as plt
import torch

from hopfield.nn import HopfieldPooling

QUICK = os.environ.get("HOPFIELD_EXAMPLE_QUICK") == "1"
N_BITS, MIN_BAG, MAX_BAG, FLIPS = 32, 8, 24, 2
N_TRAIN, N_TEST, EPOCHS = (256, 300, 8) if QUICK else (1024, 1000, 10)

gen = torch.Generator().manual_seed(0)
torch.manual_seed(0)
planted = torch.randint(0, 2, (N_BITS,), generator=gen).float() * 2 - 1


def bags(count: int):
    """Bags (count, MAX_BAG, N_BITS), their padding masks (True = no instance) and labels."""
    x = torch.randint(0, 2, (count, MAX_BAG, N_BITS), generator=gen).float() * 2 - 1
    sizes = torch.randint(MIN_BAG, MAX_BAG + 1, (count,), generator=gen)
    pad = torch.arange(MAX_BAG)[None] >= sizes[:, None]
    labels = torch.arange(count) % 2
    for i in torch.nonzero(labels).squeeze(1):
        where = int(torch.randint(0, int(sizes[i]), (1,), generator=gen))
        copy = planted.clone()
        copy[torch.randperm(N_BITS, generator=gen)[:FLIPS]] *= -1
        x[i, where] = copy
    return x, pad, labels.float()


# %%
# The model
# ---------
# ``HopfieldPooling`` holds one learned query (in 4 heads of width 16) that retrieves a vector
# from the bag; a linear layer turns it into a logit.


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = HopfieldPooling(N_BITS, quantity=1, num_heads=4, hidden_size=16)
        self.out = torch.nn.Linear(N_BITS, 1)

    def forward(self, x, pad):
        return self.out(self.pool(x, key_padding_mask=pad)).squeeze(-1)


# %%
# Training
# --------
# AdamW on the binary cross-entropy, in mini-batches of 64 bags; the mean loss of each epoch
# is kept for the figure.

x_train, pad_train, y_train = bags(N_TRAIN)
x_test, pad_test, y_test = bags(N_TEST)
model = Classifier()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
loss_fn = torch.nn.BCEWithLogitsLoss()
losses = []
for _ in range(EPOCHS):
    model.train()
    order = torch.randperm(N_TRAIN, generator=gen)
    epoch_loss = []
    for start in range(0, N_TRAIN, 64):
        idx = order[start : start + 64]
        opt.zero_grad()
        loss = loss_fn(model(x_train[idx], pad_train[idx]), y_train[idx])
        loss.backward()
        opt.step()
        epoch_loss.append(loss.item())
    losses.append(sum(epoch_loss) / len(epoch_loss))

# %%
# Testing
# -------
# A bag is called positive when its logit is above 0.

model.eval()
with torch.no_grad():
    logits = model(x_test, pad_test)
    acc = float(((logits > 0).float() == y_test).float().mean())
print(
    f"bags of {MIN_BAG}-{MAX_BAG} patterns of {N_BITS} bits, {N_TRAIN} for training, "
    f"{EPOCHS} epochs"
)
print(f"test accuracy {acc:.3f} on {N_TEST} bags")

# %%
# The figure
# ----------
# Left: the training loss per epoch. Right: the test bags' logits; bags with the planted
# pattern end up on the positive side of 0, bags without it on the negative side.

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
left.plot(range(1, EPOCHS + 1), losses, marker="o")
left.set_xlabel("epoch")
left.set_ylabel("mean training loss")
left.set_title("binary cross-entropy", fontsize=10)
for label, name in ((0, "no planted pattern"), (1, "planted pattern")):
    right.hist(logits[y_test == label].numpy(), bins=30, alpha=0.6, label=name)
right.axvline(0, color="black", linewidth=0.8)
right.set_xlabel("logit")
right.set_ylabel("test bags")
right.set_title(f"test accuracy {acc:.3f}", fontsize=10)
right.legend(fontsize=8)
plt.show()

if acc < 0.95:
    raise RuntimeError(f"test accuracy {acc:.3f} is below 0.95")

"""
The hidden-neuron network in its three limits
=============================================

Krotov & Hopfield's general network in its three limits, each recalling a corrupted memory.

Model A (binary features, L_h = Σ F(h)) is the dense associative memory; model B (linear
features, L_h = log-sum-exp) is the modern Hopfield network, and one Euler step of length τ_f is
Ramsauer's update; model C (divisive normalisation) is the spherical memory. The printed energies
fall along each trajectory.

Run: python examples/hidden_limits.py
"""

# %%
# Helpers
# -------
# ``show`` prints the energy at geometrically spaced times along a recall (it falls fastest
# at the start) and the cosine of the cue and of the recalled state with the memory.

import matplotlib.pyplot as plt
import numpy as np

import hopfield as hf
from hopfield.functions import RectifiedPolynomial
from hopfield.models.hidden import HiddenNeuronNetwork

CUBIC = RectifiedPolynomial(3)  # F(x) = max(x, 0)³, Krotov & Hopfield (2016)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def show(name: str, r: hf.Recall, cue: np.ndarray, target: np.ndarray) -> None:
    times, energies = r.extras["times"], r.energies
    # Geometrically spaced samples: the energy falls fastest at the start.
    rows = sorted({0, len(times) - 1} | {2**k for k in range(12) if 2**k < len(times) - 1})
    rows = rows if len(rows) <= 7 else rows[:6] + rows[-1:]
    trace = "  ".join(f"t={times[i]:.3g}: {energies[i]:.4g}" for i in rows)
    print(f"{name}\n  energy  {trace}")
    before, after = cosine(cue, target), cosine(r.states, target)
    print(f"  cosine with the memory: cue {before:.3f}, recalled {after:.4f}")


# %%
# Model A: the dense associative memory
# -------------------------------------
# Ten random ±1 memories of 100 bits, binary features with the cubic F. The cue is memory 0
# with a quarter of its bits flipped.

rng = np.random.default_rng(0)
binary = hf.patterns.random(10, 100, rng=rng).astype(np.float64)
cue = hf.patterns.flip(binary[0], 0.25, rng=rng).astype(np.float64)

net_a = HiddenNeuronNetwork.model_a(CUBIC).store(binary)
r = net_a.recall(cue)
show("model A (dense associative memory), 25% of the bits flipped", r, cue, binary[0])
print(f"  sign of v equals the memory: {bool((np.sign(r.states) == binary[0]).all())}")
recalls = {"model A (dense associative memory)": r}

# %%
# Model B: the modern Hopfield network
# ------------------------------------
# Fifty real-valued memories of 64 numbers; the cue is memory 3 plus Gaussian noise. One
# Euler step of length τ_f is Ramsauer's update; the continuous flow (RK45) reaches the
# memory too.

real = rng.standard_normal((50, 64))
noisy = real[3] + 0.8 * rng.standard_normal(64)
net_b = HiddenNeuronNetwork.model_b(beta=0.5).store(real)
r = net_b.recall(noisy, dt=1.0, t_max=1.0)
show("model B (modern Hopfield), one step of dt = tau_f", r, noisy, real[3])
recalls["model B, one step of dt = tau_f"] = r
r = net_b.recall(noisy, method="rk45")
show("model B, the continuous flow", r, noisy, real[3])
recalls["model B, the continuous flow"] = r

# %%
# Model C: the spherical memory
# -----------------------------
# Divisive normalisation of the hidden layer. The cue of model A, scaled down by 100: model
# C's energy ignores the length of v, so a faint cue is enough.

net_c = HiddenNeuronNetwork.model_c(CUBIC).store(binary)
r = net_c.recall(0.01 * cue)  # a faint cue: model C's energy ignores the length of v
show("model C (spherical memory), the same cue scaled by 0.01", r, cue, binary[0])
recalls["model C (spherical memory)"] = r

# %%
# The figure
# ----------
# The energy of the visible and hidden neurons along each trajectory, against time in units
# of τ_f (linear up to 0.1, logarithmic beyond): it never rises.

fig, axes = plt.subplots(2, 2, figsize=(9, 6), layout="constrained")
for ax, (name, r) in zip(axes.flat, recalls.items(), strict=True):
    hf.plot.energy_curves(r, ax=ax)
    ax.set_title(name, fontsize=10)
    ax.set_xscale("symlog", linthresh=0.1)
    ax.set_xlabel("time (units of τ_f)")
plt.show()

"""Krotov & Hopfield's general network in its three limits, each recalling a corrupted memory.

Model A (binary features, L_h = Σ F(h)) is the dense associative memory; model B (linear
features, L_h = log-sum-exp) is the modern Hopfield network, and one Euler step of length τ_f is
Ramsauer's update; model C (divisive normalisation) is the spherical memory. The printed energies
fall along each trajectory.

Run: python examples/hidden_limits.py
"""

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


rng = np.random.default_rng(0)
binary = hf.patterns.random(10, 100, rng=rng).astype(np.float64)
cue = hf.patterns.flip(binary[0], 0.25, rng=rng).astype(np.float64)

net_a = HiddenNeuronNetwork.model_a(CUBIC).store(binary)
r = net_a.recall(cue)
show("model A (dense associative memory), 25% of the bits flipped", r, cue, binary[0])
print(f"  sign of v equals the memory: {bool((np.sign(r.states) == binary[0]).all())}")

real = rng.standard_normal((50, 64))
noisy = real[3] + 0.8 * rng.standard_normal(64)
net_b = HiddenNeuronNetwork.model_b(beta=0.5).store(real)
show(
    "model B (modern Hopfield), one step of dt = tau_f",
    net_b.recall(noisy, dt=1.0, t_max=1.0),
    noisy,
    real[3],
)
show("model B, the continuous flow", net_b.recall(noisy, method="rk45"), noisy, real[3])

net_c = HiddenNeuronNetwork.model_c(CUBIC).store(binary)
r = net_c.recall(0.01 * cue)  # a faint cue: model C's energy ignores the length of v
show("model C (spherical memory), the same cue scaled by 0.01", r, cue, binary[0])

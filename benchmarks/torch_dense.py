"""The dense associative memory on PyTorch tensors against bare torch GEMMs (group ``torch``).

Memories: K random ±1 patterns of N neurons stored as a tensor; cues: stored patterns with 10%
of their bits flipped, as a tensor on the same device. Interactions: ``Polynomial(3)``,
``RectifiedPolynomial(3)`` and ``Exponential(1/√N)``, at the default float64 precision.

References:
    two GEMMs  the products a synchronous sweep cannot avoid, in bare torch on the same device
               and with the same shapes and dtypes as ours: the float32 overlaps ``S Xᵀ``
               (B×N by N×K) and a float64 (B×K by K×N) product. Target: the sweep <= 2.5 ×.
    The public ``recall(update="sync", max_steps=1)`` is timed against the same two GEMMs;
    it also computes the overlaps of the new state for its energy (a third product).

Checks: the sweep's gaps and the recalled states equal those of the NumPy model on the same
inputs (the NumPy path is itself checked against the definition in ``benchmarks/dense.py``):
gaps to 1e-12 of their scale (exactly, for the polynomials), states bit for bit. CUDA cases run
when a GPU is present and are reported as not runnable otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import torch

import hopfield as hf

from ._harness import Case, Skip, Target

SEED = 11
FLIP = 0.1
B, K, N = 256, 10_000, 512


def interactions(n: int) -> dict[str, object]:
    return {
        "cube": hf.Polynomial(3),
        "poly3": hf.RectifiedPolynomial(3),
        "exp": hf.Exponential(1.0 / np.sqrt(n)),
    }


@dataclass
class Inputs:
    x32: torch.Tensor  # (K, N) float32 ±1 memories on the device
    x64: torch.Tensor  # the same, float64
    cues: torch.Tensor  # (B, N) int8 cues on the device
    s: torch.Tensor  # the same, float64
    model: hf.DenseAssociativeMemory
    reference: hf.DenseAssociativeMemory  # the NumPy model, for the check
    device: str


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _inputs(name: str, device: str) -> Inputs:
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise Skip("no CUDA device")
    f = interactions(N)[name]
    x = hf.patterns.random(K, N, rng=SEED)
    cues = hf.patterns.flip(x[np.arange(B) % K], FLIP, rng=SEED + 1)
    xt = torch.as_tensor(x, device=device)
    ct = torch.as_tensor(cues, device=device)
    model = hf.DenseAssociativeMemory(f).store(xt)
    return Inputs(
        xt.float(),
        xt.double(),
        ct,
        ct.double(),
        model,
        hf.DenseAssociativeMemory(f).store(x),
        device,
    )


def two_gemms(inp: Inputs) -> torch.Tensor:
    """Bare torch: float32 (B×N)(N×K), then float64 (B×K)(K×N)."""
    m = inp.cues.float() @ inp.x32.T
    out = m.double() @ inp.x64
    _sync(inp.device)
    return out


def _sweep(inp: Inputs):
    out = inp.model._gap_and_energy(inp.s)
    _sync(inp.device)
    return out


def _public(inp: Inputs) -> hf.Recall:
    out = inp.model.recall(inp.cues, update="sync", max_steps=1)
    _sync(inp.device)
    return out


def _check_sweep(inp: Inputs, ours, ref) -> str:
    gap, energy = (a.cpu().numpy() for a in ours)
    want, want_e = inp.reference._gap_and_energy(inp.s.cpu().numpy())
    scale = max(1.0, float(np.abs(want).max()))
    err = float(np.abs(gap - want).max()) / scale
    assert err <= 1e-12, f"gaps differ from NumPy's by {err:.2g} of their scale"
    assert np.allclose(energy, want_e, rtol=1e-12, atol=0), "energies differ from NumPy's"
    return f"gaps equal the NumPy model's to {err:.0g} of their scale; the GEMMs compute no gaps"


def _check_public(inp: Inputs, ours: hf.Recall, ref) -> str:
    want = inp.reference.recall(inp.cues.cpu().numpy(), update="sync", max_steps=1)
    wrong = int((ours.states.cpu().numpy() != want.states).sum())
    assert wrong == 0, f"{wrong} neuron states differ from the NumPy model's"
    err = float(np.abs(ours.energies.cpu().numpy() - want.energies).max())
    assert err <= 1e-12 * float(np.abs(want.energies).max()), f"energies differ by {err:.2g}"
    return "states equal the NumPy model's bit for bit, energies to 1e-12; includes a 3rd GEMM"


def cases(quick: bool = False) -> list[Case]:
    """Sweep and public sync call at B=256, K=10000, N=512 per interaction, CPU and CUDA."""
    out = []
    for device in ("cpu", "cuda"):
        for name, f in interactions(N).items():
            setup = partial(_inputs, name, device)
            params = {"B": B, "K": K, "N": N, "interaction": repr(f), "device": device}
            params["torch"] = torch.__version__
            out += [
                Case(
                    f"dense {name} sweep vs two GEMMs, {device}",
                    setup,
                    _sweep,
                    two_gemms,
                    _check_sweep,
                    target=Target("ratio", 2.5),
                    params=params,
                ),
                Case(
                    f"dense {name} recall(sync, 1 sweep) vs two GEMMs, {device}",
                    setup,
                    _public,
                    two_gemms,
                    _check_public,
                    params=params,
                ),
            ]
    return out

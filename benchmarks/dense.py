"""The dense associative memory against the GEMM floor and against energy differences.

Memories: K random ±1 patterns of N neurons; cues: stored patterns with 10% of their bits
flipped. Two interactions: ``RectifiedPolynomial(3)`` and ``Exponential(β)`` with β = 1/√N (a
random overlap then weighs about exp(±3) and a recalled pattern exp(√N): one memory dominates
near a pattern, many contribute elsewhere).

References:
    floor   the two GEMMs a synchronous sweep cannot avoid: the overlaps ``S Xᵀ`` (B×N by N×K)
            and a per-memory weighting mapped back to neurons (B×K by K×N), in float64 as our
            kernels compute. Nothing is faster than these; the target is ours <= 3 × floor.
    naive   the definition: ``gap_i = E(σ_i = −1) − E(σ_i = +1)`` from the overlaps without
            neuron i, ``r = m − σ_i ξ_i``, as ``Σ_μ F(r + ξ_iμ) − F(r − ξ_iμ)`` (log-sum-exps for
            the exponential), one neuron at a time, vectorised over cues and memories. A full
            sweep costs minutes, so it runs on a few neurons and its time is scaled to N.
    two products  what a synchronous ``recall(update="sync", max_steps=1)`` cannot avoid: the
            float32 overlap product ``S Xᵀ`` (exact for ±1) and one float64 product of per-memory
            weights with X (B×K by K×N). The public call, energies of both states included,
            is held to <= 2.5 × these, for every interaction (x³, max(x, 0)³, exp).
    async   one asynchronous sweep per cue in a Python loop over neurons: the overlaps m of the
            cue are kept, each visit computes the gap from m in O(K), a flip updates m by
            ``2 s_i ξ_i`` in O(K). Same random orders as ours (one ``rng.permuted`` per batch).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

import hopfield as hf
from hopfield.functions import EXPONENTIAL

from ._harness import Case, Target

SEED = 11
FLIP = 0.1
B, K, N = 256, 10_000, 512
SCALING_K = (1250, 2500, 5000, 10_000, 20_000)
NAIVE_NEURONS = 16  # neurons the naive reference visits; its time is scaled by N / this
ASYNC_B, ASYNC_K, ASYNC_N = 50, 2000, 100


def interactions(n: int) -> dict[str, object]:
    return {
        "poly3": hf.RectifiedPolynomial(3),
        "exp": hf.Exponential(1.0 / np.sqrt(n)),
        "cube": hf.Polynomial(3),
    }


@dataclass
class Inputs:
    x: np.ndarray  # (K, N) float64 ±1 memories
    x32: np.ndarray  # the same, float32
    s: np.ndarray  # (B, N) float64 ±1 states
    cues: np.ndarray  # the same states, int8
    model: hf.DenseAssociativeMemory
    f: object  # the interaction
    neurons: np.ndarray  # the neurons the naive reference visits
    tol: float  # tie tolerance, from the definition (1e-9 of the largest possible gap)


def _inputs(k: int, n: int, b: int, name: str) -> Inputs:
    f = interactions(n)[name]
    x = hf.patterns.random(k, n, rng=SEED)
    cues = hf.patterns.flip(x[np.arange(b) % k], FLIP, rng=SEED + 1)
    model = hf.DenseAssociativeMemory(f).store(x)
    neurons = np.random.default_rng(SEED + 2).choice(n, size=min(NAIVE_NEURONS, n), replace=False)
    return Inputs(
        x.astype(np.float64),
        x.astype(np.float32),
        cues.astype(np.float64),
        cues,
        model,
        f,
        neurons,
        _tolerance(f, k, n),
    )


def _tolerance(f, k: int, n: int) -> float:
    if f._code == EXPONENTIAL:
        return 2e-9  # log-scale gaps lie in [-2, 2]
    return 1e-9 * k * float(max(abs(f(n) - f(n - 2.0)), abs(f(2.0 - n) - f(-n))))


def _lse(z: np.ndarray) -> np.ndarray:
    top = z.max(axis=-1, keepdims=True)
    return top[..., 0] + np.log(np.exp(z - top).sum(axis=-1))


def naive_gaps(x: np.ndarray, s: np.ndarray, f, neurons: np.ndarray) -> np.ndarray:
    """``E(σ_i = −1) − E(σ_i = +1)`` for the given neurons, straight from the definition."""
    m = s @ x.T
    out = np.empty((len(s), len(neurons)))
    exponential = f._code == EXPONENTIAL
    for j, i in enumerate(neurons):
        xi = x[:, i]
        r = m - s[:, i : i + 1] * xi  # overlaps without neuron i
        if exponential:
            out[:, j] = (_lse(f.beta * (r + xi)) - _lse(f.beta * (r - xi))) / f.beta
        else:
            out[:, j] = (f(r + xi) - f(r - xi)).sum(axis=1)
    return out


def floor(inp: Inputs) -> np.ndarray:
    """Two bare float64 GEMMs of a sweep's sizes: (B×N)(N×K), then (B×K)(K×N)."""
    return (inp.s @ inp.x.T) @ inp.x


def _ours_hook(inp: Inputs):
    return inp.model._gap_and_energy(inp.s)


def _ours_public(inp: Inputs) -> hf.Recall:
    return inp.model.recall(inp.cues, update="sync", max_steps=1)


def two_products(inp: Inputs) -> np.ndarray:
    """The float32 overlap product and one float64 (B×K)(K×N) product: what a sweep needs."""
    m = inp.cues.astype(np.float32) @ inp.x32.T
    return m.astype(np.float64) @ inp.x


def _check_public_energies(inp: Inputs, ours: hf.Recall, ref: np.ndarray) -> str:
    note = _check_public(inp, ours, ref)
    m = ours.states.astype(np.float64) @ inp.x.T
    if inp.f._code == EXPONENTIAL:
        direct = inp.f.log_energy(m)
    else:
        direct = -np.asarray(inp.f(m)).sum(axis=1)
    gap = float(np.abs(ours.energies[:, -1] - direct).max() / np.abs(direct).max())
    assert gap <= 1e-12, f"final energies differ from -sum F(m) by {gap:.2g} of their scale"
    return f"{note}; the final energies equal -sum F(X s) to {gap:.0g}"


def _naive(inp: Inputs) -> np.ndarray:
    return naive_gaps(inp.x, inp.s, inp.f, inp.neurons)


def _agree(inp: Inputs, ours: np.ndarray, naive: np.ndarray) -> str:
    scale = max(float(np.abs(naive).max()), 1.0)
    gap = float(np.abs(ours - naive).max()) / scale
    assert gap <= 1e-9, f"gaps differ from the naive ones by {gap:.3g} of their scale"
    signs = np.sign(np.where(np.abs(naive) <= inp.tol, 0.0, naive))
    same = np.sign(np.where(np.abs(ours) <= inp.tol, 0.0, ours)) == signs
    assert same.all(), f"{int((~same).sum())} gap signs differ from the naive ones"
    return f"gaps equal the naive ones to {gap:.1g} of their scale on {len(inp.neurons)} neurons"


def _check_vs_floor(inp: Inputs, ours, ref: np.ndarray) -> str:
    note = _agree(inp, ours[0][:, inp.neurons], naive_gaps(inp.x, inp.s, inp.f, inp.neurons))
    return f"{note}; the floor computes no gaps (two bare GEMMs)"


def _check_vs_naive(inp: Inputs, ours, ref: np.ndarray) -> str:
    note = _agree(inp, ours[0][:, inp.neurons], ref)
    return (
        f"{note}; the naive time is for {len(inp.neurons)} neurons, scaled by "
        f"{inp.s.shape[1] / len(inp.neurons):g} to a full sweep"
    )


def _check_public(inp: Inputs, ours: hf.Recall, ref: np.ndarray) -> str:
    naive = naive_gaps(inp.x, inp.s, inp.f, inp.neurons)
    old = inp.s[:, inp.neurons]
    expected = np.where(naive > inp.tol, 1, np.where(naive < -inp.tol, -1, old))
    wrong = int((ours.states[:, inp.neurons] != expected).sum())
    assert wrong == 0, f"{wrong} neuron states differ from sign(naive gap)"
    return (
        f"one sync sweep sets the {len(inp.neurons)} sampled neurons to sign(naive gap); the call "
        "also computes the energy of the new state (a second pass of gaps)"
    )


def naive_async_sweep(x: np.ndarray, cues: np.ndarray, f, tol: float, rng) -> np.ndarray:
    """One asynchronous sweep per cue, overlaps kept and updated in O(K) per flip."""
    s = cues.astype(np.float64)
    b, n = s.shape
    orders = rng.permuted(np.broadcast_to(np.arange(n), (b, n)), axis=1)
    exponential = f._code == EXPONENTIAL
    xt = np.ascontiguousarray(x.T)
    for c in range(b):
        sc = s[c]
        m = x @ sc
        for i in orders[c].tolist():
            xi = xt[i]
            r = m - sc[i] * xi
            if exponential:
                gap = (_lse(f.beta * (r + xi)) - _lse(f.beta * (r - xi))) / f.beta
            else:
                gap = float((f(r + xi) - f(r - xi)).sum())
            new = 1.0 if gap > tol else -1.0 if gap < -tol else sc[i]
            if new != sc[i]:
                m += (new - sc[i]) * xi
                sc[i] = new
    return s.astype(np.int8)


def _check_async(inp: Inputs, ours: hf.Recall, ref: np.ndarray) -> str:
    wrong = int((ours.states != ref).any(axis=1).sum())
    assert wrong == 0, f"{wrong} of {len(ref)} cues differ after one sweep in the same order"
    flips = int((ref != inp.cues).sum())
    return f"same states after one sweep in the same random orders ({flips} flips in all)"


def cases(quick: bool = False) -> list[Case]:
    """Sync sweep at B=256, K=10000, N=512 (floor, naive, public path), K scaling, async."""
    out = []
    params = {"B": B, "K": K, "N": N}
    for name in ("poly3", "exp"):
        setup = partial(_inputs, K, N, B, name)
        fparams = {**params, "interaction": repr(interactions(N)[name])}
        out += [
            Case(
                f"{name} sweep vs floor (2 GEMMs)",
                setup,
                _ours_hook,
                floor,
                _check_vs_floor,
                target=Target("ratio", 3.0),
                series="sweep poly3 vs K" if name == "poly3" else None,
                size=K,
                params=fparams,
            ),
            Case(
                f"{name} sweep vs naive gaps",
                setup,
                _ours_hook,
                _naive,
                _check_vs_naive,
                reference_scale=N / NAIVE_NEURONS,
                params=fparams,
            ),
            Case(
                f"{name} recall(sync, 1 sweep) vs floor",
                setup,
                _ours_public,
                floor,
                _check_public,
                params=fparams,
            ),
        ]
    for name in ("cube", "poly3", "exp"):
        f = interactions(N)[name]
        out.append(
            Case(
                f"{name} recall(sync, 1 sweep) vs its two products",
                partial(_inputs, K, N, B, name),
                _ours_public,
                two_products,
                _check_public_energies,
                target=Target("ratio", 2.5),
                params={**params, "interaction": repr(f)},
            )
        )
    for k in (k for k in SCALING_K if k != K):  # K itself is the poly3 floor case above
        out.append(
            Case(
                f"poly3 sweep K={k} vs floor",
                partial(_inputs, k, N, B, "poly3"),
                _ours_hook,
                floor,
                _check_vs_floor,
                series="sweep poly3 vs K",
                size=k,
                params={"B": B, "K": k, "N": N},
            )
        )
    for name in ("poly3", "exp"):
        out.append(
            Case(
                f"{name} async sweep N={ASYNC_N} K={ASYNC_K}",
                setup=partial(_inputs, ASYNC_K, ASYNC_N, ASYNC_B, name),
                ours=lambda inp: inp.model.recall(inp.cues, update="async", max_steps=1, rng=SEED),
                reference=lambda inp: naive_async_sweep(
                    inp.x, inp.cues, inp.f, inp.tol, np.random.default_rng(SEED)
                ),
                check=_check_async,
                per=ASYNC_B,
                unit="ms/cue",
                params={"B": ASYNC_B, "K": ASYNC_K, "N": ASYNC_N, "sweeps": 1},
            )
        )
    return out

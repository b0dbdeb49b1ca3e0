"""hopfield.nn against torch.nn.MultiheadAttention and an hflayers-style iteration.

Sizes (the issue's): B = 32 sequences, L = S = 1,024, model width d = 64, 8 heads (head width
8), float32, self-attention; forward and backward (``out.sum().backward()``), training mode.

References:
    mha        ``torch.nn.MultiheadAttention(64, 8, batch_first=True)`` called with
               ``need_weights=False`` (its fused path; with the default ``need_weights=True``
               it materialises and averages the weights), with the same weights as ours.
               Target: ours <= 1.1x.
    hflayers   a plain-torch reimplementation of hflayers' iteration with
               ``update_steps_max=3``: the same projections, then three updates
               ``A = softmax(β ξ Kᵀ)`` (materialised (B·H, L, S)), ``ξ ← A K``, stopping only
               when the whole batch has converged, and the read ``A V`` with the last weights.
               Ours is ``HopfieldAttention(steps=3)``. Target: ours faster (speedup >= 1).
    peak       peak resident memory added by one forward + backward of each side, each in a fresh
               process (``python -m benchmarks.nn --peak CASE SIDE``), as benchmarks.modern
               measures it (VmHWM after resetting it once the inputs are built).
    million    one retrieval (no autograd) over S = 1,000,000 memories, d = 128, B = 1,024
               queries: ``HopfieldRetrieval(chunk_size=16384)`` against the plain
               ``softmax(β Q Xᵀ) X`` (in place, so it holds the 4 GiB of scores once).
               Target: ours adds < 1024 MiB.
    cuda       with a CUDA device: the mha and hflayers cases on it, float32 and bfloat16.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import torch

from hopfield.nn import HopfieldAttention, HopfieldRetrieval

from ._harness import Case, Skip, Target

SEED = 7
B, L, D, HEADS, STEPS = 32, 1024, 64, 8, 3
MIL_B, MIL_S, MIL_D, CHUNK = 1024, 1_000_000, 128, 16384
MIB = 2**20


@dataclass
class Inputs:
    x: torch.Tensor
    ours: HopfieldAttention
    mha: torch.nn.MultiheadAttention


def _layers(steps: int, device: str, dtype: torch.dtype, b: int = B, n: int = L) -> Inputs:
    gen = torch.Generator().manual_seed(SEED)
    x = torch.randn(b, n, D, generator=gen).to(device=device, dtype=dtype)
    ours = HopfieldAttention(D, num_heads=HEADS, steps=steps, eps=0.0, device=device, dtype=dtype)
    mha = torch.nn.MultiheadAttention(D, HEADS, batch_first=True, device=device, dtype=dtype)
    with torch.no_grad():  # the same weights on both sides
        mha.in_proj_weight.copy_(
            torch.cat([ours.query_proj.weight, ours.key_proj.weight, ours.value_proj.weight])
        )
        mha.in_proj_bias.copy_(
            torch.cat([ours.query_proj.bias, ours.key_proj.bias, ours.value_proj.bias])
        )
        mha.out_proj.weight.copy_(ours.out_proj.weight)
        mha.out_proj.bias.copy_(ours.out_proj.bias)
    return Inputs(x.requires_grad_(), ours, mha)


def _train_step(module_call, inp: Inputs):
    inp.x.grad = None
    out = module_call(inp)
    out.float().sum().backward()
    return out.detach(), inp.x.grad.detach().clone()


def _ours(inp: Inputs):
    return _train_step(lambda i: i.ours(i.x), inp)


def _mha(inp: Inputs):
    return _train_step(lambda i: i.mha(i.x, i.x, i.x, need_weights=False)[0], inp)


def hflayers_iteration(layer: HopfieldAttention, x: torch.Tensor, steps: int, eps: float = 0.0):
    """hflayers' update loop in plain torch: materialised weights, batch-wide stopping."""
    b, n, _ = x.shape
    h, d = layer.num_heads, layer.hidden_size

    def heads(t):
        return t.view(b, n, h, -1).transpose(1, 2).reshape(b * h, n, -1)

    xi, k, v = heads(layer.query_proj(x)), heads(layer.key_proj(x)), heads(layer.value_proj(x))
    for _ in range(steps):
        a = torch.softmax(layer.beta * torch.bmm(xi, k.transpose(1, 2)), dim=-1)
        new = torch.bmm(a, k)
        done = bool(((new - xi).norm(dim=-1) <= eps).all())  # the whole batch, or no one
        xi = new
        if done:
            break
    out = torch.bmm(a, v).view(b, h, n, -1).transpose(1, 2).reshape(b, n, h * d)
    return layer.out_proj(out)


def _hflayers(inp: Inputs):
    return _train_step(lambda i: hflayers_iteration(i.ours, i.x, STEPS), inp)


def _check(inp: Inputs, ours, ref) -> str:
    notes = []
    for what, a, r in (("outputs", ours[0], ref[0]), ("input gradients", ours[1], ref[1])):
        scale = float(r.abs().max())
        gap = float((a.float() - r.float()).abs().max()) / scale
        tol = 3e-2 if a.dtype == torch.bfloat16 else 1e-4
        assert gap <= tol, f"{what} differ by {gap:.3g} of their scale"
        notes.append(f"{what} agree to {gap:.1g}")
    return ", ".join(notes) + f" of their scale ({ours[0].dtype})"


# -- peak memory, each side in a fresh process -------------------------------------------------
def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise OSError(f"/proc/self/status has no {field}")


def _peak(case: str, side: str) -> dict:
    """Build the inputs, reset the high-water mark, run once, report what the run added."""
    torch.manual_seed(SEED)
    if case == "million":
        gen = torch.Generator().manual_seed(SEED)
        x = torch.randn(MIL_S, MIL_D, generator=gen)
        q = x[torch.randint(0, MIL_S, (MIL_B,), generator=gen)] + 0.5 * torch.randn(
            MIL_B, MIL_D, generator=gen
        )
        beta = 1.0 / math.sqrt(MIL_D)
        run = partial(_million_ours if side == "ours" else _million_plain, q, x, beta)
    else:
        inp = _layers(STEPS if case == "hflayers" else 1, "cpu", torch.float32)
        run = partial({"ours": _ours, "mha": _mha, "hflayers": _hflayers}[side], inp)
    Path("/proc/self/clear_refs").write_text("5")
    before = _vm("VmRSS")
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    peak = _vm("VmHWM")
    first = result if isinstance(result, torch.Tensor) else result[0]
    return {
        "added_MiB": (peak - before) / MIB,
        "seconds": seconds,
        "head": first.reshape(-1)[:4096].tolist(),
    }


@torch.no_grad()
def _million_ours(q, x, beta):
    return HopfieldRetrieval(beta, chunk_size=CHUNK)(q, x)


@torch.no_grad()
def _million_plain(q, x, beta):
    s = (q * beta) @ x.T
    s -= s.amax(1, keepdim=True)
    s.exp_()
    s /= s.sum(1, keepdim=True)
    return s @ x


def _peak_inputs(case: str, sides: tuple[str, str]) -> dict:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        _vm("VmHWM")
    except OSError as err:
        raise Skip(f"no way to reset the peak RSS here ({err})") from None
    runs = {}
    for side in sides:
        cmd = [sys.executable, "-m", "benchmarks.nn", "--peak", case, side]
        done = subprocess.run(
            cmd, capture_output=True, text=True, cwd=Path(__file__).parent.parent, timeout=1200
        )
        if done.returncode != 0:
            raise AssertionError(f"the {side} process failed: {done.stderr.strip()[-400:]}")
        runs[side] = json.loads(done.stdout.strip().splitlines()[-1])
    return runs


def _check_peak(runs: dict, ours, ref) -> str:
    a, r = (torch.tensor(runs[s]["head"]) for s in runs)
    gap = float((a - r).abs().max() / r.abs().max())
    assert gap <= 1e-4, f"the first outputs differ by {gap:.3g} of their scale"
    times = ", ".join(f"{s} {runs[s]['seconds']:.2f} s" for s in runs)
    return f"first 4096 outputs agree to {gap:.1g} of their scale; one run took {times}"


def _peak_measure(sides: tuple[str, str], runs: dict) -> dict[str, float]:
    return {"ours": runs[sides[0]]["added_MiB"], "reference": runs[sides[1]]["added_MiB"]}


def _peak_case(case: str, reference: str, target: Target | None, params: dict) -> Case:
    sides = ("ours", reference)
    return Case(
        f"peak memory added, {case}",
        partial(_peak_inputs, case, sides),
        ours=lambda runs: None,
        reference=lambda runs: None,
        check=_check_peak,
        unit="MiB",
        target=target,
        measure=partial(_peak_measure, sides),
        params=params,
    )


def _cuda_setup(steps: int, dtype: torch.dtype) -> Inputs:
    if not torch.cuda.is_available():
        raise Skip("no CUDA device")
    return _layers(steps, "cuda", dtype)


def _synced(fn, inp):
    out = fn(inp)
    torch.cuda.synchronize()
    return out


def cases(quick: bool = False) -> list[Case]:
    """fwd+bwd against MultiheadAttention and hflayers' iteration; peaks; 1M memories; CUDA."""
    params = {"B": B, "L": L, "S": L, "d": D, "heads": HEADS, "dtype": "float32"}
    out = [
        Case(
            f"fwd+bwd vs MultiheadAttention, B={B} L=S={L} d={D} h={HEADS}",
            partial(_layers, 1, "cpu", torch.float32),
            _ours,
            _mha,
            _check,
            target=Target("ratio", 1.1),
            params=params,
        ),
        Case(
            f"fwd+bwd {STEPS} steps vs hflayers-style iteration",
            partial(_layers, STEPS, "cpu", torch.float32),
            _ours,
            _hflayers,
            _check,
            target=Target("speedup", 1.0),
            params={**params, "steps": STEPS},
        ),
        _peak_case("mha", "mha", None, params),
        _peak_case("hflayers", "hflayers", None, {**params, "steps": STEPS}),
        _peak_case(
            "million",
            "plain",
            Target("ours", 1024.0),
            {"B": MIL_B, "S": MIL_S, "d": MIL_D, "chunk_size": CHUNK, "dtype": "float32"},
        ),
    ]
    for dtype in (torch.float32, torch.bfloat16):
        name = str(dtype).removeprefix("torch.")
        out += [
            Case(
                f"cuda {name} fwd+bwd vs MultiheadAttention",
                partial(_cuda_setup, 1, dtype),
                partial(_synced, _ours),
                partial(_synced, _mha),
                _check,
                target=Target("ratio", 1.1),
                params={**params, "dtype": name, "device": "cuda"},
            ),
            Case(
                f"cuda {name} fwd+bwd {STEPS} steps vs hflayers-style iteration",
                partial(_cuda_setup, STEPS, dtype),
                partial(_synced, _ours),
                partial(_synced, _hflayers),
                _check,
                target=Target("speedup", 1.0),
                params={**params, "dtype": name, "device": "cuda", "steps": STEPS},
            ),
        ]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.nn")
    parser.add_argument("--peak", nargs=2, metavar=("CASE", "SIDE"), required=True)
    args = parser.parse_args(argv)
    print(json.dumps(_peak(*args.peak)))


if __name__ == "__main__":
    main()

"""The modern Hopfield network on PyTorch tensors against PyTorch's own attention kernel.

Same inputs as the ``modern`` group (:func:`benchmarks.modern.make`: K standard normal memories
of N components, B noisy stored memories as queries, β = 1/√N), made into tensors.

References:
    sdpa    ``torch.nn.functional.scaled_dot_product_attention(q, X, X, scale=β)``: one softmax
            retrieval step as PyTorch's fused attention computes it, on the same tensors and
            device. ``ModernHopfield.retrieve`` computes the same ``Xᵀ softmax(β X q)`` and
            should cost at most 1.15 times as much (float32, torch CPU).
    memory  at K = 1,000,000, N = 128, B = 1024 on torch CPU, the peak resident memory one
            retrieval adds, each side in a fresh process (``python -m benchmarks._torch_modern
            --peak SIDE``), measured as the ``modern`` group does (VmHWM after a reset once
            the inputs are built). Ours streams the memories in chunks with a running
            log-sum-exp on the device; the target is under 1 GiB.
    cuda    with a GPU: the same retrieval on CUDA in float32 and bfloat16 against sdpa, each
            call synchronised, and the peak device memory one retrieval at K = 1,000,000 adds
            (``torch.cuda.max_memory_allocated``). Without a GPU these cases say so.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from hopfield.models.modern import ModernHopfield

from ._harness import Case, Skip, Target
from .modern import PEAK_B, PEAK_K, PEAK_N, B, K, N, _vm, make

MIB = 2**20


@dataclass
class Inputs:
    x: torch.Tensor  # (K, N) memories
    q: torch.Tensor  # (B, N) queries
    beta: float
    net: ModernHopfield
    sync: bool  # CUDA: wait for the kernels before the clock stops


def _inputs(k: int, n: int, b: int, device: str = "cpu", dtype=torch.float32) -> Inputs:
    if device == "cuda" and not torch.cuda.is_available():
        raise Skip("no CUDA GPU here")
    x_np, q_np = make(k, n, b)
    x = torch.as_tensor(x_np, device=device, dtype=dtype)
    q = torch.as_tensor(q_np, device=device, dtype=dtype)
    beta = 1.0 / np.sqrt(n)
    return Inputs(x, q, beta, ModernHopfield(beta).store(x), device == "cuda")


def sdpa(x: torch.Tensor, q: torch.Tensor, beta: float) -> torch.Tensor:
    """One softmax retrieval step with PyTorch's fused attention (one batch, one head)."""
    return F.scaled_dot_product_attention(q[None], x[None], x[None], scale=beta)[0]


def _done(inp: Inputs, out):
    if inp.sync:
        torch.cuda.synchronize()
    return out


def _reference(inp: Inputs) -> torch.Tensor:
    with torch.no_grad():
        return _done(inp, sdpa(inp.x, inp.q, inp.beta))


def _ours_retrieve(inp: Inputs) -> torch.Tensor:
    return _done(inp, inp.net.retrieve(inp.q))


def _ours_recall(inp: Inputs) -> torch.Tensor:
    return _done(inp, inp.net.recall(inp.q, max_steps=1).states)


def _agree(ours: torch.Tensor, ref: torch.Tensor, tol: float) -> str:
    assert isinstance(ours, torch.Tensor), f"ours returned {type(ours).__name__}"
    assert ours.dtype == ref.dtype and ours.device == ref.device, (
        f"ours is {ours.dtype} on {ours.device}, sdpa {ref.dtype} on {ref.device}"
    )
    scale = float(ref.float().abs().max())
    gap = float((ours.float() - ref.float()).abs().max()) / scale
    assert gap <= tol, f"states differ by {gap:.3g} of their scale (allowed {tol:g})"
    return f"{str(ours.dtype).removeprefix('torch.')} states on {ours.device} agree to {gap:.1g}"


def _check(tol: float, inp: Inputs, ours, ref) -> str:
    return _agree(ours, ref, tol)


# -- peak memory on the host, each side in its own process -------------------------------------
def _peak(side: str, k: int, n: int, b: int, out: Path) -> dict:
    """Build the tensors, reset the high-water mark, run one retrieval, report what it added."""
    x_np, q_np = make(k, n, b)
    x, q = torch.from_numpy(x_np), torch.from_numpy(q_np)
    beta = 1.0 / np.sqrt(n)
    net = ModernHopfield(beta).store(x) if side == "ours" else None
    if net is not None:
        del x, x_np  # ours holds its own copy; the caller's tensor could be freed
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    before = _vm("VmRSS")
    start = time.perf_counter()
    with torch.no_grad():
        result = net.retrieve(q) if net is not None else sdpa(x, q, beta)
    seconds = time.perf_counter() - start
    peak = _vm("VmHWM")
    np.save(out, result.numpy())
    return {"added_MiB": (peak - before) / MIB, "rss_before_MiB": before / MIB, "seconds": seconds}


def _peak_inputs() -> dict:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        _vm("VmHWM")
    except OSError as err:
        raise Skip(f"no way to reset the peak RSS here ({err})") from None
    tmp = Path(tempfile.mkdtemp(prefix="hopfield-torch-peak-"))
    runs = {}
    for side in ("ours", "reference"):
        path = tmp / f"{side}.npy"
        cmd = [sys.executable, "-m", "benchmarks._torch_modern", "--peak", side, "--out", str(path)]
        done = subprocess.run(
            cmd, capture_output=True, text=True, cwd=Path(__file__).parent.parent, timeout=900
        )
        if done.returncode != 0:
            raise AssertionError(f"the {side} process failed: {done.stderr.strip()[-400:]}")
        runs[side] = {**json.loads(done.stdout), "states": torch.from_numpy(np.load(path))}
        path.unlink()
    tmp.rmdir()
    return runs


def _float64_rows(rows: np.ndarray) -> np.ndarray:
    """The exact (float64) retrieval of some of the peak case's queries, memories in chunks."""
    x, q = make(PEAK_K, PEAK_N, PEAK_B)
    qb = q[rows].astype(np.float64) / np.sqrt(PEAK_N)
    step = 100_000
    s = np.concatenate([x[i : i + step].astype(np.float64) @ qb.T for i in range(0, PEAK_K, step)])
    p = np.exp(s - s.max(axis=0))
    p /= p.sum(axis=0)
    return sum(
        p[i : i + step].T @ x[i : i + step].astype(np.float64) for i in range(0, PEAK_K, step)
    )


def _check_peak(runs: dict, ours, ref) -> str:
    o, r = runs["ours"], runs["reference"]
    a, b = o["states"], r["states"]
    assert a.dtype == b.dtype == torch.float32, f"dtypes {a.dtype}, {b.dtype}"
    scale = float(b.abs().max())
    gaps = (a - b).abs().max(dim=1).values / scale
    # Summing a million weighted rows in float32 leaves either side some rounding: where they
    # differ most, both are measured against the exact float64 retrieval of those queries.
    rows = gaps.argsort(descending=True)[:4].numpy()
    exact = _float64_rows(rows)
    err_ours = float(np.abs(a[rows].double().numpy() - exact).max()) / scale
    err_ref = float(np.abs(b[rows].double().numpy() - exact).max()) / scale
    assert err_ours <= 1e-4, f"ours is {err_ours:.2g} of the scale from float64 on rows {rows}"
    note = (
        f"float32 states agree with sdpa to {float(gaps.max()):.1g} of their scale; on the 4 "
        f"rows where they differ most, ours is {err_ours:.1g} and sdpa {err_ref:.1g} from the "
        "float64 retrieval"
    )
    return (
        f"{note}; one retrieval took {o['seconds']:.2f} s (ours) and {r['seconds']:.2f} s "
        f"(sdpa); the B×K float32 scores alone would be {PEAK_B * PEAK_K * 4 / MIB:.0f} MiB; "
        f"memories {PEAK_K * PEAK_N * 4 / MIB:.0f} MiB, held before the mark was reset"
    )


def _peak_measure(runs: dict) -> dict[str, float]:
    # One fresh process per side is the measurement; every repeat reports it again.
    return {side: runs[side]["added_MiB"] for side in ("ours", "reference")}


# -- peak memory on a GPU, in this process -------------------------------------------------------
def _cuda_peak_inputs() -> dict:
    inp = _inputs(PEAK_K, PEAK_N, PEAK_B, "cuda")
    runs = {}
    for side, fn in (("ours", _ours_retrieve), ("reference", _reference)):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
        with torch.no_grad():
            states = fn(inp)
        added = (torch.cuda.max_memory_allocated() - before) / MIB
        runs[side] = {"added_MiB": added, "states": states}
    return runs


def _check_cuda_peak(runs: dict, ours, ref) -> str:
    note = _agree(runs["ours"]["states"], runs["reference"]["states"], 1e-4)
    return f"{note}; device memory one retrieval allocates beyond the inputs"


def cases(quick: bool = False) -> list[Case]:
    """sdpa comparison at B=256, K=10000, N=512 (CPU, and CUDA float32/bfloat16), peak memory."""
    params = {"B": B, "K": K, "N": N, "beta": "1/sqrt(N)"}
    out = []
    for device, dtype, tol in (
        ("cpu", torch.float32, 1e-4),
        ("cuda", torch.float32, 1e-3),  # TF32 may be on for matmuls
        ("cuda", torch.bfloat16, 3e-2),  # 8 bits of mantissa
    ):
        name = str(dtype).removeprefix("torch.")
        setup = partial(_inputs, K, N, B, device, dtype)
        p = {**params, "device": device, "dtype": name}
        out.append(
            Case(
                f"retrieve {device} {name} B={B} K={K} N={N} vs sdpa",
                setup,
                _ours_retrieve,
                _reference,
                partial(_check, tol),
                target=Target("ratio", 1.15),
                params=p,
            )
        )
        if dtype == torch.float32:
            out.append(
                Case(
                    f"recall(max_steps=1) {device} {name} B={B} K={K} N={N} vs sdpa",
                    setup,
                    _ours_recall,
                    _reference,
                    partial(_check, tol),
                    params=p,
                )
            )
    peak = {"B": PEAK_B, "K": PEAK_K, "N": PEAK_N, "dtype": "float32"}
    out.append(
        Case(
            f"peak memory added, cpu, K={PEAK_K:,} N={PEAK_N} B={PEAK_B}",
            _peak_inputs,
            ours=lambda runs: None,
            reference=lambda runs: None,
            check=_check_peak,
            unit="MiB",
            measure=_peak_measure,
            target=Target("ours", 1024),
            params={**peak, "device": "cpu"},
        )
    )
    out.append(
        Case(
            f"peak memory added, cuda, K={PEAK_K:,} N={PEAK_N} B={PEAK_B}",
            _cuda_peak_inputs,
            ours=lambda runs: None,
            reference=lambda runs: None,
            check=_check_cuda_peak,
            unit="MiB",
            measure=_peak_measure,
            target=Target("ours", 1024),
            params={**peak, "device": "cuda"},
        )
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._torch_modern")
    parser.add_argument("--peak", choices=("ours", "reference"), required=True)
    parser.add_argument("--out", type=Path, required=True, help="where the states go (.npy)")
    args = parser.parse_args(argv)
    print(json.dumps(_peak(args.peak, PEAK_K, PEAK_N, PEAK_B, args.out)))


if __name__ == "__main__":
    main()

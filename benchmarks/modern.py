"""The modern Hopfield network against the bare NumPy softmax step, in time and in memory.

Memories: K rows of standard normal numbers, N columns, float32; queries: B stored memories
plus Gaussian noise of standard deviation 0.5. β = 1/√N, the scale attention uses (and PyTorch's
default for ``scaled_dot_product_attention``, which the peers group times on the same inputs).

References:
    floor   ``S = (βQ) Xᵀ; S -= S.max(1); exp(S); S /= S.sum(1); S X`` in float32: the two GEMMs
            and three passes over the (B, K) scores that one softmax retrieval step needs.
            ``retrieve`` should cost no more (target ratio <= 1.2); ``recall(max_steps=1)`` also
            finds each query's k90 (a sort of its weights) and the energies before and after
            the step (one more Q Xᵀ), so it costs more by design.
    memory  at K = 1,000,000, N = 128, B = 1024, the peak resident memory a retrieval adds,
            each side in a fresh process (``python -m benchmarks.modern --peak SIDE``): the
            floor holds the B×K float32 score matrix (4 GB), ours streams the memories in
            chunks. The peak is the kernel's high-water mark (VmHWM) after resetting it once
            the inputs are built, so building them is not counted.
    top-k   the same sizes and process protocol for ``topk(cues, k=10)``, the 10 memories with
            the largest weights per cue with their weights (streamed, with a running
            log-sum-exp), against the same floor process (which holds the B×K scores any
            unstreamed top-k starts from). Checked: the indices of 16 cues equal ``np.argsort``
            of their full float32 scores.
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

from hopfield.models.modern import ModernHopfield

from ._harness import Case, Skip, Target

SEED = 5
NOISE = 0.5
B, K, N = 256, 10_000, 512
SCALING_K = (1250, 2500, 5000, 10_000, 20_000)
PEAK_B, PEAK_K, PEAK_N = 1024, 1_000_000, 128
PEAK_TOPK = 10
MIB = 2**20


@dataclass
class Inputs:
    x: np.ndarray  # (K, N) float32 memories
    q: np.ndarray  # (B, N) float32 queries
    beta: float
    net: ModernHopfield


def make(k: int, n: int, b: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Memories and noisy queries, drawn in float32 directly (no float64 copy at K = 1M)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((k, n), dtype=np.float32)
    q = x[rng.integers(0, k, size=b)] + np.float32(NOISE) * rng.standard_normal(
        (b, n), dtype=np.float32
    )
    return x, q


def _inputs(k: int, n: int, b: int) -> Inputs:
    x, q = make(k, n, b)
    beta = 1.0 / np.sqrt(n)
    return Inputs(x, q, beta, ModernHopfield(beta).store(x))


def floor(x: np.ndarray, q: np.ndarray, beta: float) -> np.ndarray:
    """One softmax retrieval step in bare NumPy."""
    s = (q * np.float32(beta)) @ x.T
    s -= s.max(axis=1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=1, keepdims=True)
    return s @ x


def _floor(inp: Inputs) -> np.ndarray:
    return floor(inp.x, inp.q, inp.beta)


def _ours_retrieve(inp: Inputs) -> np.ndarray:
    return inp.net.retrieve(inp.q)


def _ours_recall(inp: Inputs) -> np.ndarray:
    return inp.net.recall(inp.q, max_steps=1).states


def _check(inp: Inputs, ours: np.ndarray, ref: np.ndarray) -> str:
    scale = float(np.abs(ref).max())
    gap = float(np.abs(ours - ref).max()) / scale
    assert ours.dtype == ref.dtype == np.float32, f"dtypes {ours.dtype}, {ref.dtype}"
    assert gap <= 1e-4, f"states differ by {gap:.3g} of their scale"
    return f"float32 states agree to {gap:.1g} of their scale"


# -- peak memory, each side in its own process ---------------------------------------------------
def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise OSError(f"/proc/self/status has no {field}")


def _peak(side: str, k: int, n: int, b: int, out: Path) -> dict:
    """Build the inputs, reset the high-water mark, run one retrieval, report what it added."""
    x, q = make(k, n, b)
    beta = 1.0 / np.sqrt(n)
    net = ModernHopfield(beta).store(x) if side != "reference" else None
    if net is not None:
        del x  # ours holds its own copy; the caller's array could be freed
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    before = _vm("VmRSS")
    start = time.perf_counter()
    if side == "topk":
        result = net.topk(q, PEAK_TOPK).indices
    else:
        result = net.retrieve(q) if net is not None else floor(x, q, beta)
    seconds = time.perf_counter() - start
    peak = _vm("VmHWM")
    np.save(out, result)
    return {"added_MiB": (peak - before) / MIB, "rss_before_MiB": before / MIB, "seconds": seconds}


def _peak_inputs(sides: tuple[str, str] = ("ours", "reference")) -> dict:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        _vm("VmHWM")
    except OSError as err:
        raise Skip(f"no way to reset the peak RSS here ({err})") from None
    tmp = Path(tempfile.mkdtemp(prefix="hopfield-peak-"))
    runs = {}
    for side in sides:
        path = tmp / f"{side}.npy"
        cmd = [sys.executable, "-m", "benchmarks.modern", "--peak", side, "--out", str(path)]
        done = subprocess.run(
            cmd, capture_output=True, text=True, cwd=Path(__file__).parent.parent, timeout=600
        )
        if done.returncode != 0:
            raise AssertionError(f"the {side} process failed: {done.stderr.strip()[-400:]}")
        runs[side] = {**json.loads(done.stdout), "states": np.load(path)}
        path.unlink()
    tmp.rmdir()
    if "topk" in runs:
        runs["ours"] = runs.pop("topk")
    return runs


def _check_peak_topk(runs: dict, ours, ref) -> str:
    x, q = make(PEAK_K, PEAK_N, PEAK_B)
    cues = 16
    s = (q[:cues] * np.float32(1.0 / np.sqrt(PEAK_N))) @ x.T
    want = np.argsort(-s, axis=1, kind="stable")[:, :PEAK_TOPK]
    got = runs["ours"]["states"]
    assert got.shape == (PEAK_B, PEAK_TOPK), f"indices of shape {got.shape}"
    assert np.array_equal(got[:cues], want), "top-k indices differ from argsort of the scores"
    o, r = runs["ours"], runs["reference"]
    return (
        f"top-{PEAK_TOPK} indices of {cues} cues equal argsort of their scores; topk took "
        f"{o['seconds']:.2f} s, the floor retrieval {r['seconds']:.2f} s; the B×K scores alone "
        f"are {PEAK_B * PEAK_K * 4 / MIB:.0f} MiB"
    )


def _check_peak(runs: dict, ours, ref) -> str:
    note = _check(None, runs["ours"]["states"], runs["reference"]["states"])
    o, r = runs["ours"], runs["reference"]
    return (
        f"{note}; one retrieval took {o['seconds']:.2f} s (ours) and {r['seconds']:.2f} s "
        f"(floor); the B×K scores alone are {PEAK_B * PEAK_K * 4 / MIB:.0f} MiB; memories "
        f"{PEAK_K * PEAK_N * 4 / MIB:.0f} MiB, held before the mark was reset"
    )


def _peak_measure(runs: dict) -> dict[str, float]:
    # One fresh process per side is the measurement; every repeat reports it again.
    return {side: runs[side]["added_MiB"] for side in ("ours", "reference")}


def cases(quick: bool = False) -> list[Case]:
    """One step at B=256, K=10000, N=512 (retrieve, recall), K scaling, peak memory at K=1M."""
    params = {"B": B, "K": K, "N": N, "dtype": "float32", "beta": "1/sqrt(N)"}
    setup = partial(_inputs, K, N, B)
    out = [
        Case(
            f"retrieve B={B} K={K} N={N}",
            setup,
            _ours_retrieve,
            _floor,
            _check,
            target=Target("ratio", 1.2),
            series="retrieve vs K",
            size=K,
            params=params,
        ),
        Case(
            f"recall(max_steps=1) B={B} K={K} N={N}",
            setup,
            _ours_recall,
            _floor,
            _check,
            params=params,
        ),
    ]
    for k in (k for k in SCALING_K if k != K):  # K itself is the first case
        out.append(
            Case(
                f"retrieve K={k}",
                partial(_inputs, k, N, B),
                _ours_retrieve,
                _floor,
                _check,
                series="retrieve vs K",
                size=k,
                params={**params, "K": k},
            )
        )
    out.append(
        Case(
            f"peak memory added, K={PEAK_K:,} N={PEAK_N} B={PEAK_B}",
            _peak_inputs,
            ours=lambda runs: None,
            reference=lambda runs: None,
            check=_check_peak,
            unit="MiB",
            measure=_peak_measure,
            params={"B": PEAK_B, "K": PEAK_K, "N": PEAK_N, "dtype": "float32"},
        )
    )
    out.append(
        Case(
            f"topk(k={PEAK_TOPK}) peak memory added, K={PEAK_K:,} N={PEAK_N} B={PEAK_B}",
            partial(_peak_inputs, ("topk", "reference")),
            ours=lambda runs: None,
            reference=lambda runs: None,
            check=_check_peak_topk,
            unit="MiB",
            measure=_peak_measure,
            params={"B": PEAK_B, "K": PEAK_K, "N": PEAK_N, "k": PEAK_TOPK, "dtype": "float32"},
        )
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.modern")
    parser.add_argument("--peak", choices=("ours", "reference", "topk"), required=True)
    parser.add_argument("--out", type=Path, required=True, help="where the states go (.npy)")
    args = parser.parse_args(argv)
    print(json.dumps(_peak(args.peak, PEAK_K, PEAK_N, PEAK_B, args.out)))


if __name__ == "__main__":
    main()

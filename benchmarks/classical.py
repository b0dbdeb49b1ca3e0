"""The classical Hopfield network against plain NumPy written the obvious way.

Every case stores K = 0.05 N random patterns with Hebb's rule and recalls 100 cues, each a
stored pattern with 10% of its bits flipped. At this load every cue falls back to the fixed
point of its own pattern, and the checks demand that of both sides, bit for bit. That fixed
point is the pattern itself except where Hebbian crosstalk makes a stored bit unstable: the
chance is about Φ(-1/√α) ≈ 4e-6 per bit at α = 0.05, so a few patterns at N ≥ 2000 end one
bit away from what was stored (the check notes how many).

References:
    store   ``W = X.T @ X / N`` in float64, diagonal zeroed.
    async   true asynchronous updates, one neuron at a time in a random order per sweep, keeping
            the field h = W s of each cue and updating it by ``h += 2 s_i W[:, i]`` when neuron
            i flips (O(N) per flip), in a Python loop over neurons; until a sweep flips nothing.
    sync    ``S = sign(S @ W)`` (a tie keeps the state) until no state changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

import hopfield as hf

from ._harness import Case, Target

CUES = 100
FLIP = 0.1
LOAD = 0.05
SIZES = (250, 500, 1000, 2000, 4000)
SEED = 7


@dataclass
class Inputs:
    x: np.ndarray  # (K, N) int8 stored patterns
    cues: np.ndarray  # (CUES, N) int8
    source: np.ndarray  # (CUES, N) the pattern each cue was made from
    expected: np.ndarray  # (CUES, N) the fixed point that pattern itself settles in
    net: hf.Hopfield  # ours, stored
    w: np.ndarray  # the reference's Hebbian weights


def _inputs(n: int) -> Inputs:
    k = max(1, round(LOAD * n))
    x = hf.patterns.random(k, n, rng=SEED)
    w = numpy_store(x)
    source = x[np.arange(CUES) % k]
    cues = hf.patterns.flip(source, FLIP, rng=SEED + 1)
    return Inputs(x, cues, source, numpy_sync(w, source), hf.Hopfield().store(x), w)


def _tie_tol(w: np.ndarray) -> float:
    # A field within rounding of zero is a tie (Hebbian fields are often exactly 0 in theory).
    return 1e-9 * np.abs(w).sum(axis=1).max()


def numpy_store(x: np.ndarray) -> np.ndarray:
    """Hebb's rule in bare NumPy."""
    xf = x.astype(np.float64)
    w = xf.T @ xf / x.shape[1]
    np.fill_diagonal(w, 0.0)
    return w


def numpy_async(w: np.ndarray, cues: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Asynchronous recall in plain NumPy, with an incrementally kept field.

    Each sweep draws a fresh random order per cue (one ``rng.permuted`` call for the batch, as
    ``hopfield`` does, so the same seed gives the same orders) and visits every neuron once.
    """
    s = cues.astype(np.float64)
    b, n = s.shape
    tol = _tie_tol(w)
    h = s @ w  # W is symmetric, so row i of W is its column i
    active = np.ones(b, dtype=bool)
    base = np.broadcast_to(np.arange(n), (b, n))
    for _ in range(100):
        orders = rng.permuted(base, axis=1)
        for c in np.flatnonzero(active):
            sc, hc = s[c], h[c]
            flipped = False
            for i in orders[c].tolist():
                hi = hc[i]
                new = 1.0 if hi > tol else -1.0 if hi < -tol else sc[i]
                if new != sc[i]:
                    sc[i] = new
                    hc += (2.0 * new) * w[i]
                    flipped = True
            active[c] = flipped
        if not active.any():
            break
    return s.astype(np.int8)


def numpy_sync(w: np.ndarray, cues: np.ndarray) -> np.ndarray:
    """Synchronous recall: ``S = sign(S @ W)``, a tie keeping the state, until nothing changes."""
    s = cues.astype(np.float64)
    tol = _tie_tol(w)
    for _ in range(100):
        h = s @ w
        new = np.where(np.abs(h) <= tol, s, np.sign(h))
        if np.array_equal(new, s):
            break
        s = new
    return s.astype(np.int8)


def _check_recall(inp: Inputs, ours: hf.Recall, ref: np.ndarray) -> str:
    assert ours.converged.all(), f"ours: {int((~ours.converged).sum())} cues did not converge"
    for side, states in (("ours", ours.states), ("reference", ref)):
        wrong = int((states != inp.expected).any(axis=1).sum())
        assert wrong == 0, f"{side}: {wrong} of {CUES} cues missed their pattern's fixed point"
    off = (inp.expected != inp.source).sum(axis=1)
    note = f"both reach the fixed point of every cue's pattern: the stored pattern for {CUES}"
    if off.any():
        note = (
            f"both reach the fixed point of every cue's pattern: the stored pattern for "
            f"{int((off == 0).sum())}, at most {int(off.max())} bit(s) from it (crosstalk) for "
            f"the other {int((off > 0).sum())}"
        )
    return f"{note}; ours {ours.steps.mean():.2f} changing sweeps/cue"


def _check_store(inp: Inputs, ours: hf.Hopfield, ref: np.ndarray) -> str:
    gap = float(np.abs(ours.weights - ref).max())
    assert gap <= 1e-12, f"weights differ by up to {gap:.3g}"
    return f"weights agree to {gap:.1g} (ours scales by 1/N, the reference divides by N)"


def _one_thread(fn):
    def run(inp: Inputs):
        before = numba.get_num_threads()
        numba.set_num_threads(1)
        try:
            return fn(inp)
        finally:
            numba.set_num_threads(before)

    return run


def _ours_async(inp: Inputs) -> hf.Recall:
    return inp.net.recall(inp.cues, update="async", rng=SEED)


def _ref_async(inp: Inputs) -> np.ndarray:
    return numpy_async(inp.w, inp.cues, np.random.default_rng(SEED))


def _ours_sync(inp: Inputs) -> hf.Recall:
    return inp.net.recall(inp.cues, update="sync")


def _ref_sync(inp: Inputs) -> np.ndarray:
    return numpy_sync(inp.w, inp.cues)


def cases(quick: bool = False) -> list[Case]:
    """Store at N = 1000; async and sync recall over N in SIZES; async on one thread."""
    n0 = 1000
    params = {"K": round(LOAD * n0), "N": n0}
    out = [
        Case(
            "store Hebb N=1000 K=50",
            setup=lambda: _inputs(n0),
            ours=lambda inp: hf.Hopfield().store(inp.x),
            reference=lambda inp: numpy_store(inp.x),
            check=_check_store,
            target=Target("ours", 3.0),
            params=params,
        )
    ]
    for label, ours, ref, target in (
        ("async", _ours_async, _ref_async, Target("ours", 0.3)),
        ("sync", _ours_sync, _ref_sync, Target("ratio", 1.5)),
    ):
        for n in SIZES:
            out.append(
                Case(
                    f"{label} N={n} K={round(LOAD * n)}",
                    setup=lambda n=n: _inputs(n),
                    ours=ours,
                    reference=ref,
                    check=_check_recall,
                    per=CUES,
                    unit="ms/cue",
                    target=target if n == n0 else None,
                    series=label,
                    size=n,
                    params={"K": round(LOAD * n), "N": n, "cues": CUES, "flip": FLIP},
                )
            )
    out.append(
        Case(
            "async N=1000 K=50, ours on 1 thread",
            setup=lambda: _inputs(n0),
            ours=_one_thread(_ours_async),
            reference=_ref_async,
            check=_check_recall,
            per=CUES,
            unit="ms/cue",
            params={**params, "cues": CUES, "flip": FLIP, "numba_threads": 1},
        )
    )
    return out

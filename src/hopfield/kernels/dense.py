"""Compiled loops for the dense associative memory (``hopfield.models.dense``).

The interaction F arrives as a code and its parameters (see ``hopfield.functions``):
0 = xⁿ, 1 = max(x, 0)ⁿ, 2 = exp(β x). With ±1 memories a neuron's energy gap needs F only at
the overlaps m_μ and m_μ ± 2, so everything here works from the (B, K) overlaps m.

Polynomials: per memory ``a_μ = (F(m_μ+2) − F(m_μ−2))/2`` and per cue
``c = Σ_μ (2F(m_μ) − F(m_μ+2) − F(m_μ−2))/2`` give the gap of a ±1 neuron as
``gap_i = Σ_μ ξ_iμ a_μ + σ_i c`` (derived in hopfield.models.dense).

Exponential: on the log scale the gap compares ``log Σ_μ exp(β(m_μ + δ ξ_iμ))`` for the two
choices of σ_i (δ = ±1 − σ_i). Overlaps of one cue share their parity, so the memories that can
lead either sum lie on the levels top, top − 2 and top − 4 (top = max_μ m_μ): those are kept as
exact counts per level and per sign of ξ_iμ, and every other memory as its weight
``w_μ = exp(β(m_μ − top)) <= e^{−6β}``, summed per sign of ξ_iμ (:func:`log_gap`). The sums
are combined in log space, so the gap is right for any β: no weight of a memory that matters
is lost to underflow, and none overflows.

Ties: a gap within ``TIE_RTOL`` of the size of the terms it is made of is set to exactly 0
here, where those terms are known, so that rounding never decides and a tie keeps the state.
Polynomial terms below 2⁵² in size are multiples of 1/2, summed exactly, so there only 0 is
a tie.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from . import serialised

__all__ = [
    "TIE_RTOL",
    "EXACT",
    "LEVELS",
    "poly_terms",
    "poly_energy",
    "exp_energy",
    "poly_half_terms",
    "near_counts",
    "exp_gaps",
    "async_sweep",
]

POLYNOMIAL, RECTIFIED, EXPONENTIAL = 0, 1, 2

#: Gaps within this fraction of the size of their terms are ties: about 5·10⁴ units of
#: rounding, far above the error of the sums and far below any gap the sums can resolve.
TIE_RTOL = 1e-11

#: The exponential gaps' tie margin for small β (see log_gap): 64 float64 roundings.
TIE_FLOOR = 64 * 2.0**-52

#: Below this size the polynomial terms (multiples of 1/2: F(m ± 2) of the rectified
#: polynomial can be odd) and all their partial sums are exact in float64.
EXACT = 2.0**52

#: Levels below the top overlap (top, top − 2, top − 4) whose memories are counted exactly.
LEVELS = 3


@njit(inline="always")
def _f(x, code, n):
    if code == RECTIFIED and x <= 0.0:
        return 0.0
    return x**n


@njit(inline="always")
def tie_tol(scale):
    """Return the tie tolerance of a polynomial gap whose terms sum to ``scale`` in size."""
    return TIE_RTOL * scale if scale >= EXACT else 0.0


@njit(inline="always")
def _log(x):
    return math.log(x) if x > 0.0 else -np.inf


@njit(inline="always")
def _exponent(j, delta, beta):
    """Return β k_j, the exponent of term j of ``_log_sum``.

    k_j = ±δ − 2ℓ (ℓ = 0 for the far sums, whose weights already hold their distance to top).
    k_j is an exact integer, so equal exponents round equally and exact ties stay exact.
    """
    level = j // 2 if j < 2 * LEVELS else 0
    return beta * ((delta if j % 2 == 0 else -delta) - 2.0 * level)


@njit(inline="always")
def _log_sum(logs, delta, beta):
    """Return ``log Σ_μ exp(β(m_μ + δ ξ_iμ − top))`` from the log-weights of ``log_gap``."""
    hi = -np.inf
    for j in range(2 * LEVELS + 2):
        if logs[j] > -np.inf:
            hi = max(hi, logs[j] + _exponent(j, delta, beta))
    total = 0.0
    for j in range(2 * LEVELS + 2):
        if logs[j] > -np.inf:
            total += math.exp(logs[j] + _exponent(j, delta, beta) - hi)
    return hi + math.log(total)


@njit(inline="always")
def log_gap(counts, fp, fn, s, beta):
    """Return the log-scale gap of a neuron at s ∈ {−1, 0, +1}; a tie comes back as 0.

    ``counts[2ℓ]`` and ``counts[2ℓ + 1]`` count the memories at level top − 2ℓ with
    ξ_iμ = +1 and −1; ``fp`` and ``fn`` sum the weights ``exp(β(m_μ − top))`` of the other
    memories by the sign of ξ_iμ. A candidate overlap is ``m_μ + δ ξ_iμ`` with δ = ±1 − s, so,
    relative to ``exp(β top)``, a memory of level ℓ weighs ``exp(β(±δ − 2ℓ))`` and a far one
    ``w_μ exp(±β δ)``.
    """
    logs = (
        _log(counts[0]),
        _log(counts[1]),
        _log(counts[2]),
        _log(counts[3]),
        _log(counts[4]),
        _log(counts[5]),
        _log(fp),
        _log(fn),
    )
    up = _log_sum(logs, 1.0 - s, beta)
    down = _log_sum(logs, -1.0 - s, beta)
    diff = up - down
    # Both sums are relative to exp(β top): their logs are O(β + log K) and carry that much
    # rounding, plus the relative error of the far sums (see exp_gaps). The gaps themselves
    # scale with β (for small β, up − down ≈ 2β Σ_μ ξ_iμ p_μ): the margin shrinks with β, down
    # to a floor of TIE_FLOOR, some 60 roundings of the logs, so a small β is not all ties.
    rtol = max(TIE_RTOL * min(1.0, beta), TIE_FLOOR)
    if abs(diff) <= rtol * (1.0 + abs(up) + abs(down)):
        return 0.0
    return diff / beta


@njit(parallel=True, cache=True)
def poly_terms(m, code, n, a, c, e, scale):
    """Compute the polynomial gap terms of a batch from its overlaps, into the outputs.

    Per-memory ``a``, per-cue ``c`` (see the module docstring), energies ``e = −Σ F(m)``
    and per-cue ``scale = Σ_μ |F(m_μ−2)| + |F(m_μ)| + |F(m_μ+2)|``, the size of the terms.
    """
    b_count, k = m.shape
    for b in prange(b_count):
        acc = 0.0
        energy = 0.0
        size = 0.0
        for mu in range(k):
            x = m[b, mu]
            f0 = _f(x, code, n)
            fp = _f(x + 2.0, code, n)
            fm = _f(x - 2.0, code, n)
            a[b, mu] = 0.5 * (fp - fm)
            acc += f0 - 0.5 * (fp + fm)
            energy -= f0
            size += abs(f0) + abs(fp) + abs(fm)
        c[b] = acc
        e[b] = energy
        scale[b] = size


@njit(parallel=True, cache=True)
def poly_energy(m, code, n, e):
    """Compute the energies ``e = −Σ_μ F(m_μ)`` of a batch from its overlaps, into ``e``.

    The last state of a synchronous recall needs these and no gaps. One pass, integer powers
    by multiplication (``np.power`` on float64 costs about 50 ns an element on negative
    values).
    """
    b_count, k = m.shape
    for b in prange(b_count):
        energy = 0.0
        for mu in range(k):
            energy -= _f(m[b, mu], code, n)
        e[b] = energy


@njit(parallel=True, cache=True)
def exp_energy(m, beta, e):
    """Compute the log-scale energies ``e = −β⁻¹ log Σ_μ exp(β m_μ)`` of a batch, into ``e``.

    Computed relative to the top overlap so that nothing overflows.
    """
    b_count, k = m.shape
    for b in prange(b_count):
        top = m[b, 0]
        for mu in range(1, k):
            top = max(top, m[b, mu])
        total = 0.0
        for mu in range(k):
            total += math.exp(beta * (m[b, mu] - top))
        e[b] = -(top + math.log(total) / beta)


@njit(parallel=True, cache=True)
def poly_half_terms(m, code, n, a, scale):
    """Compute the terms of the gaps of unknown (0) neurons, into ``a`` and ``scale``.

    ``a = F(m+1) − F(m−1)``: the gap of an unknown neuron is ``Σ_μ ξ_iμ a_μ``; and
    ``scale = Σ_μ |F(m_μ+1)| + |F(m_μ−1)|``.
    """
    b_count, k = m.shape
    for b in prange(b_count):
        size = 0.0
        for mu in range(k):
            fp = _f(m[b, mu] + 1.0, code, n)
            fm = _f(m[b, mu] - 1.0, code, n)
            a[b, mu] = fp - fm
            size += abs(fp) + abs(fm)
        scale[b] = size


@njit(parallel=True, cache=True)
def near_counts(m, top, x, sums, counts):
    """Count the memories on the top levels of each cue and sum their rows, into the outputs.

    For the memories on the levels top − 2ℓ (ℓ < LEVELS) of each cue: ``counts[b, ℓ]``, how
    many, and ``sums[b, ℓ, i] = Σ_μ ξ_iμ`` over them. Exact integers; O(K) per cue plus O(N)
    per memory on those levels, usually a handful.
    """
    b_count, k = m.shape
    n = x.shape[1]
    for b in prange(b_count):
        sums[b] = 0
        counts[b] = 0
        for mu in range(k):
            level = int(round((top[b] - m[b, mu]) / 2.0))
            if level < LEVELS:
                counts[b, level] += 1
                row = x[mu]
                out = sums[b, level]
                for i in range(n):
                    out[i] += row[i]


@njit(parallel=True, cache=True)
def exp_gaps(sums, counts, far_total, far_signed, s, beta, out):
    """Compute the log-scale gaps of a batch into ``out``.

    From ``near_counts``'s counts and sums and the far weights: their total ``far_total`` (B,)
    and their ξ-signed sums ``far_signed`` (B, N). ``s`` and ``out`` are (B, N).
    """
    b_count, n = s.shape
    for b in prange(b_count):
        levels = np.empty(2 * LEVELS)
        for i in range(n):
            for level in range(LEVELS):
                # counts ± Σ ξ are even: the halves are exact integers.
                levels[2 * level] = 0.5 * (counts[b, level] + sums[b, level, i])
                levels[2 * level + 1] = 0.5 * (counts[b, level] - sums[b, level, i])
            # Halves of total ± signed lose a few units of the total t to cancellation. A
            # candidate sum is at least e^{−2β}·max(1, t), and a flip scales far weights by
            # at most e^{2β}, so the loss is at most ~ε·min(e^{4β}, t e^{4β}), with
            # t <= K e^{−6β}: ε K^{2/3} at worst (all far memories 6 below the top,
            # β = ln K / 6), 10⁻¹³ for K = 10⁴, inside the tie tolerance to K ~ 10⁶.
            fp = max(0.5 * (far_total[b] + far_signed[b, i]), 0.0)
            fn = max(0.5 * (far_total[b] - far_signed[b, i]), 0.0)
            out[b, i] = log_gap(levels, fp, fn, s[b, i], beta)


@njit(inline="always")
def _refresh(mc, code, n, beta, t, near, level):
    """Recompute a cue's per-memory terms ``t`` from its overlaps.

    Returns the constant c, the size of the terms and, for the exponential, the number of
    memories on the top levels: ``near[:count]`` are their indices and ``level[:count]`` their
    levels, and ``t`` holds the weight of every other memory (0 for those on the top levels).
    """
    k = mc.shape[0]
    if code == EXPONENTIAL:
        top = mc[0]
        for mu in range(1, k):
            top = max(top, mc[mu])
        count = 0
        for mu in range(k):
            lv = int(round((top - mc[mu]) / 2.0))
            if lv < LEVELS:
                near[count] = mu
                level[count] = lv
                count += 1
                t[mu] = 0.0
            else:
                t[mu] = math.exp(beta * (mc[mu] - top))
        return 0.0, 0.0, count
    acc = 0.0
    size = 0.0
    for mu in range(k):
        x = mc[mu]
        f0 = _f(x, code, n)
        fp = _f(x + 2.0, code, n)
        fm = _f(x - 2.0, code, n)
        t[mu] = 0.5 * (fp - fm)
        acc += f0 - 0.5 * (fp + fm)
        size += abs(f0) + abs(fp) + abs(fm)
    return acc, size, 0


@njit(parallel=True, cache=True)
def async_sweep(xt, code, n, beta, s, m, orders, uniforms, temperature, clamp, tol, active, flips):
    """Run one asynchronous sweep for every active cue, in place (compiled, parallel over cues).

    A visit costs O(K) (one pass over row i against the per-memory terms); a flip updates the
    overlaps and recomputes the terms, also O(K).

    Parameters
    ----------
    xt : ndarray of shape (N, K)
        The int8 memories transposed: row i holds ξ_iμ for every μ, contiguous.
    code : int
        The interaction's code (see the module docstring).
    n : int
        The polynomial degree.
    beta : float
        The exponential's β.
    s : ndarray of shape (B, N)
        The int8 ±1 states, updated in place.
    m : ndarray of shape (B, K)
        The float64 overlaps ``X s``, kept in step with ``s``.
    orders : ndarray of shape (B, N)
        The int64 order in which each cue visits its neurons.
    uniforms : ndarray of shape (B, N)
        Float64 uniform draws for Glauber updates (unused at temperature 0).
    temperature : float
        The Glauber temperature T, in the units of the gap; 0 is the deterministic rule.
    clamp : ndarray of shape (B, N)
        Bool, neurons that never change.
    tol : float
        Gaps with ``|gap| <= tol`` count as ties, on top of the ties set to 0 here.
    active : ndarray of shape (B,)
        Bool, the cues to sweep.
    flips : ndarray of shape (B,)
        Int64 output, the number of flips each cue made in this sweep.
    """
    b_count, n_neurons = s.shape
    k = xt.shape[1]
    for cue in prange(b_count):
        count = 0
        if active[cue]:
            mc = m[cue]
            t = np.empty(k)
            near = np.empty(k, dtype=np.int64)
            level = np.empty(k, dtype=np.int64)
            counts = np.empty(2 * LEVELS)
            c, size, n_near = _refresh(mc, code, n, beta, t, near, level)
            for step in range(n_neurons):
                i = orders[cue, step]
                if clamp[cue, i]:
                    continue
                row = xt[i]
                old = s[cue, i]
                if code == EXPONENTIAL:
                    fp = 0.0
                    fn = 0.0
                    for mu in range(k):
                        if row[mu] > 0:
                            fp += t[mu]
                        else:
                            fn += t[mu]
                    counts[:] = 0.0
                    for j in range(n_near):
                        counts[2 * level[j] + (1 if row[near[j]] < 0 else 0)] += 1.0
                    gap = log_gap(counts, fp, fn, float(old), beta)
                else:
                    acc = 0.0
                    for mu in range(k):
                        acc += row[mu] * t[mu]
                    gap = acc + old * c
                    if abs(gap) <= tie_tol(size):
                        gap = 0.0
                if temperature > 0.0:
                    p_plus = 1.0 / (1.0 + math.exp(-gap / temperature))
                    new = 1 if uniforms[cue, i] < p_plus else -1
                elif gap > tol:
                    new = 1
                elif gap < -tol:
                    new = -1
                else:
                    new = old
                if new != old:
                    s[cue, i] = new
                    delta = float(new - old)
                    for mu in range(k):
                        mc[mu] += delta * row[mu]
                    c, size, n_near = _refresh(mc, code, n, beta, t, near, level)
                    count += 1
        flips[cue] = count


# Launched from Python only: serialised under Numba's workqueue layer (see kernels.serialised).
poly_terms = serialised(poly_terms)
poly_energy = serialised(poly_energy)
exp_energy = serialised(exp_energy)
poly_half_terms = serialised(poly_half_terms)
near_counts = serialised(near_counts)
exp_gaps = serialised(exp_gaps)
async_sweep = serialised(async_sweep)

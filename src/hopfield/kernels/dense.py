"""Compiled loops for the dense associative memory (hopfield.models.dense).

The interaction F arrives as a code and its parameters (see ``hopfield.functions``):
0 = xⁿ, 1 = max(x, 0)ⁿ, 2 = exp(β x). With ±1 memories a neuron's energy gap needs F only at
the overlaps m_μ and m_μ ± 2, so everything here works from the (B, K) overlaps m.

Polynomials: per memory ``a_μ = (F(m_μ+2) − F(m_μ−2))/2`` and per cue
``c = Σ_μ (2F(m_μ) − F(m_μ+2) − F(m_μ−2))/2`` give the gap of a ±1 neuron as
``gap_i = Σ_μ ξ_iμ a_μ + σ_i c`` (derived in hopfield.models.dense).

Exponential: on the log scale the gap needs only ``w_μ = exp(β(m_μ − max m))`` summed over the
memories with ξ_iμ = +1 and with ξ_iμ = −1 (:func:`log_gap`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

POLYNOMIAL, RECTIFIED, EXPONENTIAL = 0, 1, 2


@njit(inline="always")
def _f(x, code, n):
    if code == RECTIFIED and x <= 0.0:
        return 0.0
    return x**n


@njit(inline="always")
def _logaddexp(a, b):
    hi = max(a, b)
    if hi == -np.inf:
        return -np.inf
    return hi + math.log(math.exp(a - hi) + math.exp(b - hi))


@njit(inline="always")
def log_gap(sp, sn, s, beta):
    """The log-scale gap of a neuron at s ∈ {−1, 0, +1} from ``sp = Σ_{ξ_iμ=+1} w_μ`` and
    ``sn = Σ_{ξ_iμ=−1} w_μ``.

    With r_μ = m_μ − s ξ_iμ the two candidate overlaps are r_μ ± ξ_iμ = m_μ + (±1 − s) ξ_iμ,
    so ``Σ_μ exp(β(r_μ ± ξ_iμ)) ∝ sp e^{β(±1−s)} + sn e^{−β(±1−s)}``.
    """
    lp = math.log(sp) if sp > 0.0 else -np.inf
    ln = math.log(sn) if sn > 0.0 else -np.inf
    up = beta * (1.0 - s)
    down = beta * (1.0 + s)
    return (_logaddexp(lp + up, ln - up) - _logaddexp(lp - down, ln + down)) / beta


@njit(parallel=True, cache=True)
def poly_terms(m, code, n, a, c, e):
    """Per-memory ``a``, per-cue ``c`` (see the module docstring) and energies ``e = −Σ F(m)``."""
    b_count, k = m.shape
    for b in prange(b_count):
        acc = 0.0
        energy = 0.0
        for mu in range(k):
            x = m[b, mu]
            f0 = _f(x, code, n)
            fp = _f(x + 2.0, code, n)
            fm = _f(x - 2.0, code, n)
            a[b, mu] = 0.5 * (fp - fm)
            acc += f0 - 0.5 * (fp + fm)
            energy -= f0
        c[b] = acc
        e[b] = energy


@njit(parallel=True, cache=True)
def poly_half_terms(m, code, n, a):
    """``a = F(m+1) − F(m−1)``: the gap of an unknown (0) neuron is ``Σ_μ ξ_iμ a_μ``."""
    b_count, k = m.shape
    for b in prange(b_count):
        for mu in range(k):
            a[b, mu] = _f(m[b, mu] + 1.0, code, n) - _f(m[b, mu] - 1.0, code, n)


@njit(parallel=True, cache=True)
def exp_gaps(sp, sn, s, beta, out):
    """Log-scale gaps for a batch: ``sp``, ``sn``, ``s`` and ``out`` are (B, N)."""
    b_count, n = s.shape
    for b in prange(b_count):
        for i in range(n):
            out[b, i] = log_gap(sp[b, i], sn[b, i], s[b, i], beta)


@njit(inline="always")
def _refresh(mc, code, n, beta, t):
    """Recompute a cue's per-memory terms ``t`` from its overlaps; returns the constant c."""
    k = mc.shape[0]
    if code == EXPONENTIAL:
        top = mc[0]
        for mu in range(1, k):
            top = max(top, mc[mu])
        for mu in range(k):
            t[mu] = math.exp(beta * (mc[mu] - top))
        return 0.0
    acc = 0.0
    for mu in range(k):
        x = mc[mu]
        fp = _f(x + 2.0, code, n)
        fm = _f(x - 2.0, code, n)
        t[mu] = 0.5 * (fp - fm)
        acc += _f(x, code, n) - 0.5 * (fp + fm)
    return acc


@njit(parallel=True, cache=True)
def async_sweep(xt, code, n, beta, s, m, orders, uniforms, temperature, clamp, tol, active, flips):
    """One asynchronous sweep for every active cue, in place.

    Args:
        xt: (N, K) int8, the memories transposed: row i holds ξ_iμ for every μ, contiguous.
        code, n, beta: the interaction (see the module docstring).
        s: (B, N) int8 ±1 states, updated in place.
        m: (B, K) float64 overlaps ``X s``, kept in step with ``s``.
        orders: (B, N) int64, the order in which each cue visits its neurons.
        uniforms: (B, N) float64 uniform draws for Glauber updates (unused at temperature 0).
        temperature: Glauber temperature T, in the units of the gap; 0 is the deterministic rule.
        clamp: (B, N) bool, neurons that never change.
        tol: gaps with |gap| <= tol count as ties; a tie keeps the current state.
        active: (B,) bool, cues to sweep.
        flips: (B,) int64 output, the number of flips each cue made in this sweep.

    A visit costs O(K) (one pass over row i against the per-memory terms); a flip updates the
    overlaps and recomputes the terms, also O(K).
    """
    b_count, n_neurons = s.shape
    k = xt.shape[1]
    for cue in prange(b_count):
        count = 0
        if active[cue]:
            mc = m[cue]
            t = np.empty(k)
            c = _refresh(mc, code, n, beta, t)
            for step in range(n_neurons):
                i = orders[cue, step]
                if clamp[cue, i]:
                    continue
                row = xt[i]
                old = s[cue, i]
                if code == EXPONENTIAL:
                    sp = 0.0
                    sn = 0.0
                    for mu in range(k):
                        if row[mu] > 0:
                            sp += t[mu]
                        else:
                            sn += t[mu]
                    gap = log_gap(sp, sn, float(old), beta)
                else:
                    acc = 0.0
                    for mu in range(k):
                        acc += row[mu] * t[mu]
                    gap = acc + old * c
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
                    c = _refresh(mc, code, n, beta, t)
                    count += 1
        flips[cue] = count

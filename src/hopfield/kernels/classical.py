"""Compiled asynchronous sweeps for networks with a weight matrix.

The local field ``h = W σ + b`` of every cue is kept in memory and updated in O(N) per flip
(a flip of neuron j adds ``2 σ_j W[:, j]`` to the field), so a sweep costs O(N) per neuron
visited plus O(N) per flip, instead of O(N²) per neuron for recomputing fields.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from . import serialised

__all__ = ["async_sweep"]


def async_sweep(wt, s, h, orders, uniforms, temperature, clamp, tol, active, flips):
    """Run one asynchronous sweep for every active cue, in place.

    The arguments are those of the compiled ``_async_sweep`` below, except that ``tol`` may be
    one number or one per neuron (it is broadcast to (N,) here).
    """
    tol = np.broadcast_to(np.asarray(tol, dtype=np.float64), (s.shape[1],))
    _launch(wt, s, h, orders, uniforms, temperature, clamp, tol, active, flips)


@njit(parallel=True, cache=True)
def _async_sweep(wt, s, h, orders, uniforms, temperature, clamp, tol, active, flips):
    """Run one asynchronous sweep for every active cue, in place (compiled, parallel over cues).

    Parameters
    ----------
    wt : ndarray of shape (N, N)
        The float64 transposed weights: row j is the column W[:, j], contiguous.
    s : ndarray of shape (B, N)
        The int8 states, updated in place.
    h : ndarray of shape (B, N)
        The float64 local fields ``W s + b``, kept in step with ``s``.
    orders : ndarray of shape (B, N)
        The int64 order in which each cue visits its neurons.
    uniforms : ndarray of shape (B, N)
        Float64 uniform draws for Glauber updates (unused at temperature 0).
    temperature : float
        The Glauber temperature T; 0 means the deterministic rule.
    clamp : ndarray of shape (B, N)
        Bool, neurons that never change.
    tol : ndarray of shape (N,)
        Float64; a field with ``|h_i| <= tol[i]`` is a tie, which keeps the state.
    active : ndarray of shape (B,)
        Bool, the cues to sweep.
    flips : ndarray of shape (B,)
        Int64 output, the number of flips each cue made in this sweep.
    """
    b_count, n = s.shape
    for c in prange(b_count):
        count = 0
        if active[c]:
            for step in range(n):
                i = orders[c, step]
                if clamp[c, i]:
                    continue
                hi = h[c, i]
                old = s[c, i]
                if temperature > 0.0:
                    # Glauber: P(+1) = 1 / (1 + exp(-2 h / T)); the energy gap of a flip is 2|h|.
                    p_plus = 1.0 / (1.0 + np.exp(-2.0 * hi / temperature))
                    new = 1 if uniforms[c, i] < p_plus else -1
                elif hi > tol[i]:
                    new = 1
                elif hi < -tol[i]:
                    new = -1
                else:
                    new = old
                if new != old:
                    s[c, i] = new
                    delta = float(new - old)
                    row = wt[i]
                    hc = h[c]
                    for j in range(n):
                        hc[j] += delta * row[j]
                    count += 1
        flips[c] = count


_launch = serialised(_async_sweep)

"""Dense memory's synchronous sweep written against the caller's arrays (NumPy or torch).

``hopfield.models.dense`` runs the compiled kernels for the built-in interactions on NumPy;
everything else comes here: any interaction on a torch tensor, on any device, and a user's
interaction (anything following :class:`hopfield.functions.Interaction`) on NumPy too.

The gaps use the same two products as the compiled path (derived in
``DenseAssociativeMemory._gap_and_energy``): with ±1 memories a neuron's gap needs F only at
the overlaps m and m ± 2, so ``gap_i = (a X)_i + σ_i c`` with ``a_μ = (F(m_μ+2) − F(m_μ−2))/2``
and ``c = Σ_μ (2F(m_μ) − F(m_μ+2) − F(m_μ−2))/2``, for every F.

Precision (see the class docstring for the contract): the overlaps ``m = X σ`` are a float32
product, exact for N < 2²⁴ (entries ±1 and 0, integer partial sums); with ``float64`` the F
terms and the second product are float64, and for the built-in polynomials every term below
2⁵² is a multiple of 1/2, so the gaps are exact integers (halves) whatever the summation order:
the same numbers as the compiled kernels on NumPy, on any device. With ``float32`` the terms
and the second product are float32 and a gap carries rounding; :func:`rounding_bound` bounds
it, and gaps within that bound are ties, so a float32 sweep never moves a neuron against the
sign of its exact gap; it may hold one whose gap is below twice the bound.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _backend
from ..functions import EXPONENTIAL, GENERIC, POLYNOMIAL, RECTIFIED
from ..kernels import dense as kernel

# Entries of X cast to the product's dtype at a time (4 MiB of float64), as on NumPy.
_BLOCK = 1 << 19


def _torch():
    import torch

    return torch


def unit_roundoff(dtype, device) -> float:
    """Return the unit roundoff of a float32 matrix product on ``device`` under torch's settings.

    ``torch.set_float32_matmul_precision("high")`` (or ``allow_tf32``) lets CUDA round the
    inputs of a float32 product to TF32 (10-bit mantissa); ``"medium"`` allows bfloat16
    (7 bits). ±1 memories and integer overlaps below 2¹¹ survive either, but the F terms do
    not, so the bound follows the setting.
    """
    torch = _torch()
    if dtype == torch.float64:
        return 2.0**-53
    setting = torch.get_float32_matmul_precision()
    if str(device).startswith("cuda") and torch.backends.cuda.matmul.allow_tf32:
        setting = "high" if setting == "highest" else setting
    return {"highest": 2.0**-24, "high": 2.0**-11}.get(setting, 2.0**-8)


def rounding_bound(code: int, n: int, k: int, u: float) -> float:
    """Bound the rounding of a cue's gaps, relative to the sum of the |F| terms of the cue.

    Each F term is evaluated to a relative error of at most (2⌈log₂ n⌉ + 2) u (repeated
    squaring, then the halving and differences); the sum of K + 1 terms adds at most (K + 1) u
    of the sum of their sizes (any summation order); a user's F is taken to be within 8 units
    of rounding. Exact arithmetic is the reference; the overlaps themselves are exact.
    """
    per_term = 2 * math.ceil(math.log2(max(n, 2))) + 2 if code != GENERIC else 8
    return (k + 1 + per_term) * u


class Sweep:
    """Terms of one synchronous sweep, in the namespace of the memories ``x32``.

    Parameters
    ----------
    f : Interaction
        The interaction.
    code : int
        Its kernel code (``GENERIC`` for a user's F).
    x32 : ndarray or torch.Tensor of shape (K, N)
        The float32 ±1 memories.
    dtype : dtype
        The dtype of the F terms and the second product (float64, or float32 on tensors).
    """

    def __init__(self, f, code: int, x32, dtype):
        self.f = f
        self.code = code
        self.x = x32
        self.dtype = dtype
        self.tensor = _backend.is_tensor(x32)
        k = x32.shape[0]
        # On tensors the float64 product uses a float64 copy of X, made once: casting X in
        # blocks on every sweep cost as much as a third product there.
        self.x64 = None
        if self.tensor and dtype == _torch().float64:
            self.x64 = x32.to(dtype)
        if self.tensor and dtype != _torch().float64:
            u = unit_roundoff(dtype, x32.device)
            self.rtol = rounding_bound(code, getattr(f, "n", 1), k, u)
            self.exact = 2.0**22  # polynomial terms (halves) stay exact below this
        else:
            self.rtol = kernel.TIE_RTOL
            self.exact = kernel.EXACT
        # A user's F is not known to give exact terms: ties are always relative to the scale.
        if code == GENERIC:
            self.exact = 0.0
        # |m| <= N: when 3 K F(N + 2) is below the exact range, every cue's terms are too, no
        # tie needs a tolerance and the sizes of the terms need not be summed.
        n_neurons = x32.shape[1]
        self.always_exact = code in (POLYNOMIAL, RECTIFIED) and (
            3.0 * k * float(n_neurons + 2) ** f.n < self.exact
        )

    # -- products ------------------------------------------------------------------------
    def overlaps(self, s):
        """Compute ``m = X σ`` (B, K) in the sweep's dtype: a float32 product, exact for N < 2²⁴."""
        if self.tensor:
            return (s.to(self.x.dtype) @ self.x.T).to(self.dtype)
        return (s.astype(np.float32) @ self.x.T).astype(np.float64)

    def weighted(self, a):
        """Compute ``a X`` for weights ``a`` (B, K) in the sweep's dtype, in blocks of rows."""
        k, n = self.x.shape
        if a.dtype == self.x.dtype:
            return a @ self.x
        if self.x64 is not None:
            return a @ self.x64
        step = max(1, _BLOCK // n)
        if self.tensor:
            out = _torch().zeros((a.shape[0], n), dtype=a.dtype, device=a.device)
            for lo in range(0, k, step):
                out += a[:, lo : lo + step] @ self.x[lo : lo + step].to(a.dtype)
            return out
        out = np.zeros((a.shape[0], n))
        for lo in range(0, k, step):
            out += a[:, lo : lo + step] @ self.x[lo : lo + step].astype(np.float64)
        return out

    # -- energies ------------------------------------------------------------------------
    def energy(self, m):
        """Compute (B,) energies ``−Σ_μ F(m_μ)`` (log scale for the exponential) from overlaps."""
        if self.code == EXPONENTIAL:
            beta = self.f.beta
            if self.tensor:
                return -(beta * m).logsumexp(dim=1) / beta
            return self.f.log_energy(m)
        return -_call(self.f, m).sum(axis=1)

    # -- gaps ------------------------------------------------------------------------------
    def gap_and_energy(self, s):
        """Compute (B, N) gaps of the float states ``s`` (±1, 0 for unknown) and (B,) energies."""
        m = self.overlaps(s)
        if self.code == EXPONENTIAL:
            return self._exp(s, m)
        if self.tensor:
            s = s.to(self.dtype)  # float32 sweeps stay float32 throughout
        f = self.f
        f0, fp, fm = _call(f, m), _call(f, m + 2.0), _call(f, m - 2.0)
        e0 = f0.sum(axis=1)
        energy = -e0
        # c = Σ F(m) − (Σ F(m+2) + Σ F(m−2))/2: row sums instead of a (B, K) combination;
        # exact below 2⁵² like every partial sum there. The ½ of a is applied to a X (exact).
        c = e0 - 0.5 * (fp.sum(axis=1) + fm.sum(axis=1))
        scale = None if self.always_exact else (abs(f0) + abs(fp) + abs(fm)).sum(axis=1)
        fp -= fm
        gap = 0.5 * self.weighted(fp) + s * c[:, None]
        unknown = s == 0
        rows = _nonzero(unknown.any(axis=1))
        if rows.shape[0]:
            mr = m[rows]
            hp, hm = _call(f, mr + 1.0), _call(f, mr - 1.0)
            half = self.weighted(hp - hm)
            gap[rows] = _where(unknown[rows], half, gap[rows])
            if scale is not None:
                half_scale = (abs(hp) + abs(hm)).sum(axis=1)
                scale[rows] = _maximum(scale[rows], half_scale)
        if scale is None:
            return gap, energy
        tol = _where(scale >= self.exact, self.rtol * scale, 0.0)
        gap = _where(abs(gap) <= tol[:, None], 0.0, gap)
        return gap, energy

    def _exp(self, s, m):
        """Compute the exponential's log-scale gaps, as ``hopfield.kernels.dense.exp_gaps``.

        The memories within 4 of the top overlap are counted exactly, the others by their
        weights.
        """
        beta = self.f.beta
        xp = _namespace(m)
        top = m.max(axis=1) if not self.tensor else m.max(dim=1).values
        d = top[:, None] - m  # even integers >= 0: overlaps of one cue share their parity
        w = xp.exp(-beta * d)
        energy = -(top + xp.log(w.sum(axis=1)) / beta)
        near = d < 2.0 * kernel.LEVELS - 1.0  # levels round(d / 2) = 0, 1, 2
        pairs = _nonzero2(near)  # (count, 2): cue, memory; a handful per cue as a rule
        level = d[pairs[:, 0], pairs[:, 1]] / 2.0
        slot = pairs[:, 0] * kernel.LEVELS + (
            level.long() if self.tensor else level.astype(np.int64)
        )
        sums = self._level_sums(pairs, slot, near.shape[0])  # (B, LEVELS, N), exact integers
        counts = _bincount(slot, near.shape[0] * kernel.LEVELS).reshape(-1, kernel.LEVELS)
        if self.tensor:
            w.masked_fill_(near, 0.0)
        else:
            w[near] = 0.0
        far_total = w.sum(axis=1)
        if bool((far_total > 0).any()):
            far_signed = self.weighted(w)
        else:  # far weights are at most e^{−6β}: beyond β ≈ 125 they all underflow
            far_signed = 0.0 * s
        return _exp_gaps(xp, sums, counts, far_total, far_signed, s, beta), energy

    def _level_sums(self, pairs, slot, b):
        """Compute ``sums[b, ℓ, i] = Σ_μ ξ_iμ`` over the memories on level ℓ of cue b.

        Gathered row by row while they are few (the usual case), else one product of 0/1
        indicators.
        """
        k, n = self.x.shape
        lv = kernel.LEVELS
        if self.tensor:
            torch = _torch()
            if pairs.shape[0] <= k:
                out = torch.zeros((b * lv, n), dtype=self.x.dtype, device=self.x.device)
                out.index_add_(0, slot, self.x[pairs[:, 1]])
            else:
                hot = torch.zeros((b * lv, k), dtype=self.x.dtype, device=self.x.device)
                hot[slot, pairs[:, 1]] = 1.0
                out = hot @ self.x  # 0/1 times ±1, integer sums < 2²⁴: exact in float32
            return out.reshape(b, lv, n).to(self.dtype)
        out = np.zeros((b * lv, n))
        np.add.at(out, slot, self.x[pairs[:, 1]])
        return out.reshape(b, lv, n)


def _bincount(slot, size):
    if _backend.is_tensor(slot):
        return _torch().bincount(slot, minlength=size)
    return np.bincount(slot, minlength=size)


def _exp_gaps(xp, sums, counts, far_total, far_signed, s, beta):
    """Compute ``hopfield.kernels.dense.exp_gaps`` on whole arrays, same terms and tie rule.

    A candidate log-sum is ``log Σ_j n_j exp(β(±δ − 2ℓ_j))`` over the level counts and far
    weights ``n_j`` split by the sign of ξ_iμ; the ± is that sign, so the sum splits into
    ``exp(βδ) P + exp(−βδ) M`` with ``log P`` and ``log M`` log-sum-exps that do not depend on
    δ: two of them per neuron, then one ``logaddexp`` per choice of σ_i. Everything stays in
    log space, so no weight that matters underflows at any β.
    """
    tensor = _backend.is_tensor(sums)
    counts = counts.to(sums.dtype) if tensor else counts.astype(sums.dtype)
    plus, minus = [], []
    for lv in range(kernel.LEVELS):
        plus.append(0.5 * (counts[:, lv, None] + sums[:, lv]))
        minus.append(0.5 * (counts[:, lv, None] - sums[:, lv]))
    plus.append(_clip0(0.5 * (far_total[:, None] + far_signed)))
    minus.append(_clip0(0.5 * (far_total[:, None] - far_signed)))
    shift = [2.0 * beta * lv for lv in range(kernel.LEVELS)] + [0.0]

    def log_total(parts):
        with np.errstate(divide="ignore"):  # log 0 = −inf: an empty term
            z = xp.stack([xp.log(v) - c for v, c in zip(parts, shift, strict=True)], axis=-1)
        if tensor:
            return z.logsumexp(dim=-1)
        hi = z.max(axis=-1)  # finite: level 0 holds the top memory (plus or minus side)
        safe = np.where(np.isfinite(hi), hi, 0.0)
        with np.errstate(divide="ignore"):
            return safe + np.log(np.exp(z - safe[..., None]).sum(axis=-1))

    p, m = log_total(plus), log_total(minus)
    up = xp.logaddexp(p + beta * (1.0 - s), m - beta * (1.0 - s))
    down = xp.logaddexp(p + beta * (-1.0 - s), m - beta * (-1.0 - s))
    diff = up - down
    tie = abs(diff) <= kernel.TIE_RTOL * (1.0 + abs(up) + abs(down))
    return _where(tie, 0.0, diff / beta)


def _call(f, x):
    """Evaluate F at ``x``: a built-in F keeps a tensor's dtype; a user's F's shape is checked."""
    out = f(x)
    if getattr(out, "shape", None) != x.shape:
        raise ValueError(
            f"interaction: {f!r} returned {type(out).__name__} of shape "
            f"{getattr(out, 'shape', None)} for overlaps of shape {tuple(x.shape)}; an "
            "interaction must be elementwise and return an array of the same library and shape"
        )
    if _backend.is_tensor(x):
        return out.to(x.dtype)
    return np.asarray(out, dtype=np.float64)


def _namespace(x):
    return _torch() if _backend.is_tensor(x) else np


def _where(cond, a, b):
    return _torch().where(cond, a, b) if _backend.is_tensor(cond) else np.where(cond, a, b)


def _clip0(a):
    return a.clamp(min=0) if _backend.is_tensor(a) else np.maximum(a, 0.0)


def _maximum(a, b):
    return _torch().maximum(a, b) if _backend.is_tensor(a) else np.maximum(a, b)


def _nonzero(mask):
    return _torch().nonzero(mask).flatten() if _backend.is_tensor(mask) else np.flatnonzero(mask)


def _nonzero2(mask):
    return _torch().nonzero(mask) if _backend.is_tensor(mask) else np.argwhere(mask)


__all__ = ["Sweep", "rounding_bound", "unit_roundoff", "POLYNOMIAL", "RECTIFIED"]


def async_sweep(f, xt, s, m, orders, uniforms, temperature, clamp, tol, active, flips):
    """Run one asynchronous sweep for a user's F, on NumPy, in place.

    What ``hopfield.kernels.dense.async_sweep`` does for the built-in F, one visit at a time.

    A visit is O(K) in NumPy (the gap ``ξ_i · a + σ_i c`` from the per-memory terms); a flip
    updates the overlaps and recomputes the terms with three calls of F, also O(K). The loop
    over neurons is Python: meant for the sizes a user tries a new F on, not for speed.
    """
    b_count, n = s.shape
    for cue in np.flatnonzero(active):
        mc = m[cue]
        a, c, size = _terms(f, mc)
        count = 0
        for i in orders[cue]:
            if clamp[cue, i]:
                continue
            row = xt[i]
            old = s[cue, i]
            gap = float(row @ a) + old * c
            if abs(gap) <= kernel.TIE_RTOL * size:
                gap = 0.0
            if temperature > 0.0:
                new = 1 if uniforms[cue, i] < 1.0 / (1.0 + math.exp(-gap / temperature)) else -1
            elif gap > tol:
                new = 1
            elif gap < -tol:
                new = -1
            else:
                new = old
            if new != old:
                s[cue, i] = new
                mc += (new - old) * row
                a, c, size = _terms(f, mc)
                count += 1
        flips[cue] = count
    flips[~active] = 0


def _terms(f, m):
    """Compute per-memory ``a``, the constant ``c`` and the terms' size, for one cue's overlaps."""
    f0, fp, fm = _call(f, m), _call(f, m + 2.0), _call(f, m - 2.0)
    a = 0.5 * (fp - fm)
    c = float(f0.sum() - 0.5 * (fp.sum() + fm.sum()))
    size = float((np.abs(f0) + np.abs(fp) + np.abs(fm)).sum())
    return a, c, size

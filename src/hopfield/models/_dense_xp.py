"""The dense memory's synchronous sweep written against the caller's arrays (NumPy or torch).

:mod:`hopfield.models.dense` runs the compiled kernels for the built-in interactions on NumPy;
everything else comes here: any interaction on a torch tensor, on any device, and a user's
interaction (anything following :class:`~hopfield.functions.Interaction`) on NumPy too.

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

# The per-term exponents of the exponential's log-sums (kernels.dense._exponent): terms
# 2ℓ and 2ℓ + 1 are the memories of level ℓ with ξ_iμ = +1 and −1, terms 6 and 7 the far ones.
_SIGNS = (1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0)
_LEVELS = (0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 0.0, 0.0)


def _torch():
    import torch

    return torch


def unit_roundoff(dtype, device) -> float:
    """The unit roundoff of a float32 matrix product on ``device`` under torch's settings.

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
    """A bound, relative to the sum of the |F| terms of a cue, on the rounding of its gaps.

    Each F term is evaluated to a relative error of at most (2⌈log₂ n⌉ + 2) u (repeated
    squaring, then the halving and differences); the sum of K + 1 terms adds at most (K + 1) u
    of the sum of their sizes (any summation order); a user's F is taken to be within 8 units
    of rounding. Exact arithmetic is the reference; the overlaps themselves are exact.
    """
    per_term = 2 * math.ceil(math.log2(max(n, 2))) + 2 if code != GENERIC else 8
    return (k + 1 + per_term) * u


class Sweep:
    """The terms of one synchronous sweep, in the namespace of the memories ``x32``.

    Args:
        f: the interaction.
        code: its kernel code (``GENERIC`` for a user's F).
        x32: (K, N) float32 ±1 memories, NumPy or a tensor.
        dtype: the dtype of the F terms and the second product (float64, or float32 on
            tensors).
    """

    def __init__(self, f, code: int, x32, dtype):
        self.f = f
        self.code = code
        self.x = x32
        self.dtype = dtype
        self.tensor = _backend.is_tensor(x32)
        k = x32.shape[0]
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

    # -- products ------------------------------------------------------------------------
    def overlaps(self, s):
        """``m = X σ`` (B, K) in the sweep's dtype: a float32 product, exact for N < 2²⁴."""
        if self.tensor:
            return (s.to(self.x.dtype) @ self.x.T).to(self.dtype)
        return (s.astype(np.float32) @ self.x.T).astype(np.float64)

    def weighted(self, a):
        """``a X`` for weights ``a`` (B, K) in the sweep's dtype, a block of rows at a time."""
        k, n = self.x.shape
        if a.dtype == self.x.dtype:
            return a @ self.x
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
        """(B,) energies ``−Σ_μ F(m_μ)`` (log scale for the exponential) from overlaps."""
        if self.code == EXPONENTIAL:
            beta = self.f.beta
            if self.tensor:
                return -(beta * m).logsumexp(dim=1) / beta
            return self.f.log_energy(m)
        return -_call(self.f, m).sum(axis=1)

    # -- gaps ------------------------------------------------------------------------------
    def gap_and_energy(self, s):
        """(B, N) gaps of the float states ``s`` (±1, 0 for unknown) and (B,) energies."""
        m = self.overlaps(s)
        if self.code == EXPONENTIAL:
            return self._exp(s, m)
        if self.tensor:
            s = s.to(self.dtype)  # float32 sweeps stay float32 throughout
        f = self.f
        f0, fp, fm = _call(f, m), _call(f, m + 2.0), _call(f, m - 2.0)
        a = 0.5 * (fp - fm)
        c = (f0 - 0.5 * (fp + fm)).sum(axis=1)
        energy = -f0.sum(axis=1)
        scale = (abs(f0) + abs(fp) + abs(fm)).sum(axis=1)
        gap = self.weighted(a) + s * c[:, None]
        unknown = s == 0
        rows = _nonzero(unknown.any(axis=1))
        if rows.shape[0]:
            mr = m[rows]
            hp, hm = _call(f, mr + 1.0), _call(f, mr - 1.0)
            half = self.weighted(hp - hm)
            gap[rows] = _where(unknown[rows], half, gap[rows])
            half_scale = (abs(hp) + abs(hm)).sum(axis=1)
            scale[rows] = _maximum(scale[rows], half_scale)
        tol = _where(scale >= self.exact, self.rtol * scale, 0.0)
        gap = _where(abs(gap) <= tol[:, None], 0.0, gap)
        return gap, energy

    def _exp(self, s, m):
        """The exponential's log-scale gaps, as :func:`hopfield.kernels.dense.exp_gaps`: the
        memories within 4 of the top overlap counted exactly, the others by their weights."""
        beta = self.f.beta
        xp = _namespace(m)
        top = m.max(axis=1) if not self.tensor else m.max(dim=1).values
        w = xp.exp(beta * (m - top[:, None]))
        energy = -(top + xp.log(w.sum(axis=1)) / beta)
        level = xp.round((top[:, None] - m) / 2.0)
        near = level < kernel.LEVELS
        counts = xp.stack([(level == lv).sum(axis=1) for lv in range(kernel.LEVELS)], axis=1)
        sums = self._level_sums(near, level)  # (B, LEVELS, N), exact integers
        w = _where(near, 0.0, w)
        far_total = w.sum(axis=1)
        if bool((far_total > 0).any()):
            far_signed = self.weighted(w)
        else:  # far weights are at most e^{−6β}: beyond β ≈ 125 they all underflow
            far_signed = 0.0 * s
        return _exp_gaps(xp, sums, counts, far_total, far_signed, s, beta), energy

    def _level_sums(self, near, level):
        """``sums[b, ℓ, i] = Σ_μ ξ_iμ`` over the memories on level ℓ of cue b: gathered row by
        row while they are few (the usual case: a handful per cue), else one product."""
        b = near.shape[0]
        k, n = self.x.shape
        lv = kernel.LEVELS
        pairs = _nonzero2(near)  # (count, 2): cue, memory
        if self.tensor:
            torch = _torch()
            rows = pairs[:, 0] * lv + level[pairs[:, 0], pairs[:, 1]].long()
            if pairs.shape[0] <= k:
                out = torch.zeros((b * lv, n), dtype=self.x.dtype, device=self.x.device)
                out.index_add_(0, rows, self.x[pairs[:, 1]])
            else:
                hot = torch.zeros((b * lv, k), dtype=self.x.dtype, device=self.x.device)
                hot[rows, pairs[:, 1]] = 1.0
                out = hot @ self.x  # 0/1 times ±1, integer sums < 2²⁴: exact in float32
            return out.reshape(b, lv, n).to(self.dtype)
        rows = pairs[:, 0] * lv + level[pairs[:, 0], pairs[:, 1]].astype(np.int64)
        out = np.zeros((b * lv, n))
        np.add.at(out, rows, self.x[pairs[:, 1]])
        return out.reshape(b, lv, n)


def _exp_gaps(xp, sums, counts, far_total, far_signed, s, beta):
    """Vectorised :func:`hopfield.kernels.dense.exp_gaps` (same terms, same tie rule)."""
    counts = counts.astype(sums.dtype) if not _backend.is_tensor(sums) else counts.to(sums.dtype)
    parts = []
    for lv in range(kernel.LEVELS):
        parts.append(0.5 * (counts[:, lv, None] + sums[:, lv]))
        parts.append(0.5 * (counts[:, lv, None] - sums[:, lv]))
    parts.append(_clip0(0.5 * (far_total[:, None] + far_signed)))
    parts.append(_clip0(0.5 * (far_total[:, None] - far_signed)))
    values = xp.stack(parts, axis=-1)  # (B, N, 8)
    with np.errstate(divide="ignore"):
        logs = xp.log(values)  # log 0 = −inf: an empty term
    if _backend.is_tensor(values):
        signs = _torch().tensor(_SIGNS, dtype=values.dtype, device=values.device)
        levels = _torch().tensor(_LEVELS, dtype=values.dtype, device=values.device)
    else:
        signs, levels = np.array(_SIGNS), np.array(_LEVELS)

    def log_sum(delta):
        z = logs + beta * (signs * delta[..., None] - 2.0 * levels)
        hi = z.max(axis=-1) if not _backend.is_tensor(z) else z.max(dim=-1).values
        return hi + xp.log(xp.exp(z - hi[..., None]).sum(axis=-1))

    up, down = log_sum(1.0 - s), log_sum(-1.0 - s)
    diff = up - down
    tie = abs(diff) <= kernel.TIE_RTOL * (1.0 + abs(up) + abs(down))
    return _where(tie, 0.0, diff / beta)


def _call(f, x):
    """F at ``x``: a built-in F keeps a tensor's dtype; a user's F is checked for its shape."""
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

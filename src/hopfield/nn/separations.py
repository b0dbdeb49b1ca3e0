"""Separations for :mod:`hopfield.nn`: maps from scores to weights on the simplex, in torch.

``softmax`` is ``torch.softmax``. ``sparsemax`` (Martins & Astudillo [1]_) and ``entmax15``
(α = 1.5 entmax, Peters et al. [2]_) are exact and sort-based, with closed-form backward passes.
Each separation is the gradient of ``Ψ*(z) = ⟨p, z⟩ + H(p)`` for an entropy H on the simplex
(Shannon, Gini, Tsallis 1.5), whose largest value ``H_max(K)`` enters the energy.

References
----------
.. [1] A. F. T. Martins and R. F. Astudillo, "From softmax to sparsemax: a sparse model of
   attention and multi-label classification", ICML (2016).
.. [2] B. Peters, V. Niculae and A. F. T. Martins, "Sparse sequence-to-sequence models",
   ACL (2019).
"""

from __future__ import annotations

import torch
from torch import Tensor

from ._checks import SEPARATIONS

__all__ = ["entmax15", "separate", "sparsemax"]

_FAR = 4.0  # scores this far below a row's best never get weight from sparsemax or entmax15


# -- sparse separations (exact, sort-based) --------------------------------------------------------
def _floor(z: Tensor) -> Tensor:
    """Shift the scores so the row maximum is 0 and raise −∞ (masked) to −_FAR.

    Those scores stay outside every support but are finite, so that sorted running sums stay
    finite.
    """
    z = z - z.amax(-1, keepdim=True)
    return z.clamp_min(-_FAR)


class _Sparsemax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z: Tensor) -> Tensor:
        z = _floor(z)
        zs = torch.sort(z, dim=-1, descending=True).values
        cs = zs.cumsum(-1)
        k = torch.arange(1, z.shape[-1] + 1, device=z.device, dtype=z.dtype)
        # The support is a prefix of the sorted scores; count it (Martins & Astudillo 2016).
        size = (1.0 + k * zs > cs).sum(-1, keepdim=True)
        tau = (cs.gather(-1, size - 1) - 1.0) / size.to(z.dtype)
        p = (z - tau).clamp_min(0.0)
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, g: Tensor) -> Tensor:
        (p,) = ctx.saved_tensors
        on = (p > 0).to(g.dtype)
        mean = (g * on).sum(-1, keepdim=True) / on.sum(-1, keepdim=True)
        return on * (g - mean)


class _Entmax15(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z: Tensor) -> Tensor:
        z = _floor(z) / 2  # p = [z/2 − τ]₊² solves α = 1.5 entmax (Peters et al. 2019, Alg. 2)
        zs = torch.sort(z, dim=-1, descending=True).values
        k = torch.arange(1, z.shape[-1] + 1, device=z.device, dtype=z.dtype)
        mean = zs.cumsum(-1) / k
        mean_sq = (zs * zs).cumsum(-1) / k
        delta = (1.0 - k * (mean_sq - mean * mean)) / k
        tau = mean - delta.clamp_min(0.0).sqrt()
        size = (tau <= zs).sum(-1, keepdim=True)
        p = (z - tau.gather(-1, size - 1)).clamp_min(0.0) ** 2
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, g: Tensor) -> Tensor:
        (p,) = ctx.saved_tensors
        root = p.sqrt()
        dz = g * root
        return dz - (dz.sum(-1, keepdim=True) / root.sum(-1, keepdim=True)) * root


def sparsemax(z: Tensor, dim: int = -1) -> Tensor:
    """Project the scores ``z`` onto the simplex (sparsemax).

    Sparsemax (Martins & Astudillo [1]_) is the Euclidean projection of ``z`` onto the
    probability simplex, so small scores get exactly zero weight. Exact and sort-based, with a
    closed-form backward pass; ``−inf`` entries get weight 0 (a row needs one finite entry).

    Parameters
    ----------
    z : torch.Tensor of any shape
        The scores.
    dim : int, default -1
        The axis that sums to one.

    Returns
    -------
    torch.Tensor of the shape of z
        The weights, non-negative, summing to one along ``dim``.

    See Also
    --------
    hopfield.nn.entmax15 : Sparse like sparsemax, but smoother.

    References
    ----------
    .. [1] A. F. T. Martins and R. F. Astudillo, "From softmax to sparsemax: a sparse model of
       attention and multi-label classification", ICML (2016).

    Examples
    --------
    >>> import torch
    >>> from hopfield.nn.functional import sparsemax
    >>> sparsemax(torch.tensor([1.0, 0.5, -1.0]))
    tensor([0.7500, 0.2500, 0.0000])
    """
    return _Sparsemax.apply(z.movedim(dim, -1)).movedim(-1, dim)


def entmax15(z: Tensor, dim: int = -1) -> Tensor:
    """Map the scores ``z`` to sparse weights with α = 1.5 entmax.

    α = 1.5 entmax (Peters et al. [1]_) is ``p = [z/2 − τ]₊²`` with τ such that ``Σ p = 1``:
    the gradient of the convex conjugate of the Tsallis α = 1.5 entropy; sparse like sparsemax
    but smoother. Exact (sort-based, O(K log K) per row), with a closed-form backward pass;
    ``−inf`` entries get weight 0.

    Parameters
    ----------
    z : torch.Tensor of any shape
        The scores.
    dim : int, default -1
        The axis that sums to one.

    Returns
    -------
    torch.Tensor of the shape of z
        The weights, non-negative, summing to one along ``dim``.

    See Also
    --------
    hopfield.nn.sparsemax : The Euclidean projection onto the simplex.

    References
    ----------
    .. [1] B. Peters, V. Niculae and A. F. T. Martins, "Sparse sequence-to-sequence models",
       ACL (2019).

    Examples
    --------
    >>> import torch
    >>> from hopfield.nn.functional import entmax15
    >>> entmax15(torch.tensor([[0.0, 0.0], [3.0, 0.0]]))
    tensor([[0.5000, 0.5000],
            [1.0000, 0.0000]])
    """
    return _Entmax15.apply(z.movedim(dim, -1)).movedim(-1, dim)


def separate(z: Tensor, separation: str = "softmax", dim: int = -1) -> Tensor:
    """Compute the weights ``sep(z)`` of the separation named ``separation``.

    Parameters
    ----------
    z : torch.Tensor of any shape
        The scores.
    separation : {"softmax", "sparsemax", "entmax15"}, default "softmax"
        The separation (the names in ``hopfield.nn.functional.SEPARATIONS``): ``torch.softmax``,
        :func:`hopfield.nn.sparsemax` or :func:`hopfield.nn.entmax15`.
    dim : int, default -1
        The axis that sums to one.

    Returns
    -------
    torch.Tensor of the shape of z
        The weights, non-negative, summing to one along ``dim``.

    Raises
    ------
    ValueError
        When ``separation`` is not one of the three names.

    Examples
    --------
    >>> import torch
    >>> from hopfield.nn.functional import separate
    >>> separate(torch.tensor([0.0, 0.0]), "entmax15")
    tensor([0.5000, 0.5000])
    >>> separate(torch.tensor([2.0, 0.0]), "sparsemax")
    tensor([1., 0.])
    """
    if separation == "softmax":
        return torch.softmax(z, dim)
    if separation == "sparsemax":
        return sparsemax(z, dim)
    if separation == "entmax15":
        return entmax15(z, dim)
    raise ValueError(f"separation: expected one of {SEPARATIONS}, got {separation!r}")


def _max_entropy(separation: str, k: Tensor) -> Tensor:
    if separation == "softmax":
        return torch.log(k)
    if separation == "sparsemax":
        return 0.5 * (1.0 - 1.0 / k)
    return (4.0 / 3.0) * (1.0 - k.rsqrt())

"""Argument checks and the two internal layouts of :mod:`hopfield.nn.functional`.

Shared memories (K, N) are read by every query as one matrix product: the queries are
flattened to rows (R, N) and a query is the unit that stops on its own. Batched memories
(B, K, N) keep the batch: a batch element is the unit that leaves the computation once all its
queries have stopped (its stopped queries are frozen until then).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

SEPARATIONS = ("softmax", "sparsemax", "entmax15")


def choose(name: str, value, options) -> str:
    if not isinstance(value, str) or value not in options:
        import difflib

        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"{name}: expected one of {tuple(options)}, got {value!r}{hint}")
    return value


def positive(name: str, value, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    ok = value >= 0 if allow_zero else value > 0
    if not (ok and math.isfinite(value)):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name}: expected a finite number {bound}, got {value!r}")
    return float(value)


def integer(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value}")
    return value


def flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}: expected True or False, got {value!r}")
    return value


def tensor(name: str, value, ndims: tuple[int, ...]) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(value).__name__}")
    if value.ndim not in ndims:
        shapes = " or ".join(f"{d}-D" for d in ndims)
        raise ValueError(f"{name}: expected a {shapes} tensor, got shape {tuple(value.shape)}")
    if not value.is_floating_point():
        raise TypeError(f"{name}: expected a floating-point tensor, got {value.dtype}")
    return value


def mask_bias(name: str, mask: Tensor, dtype: torch.dtype) -> Tensor:
    """Turn a boolean mask (``True`` excludes) or a float mask (added) into a float bias."""
    if not isinstance(mask, Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(mask).__name__}")
    if mask.dtype == torch.bool:
        return torch.zeros(mask.shape, dtype=dtype, device=mask.device).masked_fill(mask, -math.inf)
    if not mask.is_floating_point():
        raise TypeError(f"{name}: expected a bool or floating-point tensor, got {mask.dtype}")
    return mask.to(dtype)


def check_shape(name: str, got: tuple, expected: tuple[int, ...], labels: str) -> None:
    """Check that ``got`` equals ``expected``, a 1 standing in for any size but the last."""
    ok = len(got) == len(expected) and got[-1] == expected[-1]
    ok = ok and all(g in (e, 1) for g, e in zip(got[:-1], expected[:-1], strict=True))
    if not ok:
        raise ValueError(
            f"{name}: expected shape {labels} = {tuple(expected)} (1 allowed in place of any "
            f"size but the last), got {tuple(got)}"
        )


@dataclass
class Prepared:
    q: Tensor
    x: Tensor
    v: Tensor | None
    bias: Tensor | None  # additive, broadcast against the scores
    scale: Tensor  # max |x| per unit: the convergence tolerance's unit
    max_norm2: Tensor  # M² per unit
    count: Tensor  # memories each query may see
    shape: tuple  # the queries' leading shape as given

    def restore(self, t: Tensor, last: bool = True) -> Tensor:
        if last:
            return t.reshape(*self.shape, t.shape[-1])
        return t.reshape(self.shape)


def prepare(
    queries, memories, values, mask, beta, separation, steps, eps, chunk_size, name: str = "queries"
) -> Prepared:
    positive("beta", beta)
    choose("separation", separation, SEPARATIONS)
    integer("steps", steps, 1)
    positive("eps", eps, allow_zero=True)
    if chunk_size is not None:
        integer("chunk_size", chunk_size, 1)
        if separation != "softmax":
            raise ValueError(
                f"chunk_size: {separation} needs every score of a query to find its threshold, "
                "so it cannot stream over memories (leave chunk_size=None)"
            )
    q = tensor(name, queries, (2, 3))
    x = tensor("memories", memories, (2, 3))
    n = q.shape[-1]
    if x.shape[-1] != n:
        raise ValueError(
            f"memories: expected {n} features per memory (the {name}' width), "
            f"got shape {tuple(x.shape)}"
        )
    if x.shape[-2] == 0:
        raise ValueError("memories: expected at least one memory, got none")
    if x.ndim == 3 and (q.ndim != 3 or x.shape[0] != q.shape[0]):
        raise ValueError(
            f"memories: batched memories (B, K, N) need {name} (B, L, N) with the "
            f"same B; got {tuple(x.shape)} and {tuple(q.shape)}"
        )
    for other, label in ((x, "memories"),) + (() if values is None else ((values, "values"),)):
        if other.dtype != q.dtype or other.device != q.device:
            raise TypeError(
                f"{label}: expected dtype {q.dtype} on {q.device} like {name}, got "
                f"{other.dtype} on {other.device}"
            )
    k = x.shape[-2]
    v = None
    if values is not None:
        v = tensor("values", values, (x.ndim,))
        if v.shape[:-1] != x.shape[:-1]:
            raise ValueError(
                f"values: expected one row per memory, shape "
                f"{(*x.shape[:-1], 'P')}, got {tuple(v.shape)}"
            )
    bias = None
    if mask is not None:
        bias = mask_bias("mask", mask, q.dtype)
        if bias.ndim == 2:
            check_shape("mask", tuple(bias.shape), (q.shape[-2], k), "(L, K)")
        else:
            check_shape("mask", tuple(bias.shape), (*q.shape[:-1], k), "(B, L, K)")
        if bias.ndim == 2 and q.ndim == 3:
            bias = bias.unsqueeze(0)  # one (L, K) mask for the whole batch
        if bool(torch.isneginf(bias).all(-1).any()):
            raise ValueError(
                "mask: some query has every memory masked; each query must keep at least one memory"
            )
    shape = tuple(q.shape[:-1])
    with torch.no_grad():
        # reductions without a temporary the size of the memories (millions of rows)
        absx = torch.linalg.vector_norm(x, ord=math.inf, dim=(-2, -1))
        norm2 = torch.linalg.vector_norm(x, dim=-1).amax(-1) ** 2
    if x.ndim == 2:
        q = q.reshape(-1, n)
        if bias is not None:
            bias = bias.expand(*shape, k).reshape(-1, k)
        scale, max_norm2 = absx.reshape(1), norm2.reshape(1)
    else:
        scale, max_norm2 = absx.reshape(-1, 1), norm2.reshape(-1, 1)
    if bias is None:
        count = torch.full((1,) * len(q.shape[:-1]), float(k), dtype=torch.float64, device=q.device)
    else:
        count = torch.isfinite(bias).sum(-1).to(torch.float64)
    return Prepared(q, x, v, bias, scale, max_norm2, count, shape)

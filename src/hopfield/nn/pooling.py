"""Hopfield layers with learned patterns: pooling (learned queries) and lookup (learned memories).

``HopfieldPooling`` is ``hflayers.HopfieldPooling``: ``quantity`` learned queries retrieve from
the input set, so a set of any size becomes ``quantity`` vectors (Ramsauer et al. 2020, the
layer used there for multiple-instance learning). ``HopfieldLookup`` is ``hflayers.HopfieldLayer``:
the inputs are the queries and the memories (and, optionally, separate targets read out with the
same weights) are parameters: a differentiable associative lookup table.

Both are thin wrappers over :class:`~hopfield.nn.HopfieldAttention`; every other keyword
argument (heads, ``projections``, ``beta``, ``steps``, ``separation``, ...) goes to it.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from ._checks import integer
from .modules import HopfieldAttention

__all__ = ["HopfieldPooling", "HopfieldLookup"]


class HopfieldPooling(nn.Module):
    """Pool a set (B, S, input_size) into ``quantity`` retrieved vectors per batch element.

    Args:
        input_size: width of the set's elements (the memories).
        quantity: number of learned queries.
        trainable: learn the queries (``False``: a fixed random buffer).
        query_size: width of the learned queries (default ``input_size``).
        **kwargs: for :class:`HopfieldAttention` (``num_heads``, ``projections``, ``beta``...).

    Shapes:
        input (B, S, input_size) (``batch_first``); key_padding_mask (B, S); output
        (B, quantity · output_size).

    Examples:
        >>> import torch
        >>> from hopfield.nn import HopfieldPooling
        >>> _ = torch.manual_seed(0)
        >>> pool = HopfieldPooling(8, quantity=2, num_heads=2)
        >>> pool(torch.randn(3, 10, 8)).shape
        torch.Size([3, 16])
    """

    def __init__(
        self,
        input_size: int,
        quantity: int = 1,
        *,
        trainable: bool = True,
        query_size: int | None = None,
        device=None,
        dtype=None,
        **kwargs,
    ) -> None:
        super().__init__()
        self.quantity = integer("quantity", quantity, 1)
        query_size = integer("query_size", query_size or input_size, 1)
        self.attention = HopfieldAttention(
            query_size, stored_size=input_size, device=device, dtype=dtype, **kwargs
        )
        queries = torch.empty(quantity, query_size, device=device, dtype=dtype)
        nn.init.normal_(queries, std=1.0 / math.sqrt(query_size))
        if trainable:
            self.queries = nn.Parameter(queries)
        else:
            self.register_buffer("queries", queries)

    def _expand(self, input: Tensor) -> Tensor:
        if not isinstance(input, Tensor) or input.ndim != 3:
            got = tuple(input.shape) if isinstance(input, Tensor) else type(input).__name__
            raise ValueError(f"input: expected a set per batch element, shape (B, S, E), got {got}")
        b = input.shape[0 if self.attention.batch_first else 1]
        q = self.queries[None].expand(b, -1, -1)
        return q if self.attention.batch_first else q.transpose(0, 1)

    def forward(self, input: Tensor, key_padding_mask: Tensor | None = None) -> Tensor:
        out = self.attention(self._expand(input), input, key_padding_mask=key_padding_mask)
        if not self.attention.batch_first:
            out = out.transpose(0, 1)
        return out.reshape(out.shape[0], -1)

    def energy(self, input: Tensor, key_padding_mask: Tensor | None = None) -> Tensor:
        """The energy (B, num_heads, quantity) of the learned queries against the input set."""
        return self.attention.energy(self._expand(input), input, key_padding_mask=key_padding_mask)


class HopfieldLookup(nn.Module):
    """Look inputs up in ``quantity`` learned memories, reading learned targets or the memories.

    Args:
        input_size: width of the inputs (the queries) and of the memories.
        quantity: number of learned memories.
        target_size: width of learned targets read out with the weights (``None``: read the
            memories themselves).
        trainable_targets: learn the targets (``False``: a fixed random buffer).
        **kwargs: for :class:`HopfieldAttention`.

    Shapes:
        input (…, input_size), any leading shape (rows are independent queries); output
        (…, output_size), or (…, target_size) with ``projections=False`` and targets.

    Examples:
        >>> import torch
        >>> from hopfield.nn import HopfieldLookup
        >>> _ = torch.manual_seed(0)
        >>> table = HopfieldLookup(4, quantity=6, target_size=3, projections=False, beta=4.0)
        >>> table(torch.randn(5, 4)).shape
        torch.Size([5, 3])
    """

    def __init__(
        self,
        input_size: int,
        quantity: int,
        *,
        target_size: int | None = None,
        trainable_targets: bool = True,
        device=None,
        dtype=None,
        **kwargs,
    ) -> None:
        super().__init__()
        self.quantity = integer("quantity", quantity, 1)
        self.input_size = integer("input_size", input_size, 1)
        if target_size is not None:
            integer("target_size", target_size, 1)
            kwargs.setdefault("value_size", target_size)
        self.attention = HopfieldAttention(input_size, device=device, dtype=dtype, **kwargs)
        kw = {"device": device, "dtype": dtype}
        self.memories = nn.Parameter(
            torch.randn(quantity, input_size, **kw) / math.sqrt(input_size)
        )
        self.targets = None
        if target_size is not None:
            targets = torch.randn(quantity, target_size, **kw) / math.sqrt(target_size)
            if trainable_targets:
                self.targets = nn.Parameter(targets)
            else:
                self.register_buffer("targets", targets)

    def _rows(self, input: Tensor) -> Tensor:
        if not isinstance(input, Tensor) or input.ndim < 1 or input.shape[-1] != self.input_size:
            got = tuple(input.shape) if isinstance(input, Tensor) else type(input).__name__
            raise ValueError(f"input: expected shape (..., {self.input_size}), got {got}")
        return input.reshape(1, -1, self.input_size)

    def _batch_first(self, t: Tensor) -> Tensor:
        # The inputs are one batch of rows; an (L, B, E) layout would read it transposed.
        return t if self.attention.batch_first else t.transpose(0, 1)

    def forward(self, input: Tensor) -> Tensor:
        rows = self._batch_first(self._rows(input))
        mem = self._batch_first(self.memories[None])
        vals = None if self.targets is None else self._batch_first(self.targets[None])
        out = self._batch_first(self.attention(rows, mem, vals))
        return out.reshape(*input.shape[:-1], out.shape[-1])

    def energy(self, input: Tensor) -> Tensor:
        """The energy (…, num_heads) of each input against the learned memories."""
        rows = self._batch_first(self._rows(input))
        e = self.attention.energy(rows, self._batch_first(self.memories[None]))
        return e[0].transpose(0, 1).reshape(*input.shape[:-1], -1)

"""Hopfield layers with learned patterns: pooling (learned queries) and lookup (learned memories).

``HopfieldPooling`` is ``hflayers.HopfieldPooling``: ``quantity`` learned queries retrieve from
the input set, so a set of any size becomes ``quantity`` vectors (Ramsauer et al. 2020, the
layer used there for multiple-instance learning). ``HopfieldLookup`` is ``hflayers.HopfieldLayer``:
the inputs are the queries and the memories (and, optionally, separate targets read out with the
same weights) are parameters: a differentiable associative lookup table.

Both are thin wrappers over :class:`hopfield.nn.HopfieldAttention`; every other keyword
argument (heads, ``projections``, ``beta``, ``steps``, ``separation``, ...) goes to it.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from ._checks import flag, integer
from .modules import HopfieldAttention

__all__ = ["HopfieldPooling", "HopfieldLookup"]


class HopfieldPooling(nn.Module):
    """Pool a set (B, S, input_size) into ``quantity`` retrieved vectors per batch element.

    ``hflayers.HopfieldPooling``: ``quantity`` learned queries retrieve from the input set
    through a :class:`hopfield.nn.HopfieldAttention`, and the retrieved vectors are joined.

    Parameters
    ----------
    input_size : int
        Width of the set's elements (the memories).
    quantity : int, default 1
        Number of learned queries.
    trainable : bool, default True
        Learn the queries (``False``: a fixed random buffer).
    query_size : int, optional
        Width of the learned queries (default ``input_size``).
    device : torch.device, str or None, default None
        Where to create the queries and the attention's parameters.
    dtype : torch.dtype or None, default None
        The dtype of the queries and the attention's parameters.
    **kwargs
        For :class:`hopfield.nn.HopfieldAttention` (``num_heads``, ``projections``,
        ``beta``...).

    Attributes
    ----------
    queries : torch.Tensor of shape (quantity, query_size)
        The learned queries (a parameter, or a buffer with ``trainable=False``).
    attention : HopfieldAttention
        The attention that retrieves with them.

    Examples
    --------
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
        integer("input_size", input_size, 1)
        flag("trainable", trainable)
        query_size = integer("query_size", input_size if query_size is None else query_size, 1)
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
        """Retrieve from the set with the learned queries and join the results.

        Parameters
        ----------
        input : torch.Tensor of shape (B, S, input_size)
            The set of every batch element ((S, B, input_size) with ``batch_first=False``).
        key_padding_mask : torch.Tensor of shape (B, S), optional
            Boolean (``True`` masks the element out) or float (added to the scores).

        Returns
        -------
        torch.Tensor of shape (B, quantity · output_size)
            The retrieved vectors of each batch element, joined.

        Raises
        ------
        ValueError
            When ``input`` is not a 3-D tensor or a shape does not fit.
        """
        out = self.attention(self._expand(input), input, key_padding_mask=key_padding_mask)
        if not self.attention.batch_first:
            out = out.transpose(0, 1)
        return out.reshape(out.shape[0], -1)

    def energy(self, input: Tensor, key_padding_mask: Tensor | None = None) -> Tensor:
        """Compute the energy of the learned queries against the input set.

        Parameters
        ----------
        input : torch.Tensor of shape (B, S, input_size)
            The set of every batch element.
        key_padding_mask : torch.Tensor of shape (B, S), optional
            Boolean (``True`` masks the element out) or float (added to the scores).

        Returns
        -------
        torch.Tensor of shape (B, num_heads, quantity)
            The energy of every learned query in every head.
        """
        return self.attention.energy(self._expand(input), input, key_padding_mask=key_padding_mask)


class HopfieldLookup(nn.Module):
    """Look inputs up in ``quantity`` learned memories, reading learned targets or the memories.

    ``hflayers.HopfieldLayer``: the inputs are the queries of a
    :class:`hopfield.nn.HopfieldAttention` whose memories (and, optionally, separate targets
    read out with the same weights) are parameters: a differentiable associative lookup table.

    Parameters
    ----------
    input_size : int
        Width of the inputs (the queries) and of the memories.
    quantity : int
        Number of learned memories.
    target_size : int, optional
        Width of learned targets read out with the weights (``None``: read the memories
        themselves).
    trainable_targets : bool, default True
        Learn the targets (``False``: a fixed random buffer).
    device : torch.device, str or None, default None
        Where to create the memories, targets and the attention's parameters.
    dtype : torch.dtype or None, default None
        Their dtype.
    **kwargs
        For :class:`hopfield.nn.HopfieldAttention`.

    Attributes
    ----------
    memories : torch.nn.Parameter of shape (quantity, input_size)
        The learned memories.
    targets : torch.Tensor of shape (quantity, target_size) or None
        The targets (a parameter, or a buffer with ``trainable_targets=False``); ``None``
        without ``target_size``.
    attention : HopfieldAttention
        The attention that reads them.

    Examples
    --------
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
        flag("trainable_targets", trainable_targets)
        targets = None
        if target_size is not None:
            targets = torch.randn(quantity, target_size, **kw) / math.sqrt(target_size)
        if targets is not None and trainable_targets:
            self.targets = nn.Parameter(targets)
        else:  # a fixed random buffer (moves with .to() and is saved), or None
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
        """Look every input up in the learned memories.

        Parameters
        ----------
        input : torch.Tensor of shape (..., input_size)
            Any leading shape; rows are independent queries.

        Returns
        -------
        torch.Tensor of shape (..., output_size) or (..., target_size)
            The read-out of every row: (..., output_size), or (..., target_size) with
            ``projections=False`` and targets.

        Raises
        ------
        ValueError
            When the last dimension of ``input`` is not ``input_size``.
        """
        rows = self._batch_first(self._rows(input))
        mem = self._batch_first(self.memories[None])
        vals = None if self.targets is None else self._batch_first(self.targets[None])
        out = self._batch_first(self.attention(rows, mem, vals))
        return out.reshape(*input.shape[:-1], out.shape[-1])

    def energy(self, input: Tensor) -> Tensor:
        """Compute the energy of each input against the learned memories.

        Parameters
        ----------
        input : torch.Tensor of shape (..., input_size)
            Any leading shape; rows are independent queries.

        Returns
        -------
        torch.Tensor of shape (..., num_heads)
            The energy of every row in every head.
        """
        rows = self._batch_first(self._rows(input))
        e = self.attention.energy(rows, self._batch_first(self.memories[None]))
        return e[0].transpose(0, 1).reshape(*input.shape[:-1], -1)

"""The Hopfield modules: pure retrieval, the attention form, pooling and lookup.

Every module runs :func:`hopfield.nn.retrieve`, so the update, the stopping rule and the energy
are those of :class:`hopfield.ModernHopfield` (Ramsauer et al. 2020; sparse variants Hu et al.
2023 and Peters et al. 2019). The attention form projects queries, memories and values
into ``num_heads`` Hopfield spaces first (``Q = ξ W_Q``, ``K = Y W_K``, ``V = Y W_V``), runs the
update there (the state iterates in key space, ``ξ ← sep(β ξ Kᵀ) K``), reads ``sep(β ξ Kᵀ) V``
with the weights of the last update, and projects the heads back (``W_O``).
"""

from __future__ import annotations

import math

from torch import Tensor, nn

from . import functional as F
from ._checks import SEPARATIONS, choose, integer, mask_bias, positive
from ._checks import flag as flag_check

__all__ = ["HopfieldRetrieval", "HopfieldAttention"]


def _check_common(beta, steps, eps, separation, chunk_size, dropout) -> None:
    if beta is not None:
        positive("beta", beta)
    integer("steps", steps, 1)
    positive("eps", eps, allow_zero=True)
    choose("separation", separation, SEPARATIONS)
    if chunk_size is not None:
        integer("chunk_size", chunk_size, 1)
        if separation != "softmax":
            raise ValueError(
                f"chunk_size: {separation} cannot stream over memories (it needs "
                "every score of a query); leave chunk_size=None"
            )
    positive("dropout", dropout, allow_zero=True)
    if dropout >= 1.0:
        raise ValueError(f"dropout: expected a probability in [0, 1), got {dropout!r}")


class HopfieldRetrieval(nn.Module):
    """Pure retrieval, no parameters: exactly :class:`hopfield.ModernHopfield` on tensors.

    ``forward(queries, memories, values=None, mask=None)`` runs ``ξ ← Xᵀ sep(β X ξ)`` (see
    :func:`hopfield.nn.retrieve` for shapes and masks); each query stops on its own.

    Parameters
    ----------
    beta : float, default 1.0
        Inverse temperature β > 0.
    steps : int, default 1
        The most updates per query (1: single-shot retrieval, i.e. attention).
    eps : float, default 1e-6
        Convergence tolerance, relative to the largest memory component (``tol`` of
        :meth:`hopfield.ModernHopfield.recall`).
    separation : {"softmax", "sparsemax", "entmax15"}, default "softmax"
        The map from scores to weights.
    chunk_size : int, optional
        Stream softmax reads over chunks of this many memories (softmax only).
    dropout : float, default 0.0
        Dropout on the weights, in training mode; a probability in [0, 1).

    Raises
    ------
    ValueError
        When a parameter is out of range, or ``chunk_size`` is given with a sparse separation.
    TypeError
        When a parameter is not a number.

    See Also
    --------
    hopfield.nn.retrieve : The functional form.
    hopfield.ModernHopfield : The same network in NumPy.

    Examples
    --------
    >>> import torch
    >>> from hopfield.nn import HopfieldRetrieval
    >>> x = torch.eye(4)
    >>> layer = HopfieldRetrieval(beta=10.0, steps=5)
    >>> layer(torch.tensor([[0.8, 0.3, 0.0, 0.0]]), x).round(decimals=3)
    tensor([[1., 0., 0., 0.]])
    >>> t = layer(torch.tensor([[0.8, 0.3, 0.0, 0.0]]), x, return_trajectory=True)
    >>> bool((t.energies.diff(dim=-1) <= 1e-6).all()), t.steps.tolist(), t.converged.tolist()
    (True, [3], [True])
    """

    def __init__(
        self,
        beta: float = 1.0,
        steps: int = 1,
        eps: float = 1e-6,
        separation: str = "softmax",
        chunk_size: int | None = None,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        _check_common(beta, steps, eps, separation, chunk_size, dropout)
        self.beta, self.steps, self.eps = float(beta), steps, float(eps)
        self.separation, self.chunk_size, self.dropout = separation, chunk_size, float(dropout)

    def fast_path_reason(self, return_trajectory: bool = False) -> str | None:
        """Say why a call does not go through ``scaled_dot_product_attention``.

        Parameters
        ----------
        return_trajectory : bool, default False
            Whether the call asks for the trajectory.

        Returns
        -------
        str or None
            The reason, or ``None`` when the call goes through
            ``torch.nn.functional.scaled_dot_product_attention``.
        """
        return F.fast_path_reason(
            self.separation, trajectory=return_trajectory, chunk_size=self.chunk_size
        )

    def forward(
        self,
        queries: Tensor,
        memories: Tensor,
        values: Tensor | None = None,
        mask: Tensor | None = None,
        return_trajectory: bool = False,
    ):
        """Retrieve from ``memories`` for every query: ``ξ ← Xᵀ sep(β X ξ)``.

        Parameters
        ----------
        queries : torch.Tensor of shape (L, N) or (B, L, N)
            The states ξ.
        memories : torch.Tensor of shape (K, N) or (B, K, N)
            Shared by all queries, or one set per batch element.
        values : torch.Tensor of shape (K, P) or (B, K, P), optional
            Payloads read with the weights of each query's last update.
        mask : torch.Tensor of shape (L, K) or (B, L, K), optional
            Boolean (``True`` excludes the memory, as in ``torch.nn.MultiheadAttention``) or
            float (added to the scores); every query must keep at least one memory.
        return_trajectory : bool, default False
            Return a :class:`hopfield.nn.Trajectory` instead of the states.

        Returns
        -------
        torch.Tensor of shape (..., L, N) or (..., L, P), or Trajectory
            The final states, or the payloads with values; with ``return_trajectory`` a
            :class:`hopfield.nn.Trajectory`.
        """
        return F.retrieve(
            queries,
            memories,
            values,
            beta=self.beta,
            separation=self.separation,
            steps=self.steps,
            eps=self.eps,
            mask=mask,
            chunk_size=self.chunk_size,
            dropout=self.dropout if self.training else 0.0,
            trajectory=return_trajectory,
        )

    def energy(self, states: Tensor, memories: Tensor, mask: Tensor | None = None) -> Tensor:
        """Compute the energy ``−β⁻¹Ψ*(βXξ) + ½ξᵀξ + β⁻¹H_max(K) + ½M²`` of every state.

        Parameters
        ----------
        states : torch.Tensor of shape (L, N) or (B, L, N)
            The states ξ.
        memories : torch.Tensor of shape (K, N) or (B, K, N)
            The memories, as in :meth:`forward`.
        mask : torch.Tensor of shape (L, K) or (B, L, K), optional
            Boolean (``True`` excludes) or float (added to the scores).

        Returns
        -------
        torch.Tensor of shape (L,) or (B, L)
            The energy of every state.
        """
        return F.energy(states, memories, beta=self.beta, separation=self.separation, mask=mask)

    def extra_repr(self) -> str:
        """Describe the settings in the module's ``repr``.

        Returns
        -------
        str
            ``beta``, ``steps``, ``separation`` and ``chunk_size``.
        """
        return (
            f"beta={self.beta:g}, steps={self.steps}, separation={self.separation!r}, "
            f"chunk_size={self.chunk_size}"
        )


class HopfieldAttention(nn.Module):
    """The attention form of the Hopfield layer: a drop-in for ``hflayers.Hopfield``.

    Queries (state patterns) of width ``input_size`` retrieve from memories (stored patterns)
    of width ``stored_size`` and read values of width ``value_size``, in ``num_heads`` Hopfield
    spaces of ``hidden_size`` (keys) and ``pattern_size`` (values) per head; the heads are
    joined and projected to ``output_size``. ``projections=False`` is pure retrieval: no
    parameters, features split evenly between the heads, output of width ``value_size``.

    The shapes of :meth:`forward` and :meth:`energy` are for ``batch_first=True``; with
    ``batch_first=False`` the first two dimensions of the queries, memories, values and the
    output of :meth:`forward` swap (masks and energies keep B first). Unbatched inputs drop B.
    A wrong shape is a ``ValueError`` naming the argument.

    Parameters
    ----------
    input_size : int
        Width of the queries.
    hidden_size : int, optional
        Per-head width of the association space (default ``input_size // num_heads``).
    output_size : int, optional
        Width of the output (default ``input_size``); with projections only.
    pattern_size : int, optional
        Per-head width of the projected values (default ``hidden_size``).
    num_heads : int, default 1
        Number of heads.
    stored_size : int, optional
        Width of the memories (default ``input_size``).
    value_size : int, optional
        Width of the values (default ``stored_size``).
    beta : float, optional
        Inverse temperature (default ``1/√hidden_size``, the attention scale).
    steps : int, default 1
        As in :class:`hopfield.nn.HopfieldRetrieval`: the most updates per query.
    eps : float, default 1e-6
        As in :class:`hopfield.nn.HopfieldRetrieval`: the convergence tolerance.
    separation : {"softmax", "sparsemax", "entmax15"}, default "softmax"
        As in :class:`hopfield.nn.HopfieldRetrieval`.
    chunk_size : int, optional
        As in :class:`hopfield.nn.HopfieldRetrieval`: stream softmax reads over chunks.
    projections : bool, default True
        Learn ``W_Q``, ``W_K``, ``W_V``, ``W_O``, or (``False``) retrieve directly. Without
        projections ``input_size`` and ``value_size`` must divide by ``num_heads``,
        ``stored_size`` must equal ``input_size``, and ``hidden_size``, ``pattern_size`` and
        ``output_size`` must be left out.
    layer_norm : bool, default False
        Normalise queries, memories and values before projecting them.
    dropout : float, default 0.0
        Dropout on the association weights, in training mode.
    bias : bool, default True
        Biases in the projections.
    batch_first : bool, default True
        Inputs are (B, L, ·) (default) or (L, B, ·).
    device : torch.device, str or None, default None
        Where to create the parameters.
    dtype : torch.dtype or None, default None
        The dtype of the parameters.

    Attributes
    ----------
    query_proj, key_proj, value_proj, out_proj : torch.nn.Linear
        The projections ``W_Q``, ``W_K``, ``W_V``, ``W_O`` (with ``projections=True`` only).
    norms : torch.nn.ModuleList or None
        The layer norms of queries, memories and values (with ``layer_norm=True``).
    beta : float
        The inverse temperature in use.

    Raises
    ------
    ValueError
        When a size or parameter is out of range, or the sizes do not fit together (see
        ``projections``; with projections and no ``hidden_size``, ``input_size`` must divide
        by ``num_heads``).
    TypeError
        When a size is not an int.

    Examples
    --------
    >>> import torch
    >>> from hopfield.nn import HopfieldAttention
    >>> _ = torch.manual_seed(0)
    >>> layer = HopfieldAttention(16, num_heads=4)
    >>> layer(torch.randn(2, 5, 16)).shape
    torch.Size([2, 5, 16])
    >>> pure = HopfieldAttention(3, projections=False, beta=30.0)
    >>> mem = torch.eye(3)[None]
    >>> pure(torch.tensor([[[0.9, 0.2, 0.0]]]), mem).round(decimals=3)
    tensor([[[1., 0., 0.]]])
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int | None = None,
        output_size: int | None = None,
        pattern_size: int | None = None,
        num_heads: int = 1,
        *,
        stored_size: int | None = None,
        value_size: int | None = None,
        beta: float | None = None,
        steps: int = 1,
        eps: float = 1e-6,
        separation: str = "softmax",
        chunk_size: int | None = None,
        projections: bool = True,
        layer_norm: bool = False,
        dropout: float = 0.0,
        bias: bool = True,
        batch_first: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        _check_common(beta, steps, eps, separation, chunk_size, dropout)
        self.input_size = integer("input_size", input_size, 1)
        self.num_heads = integer("num_heads", num_heads, 1)
        # "is None", not "or": a size of 0 is an error, not a request for the default.
        self.stored_size = integer(
            "stored_size", input_size if stored_size is None else stored_size, 1
        )
        self.value_size = integer(
            "value_size", self.stored_size if value_size is None else value_size, 1
        )
        for name, flag in (
            ("projections", projections),
            ("layer_norm", layer_norm),
            ("bias", bias),
            ("batch_first", batch_first),
        ):
            flag_check(name, flag)
        self.projections, self.batch_first = projections, batch_first
        if not projections:
            for name, size in (("input_size", input_size), ("value_size", self.value_size)):
                if size % num_heads:
                    raise ValueError(
                        f"{name}: without projections the heads split the "
                        f"features, so it must divide by num_heads={num_heads}; "
                        f"got {size}"
                    )
            if self.stored_size != input_size:
                raise ValueError(
                    f"stored_size: without projections queries and memories share "
                    f"one space, so it must equal input_size={input_size}; got "
                    f"{self.stored_size}"
                )
            for name, value in (
                ("hidden_size", hidden_size),
                ("pattern_size", pattern_size),
                ("output_size", output_size),
            ):
                if value is not None:
                    raise ValueError(f"{name}: needs projections=True (got {value})")
            hidden_size, pattern_size = input_size // num_heads, self.value_size // num_heads
            output_size = self.value_size
        else:
            if hidden_size is None and input_size % num_heads:
                raise ValueError(
                    f"num_heads: input_size={input_size} does not divide by "
                    f"num_heads={num_heads}; give hidden_size (per head)"
                )
            if hidden_size is None:
                hidden_size = input_size // num_heads
            hidden_size = integer("hidden_size", hidden_size, 1)
            pattern_size = integer(
                "pattern_size", hidden_size if pattern_size is None else pattern_size, 1
            )
            output_size = integer(
                "output_size", input_size if output_size is None else output_size, 1
            )
        self.hidden_size, self.pattern_size, self.output_size = (
            hidden_size,
            pattern_size,
            output_size,
        )
        self.beta = float(beta) if beta is not None else 1.0 / math.sqrt(hidden_size)
        self.steps, self.eps, self.separation = steps, float(eps), separation
        self.chunk_size, self.dropout = chunk_size, float(dropout)
        kw = {"device": device, "dtype": dtype}
        h = num_heads
        if projections:
            self.query_proj = nn.Linear(input_size, h * hidden_size, bias=bias, **kw)
            self.key_proj = nn.Linear(self.stored_size, h * hidden_size, bias=bias, **kw)
            self.value_proj = nn.Linear(self.value_size, h * pattern_size, bias=bias, **kw)
            self.out_proj = nn.Linear(h * pattern_size, output_size, bias=bias, **kw)
            for lin in (self.query_proj, self.key_proj, self.value_proj):
                nn.init.xavier_uniform_(lin.weight)
        self.norms = None
        if layer_norm:
            self.norms = nn.ModuleList(
                nn.LayerNorm(size, **kw) for size in (input_size, self.stored_size, self.value_size)
            )

    # -- checks and shapes ---------------------------------------------------------------------
    def _batched(self, name: str, t: Tensor | None, width: int, unbatched: bool) -> Tensor | None:
        if t is None:
            return None
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}: expected a torch.Tensor, got {type(t).__name__}")
        want = 2 if unbatched else 3
        order = "(L, E)" if unbatched else "(B, L, E)" if self.batch_first else "(L, B, E)"
        if t.ndim != want or t.shape[-1] != width:
            raise ValueError(
                f"{name}: expected shape {order} with E = {width}, got {tuple(t.shape)}"
            )
        if unbatched:
            return t[None]
        return t if self.batch_first else t.transpose(0, 1)

    def _bias(self, association_mask, key_padding_mask, b, n_q, s, dtype) -> Tensor | None:
        h = self.num_heads
        out = None
        if association_mask is not None:
            am = mask_bias("association_mask", association_mask, dtype)
            if am.shape not in ((n_q, s), (b * h, n_q, s)):
                raise ValueError(
                    f"association_mask: expected shape (L, S) = {(n_q, s)} or "
                    f"(B·num_heads, L, S) = {(b * h, n_q, s)}, got {tuple(am.shape)}"
                )
            out = am if am.ndim == 3 else am[None]
        if key_padding_mask is not None:
            kp = mask_bias("key_padding_mask", key_padding_mask, dtype)
            if kp.shape != (b, s):
                raise ValueError(
                    f"key_padding_mask: expected shape (B, S) = {(b, s)}, got {tuple(kp.shape)}"
                )
            kp = kp[:, None, None, :].expand(b, h, 1, s).reshape(b * h, 1, s)
            out = kp if out is None else out + kp
        return out

    def _heads(self, t: Tensor, width: int) -> Tensor:
        b, n = t.shape[:2]
        return t.reshape(b, n, self.num_heads, width).transpose(1, 2).reshape(-1, n, width)

    def _project(self, queries, memories, values):
        if self.norms is not None:
            queries = self.norms[0](queries)
            memories = self.norms[1](memories)
            values = None if values is None else self.norms[2](values)
        if self.projections:
            queries = self.query_proj(queries)
            memories = self.key_proj(memories)
            values = None if values is None else self.value_proj(values)
        return (
            self._heads(queries, self.hidden_size),
            self._heads(memories, self.hidden_size),
            None if values is None else self._heads(values, self.pattern_size),
        )

    def _prepare(
        self,
        queries,
        memories,
        values,
        association_mask,
        key_padding_mask,
        with_values: bool = True,
    ):
        unbatched = isinstance(queries, Tensor) and queries.ndim == 2
        q = self._batched("queries", queries, self.input_size, unbatched)
        mem = (
            q
            if memories is None
            else self._batched("memories", memories, self.stored_size, unbatched)
        )
        val = mem if values is None else self._batched("values", values, self.value_size, unbatched)
        if with_values and values is None and self.value_size != self.stored_size:
            raise ValueError(
                f"values: needed, since value_size={self.value_size} differs from "
                f"stored_size={self.stored_size}"
            )
        if mem.shape[0] != q.shape[0] or val.shape[:2] != mem.shape[:2]:
            raise ValueError(
                f"memories, values: expected batch {q.shape[0]} and values with one "
                f"row per memory; got queries {tuple(q.shape)}, memories "
                f"{tuple(mem.shape)}, values {tuple(val.shape)}"
            )
        b, n_q, s = q.shape[0], q.shape[1], mem.shape[1]
        heads = self._project(q, mem, val if with_values else None)
        bias = self._bias(association_mask, key_padding_mask, b, n_q, s, heads[0].dtype)
        return heads, bias, b, n_q, unbatched

    # -- the public calls ------------------------------------------------------------------------
    # The same settings decide it for both modules.
    fast_path_reason = HopfieldRetrieval.fast_path_reason

    def forward(
        self,
        queries: Tensor,
        memories: Tensor | None = None,
        values: Tensor | None = None,
        *,
        association_mask: Tensor | None = None,
        key_padding_mask: Tensor | None = None,
        return_trajectory: bool = False,
    ):
        """Project, retrieve in every head and project the heads back.

        Parameters
        ----------
        queries : torch.Tensor of shape (B, L, input_size) or (L, input_size)
            The state patterns.
        memories : torch.Tensor of shape (B, S, stored_size) or (S, stored_size), optional
            The stored patterns (default: the queries).
        values : torch.Tensor of shape (B, S, value_size) or (S, value_size), optional
            The values, one row per memory (default: the memories; needed when ``value_size``
            differs from ``stored_size``).
        association_mask : torch.Tensor of shape (L, S) or (B·num_heads, L, S), optional
            Boolean (``True`` masks out, as in ``torch.nn.MultiheadAttention``) or float
            (added to the scores).
        key_padding_mask : torch.Tensor of shape (B, S), optional
            Boolean (``True`` masks the memory out) or float (added to the scores).
        return_trajectory : bool, default False
            Also return the :class:`hopfield.nn.Trajectory` in the Hopfield spaces.

        Returns
        -------
        output : torch.Tensor of shape (B, L, output_size) or (L, output_size)
            The output (width ``value_size`` with ``projections=False``).
        trajectory : Trajectory
            Only with ``return_trajectory``: the :class:`hopfield.nn.Trajectory` in the
            Hopfield spaces, with B and the heads as separate leading dimensions
            (B, num_heads, L, ·).

        Raises
        ------
        ValueError
            When a shape does not fit (the message names the argument), or values are needed
            and missing.
        TypeError
            When an input is not a ``torch.Tensor`` or a mask is neither boolean nor floating
            point.
        """
        (q, k, v), bias, b, n_q, unbatched = self._prepare(
            queries, memories, values, association_mask, key_padding_mask
        )
        res = F.retrieve(
            q,
            k,
            v,
            beta=self.beta,
            separation=self.separation,
            steps=self.steps,
            eps=self.eps,
            mask=bias,
            chunk_size=self.chunk_size,
            dropout=self.dropout if self.training else 0.0,
            trajectory=return_trajectory,
        )
        heads = res.states if return_trajectory else res
        out = heads.reshape(b, self.num_heads, n_q, -1).transpose(1, 2).reshape(b, n_q, -1)
        if self.projections:
            out = self.out_proj(out)
        out = out[0] if unbatched else out if self.batch_first else out.transpose(0, 1)
        if not return_trajectory:
            return out
        split = F.Trajectory(
            *(
                None
                if t is None
                else t.reshape(t.shape[0], b, self.num_heads, *t.shape[2:])
                if i == 2
                else t.reshape(b, self.num_heads, *t.shape[1:])
                for i, t in enumerate(res)
            )
        )
        return out, split

    def energy(
        self,
        queries: Tensor,
        memories: Tensor | None = None,
        *,
        association_mask: Tensor | None = None,
        key_padding_mask: Tensor | None = None,
    ) -> Tensor:
        """Compute the energy of the projected queries in each Hopfield space.

        Parameters
        ----------
        queries : torch.Tensor of shape (B, L, input_size) or (L, input_size)
            The state patterns.
        memories : torch.Tensor of shape (B, S, stored_size) or (S, stored_size), optional
            The stored patterns (default: the queries).
        association_mask : torch.Tensor of shape (L, S) or (B·num_heads, L, S), optional
            Boolean (``True`` masks out) or float (added to the scores).
        key_padding_mask : torch.Tensor of shape (B, S), optional
            Boolean (``True`` masks the memory out) or float (added to the scores).

        Returns
        -------
        torch.Tensor of shape (B, num_heads, L) or (num_heads, L)
            The energy of every query in every head ((num_heads, L) for unbatched queries).
        """
        (q, k, _), bias, b, n_q, unbatched = self._prepare(
            queries, memories, None, association_mask, key_padding_mask, with_values=False
        )
        e = F.energy(q, k, beta=self.beta, separation=self.separation, mask=bias)
        e = e.reshape(b, self.num_heads, n_q)
        return e[0] if unbatched else e

    def extra_repr(self) -> str:
        """Describe the settings in the module's ``repr``.

        Returns
        -------
        str
            The sizes, ``beta``, ``steps``, ``separation`` and ``projections``.
        """
        return (
            f"input_size={self.input_size}, num_heads={self.num_heads}, "
            f"hidden_size={self.hidden_size}, beta={self.beta:g}, steps={self.steps}, "
            f"separation={self.separation!r}, projections={self.projections}"
        )

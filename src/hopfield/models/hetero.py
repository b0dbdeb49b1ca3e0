r"""Hetero-association of ±1 pairs: the bidirectional associative memory, BAM (Kosko 1988).

Two layers of ±1 neurons, x (n neurons) and y (p neurons, p ≠ n allowed), are joined by the
correlation matrix of the K stored pairs :math:`(x_k, y_k)`, of shape (n, p) [1]_:

.. math::

    M = \sum_k x_k^\top y_k .

Energy:

.. math::

    E(x, y) = -x M y^\top .

Update: the layers take turns ("reverberation"), first

.. math::

    y_j \leftarrow \operatorname{sign}\big((x M)_j\big),

then :math:`x_i \leftarrow \operatorname{sign}\big((M y^\top)_i\big)`, and so on until the pair
is a fixed point of both updates. A neuron whose field is zero keeps its state.

No neuron feeds another of its own layer, so a layer update is an asynchronous sweep of the
symmetric network on n + p neurons with weights :math:`\begin{pmatrix} 0 & M \\ M^\top & 0
\end{pmatrix}` and zero diagonal: every neuron that changes lowers E strictly, E takes finitely
many values, and recall always ends at a fixed pair, never in a cycle (Kosko 1988, Theorem 1
[1]_). With integer M every field is an exact integer in float64, so ties are exact zeros,
never rounding.

Unknown bits (0) in a cue add nothing to a field. An unknown neuron takes the sign of its
field at its layer's first update; if that field is zero it becomes +1, a fixed and documented
tie-break (such a change leaves E as it is, and happens at most once per neuron).

Capacity: far below min(n, p) for random pairs. Like the classical network, the crosstalk of
K pairs on a field has a standard deviation of :math:`\sqrt{(K-1)\,n}` against a signal of n
(or p), so recall holds while K is a small fraction of n and p; the ``bam-worked-example``
result of ``hopfield reproduce`` measures where it stops at n = p = 100.

The model is :class:`hopfield.BidirectionalMemory`.

References
----------
.. [1] B. Kosko, "Bidirectional associative memories", IEEE Transactions on Systems, Man, and
   Cybernetics 18, 49-60 (1988).
"""

from __future__ import annotations

import numpy as np

from .. import _backend, dynamics
from .. import _validation as v
from ..contract import Memory
from ..recall import ActiveSet, Recall
from ._keyvalue import as_rows

__all__ = ["BidirectionalMemory"]




def _rows_dot(a, b):
    """Return the row-wise dot products of two (B, n) arrays (NumPy or tensors)."""
    if _backend.is_tensor(a):
        return (a * b).sum(dim=1)
    return np.einsum("ij,ij->i", a, b)




class BidirectionalMemory(Memory):
    """A bidirectional associative memory of ±1 pairs (x, y) of widths n and p.

    The constructor takes no parameters; :meth:`store` sets the widths n and p from the first
    pairs. The energy, update and tie rules are those of the module page, "Hetero-association
    (BAM)".

    PyTorch tensors: pairs stored from torch tensors stay on their device (``weights`` is then
    a float64 tensor there); :meth:`recall` and :meth:`energy` then take tensor cues on that
    device and return tensors (states int8, energies float64, per-cue flags and counts as bool
    and int64 tensors). Every field is an exact integer in float64, so the results equal
    NumPy's.

    Attributes
    ----------
    weights : ndarray of shape (n, p)
        The float64 correlation matrix ``M = Σ_k x_kᵀ y_k`` (integer valued). Read-only; set
        by :meth:`store`.
    patterns : ndarray of shape (K, n)
        The x side of every pair stored so far, int8. Read-only; set by :meth:`store`.
    values : ndarray of shape (K, p)
        The y side of every pair stored so far (the payloads), int8. Read-only; set by
        :meth:`store`. The old names ``patterns_x`` and ``patterns_y`` (for ``patterns`` and
        ``values``) are deprecated.
    n_x : int
        The width n of the x layer.
    n_y : int
        The width p of the y layer.

    See Also
    --------
    hopfield.Hopfield : The auto-associative network whose energy argument the BAM reuses.

    References
    ----------
    .. [1] B. Kosko, "Bidirectional associative memories", IEEE Transactions on Systems, Man,
       and Cybernetics 18, 49-60 (1988).

    Examples
    --------
    Kosko's worked example [1]_: two pairs, recalled from either side.

    >>> import numpy as np
    >>> import hopfield as hf
    >>> x = np.array([[1, -1, 1, -1, 1, -1], [1, 1, 1, -1, -1, -1]])
    >>> y = np.array([[1, 1, -1, -1], [1, -1, 1, -1]])
    >>> bam = hf.BidirectionalMemory().store(x, y)
    >>> bam.recall(x=x[0]).states                   # x → y
    array([ 1,  1, -1, -1], dtype=int8)
    >>> r = bam.recall(y=y[1])                      # y → x
    >>> r.states, r.converged, r.extras["y"]
    (array([ 1,  1,  1, -1, -1, -1], dtype=int8), np.True_, array([ 1, -1,  1, -1], dtype=int8))

    In Kosko's 0/1 coding the first x is (1, 0, 1, 0, 1, 0); read as a cue with unknown bits
    (0), its field on the y layer is his ``A1 M``:

    >>> np.array([1, 0, 1, 0, 1, 0]) @ bam.weights
    array([ 4.,  2., -2., -4.])
    """

    # -- storing -------------------------------------------------------------------------
    def store(self, x, y) -> BidirectionalMemory:
        """Store pairs: row k of ``x`` goes with row k of ``y``.

        Calling it again adds pairs to those stored; the weights are recomputed from every
        pair. The inputs are copied, never kept.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (K, n) or (n,)
            The x side of the pairs, values ±1; one pair may be given as two vectors.
        y : array_like or torch.Tensor of shape (K, p) or (p,)
            The y side of the pairs, values ±1, one row per row of ``x``.

        Returns
        -------
        BidirectionalMemory
            The memory itself (``self``), for chaining.

        Raises
        ------
        ValueError
            When a value is not ±1, when ``x`` and ``y`` have different numbers of rows, or
            when their widths differ from the pairs already stored.
        TypeError
            When ``x`` and ``y`` (or the stored pairs) are of different array libraries.
        """
        xs = as_rows(v.bipolar("x", x))
        ys = as_rows(v.bipolar("y", y))
        dynamics.check_home("y", ys, xs)
        if len(xs) != len(ys):
            raise ValueError(
                f"y: expected one row per row of x ({len(xs)} pairs, x has shape "
                f"{np.shape(x)}), got shape {np.shape(y)}"
            )
        if hasattr(self, "_w"):
            dynamics.check_home("x", xs, self._w)
            v.width("x", xs, self._w.shape[0])
            v.width("y", ys, self._w.shape[1])
            xp = _backend.namespace(xs)
            xs = xp.concat([self._x, xs])
            ys = xp.concat([self._y, ys])
        elif _backend.is_tensor(xs):
            xs, ys = xs.clone(), ys.clone()  # never shared with the caller
        else:
            xs, ys = np.array(xs), np.array(ys)
        self._set(xs, ys)
        return self

    def _set(self, xs, ys) -> None:
        # Copies: validation hands back the caller's own int8 array, which must not be kept.
        if _backend.is_tensor(xs):
            self._x, self._y = xs.contiguous().clone(), ys.contiguous().clone()
        else:
            self._x = np.array(xs, dtype=np.int8, order="C")
            self._y = np.array(ys, dtype=np.int8, order="C")
        # Recomputed from every pair rather than accumulated: the same integers either way,
        # and a loaded model cannot disagree with its pairs.
        self._w = _backend.float64(self._x).T @ _backend.float64(self._y)

    def _fitted(self) -> None:
        if not hasattr(self, "_w"):
            raise RuntimeError("this memory stores nothing yet: call store(x, y) first")

    @property
    def weights(self) -> np.ndarray:
        """The (n, p) float64 correlation matrix ``M = Σ_k x_kᵀ y_k``, read-only."""
        self._fitted()
        return v.readonly(self._w)

    @property
    def patterns(self) -> np.ndarray:
        """The (K, n) int8 x side of every stored pair, read-only."""
        self._fitted()
        return v.readonly(self._x)

    @property
    def values(self) -> np.ndarray:
        """The (K, p) int8 y side of every stored pair (the payloads), read-only."""
        self._fitted()
        return v.readonly(self._y)

    patterns_x = v.renamed_property("patterns", "patterns_x")
    patterns_y = v.renamed_property("values", "patterns_y")

    @property
    def n_x(self) -> int:
        """The width n of the x layer."""
        self._fitted()
        return self._w.shape[0]

    @property
    def n_y(self) -> int:
        """The width p of the y layer."""
        self._fitted()
        return self._w.shape[1]

    # -- recall and energy ---------------------------------------------------------------
    def _pair(self, x, y, *, allow_zero: bool) -> tuple[np.ndarray | None, np.ndarray | None]:
        if x is None and y is None:
            raise ValueError("x, y: expected a cue for at least one side, got neither")
        xs = ys = None
        if x is not None:
            xs = v.bipolar("x", x, allow_zero=allow_zero)
            v.width("x", xs, self._w.shape[0])
            dynamics.check_home("x", xs, self._w)
        if y is not None:
            ys = v.bipolar("y", y, allow_zero=allow_zero)
            v.width("y", ys, self._w.shape[1])
            dynamics.check_home("y", ys, self._w)
        if (
            xs is not None
            and ys is not None
            and (xs.ndim != ys.ndim or xs.shape[:-1] != ys.shape[:-1])
        ):
            raise ValueError(
                f"y: expected as many rows as x (shape {xs.shape}), got shape {ys.shape}"
            )
        return xs, ys

    @v.keywords()
    def recall(self, x=None, y=None, *, max_steps: int = 100) -> Recall:
        """Reverberate from a cue on either side, or both, until a fixed pair.

        Cues are ±1 with 0 for unknown bits. The first update is y from x whenever x is given
        (with a given y as its previous state, which decides ties), else x from y; the layers
        then alternate. A step is one layer update (one matrix product for the whole batch).

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (B, n) or (n,), optional
            The cue for the x layer, or None.
        y : array_like or torch.Tensor of shape (B, p) or (p,), optional
            The cue for the y layer, or None; given with ``x``, the same B.
        max_steps : int, default 100
            The most layer updates per cue.

        Returns
        -------
        Recall
            ``states`` is the recalled side: y when x was given (alone or with y) and x when
            only y was; ``extras["x"]`` and ``extras["y"]`` hold both final layers and
            ``extras["flips"]`` the bits changed per cue. ``converged`` marks cues that
            reached a fixed pair, ``steps`` counts layer updates that changed something,
            ``energies`` (B, T + 1) is E before and after every update (unknown bits count 0;
            a stopped cue keeps its last value); the result is a plain
            :class:`hopfield.Recall` (no ``cycled``: the layers never cycle). A single 1-D
            cue gives 1-D states and scalar flags.

        Raises
        ------
        ValueError
            When neither cue is given, when a value is not ±1 or 0, when a width differs from
            the stored pairs', or when ``x`` and ``y`` have different numbers of rows.
        TypeError
            When a cue is in another array library than the stored pairs.
        RuntimeError
            When nothing is stored yet.

        Examples
        --------
        >>> import hopfield as hf
        >>> x, y = hf.patterns.random(5, 200, rng=0), hf.patterns.random(5, 120, rng=1)
        >>> bam = hf.BidirectionalMemory().store(x, y)
        >>> r = bam.recall(x=hf.patterns.flip(x, 0.2, rng=2))
        >>> bool((r.states == y).all() and (r.extras["x"] == x).all()), r.steps.tolist()
        (True, [2, 2, 2, 2, 2])
        """
        self._fitted()
        max_steps = v.integer("max_steps", max_steps, minimum=1)
        xs, ys = self._pair(x, y, allow_zero=True)
        given = xs if xs is not None else ys
        single = given.ndim == 1
        b = as_rows(given).shape[0]
        n, p = self._w.shape
        # The caller's namespace (NumPy itself for NumPy: the same calls as ever).
        xp = _backend.namespace(self._w) if _backend.is_tensor(self._w) else np
        dev = _backend.device(self._w)
        w = self._w
        zeros = xp.zeros
        f64 = _backend.float64
        cur_x = zeros((b, n), dtype=xp.float64, device=dev) if xs is None else f64(as_rows(xs))
        cur_y = zeros((b, p), dtype=xp.float64, device=dev) if ys is None else f64(as_rows(ys))
        run = ActiveSet(b, like=cur_x)
        run.record(-_rows_dot(cur_x @ w, cur_y))
        flips = zeros(b, dtype=xp.int64, device=dev)
        update_y = xs is not None
        for t in range(max_steps):
            idx = run.running
            if update_y:
                field, prev = cur_x[idx] @ w, cur_y[idx]
            else:
                field, prev = cur_y[idx] @ w.T, cur_x[idx]
            new = xp.sign(field)
            # A tie keeps the state; an unknown bit with a tie becomes +1.
            ties = new == 0
            new[ties] = xp.where(prev[ties] == 0, 1.0, prev[ties])
            changes = xp.count_nonzero(new != prev, axis=1)
            (cur_y if update_y else cur_x)[idx] = new
            run.record(-_rows_dot(field, new))
            flips[idx] += changes
            # After the first update the other layer was computed from this one, so an update
            # that changes nothing means both layers are fixed; the first one cannot tell.
            run.advance(changes > 0, settle=t > 0)
            update_y = not update_y
            if run.done:
                break
        energies, converged, steps = run.energies(), run.converged, run.steps
        out_x, out_y = xp.astype(cur_x, xp.int8), xp.astype(cur_y, xp.int8)
        states = out_y if xs is not None else out_x
        fields = (states, converged, steps, energies)
        extras = {"x": out_x, "y": out_y, "flips": flips}
        if single:
            fields = tuple(f[0] for f in fields)
            extras = {key: val[0] for key, val in extras.items()}
        return Recall(*fields, update="alternating", extras=extras)

    def energy(self, x, y) -> np.ndarray | float:
        """Compute the energy ``E(x, y) = −x M yᵀ`` of pairs.

        Unknown bits (0) count as 0.

        Parameters
        ----------
        x : array_like or torch.Tensor of shape (B, n) or (n,)
            The x side, values ±1 or 0.
        y : array_like or torch.Tensor of shape (B, p) or (p,)
            The y side, values ±1 or 0, as many rows as ``x``.

        Returns
        -------
        float or ndarray of shape (B,)
            The energy: a float for one pair, a float64 array (a tensor for tensor pairs)
            for a batch.

        Raises
        ------
        ValueError
            When a side is missing (None), a value is not ±1 or 0, or the shapes do not match.

        Examples
        --------
        >>> import hopfield as hf
        >>> bam = hf.BidirectionalMemory().store([1, -1, 1], [1, 1])
        >>> bam.energy([1, -1, 1], [1, 1]), bam.energy([1, -1, 1], [-1, -1])
        (-6.0, 6.0)
        """
        self._fitted()
        if x is None or y is None:
            raise ValueError("x, y: the energy needs both sides of the pair")
        xs, ys = self._pair(x, y, allow_zero=True)
        e = -_rows_dot(_backend.float64(as_rows(xs)) @ self._w, _backend.float64(as_rows(ys)))
        if xs.ndim == 1:
            return e[0] if _backend.is_tensor(e) else float(e[0])
        return e

    # -- saving --------------------------------------------------------------------------
    def _state(self):
        self._fitted()
        # Files hold NumPy arrays: tensor pairs are written from the host.
        return {}, {"x": _backend.to_numpy(self._x), "y": _backend.to_numpy(self._y)}

    @classmethod
    def _from_state(cls, params, arrays, source):
        try:
            xs, ys = arrays["x"], arrays["y"]
        except (KeyError, TypeError) as err:
            raise ValueError(
                f"path: {source} has a damaged BidirectionalMemory record ({err})"
            ) from None
        if xs.ndim != 2 or ys.ndim != 2 or len(xs) != len(ys):
            raise ValueError(f"path: {source} has inconsistent shapes: x {xs.shape}, y {ys.shape}")
        bam = cls()
        bam._set(v.bipolar("x", xs), v.bipolar("y", ys))
        return bam

    def __repr__(self) -> str:
        if not hasattr(self, "_w"):
            return "BidirectionalMemory()"
        n, p = self._w.shape
        return f"BidirectionalMemory(n={n}, p={p}, K={len(self._x)})"

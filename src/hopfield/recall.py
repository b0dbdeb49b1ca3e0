"""Result types of recall: one base result for every model, and its binary extension.

Every model's ``recall`` returns a :class:`hopfield.Recall`; the models of ±1 neurons that run
the binary engine (:mod:`hopfield.dynamics`) return a :class:`hopfield.BinaryRecall`, which
adds what only
discrete dynamics have: 2-cycles and neuron flips. Each result says in which unit its
iterations are counted (``unit``): ``"sweep"`` (N neuron updates of a binary model), ``"step"``
(one update of a continuous or layered model) or ``"time"`` (continuous time, with the
recorded times in ``extras["times"]``). The arrays are in the caller's array library and on the
caller's device: NumPy arrays for NumPy cues, tensors for tensors.

``converged`` means one thing everywhere: the last iteration a cue ran changed nothing, to
the model's own tolerance (binary: no neuron flipped; continuous: no component moved by more
than ``tol``; stochastic dynamics at T > 0: the last sweep flipped nothing). Each model's
``recall`` docstring states its tolerance.

Examples
--------
>>> import hopfield as hf
>>> X = hf.patterns.random(3, 40, rng=0)
>>> r = hf.Hopfield().store(X).recall(X, update="sync")
>>> r
BinaryRecall(update='sync', cues=3, states=(3, 40), converged=3/3, max sweeps=0, cycled=0)
>>> r.take([0]).states.shape
(1, 40)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from . import _backend

__all__ = ["Recall", "BinaryRecall", "ActiveSet", "UNITS"]

UNITS = ("sweep", "step", "time")


def _count(a) -> int:
    return a.numel() if _backend.is_tensor(a) else int(np.size(a))


@dataclass(frozen=True, repr=False)
class Recall:
    """Result of a recall, as every model's ``recall`` returns it.

    Each parameter is kept as the attribute of the same name (the result is frozen). The
    arrays are in the caller's array library and on the caller's device; a single 1-D cue
    gives one cue's arrays and scalar (0-d) flags and counts.

    Parameters
    ----------
    states : array of shape (B, ...) or one cue's (...)
        The final states (or, for hetero-associative models, the recalled payloads).
    converged : bool array of shape (B,) or scalar
        Whether the last iteration of each cue changed nothing, to the model's own tolerance
        (see :mod:`hopfield.recall`).
    steps : int array of shape (B,) or scalar
        Iterations (in ``unit``) that changed each cue's state.
    energies : float array of shape (B, T + 1) or (T + 1,)
        The energy at the start and after every iteration; a cue that stopped keeps its last
        value in later columns. NaN where the model defines no energy.
    update : str
        The update rule that ran (``"async"``, ``"softmax"``, ``"euler"``, ...).
    unit : {"step", "sweep", "time"}, default "step"
        What one iteration is: ``"sweep"`` (N neuron updates of a binary model), ``"step"``
        (one update of a continuous or layered model) or ``"time"`` (continuous time, with the
        recorded times in ``extras["times"]``).
    extras : dict, optional
        Model-specific results, documented by each model's ``recall`` (empty by default).

    See Also
    --------
    hopfield.BinaryRecall : The result of the binary models, with 2-cycles and flips.

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(3, 40, rng=0)
    >>> r = hf.ModernHopfield(beta=8.0).store(X.astype(float)).recall(X.astype(float))
    >>> isinstance(r, hf.Recall), r.states.shape, r.energies.shape[0], bool(r.converged.all())
    (True, (3, 40), 3, True)
    """

    states: object
    converged: object
    steps: object
    energies: object
    update: str
    unit: str = "step"
    extras: dict = field(default_factory=dict)

    def _per_cue(self) -> tuple[str, ...]:
        return ("states", "converged", "steps", "energies")

    def take(self, index) -> Recall:
        """Select the results of some cues of a batch.

        Extras with one row per cue are taken too; the others are kept whole.

        Parameters
        ----------
        index : int, slice, array_like of int or array_like of bool
            The cues to keep, as it would index the first axis of ``states``, e.g.
            ``r.take(slice(0, 6))`` or ``r.take([0, 3])`` (an int gives one cue's result).

        Returns
        -------
        Recall
            A result of the same type holding those cues.

        Raises
        ------
        ValueError
            When this result holds a single cue.

        Examples
        --------
        >>> import hopfield as hf
        >>> X = hf.patterns.random(4, 30, rng=0)
        >>> r = hf.Hopfield().store(X).recall(X, update="sync")
        >>> r.take([0, 3]).states.shape, r.take(slice(1, 3)).converged.tolist()
        ((2, 30), [True, True])
        """
        if not getattr(self.converged, "shape", ()):  # 0-d: the result of a single cue
            raise ValueError("index: this result holds a single cue; there is nothing to take")
        b = tuple(self.converged.shape[:1])
        picked = {name: getattr(self, name)[index] for name in self._per_cue()}
        extras = {
            k: a[index] if tuple(getattr(a, "shape", ())[:1]) == b else a
            for k, a in self.extras.items()
        }
        return dataclasses.replace(self, **picked, extras=extras)

    def _summary(self) -> list[str]:
        conv = self.converged
        n, done = _count(conv), int(conv.sum())
        unit = {"sweep": "sweeps", "step": "steps", "time": "steps"}[self.unit]
        return [
            f"update={self.update!r}",
            f"cues={n}",
            f"states={tuple(self.states.shape)}",
            f"converged={done}/{n}",
            f"max {unit}={int(self.steps.max())}",
        ]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self._summary())})"


@dataclass(frozen=True, repr=False)
class BinaryRecall(Recall):
    """Result of binary dynamics (:mod:`hopfield.dynamics`): a Recall with 2-cycles and flips.

    Returned by the ``recall`` of :class:`hopfield.Hopfield`,
    :class:`hopfield.DenseAssociativeMemory` and :class:`hopfield.SparseHopfield`
    (:meth:`hopfield.dynamics.BinaryModel.recall`). Each parameter is kept as the attribute of
    the same name; iterations are sweeps (``unit="sweep"``, N neuron updates each).

    Parameters
    ----------
    states : int8 array of shape (B, N) or (N,)
        The final ±1 states.
    converged : bool array of shape (B,) or scalar
        Whether the last sweep of each cue flipped nothing (at T > 0 too).
    steps : int array of shape (B,) or scalar
        Sweeps that flipped a neuron of each cue.
    energies : float array of shape (B, T + 1) or (T + 1,)
        The energy at the start and after every sweep; a cue that stopped keeps its last value
        in later columns.
    update : str
        The update rule that ran: ``"async"``, ``"sync"`` or ``"stochastic"``.
    unit : str, default "sweep"
        What one iteration is.
    extras : dict, optional
        Model-specific results (empty by default).
    cycled : bool array of shape (B,) or scalar
        Whether synchronous updates ended in a 2-cycle (always False for one-at-a-time updates,
        which never cycle on a symmetric network). Keyword-only.
    flips : int array of shape (B,) or scalar
        The number of neuron flips, over every sweep. Keyword-only.

    See Also
    --------
    hopfield.Recall : The base result.

    Examples
    --------
    >>> import numpy as np
    >>> import hopfield as hf
    >>> net = hf.Hopfield().store([[1, 1, 1, 1], [1, -1, 1, -1]])
    >>> r = net.recall(np.array([[1, 1, 1, -1]]), update="sync")  # a 2-cycle
    >>> r.cycled.tolist(), r.converged.tolist(), r.unit
    ([True], [False], 'sweep')
    """

    unit: str = "sweep"
    cycled: object = field(default=None, kw_only=True)
    flips: object = field(default=None, kw_only=True)

    def _per_cue(self) -> tuple[str, ...]:
        return (*super()._per_cue(), "cycled", "flips")

    def _summary(self) -> list[str]:
        return [*super()._summary(), f"cycled={int(self.cycled.sum())}"]


class ActiveSet:
    """Bookkeeping of an iteration in which each cue of a batch stops on its own.

    Every iterative recall (binary sweeps, modern and universal updates, bidirectional
    reverberation, Euler steps) runs the same loop: update the cues still running, record
    their energies, count the iterations that moved each cue, mark the cues that did not move
    as converged, and drop the cues that stop. This class is that loop's state, in the
    caller's array library and on its device, so each model writes only its update.

    Parameters
    ----------
    b : int
        The number of cues in the batch.
    like : array or torch.Tensor, optional
        An array of the caller's library and device: with a tensor, the bookkeeping is torch
        tensors on its device; otherwise NumPy.
    energy_dtype : dtype, optional
        The dtype of the recorded energies; by default float64 on NumPy, and on tensors the
        dtype (and autograd graph) of the energies recorded.

    Attributes
    ----------
    running : int array of shape (R,)
        The indices of the cues still running.
    converged : bool array of shape (B,)
        Whether each cue's last counted iteration changed nothing.
    steps : int64 array of shape (B,)
        The iterations that moved each cue.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.recall import ActiveSet
    >>> run = ActiveSet(3, like=np.zeros(1))
    >>> run.record(np.array([3.0, 2.0, 1.0]))
    >>> run.advance(np.array([True, False, True])).tolist()  # cue 1 did not move: it stops
    [False, True, False]
    >>> run.running.tolist(), run.steps.tolist(), run.converged.tolist()
    ([0, 2], [1, 0, 1], [False, True, False])
    >>> run.record(np.array([2.5, 0.5]))
    >>> run.energies().tolist()
    [[3.0, 2.5], [2.0, 2.0], [1.0, 0.5]]
    """

    def __init__(self, b: int, *, like=None, energy_dtype=None):
        if _backend.is_tensor(like):
            import torch

            kw = {"device": like.device}
            self.running = torch.arange(b, **kw)
            self.converged = torch.zeros(b, dtype=torch.bool, **kw)
            self.steps = torch.zeros(b, dtype=torch.int64, **kw)
            # Energies keep their own dtype (and autograd graph) unless one is given.
            self._nan = lambda e: torch.full(
                (b,), float("nan"), dtype=energy_dtype or e.dtype, **kw
            )
        else:
            self.running = np.arange(b)
            self.converged = np.zeros(b, dtype=np.bool_)
            self.steps = np.zeros(b, dtype=np.int64)
            self._nan = lambda e: np.full(b, np.nan, dtype=energy_dtype or np.float64)
        self._like = like
        self._columns: list = []

    @property
    def done(self) -> bool:
        """Whether every cue has stopped."""
        return _count(self.running) == 0

    def record(self, energies) -> None:
        """Record the energies of the running cues after the latest iteration (or at the start).

        Parameters
        ----------
        energies : array of shape (R,)
            One energy per running cue, in the order of ``running``; the cues that stopped get
            NaN in this column (filled in by :meth:`energies`).
        """
        column = self._nan(energies)
        column[self.running] = energies
        self._columns.append(column)

    def settle(self, done) -> None:
        """Mark the running cues in ``done`` as converged without counting an iteration.

        Parameters
        ----------
        done : bool array of shape (R,)
            One flag per running cue.
        """
        self.converged[self.running[done]] = True

    def advance(self, moved, *, last: bool = False, halt=None, settle: bool = True):
        """Count an iteration and stop the cues it did not move.

        A cue that did not move has converged and stops; a cue in ``halt`` (e.g. a 2-cycle)
        stops without converging or counting the iteration; with ``last`` every cue stops.

        Parameters
        ----------
        moved : bool array of shape (R,)
            Per running cue, whether the iteration changed it.
        last : bool, default False
            Whether this is the last iteration: every cue stops.
        halt : bool array of shape (R,), optional
            Running cues that stop without converging or counting the iteration.
        settle : bool, default True
            With False the iteration is counted but no cue may stop (an update that cannot yet
            tell a fixed point, such as a bidirectional memory's first half-step).

        Returns
        -------
        bool array of shape (R,)
            The stop mask over the cues that were running (all False with ``settle=False``).
        """
        idx = self.running
        go = moved if halt is None else moved & ~halt
        self.steps[idx] += go
        if not settle:
            return go & ~go
        self.settle(~moved)
        stop = go | True if last else ~go
        self.running = idx[~stop]
        return stop

    def energies(self, final=None):
        """Return the recorded energies, one row per cue.

        Parameters
        ----------
        final : array of shape (B,), optional
            Every cue's energy at its final state: it becomes the last column, and a cue that
            stopped holds it in the columns after it stopped (for updates whose last move is
            below the tolerance but not zero). Without it, a cue that stopped keeps its last
            recorded value in later columns.

        Returns
        -------
        array of shape (B, T + 1) or (B, T + 2)
            The energies, in the library and on the device of ``like``.
        """
        xp = np if not _backend.is_tensor(self._like) else _backend.namespace(self._like)
        if final is None:
            return _forward_fill(xp.stack(self._columns, axis=1))
        return _backward_fill(xp.stack([*self._columns, final], axis=1))


def _forward_fill(e):
    """Fill NaN forward: cues that stopped keep their last energy in later columns."""
    if _backend.is_tensor(e):
        import torch

        cols = torch.arange(e.shape[1], device=e.device).expand(e.shape)
        cols = torch.where(torch.isnan(e), 0, cols)
        return torch.gather(e, 1, torch.cummax(cols, dim=1).values)
    cols = np.where(np.isnan(e), 0, np.arange(e.shape[1]))
    return np.take_along_axis(e, np.maximum.accumulate(cols, axis=1), axis=1)


def _backward_fill(e):
    """Fill NaN backward: entries take the next value to their right (the last has none)."""
    if _backend.is_tensor(e):
        import torch

        last = e.shape[1] - 1  # a NaN in the last column (an overflow) stays NaN
        cols = torch.arange(last + 1, device=e.device).expand(e.shape)
        cols = torch.where(torch.isnan(e), last, cols)
        return torch.gather(e, 1, torch.cummin(cols.flip(1), dim=1).values.flip(1))
    cols = np.where(np.isnan(e), e.shape[1] - 1, np.arange(e.shape[1]))
    return np.take_along_axis(e, np.minimum.accumulate(cols[:, ::-1], axis=1)[:, ::-1], axis=1)

"""What a recall returns: one base result for every model, and its binary extension.

Every model's ``recall`` returns a :class:`Recall`; the models of ±1 neurons that run the
binary engine (:mod:`hopfield.dynamics`) return a :class:`BinaryRecall`, which adds what only
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

__all__ = ["Recall", "BinaryRecall", "UNITS"]

UNITS = ("sweep", "step", "time")


def _count(a) -> int:
    return a.numel() if _backend.is_tensor(a) else int(np.size(a))


@dataclass(frozen=True, repr=False)
class Recall:
    """What every model's recall returns.

    Attributes
    ----------
    states : array, (B, ...) or one cue's (...)
        The final states (or, for hetero-associative models, the recalled payloads).
    converged : bool array, (B,) or scalar
        Whether the last iteration of each cue changed nothing (module docstring).
    steps : int array, (B,) or scalar
        Iterations (in ``unit``) that changed each cue's state.
    energies : float array, (B, T + 1) or (T + 1,)
        The energy at the start and after every iteration; a cue that stopped keeps its last
        value in later columns. NaN where the model defines no energy.
    update : str
        The update rule that ran (``"async"``, ``"softmax"``, ``"euler"``, ...).
    unit : str
        What one iteration is: ``"sweep"``, ``"step"`` or ``"time"``.
    extras : dict
        Model-specific results, documented by each model's ``recall``.
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
        """The results of some cues of a batch: ``r.take(slice(0, 6))``, ``r.take([0, 3])``.

        Extras with one row per cue are taken too; the others are kept whole.
        """
        if len(getattr(self.states, "shape", ())) <= 1 and _count(self.converged) == 1:
            if not getattr(self.converged, "shape", ()):
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
    """The result of binary dynamics (:mod:`hopfield.dynamics`): a :class:`Recall` plus

    Attributes
    ----------
    cycled : bool array, (B,) or scalar
        Whether synchronous updates ended in a 2-cycle (always False for one-at-a-time updates,
        which never cycle on a symmetric network).
    flips : int array, (B,) or scalar
        The number of neuron flips, over every sweep.
    """

    unit: str = "sweep"
    cycled: object = field(default=None, kw_only=True)
    flips: object = field(default=None, kw_only=True)

    def _per_cue(self) -> tuple[str, ...]:
        return (*super()._per_cue(), "cycled", "flips")

    def _summary(self) -> list[str]:
        return [*super()._summary(), f"cycled={int(self.cycled.sum())}"]

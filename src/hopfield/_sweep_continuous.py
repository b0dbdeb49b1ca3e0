"""Sweep trials for continuous models (:mod:`hopfield.experiments` on real-valued memories).

A continuous trial stores k real patterns (Gaussian by default,
:func:`hopfield.experiments.gaussian`) in a fresh
``ModernHopfield``, ``UniversalMemory`` or ``HiddenNeuronNetwork``, corrupts each into a cue
(additive Gaussian noise, ``"gauss"``, or zeroed components, ``"mask"``), recalls, and scores
each final state v by its cosine similarity with its own pattern ξ, ``ξ·v / (‖ξ‖ ‖v‖)`` (0 for
v = 0). A cue is *recalled* when that cosine reaches the sweep's threshold (default
``THRESHOLD``, 0.99): exact equality is the wrong criterion for real states, which approach a
memory but, at finite β, sit a little off it (Ramsauer et al. 2020 [1]_, Theorem 4, bound the
distance by ``2(K−1) exp(−β(Δ − 2 M ‖ξ − x‖)) M``).

References
----------
.. [1] H. Ramsauer et al., "Hopfield networks is all you need", arXiv:2008.02217 (2020);
   ICLR 2021.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _validation as v
from . import patterns as pats
from .kernels import single_thread

# Measures of a continuous trial, over its k cues (see hopfield.experiments).
MEASURES = ("cosine", "recalled", "converged", "steps")
KINDS = ("gauss", "mask")
# Every kind of corruption, binary and continuous, in the order of its index in a trial's key
# (and so in its seed): appended to, never reordered.
KEY_KINDS = ("flip", "mask", "gauss")
THRESHOLD = 0.99


def continuous_model(probe) -> bool:
    """Tell whether ``probe`` is a model a continuous sweep can run."""
    from .models import HiddenNeuronNetwork, ModernHopfield, UniversalMemory

    return isinstance(probe, ModernHopfield | UniversalMemory | HiddenNeuronNetwork)


def gaussian(k: int, n: int, rng: v.RngLike = None) -> np.ndarray:
    """Draw ``k`` random patterns of ``n`` independent standard normal components.

    The default patterns of a continuous sweep (the random memories of Ramsauer et al. 2020,
    "Hopfield networks is all you need").

    Parameters
    ----------
    k : int
        Number of patterns, at least 1.
    n : int
        Number of components per pattern, at least 1.
    rng : int, numpy.random.Generator or None, default None
        Seed or ``numpy.random.Generator``.

    Returns
    -------
    ndarray of shape (k, n)
        The patterns, ``float32``.

    Raises
    ------
    ValueError
        When ``k`` or ``n`` is below 1.

    Examples
    --------
    >>> from hopfield.experiments import gaussian
    >>> x = gaussian(3, 1000, rng=0)
    >>> x.shape, x.dtype.name, bool(abs(x.std() - 1) < 0.05)
    ((3, 1000), 'float32', True)
    """
    k = v.integer("k", k, minimum=1)
    n = v.integer("n", n, minimum=1)
    return v.as_rng(rng).standard_normal((k, n), dtype=np.float32)


def draw(generator: Callable, k: int, n: int, gen) -> np.ndarray:
    """Draw patterns from ``generator`` as a real (k, n) array; integers become float32."""
    x = v.real_array("patterns", generator(k, n, rng=gen), ndim=(2,))
    if x.shape != (k, n):
        raise ValueError(f"patterns: the generator must return shape {(k, n)}, got {x.shape}")
    return x if x.dtype in (np.float32, np.float64) else x.astype(np.float32)


def corrupt(x: np.ndarray, kind: str, amount: int, gen) -> np.ndarray:
    """Corrupt patterns ``x`` into cues; ``amount / n`` sets the noise.

    ``"gauss"`` adds noise of standard deviation ``amount / n`` times each pattern's root mean
    square component; ``"mask"`` sets ``amount`` components of each cue, chosen at random, to 0.
    """
    n = x.shape[1]
    if kind == "gauss":
        rms = np.sqrt(np.mean(np.square(x, dtype=np.float64), axis=1, keepdims=True))
        noise = gen.standard_normal(x.shape) * (amount / n) * rms
        return (x + noise).astype(x.dtype)
    cues = x.copy()
    cues[np.arange(len(x))[:, None], pats._choose_bits(x.shape, amount / n, gen)] = 0
    return cues


def recall(net, cues: np.ndarray, max_steps: int):
    """Run a continuous model from ``cues`` for at most ``max_steps`` updates.

    ``HiddenNeuronNetwork`` integrates for ``max_steps`` times its longest time constant (its
    own default at 100), with its default Euler step.
    """
    from .models import HiddenNeuronNetwork

    if isinstance(net, HiddenNeuronNetwork):
        return net.recall(cues, t_max=max_steps * max(net.tau_f, net.tau_h))
    return net.recall(cues, max_steps=max_steps)


def cosines(states: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Return the row-wise cosine similarity of ``states`` with ``x``, 0 where a state is 0."""
    s = np.asarray(states, dtype=np.float64)
    t = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(s, axis=1) * np.linalg.norm(t, axis=1)
    dots = np.einsum("ij,ij->i", s, t)
    return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0).clip(-1.0, 1.0)


def trial(task) -> dict:
    """Run one continuous trial (a ``_sweep._Task``): draw patterns, then the cues' noise."""
    n, k, kind, amount, _ = task.key
    gen = np.random.default_rng(task.seed)
    with single_thread(task.one_thread):
        x = draw(task.patterns, k, n, gen)
        net = task.model().store(x)
        cues = corrupt(x, KEY_KINDS[kind], amount, gen)
        r = recall(net, cues, task.max_sweeps)
    cos = cosines(r.states, x)
    return {
        "seed": task.seed,
        "cosine": float(cos.mean()),
        "recalled": float(np.mean(cos >= task.threshold)),
        "converged": float(np.mean(np.asarray(r.converged))),
        "steps": float(np.mean(np.asarray(r.steps))),
    }

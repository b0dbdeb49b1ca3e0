"""Sweeps over load, cue distance and corruption that return tidy tables and run anywhere.

Each sweep stores random patterns in a fresh model, corrupts them into cues, recalls, and
measures. A *trial* is one network: ``k`` patterns drawn for it, every pattern cued once. The
result is a ``pandas.DataFrame`` with one row per setting and trial: the setting, the trial
index, the trial's ``seed`` and five measures (``MEASURES``) over the trial's ``k`` cues:
``overlap``, the mean overlap ``σ·ξ / N`` of a final state with its own pattern; ``recalled``,
the fraction of patterns recalled exactly; ``wrong_bits``, the mean number of wrong bits in a
final state (divide by ``n`` for the error rate); ``converged``, the fraction of cues that
ended at a fixed point; ``sweeps``, the mean number of sweeps that changed the state.
``df.attrs`` holds the experiment's name and parameters; theory curves belong to plotting.

The sweeps are :func:`hopfield.experiments.capacity` (recall against the load K/N),
:func:`hopfield.experiments.basins` (against the distance of the cue from its pattern) and
:func:`hopfield.experiments.noise` (against the kind and level of corruption).

The module's constants: ``KINDS = ("flip", "mask")`` and ``MEASURES = ("overlap", "recalled",
"wrong_bits", "converged", "sweeps")`` for binary models; ``CONTINUOUS_KINDS = ("gauss",
"mask")``, ``CONTINUOUS_MEASURES = ("cosine", "recalled", "converged", "steps")`` and
``THRESHOLD = 0.99`` for continuous ones.

Notes
-----
.. rubric:: Models

*Binary* models are anything whose ``recall(cues, update=, max_steps=, rng=)`` returns a
:class:`hopfield.Recall` of ±1 states (``Hopfield``, ``DenseAssociativeMemory``):
patterns are ±1 (:func:`hopfield.patterns.random` by default), cues are patterns with bits
flipped (``"flip"``) or hidden (``"mask"``), and the measures are those above.

*Continuous* models are ``ModernHopfield``, ``UniversalMemory`` and ``HiddenNeuronNetwork``.
Their patterns are real vectors: :func:`hopfield.experiments.gaussian` (independent standard
normal components) by default, or any generator, e.g. ``patterns=hf.patterns.random`` for ±1
patterns stored as float32. Their cues carry additive Gaussian noise (``"gauss"``: standard
deviation ``level`` times the pattern's root mean square component, so ``level`` 1 is as much
noise as signal) or zeroed components (``"mask"``); ``capacity`` and ``basins`` use ``"gauss"``.
Exact recall means nothing for real states, so a cue counts as *recalled* when the cosine
similarity of its final state with its pattern is at least ``threshold`` (default ``THRESHOLD``
= 0.99). Their table has the measures ``CONTINUOUS_MEASURES``: ``cosine``, the mean cosine
similarity of a final state with its pattern; ``recalled``, the fraction of cues recalled;
``converged``, the fraction that ended below the model's tolerance; ``steps``, the mean number
of updates that moved a state (Euler steps for ``HiddenNeuronNetwork``). ``update`` must stay
``None`` (the model's own update runs) and ``max_steps`` caps the updates (``max_steps`` of the
recall; for ``HiddenNeuronNetwork`` the integration time ``t_max`` is ``max_steps`` times its
longest time constant). Levels, like bits, are counted in units of 1/n: a level is rounded to a
multiple of 1/n and the table reports the rounded value. The trial's generator draws the
patterns, then the cues' noise, in that order.

.. rubric:: Executors

Trials are independent tasks for any ``concurrent.futures.Executor``. ``executor=None``
starts a local pool of processes (:func:`hopfield.experiments.process_pool`: one per CPU, the
``spawn`` start method, because forking a process that has run Numba's OpenMP threads aborts
the child).
``"serial"`` runs the trials one after another in this process: best for small sweeps and
tests. A Dask ``distributed.Client`` (or ``client.get_executor()``) runs the same sweep on a
cluster. Under an executor each trial runs Numba single-threaded, as the executor already
keeps every core busy. Process pools pickle the model factory: a ``lambda`` does not pickle,
``functools.partial(hf.Hopfield, rule="storkey")`` does; Dask and ``"serial"`` take both.
Spawned processes import the calling script again, so scripts need the usual
``if __name__ == "__main__":`` guard. Threads (a ``ThreadPoolExecutor``, Dask workers with
several threads) need a thread-safe Numba threading layer (``omp`` or ``tbb``, not
``workqueue``); processes always work.

.. rubric:: Determinism

Trial ``t`` of a setting with ``k`` patterns and ``b`` corrupted bits of kind ``c`` at ``n``
neurons draws everything from the seed
``SeedSequence(rng, spawn_key=(n, k, c, b, t)).generate_state(1, uint64)[0] >> 11``, so a
row depends on what it measures, never on the order of the settings, the other settings, or
which worker ran it; rows are sorted by setting, then trial. A row is reproduced alone with
``np.random.default_rng(int(row.seed))``. A capacity trial at ``noise=0.1`` is the very same
trial as the basins trial of the same ``k`` at ``distance=0.1``: the sweeps share random
numbers. (Machines whose BLAS rounds differently could, in principle, break a near-tie
differently; the same software stack gives the same table.)

.. rubric:: Checkpoints

With ``checkpoint=PATH`` the finished trials are written to a JSON file (rewritten whole, via a
temporary file and a rename, at most once a second and when the sweep ends or stops). Running
the sweep again with the same file skips them. The file records the parameters that decide a
row's values (experiment, ``rng``, model, pattern generator, ``update``, ``max_steps`` (saved
as ``max_sweeps``), and for continuous models ``threshold``); a mismatch is an error. Settings
and trials may change between runs, so a sweep can be extended.
Ctrl-C cancels the pending trials and leaves the checkpoint holding every finished one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from . import _validation as v
from ._sweep import KINDS, MEASURES, _add, _sweep, _values, family, kinds_of, probe, process_pool
from ._sweep_continuous import KINDS as CONTINUOUS_KINDS
from ._sweep_continuous import MEASURES as CONTINUOUS_MEASURES
from ._sweep_continuous import THRESHOLD, gaussian

__all__ = [
    "CONTINUOUS_KINDS",
    "CONTINUOUS_MEASURES",
    "KINDS",
    "MEASURES",
    "THRESHOLD",
    "basins",
    "capacity",
    "gaussian",
    "noise",
    "process_pool",
]


@v.keywords(max_sweeps="max_steps")
def capacity(
    model: Callable,
    *,
    n: int,
    loads: Iterable[float],
    trials: int = 10,
    noise: float = 0.1,
    patterns: Callable | None = None,
    update: str | None = None,
    max_steps: int = 100,
    threshold: float | None = None,
    rng: v.RngLike = 0,
    executor: Any = None,
    progress: bool = True,
    checkpoint: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Measure recall quality against the load K/N.

    For every load, store K = round(load · n) patterns and cue each with ``noise`` of its bits
    flipped (continuous models: Gaussian noise of that level).

    Parameters
    ----------
    model : callable
        A picklable callable returning a fresh, empty model, e.g. ``hf.Hopfield``,
        ``functools.partial(hf.Hopfield, rule="storkey")`` or
        ``functools.partial(hf.ModernHopfield, beta=0.5)`` (see Models in
        :mod:`hopfield.experiments`).
    n : int
        Number of neurons, at least 1.
    loads : iterable of float
        Loads K/N to sweep; each must give K >= 1, and no two the same K.
    trials : int, default 10
        Networks per load.
    noise : float, default 0.1
        Fraction of bits flipped in each cue, in [0, 1]; for continuous models the Gaussian
        noise level (standard deviation over the pattern's RMS), in [0, 1].
    patterns : callable, optional
        Pattern generator called as ``patterns(k, n, rng=...)``, e.g.
        ``functools.partial(hf.patterns.biased, p=0.7)``; ``None``: ±1
        :func:`hopfield.patterns.random` for binary models,
        :func:`hopfield.experiments.gaussian` for continuous ones.
    update : {"async", "sync"}, optional
        The update of binary models (``None`` means ``"async"``); leave it ``None`` for
        continuous models.
    max_steps : int, default 100
        The most sweeps per recall (updates, for continuous models); the old name
        ``max_sweeps`` is deprecated.
    threshold : float, optional
        Continuous models only: the cosine with its pattern at which a final state counts as
        recalled, in (0, 1]; ``None`` is ``THRESHOLD`` (0.99).
    rng : int, numpy.random.Generator or None, default 0
        Seed of the whole sweep (an int >= 0; ``None`` draws one, kept in ``df.attrs``). A
        ``numpy.random.Generator`` gives a seed drawn from it; a checkpointed sweep needs an
        int.
    executor : None, "serial", concurrent.futures.Executor or distributed.Client, optional
        ``None`` starts local processes (:func:`hopfield.experiments.process_pool`),
        ``"serial"`` runs the trials in this process, or a ``concurrent.futures.Executor``
        or a Dask ``distributed.Client`` (see Executors in :mod:`hopfield.experiments`).
    progress : bool, default True
        Show a progress bar (tqdm; off by itself when stderr is not a terminal).
    checkpoint : str or os.PathLike, optional
        JSON file to save finished trials in and resume from (see Checkpoints in
        :mod:`hopfield.experiments`).

    Returns
    -------
    pandas.DataFrame
        Columns n, k, load (= k / n), noise (flipped bits / n), trial, seed and the measures
        (see :mod:`hopfield.experiments`), sorted by k, then trial. A continuous model's table
        has ``CONTINUOUS_MEASURES`` as its measures.

    Raises
    ------
    TypeError
        When ``model`` is not a callable returning a binary or continuous model, or a process
        pool cannot pickle ``model`` or ``patterns``.
    ValueError
        When a setting is out of range or two settings give the same trial, an option is
        unknown or does not fit the model's family, or ``checkpoint`` holds another sweep.
    RuntimeError
        When a process pool is passed from a script's top level outside
        ``if __name__ == "__main__":`` (the default pool runs in this process instead, with a
        ``RuntimeWarning``).

    Examples
    --------
    >>> import functools, hopfield as hf
    >>> from hopfield.experiments import capacity
    >>> storkey = functools.partial(hf.Hopfield, rule="storkey")
    >>> for factory in (hf.Hopfield, storkey):
    ...     df = capacity(factory, n=100, loads=[0.05, 0.2], trials=2,
    ...                   executor="serial", progress=False)
    ...     print(df.groupby("load")["recalled"].mean().round(1).tolist())
    [1.0, 0.3]
    [1.0, 1.0]

    A modern Hopfield network at β = 1 retrieves Gaussian patterns from noisy cues far
    beyond these loads; at β = 0.01 it only averages them:

    >>> for beta in (1.0, 0.01):
    ...     modern = functools.partial(hf.ModernHopfield, beta=beta)
    ...     df = capacity(modern, n=64, loads=[0.25, 1.0], trials=2, noise=0.5,
    ...                   executor="serial", progress=False)
    ...     print(df.groupby("load")["recalled"].mean().tolist())
    [1.0, 1.0]
    [0.0, 0.0]
    """
    n = v.integer("n", n, minimum=1)
    bits = round(v.fraction("noise", noise) * n)
    probed = probe(model)
    kind = "flip" if family(probed) == "binary" else "gauss"
    settings = {}
    for load in _values("loads", loads):
        k = round(load * n)
        if load <= 0 or k < 1:
            raise ValueError(f"loads: each load must give K = round(load * n) >= 1, got {load}")
        _add(settings, "loads", (k, kind, bits), load, f"K = {k} at n = {n}")

    def columns(k, kind, b):
        return {"n": n, "k": k, "load": k / n, "noise": b / n}

    run = (model, probed, patterns, trials, update, max_steps, rng, executor, progress,
           checkpoint, threshold)  # fmt: skip
    return _sweep("capacity", n, settings, columns, run)


@v.keywords(max_sweeps="max_steps")
def basins(
    model: Callable,
    *,
    n: int,
    k: int,
    distances: Iterable[float] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
    trials: int = 10,
    patterns: Callable | None = None,
    update: str | None = None,
    max_steps: int = 100,
    threshold: float | None = None,
    rng: v.RngLike = 0,
    executor: Any = None,
    progress: bool = True,
    checkpoint: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Measure the probability of recall against the initial Hamming distance from a memory.

    Each cue is a stored pattern with exactly round(distance · n) bits flipped (continuous
    models: Gaussian noise of level ``distance``). The arguments are those of
    :func:`hopfield.experiments.capacity`, with ``k`` patterns per network and ``distances``
    in place of ``loads`` and ``noise``.

    Parameters
    ----------
    model : callable
        A picklable callable returning a fresh, empty model, e.g. ``hf.Hopfield``,
        ``functools.partial(hf.Hopfield, rule="storkey")`` or
        ``functools.partial(hf.ModernHopfield, beta=0.5)`` (see Models in
        :mod:`hopfield.experiments`).
    n : int
        Number of neurons, at least 1.
    k : int
        Patterns per network, at least 1.
    distances : iterable of float, default (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
        Fractions of flipped bits, or noise levels, in [0, 1]; no two may give the same
        number of bits.
    trials : int, default 10
        Networks per distance.
    patterns : callable, optional
        Pattern generator called as ``patterns(k, n, rng=...)``, e.g.
        ``functools.partial(hf.patterns.biased, p=0.7)``; ``None``: ±1
        :func:`hopfield.patterns.random` for binary models,
        :func:`hopfield.experiments.gaussian` for continuous ones.
    update : {"async", "sync"}, optional
        The update of binary models (``None`` means ``"async"``); leave it ``None`` for
        continuous models.
    max_steps : int, default 100
        The most sweeps per recall (updates, for continuous models); the old name
        ``max_sweeps`` is deprecated.
    threshold : float, optional
        Continuous models only: the cosine with its pattern at which a final state counts as
        recalled, in (0, 1]; ``None`` is ``THRESHOLD`` (0.99).
    rng : int, numpy.random.Generator or None, default 0
        Seed of the whole sweep (an int >= 0; ``None`` draws one, kept in ``df.attrs``). A
        ``numpy.random.Generator`` gives a seed drawn from it; a checkpointed sweep needs an
        int.
    executor : None, "serial", concurrent.futures.Executor or distributed.Client, optional
        ``None`` starts local processes (:func:`hopfield.experiments.process_pool`),
        ``"serial"`` runs the trials in this process, or a ``concurrent.futures.Executor``
        or a Dask ``distributed.Client`` (see Executors in :mod:`hopfield.experiments`).
    progress : bool, default True
        Show a progress bar (tqdm; off by itself when stderr is not a terminal).
    checkpoint : str or os.PathLike, optional
        JSON file to save finished trials in and resume from (see Checkpoints in
        :mod:`hopfield.experiments`).

    Returns
    -------
    pandas.DataFrame
        Columns n, k, load, distance (= bits / n), bits, trial, seed and the measures;
        ``recalled`` is the probability of exact recall.

    Raises
    ------
    TypeError
        When ``model`` is not a callable returning a binary or continuous model, or a process
        pool cannot pickle ``model`` or ``patterns``.
    ValueError
        When a setting is out of range or two settings give the same trial, an option is
        unknown or does not fit the model's family, or ``checkpoint`` holds another sweep.
    RuntimeError
        When a process pool is passed from a script's top level outside
        ``if __name__ == "__main__":`` (the default pool runs in this process instead, with a
        ``RuntimeWarning``).

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.experiments import basins
    >>> df = basins(hf.Hopfield, n=100, k=5, distances=[0.1, 0.45], trials=2,
    ...             executor="serial", progress=False)
    >>> df.groupby("distance")["recalled"].mean().tolist()
    [1.0, 0.0]
    """
    n = v.integer("n", n, minimum=1)
    k = v.integer("k", k, minimum=1)
    probed = probe(model)
    kind = "flip" if family(probed) == "binary" else "gauss"
    settings = {}
    for d in _values("distances", distances):
        bits = round(v.fraction("distances", d) * n)
        what = f"{bits} flipped bits" if kind == "flip" else f"noise level {bits}/{n}"
        _add(settings, "distances", (k, kind, bits), d, f"{what} at n = {n}")

    def columns(k, kind, b):
        return {"n": n, "k": k, "load": k / n, "distance": b / n, "bits": b}

    run = (model, probed, patterns, trials, update, max_steps, rng, executor, progress,
           checkpoint, threshold)  # fmt: skip
    return _sweep("basins", n, settings, columns, run)


@v.keywords(max_sweeps="max_steps")
def noise(
    model: Callable,
    *,
    n: int,
    k: int,
    kinds: Iterable[str] | None = None,
    levels: Iterable[float] = (0.1, 0.2, 0.3, 0.4, 0.5),
    trials: int = 10,
    patterns: Callable | None = None,
    update: str | None = None,
    max_steps: int = 100,
    threshold: float | None = None,
    rng: v.RngLike = 0,
    executor: Any = None,
    progress: bool = True,
    checkpoint: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Measure recall against the kind and level of corruption of the cues.

    ``"flip"`` negates round(level · n) bits of each cue (:func:`hopfield.patterns.flip`),
    ``"mask"`` hides them (sets them to 0, :func:`hopfield.patterns.mask`). Continuous models
    take ``"gauss"`` (Gaussian noise of standard deviation ``level`` times the pattern's RMS)
    and ``"mask"``. The other arguments are those of :func:`hopfield.experiments.capacity`,
    with ``k`` patterns per network.

    Parameters
    ----------
    model : callable
        A picklable callable returning a fresh, empty model, e.g. ``hf.Hopfield``,
        ``functools.partial(hf.Hopfield, rule="storkey")`` or
        ``functools.partial(hf.ModernHopfield, beta=0.5)`` (see Models in
        :mod:`hopfield.experiments`).
    n : int
        Number of neurons, at least 1.
    k : int
        Patterns per network, at least 1.
    kinds : str or iterable of str, optional
        Kinds of corruption, each once: ``"flip"`` and ``"mask"`` for binary models,
        ``"gauss"`` and ``"mask"`` for continuous ones. ``None`` sweeps every kind of the
        model's family (``KINDS`` or ``CONTINUOUS_KINDS``).
    levels : iterable of float, default (0.1, 0.2, 0.3, 0.4, 0.5)
        Fractions of corrupted bits, or noise levels, in [0, 1].
    trials : int, default 10
        Networks per kind and level.
    patterns : callable, optional
        Pattern generator called as ``patterns(k, n, rng=...)``, e.g.
        ``functools.partial(hf.patterns.biased, p=0.7)``; ``None``: ±1
        :func:`hopfield.patterns.random` for binary models,
        :func:`hopfield.experiments.gaussian` for continuous ones.
    update : {"async", "sync"}, optional
        The update of binary models (``None`` means ``"async"``); leave it ``None`` for
        continuous models.
    max_steps : int, default 100
        The most sweeps per recall (updates, for continuous models); the old name
        ``max_sweeps`` is deprecated.
    threshold : float, optional
        Continuous models only: the cosine with its pattern at which a final state counts as
        recalled, in (0, 1]; ``None`` is ``THRESHOLD`` (0.99).
    rng : int, numpy.random.Generator or None, default 0
        Seed of the whole sweep (an int >= 0; ``None`` draws one, kept in ``df.attrs``). A
        ``numpy.random.Generator`` gives a seed drawn from it; a checkpointed sweep needs an
        int.
    executor : None, "serial", concurrent.futures.Executor or distributed.Client, optional
        ``None`` starts local processes (:func:`hopfield.experiments.process_pool`),
        ``"serial"`` runs the trials in this process, or a ``concurrent.futures.Executor``
        or a Dask ``distributed.Client`` (see Executors in :mod:`hopfield.experiments`).
    progress : bool, default True
        Show a progress bar (tqdm; off by itself when stderr is not a terminal).
    checkpoint : str or os.PathLike, optional
        JSON file to save finished trials in and resume from (see Checkpoints in
        :mod:`hopfield.experiments`).

    Returns
    -------
    pandas.DataFrame
        Columns n, k, load, kind, level (= bits / n), bits, trial, seed and the measures,
        sorted by kind (flip, mask, gauss), level, trial.

    Raises
    ------
    TypeError
        When ``model`` is not a callable returning a binary or continuous model, or a process
        pool cannot pickle ``model`` or ``patterns``.
    ValueError
        When a setting is out of range or two settings give the same trial, an option is
        unknown or does not fit the model's family, or ``checkpoint`` holds another sweep.
    RuntimeError
        When a process pool is passed from a script's top level outside
        ``if __name__ == "__main__":`` (the default pool runs in this process instead, with a
        ``RuntimeWarning``).

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.experiments import noise
    >>> df = noise(hf.Hopfield, n=100, k=10, levels=[0.4], trials=2,
    ...            executor="serial", progress=False)
    >>> df.groupby("kind")["overlap"].mean().round(2).to_dict()
    {'flip': 0.32, 'mask': 1.0}
    """
    n = v.integer("n", n, minimum=1)
    k = v.integer("k", k, minimum=1)
    probed = probe(model)
    valid = kinds_of(family(probed))
    kinds = list(valid) if kinds is None else [kinds] if isinstance(kinds, str) else list(kinds)
    if not kinds:
        raise ValueError(f"kinds: expected at least one of {valid}, got none")
    levels = _values("levels", levels)
    settings = {}
    for kind in kinds:
        kind = v.choose("kinds", kind, valid)
        if kinds.count(kind) > 1:
            raise ValueError(f"kinds: {kind!r} is given {kinds.count(kind)} times, expected once")
        for level in levels:
            bits = round(v.fraction("levels", level) * n)
            _add(settings, "levels", (k, kind, bits), level, f"{bits} {kind} bits at n = {n}")

    def columns(k, kind, b):
        return {"n": n, "k": k, "load": k / n, "kind": kind, "level": b / n, "bits": b}

    run = (model, probed, patterns, trials, update, max_steps, rng, executor, progress,
           checkpoint, threshold)  # fmt: skip
    return _sweep("noise", n, settings, columns, run)

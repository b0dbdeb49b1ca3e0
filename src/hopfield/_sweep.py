"""The machinery under :mod:`hopfield.experiments`: trials on executors, seeds, checkpoints.

Private: :mod:`hopfield.experiments` documents the behaviour (its Executors, Determinism and
Checkpoints notes) and re-exports :func:`hopfield.experiments.process_pool`.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import multiprocessing
import numbers
import os
import pickle
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from . import _sweep_continuous as cont
from . import _validation as v
from . import patterns as pats
from ._atomic import write_text
from ._mainguard import unguarded_call
from .dynamics import BinaryModel
from .kernels import single_thread

KINDS = ("flip", "mask")
MEASURES = ("overlap", "recalled", "wrong_bits", "converged", "sweeps")
_KEY_KINDS = cont.KEY_KINDS
_UPDATES = ("async", "sync")
_FORMAT = "hopfield-experiment"
_VERSION = 1
_FLUSH_SECONDS = 1.0


def process_pool(max_workers: int | None = None) -> ProcessPoolExecutor:
    """Make a local process pool fit for sweeps, its workers started with ``spawn``.

    ``spawn`` is the start method that is safe once Numba has run threads. Each worker exits
    when the process that made the pool dies, even by ``kill -9``, so an interrupted sweep
    leaves no workers (nor, once they are gone, a resource tracker) behind. Workers start
    when work is first submitted, and each imports the main script again: call it under
    ``if __name__ == "__main__":`` in a script.

    Parameters
    ----------
    max_workers : int, optional
        Number of processes, at least 1; by default one per CPU.

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        The pool, for ``executor=`` of the sweeps in :mod:`hopfield.experiments` or any
        other use; shut it down (or use it in a ``with`` block) when done.

    Raises
    ------
    ValueError
        When ``max_workers`` is below 1.

    Examples
    --------
    >>> from concurrent.futures import Executor
    >>> from hopfield.experiments import process_pool
    >>> with process_pool(2) as pool:  # no process starts before work is submitted
    ...     isinstance(pool, Executor)
    True

    Submitting work starts the workers, which takes about a second and, in a script, needs
    the ``__main__`` guard (so it is not run here):

    >>> with process_pool(1) as pool:  # doctest: +SKIP
    ...     pool.submit(sum, [1, 2]).result()
    3
    """
    if max_workers is not None:
        max_workers = v.integer("max_workers", max_workers, minimum=1)
    return ProcessPoolExecutor(
        max_workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )


def _exit_with_parent(parent: int) -> None:
    """Exit a pool worker within a second of ``parent`` dying (the worker is reparented).

    A polling thread rather than Linux's PR_SET_PDEATHSIG, which fires when the *thread* that
    started the worker ends, and would kill a pool made in a short-lived thread.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="hopfield-parent-watch", daemon=True).start()


# -- one trial, run wherever the executor puts it ------------------------------------------
@dataclass(frozen=True)
class _Task:
    """One trial as a picklable task: what to build, which key and seed, how to recall."""

    model: Callable
    patterns: Callable
    key: tuple[int, int, int, int, int]  # (n, k, kind index, bits, trial)
    seed: int
    update: str
    max_sweeps: int
    one_thread: bool
    threshold: float | None = None  # set for continuous models, which it marks


def _trial(task: _Task) -> dict:
    """Run one trial (binary, or continuous via ``_sweep_continuous``); return its record."""
    if task.threshold is not None:
        return cont.trial(task)
    n, k, kind, bits, _ = task.key
    gen = np.random.default_rng(task.seed)
    with single_thread(task.one_thread):
        x = _draw(task.patterns, k, n, gen)
        net = task.model().store(x)
        corrupt = pats.flip if _KEY_KINDS[kind] == "flip" else pats.mask
        cues = corrupt(x, bits / n, rng=gen)
        r = net.recall(cues, update=task.update, max_steps=task.max_sweeps, rng=gen)
    states = np.asarray(r.states, dtype=np.int64)
    wrong = np.count_nonzero(states != x, axis=1)
    return {
        "seed": task.seed,
        "overlap": float((states * x).sum(axis=1).mean() / n),
        "recalled": float(np.mean(wrong == 0)),
        "wrong_bits": float(wrong.mean()),
        "converged": float(np.mean(r.converged)),
        "sweeps": float(np.mean(r.steps)),
    }


def _draw(generator: Callable, k: int, n: int, gen) -> np.ndarray:
    """Draw ±1 patterns from ``generator`` and check they are a (k, n) array."""
    x = v.bipolar("patterns", generator(k, n, rng=gen), ndim=(2,))
    if x.shape != (k, n):
        raise ValueError(f"patterns: the generator must return shape {(k, n)}, got {x.shape}")
    return x


# -- the sweep -------------------------------------------------------------------------------
def probe(model: Callable):
    """Build one model from the factory ``model``, checking the factory before any trial runs.

    The probe tells the family and names the model (its repr and every parameter) in
    checkpoints.
    """
    if not callable(model):
        raise TypeError(f"model: expected a callable returning a fresh model, got {model!r}")
    return model()


def family(probe) -> str:
    """Return ``"binary"`` or ``"continuous"``, the kind of model ``probe`` is (checked here)."""
    if isinstance(probe, BinaryModel):
        return "binary"
    if cont.continuous_model(probe):
        return "continuous"
    raise TypeError(
        "model: sweeps need a binary model (Hopfield, DenseAssociativeMemory, SparseHopfield, "
        "or another hopfield.dynamics.BinaryModel) or a continuous one (ModernHopfield, "
        f"UniversalMemory, HiddenNeuronNetwork), got {type(probe).__name__}"
    )


def kinds_of(kind: str) -> tuple[str, ...]:
    """Return the kinds of corruption a ``family`` of models is swept with."""
    return cont.KINDS if kind == "continuous" else KINDS


def _sweep(name: str, n: int, settings: dict, columns: Callable, run: tuple) -> pd.DataFrame:
    """Check the arguments, run every trial not in the checkpoint, and build the table."""
    model, probed, patterns, trials, update, max_sweeps, rng, executor, progress = run[:9]
    checkpoint, threshold = run[9:]
    trials = v.integer("trials", trials, minimum=1)
    kind = family(probed)
    if kind == "binary":
        update = v.choose("update", "async" if update is None else update, _UPDATES)
        if threshold is not None:
            raise ValueError(
                f"threshold: binary models count exact recall, so leave it unset; got {threshold!r}"
            )
        patterns = pats.random if patterns is None else patterns
        draw = _draw
    else:
        if update is not None:
            raise ValueError(
                "update: a continuous model runs its own update (its recall), so leave it unset; "
                f"got {update!r}"
            )
        threshold = cont.THRESHOLD if threshold is None else threshold
        threshold = v.positive("threshold", threshold)
        if threshold > 1:
            raise ValueError(f"threshold: expected a cosine in (0, 1], got {threshold}")
        patterns = cont.gaussian if patterns is None else patterns
        draw = cont.draw
    max_sweeps = v.integer("max_steps", max_sweeps, minimum=1)
    if not isinstance(progress, bool):
        raise TypeError(f"progress: expected True or False, got {type(progress).__name__}")
    entropy = _entropy(rng, checkpoint)
    if checkpoint is not None and not isinstance(checkpoint, str | os.PathLike):
        raise TypeError(f"checkpoint: expected a path or None, got {type(checkpoint).__name__}")
    pool = _guard(_executor(executor))
    if not callable(patterns):
        raise TypeError(f"patterns: expected a callable (k, n, rng=...), got {patterns!r}")
    draw(patterns, 1, n, np.random.default_rng(0))
    params = {
        "experiment": name,
        "rng": entropy,
        "model": repr(probed),
        "model_params": _model_params(probed),
        "patterns": _describe(patterns),
        "update": update,
        "max_sweeps": max_sweeps,
    }
    if threshold is not None:
        params["threshold"] = threshold
    measures = MEASURES if threshold is None else cont.MEASURES
    if pool is None or isinstance(pool, ProcessPoolExecutor):
        _picklable(model=model, patterns=patterns)
    store = _Checkpoint(checkpoint, params, measures)
    keys = sorted((n, k, _KEY_KINDS.index(c), b, t) for k, c, b in settings for t in range(trials))
    one = pool != "serial"
    tasks = [
        _Task(model, patterns, key, _seed(entropy, key), update, max_sweeps, one, threshold)
        for key in keys
        if key not in store.records
    ]
    bar = tqdm(
        total=len(keys),
        initial=len(keys) - len(tasks),
        desc=name,
        unit="trial",
        disable=None if progress else True,
    )
    try:
        with closing(_completed(tasks, pool)) as results:
            for task, record in results:
                store.add(task.key, record)
                bar.update()
    finally:
        bar.close()
        store.flush(force=True)
    rows = []
    for key in keys:
        _, k, c, b, t = key
        rows.append({**columns(k, _KEY_KINDS[c], b), "trial": t, **store.records[key]})
    df = pd.DataFrame(rows)
    df.attrs = {"experiment": name, "params": {**params, "n": n, "trials": trials}}
    return df


def _completed(tasks: list[_Task], pool):
    """Yield (task, record) as trials finish; on any exception cancel those not started."""
    if pool == "serial":
        for task in tasks:
            yield task, _trial(task)
        return
    own = None
    if pool is None:
        if not tasks:
            return
        pool = own = process_pool(min(os.cpu_count() or 1, len(tasks)))
    futures = {pool.submit(_trial, task): task for task in tasks}
    finished = False
    try:
        for fut in as_completed(futures):
            yield futures[fut], fut.result()
        finished = True
    finally:
        for fut in futures:
            fut.cancel()
        if own is not None:
            own.shutdown(wait=finished, cancel_futures=True)


def _guard(pool):
    """Refuse a process pool from a script's top level outside ``if __name__ == "__main__":``.

    Spawned workers import the script again and would run the sweep again (Python stops them
    with a bootstrapping error, the caller sees ``BrokenProcessPool``). The default pool falls
    back to this process with a warning; a pool passed in is refused with what to add.
    """
    spawns = pool is None or (
        isinstance(pool, ProcessPoolExecutor)
        and getattr(getattr(pool, "_mp_context", None), "get_start_method", lambda: "spawn")()
        != "fork"
    )
    where = unguarded_call() if spawns else None
    if where is None:
        return pool
    path, line = where
    why = (
        "a process pool's workers import this script again and would run this sweep again; "
        "put the script's top-level code under 'if __name__ == \"__main__\":'"
    )
    if pool is not None:
        raise RuntimeError(f"executor: {path}, line {line}: {why}")
    # Point at the script's line itself, however many frames of the library lie between.
    warnings.warn_explicit(
        f"{why}. Running the sweep in this process instead.", RuntimeWarning, str(path), line
    )
    return "serial"


def _executor(executor):
    """Check ``executor``; a Dask client becomes its ``concurrent.futures`` executor."""
    if executor is None or executor == "serial" or isinstance(executor, Executor):
        return executor
    if callable(getattr(executor, "get_executor", None)):
        return executor.get_executor()  # a Dask distributed.Client
    raise TypeError(
        "executor: expected None, 'serial', a concurrent.futures.Executor or a Dask Client, "
        f"got {executor!r}"
    )


def _entropy(rng, checkpoint) -> int:
    """Return the sweep's seed as an int: ``rng`` itself, fresh entropy, or drawn from it."""
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return v.integer("rng", rng, minimum=0)
    if checkpoint is not None:
        raise ValueError(f"rng: a checkpointed sweep needs an int seed to resume, got {rng!r}")
    if rng is None:
        return int(np.random.SeedSequence().entropy)
    return int(v.as_rng(rng).integers(2**63))


def _seed(entropy: int, key: tuple[int, ...]) -> int:
    """Return the seed of the trial ``key``, 53 bits of its ``SeedSequence``."""
    state = np.random.SeedSequence(entropy, spawn_key=key).generate_state(1, np.uint64)[0]
    # 53 bits survive a float64 round trip, as in ``int(df.iloc[i].seed)`` on an upcast row.
    return int(state >> np.uint64(11))


def _model_params(probe) -> str:
    """Describe every constructor parameter of ``probe``.

    The repr may leave some out (Hopfield's omits bias), and a checkpoint must never serve a
    model that differs in any.
    """
    names = [n for n in inspect.signature(type(probe).__init__).parameters if n != "self"]
    given = sorted((k, getattr(probe, k)) for k in names if hasattr(probe, k))
    return f"{type(probe).__name__}({', '.join(f'{k}={_param(a)}' for k, a in given)})"


def _param(value) -> str:
    """Write a parameter as text that differs whenever the value does (arrays by their bytes)."""
    if isinstance(value, np.ndarray | list | tuple) and np.asarray(value).dtype != object:
        arr = np.ascontiguousarray(value)
        digest = hashlib.sha256(arr.tobytes()).hexdigest()[:16]
        return f"array(shape={arr.shape}, dtype={arr.dtype}, sha256={digest})"
    return repr(value)


def _describe(fn: Callable) -> str:
    """Name a pattern generator, with the arguments of a ``functools.partial``."""
    if isinstance(fn, partial):
        args = [repr(a) for a in fn.args] + [f"{k}={a!r}" for k, a in sorted(fn.keywords.items())]
        return f"{_describe(fn.func)}({', '.join(args)})"
    name = getattr(fn, "__qualname__", type(fn).__qualname__)
    return f"{getattr(fn, '__module__', '')}.{name}"


def _picklable(**named) -> None:
    """Raise ``TypeError`` naming the first of ``named`` that does not pickle."""
    for name, fn in named.items():
        try:
            pickle.dumps(fn)
        except Exception as err:
            raise TypeError(
                f"{name}: a process pool must pickle it, and {fn!r} does not pickle ({err}); "
                "use a module-level function or functools.partial, or executor='serial'"
            ) from None


def _values(name: str, values) -> list[float]:
    """Check a number or a 1-D sequence of real numbers; return it as a list of floats."""
    arr = v.real_array(name, values, ndim=(0, 1))
    return [float(x) for x in np.atleast_1d(arr)]


def _add(settings: dict, name: str, setting: tuple, given, what: str) -> None:
    """Add ``setting`` to ``settings``; two values that give the same setting are an error."""
    if setting in settings:
        raise ValueError(
            f"{name}: {settings[setting]!r} and {given!r} both give {what}; "
            "drop one or use a larger n"
        )
    settings[setting] = given


def _record(row, entropy: int, measures: tuple[str, ...] = MEASURES) -> tuple[tuple, dict]:
    """Check a checkpoint row field by field; return its key and the record of its trial."""
    if not isinstance(row, dict):
        raise TypeError(f"expected an object, got {type(row).__name__}")
    if set(row) != {"key", "seed", *measures}:
        raise ValueError(f"expected the fields key, seed, {', '.join(measures)}; got {sorted(row)}")
    key = row["key"]
    if (
        not isinstance(key, list)
        or len(key) != 5
        or not all(type(x) is int and x >= 0 for x in key)
        or key[2] >= len(_KEY_KINDS)
    ):
        raise ValueError(f"key: expected [n, k, kind, bits, trial] of ints >= 0, got {key!r}")
    n, k, _, bits, _ = key = tuple(key)
    if not (1 <= k and bits <= n):
        raise ValueError(f"key: impossible sizes {key}")
    if row["seed"] != _seed(entropy, key):
        raise ValueError(f"seed: {row['seed']!r} is not the seed of trial {key}")
    record = {"seed": row["seed"]}
    bounds = {
        "overlap": (-1, 1),
        "cosine": (-1, 1),
        "recalled": (0, 1),
        "wrong_bits": (0, n),
        "converged": (0, 1),
    }
    for name in measures:
        value = row[name]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise ValueError(f"{name}: expected a finite number, got {value!r}")
        low, high = bounds.get(name, (0, math.inf))
        if not low <= value <= high:
            raise ValueError(f"{name}: {value!r} is outside [{low}, {high}]")
        if name in ("recalled", "converged") and abs(value * k - round(value * k)) > 1e-6:
            raise ValueError(f"{name}: {value!r} is not a fraction of the trial's {k} cues")
        record[name] = float(value)
    return key, record


class _Checkpoint:
    """Finished trials by key, mirrored to an optional JSON file written atomically."""

    def __init__(self, path, params: dict, measures: tuple[str, ...] = MEASURES):
        self.path = None if path is None else Path(os.fspath(path))
        self.params = params
        self.measures = measures
        self.records: dict[tuple, dict] = {}
        self.dirty = False
        self.written = time.monotonic()
        if self.path is not None and not self.path.parent.is_dir():
            # Found now, not when the first write comes after minutes of trials.
            raise ValueError(f"checkpoint: folder {self.path.parent} does not exist; create it")
        if self.path is not None and self.path.exists():
            self._load()

    def _load(self) -> None:
        """Read the file's records, refusing another sweep's file or a damaged one."""
        try:
            doc = json.loads(self.path.read_text())
            if (doc.get("format"), doc.get("version")) != (_FORMAT, _VERSION):
                raise ValueError(f"expected format {_FORMAT!r} version {_VERSION}")
            stored, rows = doc["params"], doc["records"]
        except (ValueError, KeyError, AttributeError, TypeError) as err:
            raise ValueError(
                f"checkpoint: {self.path} is not a readable checkpoint ({err})"
            ) from None
        diff = [
            f"{k}: {stored.get(k)!r} there, {p!r} here"
            for k, p in self.params.items()
            if stored.get(k) != p
        ]
        if diff:
            raise ValueError(
                f"checkpoint: {self.path} was written by a sweep with other "
                f"parameters ({'; '.join(diff)}); use another file"
            )
        if not isinstance(rows, list):
            raise ValueError(f"checkpoint: {self.path} has records that are not a list")
        self.records = {}
        for i, row in enumerate(rows):
            try:
                key, record = _record(row, self.params["rng"], self.measures)
            except (ValueError, TypeError, KeyError) as err:
                raise ValueError(
                    f"checkpoint: {self.path} has a damaged record {i} ({err}); "
                    "delete the file or use another"
                ) from None
            if key in self.records:
                raise ValueError(f"checkpoint: {self.path} has record {key} twice")
            self.records[key] = record

    def add(self, key: tuple, record: dict) -> None:
        """Keep a finished trial's record and write the file if it is due."""
        self.records[key] = record
        self.dirty = True
        self.flush()

    def flush(self, force: bool = False) -> None:
        """Write the file if records changed, at most once a second unless ``force``."""
        if self.path is None or not self.dirty:
            return
        if not force and time.monotonic() - self.written < _FLUSH_SECONDS:
            return
        rows = [{"key": list(key), **rec} for key, rec in sorted(self.records.items())]
        doc = {"format": _FORMAT, "version": _VERSION, "params": self.params, "records": rows}
        write_text(self.path, json.dumps(doc))
        self.dirty = False
        self.written = time.monotonic()

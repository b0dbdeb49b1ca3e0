"""The literature suite: each result from the literature, measured with the library.

Every result is a function ``(quick, rng) -> Result`` in ``REGISTRY`` (name → :class:`Spec`):
it builds models with the public API, measures, and compares with reference values at a stated
tolerance (absolute, relative or an inequality), returning its checks, a figure and a note.
Each :class:`Check` says what its reference is (``KINDS``): a number printed in the paper
("published", with where), a formula evaluated here ("theory") or an independent
implementation ("reference simulation"); identities and bounds that cannot fail are "sanity"
checks, listed apart and not counted as evidence. :func:`run` runs them and writes a report
folder::

    report.md       a table of every check (result, source, reference, its kind and where,
                    measured, tolerance, verdict), the sanity checks apart, the run time and
                    peak memory, then each result's note and figure
    results.json    the same, machine-readable
    <name>.png      one figure per result

Quick mode (the default) sizes every experiment so that the whole suite takes a minute or two
on two idle cores (the report states its time and peak memory); the full mode uses more trials
and larger networks (the better part of an hour on two busy cores). Each result
draws from its own generator, ``default_rng([seed, crc32(name)])``, so its numbers do not
depend on which other results run or in what order. The command ``hopfield reproduce`` runs
the same suite.

Adding a result: write ``measure(quick, rng)`` returning a :class:`Measured` (its
:class:`Check` objects, a figure or None, a note), and decorate it with :func:`register`, or
pass it to :func:`run` through ``results`` without registering it. :func:`names` lists the
registered results; :class:`Report` is what a run returns, its :class:`Result` objects one per
result.

Examples
--------
>>> from hopfield import reproduce
>>> report = reproduce.run(only=["modern-capacity-theorem"], out=None, progress=False)
>>> report.passed, report.results[0].checks[0].measured, report.results[0].checks[0].kind
(True, '3.1546', 'published')
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .. import _validation as v
from .._atomic import write_text
from ..kernels import single_thread
from ..plot import save_figure
from . import beyond, classical, classifier, dense, hidden, modern, rules  # noqa: F401  (they register)
from ._core import KINDS, REGISTRY, Check, Measured, Result, Spec, register

# Report order: the classical network, its rules, dense (and its classifier), modern, hidden
# neurons, beyond.
_ORDER = ("classical", "rules", "dense", "classifier", "modern", "hidden", "beyond")
_RANKED = sorted(
    REGISTRY.values(), key=lambda s: _ORDER.index(s.measure.__module__.rpartition(".")[2])
)
REGISTRY.clear()
REGISTRY.update((spec.name, spec) for spec in _RANKED)

__all__ = [
    "KINDS",
    "REGISTRY",
    "Check",
    "Measured",
    "Report",
    "Result",
    "Spec",
    "names",
    "register",
    "run",
]


def names() -> list[str]:
    """Return the names of the registered results, in report order.

    Returns
    -------
    list of str
        The names :func:`run` accepts in ``only``.

    Examples
    --------
    >>> from hopfield import reproduce
    >>> names = reproduce.names()
    >>> names[0], "modern-capacity-theorem" in names
    ('ags-capacity', True)
    """
    return list(REGISTRY)


@dataclass
class Report:
    """What :func:`run` returns: every result, the settings and the cost of the run.

    A dataclass; the constructor takes the fields in this order.

    Parameters
    ----------
    results : list of Result
        One :class:`Result` per result run, in registry order.
    quick : bool
        Whether the quick sizes were used.
    seed : int
        The base seed.
    seconds : float
        Wall time of the whole run.
    out : pathlib.Path or None, default None
        The report folder, or None if nothing was written.
    peak_mib : float or None, default None
        Peak resident memory of this process over the run, in MiB (the high-water mark of the
        process; with an executor, each result's own is in ``Result.peak_mib``).

    See Also
    --------
    run : Run the suite and make the report.

    Examples
    --------
    >>> from hopfield.reproduce import Check, Report, Result
    >>> good = Result("good", "Passes", "nobody 2024",
    ...               [Check("x", "1", "1", "exact", True, kind="theory", where="x = 1")])
    >>> bad = Result("bad", "Fails", "nobody 2024", error="Traceback ...")
    >>> report = Report([good, bad], quick=True, seed=0, seconds=0.5)
    >>> report.passed, [r.name for r in report.failed]
    (False, ['bad'])
    >>> print(report.table().splitlines()[-1])
    | **bad** | nobody 2024 |  |  | error |  | FAIL |
    """

    results: list[Result]
    quick: bool
    seed: int
    seconds: float
    out: Path | None = None
    peak_mib: float | None = None

    @property
    def passed(self) -> bool:
        """Whether every result passed."""
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> list[Result]:
        """The results that did not pass, in report order."""
        return [r for r in self.results if not r.passed]

    def table(self, sanity: bool = False) -> str:
        """Make the markdown table of the checks: one row per check that is evidence.

        A result that raised, or that has no check that is evidence, gets a failing row of its
        own.

        Parameters
        ----------
        sanity : bool, default False
            True: one row per sanity check instead.

        Returns
        -------
        str
            The table in markdown (columns result, source, reference, kind, measured,
            tolerance, verdict).
        """
        head = "| result | source | reference | kind | measured | tolerance | verdict |"
        rows = [head, "|---|---|---|---|---|---|---|"]
        for r in self.results:
            if not sanity and r.error is not None:
                rows.append(_row(f"**{r.name}**", r.source, "", "", "error", "", "FAIL"))
            elif not sanity and not any(c.evidence for c in r.checks):
                rows.append(_row(f"**{r.name}**", r.source, "", "", "no evidence", "", "FAIL"))
            for c in r.checks:
                if c.evidence == sanity:
                    continue
                verdict = "pass" if c.passed else "**FAIL**"
                name = f"**{r.name}**: {c.quantity}"
                kind = f"{c.kind}: {c.where}" if c.where else c.kind
                rows.append(
                    _row(name, r.source, c.reference, kind, c.measured, c.tolerance, verdict)
                )
        return "\n".join(rows)

    def markdown(self) -> str:
        """Make the whole ``report.md``.

        Returns
        -------
        str
            The header (version, seed, counts by kind, verdicts, wall time, peak memory), the
            table of evidence, the table of sanity checks, then each result's note, error and
            figure link.
        """
        checks = [c for r in self.results for c in r.checks]
        kinds = {k: sum(c.kind == k for c in checks) for k in KINDS}
        failed = sum(not c.passed for c in checks)
        from .. import __version__

        peak = "" if self.peak_mib is None else f" · peak memory {self.peak_mib:.0f} MiB"
        lines = [
            f"# hopfield reproduce ({'quick' if self.quick else 'full'} mode)",
            "",
            f"hopfield {__version__} · seed {self.seed} · {len(self.results)} results · "
            f"{len(checks)} checks ("
            + ", ".join(f"{n} {k}" for k, n in kinds.items() if n)
            + f") · {len(self.results) - len(self.failed)} results passed, "
            f"{len(self.failed)} failed ({failed} checks failed) · wall time "
            f"{self.seconds:.1f} s{peak}",
            "",
            "Kinds of reference: **published** is a number printed in the cited paper (where: "
            "table, figure, equation or page); **theory** is a formula evaluated here; "
            "**reference simulation** is an independent implementation, not a paper.",
            "",
            self.table(),
            "",
            "## Sanity checks",
            "",
            "Identities, algebraic guarantees and bounds far from the measurement: they catch a "
            "broken build but are not evidence that a result is reproduced.",
            "",
            self.table(sanity=True),
            "",
        ]
        for r in self.results:
            peak = "" if r.peak_mib is None else f" · peak {r.peak_mib:.0f} MiB"
            lines += [
                f"## {r.name}: {r.title}",
                "",
                f"*{r.source}* · **{r.verdict}** · {r.seconds:.1f} s{peak}",
                "",
                r.note,
                "",
            ]
            if r.error is not None:
                lines += ["```", r.error.rstrip(), "```", ""]
            if r.figure is not None:
                lines += [f"![{r.title}]({r.name}.png)", ""]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"Report(passed={self.passed}, results={len(self.results)}, "
            f"failed={[r.name for r in self.failed]}, seconds={self.seconds:.1f})"
        )


def _row(*cells: str) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def run(
    quick: bool = True,
    out: str | os.PathLike | None = "reproduce-report",
    only: Iterable[str] | None = None,
    executor=None,
    progress: bool | Callable[[Result], None] = True,
    seed: int = 0,
    results: Mapping[str, Callable[[bool, np.random.Generator], Result]] | None = None,
) -> Report:
    """Run the literature suite and write its report.

    Each result draws from its own generator, ``default_rng([seed, crc32(name)])``; a result
    that raises becomes a failed result carrying its traceback.

    Parameters
    ----------
    quick : bool, default True
        Small sizes (the suite takes a minute or two on two idle cores) or the full
        experiments (tens of minutes).
    out : str, os.PathLike or None, default "reproduce-report"
        The report folder (created; files in it are replaced atomically), or None to write
        nothing.
    only : iterable of str, str or None, default None
        Names of the results to run (default: all); see :func:`names`.
    executor : concurrent.futures.Executor, distributed.Client or None, default None
        None runs the results one after another here; a ``concurrent.futures.Executor`` or a
        Dask ``distributed.Client`` runs each result as one task (Numba single-threaded in
        each, as the executor keeps the cores busy). A local process pool must start its
        workers with ``spawn``, as :func:`hopfield.experiments.process_pool` does: forking a
        process that has run Numba's threads can abort the child.
    progress : bool or callable, default True
        True shows a progress bar (tqdm, on stderr, when it is a terminal); a callable is
        called with each finished :class:`Result`; False is silent.
    seed : int, default 0
        Base seed, an int >= 0.
    results : mapping or None, default None
        The results to choose from, name → ``(quick, rng) -> Result`` (such as a
        :class:`Spec`); by default the registered ones (``REGISTRY``).

    Returns
    -------
    Report
        ``report.passed`` says whether every result passed; ``report.out`` is the folder
        written, or None.

    Raises
    ------
    TypeError
        If ``quick`` is not a bool, ``progress`` is neither a bool nor a callable, or
        ``executor`` is not an executor or a Dask client.
    ValueError
        If ``only`` names an unknown result (the closest name is suggested) or none, or
        ``seed`` is negative.

    See Also
    --------
    register : Add a result to the suite.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield import reproduce
    >>> from hopfield.reproduce import Check, Measured, Spec
    >>> def measure(quick, rng):
    ...     x = rng.standard_normal(1000 if quick else 100_000)
    ...     m = float(x.mean())
    ...     check = Check("mean of N(0, 1) samples", "0", f"{m:.3f}", "± 0.1", abs(m) <= 0.1,
    ...                   0.0, m, kind="theory", where="E[x] = 0")
    ...     return Measured([check], None, "Samples of a standard normal.")
    >>> spec = Spec("normal-mean", "The mean of normal samples", "textbook", measure)
    >>> report = reproduce.run(results={"normal-mean": spec}, out=None, progress=False)
    >>> report.passed, report.results[0].checks[0].kind, report.out
    (True, 'theory', None)
    """
    if not isinstance(quick, bool):
        raise TypeError(f"quick: expected True or False, got {type(quick).__name__}")
    seed = v.integer("seed", seed, minimum=0)
    registry = REGISTRY if results is None else dict(results)
    chosen = _choose(only, registry)
    pool = _executor(executor)
    if not (isinstance(progress, bool) or callable(progress)):
        raise TypeError(f"progress: expected a bool or a callable, got {type(progress).__name__}")
    start = time.perf_counter()
    # disable=None: a bar only on a terminal, never in logs.
    bar = tqdm(
        total=len(chosen),
        desc="reproduce",
        unit="result",
        disable=None if progress is True else True,
    )
    done: dict[str, Result] = {}

    def finish(result: Result) -> None:
        done[result.name] = result
        bar.set_postfix_str(f"{result.name}: {result.verdict}")
        bar.update()
        if callable(progress):
            progress(result)

    with bar:
        if pool is None:
            for name in chosen:
                finish(_run_one(registry[name], name, quick, seed, False))
        else:
            futures = [pool.submit(_run_one, registry[n], n, quick, seed, True) for n in chosen]
            for fut in as_completed(futures):
                finish(fut.result())
    report = Report([done[n] for n in chosen], quick, seed, time.perf_counter() - start)
    peaks = [p for p in (_peak_mib(), *(r.peak_mib for r in report.results)) if p is not None]
    report.peak_mib = max(peaks, default=None)
    if out is not None:
        report.out = _write(report, Path(os.fspath(out)))
    return report


def _choose(only, registry: Mapping) -> list[str]:
    if only is None:
        return list(registry)
    if isinstance(only, str):
        only = [only]
    chosen = [v.choose("only", name, registry) for name in only]
    if not chosen:
        raise ValueError(f"only: expected at least one of {list(registry)}, got none")
    return list(dict.fromkeys(chosen))


def _executor(executor):
    if executor is None or isinstance(executor, Executor):
        return executor
    if callable(getattr(executor, "get_executor", None)):
        return executor.get_executor()  # a Dask distributed.Client
    raise TypeError(
        "executor: expected None, a concurrent.futures.Executor or a Dask Client, "
        f"got {type(executor).__name__}"
    )


def _run_one(fn, name: str, quick: bool, seed: int, one_thread: bool) -> Result:
    """Run one result with its own generator; an exception becomes a failed result."""
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    start = time.perf_counter()
    try:
        with single_thread(one_thread):
            result = fn(quick, rng)
        if not isinstance(result, Result):
            raise TypeError(f"result {name!r} returned {type(result).__name__}, not a Result")
    except Exception:
        title, source = getattr(fn, "title", name), getattr(fn, "source", "")
        result = Result(name, title, source, error=traceback.format_exc())
    result.name = name
    result.seconds = time.perf_counter() - start
    result.peak_mib = _peak_mib()
    return result


def _peak_mib() -> float | None:
    """Return the peak resident memory of this process so far, in MiB (None where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


# -- writing ----------------------------------------------------------------------------------
def _write(report: Report, out: Path) -> Path:
    out.mkdir(exist_ok=True)  # its folder must exist: hopfield creates no tree of folders
    for r in report.results:
        if r.figure is not None:
            save_figure(r.figure, out / f"{r.name}.png")
    from .. import __version__

    data = {
        "hopfield": __version__,
        "mode": "quick" if report.quick else "full",
        "seed": report.seed,
        "seconds": round(report.seconds, 3),
        "peak_mib": None if report.peak_mib is None else round(report.peak_mib, 1),
        "passed": report.passed,
        "results": [
            {**r.to_dict(), "figure": None if r.figure is None else f"{r.name}.png"}
            for r in report.results
        ],
    }
    write_text(out / "results.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    write_text(out / "report.md", report.markdown())
    return out

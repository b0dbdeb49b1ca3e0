"""The benchmark frame: cases, timing, machine description, tables and result files.

A case is a pair: our callable and a reference callable, timed on the same inputs in the same
run, and reported as a ratio (ours / reference: below 1 means ours is faster). Before any
timing, both run once on the case's inputs and the case's check compares their results, so a
fast but wrong implementation never gets a number. That first run also absorbs one-time costs
(Numba compilation, caches), which are therefore excluded from the timings.

A group of cases is a module of this package with a ``cases(quick: bool) -> list[Case]``
function; ``python -m benchmarks`` finds every such module.

Some comparisons cannot be timed side by side in this process: a peer library that lives in its
own virtual environment, or a peak-memory probe that needs a fresh process. Such a case gives a
``measure`` callable that returns, once per repeat, the numbers of the sides measured elsewhere
(still alternating with the sides timed here); a setup that finds the case cannot run at all
raises :class:`Skip`, and the case is reported as not runnable.
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np


class Skip(Exception):
    """Raised by a case's setup when the case cannot run here; the message says why."""


@dataclass(frozen=True)
class Target:
    """A goal a case should meet.

    ``metric`` is ``"ours"`` (ours' median at most ``limit``, in the case's unit), ``"ratio"``
    (ours / reference at most ``limit``) or ``"speedup"`` (reference / ours at least ``limit``).
    """

    metric: str
    limit: float

    def text(self, unit: str) -> str:
        if self.metric == "ratio":
            return f"ratio <= {self.limit:g}"
        if self.metric == "speedup":
            return f"speedup >= {self.limit:g}"
        return f"<= {self.limit:g} {unit}"

    def met(self, record: dict) -> bool:
        if self.metric == "ratio":
            return record["ratio"] <= self.limit
        if self.metric == "speedup":
            return record["speedup"] >= self.limit
        return record["ours"]["median"] <= self.limit


@dataclass
class Case:
    """One timed comparison.

    Args:
        name: unique within its group, e.g. ``"async N=1000"``.
        setup: builds the inputs (untimed), called once.
        ours: ``ours(inputs)``, the library's way.
        reference: ``reference(inputs)``, the plain way it is measured against.
        check: ``check(inputs, ours_result, reference_result) -> str``, run once before timing;
            raises ``AssertionError`` when the results disagree, otherwise returns a short note
            (what was compared, or why the two may legitimately differ).
        per: how many items one call handles (cues, say); times are reported per item.
        unit: ``"ms"`` per call, or e.g. ``"ms/cue"`` when ``per`` counts cues.
        target: an optional :class:`Target`.
        series: cases sharing a series name form a scaling curve over ``size``; the harness fits
            the log-log exponent of time per item against size.
        params: sizes and options, recorded in the results.
        reference_scale: the reference's times are multiplied by this, for a reference timed on
            a part of the work (some neurons of a sweep, say) and extrapolated to all of it; the
            check's note should say so.
        measure: ``measure(inputs) -> {"reference": value}``, called once per repeat: this
            repeat's number for each side measured elsewhere (a peer's time in its own process,
            or peak memory in a fresh one), already per item and in the case's unit. A side it
            leaves out is timed here as usual, alternating with it.
        teardown: ``teardown(inputs)``, run once the case is done (ends a peer's process).
    """

    name: str
    setup: Callable[[], Any]
    ours: Callable[[Any], Any]
    reference: Callable[[Any], Any]
    check: Callable[[Any, Any, Any], str]
    per: int = 1
    unit: str = "ms"
    target: Target | None = None
    series: str | None = None
    size: float | None = None
    params: dict = field(default_factory=dict)
    reference_scale: float = 1.0
    measure: Callable[[Any], dict[str, float]] | None = None
    teardown: Callable[[Any], None] | None = None


def _time(fn: Callable[[Any], Any], inputs: Any, number: int) -> float:
    """Seconds per call over ``number`` back-to-back calls, with the collector paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            fn(inputs)
        return (time.perf_counter() - start) / number
    finally:
        if enabled:
            gc.enable()


def _calls_for(fn: Callable[[Any], Any], inputs: Any, min_time: float) -> int:
    """Calls per repeat so that one repeat lasts at least ``min_time`` (short calls are noisy)."""
    single = _time(fn, inputs, 1)
    return max(1, math.ceil(min_time / max(single, 1e-9)))


def _summary(values) -> dict:
    arr = np.asarray(values, dtype=np.float64)
    return {"median": float(np.median(arr)), "min": float(arr.min()), "max": float(arr.max())}


def run_case(case: Case, group: str, *, repeats: int, min_time: float) -> dict:
    """Check a case, then time ours and the reference, alternating them in every repeat."""
    record = {
        "group": group,
        "name": case.name,
        "params": case.params,
        "unit": case.unit,
        "per": case.per,
        "series": case.series,
        "size": case.size,
    }
    if case.reference_scale != 1.0:
        record["reference_scale"] = case.reference_scale
    try:
        inputs = case.setup()
    except Skip as why:
        record["check"] = {"passed": True, "note": f"not runnable: {why}"}
        record["skipped"] = str(why)
        return record
    except Exception as err:  # a crashing case must not stop the others from being measured
        record["check"] = {"passed": False, "note": f"{type(err).__name__}: {err}"}
        return record
    try:
        return _check_and_time(case, inputs, record, repeats, min_time)
    finally:
        if case.teardown is not None:
            case.teardown(inputs)


def _check_and_time(case: Case, inputs: Any, record: dict, repeats: int, min_time: float) -> dict:
    try:
        note = case.check(inputs, case.ours(inputs), case.reference(inputs))
    except AssertionError as err:
        record["check"] = {"passed": False, "note": str(err)}
        return record
    except Exception as err:
        record["check"] = {"passed": False, "note": f"{type(err).__name__}: {err}"}
        return record
    record["check"] = {"passed": True, "note": note}
    fns = {"ours": case.ours, "reference": case.reference}
    numbers: dict[str, int] = {}
    values: dict[str, list[float]] = {side: [] for side in fns}
    elsewhere: set[str] = set()
    for _ in range(repeats):
        try:
            got = case.measure(inputs) if case.measure is not None else {}
        except Exception as err:  # e.g. a peer's process that died: fail this case only
            record["check"] = {"passed": False, "note": f"measuring: {type(err).__name__}: {err}"}
            return record
        elsewhere |= set(got)
        for side in fns:
            if side in got:
                values[side].append(got[side])
                continue
            if side not in numbers:
                # Calibrating runs the callable once more, so caches are warm before timing.
                numbers[side] = _calls_for(fns[side], inputs, min_time)
            values[side].append(_time(fns[side], inputs, numbers[side]) * 1e3 / case.per)
    record["repeats"] = repeats
    record["calls_per_repeat"] = numbers
    if elsewhere:
        record["measured_elsewhere"] = sorted(elsewhere)
    for side in fns:
        record[side] = _summary(values[side])
    if case.reference_scale != 1.0:
        record["reference"] = {k: x * case.reference_scale for k, x in record["reference"].items()}
    record["ratio"] = record["ours"]["median"] / record["reference"]["median"]
    record["ratio_of_mins"] = record["ours"]["min"] / record["reference"]["min"]
    record["speedup"] = 1.0 / record["ratio"]
    if case.target is not None:
        record["target"] = {
            "metric": case.target.metric,
            "limit": case.target.limit,
            "text": case.target.text(case.unit),
            "met": bool(case.target.met(record)),
        }
    return record


def fit_series(records: list[dict]) -> list[dict]:
    """The log-log slope of time per item against size, for ours and the reference."""
    fits = []
    names = sorted({(r["group"], r["series"]) for r in records if r.get("series")})
    for group, series in names:
        points = [
            r for r in records if r["group"] == group and r["series"] == series and "ours" in r
        ]
        points.sort(key=lambda r: r["size"])
        if len(points) < 2:
            continue
        size = np.log([r["size"] for r in points])
        fit = {"group": group, "series": series, "sizes": [r["size"] for r in points]}
        for side in ("ours", "reference"):
            slope = np.polyfit(size, np.log([r[side]["median"] for r in points]), 1)[0]
            fit[side] = float(slope)
        fits.append(fit)
    return fits


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _blas() -> list[str]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        deps = np.show_config(mode="dicts").get("Build Dependencies", {})
        blas = deps.get("blas", {})
        return [f"{blas.get('name', '?')} {blas.get('version', '?')} (threads: unknown)"]
    return [
        f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads)"
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    ]


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).parent,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def machine() -> dict:
    """What the numbers were measured on."""
    import numba

    import hopfield

    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(affinity) if affinity is not None else os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": _blas(),
        "numba": numba.__version__,
        "numba_threads": numba.get_num_threads(),
        "thread_limits": {k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS")},
        "hopfield": hopfield.__version__,
        "commit": _git_commit(),
    }


def _span(stats: dict) -> str:
    return f"{stats['median']:.4g} [{stats['min']:.3g}..{stats['max']:.3g}]"


def rows(records: list[dict]) -> list[list[str]]:
    """One row of text cells per case: the terminal and markdown tables share it."""
    out = []
    for r in records:
        head = [r["group"], r["name"], r["unit"]]
        if "skipped" in r:
            out.append(head + ["-"] * 6 + ["not runnable: " + r["skipped"]])
            continue
        if not r["check"]["passed"]:
            out.append(head + ["-"] * 6 + ["FAILED: " + r["check"]["note"]])
            continue
        target = ""
        if "target" in r:
            verdict = "met" if r["target"]["met"] else "MISSED"
            target = f"{r['target']['text']}: {verdict}"
        ratios = [f"{r['ratio']:.3g}", f"{r['ratio_of_mins']:.3g}", f"{r['speedup']:.3g}"]
        out.append(head + [_span(r["ours"]), _span(r["reference"]), *ratios, target, "ok"])
    return out


HEADER = [
    "group",
    "case",
    "unit",
    "ours median [min..max]",
    "reference",
    "ratio",
    "ratio of mins",
    "speedup",
    "target",
    "check",
]


def text_table(records: list[dict]) -> str:
    body = rows(records)
    widths = [max(len(row[i]) for row in [HEADER, *body]) for i in range(len(HEADER))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [HEADER, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def describe(info: dict) -> str:
    return "\n".join(
        [
            f"date     {info['date']}   hopfield {info['hopfield']} ({info['commit'] or 'no git'})",
            f"cpu      {info['cpu']}, {info['cores_usable']} of {info['cores']} cores usable",
            f"python   {info['python']}, numpy {info['numpy']}, BLAS {'; '.join(info['blas'])}",
            f"numba    {info['numba']}, {info['numba_threads']} threads   {info['platform']}",
            "threads  "
            + (" ".join(f"{k}={v}" for k, v in info["thread_limits"].items()) or "defaults"),
        ]
    )


def fits_text(fits: list[dict]) -> str:
    return "\n".join(
        f"{f['group']}/{f['series']}: time per item ~ size^{f['ours']:.2f} (ours), "
        f"^{f['reference']:.2f} (reference), sizes {', '.join(f'{s:g}' for s in f['sizes'])}"
        for f in fits
    )


def check_text(record: dict) -> str:
    prefix = "" if record["check"]["passed"] else "FAILED: "
    return prefix + record["check"]["note"]


def markdown(info: dict, records: list[dict], fits: list[dict]) -> str:
    lines = ["# Benchmark results", "", "```", describe(info), "```", ""]
    lines += [
        "Ratio = ours / reference on median times; below 1 means ours is faster. "
        "Speedup = reference / ours: how many times faster ours is.",
        "",
    ]
    lines += ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows(records)]
    if fits:
        lines += ["", "## Scaling", "", *(f"- {line}" for line in fits_text(fits).splitlines())]
    lines += ["", "## Checks", ""]
    lines += [f"- {r['group']} / {r['name']}: {check_text(r)}" for r in records]
    return "\n".join(lines) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; results are for everyone to read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_results(out: Path, info: dict, records: list[dict], fits: list[dict]) -> list[Path]:
    """Write ``results.json`` and ``results.md`` under ``out``, each by temp file and rename."""
    out.mkdir(parents=True, exist_ok=True)
    payload = {"machine": info, "cases": records, "scaling": fits}
    paths = [out / "results.json", out / "results.md"]
    _write_atomic(paths[0], json.dumps(payload, indent=2) + "\n")
    _write_atomic(paths[1], markdown(info, records, fits))
    return paths

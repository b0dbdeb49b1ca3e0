"""``python -m benchmarks [GROUP ...] [--quick] [--threads T] [--no-peers] [--out DIR]``.

Runs the groups, prints the table and saves the results. A group whose module cannot be
imported (a dependency missing) is reported and skipped; the others still run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "NUMBA_NUM_THREADS",
)


def group_modules() -> dict[str, list[str]]:
    """Each group's modules. Every module of this package whose name has no leading underscore
    belongs to a group: ``dense.py`` is the group ``dense``, and ``torch_dense.py`` and
    ``torch_modern.py`` both join the group ``torch`` (the part before the first ``_``), so
    several modules fill one group without a list to keep in step."""
    found: dict[str, list[str]] = {}
    for m in pkgutil.iter_modules([str(HERE)]):
        if not m.name.startswith("_"):
            found.setdefault(m.name.split("_")[0], []).append(m.name)
    return {group: sorted(mods) for group, mods in sorted(found.items())}


def groups() -> list[str]:
    """The group names (see :func:`group_modules`)."""
    return list(group_modules())


def main(argv: list[str] | None = None) -> int:
    available = groups()
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time hopfield against plain references; print a table, save results.",
    )
    parser.add_argument("group", nargs="*", help=f"groups to run (default: all of {available})")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and shorter timings")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="limit BLAS, OpenMP and Numba to this many threads (default: their own defaults)",
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="skip the peers group (it builds virtual environments under benchmarks/.envs)",
    )
    parser.add_argument(
        "--out", type=Path, default=HERE / "results", help="folder for results.json and results.md"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.group) - set(available))
    if unknown:
        parser.error(f"unknown group(s) {unknown}, expected some of {available}")
    if args.threads is not None:
        if args.threads < 1:
            parser.error(f"--threads: expected an int >= 1, got {args.threads}")
        if "numpy" in sys.modules:
            parser.error("--threads: NumPy is already imported, so its BLAS threads are fixed")
        # Thread pools read these once, when the libraries load: set them before any import.
        os.environ.update(dict.fromkeys(THREAD_VARIABLES, str(args.threads)))

    from . import _harness as h

    repeats, min_time = (3, 0.02) if args.quick else (7, 0.1)
    info = h.machine()
    print(h.describe(info), end="\n\n", flush=True)
    records = []
    chosen = args.group or available
    if args.no_peers:
        chosen = [g for g in chosen if g != "peers"]
    modules = group_modules()
    for group, name in ((g, m) for g in chosen for m in modules[g]):
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ImportError as err:
            print(f"  {group} ({name}): skipped, it cannot be imported ({err})", flush=True)
            continue
        for case in module.cases(args.quick):
            print(f"  {group} / {case.name} ...", end="", flush=True)
            record = h.run_case(case, group, repeats=repeats, min_time=min_time)
            records.append(record)
            status = "CHECK FAILED" if not record["check"]["passed"] else "ok"
            line = f" not runnable: {record['skipped']}" if "skipped" in record else f" {status}"
            print(line, flush=True)
    fits = h.fit_series(records)
    print()
    print(h.text_table(records))
    if fits:
        print()
        print(h.fits_text(fits))
    print()
    for r in records:
        print(f"{r['group']} / {r['name']}: {h.check_text(r)}")
    paths = h.write_results(args.out, info, records, fits)
    print("\nwrote " + ", ".join(str(p) for p in paths))
    return 0 if all(r["check"]["passed"] for r in records) else 1


if __name__ == "__main__":
    sys.exit(main())

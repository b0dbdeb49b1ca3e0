"""What ``import hopfield`` and ``hopfield --help`` load: nothing heavy until it is used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import hopfield as hf

HEAVY = ("matplotlib", "pandas", "torch", "scipy.optimize", "scipy.integrate", "numba", "dask")


def _loaded(code: str) -> list[str]:
    """The heavy modules in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    report = f"import json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    probe = f"{code}\n{report}"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_hopfield_loads_nothing_heavy():
    assert _loaded("import hopfield") == []


def test_the_command_line_loads_nothing_heavy_for_help():
    # ``hopfield --help`` and ``--version`` import the command modules and nothing more.
    assert _loaded("import hopfield.cli") == []


def test_recall_needs_neither_matplotlib_nor_pandas_nor_torch():
    code = (
        "import hopfield as hf\n"
        "X = hf.patterns.random(3, 32, rng=0)\n"
        "hf.Hopfield().store(X).recall(hf.patterns.flip(X, 0.1, rng=1), rng=2)\n"
        "hf.ModernHopfield().store(X.astype(float)).retrieve(X[:1].astype(float))\n"
        "hf.encoders.TextEncoder(8, rng=0).encode('hopfield')\n"
    )
    loaded = _loaded(code)
    for name in ("matplotlib", "pandas", "torch", "dask"):
        assert name not in loaded


def test_names_resolve_and_are_listed_once():
    names = dir(hf)
    assert len(names) == len(set(names))
    for name in hf.__all__:
        assert getattr(hf, name) is not None
        assert name in names
    assert hf.Hopfield is hf.models.Hopfield
    assert hf.plot.capacity_curve is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        hf.nope  # noqa: B018


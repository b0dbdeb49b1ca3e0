"""What ``import hopfield`` and ``hopfield --help`` load: nothing heavy until it is used."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
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
    code = "import sys, hopfield.cli; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_command_lines_copies_of_library_constants_agree():
    from hopfield import landscape, rules
    from hopfield.cli import _app

    assert _app.RULES == tuple(rules.RULES)
    assert _app.MAX_NEURONS == landscape.MAX_NEURONS


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


# Modules being rewritten in parallel branches (the tensor backend, the model contract, the
# reproduce suite): their __all__ comes with those changes. Remove names as they land.
NOT_YET: set[str] = set()
NOT_YET_PACKAGES: set[str] = set()


def test_submodules_declare_their_public_names():
    import importlib
    import pkgutil

    for info in pkgutil.walk_packages(hf.__path__, "hopfield."):
        if info.name.rsplit(".", 1)[-1].startswith("_") or ".cli" in info.name:
            continue
        if info.name in NOT_YET or info.name.rsplit(".", 1)[0] in NOT_YET_PACKAGES:
            continue
        module = importlib.import_module(info.name)
        assert hasattr(module, "__all__"), f"{info.name} has no __all__"
        for name in module.__all__:
            assert hasattr(module, name), f"{info.name}.__all__ names a missing {name!r}"
        # What a star-import or a completion list offers: no stray np, os, gzip, FT2Font.
        for stray in ("np", "os", "gzip", "v", "FT2Font", "matplotlib", "math"):
            assert stray not in module.__all__


def test_the_package_ships_its_type_marker():
    from pathlib import Path

    assert (Path(hf.__file__).parent / "py.typed").is_file()


def test_reprs_summarise_instead_of_printing_arrays():
    X = hf.patterns.random(3, 64, rng=0)
    net = hf.Hopfield().store(X)
    cue = hf.patterns.flip(X[0], 0.2, rng=1)
    trace = hf.traces.record_flips(net, cue, rng=2)
    text = repr(trace)
    assert "\n" not in text and len(text) < 160, text
    assert text.startswith("Trace(neurons=64, flips=") and "converged=True" in text
    sweeps = hf.traces.record_sweeps(net, np.stack([cue, X[1]]), rng=2)
    assert repr(sweeps) == (
        f"Sweeps(states={sweeps.states.shape}, sweeps={sweeps.states.shape[0] - 1}, "
        "converged=2/2)"
    )
    c = hf.classify(np.stack([X[0], -X[1], X[0] * X[1]]), X)
    assert repr(c) == "Classification(states=3, patterns=3, pattern=1, reversal=1, spurious=1)"

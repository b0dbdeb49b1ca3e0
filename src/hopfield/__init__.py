"""hopfield: associative memory that works.

Classical, dense and modern Hopfield networks in one energy-based framework: every model has
``store``, ``recall`` and ``energy``; binary models share one dynamics engine.

The models, the result types, the interaction functions, :func:`hopfield.overlap`,
:func:`hopfield.hamming`, :func:`hopfield.classify`, :func:`hopfield.is_fixed_point`,
:func:`hopfield.save` and :func:`hopfield.load` are available from the package itself, the
rest from its submodules (``hf.patterns``, ``hf.rules``, ``hf.plot``, ...). Everything loads
on first use, so ``import hopfield`` stays fast and pulls in matplotlib, pandas, Numba or
SciPy only when a name that needs them is used; ``from hopfield import *`` leaves out what
needs optional extras (``classifier``, ``cli``, ``DenseClassifier``, ``nn``, ``web``).

Examples
--------
Store 20 random patterns of 200 neurons and recall them from cues with 10% of their bits
flipped:

>>> import hopfield as hf
>>> X = hf.patterns.random(20, 200, rng=0)
>>> net = hf.Hopfield(rule="hebbian").store(X)
>>> r = net.recall(hf.patterns.flip(X, 0.1, rng=1), rng=2)
>>> m = hf.overlap(r.states, X).diagonal()        # each recall against its own pattern
>>> int((m == 1.0).sum()), float(m.min())         # 19 exact, the last one bit off
(19, 0.99)
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

__version__ = "0.1.0"

# Everything loads on first use, so ``import hopfield`` (and ``hopfield --help``) stays fast
# and never pulls in matplotlib, pandas, Numba or SciPy until a name that needs them is used.
_LAZY = (
    "analysis",
    "classifier",
    "cli",
    "contract",
    "datasets",
    "dynamics",
    "encoders",
    "experiments",
    "functions",
    "io",
    "lagrangians",
    "landscape",
    "models",
    "nn",
    "patterns",
    "plot",
    "reproduce",
    "rules",
    "separation",
    "recall",
    "traces",
    "web",
)

# Public names defined in a submodule: name -> the submodule that defines it.
_NAMES = {
    "classify": "analysis",
    "hamming": "analysis",
    "is_fixed_point": "analysis",
    "overlap": "analysis",
    "Recall": "recall",
    "BinaryRecall": "recall",
    "Exponential": "functions",
    "Polynomial": "functions",
    "RectifiedPolynomial": "functions",
    "load": "io",
    "save": "io",
    "BidirectionalMemory": "models",
    "DelayedSequenceMemory": "models",
    "DenseAssociativeMemory": "models",
    "HiddenNeuronNetwork": "models",
    "Hopfield": "models",
    "ModernHopfield": "models",
    "SequenceMemory": "models",
    "SequenceRecall": "models",
    "SparseHopfield": "models",
    "UniversalMemory": "models",
    "ConvergenceWarning": "rules",
    "DenseClassifier": "classifier",
}

if _TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ does this
    from . import (  # noqa: F401
        analysis,
        datasets,
        dynamics,
        encoders,
        experiments,
        functions,
        lagrangians,
        landscape,
        patterns,
        plot,
        recall,
        reproduce,
        rules,
        separation,
        traces,
    )
    from .analysis import classify, hamming, is_fixed_point, overlap  # noqa: F401
    from .functions import Exponential, Polynomial, RectifiedPolynomial  # noqa: F401
    from .io import load, save  # noqa: F401
    from .models import (  # noqa: F401
        BidirectionalMemory,
        DelayedSequenceMemory,
        DenseAssociativeMemory,
        HiddenNeuronNetwork,
        Hopfield,
        ModernHopfield,
        SequenceMemory,
        SequenceRecall,
        SparseHopfield,
        UniversalMemory,
    )
    from .recall import BinaryRecall, Recall  # noqa: F401
    from .rules import ConvergenceWarning  # noqa: F401


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_NAMES})


# What needs optional extras stays out of ``from hopfield import *``, which would import it.
_EXTRAS = ("classifier", "cli", "DenseClassifier", "nn", "web")
__all__ = [name for name in (*_LAZY, *_NAMES) if name not in _EXTRAS]

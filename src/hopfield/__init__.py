"""hopfield: associative memory that works.

Classical, dense and modern Hopfield networks in one energy-based framework: every model has
``store``, ``recall`` and ``energy``; binary models share one dynamics engine.

>>> import hopfield as hf
>>> X = hf.patterns.random(20, 200, rng=0)
>>> net = hf.Hopfield(rule="hebbian").store(X)
>>> r = net.recall(hf.patterns.flip(X, 0.1, rng=1), rng=2)
>>> float(hf.overlap(r.states, X).diagonal().mean())
1.0
"""

from . import (
    analysis,
    datasets,
    dynamics,
    functions,
    lagrangians,
    patterns,
    plot,
    rules,
    separation,
)
from .analysis import classify, hamming, is_fixed_point, overlap
from .dynamics import Recall
from .functions import Exponential, Polynomial, RectifiedPolynomial
from .io import load, save
from .models import (
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
from .rules import ConvergenceWarning

__version__ = "0.1.0"

# Heavier tools load on first use: ``hf.experiments`` needs pandas, ``hf.reproduce`` everything.
_LAZY = ("experiments", "landscape", "reproduce", "traces")
# Classes from modules that need optional extras (torch, scikit-learn), by the module they live in.
_LAZY_CLASSES = {"DenseClassifier": "classifier"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY_CLASSES:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY_CLASSES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY, *_LAZY_CLASSES])


__all__ = [
    "experiments",
    "landscape",
    "reproduce",
    "traces",
    "BidirectionalMemory",
    "DelayedSequenceMemory",
    "SequenceMemory",
    "SequenceRecall",
    "SparseHopfield",
    "UniversalMemory",
    "ConvergenceWarning",
    "DenseAssociativeMemory",
    "Exponential",
    "HiddenNeuronNetwork",
    "Hopfield",
    "ModernHopfield",
    "Recall",
    "analysis",
    "classify",
    "datasets",
    "dynamics",
    "functions",
    "hamming",
    "is_fixed_point",
    "lagrangians",
    "load",
    "overlap",
    "patterns",
    "Polynomial",
    "RectifiedPolynomial",
    "plot",
    "rules",
    "save",
    "separation",
]

"""The models: one module per model family, each stating its energy and update and its paper.

Every model follows the contract of :mod:`hopfield.contract` (``store``, ``recall``,
``energy``, read-only learned state) and is exported from the package itself, where it is
documented: :class:`hopfield.Hopfield` (classical), :class:`hopfield.DenseAssociativeMemory`,
:class:`hopfield.ModernHopfield`, :class:`hopfield.HiddenNeuronNetwork`,
:class:`hopfield.UniversalMemory`, :class:`hopfield.BidirectionalMemory` (hetero-association),
:class:`hopfield.SequenceMemory` and :class:`hopfield.DelayedSequenceMemory`, and
:class:`hopfield.SparseHopfield`. ``MODELS`` maps each class name to its class; it is the table
:func:`hopfield.load` reads models by.
"""

from .classical import Hopfield
from .dense import DenseAssociativeMemory
from .hetero import BidirectionalMemory
from .hidden import HiddenNeuronNetwork
from .modern import ModernHopfield
from .sequence import DelayedSequenceMemory, SequenceMemory, SequenceRecall
from .sparse import SparseHopfield
from .universal import UniversalMemory

MODELS = {
    "Hopfield": Hopfield,
    "DenseAssociativeMemory": DenseAssociativeMemory,
    "HiddenNeuronNetwork": HiddenNeuronNetwork,
    "ModernHopfield": ModernHopfield,
    "BidirectionalMemory": BidirectionalMemory,
    "SequenceMemory": SequenceMemory,
    "DelayedSequenceMemory": DelayedSequenceMemory,
    "SparseHopfield": SparseHopfield,
    "UniversalMemory": UniversalMemory,
}

__all__ = [
    "BidirectionalMemory",
    "DelayedSequenceMemory",
    "DenseAssociativeMemory",
    "HiddenNeuronNetwork",
    "Hopfield",
    "MODELS",
    "ModernHopfield",
    "SequenceMemory",
    "SequenceRecall",
    "SparseHopfield",
    "UniversalMemory",
]

"""One module per model family; each states its energy and update rule and cites its paper."""

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

"""One module per model family; each states its energy and update rule and cites its paper."""

from .classical import Hopfield
from .dense import DenseAssociativeMemory
from .hidden import HiddenNeuronNetwork
from .modern import ModernHopfield

MODELS = {
    "Hopfield": Hopfield,
    "DenseAssociativeMemory": DenseAssociativeMemory,
    "HiddenNeuronNetwork": HiddenNeuronNetwork,
    "ModernHopfield": ModernHopfield,
}

__all__ = ["DenseAssociativeMemory", "HiddenNeuronNetwork", "Hopfield", "MODELS", "ModernHopfield"]

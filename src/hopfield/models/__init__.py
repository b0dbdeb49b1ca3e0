"""One module per model family; each states its energy and update rule and cites its paper."""

from .classical import Hopfield
from .dense import DenseAssociativeMemory
from .hidden import HiddenNeuronNetwork

MODELS = {
    "Hopfield": Hopfield,
    "DenseAssociativeMemory": DenseAssociativeMemory,
    "HiddenNeuronNetwork": HiddenNeuronNetwork,
}

__all__ = ["DenseAssociativeMemory", "HiddenNeuronNetwork", "Hopfield", "MODELS"]

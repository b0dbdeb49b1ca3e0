"""One module per model family; each states its energy and update rule and cites its paper."""

from .classical import Hopfield
from .dense import DenseAssociativeMemory

MODELS = {"Hopfield": Hopfield, "DenseAssociativeMemory": DenseAssociativeMemory}

__all__ = ["DenseAssociativeMemory", "Hopfield", "MODELS"]

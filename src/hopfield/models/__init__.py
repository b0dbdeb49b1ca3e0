"""One module per model family; each states its energy and update rule and cites its paper."""

from .classical import Hopfield

MODELS = {"Hopfield": Hopfield}

__all__ = ["Hopfield", "MODELS"]

"""PyTorch layers (placeholder docstring replaced below)."""

from . import functional
from .functional import energy, entmax15, retrieve, sparsemax

__all__ = ["functional", "energy", "entmax15", "retrieve", "sparsemax"]

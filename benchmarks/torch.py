"""The ``torch`` group: hopfield on PyTorch tensors, against PyTorch's own kernels.

Each part lives in its own private module (``_torch_*.py``) with a ``cases(quick)`` function;
this module only lists them, so adding a part is one import and one line.

This module shares its name with PyTorch: inside the package, ``import torch`` is PyTorch
(absolute imports), but a script run from this folder would find this file first, which is
why ``_peer_worker.py`` takes the folder off ``sys.path``.

Parts:
    ``_torch_modern``  ModernHopfield.retrieve/recall vs scaled_dot_product_attention (CPU and
                       CUDA, float32 and bfloat16), peak memory at K = 1,000,000.
"""

from __future__ import annotations

from . import _torch_modern

PARTS = (_torch_modern,)


def cases(quick: bool = False) -> list:
    """Every part's cases, in the order of ``PARTS``."""
    return [case for part in PARTS for case in part.cases(quick)]

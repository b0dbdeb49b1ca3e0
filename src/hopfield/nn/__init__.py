r"""Hopfield layers for PyTorch that retrieve by default and show their energy.

``hopfield.nn`` needs the ``[torch]`` extra; ``import hopfield`` never imports torch, and
``hopfield.nn`` loads on first use. Every module runs one functional core
(:mod:`hopfield.nn.functional`): the modern Hopfield update

.. math::

    \xi \leftarrow X^\top \operatorname{sep}(\beta X \xi)

(Ramsauer et al. [1]_) with the separations softmax, sparsemax (Hu et al. [2]_) and α = 1.5
entmax (Peters et al. [3]_), and the energy

.. math::

    E(\xi) = -\beta^{-1} \Psi^*(\beta X \xi) + \tfrac12 \xi^\top \xi
             + \beta^{-1} H_{\max}(K) + \tfrac12 M^2

(``Ψ* = lse`` and ``H_max = ln K`` for softmax), which never rises along the update. On float64
tensors :class:`hopfield.nn.HopfieldRetrieval` gives what :class:`hopfield.ModernHopfield`
gives.

========================  ===================================================================
module                    what it is
========================  ===================================================================
``HopfieldRetrieval``     pure retrieval, no parameters: ``ModernHopfield`` on tensors
``HopfieldAttention``     the attention form (projections, heads, masks): ``hflayers.Hopfield``
``HopfieldPooling``       learned queries pool a set: ``hflayers.HopfieldPooling``
``HopfieldLookup``        learned memories (and targets): ``hflayers.HopfieldLayer``
========================  ===================================================================

Coming from ``hflayers``: ``docs/nn.md`` maps every ``hflayers.Hopfield`` constructor argument
to ours (or says why it is not needed). Pure retrieval is one argument, ``projections=False``;
masks follow ``torch.nn.MultiheadAttention`` (boolean ``True`` masks out, float is added).

Speed: a softmax call without a trajectory or ``chunk_size`` goes through
``torch.nn.functional.scaled_dot_product_attention`` (fused kernels where PyTorch has them);
``module.fast_path_reason()`` says why another call does not. ``chunk_size`` streams softmax
reads over the memories with a running log-sum-exp (bounded memory without autograd; with
autograd each chunk's weights are kept for the backward pass). Modules take ``device=`` and
``dtype=``; they run under ``torch.autocast`` (energies come back in at least float32).
Under ``torch.compile`` a one-step call without masks traces as one graph; the data-dependent
stopping check (``steps > 1``) and the mask checks break the graph at those points.

References
----------
.. [1] H. Ramsauer et al., "Hopfield networks is all you need", ICLR (2021),
   arXiv:2008.02217.
.. [2] J. Y.-C. Hu et al., "On sparse modern Hopfield model", NeurIPS (2023).
.. [3] B. Peters, V. Niculae and A. F. T. Martins, "Sparse sequence-to-sequence models",
   ACL (2019).

Examples
--------
>>> import torch
>>> from hopfield.nn import HopfieldRetrieval
>>> memories = torch.eye(3, dtype=torch.float64)
>>> query = torch.tensor([[0.9, 0.2, 0.0]], dtype=torch.float64)
>>> HopfieldRetrieval(beta=20.0)(query, memories).round(decimals=4)
tensor([[1., 0., 0.]], dtype=torch.float64)
"""

from . import functional
from .functional import Trajectory, energy, entmax15, retrieve, sparsemax
from .modules import HopfieldAttention, HopfieldRetrieval
from .pooling import HopfieldLookup, HopfieldPooling

__all__ = [
    "HopfieldAttention",
    "HopfieldLookup",
    "HopfieldPooling",
    "HopfieldRetrieval",
    "Trajectory",
    "energy",
    "entmax15",
    "functional",
    "retrieve",
    "sparsemax",
]

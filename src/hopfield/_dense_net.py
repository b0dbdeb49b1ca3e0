"""The maths of the dense associative memory classifier, in PyTorch (Krotov & Hopfield [1]_).

Memories ξ^μ (μ = 1..K) span ``N_v`` visible and ``N_c`` label neurons. With the visible
neurons set to an input ``v`` and every label neuron at −1, one update of label neuron α
compares the energies ``E = −Σ_μ F(ξ^μ·σ)`` with that label at +1 and at −1::

    u_μ  = Σ_i ξ^μ_i v_i − Σ_γ ξ^μ_γ                      (overlap, all labels at −1)
    c_α  = tanh(β Σ_μ [F(u_μ + 2 ξ^μ_α) − F(u_μ)]),        β = 1/Tⁿ, F(x) = max(x, 0)ⁿ

which is the paper's update (its eq. 9, and Krotov's public training code) written with the
flipped label's change of overlap, ``+2 ξ^μ_α``, made explicit. Because F is homogeneous,
``β F(x) = F(x / T)``: every power is taken of ``x / T`` (of order 1), never of ``x`` itself,
so degree 20 or 30 does not overflow.

The paper's duality expands the difference to first order, ``F(u + 2ξ_α) − F(u) ≈ 2 ξ_α F′(u)``,
which is a feed-forward network with K hidden units and activation F′. The classifier offers
both: ``update="energy"`` (the energy difference above) and ``update="derivative"`` (the first
order form), and ``feedforward`` builds the network that equals each one exactly.

Everything here works on torch tensors; the estimator in :mod:`hopfield.classifier` owns the
validation. The library's :class:`hopfield.RectifiedPolynomial` is NumPy-only, so it is used
for the energy view (``class_energies``), not inside the training loop.

References
----------
.. [1] D. Krotov and J. J. Hopfield, "Dense associative memory for pattern recognition",
   NeurIPS (2016), arXiv:1606.01164.
"""

from __future__ import annotations

import numpy as np
import torch

UPDATES = ("energy", "derivative")


def _power(x: torch.Tensor, n: int) -> torch.Tensor:
    """Compute ``max(x, 0)ⁿ``."""
    return torch.clamp(x, min=0.0) ** n


def _dpower(x: torch.Tensor, n: int) -> torch.Tensor:
    """Compute ``n max(x, 0)ⁿ⁻¹``, 0 at x ≤ 0 for every n (as ``RectifiedPolynomial``)."""
    if n == 1:
        return (x > 0).to(x.dtype)
    return n * torch.clamp(x, min=0.0) ** (n - 1)


def split(memories: torch.Tensor, n_visible: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Split the memories (K, N_v + N_c) into their visible and label parts."""
    return memories[:, :n_visible], memories[:, n_visible:]


def preactivation(
    x: torch.Tensor, memories: torch.Tensor, degree: int, temperature: float, update: str
) -> torch.Tensor:
    """Compute the pre-activation ``a`` of the label neurons, with ``c = tanh(a)``.

    Parameters
    ----------
    x : torch.Tensor of shape (B, N_v)
        Inputs.
    memories : torch.Tensor of shape (K, N_v + N_c)
        The memories, visible part first.
    degree : int
        The power n of F.
    temperature : float
        T, with β = 1/Tⁿ.
    update : {"energy", "derivative"}
        The energy difference or its first-order form.

    Returns
    -------
    torch.Tensor of shape (B, N_c)
        The pre-activations.
    """
    xi_v, xi_c = split(memories, x.shape[1])
    u = (x @ xi_v.T - xi_c.sum(dim=1)) / temperature  # (B, K)
    if update == "energy":
        plus = _power(u[:, :, None] + 2.0 * xi_c / temperature, degree)  # (B, K, N_c)
        return plus.sum(dim=1) - _power(u, degree).sum(dim=1, keepdim=True)
    return _dpower(u, degree) @ (2.0 * xi_c / temperature)


def loss_and_grad(
    x: torch.Tensor,
    target: torch.Tensor,
    memories: torch.Tensor,
    degree: int,
    temperature: float,
    loss_power: int,
    update: str,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Compute the loss ``mean_b Σ_α (c − t)^{2m}``, its gradient and the outputs ``c``.

    The gradient is written out (as in Krotov's code) rather than taken by autograd: one pass,
    no graph, and a finite-difference test checks it.

    Parameters
    ----------
    x : torch.Tensor of shape (B, N_v)
        Inputs of one minibatch.
    target : torch.Tensor of shape (B, N_c)
        The targets t, ±1.
    memories : torch.Tensor of shape (K, N_v + N_c)
        The memories, visible part first.
    degree : int
        The power n of F.
    temperature : float
        T, with β = 1/Tⁿ.
    loss_power : int
        The power m of the loss.
    update : {"energy", "derivative"}
        The energy difference or its first-order form.

    Returns
    -------
    loss : torch.Tensor
        The loss, a scalar.
    grad : torch.Tensor of shape (K, N_v + N_c)
        Its gradient with respect to the memories.
    c : torch.Tensor of shape (B, N_c)
        The outputs of the label neurons.
    """
    n, t = degree, temperature
    b, nv = x.shape
    xi_v, xi_c = split(memories, nv)
    u = (x @ xi_v.T - xi_c.sum(dim=1)) / t
    if update == "energy":
        shifted = u[:, :, None] + 2.0 * xi_c / t
        a = _power(shifted, n).sum(dim=1) - _power(u, n).sum(dim=1, keepdim=True)
    else:
        du = _dpower(u, n)
        a = du @ (2.0 * xi_c / t)
    c = torch.tanh(a)
    diff = c - target
    loss = (diff ** (2 * loss_power)).sum() / b
    g = (2 * loss_power / b) * diff ** (2 * loss_power - 1) * (1.0 - c * c)  # dL/da, (B, N_c)
    if update == "energy":
        plus = _dpower(shifted, n)  # (B, K, N_c)
        # dL/du: Σ_α g_α [F′(u + 2ξ_α) − F′(u)]; the label weights also move their own term.
        gu = torch.einsum("bc,bkc->bk", g, plus) - g.sum(dim=1, keepdim=True) * _dpower(u, n)
        grad_c_direct = 2.0 * torch.einsum("bc,bkc->kc", g, plus)
    else:
        d2 = n * _dpower(u, n - 1) if n >= 2 else torch.zeros_like(u)  # F″ (0 where u ≤ 0)
        gu = (g @ (2.0 * xi_c / t).T) * d2
        grad_c_direct = 2.0 * du.T @ g
    grad_v = gu.T @ x / t
    grad_c = (grad_c_direct - gu.sum(dim=0)[:, None]) / t
    return loss, torch.cat([grad_v, grad_c], dim=1), c


class RectifiedPower(torch.nn.Module):
    """The activation ``scale · max(x, 0)^n`` as a layer.

    ``F`` is scale 1; ``F′`` is ``n·max(x, 0)^{n−1}``. Power 0 is the step ``scale · [x > 0]``.

    Parameters
    ----------
    power : int
        The power n.
    scale : float, default 1.0
        The factor in front.
    """

    def __init__(self, power: int, scale: float = 1.0):
        super().__init__()
        self.power, self.scale = int(power), float(scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply ``scale · max(x, 0)^n`` elementwise."""
        if self.power == 0:
            return self.scale * (x > 0).to(x.dtype)
        return self.scale * torch.clamp(x, min=0.0) ** self.power

    def extra_repr(self) -> str:
        """Describe ``power`` and ``scale`` in the layer's ``repr``."""
        return f"power={self.power}, scale={self.scale:g}"


def feedforward(
    memories: torch.Tensor, n_visible: int, degree: int, temperature: float, update: str
) -> torch.nn.Sequential:
    """Build the one-hidden-layer network whose output equals ``c`` exactly.

    ``update="derivative"``: K hidden units, ``Linear(N_v, K)`` with weights ξ_v/T and biases
    −Σ_γ ξ_γ/T, activation F′ = n ReLU^{n−1}, ``Linear(K, N_c)`` with weights 2ξ_c/T, tanh.
    ``update="energy"``: the same input layer repeated for the reference overlap and for each
    flipped label (bias +2ξ_α/T), K·(N_c + 1) hidden units with activation F, and an output
    layer that subtracts the reference from each label's sum.

    Parameters
    ----------
    memories : torch.Tensor of shape (K, N_v + N_c)
        The memories, visible part first; the network takes their dtype and device.
    n_visible : int
        N_v.
    degree : int
        The power n of F.
    temperature : float
        T, with β = 1/Tⁿ.
    update : {"energy", "derivative"}
        Which update the network reproduces.

    Returns
    -------
    torch.nn.Sequential
        Linear, activation, linear, tanh.
    """
    xi_v, xi_c = split(memories.detach(), n_visible)
    k, nc = xi_c.shape
    bias = -xi_c.sum(dim=1) / temperature
    if update == "derivative":
        first = torch.nn.Linear(n_visible, k, dtype=memories.dtype, device=memories.device)
        second = torch.nn.Linear(k, nc, bias=False, dtype=memories.dtype, device=memories.device)
        with torch.no_grad():
            first.weight.copy_(xi_v / temperature)
            first.bias.copy_(bias)
            second.weight.copy_(2.0 * xi_c.T / temperature)
        act = RectifiedPower(degree - 1, scale=degree)
        return torch.nn.Sequential(first, act, second, torch.nn.Tanh())
    hidden = k * (nc + 1)
    first = torch.nn.Linear(n_visible, hidden, dtype=memories.dtype, device=memories.device)
    second = torch.nn.Linear(hidden, nc, bias=False, dtype=memories.dtype, device=memories.device)
    with torch.no_grad():
        # Hidden unit (j, μ): j = 0 is the reference (all labels −1), j = α + 1 flips label α.
        first.weight.copy_((xi_v / temperature).repeat(nc + 1, 1))
        shifts = torch.cat([torch.zeros(1, k, dtype=xi_c.dtype, device=xi_c.device), 2 * xi_c.T])
        first.bias.copy_((bias[None, :] + shifts / temperature).reshape(-1))
        w = torch.zeros(nc, hidden, dtype=memories.dtype, device=memories.device)
        w[:, :k] = -1.0
        for alpha in range(nc):
            w[alpha, (alpha + 1) * k : (alpha + 2) * k] = 1.0
        second.weight.copy_(w)
    return torch.nn.Sequential(first, RectifiedPower(degree), second, torch.nn.Tanh())


def class_energies(x: np.ndarray, memories: np.ndarray, degree: int) -> np.ndarray:
    """Compute the energy ``−Σ_μ F(ξ^μ·σ)`` of ``σ = (x, one-hot label α at ±1)``.

    NumPy, with the library's :class:`hopfield.RectifiedPolynomial`: the energy view of the
    classifier, independent of the torch code.

    Parameters
    ----------
    x : ndarray of shape (B, N_v)
        Inputs.
    memories : ndarray of shape (K, N_v + N_c)
        The memories (the classifier passes them scaled by 1/T).
    degree : int
        The power n of F.

    Returns
    -------
    ndarray of shape (B, N_c)
        The energy of each input with each label's code.
    """
    from .functions import RectifiedPolynomial

    nv = x.shape[1]
    xi_v, xi_c = memories[:, :nv], memories[:, nv:]
    # Overlap with all labels at −1, then label α flipped to +1 adds 2 ξ^μ_α.
    m = (x @ xi_v.T - xi_c.sum(axis=1))[:, :, None] + 2.0 * xi_c[None]
    return RectifiedPolynomial(degree).energy(m, axis=1)


def prototype_scores(memories: np.ndarray, n_classes: int) -> np.ndarray:
    """Measure how much of each memory's label vote goes to one class, in [1/N_c, 1].

    Memory μ votes for class α by ``w_α = max(ξ^μ_α − mean_γ ξ^μ_γ, 0)``: what a class gets
    above the memory's average label weight (a shift common to all of a memory's label
    weights adds the same to every class in the dual network, so it is no vote).

    Parameters
    ----------
    memories : ndarray of shape (K, N_v + N_c)
        The memories, label part last.
    n_classes : int
        N_c.

    Returns
    -------
    ndarray of shape (K,)
        ``max_α w_α / Σ_α w_α``: 1 for a memory that votes for one class only (a prototype),
        1/k for one that splits its vote over k classes, 1/N_c for one with equal label
        weights.
    """
    labels = np.asarray(memories, dtype=np.float64)[:, -n_classes:]
    w = np.maximum(labels - labels.mean(axis=1, keepdims=True), 0.0)
    total = w.sum(axis=1)
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, w.max(axis=1) / safe, 1.0 / n_classes)

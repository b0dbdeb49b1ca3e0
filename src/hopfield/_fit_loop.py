"""The training loop of :class:`hopfield.DenseClassifier` (Krotov & Hopfield [1]_, §3).

Memories start from N(−0.3, 0.3) clipped to [−1, 1]. Each minibatch gives the gradient of
``Σ_α (c_α − t_α)^{2m}``; the ``"krotov"`` optimizer keeps a momentum of the descent direction
and moves every memory by ``ε · V / max|V|`` (its largest coordinate changes by exactly ε),
then clips to [−1, 1]; ``"adam"`` uses ``torch.optim.Adam`` with step ε. ε decays by
``learning_rate_decay`` per epoch and the temperature follows its ramp.

Every random draw (initial memories, batch order) comes from one CPU ``torch.Generator``
seeded from the estimator's ``rng``, so a seed gives the same memories on every run and device.

References
----------
.. [1] D. Krotov and J. J. Hopfield, "Dense associative memory for pattern recognition",
   NeurIPS (2016), arXiv:1606.01164.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from tqdm import tqdm

from . import _dense_net as net
from .classifier import _RAMP_FRACTION


def train(clf, X: np.ndarray, y: np.ndarray, seed: int) -> None:
    """Fit ``clf`` on ``X`` and the class indices ``y``.

    Sets ``memories_``, ``temperature_``, ``loss_curve_``, ``validation_scores_`` and
    ``n_iter_`` on ``clf``.

    Parameters
    ----------
    clf : DenseClassifier
        The estimator, its parameters already checked and ``classes_`` set.
    X : ndarray of shape (n_samples, N_v)
        Training inputs, float64.
    y : ndarray of shape (n_samples,)
        Class indices into ``clf.classes_``.
    seed : int
        Seeds the CPU ``torch.Generator`` behind every random draw.
    """
    device = clf._device()
    n_classes = len(clf.classes_)
    n_visible = X.shape[1]
    degree, power, update = int(clf.degree), int(clf.loss_power), clf.update
    gen = torch.Generator().manual_seed(seed)
    X_val = y_val = None
    if clf.early_stopping:
        counts = np.bincount(y, minlength=n_classes)
        stratify = y if counts.min() >= 2 else None
        X, X_val, y, y_val = train_test_split(
            X,
            y,
            test_size=clf.validation_fraction,
            random_state=seed % 2**32,
            stratify=stratify,
        )
        x_val = torch.tensor(X_val, dtype=torch.float64, device=device)
    x_all = torch.tensor(X, dtype=torch.float64, device=device)  # a copy: X stays the caller's
    targets = -torch.ones(len(y), n_classes, dtype=torch.float64)
    targets[torch.arange(len(y)), torch.as_tensor(y)] = 1.0
    targets = targets.to(device)
    y_t = torch.as_tensor(y, device=device)

    k = int(clf.memories)
    mem = torch.normal(-0.3, 0.3, (k, n_visible + n_classes), generator=gen, dtype=torch.float64)
    mem = mem.clamp_(-1.0, 1.0).to(device)
    velocity = torch.zeros_like(mem)
    adam = None
    if clf.optimizer == "adam":
        mem.requires_grad_(False)
        param = torch.nn.Parameter(mem)
        adam = torch.optim.Adam([param], lr=float(clf.learning_rate))
        mem = param

    t_start, t_end = clf._schedule(n_visible + n_classes)
    ramp = max(1, math.ceil(_RAMP_FRACTION * clf.epochs))
    batch = int(clf.batch_size)
    loss_curve: list[float] = []
    val_scores: list[float] | None = [] if clf.early_stopping else None
    best, best_mem, stale = -1.0, None, 0
    bar = tqdm(
        range(clf.epochs),
        desc="DenseClassifier",
        unit="epoch",
        disable=None if clf.verbose else True,
    )
    epoch = -1
    for epoch in bar:
        temperature = t_start + (t_end - t_start) * min(epoch / ramp, 1.0)
        eps = float(clf.learning_rate) * float(clf.learning_rate_decay) ** epoch
        order = torch.randperm(len(y), generator=gen).to(device)
        total, correct = 0.0, 0
        for start in range(0, len(y), batch):
            idx = order[start : start + batch]
            with torch.no_grad():
                loss, grad, c = net.loss_and_grad(
                    x_all[idx], targets[idx], mem.detach(), degree, temperature, power, update
                )
            total += float(loss) * len(idx)
            correct += int((c.argmax(dim=1) == y_t[idx]).sum())
            if adam is not None:
                for group in adam.param_groups:
                    group["lr"] = eps
                mem.grad = grad
                adam.step()
                with torch.no_grad():
                    mem.clamp_(-1.0, 1.0)
                continue
            velocity.mul_(float(clf.momentum)).sub_(grad)
            scale = velocity.abs().amax(dim=1, keepdim=True)
            # A memory no example touched (scale 0) stays where it is.
            step = torch.where(scale > 0, velocity / scale.clamp(min=1e-300), 0.0)
            mem.add_(eps * step).clamp_(-1.0, 1.0)
        loss_curve.append(total / len(y))
        info = {
            "epoch": epoch,
            "loss": loss_curve[-1],
            "train_accuracy": correct / len(y),
            "validation_accuracy": None,
            "temperature": temperature,
            "learning_rate": eps,
        }
        stop = False
        if val_scores is not None:
            with torch.no_grad():
                a = net.preactivation(x_val, mem.detach(), degree, temperature, update)
            score = float((a.argmax(dim=1).cpu().numpy() == y_val).mean())
            val_scores.append(score)
            info["validation_accuracy"] = score
            if score > best:
                best, best_mem, best_t, stale = score, mem.detach().clone(), temperature, 0
            else:
                stale += 1
                stop = stale >= clf.n_iter_no_change
        bar.set_postfix(loss=f"{info['loss']:.4f}", acc=f"{info['train_accuracy']:.3f}")
        if clf.callback is not None and clf.callback(info) is True:
            stop = True
        if stop:
            break
    bar.close()
    if best_mem is not None:
        mem, temperature = best_mem, best_t
    clf.memories_ = mem.detach().cpu().numpy().astype(np.float64)
    clf.temperature_ = float(temperature)
    clf.loss_curve_ = loss_curve
    clf.validation_scores_ = val_scores
    clf.n_iter_ = epoch + 1

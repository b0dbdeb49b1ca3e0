r"""Classical Hopfield network.

The classical Hopfield network [1]_ (:class:`hopfield.Hopfield`): N neurons σ_i ∈ {−1, +1},
symmetric weights W with a zero diagonal, written by a learning rule from :mod:`hopfield.rules`,
and an optional bias b. Its energy is

.. math::

    E(\sigma) = -\tfrac12 \sigma^\top W \sigma - b^\top \sigma ,

and a neuron follows the sign of its local field,

.. math::

    h_i = \sum_j w_{ij} \sigma_j + b_i , \qquad \sigma_i \leftarrow \operatorname{sign}(h_i) ;

a neuron whose field is zero keeps its state (the tie rule). Asynchronous updates never raise
E (W symmetric, :math:`w_{ii} \ge 0`) and end at a fixed point; synchronous updates may end in a
2-cycle, which recall reports. Hebb's rule writes
:math:`W = \tfrac{\eta}{N} \sum_\mu \xi^\mu \xi^{\mu\top}` with the diagonal zeroed.

With a kept diagonal (``PseudoInverse(zero_diagonal=False)``) the update still follows the
field, self-coupling included, as Kanter & Sompolinsky's network does; the energy gap of a flip
is then :math:`2(h_i - w_{ii} \sigma_i)`, and Glauber dynamics, which use :math:`2 h_i`, follow
the field as well.

Capacity: with Hebb's rule and random unbiased patterns the network retrieves its memories up to
K ≈ 0.138 N patterns (α_c = K/N ≈ 0.138, Amit, Gutfreund & Sompolinsky [2]_); above it the
retrieval states disappear. Hopfield's paper used 0/1 neurons; the ±1 convention used here makes
far fewer bit errors at equal K.

References
----------
.. [1] J. J. Hopfield, "Neural networks and physical systems with emergent collective
   computational abilities", PNAS 79, 2554-2558 (1982).
.. [2] D. J. Amit, H. Gutfreund, H. Sompolinsky, "Storing infinite numbers of patterns in a
   spin-glass model of neural networks", Phys. Rev. Lett. 55, 1530-1533 (1985).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .. import _backend, dynamics, rules
from .. import _validation as v
from ..kernels import classical as kernel

__all__ = ["Hopfield"]


def _short(value) -> str:
    """Show a bias in a repr: a number as it is, a vector by its shape."""
    shape = getattr(value, "shape", None)
    if shape:
        return f"<vector of {shape[0]}>"
    return repr(float(value)) if not isinstance(value, list) else f"<vector of {len(value)}>"


class Hopfield(dynamics.BinaryModel):
    """Classical Hopfield network of ±1 neurons.

    Stores ±1 patterns in a weight matrix with a learning rule and recalls them by the
    dynamics of :mod:`hopfield.dynamics` (see :meth:`recall`).

    Parameters
    ----------
    rule : str or rule object, default "hebbian"
        A learning rule name (``"hebbian"``, ``"storkey"``, ``"pseudoinverse"``,
        ``"perceptron"``) or a rule object from :mod:`hopfield.rules` with its options, e.g.
        ``hf.rules.Hebbian(learning_rate=0.5)``.
    bias : float or array_like of shape (N,), optional
        The bias (threshold) ``b``: a number or a vector of length N; the field is ``W σ + b``
        and the energy gains ``−bᵀσ``. None (the default) means no bias.

    Attributes
    ----------
    weights : ndarray of shape (N, N)
        The float64 weight matrix. Read-only; set by :meth:`store`.
    patterns : ndarray of shape (K, N)
        Every pattern stored so far, int8. Read-only; set by :meth:`store`.
    bias : ndarray of shape (N,)
        The float64 bias vector. Read-only; set by :meth:`store` (before it, the ``bias``
        argument as given).
    training : dict or None
        For rules that train iteratively, ``{"converged": bool, "epochs": int}``; None for the
        others. Set by :meth:`store`.

    Raises
    ------
    ValueError
        When the rule name is unknown (the closest name is suggested) or ``bias`` is neither a
        number nor a vector.
    TypeError
        When ``rule`` is neither a rule name nor a rule object, or ``bias`` is not real.

    See Also
    --------
    hopfield.DenseAssociativeMemory : Stores far more patterns with a steeper interaction.
    hopfield.rules : The learning rules.

    Notes
    -----
    ``bias_`` and ``training_`` are the deprecated old names of ``bias`` and ``training``.

    Tensors: patterns given as a torch tensor are stored as float64 tensors on their device
    (Hebb, Storkey and pseudo-inverse; the perceptron rule runs on NumPy only and raises a
    ``TypeError``). ``recall(update="sync")``, :meth:`energy` and :meth:`field` then take
    tensor states on that device and return tensors there; the weights stay float64, so the
    fields, ties and 2-cycles are those of NumPy.

    A tie is decided per neuron: ``|h_i|`` within 1e-9 of ``Σ_j |w_ij| + |b_i|``, so one large
    bias or weight row cannot hide the fields of the other neurons.

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(5, 100, rng=0)
    >>> net = hf.Hopfield().store(X)
    >>> r = net.recall(hf.patterns.flip(X, 0.1, rng=1), rng=2)
    >>> bool((r.states == X).all()), bool(r.converged.all())
    (True, True)
    >>> net.weights.shape, net.patterns.shape
    ((100, 100), (5, 100))
    """

    def __init__(self, rule="hebbian", *, bias=None):
        self.rule = rule
        self._bias_given = bias
        self._training = None
        self._rule = rules.get(rule)
        if bias is not None:
            v.real_array("bias", bias, ndim=(0, 1))

    # -- storing -------------------------------------------------------------------------
    def store(self, patterns) -> Hopfield:
        """Store ±1 patterns; calling it again adds patterns.

        Incremental rules (Hebb, Storkey) add to the current weights; global rules
        (pseudo-inverse, perceptron) recompute from every pattern stored so far.

        Parameters
        ----------
        patterns : array_like or torch.Tensor of shape (K, N) or (N,)
            The ±1 patterns, one per row (a 1-D array is one pattern). Any real dtype; the
            network keeps an int8 copy, so later changes to the caller's array do not reach it.

        Returns
        -------
        Hopfield
            The network, for chaining.

        Raises
        ------
        ValueError
            When the patterns are empty, not ±1, not finite, or their width differs from the
            patterns stored before (or from the bias); or when a tensor is on another device
            than the stored ones.
        TypeError
            When the patterns are in another library than those stored before (NumPy against
            torch), or a tensor is given to the perceptron rule.

        Examples
        --------
        >>> import hopfield as hf
        >>> X = hf.patterns.random(4, 50, rng=0)
        >>> net = hf.Hopfield().store(X[:2]).store(X[2:])
        >>> net.patterns.shape
        (4, 50)
        """
        x = v.bipolar("patterns", patterns)
        tensor = _backend.is_tensor(x)
        if tensor:
            x = x.reshape(-1, x.shape[-1]).clone()  # a copy, on the tensor's device
        else:
            # A copy: the network must not change when the caller's array does.
            x = np.array(np.atleast_2d(x), dtype=np.int8)
        if hasattr(self, "_w"):
            dynamics.check_home("patterns", x, self._w)
            v.width("patterns", x, self._w.shape[0])
            stored = _backend.namespace(x).concat([self._patterns, x])
            w = self._w
        else:
            n = x.shape[1]
            stored = x
            w = _backend.as_like(np.zeros((n, n)), x)
            self._b = self._bias_vector(n, x)
        if hasattr(self._rule, "train"):
            w, converged, epochs = self._rule.train(w, stored, bias=self._b)
            self._training = {"converged": converged, "epochs": epochs}
        else:
            w = self._rule.update(w, x, stored)
        self._set(w, stored)
        return self

    def _bias_vector(self, n: int, like) -> np.ndarray:
        """Return the bias as float64 in the library and on the device of the patterns ``like``."""
        if self._bias_given is None:
            return _backend.as_like(np.zeros(n), like)
        b = np.asarray(_backend.to_numpy(self._bias_given), dtype=np.float64)
        if b.ndim == 0:
            return _backend.as_like(np.full(n, float(b)), like)
        v.width("bias", b, n)
        return _backend.as_like(b.copy(), like)

    def _set(self, w, stored) -> None:
        if _backend.is_tensor(w):
            import torch

            self._w = w.to(torch.float64).contiguous()
            self._b = _backend.as_like(self._b, self._w, dtype=torch.float64)
        else:
            self._w = np.ascontiguousarray(w, dtype=np.float64)
        symmetric = getattr(self._rule, "symmetric", None)
        if symmetric is None:  # a user's rule: look
            symmetric = bool((self._w == self._w.T).all())
        if symmetric:
            self._wt = self._w
        elif _backend.is_tensor(self._w):
            self._wt = self._w.T.contiguous()
        else:
            self._wt = np.ascontiguousarray(self._w.T)
        self._patterns = stored
        k, n = stored.shape
        # Hebb's weights are low rank, W = (η/N)(XᵀX − K·I): with 2K < N two thin products
        # (B·K·N each) give the fields faster than the full B·N·N product.
        self._lowrank = None
        if type(self._rule) is rules.Hebbian and 2 * k < n:
            self._lowrank = (_backend.float64(stored), self._rule.learning_rate / n)
        # Per neuron: a tie is |h_i| within rounding of h_i's own terms, so one large bias or
        # weight row cannot hide the fields of the other neurons.
        if _backend.is_tensor(self._w):
            self._tol = 1e-9 * (self._w.abs().sum(dim=1) + self._b.abs()).clamp_min(1e-300)
        else:
            scale = np.abs(self._b)  # + Σ_j |w_ij|, a block of rows at a time: no N × N temporary
            for r in range(0, n, 512):
                scale[r : r + 512] += np.abs(self._w[r : r + 512]).sum(axis=1)
            self._tol = 1e-9 * np.maximum(scale, 1e-300)
        self._has_bias = bool(self._b.any())

    def _fitted(self) -> None:
        if not hasattr(self, "_w"):
            raise RuntimeError("this network stores nothing yet: call store(patterns) first")

    @property
    def weights(self) -> np.ndarray:
        """The (N, N) float64 weight matrix, read-only."""
        self._fitted()
        return v.readonly(self._w)

    @property
    def patterns(self) -> np.ndarray:
        """The (K, N) int8 patterns stored so far, read-only."""
        self._fitted()
        return v.readonly(self._patterns)

    @property
    def bias(self):
        """The (N,) float64 bias vector, read-only; before :meth:`store`, the argument as given."""
        if not hasattr(self, "_b"):
            return self._bias_given
        return v.readonly(self._b)

    @property
    def training(self) -> dict | None:
        """``{"converged": bool, "epochs": int}`` for rules that train iteratively, else None."""
        return None if self._training is None else dict(self._training)

    bias_ = v.renamed_property("bias", "bias_")
    training_ = v.renamed_property("training", "training_")

    @property
    def n_neurons(self) -> int:
        """The number of neurons N."""
        self._fitted()
        return self._w.shape[0]

    @property
    def symmetric(self) -> bool:
        """Whether W is symmetric (false for the perceptron rule)."""
        self._fitted()
        return self._wt is self._w

    # -- recall and energy ---------------------------------------------------------------
    def energy(self, states) -> np.ndarray | float:
        """Compute the energy ``E(σ) = −½ σᵀWσ − bᵀσ`` of states.

        Parameters
        ----------
        states : array_like or torch.Tensor of shape (B, N) or (N,)
            ±1 states.

        Returns
        -------
        float or ndarray of shape (B,)
            The energy of each state (a float for one state; float64 tensors for tensors).

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the states are not ±1 or their width is not N.
        TypeError
            When the states are in another library than the weights.

        Examples
        --------
        >>> import hopfield as hf
        >>> net = hf.Hopfield().store([[1, -1, 1, -1]])
        >>> net.energy([1, -1, 1, -1])
        -1.5
        """
        self._fitted()
        s = v.bipolar("states", states)
        v.width("states", s, self.n_neurons)
        dynamics.check_home("states", s, self._w)
        _, e = self._gap_and_energy(_backend.float64(s.reshape(-1, s.shape[-1])))
        if s.ndim == 1:
            return e[0] if _backend.is_tensor(e) else float(e[0])
        return e

    def field(self, states) -> np.ndarray:
        """Compute the local fields ``h = W σ + b``.

        Parameters
        ----------
        states : array_like or torch.Tensor of shape (B, N) or (N,)
            States of ±1, with 0 for unknown neurons.

        Returns
        -------
        ndarray of shape (B, N) or (N,)
            The float64 fields, the same shape as ``states`` (a tensor for tensors).

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When the states hold values other than ±1 and 0, or their width is not N.
        TypeError
            When the states are in another library than the weights.

        Examples
        --------
        >>> import hopfield as hf
        >>> net = hf.Hopfield().store([[1, -1, 1, -1]])
        >>> net.field([1, -1, 1, -1]).tolist()
        [0.75, -0.75, 0.75, -0.75]
        """
        self._fitted()
        s = v.bipolar("states", states, allow_zero=True)
        v.width("states", s, self.n_neurons)
        dynamics.check_home("states", s, self._w)
        return self._field(_backend.float64(s))

    def _field(self, s: np.ndarray) -> np.ndarray:
        if self._lowrank is not None:
            x, scale = self._lowrank
            h = (s @ x.T) @ x
            h -= len(x) * s
            h *= scale
        else:
            h = s @ self._wt
        if self._has_bias:
            h += self._b
        return h

    # -- engine hooks --------------------------------------------------------------------
    def _n(self) -> int:
        return self._w.shape[0]

    def _home(self):
        return self._w

    def _tie_tol(self) -> float:
        return self._tol

    def _gap_and_energy(self, s):
        h = self._field(s)
        # E = −½ σ·(Wσ) − b·σ = −½ σ·(h + b)
        if _backend.is_tensor(s):
            energy = -0.5 * (s * (h + self._b)).sum(dim=1)
        else:
            energy = -0.5 * np.einsum("ij,ij->i", s, h + self._b)
        return 2.0 * h, energy

    def _async_state(self, s):
        return self._field(s.astype(np.float64))

    def _async_sweep(self, s, aux, orders, uniforms, temperature, clamp, tol, active, flips):
        kernel.async_sweep(
            self._wt, s, aux, orders, uniforms, temperature, clamp, tol, active, flips
        )

    def _async_energy(self, s, aux):
        return -0.5 * np.einsum("ij,ij->i", s.astype(np.float64), aux + self._b)

    # -- saving --------------------------------------------------------------------------
    def _state(self):
        self._fitted()
        rule = self._rule
        name = next((k for k, cls in rules.RULES.items() if type(rule) is cls), None)
        if name is None:
            raise TypeError(f"model: a network with a custom rule {rule!r} cannot be saved")
        params = {
            "rule": name,
            "rule_options": dataclasses.asdict(rule),
            "bias": None
            if self._bias_given is None
            else _backend.to_numpy(self._bias_given).tolist(),
        }
        arrays = {"weights": self._w, "patterns": self._patterns, "bias": self._b}
        # Files hold NumPy arrays: a tensor network is written from the host.
        return params, {key: _backend.to_numpy(a) for key, a in arrays.items()}

    @classmethod
    def _from_state(cls, params, arrays, source):
        try:
            rule = rules.RULES[params["rule"]](**params["rule_options"])
            net = cls(rule, bias=params["bias"])
            w, x, b = arrays["weights"], arrays["patterns"], arrays["bias"]
        except (KeyError, TypeError) as err:
            raise ValueError(f"path: {source} has a damaged Hopfield record ({err})") from None
        n = w.shape[0] if w.ndim == 2 else -1
        if w.shape != (n, n) or x.ndim != 2 or x.shape[1] != n or b.shape != (n,):
            raise ValueError(
                f"path: {source} has inconsistent shapes: weights {w.shape}, "
                f"patterns {x.shape}, bias {b.shape}"
            )
        for name, a in (("weights", w), ("bias", b)):
            if a.dtype.kind != "f" or not np.all(np.isfinite(a)):
                raise ValueError(f"path: {source} has {name} that are not finite floats")
        if net._rule.symmetric and not np.allclose(w, w.T, rtol=1e-12, atol=1e-15):
            raise ValueError(f"path: {source} has asymmetric weights for the {params['rule']} rule")
        if not np.array_equal(net._bias_vector(n, b), b):
            raise ValueError(f"path: {source} has a bias array that disagrees with params.bias")
        net._b = b.astype(np.float64)
        net._set(w.astype(np.float64), np.array(v.bipolar("patterns", x), dtype=np.int8))
        if net._lowrank is not None:
            # Recall reads Hebb's fields from the patterns: the weights must agree with them.
            xf, scale = net._lowrank
            expected = scale * (xf.T @ xf)
            np.fill_diagonal(expected, 0.0)
            if not np.allclose(net._w, expected, rtol=1e-9, atol=1e-12):
                raise ValueError(f"path: {source} has weights that do not match its patterns")
        return net

    def __repr__(self) -> str:
        state = f", N={self._w.shape[0]}, K={len(self._patterns)}" if hasattr(self, "_w") else ""
        bias = "" if self._bias_given is None else f", bias={_short(self._bias_given)}"
        return f"Hopfield(rule={self.rule!r}{bias}{state})"

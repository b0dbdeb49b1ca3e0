r"""Hidden-neuron model: the general associative memory of Krotov & Hopfield (2021).

N feature neurons v and K memory (hidden) neurons h, coupled by synapses ξ, of shape (K, N),
one memory per row [1]_. Each layer is a Lagrangian (:mod:`hopfield.lagrangians`); its
outputs are the gradients :math:`g = \partial L_v / \partial v` and
:math:`f = \partial L_h / \partial h`.

.. rubric:: Dynamics

.. math::

    \tau_f \frac{dv_i}{dt} = \sum_\mu \xi_{\mu i} f_\mu - v_i + I_i,
    \qquad
    \tau_h \frac{dh_\mu}{dt} = \sum_i \xi_{\mu i} g_i - h_\mu.

.. rubric:: Energy

.. math::

    E(v, h) = \Bigl[\sum_i (v_i - I_i) g_i - L_v\Bigr]
            + \Bigl[\sum_\mu h_\mu f_\mu - L_h\Bigr]
            - \sum_{\mu, i} f_\mu \xi_{\mu i} g_i.

.. rubric:: Guarantees

Along the dynamics

.. math::

    \frac{dE}{dt} = -\tau_f \dot v^\top (\partial^2 L_v) \dot v
                    - \tau_h \dot h^\top (\partial^2 L_h) \dot h \le 0

when both Hessians are positive semi-definite, so the energy never rises and the flow
settles at fixed points. With ``tau_h = 0`` the memory neurons follow the features at once,
:math:`h = \xi g(v)`, and the energy reduces to

.. math::

    E(v) = \sum_i (v_i - I_i) g_i - L_v(v) - L_h(\xi g(v)),

which is also what :meth:`hopfield.HiddenNeuronNetwork.energy` returns for ``hidden=None``
(the full energy at :math:`h = \xi g`). In the limits below the network is another model of
the library and stores what that model stores: model A has the dense associative memory's
polynomial or exponential capacity, model B the modern Hopfield network's exponential one.

.. rubric:: The three limits of the paper

They are named constructors:

- :meth:`hopfield.HiddenNeuronNetwork.model_a`: :math:`L_v = \sum_i |v_i|`,
  :math:`L_h = \sum_\mu F(h_\mu)`. Then g = sign(v) and
  :math:`E = -I \cdot \sigma - \sum_\mu F(\xi_\mu \cdot \sigma)` with σ = sign(v): the dense
  associative memory.
- :meth:`hopfield.HiddenNeuronNetwork.model_b`: :math:`L_v = \tfrac12 \sum_i v_i^2`,
  :math:`L_h = \beta^{-1} \log \sum_\mu \exp(\beta h_\mu)`. One Euler step with
  dt = τ_f is :math:`v \leftarrow X^\top \operatorname{softmax}(\beta X v)`, Ramsauer et
  al.'s update, and :math:`E = \tfrac12 \lVert v \rVert^2 - \operatorname{lse}(\beta, Xv)`,
  their energy less constants.
- :meth:`hopfield.HiddenNeuronNetwork.model_c`: :math:`L_v = \lVert v \rVert`,
  :math:`L_h = \sum_\mu F(h_\mu)`: the spherical memory,
  :math:`E = -I \cdot \hat v - \sum_\mu F(\xi_\mu \cdot \hat v)` with
  :math:`\hat v = v / \lVert v \rVert`, which ignores the length of v.

.. rubric:: PyTorch

Memories, cues, inputs and hidden states may be tensors on any device (float32, float64;
float16 and bfloat16 kept as given, at the caller's risk of rounding in the small Euler
steps). ``method="euler"`` and :meth:`hopfield.HiddenNeuronNetwork.energy` run where the
tensors are and return tensors there (every field of the Recall, energies and times in
float64 for float64 and float32 otherwise); the Euler loop updates its states in place and
is not differentiable, ``energy`` is. The ``solve_ivp`` methods stay NumPy and refuse tensors
with a ``TypeError``.

References
----------
.. [1] D. Krotov and J. J. Hopfield, "Large associative memory problem in neurobiology and
   machine learning", ICLR 2021 (arXiv:2008.06996, 2020).
"""

from __future__ import annotations

import difflib
import math

import numpy as np
from scipy import sparse
from scipy.integrate import solve_ivp

from .. import _backend as backend
from .. import _readout
from .. import _validation as v
from .. import lagrangians as lg
from .._finite import check as check_finite
from ..contract import Memory
from ..lagrangians import Lagrangian
from ..recall import ActiveSet, Recall
from ._keyvalue import as_rows

__all__ = ["HiddenNeuronNetwork", "METHODS"]

_SCIPY = {name.lower(): name for name in ("RK45", "RK23", "DOP853", "Radau", "BDF", "LSODA")}
METHODS = ("euler", *_SCIPY)


#: The most Euler steps one recall may take (a tiny dt would otherwise run for ever).
_MAX_STEPS = 10**7


def _promote(a, b):
    """Return the dtype two tensor dtypes combine to (torch's promotion rules)."""
    import torch

    return torch.promote_types(a, b)


def _batch_sparsity(b: int, n: int, k: int) -> sparse.csr_matrix:
    """Tell which entries of the flattened batch [v (B·N), h (B·K)] act on which (per cue)."""
    eye = sparse.identity(b, format="csr")
    blocks = [[sparse.kron(eye, np.ones((n, n)))]]
    if k:
        blocks[0].append(sparse.kron(eye, np.ones((n, k))))
        blocks.append([sparse.kron(eye, np.ones((k, n))), sparse.kron(eye, np.ones((k, k)))])
    return sparse.bmat(blocks, format="csr")


class HiddenNeuronNetwork(Memory):
    """Feature neurons and memory neurons, each layer a Lagrangian (Krotov & Hopfield 2021).

    The general associative memory of Krotov & Hopfield [1]_: N feature neurons v and K
    memory neurons h coupled by the stored memories ξ, integrated in continuous time until
    the energy settles (dynamics, energy and limits: ``hopfield.models.hidden``). States v
    and inputs I are (N,) or (B, N); hidden states h are (K,) or (B, K).

    Parameters
    ----------
    feature : Lagrangian, optional
        Lagrangian of the N feature neurons (default
        :class:`hopfield.lagrangians.Quadratic`).
    memory : Lagrangian, optional
        Lagrangian of the K memory neurons (default :class:`hopfield.lagrangians.LogSumExp`
        with β = 1).
    tau_f : float, default 1.0
        Time constant of the feature neurons, > 0.
    tau_h : float, default 0.0
        Time constant of the memory neurons, >= 0; 0 computes h = ξ g(v) exactly at every
        instant instead of integrating it.

    Attributes
    ----------
    patterns : ndarray or torch.Tensor of shape (K, N)
        The synapses ξ, one stored memory per row (float64 if given float64, else float32;
        a tensor keeps its floating dtype). Read-only; set by :meth:`store`. ``memories``
        is its deprecated old name.
    n_neurons : int
        N, the number of feature neurons. Read-only; set by :meth:`store`.
    n_memories : int
        K, the number of memory neurons. Read-only; set by :meth:`store`.

    Raises
    ------
    TypeError
        When ``feature`` or ``memory`` is not a Lagrangian, or a time constant is not a
        real number.
    ValueError
        When ``tau_f`` is not > 0 or ``tau_h`` is negative (or either is not finite).

    See Also
    --------
    hopfield.ModernHopfield : The discrete update that model B's Euler step reproduces.
    hopfield.DenseAssociativeMemory : The binary model that model A's energy is.

    References
    ----------
    .. [1] D. Krotov and J. J. Hopfield, "Large associative memory problem in neurobiology and
       machine learning", ICLR 2021 (arXiv:2008.06996, 2020).

    Examples
    --------
    >>> import numpy as np
    >>> import hopfield as hf
    >>> X = np.eye(3)[:2] * 4.0                     # two memories, N = 3
    >>> net = hf.HiddenNeuronNetwork.model_b(beta=0.5).store(X)
    >>> r = net.recall(np.array([3.0, 1.0, 0.5]), method="euler", dt=1.0, t_max=1.0)
    >>> np.round(r.states, 4)
    array([3.9281, 0.0719, 0.    ])
    >>> bool(r.energies[-1] < r.energies[0])
    True
    """

    def __init__(
        self,
        feature: Lagrangian | None = None,
        memory: Lagrangian | None = None,
        *,
        tau_f: float = 1.0,
        tau_h: float = 0.0,
    ):
        self.feature = lg.Quadratic() if feature is None else lg.check("feature", feature)
        self.memory = lg.LogSumExp() if memory is None else lg.check("memory", memory)
        self.tau_f = v.positive("tau_f", tau_f)
        self.tau_h = v.positive("tau_h", tau_h, allow_zero=True)

    # -- the three limits of the paper -------------------------------------------------
    @classmethod
    def model_a(cls, F, *, tau_f: float = 1.0) -> HiddenNeuronNetwork:
        """Build model A, the dense associative memory: ``L_v = Σ|v|``, ``L_h = Σ F(h)``.

        The memory neurons follow the features at once (tau_h = 0). The energy is the dense
        memory's. The flow steers v_i by ``Σ_μ ξ_μi F′(ξ_μ·σ)``, the derivative where the
        dense memory's update uses a difference of F, so both share the stored memories as
        fixed points at low load, but not every spurious state.

        Parameters
        ----------
        F : interaction function
            An interaction function with ``F(x)`` and ``F.derivative(x)`` (convex for the
            energy to fall), e.g. :class:`hopfield.RectifiedPolynomial` ``(3)``.
        tau_f : float, default 1.0
            Time constant of the feature neurons, > 0.

        Returns
        -------
        HiddenNeuronNetwork
            The network, with nothing stored yet.

        Raises
        ------
        TypeError
            When ``F`` has no ``F(x)`` and ``F.derivative(x)``.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> X = np.array([[1.0, 1.0, -1.0, -1.0], [1.0, -1.0, 1.0, -1.0]])
        >>> net = hf.HiddenNeuronNetwork.model_a(hf.RectifiedPolynomial(3)).store(X)
        >>> r = net.recall([0.5, 0.2, -0.1, -0.3], t_max=20.0)
        >>> np.sign(r.states).tolist()
        [1.0, 1.0, -1.0, -1.0]
        """
        return cls(lg.Absolute(), lg.Interaction(F), tau_f=tau_f)

    @classmethod
    def model_b(cls, beta: float = 1.0, *, tau_f: float = 1.0) -> HiddenNeuronNetwork:
        """Build model B, the modern Hopfield network: ``L_v = ½Σv²``, ``L_h = lse(β, h)``.

        Here ``lse(β, h) = β⁻¹ log Σ exp(βh)``.
        With β inside L_h the synapses are the memories themselves, so one Euler step with
        ``dt = tau_f`` from v is exactly ``Xᵀ softmax(β X v)`` (Ramsauer et al. 2020).

        Parameters
        ----------
        beta : float, default 1.0
            The inverse temperature β > 0 of the log-sum-exp Lagrangian.
        tau_f : float, default 1.0
            Time constant of the feature neurons, > 0.

        Returns
        -------
        HiddenNeuronNetwork
            The network, with nothing stored yet.

        Raises
        ------
        ValueError
            When ``beta`` or ``tau_f`` is not a finite number > 0.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> X = np.array([[1.0, 0.0], [0.0, 2.0]])
        >>> net = hf.HiddenNeuronNetwork.model_b(beta=2.0).store(X)
        >>> v = np.array([0.6, 0.4])
        >>> step = net.recall(v, dt=1.0, t_max=1.0).states
        >>> one = hf.ModernHopfield(beta=2.0).store(X).retrieve(v)
        >>> bool(np.allclose(step, one))
        True
        """
        return cls(lg.Quadratic(), lg.LogSumExp(beta), tau_f=tau_f)

    @classmethod
    def model_c(cls, F, *, tau_f: float = 1.0) -> HiddenNeuronNetwork:
        """Build model C, the spherical memory: ``L_v = ‖v‖``, ``L_h = Σ F(h)``.

        ``L_v = ‖v‖`` is a divisive normalisation of the features. Its energy
        ``−I·v̂ − Σ_μ F(ξ_μ·v̂)`` depends on the direction of v only.

        Parameters
        ----------
        F : interaction function
            An interaction function with ``F(x)`` and ``F.derivative(x)``, e.g.
            :class:`hopfield.RectifiedPolynomial` ``(3)``.
        tau_f : float, default 1.0
            Time constant of the feature neurons, > 0.

        Returns
        -------
        HiddenNeuronNetwork
            The network, with nothing stored yet.

        Raises
        ------
        TypeError
            When ``F`` has no ``F(x)`` and ``F.derivative(x)``.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> net = hf.HiddenNeuronNetwork.model_c(hf.RectifiedPolynomial(3)).store(np.eye(2))
        >>> bool(np.isclose(net.energy([1.0, 2.0]), net.energy([3.0, 6.0])))
        True
        """
        return cls(lg.Spherical(), lg.Interaction(F), tau_f=tau_f)

    # -- storing -------------------------------------------------------------------------
    def store(self, patterns) -> HiddenNeuronNetwork:
        """Store real memories as the synapses ξ; calling it again adds more.

        NumPy memories are kept as float64 if given float64, else float32 (a float64 batch
        makes the whole store float64). Tensors stay on their device, in their graph (a copy
        of the caller's data, not a detach); a store holds arrays of one library only.

        Parameters
        ----------
        patterns : array_like or torch.Tensor of shape (K, N) or (N,)
            The memories, one per row; one (N,) memory is stored as one row.

        Returns
        -------
        HiddenNeuronNetwork
            The network, for chaining.

        Raises
        ------
        ValueError
            When the memories are empty or not finite, their width differs from those
            stored so far, or a tensor lies on another device than the store.
        TypeError
            When the memories are not real numbers, or NumPy arrays and tensors are mixed
            in one store.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> net = hf.HiddenNeuronNetwork().store(np.eye(3)[:2])
        >>> net.store([0.0, 0.0, 1.0]).n_memories
        3
        """
        x = as_rows(v.real_array("patterns", patterns))
        old = getattr(self, "_xi", None)
        if old is not None:
            v.width("patterns", x, old.shape[1])
            if backend.is_tensor(x) != backend.is_tensor(old):
                self._same_library("patterns", x)
        if backend.is_tensor(x):
            # On its device, in its graph (a copy of the caller's data, not a detach).
            x = x.to(backend.float_dtype(x))
            if old is None:
                self._xi = x.clone()
                return self
            if x.device != old.device:
                self._same_library("patterns", x)
            dtype = _promote(old.dtype, x.dtype)
            self._xi = backend.namespace(x).concat([old.to(dtype), x.to(dtype)])
            return self
        x = x.astype(np.float64 if x.dtype.itemsize >= 8 and x.dtype.kind == "f" else np.float32)
        if old is not None:
            x = np.concatenate([old, x]).astype(np.result_type(old, x))
        self._xi = np.ascontiguousarray(x)
        return self

    def _same_library(self, name: str, arr) -> None:
        """Check that ``arr`` is in the memories' library (and on their device, for tensors).

        Raises
        ------
        TypeError
            When ``arr`` is a tensor and the memories NumPy, or the other way round.
        ValueError
            When ``arr`` is a tensor on another device.
        """
        stored = backend.is_tensor(self._xi)
        if stored != backend.is_tensor(arr):
            have = f"torch tensors on {self._xi.device}" if stored else "NumPy arrays"
            got = "a torch tensor" if backend.is_tensor(arr) else type(arr).__name__
            raise TypeError(
                f"{name}: the memories are {have}, got {got}; give every array in one library "
                "(torch.as_tensor(a, device=...) or t.detach().cpu().numpy())"
            )
        if stored and arr.device != self._xi.device:
            raise ValueError(
                f"{name}: expected a tensor on {self._xi.device} (where the memories are), got "
                f"{arr.device}; move it with .to({str(self._xi.device)!r})"
            )

    def _fitted(self) -> None:
        """Raise ``RuntimeError`` when nothing is stored yet."""
        if not hasattr(self, "_xi"):
            raise RuntimeError("this network stores nothing yet: call store(patterns) first")

    @property
    def patterns(self) -> np.ndarray:
        """The (K, N) stored memories ξ (the synapses), read-only."""
        self._fitted()
        return v.readonly(self._xi)

    memories = v.renamed_property("patterns", "memories")

    @property
    def n_neurons(self) -> int:
        """N, the number of feature neurons."""
        self._fitted()
        return self._xi.shape[1]

    @property
    def n_memories(self) -> int:
        """K, the number of memory (hidden) neurons."""
        self._fitted()
        return self._xi.shape[0]

    # -- energy --------------------------------------------------------------------------
    def _evaluate(self, xi, s, h, inp):
        """Compute the energy (B,) and the drives τ_f v̇ (B, N), τ_h ḣ (B, K) (None if tau_h = 0)."""
        xp = backend.namespace(s)
        g = self.feature.activation(s)
        forward = xp.matmul(g, xi.T)
        hid = forward if h is None else h
        f = self.memory.activation(hid)
        energy = self.feature.legendre(s) + self.memory.legendre(hid) - xp.sum(f * forward, axis=1)
        if inp is not None:
            energy = energy - xp.sum(inp * g, axis=1)
        drive_v = xp.matmul(f, xi) - s if inp is None else xp.matmul(f, xi) - s + inp
        return energy, drive_v, None if h is None else forward - h

    def energy(self, states, hidden=None, *, input=None) -> np.ndarray | float:
        """Compute the energy E(v, h); with ``hidden=None``, the energy at ``h = ξ g(v)``.

        At ``h = ξ g(v)`` the full energy equals the reduced one of tau_h = 0,
        ``Σ (v_i − I_i) g_i − L_v − L_h(ξ g)``.

        Parameters
        ----------
        states : array_like or torch.Tensor of shape (N,) or (B, N)
            Feature states v.
        hidden : array_like or torch.Tensor of shape (K,) or (B, K), optional
            Memory states h; None for ``h = ξ g(v)``.
        input : array_like or torch.Tensor of shape (N,) or (B, N), optional
            External input I; None for 0.

        Returns
        -------
        float or ndarray of shape (B,)
            A float for a single state, else (B,) energies (float64). For tensors: a tensor
            on their device, 0-d or (B,), in float64 (float32 on devices without it), with
            gradients to the states, hidden states, inputs and memories.

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When an array has the wrong width or number of rows, or is not finite.
        TypeError
            When the arrays are not all in the memories' library.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> net = hf.HiddenNeuronNetwork.model_b(beta=2.0).store(np.eye(2))
        >>> v = np.array([0.6, 0.4])
        >>> bool(np.isclose(net.energy(v), net.energy(v, hidden=np.eye(2) @ v)))
        True
        """
        self._fitted()
        s = v.real_array("states", states)
        self._same_library("states", s)
        v.width("states", s, self.n_neurons)
        if backend.is_tensor(s):
            wide = _readout.wide_dtype(backend.namespace(s), s)
            s2, xi = as_rows(s).to(wide), self._xi.to(wide)
        else:
            s2, xi = np.atleast_2d(s).astype(np.float64), self._xi.astype(np.float64)
        h = self._rows("hidden", hidden, self.n_memories, s2)
        inp = self._rows("input", input, self.n_neurons, s2)
        e, _, _ = self._evaluate(xi, s2, h, inp)
        if backend.is_tensor(e):
            return e[0] if s.ndim == 1 else e
        return float(e[0]) if s.ndim == 1 else e

    def _rows(self, name: str, value, width: int, s: np.ndarray) -> np.ndarray | None:
        """Return ``value`` as (B, width) rows of ``s``'s dtype, one per state; None stays None."""
        if value is None:
            return None
        arr = v.real_array(name, value)
        self._same_library(name, arr)
        v.width(name, arr, width)
        if arr.ndim == 2 and arr.shape[0] != s.shape[0]:
            raise ValueError(f"{name}: expected {s.shape[0]} rows, one per state, got {arr.shape}")
        if backend.is_tensor(arr):
            return arr.to(s.dtype).broadcast_to((s.shape[0], width)).clone()
        return np.array(np.broadcast_to(arr, (s.shape[0], width)), dtype=s.dtype)

    # -- recall --------------------------------------------------------------------------
    def recall(
        self,
        cues,
        *,
        input=None,
        hidden=None,
        method: str = "euler",
        t_max: float | None = None,
        dt: float | None = None,
        tol: float = 1e-6,
        max_steps: int | None = None,
        **options,
    ) -> Recall:
        """Integrate the dynamics from the cues (initial v) until they settle or ``t_max``.

        A cue has settled when its drives are small against its size:
        ``‖τ_f dv/dt‖ ≤ tol · max(1, ‖v‖)`` (and the same for h when tau_h > 0).

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (N,) or (B, N)
            Initial feature states v.
        input : array_like or torch.Tensor of shape (N,) or (B, N), optional
            Constant external input I; None for 0.
        hidden : array_like or torch.Tensor of shape (K,) or (B, K), optional
            Initial memory states, for tau_h > 0 only; by default ``ξ g(v0)``, the memory
            neurons at rest for the initial features.
        method : {"euler", "rk45", "rk23", "dop853", "radau", "bdf", "lsoda"}, default "euler"
            ``"euler"`` (fixed step ``dt``, the batch as one matrix per step, settled cues
            stop) or a ``scipy.integrate.solve_ivp`` method integrating the flattened batch
            until every cue has settled (case-insensitive).
        t_max : float, optional
            Integration time; default 100 times the longest time constant.
        dt : float, optional
            Euler step, at most the shortest time constant (so that a step never overshoots
            the leak); default a tenth of it. ``dt = tau_f`` with tau_h = 0 is the discrete
            update ``v ← ξᵀ f(ξ g(v)) + I``. Euler only.
        tol : float, default 1e-6
            Settling tolerance, > 0.
        max_steps : int, optional
            The most Euler steps (default ``t_max / dt``, at most 10⁷); with it the
            integration may end before ``t_max``. Euler only.
        **options
            Passed to ``solve_ivp`` (default ``rtol=1e-6``, ``atol=1e-9``; Radau and BDF get
            a block-diagonal ``jac_sparsity`` unless ``jac`` is given). Not taken by Euler.

        Returns
        -------
        Recall
            With ``unit="time"`` and ``update`` the method: ``states`` final v;
            ``converged`` per cue; ``steps`` Euler steps taken (solver steps for
            solve_ivp); ``energies`` at every recorded time, (B, T + 1), a settled cue
            keeping its last value; ``extras["times"]`` the (T + 1,) times and
            ``extras["hidden"]`` the final h.

        Raises
        ------
        RuntimeError
            When nothing is stored yet, or ``solve_ivp`` fails.
        ValueError
            When ``method`` is unknown, ``dt`` exceeds the shortest time constant or makes
            more than 10⁷ steps, ``dt`` or ``max_steps`` is given to a ``solve_ivp`` method,
            ``hidden`` is given with tau_h = 0, or an array has the wrong shape.
        TypeError
            When Euler gets solver ``**options``, a ``solve_ivp`` method gets tensors, or
            the arrays are not all in the memories' library.

        Examples
        --------
        >>> import numpy as np
        >>> import hopfield as hf
        >>> net = hf.HiddenNeuronNetwork.model_b(beta=10.0).store(np.eye(3))
        >>> r = net.recall([0.2, 0.9, 0.1], method="rk45", t_max=50.0)
        >>> np.round(r.states, 2), bool(r.converged)
        (array([0., 1., 0.]), True)
        """
        self._fitted()
        method = v.choose("method", method.lower() if isinstance(method, str) else method, METHODS)
        tol = v.positive("tol", tol)
        taus = [self.tau_f] + ([self.tau_h] if self.tau_h > 0 else [])
        t_max = 100.0 * max(taus) if t_max is None else v.positive("t_max", t_max)
        if method == "euler":
            if options:
                key = next(iter(options))
                names = ["input", "hidden", "method", "t_max", "dt", "tol", "max_steps"]
                close = difflib.get_close_matches(key, names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise TypeError(
                    f"recall() got an unexpected keyword {key!r}{hint} (method='euler' takes "
                    f"no solver options, got {options})"
                )
            dt = 0.1 * min(taus) if dt is None else v.positive("dt", dt)
            if dt > min(taus):
                raise ValueError(f"dt: expected a step <= the shortest time constant {min(taus)}")
            if max_steps is not None:
                max_steps = v.integer("max_steps", max_steps, minimum=1)
            elif t_max / dt > _MAX_STEPS:
                raise ValueError(f"dt: t_max / dt = {t_max / dt:.3g} steps, at most {_MAX_STEPS}")
        elif dt is not None or max_steps is not None:
            name = "dt" if dt is not None else "max_steps"
            raise ValueError(
                f"{name}: only method='euler' takes a fixed step and a step limit, got "
                f"method={method!r}"
            )
        arr = v.real_array("cues", cues)
        if method != "euler":
            why = f"method={method!r} (scipy.integrate.solve_ivp)"
            fix = "use method='euler' on tensors, or convert with t.detach().cpu().numpy()"
            for name, value in (("cues", arr), ("input", input), ("hidden", hidden)):
                backend.refuse_tensors(name, value, why, fix)
            backend.refuse_tensors("memories", self._xi, why, fix)
        self._same_library("cues", arr)
        v.width("cues", arr, self.n_neurons)
        if backend.is_tensor(arr):
            dtype = _promote(self._xi.dtype, backend.float_dtype(arr))
            s, xi = as_rows(arr).to(dtype).clone(), self._xi.to(dtype)
        else:
            cue_dtype = arr.dtype if np.issubdtype(arr.dtype, np.floating) else np.float32
            dtype = np.result_type(self._xi.dtype, cue_dtype)
            s = np.array(np.atleast_2d(arr), dtype=dtype)
            xi = self._xi.astype(dtype, copy=False)
        inp = self._rows("input", input, self.n_neurons, s)
        if hidden is not None and self.tau_h == 0:
            raise ValueError("hidden: only a network with tau_h > 0 integrates its memory neurons")
        h = self._rows("hidden", hidden, self.n_memories, s)
        if h is None and self.tau_h > 0:
            h = self.feature.activation(s) @ xi.T
        if backend.is_tensor(s):
            # The Euler loop updates rows in place: no gradient flows through it.
            s, xi = s.detach(), xi.detach()
            h = None if h is None else h.detach()
            inp = None if inp is None else inp.detach()
        if method == "euler":
            out = self._euler(xi, s, h, inp, t_max, dt, tol, max_steps)
        else:
            out = self._ivp(xi, s, h, inp, t_max, tol, _SCIPY[method], options)
        s, h, converged, steps, energies, times = out
        if h is None:
            h = self.feature.activation(s) @ xi.T
        if arr.ndim == 1:
            s, h, converged, steps, energies = s[0], h[0], converged[0], steps[0], energies[0]
        check_finite("HiddenNeuronNetwork.recall", s, h, energies, cause="cues or memories too big")
        extras = {"times": times, "hidden": h}
        return Recall(s, converged, steps, energies, method, unit="time", extras=extras)

    @staticmethod
    def _unrest(s, h, drive_v, drive_h) -> np.ndarray:
        """Return, per cue, the largest drive relative to the size of its layer (0 at rest)."""
        xp = backend.namespace(s)
        norm = xp.linalg.vector_norm
        ratio = norm(drive_v, axis=1) / xp.clip(norm(s, axis=1), min=1.0)
        if drive_h is not None:
            scale = xp.clip(norm(h, axis=1), min=1.0)
            ratio = xp.maximum(ratio, norm(drive_h, axis=1) / scale)
        return ratio

    def _euler(self, xi, s, h, inp, t_max, dt, tol, max_steps=None):
        """Integrate with fixed Euler steps, in place; settled cues stop."""
        xp = backend.namespace(s)
        dev = backend.device(s)
        b = s.shape[0]
        n_steps = max(1, math.ceil(t_max / dt - 1e-9))
        if max_steps is not None:
            n_steps = min(n_steps, max_steps)
        # Energies in float64 for NumPy (as ever), in the states' dtype (>= float32) on tensors.
        edtype = xp.float64 if backend.is_numpy(xp) else _readout.work_dtype(xp, s.dtype)
        run = ActiveSet(b, like=s, energy_dtype=edtype)
        rate_v = dt / self.tau_f
        rate_h = dt / self.tau_h if h is not None else 0.0
        for step in range(n_steps + 1):
            idx = run.running
            hs = None if h is None else h[idx]
            ins = None if inp is None else inp[idx]
            energy, drive_v, drive_h = self._evaluate(xi, s[idx], hs, ins)
            run.record(xp.astype(energy, edtype))
            done = self._unrest(s[idx], hs, drive_v, drive_h) <= tol
            if step == n_steps:
                run.settle(done)
                break
            go = ~done
            run.advance(go)
            idx, drive_v = run.running, drive_v[go]
            if h is not None:
                h[idx] += rate_h * drive_h[go]
            s[idx] += rate_v * drive_v
            if run.done:
                break
        energies = run.energies()
        times = dt * xp.arange(energies.shape[1], dtype=edtype, device=dev)
        return s, h, run.converged, run.steps, energies, times

    def _ivp(self, xi, s, h, inp, t_max, tol, method, options):
        """Integrate the flattened batch with ``solve_ivp`` until every cue has settled."""
        b, n = s.shape
        split = b * n
        xi64 = xi.astype(np.float64)
        inp64 = None if inp is None else np.asarray(inp, dtype=np.float64)

        def unpack(y):
            ys = y[:split].reshape(b, n)
            return ys, None if h is None else y[split:].reshape(b, -1)

        def fun(_t, y):
            _, drive_v, drive_h = self._evaluate(xi64, *unpack(y), inp64)
            rate_h = [] if drive_h is None else [drive_h.ravel() / self.tau_h]
            return np.concatenate([drive_v.ravel() / self.tau_f, *rate_h])

        def moving(_t, y):
            # Crosses zero when the slowest cue settles; aiming at tol / 2 keeps the root
            # finder's rounding from stopping a cue a hair above tol.
            ys, yh = unpack(y)
            _, drive_v, drive_h = self._evaluate(xi64, ys, yh, inp64)
            return float(self._unrest(ys, yh, drive_v, drive_h).max()) - 0.5 * tol

        moving.terminal = True
        y0 = np.concatenate([s.ravel(), np.empty(0) if h is None else h.ravel()]).astype(np.float64)
        s0, h0 = unpack(y0)
        if self._unrest(s0, h0, *self._evaluate(xi64, s0, h0, inp64)[1:]).max() <= tol:
            times, ys = np.zeros(1), y0[:, None]
        else:
            opts = {"rtol": 1e-6, "atol": 1e-9, **options}
            if method in ("Radau", "BDF") and "jac" not in opts:
                # Cues do not interact: a block-diagonal Jacobian, B times cheaper to estimate.
                opts.setdefault(
                    "jac_sparsity", _batch_sparsity(b, n, 0 if h is None else h.shape[1])
                )
            sol = solve_ivp(fun, (0.0, t_max), y0, method=method, events=moving, **opts)
            if sol.status < 0:
                raise RuntimeError(f"solve_ivp failed: {sol.message}")
            times, ys = sol.t, sol.y
        t = times.size
        all_s = ys[:split].T.reshape(t * b, n)
        all_h = None if h is None else ys[split:].T.reshape(t * b, -1)
        all_inp = None if inp64 is None else np.tile(inp64, (t, 1))
        energy, _, _ = self._evaluate(xi64, all_s, all_h, all_inp)
        final_s, final_h = unpack(ys[:, -1])
        _, drive_v, drive_h = self._evaluate(xi64, final_s, final_h, inp64)
        converged = self._unrest(final_s, final_h, drive_v, drive_h) <= tol
        steps = np.full(b, t - 1, dtype=np.int64)
        final_h = None if final_h is None else final_h.astype(s.dtype)
        return final_s.astype(s.dtype), final_h, converged, steps, energy.reshape(t, b).T, times

    # -- saving --------------------------------------------------------------------------
    def _state(self):
        """Return the constructor parameters and the arrays a saved record holds."""
        self._fitted()
        params = {
            "feature": lg._to_spec(self.feature),
            "memory": lg._to_spec(self.memory),
            "tau_f": self.tau_f,
            "tau_h": self.tau_h,
        }
        return params, {"memories": backend.to_numpy(self._xi)}  # saved from the host

    @classmethod
    def _from_state(cls, params, arrays, source):
        """Rebuild a network from a saved record, or raise ``ValueError`` naming ``source``."""
        try:
            feature = lg._from_spec(params["feature"], source)
            memory = lg._from_spec(params["memory"], source)
            net = cls(feature, memory, tau_f=params["tau_f"], tau_h=params["tau_h"])
            xi = arrays["memories"]
        except (KeyError, TypeError) as err:
            raise ValueError(
                f"path: {source} has a damaged HiddenNeuronNetwork record ({err})"
            ) from None
        if xi.ndim != 2 or xi.size == 0:
            raise ValueError(f"path: {source} has memories of shape {xi.shape}, expected (K, N)")
        return net.store(xi)

    def __repr__(self) -> str:
        state = f", N={self._xi.shape[1]}, K={self._xi.shape[0]}" if hasattr(self, "_xi") else ""
        return (
            f"HiddenNeuronNetwork(feature={self.feature!r}, memory={self.memory!r}, "
            f"tau_f={self.tau_f}, tau_h={self.tau_h}{state})"
        )

"""The general associative memory with hidden neurons (Krotov & Hopfield 2020).

N feature neurons v and K memory (hidden) neurons h, coupled by synapses ξ (K, N), one memory
per row. Each layer is a Lagrangian (:mod:`hopfield.lagrangians`); its outputs are the
gradients ``g = ∂L_v/∂v`` and ``f = ∂L_h/∂h``.

Dynamics::

    τ_f dv_i/dt = Σ_μ ξ_μi f_μ − v_i + I_i
    τ_h dh_μ/dt = Σ_i ξ_μi g_i − h_μ

Energy::

    E(v, h) = [Σ_i (v_i − I_i) g_i − L_v] + [Σ_μ h_μ f_μ − L_h] − Σ_μi f_μ ξ_μi g_i

Along the dynamics ``dE/dt = −τ_f v̇ᵀ (∂²L_v) v̇ − τ_h ḣᵀ (∂²L_h) ḣ ≤ 0`` when both Hessians are
positive semi-definite. With ``tau_h = 0`` the memory neurons follow the features at once,
``h = ξ g(v)``, and the energy reduces to

    E(v) = Σ_i (v_i − I_i) g_i − L_v(v) − L_h(ξ g(v)),

which is also what :meth:`HiddenNeuronNetwork.energy` returns for ``h=None`` (the full energy at
``h = ξ g``). The three limits of the paper are named constructors:

- :meth:`~HiddenNeuronNetwork.model_a`: ``L_v = Σ|v|``, ``L_h = Σ F(h)``. Then g = sign(v) and
  ``E = −I·σ − Σ_μ F(ξ_μ·σ)`` with σ = sign(v): the dense associative memory.
- :meth:`~HiddenNeuronNetwork.model_b`: ``L_v = ½Σv²``, ``L_h = β⁻¹ log Σ exp(βh)``. One Euler
  step with ``dt = τ_f`` is ``v ← Xᵀ softmax(β X v)``, Ramsauer et al.'s update, and
  ``E = ½‖v‖² − lse(β, Xv)``, their energy less constants.
- :meth:`~HiddenNeuronNetwork.model_c`: ``L_v = ‖v‖``, ``L_h = Σ F(h)``: the spherical memory,
  ``E = −I·v̂ − Σ_μ F(ξ_μ·v̂)`` with v̂ = v/‖v‖, which ignores the length of v.

PyTorch: memories, cues, inputs and hidden states may be tensors on any device (float32,
float64; float16 and bfloat16 kept as given, at the caller's risk of rounding in the small
Euler steps). ``method="euler"`` and :meth:`~HiddenNeuronNetwork.energy` run where the tensors
are and return tensors there (every field of the Recall, energies and times in float64 for
float64 and float32 otherwise); the Euler loop updates its states in place and is not
differentiable, ``energy`` is. The ``solve_ivp`` methods stay NumPy and refuse tensors with a
``TypeError``.

References:
    D. Krotov and J. J. Hopfield, "Large associative memory problem in neurobiology and machine
    learning", ICLR 2021 (arXiv:2008.06996, 2020).
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
    """The dtype two tensor dtypes combine to (torch's promotion rules)."""
    import torch

    return torch.promote_types(a, b)


def _batch_sparsity(b: int, n: int, k: int) -> sparse.csr_matrix:
    """Which entries of the flattened batch [v (B·N), h (B·K)] act on which: within a cue only."""
    eye = sparse.identity(b, format="csr")
    blocks = [[sparse.kron(eye, np.ones((n, n)))]]
    if k:
        blocks[0].append(sparse.kron(eye, np.ones((n, k))))
        blocks.append([sparse.kron(eye, np.ones((k, n))), sparse.kron(eye, np.ones((k, k)))])
    return sparse.bmat(blocks, format="csr")


class HiddenNeuronNetwork(Memory):
    """Feature neurons and memory neurons, each layer a Lagrangian (Krotov & Hopfield 2020).

    Args:
        feature: Lagrangian of the N feature neurons (default :class:`~hopfield.lagrangians.
            Quadratic`).
        memory: Lagrangian of the K memory neurons (default :class:`~hopfield.lagrangians.
            LogSumExp` with β = 1).
        tau_f: time constant of the feature neurons, > 0.
        tau_h: time constant of the memory neurons, >= 0; 0 computes h = ξ g(v) exactly at
            every instant instead of integrating it.

    Attributes (set by :meth:`store`, read-only):
        memories: (K, N) synapses ξ, one stored memory per row (float64 if given float64,
            else float32).

    Shapes:
        states v: (N,) or (B, N); hidden h: (K,) or (B, K); input I: (N,) or (B, N).

    Examples:
        >>> import numpy as np
        >>> X = np.eye(3)[:2] * 4.0                     # two memories, N = 3
        >>> net = HiddenNeuronNetwork.model_b(beta=0.5).store(X)
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
        """Model A, the dense associative memory: ``L_v = Σ|v|``, ``L_h = Σ F(h)``, tau_h = 0.

        The energy is the dense memory's. The flow steers v_i by ``Σ_μ ξ_μi F′(ξ_μ·σ)``, the
        derivative where the dense memory's update uses a difference of F, so both share the
        stored memories as fixed points at low load, but not every spurious state.

        Args:
            F: interaction function with ``F(x)`` and ``F.derivative(x)`` (convex for the
                energy to fall), e.g. ``hopfield.functions.RectifiedPolynomial(3)``.
        """
        return cls(lg.Absolute(), lg.Interaction(F), tau_f=tau_f)

    @classmethod
    def model_b(cls, beta: float = 1.0, *, tau_f: float = 1.0) -> HiddenNeuronNetwork:
        """Model B, the modern Hopfield network: ``L_v = ½Σv²``, ``L_h = β⁻¹ log Σ exp(βh)``.

        With β inside L_h the synapses are the memories themselves, so one Euler step with
        ``dt = tau_f`` from v is exactly ``Xᵀ softmax(β X v)`` (Ramsauer et al. 2020).
        """
        return cls(lg.Quadratic(), lg.LogSumExp(beta), tau_f=tau_f)

    @classmethod
    def model_c(cls, F, *, tau_f: float = 1.0) -> HiddenNeuronNetwork:
        """Model C, the spherical memory: ``L_v = ‖v‖`` (divisive normalisation), ``L_h = Σ F(h)``.

        Its energy ``−I·v̂ − Σ_μ F(ξ_μ·v̂)`` depends on the direction of v only.
        """
        return cls(lg.Spherical(), lg.Interaction(F), tau_f=tau_f)

    # -- storing -------------------------------------------------------------------------
    def store(self, patterns) -> HiddenNeuronNetwork:
        """Store real memories, (K, N) or one (N,), as the synapses ξ. Calling again adds more."""
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
        """``arr`` must be in the memories' library (and on their device, for tensors)."""
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
        if not hasattr(self, "_xi"):
            raise RuntimeError("this network stores nothing yet: call store(patterns) first")

    @property
    def patterns(self) -> np.ndarray:
        """(K, N) the stored memories ξ (the synapses), read-only."""
        self._fitted()
        return v.readonly(self._xi)

    memories = v.renamed_property("patterns", "memories")

    @property
    def n_neurons(self) -> int:
        self._fitted()
        return self._xi.shape[1]

    @property
    def n_memories(self) -> int:
        self._fitted()
        return self._xi.shape[0]

    # -- energy --------------------------------------------------------------------------
    def _evaluate(self, xi, s, h, inp):
        """Energy (B,) and the drives τ_f v̇ (B, N), τ_h ḣ (B, K) (None when tau_h = 0)."""
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
        """The energy E(v, h); with ``hidden=None``, the energy at ``h = ξ g(v)``.

        At ``h = ξ g(v)`` the full energy equals the reduced one of tau_h = 0,
        ``Σ (v_i − I_i) g_i − L_v − L_h(ξ g)``.

        Args:
            states: feature states v, (N,) or (B, N).
            hidden: memory states h, (K,) or (B, K), or None.
            input: external input I, (N,) or (B, N), or None for 0.

        Returns:
            a float for a single state, else (B,) energies (float64). For tensors: a tensor on
            their device, 0-d or (B,), in float64 (float32 on devices without it), with
            gradients to the states, hidden states, inputs and memories.
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
        """``value`` as a (B, width) array of ``s``'s dtype, one row per state; None stays None."""
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
        """Integrate the dynamics from ``cues`` (initial v) until they settle or ``t_max``.

        A cue has settled when its drives are small against its size:
        ``‖τ_f dv/dt‖ ≤ tol · max(1, ‖v‖)`` (and the same for h when tau_h > 0).

        Args:
            cues: initial feature states v, (N,) or (B, N).
            input: constant external input I, (N,) or (B, N); None for 0.
            hidden: initial memory states, (K,) or (B, K), for tau_h > 0 only; by default
                ``ξ g(v0)``, the memory neurons at rest for the initial features.
            method: ``"euler"`` (fixed step ``dt``, the batch as one matrix per step, settled
                cues stop) or a :func:`scipy.integrate.solve_ivp` method (``"rk45"``,
                ``"rk23"``, ``"dop853"``, ``"radau"``, ``"bdf"``, ``"lsoda"``) integrating the
                flattened batch until every cue has settled.
            t_max: integration time; default 100 times the longest time constant.
            dt: Euler step, at most the shortest time constant (so that a step never overshoots
                the leak); default a tenth of it. ``dt = tau_f`` with tau_h = 0 is the discrete
                update ``v ← ξᵀ f(ξ g(v)) + I``.
            tol: settling tolerance, > 0.
            max_steps: the most Euler steps (default ``t_max / dt``, at most 10⁷); with it the
                integration may end before ``t_max``. Euler only.
            **options: passed to ``solve_ivp`` (default ``rtol=1e-6``, ``atol=1e-9``).

        Returns:
            a :class:`~hopfield.recall.Recall` with ``unit="time"``: ``states`` final v;
            ``converged`` per cue; ``steps`` Euler steps taken (solver steps for solve_ivp);
            ``energies`` at every recorded time, (B, T + 1), a settled cue keeping its last
            value; ``extras["times"]`` the (T + 1,) times and ``extras["hidden"]`` the final h.
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
        """Per cue, the largest drive relative to the size of its layer (0 at a fixed point)."""
        xp = backend.namespace(s)
        norm = xp.linalg.vector_norm
        ratio = norm(drive_v, axis=1) / xp.clip(norm(s, axis=1), min=1.0)
        if drive_h is not None:
            scale = xp.clip(norm(h, axis=1), min=1.0)
            ratio = xp.maximum(ratio, norm(drive_h, axis=1) / scale)
        return ratio

    def _euler(self, xi, s, h, inp, t_max, dt, tol, max_steps=None):
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

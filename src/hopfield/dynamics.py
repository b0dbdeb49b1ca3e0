"""Recall loop shared by every binary model: schedules, stopping, cycle detection.

A binary model hands the engine four things (see :class:`hopfield.dynamics.BinaryModel`): the
energy gap of each neuron, the energy of a batch, and a compiled asynchronous sweep with the
state it keeps between sweeps (local fields, or overlaps with the memories). The engine owns
everything else; :meth:`hopfield.dynamics.BinaryModel.recall` (the ``recall`` of
:class:`hopfield.Hopfield`, :class:`hopfield.DenseAssociativeMemory` and
:class:`hopfield.SparseHopfield`) and :func:`hopfield.dynamics.run` run it and return a
:class:`hopfield.BinaryRecall`.

The updates (``update=``):

``"async"``
    One neuron at a time, in a fresh random order each sweep (``order="sequential"`` visits
    0..N-1). Never raises the energy of a symmetric network with a non-negative diagonal.
``"sync"``
    Every neuron at once from the same state: one matrix product per sweep. May end in a
    2-cycle, which is detected and reported (``BinaryRecall.cycled``) instead of looping.
``"stochastic"``
    Asynchronous Glauber dynamics at temperature T: a neuron takes +1 with probability
    ``1 / (1 + exp(-ΔE / T))`` where ΔE is the energy a -1 costs over a +1 (2 h for the classical
    net). ``temperature`` may be a number, a sequence (one per sweep, the last repeated) or a
    function of the sweep index, for annealing (see :func:`hopfield.dynamics.geometric_schedule`);
    T = 0 is the deterministic rule.

Tie rule: a neuron whose energy gap is zero keeps its state. Each model decides what zero means
so that rounding never does: the classical network counts fields within 1e-9 of that neuron's
largest possible field as ties; the dense memory, gaps within 1e-11 of the size of that cue's own
terms.
Unknown bits (0) in a cue are first set from the field of the known bits (ties broken at
random), so recall starts from a ±1 state.

Tensors: synchronous recall runs in the caller's library. Cues given as a PyTorch tensor, to a
model whose memories are tensors on the same device, run every sweep there (this engine is
written against the array-API namespace of the cues), and the :class:`hopfield.BinaryRecall`
holds tensors on that device: ``states`` int8, ``energies`` float64, ``converged`` and
``cycled`` bool, ``steps`` and ``flips`` int64 (one entry per cue, so a batch's results stay
where the batch is; a single 1-D cue gives 0-d tensors). The coins that break ties of unknown
bits are drawn from the NumPy generator ``rng`` and moved to the device, so NumPy and torch
give the same states for the same seed. Asynchronous and stochastic updates are compiled CPU
kernels: given a tensor they raise a ``TypeError`` naming the fix (use ``update="sync"`` or
``cues.cpu().numpy()``), never converting silently.
"""

from __future__ import annotations

import numpy as np

from . import _backend as backend
from . import _validation as v
from ._validation import RngLike
from .contract import Memory
from .recall import ActiveSet, BinaryRecall

__all__ = [
    "UPDATES",
    "ORDERS",
    "BinaryModel",
    "geometric_schedule",
    "run",
    "trajectory_energies_rise",
]

UPDATES = ("async", "sync", "stochastic")
ORDERS = ("random", "sequential")


class BinaryModel(Memory):
    """Base class of the models of ±1 neurons: ``recall`` runs this engine.

    Subclasses (:class:`hopfield.Hopfield`, :class:`hopfield.DenseAssociativeMemory`,
    :class:`hopfield.SparseHopfield`) store their memories and implement the private hooks
    the engine calls: the energy gaps and energies of a batch of states, the tie tolerance, and
    a compiled asynchronous sweep with the state it keeps between sweeps.

    See Also
    --------
    hopfield.dynamics.run : The engine :meth:`recall` runs.

    Examples
    --------
    >>> import hopfield as hf
    >>> issubclass(hf.Hopfield, hf.dynamics.BinaryModel)
    True
    >>> X = hf.patterns.random(3, 64, rng=0)
    >>> r = hf.Hopfield().store(X).recall(hf.patterns.flip(X, 0.1, rng=1), rng=2)
    >>> bool((r.states == X).all())
    True
    """

    @v.keywords(max_sweeps="max_steps")
    def recall(
        self,
        cues,
        *,
        update: str = "async",
        max_steps: int = 100,
        temperature=None,
        order: str = "random",
        clamp=None,
        rng: RngLike = None,
    ) -> BinaryRecall:
        """Run the dynamics from cues until a fixed point, a 2-cycle or ``max_steps``.

        Each cue stops on its own: at a fixed point (a sweep that flipped nothing), at a
        2-cycle of synchronous updates, or after ``max_steps`` sweeps. Unknown bits (0) are
        first set from the gaps of the known bits, ties broken at random. See
        :mod:`hopfield.dynamics` for the update rules and the tie rule.

        Parameters
        ----------
        cues : array_like or torch.Tensor of shape (B, N) or (N,)
            Starting states: ±1, and 0 for unknown bits. A 1-D cue gives a single result (1-D
            states, scalar flags and counts). The caller's array is never written.
        update : {"async", "sync", "stochastic"}, default "async"
            One neuron at a time in a fresh random order each sweep; every neuron at once (one
            matrix product per sweep, the only update that takes tensors); or Glauber dynamics
            at ``temperature``.
        max_steps : int, default 100
            The most sweeps (N neuron updates each) to run per cue. ``max_sweeps`` is its
            deprecated old name (a ``DeprecationWarning``).
        temperature : float, array_like of shape (S,) or callable, optional
            For ``update="stochastic"`` only (required there, an error elsewhere): T > 0 in the
            units of the energy gaps; or a schedule for annealing, one T >= 0 per sweep with
            the last one repeated (see :func:`hopfield.dynamics.geometric_schedule`); or a
            function of the sweep index returning T >= 0. Inside a schedule T = 0 is the
            deterministic rule; a single temperature must be > 0 (use ``update="async"``).
        order : {"random", "sequential"}, default "random"
            The visiting order of asynchronous and stochastic sweeps: a new random permutation
            per sweep, or 0..N-1.
        clamp : array_like of bool of shape (N,) or (B, N), optional
            Neurons held at their cue values (one mask for every cue, or one per cue); any
            mask that broadcasts to the cues' shape is taken, a single ``True`` holds all.
        rng : int, numpy.random.Generator or None, default None
            Seed or generator for the update order, the Glauber draws and the coins that
            break ties of unknown bits.

        Returns
        -------
        BinaryRecall
            The final ``states`` (int8), per cue ``converged`` (the last sweep flipped nothing),
            ``steps`` (sweeps that flipped a neuron), ``cycled`` (a 2-cycle of synchronous
            updates), ``flips`` (neuron flips in all), and ``energies`` of shape
            (B, max_steps + 1) at most: the energy at the start and after every sweep, a cue
            that stopped keeping its last value.

        Raises
        ------
        RuntimeError
            When nothing is stored yet.
        ValueError
            When ``update`` or ``order`` is unknown, ``max_steps`` < 1, the cues hold values
            other than ±1 and 0 or their width is not N, the clamp mask has the wrong shape, a
            temperature is missing, not positive or given without ``update="stochastic"``, or
            tensor cues are on another device than the memories.
        TypeError
            When ``update`` is ``"async"`` or ``"stochastic"`` and the cues are a tensor, the
            cues are in another library than the memories, the clamp mask is not boolean, an
            unknown keyword is given, or ``rng`` is not a seed or generator.

        See Also
        --------
        hopfield.dynamics.run : The same engine as a function of the model.

        Examples
        --------
        >>> import hopfield as hf
        >>> X = hf.patterns.random(5, 100, rng=0)
        >>> net = hf.Hopfield().store(X)
        >>> cues = hf.patterns.flip(X, 0.1, rng=1)
        >>> r = net.recall(cues, update="sync", max_steps=20)
        >>> r
        BinaryRecall(update='sync', cues=5, states=(5, 100), converged=5/5, max sweeps=1, cycled=0)
        >>> bool((r.states == X).all()), r.steps.tolist(), r.energies.shape
        (True, [1, 1, 1, 1, 1], (5, 2))
        >>> t = net.recall(cues, update="stochastic", temperature=0.05, max_steps=10, rng=2)
        >>> t.states.dtype
        dtype('int8')
        """
        self._fitted()
        return run(
            self,
            cues,
            update=update,
            max_steps=max_steps,
            temperature=temperature,
            order=order,
            clamp=clamp,
            rng=rng,
        )

    def _fitted(self) -> None:
        """Raise if nothing is stored yet."""
        raise NotImplementedError

    def _n(self) -> int:
        raise NotImplementedError

    def _home(self):
        """Return an array of the stored state: cues must be in its library and on its device."""
        return None

    def _gap_and_energy(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Compute (B, N) gaps E(σ_i = -1) - E(σ_i = +1) and (B,) energies of float states."""
        raise NotImplementedError

    def _tie_tol(self) -> float:
        raise NotImplementedError

    def _energy_only(self, s: np.ndarray) -> np.ndarray:
        """Compute (B,) energies of float states; a model with a cheaper path overrides it."""
        return self._gap_and_energy(s)[1]

    def _async_state(self, s: np.ndarray) -> np.ndarray:
        """Return the state the compiled sweep keeps between sweeps (fields or overlaps)."""
        raise NotImplementedError

    def _async_sweep(self, s, aux, orders, uniforms, temperature, clamp, tol, active, flips):
        raise NotImplementedError

    def _async_energy(self, s: np.ndarray, aux: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _temperature_at(temperature, sweep: int) -> float:
    if callable(temperature):
        return v.positive("temperature", temperature(sweep), allow_zero=True)
    if isinstance(temperature, np.ndarray):
        return float(temperature[min(sweep, len(temperature) - 1)])
    return temperature


def _check_temperature(temperature):
    """Check a temperature: a number T > 0, a schedule (one T >= 0 per sweep) or a callable."""
    if temperature is None:
        raise ValueError("temperature: update='stochastic' needs a temperature > 0")
    if callable(temperature):
        return temperature
    if np.ndim(temperature) == 0:
        return v.positive(
            "temperature", temperature.item() if hasattr(temperature, "item") else temperature
        )
    schedule = v.real_array("temperature", temperature, ndim=(1,)).astype(np.float64)
    if (schedule < 0).any():
        raise ValueError(f"temperature: expected a schedule of values >= 0, got {schedule}")
    return schedule


def geometric_schedule(start: float, stop: float, sweeps: int) -> np.ndarray:
    """Make a temperature schedule falling geometrically from ``start`` to ``stop``.

    For annealing with ``recall(update="stochastic", temperature=...)``: sweep ``i`` runs at
    the i-th temperature, and the last one is repeated for any later sweep.

    Parameters
    ----------
    start : float
        The first temperature, > 0.
    stop : float
        The last temperature, > 0.
    sweeps : int
        The number of temperatures (sweeps), >= 1.

    Returns
    -------
    ndarray of shape (sweeps,)
        The float64 temperatures, from ``start`` to ``stop`` inclusive.

    Raises
    ------
    ValueError
        When ``start`` or ``stop`` is not positive or ``sweeps`` < 1.

    Examples
    --------
    >>> import hopfield as hf
    >>> hf.dynamics.geometric_schedule(1.0, 0.01, 3)
    array([1.  , 0.1 , 0.01])
    >>> X = hf.patterns.random(3, 50, rng=0)
    >>> net = hf.Hopfield().store(X)
    >>> T = hf.dynamics.geometric_schedule(2.0, 0.01, 30)
    >>> r = net.recall(X, update="stochastic", temperature=T, max_steps=30, rng=1)
    >>> r.energies.shape[1] <= 31
    True
    """
    start = v.positive("start", start)
    stop = v.positive("stop", stop)
    sweeps = v.integer("sweeps", sweeps, minimum=1)
    return np.geomspace(start, stop, sweeps)


def stored_binary_model(model) -> BinaryModel:
    """Return ``model`` if it is a binary model that stores something.

    The one check behind every function that runs or inspects binary dynamics on a model it
    is given (:func:`run`, :func:`hopfield.is_fixed_point`, :mod:`hopfield.landscape`,
    :mod:`hopfield.traces`).

    Parameters
    ----------
    model : object
        The argument given as ``model``.

    Returns
    -------
    BinaryModel
        ``model`` itself.

    Raises
    ------
    TypeError
        When ``model`` is not a binary model.
    RuntimeError
        When it stores nothing yet.
    """
    if not isinstance(model, BinaryModel):
        raise TypeError(
            f"model: expected a binary model (Hopfield, DenseAssociativeMemory, "
            f"SparseHopfield), got {type(model).__name__}"
        )
    model._fitted()
    return model


def check_home(name: str, value, home) -> None:
    """Check that ``value`` lives where the model's arrays ``home`` live.

    Same library, same device: a model never moves its memories, nor a caller's array, behind
    the caller's back.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : array or torch.Tensor
        The caller's array.
    home : array, torch.Tensor or None
        An array of the model's stored state; None checks nothing.

    Raises
    ------
    TypeError
        When one is a torch tensor and the other is not.
    ValueError
        When both are tensors on different devices.
    """
    if home is None:
        return
    if backend.is_tensor(value) != backend.is_tensor(home):
        have = f"torch tensors on {home.device}" if backend.is_tensor(home) else "NumPy arrays"
        got = f"a torch tensor on {value.device}" if backend.is_tensor(value) else "NumPy"
        fix = (
            f"torch.as_tensor({name}, device='{home.device}')"
            if backend.is_tensor(home)
            else f"{name}.cpu().numpy()"
        )
        raise TypeError(
            f"{name}: this model stores {have}, got {got}; give {name} in the same library "
            f"({fix}), or store the memories in yours"
        )
    if backend.is_tensor(value) and value.device != home.device:
        raise ValueError(
            f"{name}: on {value.device}, but this model's memories are on {home.device}; "
            f"move one of them (.to('{home.device}'))"
        )


def _clamp_mask(clamp, s):
    """Make the (B, N) boolean clamp mask for the states ``s``.

    In the library and on the device of the states ``s`` (or, for NumPy, of the shape ``s``).
    """
    shape = tuple(s) if isinstance(s, tuple) else tuple(s.shape)
    if backend.is_tensor(s):
        return _clamp_tensor(clamp, s)
    if backend.is_tensor(clamp):
        raise TypeError(
            f"clamp: got a torch tensor on {clamp.device} for NumPy cues; give a NumPy mask "
            "(clamp.cpu().numpy())"
        )
    if clamp is None:
        return np.zeros(shape, dtype=np.bool_)
    arr = np.asarray(clamp)
    if arr.dtype != np.bool_:
        raise TypeError(f"clamp: expected a boolean mask, got dtype {arr.dtype}")
    try:
        return np.ascontiguousarray(np.broadcast_to(arr, shape))
    except ValueError:
        raise ValueError(
            f"clamp: expected a mask of shape (N,) or (B, N) = {shape}, got {arr.shape}"
        ) from None


def _clamp_tensor(clamp, s):
    import torch

    shape = tuple(s.shape)
    if clamp is None:
        return torch.zeros(shape, dtype=torch.bool, device=s.device)
    # A mask is an option, not data: a NumPy or list mask is moved to the cues' device.
    arr = clamp if backend.is_tensor(clamp) else torch.as_tensor(np.asarray(clamp))
    if arr.dtype != torch.bool:
        raise TypeError(f"clamp: expected a boolean mask, got dtype {arr.dtype}")
    try:
        return arr.to(s.device).broadcast_to(shape)
    except RuntimeError:
        raise ValueError(
            f"clamp: expected a mask of shape (N,) or (B, N) = {shape}, got {tuple(arr.shape)}"
        ) from None


def _fill_unknown(model: BinaryModel, s, gen: np.random.Generator, tol: float):
    """Set unknown (0) bits from the energy gaps that the known bits produce."""
    unknown = s == 0
    if not bool(unknown.any()):
        return s
    if backend.is_tensor(s):
        import torch

        gap, _ = model._gap_and_energy(s.to(torch.float64))
        # Coins from the NumPy generator: the same seed breaks the same ties as on NumPy.
        coin = backend.as_like(np.where(gen.random(tuple(s.shape)) < 0.5, 1, -1), s)
        guess = torch.where(gap > tol, 1, torch.where(gap < -tol, -1, coin))
        return torch.where(unknown, guess, s).to(torch.int8)
    gap, _ = model._gap_and_energy(s.astype(np.float64))
    coin = np.where(gen.random(s.shape) < 0.5, 1, -1)
    guess = np.where(gap > tol, 1, np.where(gap < -tol, -1, coin))
    return np.where(unknown, guess, s).astype(np.int8)


def run(
    model: BinaryModel,
    cues,
    *,
    update: str = "async",
    max_steps: int = 100,
    temperature=None,
    order: str = "random",
    clamp=None,
    rng: RngLike = None,
) -> BinaryRecall:
    """Run binary dynamics from cues until a fixed point, a 2-cycle or ``max_steps``.

    This is what every binary model's ``recall`` calls
    (:meth:`hopfield.dynamics.BinaryModel.recall`, which first checks that the model stores
    something); see :mod:`hopfield.dynamics` for the update rules and the tie rule.

    Parameters
    ----------
    model : BinaryModel
        A binary model with stored memories (:class:`hopfield.Hopfield`,
        :class:`hopfield.DenseAssociativeMemory`, :class:`hopfield.SparseHopfield`).
    cues : array_like or torch.Tensor of shape (B, N) or (N,)
        Starting states: ±1, and 0 for unknown bits. A 1-D cue gives a single result.
    update : {"async", "sync", "stochastic"}, default "async"
        One neuron at a time; every neuron at once (the only update that takes tensors); or
        Glauber dynamics at ``temperature``.
    max_steps : int, default 100
        The most sweeps (N neuron updates each) to run per cue.
    temperature : float, array_like of shape (S,) or callable, optional
        For ``update="stochastic"`` only (required there): T > 0, a per-sweep schedule of
        T >= 0 (the last repeated), or a function of the sweep index.
    order : {"random", "sequential"}, default "random"
        The visiting order of asynchronous and stochastic sweeps.
    clamp : array_like of bool of shape (N,) or (B, N), optional
        A boolean mask of neurons held fixed at their cue values.
    rng : int, numpy.random.Generator or None, default None
        Seed or generator for the update order, the Glauber draws and the unknown bits.

    Returns
    -------
    BinaryRecall
        The final states, per-cue ``converged``, ``steps``, ``cycled`` and ``flips``, and the
        energy after every sweep.

    Raises
    ------
    ValueError
        When an option is unknown or out of range, the cues are not ±1 and 0 or have the wrong
        width, the clamp mask has the wrong shape, or the temperature is missing or misplaced.
    TypeError
        When tensor cues are given to an asynchronous or stochastic update, the cues are in
        another library than the memories, or the clamp mask is not boolean.

    Examples
    --------
    >>> import hopfield as hf
    >>> X = hf.patterns.random(4, 60, rng=0)
    >>> net = hf.Hopfield().store(X)
    >>> r = hf.dynamics.run(net, hf.patterns.flip(X, 0.1, rng=1), order="sequential")
    >>> bool((r.states == X).all()), r.converged.tolist()
    (True, [True, True, True, True])
    """
    stored_binary_model(model)
    update = v.choose("update", update, UPDATES)
    order = v.choose("order", order, ORDERS)
    max_steps = v.integer("max_steps", max_steps, minimum=1)
    if update == "stochastic":
        temperature = _check_temperature(temperature)
    elif temperature is not None:
        raise ValueError(
            f"temperature: only update='stochastic' uses a temperature, got update={update!r}"
        )
    if update != "sync":
        backend.refuse_tensors(
            "cues",
            cues,
            f"update={update!r} (one neuron at a time)",
            "use update='sync' (one matrix product per sweep, on the tensor's device), or "
            "convert the cues with cues.cpu().numpy()",
        )
    n = model._n()
    arr = v.bipolar("cues", cues, allow_zero=True)
    v.width("cues", arr, n)
    check_home("cues", arr, model._home())
    single = arr.ndim == 1
    if backend.is_tensor(arr):
        s = arr.reshape(-1, n).clone()  # a copy: the caller's tensor is never written
    else:
        s = np.array(np.atleast_2d(arr), dtype=np.int8, order="C")  # a copy: sweeps work in place
    gen = v.as_rng(rng)
    clamp_mask = _clamp_mask(clamp, s)
    tol = model._tie_tol()
    s = _fill_unknown(model, s, gen, tol)
    if update == "sync":
        result = _run_sync(model, s, max_steps, clamp_mask, tol)
    else:
        result = _run_async(model, s, max_steps, temperature, order, clamp_mask, tol, gen, update)
    states, converged, steps, energies, cycled, flips = result
    if single:
        states, converged, steps, energies = states[0], converged[0], steps[0], energies[0]
        cycled, flips = cycled[0], flips[0]
    return BinaryRecall(states, converged, steps, energies, update, cycled=cycled, flips=flips)


def _run_async(model, s, max_steps, temperature, order, clamp, tol, gen, update):
    b, n = s.shape
    aux = model._async_state(s)
    energies = [model._async_energy(s, aux)]
    converged = np.zeros(b, dtype=np.bool_)
    steps = np.zeros(b, dtype=np.int64)
    total = np.zeros(b, dtype=np.int64)
    flips = np.zeros(b, dtype=np.int64)
    active = np.ones(b, dtype=np.bool_)
    base = np.arange(n, dtype=np.int64)
    sequential = np.ascontiguousarray(np.broadcast_to(base, (b, n)))
    orders = sequential.copy()
    empty = np.zeros((1, 1))
    for sweep in range(max_steps):
        t = _temperature_at(temperature, sweep) if update == "stochastic" else 0.0
        if order == "random":
            # Fresh permutations for the cues still running only: settled cues are skipped.
            rows = np.flatnonzero(active)
            orders[rows] = gen.permuted(sequential[rows], axis=1)
        uniforms = gen.random((b, n)) if t > 0.0 else empty
        visit = sequential if order == "sequential" else orders
        model._async_sweep(s, aux, visit, uniforms, t, clamp, tol, active, flips)
        total += flips
        moved = flips > 0
        steps += moved
        energies.append(model._async_energy(s, aux))
        still = active & ~moved
        if t == 0.0:
            # A deterministic sweep that flipped nothing is a fixed point: stop that cue.
            converged |= still
            active &= moved
        else:
            converged = np.where(active, ~moved, converged)
        if not active.any():
            break
    return s, converged, steps, np.stack(energies, axis=1), np.zeros(b, np.bool_), total


def _run_sync(model, s, max_steps, clamp, tol):
    """Run synchronous sweeps in the namespace of ``s`` (NumPy, or the tensor's, on its device)."""
    b, n = s.shape
    dev = backend.device(s)
    if backend.is_tensor(s):
        xp = backend.namespace(s)
        astype = xp.astype
    else:
        # NumPy itself and its methods: the calls of the NumPy-only engine, no wrapper costs
        # in the loop (they showed at small N).
        xp = np

        def astype(a, dtype):
            return a.astype(dtype)

    state = astype(s, xp.float64)
    previous = xp.full_like(state, np.nan)
    run = ActiveSet(b, like=s)
    cycled = xp.zeros(b, dtype=xp.bool, device=dev)
    flips = xp.zeros(b, dtype=xp.int64, device=dev)
    for sweep in range(max_steps + 1):
        idx = run.running
        cur = state[idx]
        if sweep == max_steps:  # the last state needs its energy, not its gaps
            run.record(astype(model._energy_only(cur), xp.float64))
            break
        gap, energy = model._gap_and_energy(cur)
        # The gaps of the current state give its energy for free: record it, then step.
        run.record(astype(energy, xp.float64))
        new = xp.where(gap > tol, 1.0, xp.where(gap < -tol, -1.0, cur))
        new = xp.where(clamp[idx], cur, new)
        changes = xp.count_nonzero(new != cur, axis=1)
        fixed = changes == 0
        # Back to the state of two sweeps ago: a 2-cycle. Stop there rather than loop.
        loop = ~fixed & xp.all(new == previous[idx], axis=1)
        cycled[idx[loop]] = True
        go = ~(fixed | loop)
        flips[idx[go]] += changes[go]
        previous[idx[go]] = cur[go]
        state[idx[go]] = new[go]
        run.advance(~fixed, halt=loop)
        if run.done:
            break
    converged, steps, energies = run.converged, run.steps, run.energies()
    return astype(state, xp.int8), converged, steps, energies, cycled, flips


def trajectory_energies_rise(energies: np.ndarray, rtol: float = 1e-9) -> bool:
    """Check whether any energy trace rises by more than rounding.

    Deterministic asynchronous dynamics of a symmetric network never raise the energy; this
    tests recorded energies (``Recall.energies``) for it.

    Parameters
    ----------
    energies : array_like of shape (B, T) or (T,)
        Energy traces, one per row.
    rtol : float, default 1e-9
        A rise counts when it exceeds ``rtol`` times the largest absolute energy (at least 1).

    Returns
    -------
    bool
        Whether some trace rises between two consecutive entries by more than that.

    Examples
    --------
    >>> import numpy as np
    >>> import hopfield as hf
    >>> hf.dynamics.trajectory_energies_rise(np.array([[-1.0, -2.0, -2.0], [0.0, -1.0, -3.0]]))
    False
    >>> hf.dynamics.trajectory_energies_rise([-3.0, -2.0])
    True
    """
    e = np.atleast_2d(energies)
    scale = rtol * np.maximum(1.0, np.abs(e).max())
    return bool((np.diff(e, axis=1) > scale).any())

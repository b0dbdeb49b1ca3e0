"""The model contract: what every model offers, and what a new model writes.

Every model is three things: what is stored (a weight matrix, or the memories themselves), an
energy, and an update that never raises it. Its public face is the same everywhere, with one
vocabulary, and every model derives from :class:`hopfield.contract.Memory`. This page is the
checklist for adding a model.

**The public face.** Users see these four things on every model:

``store(patterns, ...)``
    Validates and **appends** to what is stored (like scikit-learn's ``partial_fit``): calling
    it twice stores both batches. :meth:`hopfield.contract.Memory.clear` starts over. Inputs
    are copied, never kept (``ModernHopfield.store(copy=False)`` is the one documented
    exception, see :class:`hopfield.ModernHopfield`). Returns the model, so that calls chain.
``recall(cues, *, max_steps=..., clamp=..., ...)``
    Runs the dynamics from ``cues`` (B, N) or (N,) and returns a :class:`hopfield.Recall`
    (:class:`hopfield.BinaryRecall` for the binary engine), in the caller's array library and
    on its device; a single 1-D cue gives a 1-D state. Two exceptions, by their nature: the
    bidirectional memory (:class:`hopfield.BidirectionalMemory`) takes its cues as ``x=`` or
    ``y=`` (either side), and a sequence memory returns a :class:`hopfield.SequenceRecall`, the
    trajectory through its sequence. ``max_steps`` limits the iterations (``t_max`` for
    continuous time), ``clamp`` is a boolean mask of components held at the cues' values (the
    sequence, hidden-neuron and bidirectional memories take none). An unknown keyword is a
    ``TypeError`` that suggests the closest valid one; old names warn for one release.
    Recall before any store is a ``RuntimeError`` that says to call ``store`` first.
``energy(states)``
    The model's energy, (B,) for a batch and a number for one state. Two models define none and
    say why in their docstrings: :class:`hopfield.UniversalMemory` (most similarity and
    separation pairs are no gradient of any energy; dot + softmax is the modern network, which
    has one) and the sequence memories (asymmetric couplings: no energy decreases along a
    sequence).
learned state
    Read-only properties without a trailing underscore: ``patterns`` (the stored data, (K, N)),
    ``values`` (hetero-association), ``weights``, ``bias``. PyTorch has no read-only tensors:
    on a tensor store they are detached aliases, not to be written.

Errors are raised at this boundary (``store``, ``recall``, the constructor): a ``ValueError``
or ``TypeError`` that names the argument, what was expected and what was given. The ``repr`` of
a model, stored or not, is one short line.

**What a model writes beyond that**, for the rest of the library:

``_state() -> (params, arrays)`` and ``classmethod _from_state(params, arrays, source)``
    The pickle-free file format of :func:`hopfield.save` and :func:`hopfield.load`: JSON-able
    constructor parameters and the learned arrays (NumPy arrays, also for a tensor store);
    ``_from_state`` checks what it reads and names ``source`` in its errors. :func:`hopfield.load`
    finds the class by its name in ``hopfield.models.MODELS``: add the new model there (a model
    whose module needs optional extras goes into ``hopfield.io``'s table of lazily imported
    models instead).
binary models: subclass :class:`hopfield.dynamics.BinaryModel`
    and implement its hooks: ``_n()`` (neurons), ``_fitted()`` (raises ``RuntimeError`` while
    nothing is stored), ``_gap_and_energy(s)`` (the energy gap of every neuron and the
    energies, for the synchronous sweep, the tie rule, :func:`hopfield.is_fixed_point`,
    :mod:`hopfield.landscape` and :mod:`hopfield.traces`), ``_tie_tol()``, and the compiled
    asynchronous sweep (``_async_state``, ``_async_sweep``, ``_async_energy``); ``_home()``
    (an array of the stored state, whose library and device the cues must share) and
    ``_energy_only(s)`` (a cheaper energy) are optional. The engine owns schedules, clamping,
    unknown bits, stopping and 2-cycles.
public names
    Export the class from ``hopfield.models`` (its ``__all__``) and from the package
    (``hopfield._NAMES`` and the ``TYPE_CHECKING`` imports beside it), and give every public
    name a numpydoc docstring with an Examples section (``tests/test_docstrings.py`` checks
    them). The model's module docstring states its energy and update rule and cites its paper.

``tests/test_common.py`` runs one contract over every model: add a case there for a new one.

Examples
--------
>>> import hopfield as hf
>>> X = hf.patterns.random(4, 32, rng=0)
>>> net = hf.Hopfield().store(X[:2]).store(X[2:])   # store appends
>>> net.patterns.shape
(4, 32)
>>> net.clear().store(X[:1]).patterns.shape           # clear starts over
(1, 32)
"""

from __future__ import annotations

import functools

__all__ = ["Memory"]


class Memory:
    """Base of every model: :meth:`Memory.clear` returns it to its state right after construction.

    The state after ``__init__`` is recorded once per instance (the outermost ``__init__`` of
    a subclass chain runs last, so its record wins); :meth:`clear` restores it. A subclass
    needs to do nothing for this beyond deriving from ``Memory``. The rest of the contract is
    on the page of :mod:`hopfield.contract`.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.contract import Memory
    >>> net = hf.Hopfield(rule="storkey").store(hf.patterns.random(3, 16, rng=0))
    >>> isinstance(net, Memory), net.clear()
    (True, Hopfield(rule='storkey'))
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def recorded(self, *args, **kw):
            init(self, *args, **kw)
            self._blank = {k: a for k, a in vars(self).items() if k != "_blank"}

        cls.__init__ = recorded

    def clear(self):
        """Forget everything stored: the model is as it was constructed.

        Constructor parameters are kept; learned state is dropped.

        Returns
        -------
        Memory
            The model itself (``self``), for chaining.

        Examples
        --------
        >>> import hopfield as hf
        >>> X = hf.patterns.random(4, 32, rng=0)
        >>> net = hf.Hopfield().store(X)
        >>> net.clear().store(X[:1]).patterns.shape
        (1, 32)
        """
        blank = getattr(self, "_blank", {})
        vars(self).clear()
        vars(self).update(blank)
        self._blank = blank
        return self

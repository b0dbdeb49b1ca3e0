"""A dense associative memory trained as a classifier (Krotov & Hopfield [1]_).

K memories ξ^μ span the ``N_v`` visible neurons (the input, scaled to [−1, 1]) and one label
neuron per class. To classify ``v``, the label neurons start at −1 and each is updated once
against the energy ``E(σ) = −Σ_μ F(ξ^μ·σ)``, F(x) = max(x, 0)ⁿ::

    c_α = tanh(β Σ_μ [F(ξ^μ_α + Σ_i ξ^μ_i v_i − Σ_{γ≠α} ξ^μ_γ)
                    − F(−ξ^μ_α + Σ_i ξ^μ_i v_i − Σ_{γ≠α} ξ^μ_γ)]),     β = 1/Tⁿ

and the memories are learned by minimising ``Σ_α (c_α − t_α)^{2m}`` (t = ±1) with Krotov's
recipe: memories drawn from N(−0.3, 0.3) and clipped to [−1, 1], minibatch gradients with
momentum, each memory's step normalised so that its largest change is ε, ε decaying every
epoch, and (for large n) the temperature annealed. This one update is a feed-forward network
with one hidden layer (:meth:`hopfield.DenseClassifier.to_feedforward`); in its first-order
form (``update="derivative"``) the hidden layer has K units with activation F′, the paper's
duality. As n grows the memories turn from features (parts of digits) into prototypes (whole
digits): :meth:`hopfield.DenseClassifier.prototype_scores` measures it.

Training runs on PyTorch (CPU by default, any torch device when given); ``import hopfield``
imports neither torch nor scikit-learn, this module does (``pip install "hopfield[torch]"``).

References
----------
.. [1] D. Krotov and J. J. Hopfield, "Dense associative memory for pattern recognition",
   NeurIPS (2016), arXiv:1606.01164.
"""

from __future__ import annotations

import contextlib
import numbers
import os
from collections.abc import Callable, Iterator

import numpy as np

try:
    import torch
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import check_is_fitted, validate_data
except ImportError as err:  # pragma: no cover - exercised only without the extras
    raise ImportError(
        "hopfield.DenseClassifier needs PyTorch and scikit-learn: "
        'pip install "hopfield[torch,data]"'
    ) from err

from . import _dense_net as net
from . import _validation as v

__all__ = ["DenseClassifier"]

OPTIMIZERS = ("krotov", "adam")
# Default temperature T = s·N with N = N_v + N_c (the overlaps ξ·σ grow with N) and
# s = clip(0.1 n, 0.3, 0.7): Krotov's n = 20 runs on MNIST use T = 540 ≈ 0.7·784; small n wants
# a lower T to make its outputs decisive, but not so low that tanh saturates before training
# starts (then every gradient is 0). Chosen on a validation split of the digits' training
# part. At degree >= 10, T is annealed from 0.9·N down to 0.7·N, as Krotov anneals T at large n.
_T_SLOPE, _T_MIN, _T_MAX, _T_START, _LARGE_DEGREE = 0.1, 0.3, 0.7, 0.9, 10
# The temperature ramp and early stopping take their values over the first 2/3 of the epochs
# (Krotov's demo: 200 of 300 epochs).
_RAMP_FRACTION = 2 / 3


class DenseClassifier(ClassifierMixin, BaseEstimator):
    """Dense associative memory classifier: one update of the label neurons, learned memories.

    The K memories span the visible neurons (the input) and one label neuron per class; a
    sample is classified by one update of the label neurons against the energy
    ``E(σ) = −Σ_μ F(ξ^μ·σ)`` (Krotov & Hopfield [1]_; the module :mod:`hopfield.classifier`
    gives the update and the training recipe). Follows scikit-learn's estimator API
    (``get_params``, ``set_params``, ``score``, cloning).

    Parameters
    ----------
    degree : int, default 3
        The power n of the rectified polynomial F(x) = max(x, 0)ⁿ. Small n learns features,
        large n (20 or more) prototypes.
    memories : int, default 100
        K, the number of memories (the hidden units of the dual network).
    temperature : float, (float, float) or None, default None
        T, with β = 1/Tⁿ. A pair ramps linearly from the first to the second value over the
        first 2/3 of the epochs. None: ``s·N`` with N = N_v + N_c and s = 0.1·n clipped to
        [0.3, 0.7], annealed from ``0.9·N`` for degree ≥ 10.
    loss_power : int, default 2
        The power m in the loss Σ (c − t)^{2m}; larger m concentrates on the worst outputs.
    epochs : int, default 100
        Passes over the training data.
    batch_size : int, default 100
        Minibatch size (the last, smaller batch is used too).
    learning_rate : float, default 0.02
        The initial step ε₀: each memory's largest change in one step (``optimizer="krotov"``)
        or Adam's step.
    learning_rate_decay : float, default 0.998
        The step ε is multiplied by this after every epoch.
    momentum : float, default 0.6
        Momentum of the ``"krotov"`` optimizer, in [0, 1).
    optimizer : {"krotov", "adam"}, default "krotov"
        Krotov's normalised momentum steps, or ``torch.optim.Adam``.
    update : {"energy", "derivative"}, default "energy"
        The energy difference (the paper's update) or its first-order form 2ξ_α F′(u) (the
        paper's duality: a network with K hidden units and activation F′).
    early_stopping : bool, default False
        Hold out ``validation_fraction`` of the training data (stratified) and stop after
        ``n_iter_no_change`` epochs without a better validation accuracy; the best memories
        are kept.
    validation_fraction : float, default 0.1
        The share of the training data held out with ``early_stopping``, in (0, 1).
    n_iter_no_change : int, default 10
        Epochs without a better validation accuracy before ``early_stopping`` stops.
    strict : bool, default False
        Refuse inputs outside [−1, 1] (the range the memories live in).
    verbose : int or bool, default 0
        0 is silent; 1 or more shows a progress bar (tqdm, on stderr, when it is a terminal).
    callback : callable or None, default None
        Called after every epoch with a dict (``epoch``, ``loss``, ``train_accuracy``,
        ``validation_accuracy``, ``temperature``, ``learning_rate``); returning True stops.
    n_jobs : int or None, default None
        Torch threads while fitting and predicting (torch's setting is restored afterwards):
        None is one (as in scikit-learn), -1 every CPU.
    rng : int, numpy.random.Generator or None, default None
        Seeds the initial memories, the batches and the validation split: the same seed, torch
        build and ``n_jobs`` give the same memories (more threads sum in another order).
    device : str, torch.device or None, default None
        Where to train; None is the CPU.

    Attributes
    ----------
    classes_ : ndarray of shape (N_c,)
        The class labels, sorted; set by :meth:`fit`.
    memories_ : ndarray of shape (K, N_v + N_c)
        The learned memories, visible part first, then one label neuron per class.
    n_features_in_ : int
        N_v, the number of features seen by :meth:`fit`.
    temperature_ : float
        The temperature at the end of training (used to predict).
    loss_curve_ : list of float
        Mean training loss per epoch.
    validation_scores_ : list of float or None
        Validation accuracy per epoch (with ``early_stopping``; None without it).
    n_iter_ : int
        Epochs run.

    See Also
    --------
    hopfield.DenseAssociativeMemory : The dense associative memory as an autoassociative
        network.
    hopfield.RectifiedPolynomial : The interaction function F.

    References
    ----------
    .. [1] D. Krotov and J. J. Hopfield, "Dense associative memory for pattern recognition",
       NeurIPS (2016), arXiv:1606.01164.

    Examples
    --------
    >>> import hopfield as hf
    >>> X, y = hf.datasets.handwritten_digits()
    >>> clf = hf.DenseClassifier(degree=3, memories=50, epochs=15, rng=0).fit(X[:1200], y[:1200])
    >>> clf.memories_.shape
    (50, 74)
    >>> bool(clf.score(X[1200:], y[1200:]) > 0.9)
    True
    """

    def __init__(
        self,
        degree: int = 3,
        memories: int = 100,
        temperature: float | tuple[float, float] | None = None,
        loss_power: int = 2,
        epochs: int = 100,
        batch_size: int = 100,
        learning_rate: float = 0.02,
        learning_rate_decay: float = 0.998,
        momentum: float = 0.6,
        optimizer: str = "krotov",
        update: str = "energy",
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        strict: bool = False,
        verbose: int = 0,
        callback: Callable[[dict], bool | None] | None = None,
        n_jobs: int | None = None,
        rng: int | np.random.Generator | None = None,
        device: str | None = None,
    ):
        self.degree = degree
        self.memories = memories
        self.temperature = temperature
        self.loss_power = loss_power
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_decay = learning_rate_decay
        self.momentum = momentum
        self.optimizer = optimizer
        self.update = update
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.strict = strict
        self.verbose = verbose
        self.callback = callback
        self.n_jobs = n_jobs
        self.rng = rng
        self.device = device

    # -- scikit-learn -----------------------------------------------------------------------
    def fit(self, X, y) -> DenseClassifier:
        """Learn the memories from images or feature vectors ``X`` and labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, N_v)
            Training inputs, scaled to [−1, 1] (required with ``strict=True``).
        y : array-like of shape (n_samples,)
            Class labels, at least 2 distinct ones.

        Returns
        -------
        DenseClassifier
            The fitted classifier itself (``self``), for chaining.

        Raises
        ------
        ValueError
            When a parameter is out of range, ``y`` holds fewer than 2 classes, or (with
            ``strict=True``) ``X`` has values outside [−1, 1].
        TypeError
            When a parameter has the wrong type (e.g. a ``callback`` that is not callable).
        """
        self._check_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=False)
        self._check_range(X)
        check_classification_targets(y)
        classes, y_idx = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                f"y: a classifier needs at least 2 classes, got 1 class ({classes[0]!r})"
            )
        self.classes_ = classes
        gen = v.as_rng(self.rng)
        seed = int(gen.integers(2**63 - 1))
        with self._threads():
            self._fit(X, y_idx, seed)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Estimate class probabilities ``(1 + c_α) / Σ_γ (1 + c_γ)``.

        Formed from the pre-activations on a log scale, so saturated outputs (c = −1 for
        every class) still rank the classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, N_v)
            Inputs.

        Returns
        -------
        ndarray of shape (n_samples, N_c)
            The probability of each class (columns in the order of ``classes_``).
        """
        a = self._preactivation(X)
        log_votes = -np.logaddexp(0.0, -2.0 * a)  # log((1 + tanh a)/2) = log σ(2a)
        log_votes -= log_votes.max(axis=1, keepdims=True)
        p = np.exp(log_votes)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """Predict the class whose label neuron the update drives highest.

        Parameters
        ----------
        X : array-like of shape (n_samples, N_v)
            Inputs.

        Returns
        -------
        ndarray of shape (n_samples,)
            The predicted labels, taken from ``classes_``.
        """
        a = self._preactivation(X)  # first: it checks that the model is fitted
        return self.classes_[np.argmax(a, axis=1)]

    def decision_outputs(self, X) -> np.ndarray:
        """Compute the label neurons after one update, ``c_α`` in [−1, 1].

        Parameters
        ----------
        X : array-like of shape (n_samples, N_v)
            Inputs.

        Returns
        -------
        ndarray of shape (n_samples, N_c)
            The outputs ``c_α`` (columns in the order of ``classes_``).
        """
        return np.tanh(self._preactivation(X))

    # -- the energy view and the dual network ---------------------------------------------
    def class_energies(self, X) -> np.ndarray:
        """Compute the energy of each input with the label neurons set to each class's code.

        The energy ``−Σ_μ F(ξ^μ·σ)/Tⁿ`` of the visible neurons clamped to ``X`` and the label
        neurons set to each class's code (+1 for the class, −1 for the others). With
        ``update="energy"`` the class of lowest energy is the predicted class: ``c_α`` grows
        with ``E(all labels −1) − E(label α)``, a reference the same for every α. Computed in
        NumPy with :class:`hopfield.RectifiedPolynomial`.

        Parameters
        ----------
        X : array-like of shape (n_samples, N_v)
            Inputs.

        Returns
        -------
        ndarray of shape (n_samples, N_c)
            The energy of each input with each class's code (columns in the order of
            ``classes_``).

        Examples
        --------
        >>> import hopfield as hf
        >>> X, y = hf.datasets.handwritten_digits()
        >>> clf = hf.DenseClassifier(memories=30, epochs=5, rng=0).fit(X[:600], y[:600])
        >>> e = clf.class_energies(X[600:650])
        >>> e.shape, bool((clf.classes_[e.argmin(axis=1)] == clf.predict(X[600:650])).all())
        ((50, 10), True)
        """
        X = self._check_X(X)
        # β F(x) = F(x / T): scaling the memories by 1/T scales every overlap by 1/T.
        return net.class_energies(X, self.memories_ / self.temperature_, int(self.degree))

    def to_feedforward(self) -> torch.nn.Sequential:
        """Build the dual feed-forward network, on the classifier's device, float64.

        ``update="derivative"``: ``Linear(N_v, K)``, F′ = n ReLU^{n−1}, ``Linear(K, N_c)``,
        ``Tanh`` (the paper's duality). ``update="energy"``: ``Linear(N_v, K·(N_c + 1))``,
        F = ReLU^n, ``Linear(K·(N_c + 1), N_c)``, ``Tanh``: the reference overlap and one
        shifted copy per label (the energy difference is not a function of one F′ per memory).

        Returns
        -------
        torch.nn.Sequential
            The network; its outputs equal :meth:`decision_outputs` on every input.

        Examples
        --------
        >>> import numpy as np
        >>> import torch
        >>> import hopfield as hf
        >>> X, y = hf.datasets.handwritten_digits()
        >>> clf = hf.DenseClassifier(memories=30, epochs=5, rng=0).fit(X[:600], y[:600])
        >>> net = clf.to_feedforward()
        >>> out = net(torch.as_tensor(X[600:650], dtype=torch.float64)).detach().numpy()
        >>> bool(np.allclose(out, clf.decision_outputs(X[600:650])))
        True
        """
        check_is_fitted(self)
        mem = torch.as_tensor(self.memories_, dtype=torch.float64, device=self._device())
        return net.feedforward(
            mem, self.n_features_in_, int(self.degree), self.temperature_, self.update
        )

    def prototype_scores(self) -> np.ndarray:
        """Measure, per memory, the share of its label vote that goes to its favourite class.

        Memory μ votes for class α by ``max(ξ^μ_α − mean_γ ξ^μ_γ, 0)`` (a shift common to all
        its label weights is no vote: in the dual network it adds the same to every class);
        the score is the largest vote over the sum of the votes.

        Returns
        -------
        ndarray of shape (K,)
            The score of each memory, in [1/N_c, 1]: 1 for a prototype (votes for one class),
            1/k for a memory that splits its vote over k classes.
        """
        check_is_fitted(self)
        return net.prototype_scores(self.memories_, len(self.classes_))

    # -- internals --------------------------------------------------------------------------
    def _check_params(self) -> None:
        v.integer("degree", self.degree, minimum=1)
        v.integer("memories", self.memories, minimum=1)
        v.integer("loss_power", self.loss_power, minimum=1)
        v.integer("epochs", self.epochs, minimum=1)
        v.integer("batch_size", self.batch_size, minimum=1)
        v.integer("n_iter_no_change", self.n_iter_no_change, minimum=1)
        if not isinstance(self.verbose, bool):
            v.integer("verbose", self.verbose, minimum=0)
        v.positive("learning_rate", self.learning_rate)
        v.positive("learning_rate_decay", self.learning_rate_decay)
        if not 0.0 <= v.fraction("momentum", self.momentum) < 1.0:
            raise ValueError(f"momentum: expected a number in [0, 1), got {self.momentum}")
        if not 0.0 < v.fraction("validation_fraction", self.validation_fraction) < 1.0:
            raise ValueError(
                f"validation_fraction: expected a number in (0, 1), got {self.validation_fraction}"
            )
        v.choose("optimizer", self.optimizer, OPTIMIZERS)
        v.choose("update", self.update, net.UPDATES)
        t = self.temperature
        if t is not None:
            pair = t if isinstance(t, tuple | list) else (t,)
            if len(pair) not in (1, 2):
                raise ValueError(f"temperature: expected a number or a pair, got {t!r}")
            for x in pair:
                v.positive("temperature", x)
        if self.callback is not None and not callable(self.callback):
            raise TypeError(
                f"callback: expected a callable or None, got {type(self.callback).__name__}"
            )
        if self.n_jobs is not None and self.n_jobs != -1:
            v.integer("n_jobs", self.n_jobs, minimum=1)
        v.as_rng(self.rng)

    def _check_range(self, X: np.ndarray) -> None:
        if self.strict and (X.min() < -1.0 or X.max() > 1.0):
            raise ValueError(
                f"X: expected values in [-1, 1] (strict=True), found values in "
                f"[{X.min():g}, {X.max():g}]; scale the inputs, e.g. 2 * x / x.max() - 1"
            )

    def _check_X(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        self._check_range(X)
        return X

    def _device(self) -> torch.device:
        return torch.device("cpu" if self.device is None else self.device)

    @contextlib.contextmanager
    def _threads(self) -> Iterator[None]:
        before = torch.get_num_threads()
        # None is one thread, as in scikit-learn: the per-batch products are small, and on a
        # shared machine a second spinning thread slowed training several-fold (measured).
        every = os.cpu_count() or 1
        jobs = 1 if self.n_jobs is None else every if self.n_jobs == -1 else int(self.n_jobs)
        torch.set_num_threads(jobs)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    def _preactivation(self, X) -> np.ndarray:
        X = self._check_X(X)
        device = self._device()
        mem = torch.as_tensor(self.memories_, dtype=torch.float64, device=device)
        out = []
        # Rows per chunk: the energy update holds a (rows, K, N_c) array; keep it near 32 MB.
        k, nc = self.memories_.shape[0], len(self.classes_)
        rows = max(1, min(len(X), 2**22 // (k * nc)))
        with self._threads(), torch.no_grad():
            for start in range(0, len(X), rows):
                x = torch.tensor(X[start : start + rows], device=device)
                a = net.preactivation(x, mem, int(self.degree), self.temperature_, self.update)
                out.append(a.cpu().numpy())
        return np.concatenate(out)

    def _schedule(self, n_neurons: int) -> tuple[float, float]:
        t = self.temperature
        if t is None:
            end = min(max(_T_SLOPE * int(self.degree), _T_MIN), _T_MAX) * n_neurons
            start = _T_START * n_neurons if int(self.degree) >= _LARGE_DEGREE else end
            return start, end
        if isinstance(t, tuple | list):
            return (float(t[0]), float(t[-1]))
        return float(t), float(t)

    def _fit(self, X: np.ndarray, y: np.ndarray, seed: int) -> None:
        from ._fit_loop import train

        train(self, X, y, seed)

    # -- saving (hf.save / hf.load) --------------------------------------------------------
    def _state(self):
        check_is_fitted(self)
        # JSON-safe: numpy scalars (np.int64(3) as a degree) become Python numbers.
        params = {
            k: x.item() if isinstance(x, np.generic) else x for k, x in self.get_params().items()
        }
        rng = params["rng"]
        # A Generator's state is not part of the model; a numpy int becomes a JSON int.
        params["rng"] = int(rng) if isinstance(rng, numbers.Integral) else None
        params["callback"] = None
        params["device"] = None if self.device is None else str(self.device)
        if isinstance(params["temperature"], tuple | list):
            params["temperature"] = [float(x) for x in params["temperature"]]
        classes = self.classes_
        if classes.dtype == object:  # e.g. strings from pandas: store them as a plain array
            items = classes.tolist()
            if all(isinstance(c, str) for c in items) or all(
                isinstance(c, numbers.Integral) and not isinstance(c, bool) for c in items
            ):
                classes = np.array(items)
        if classes.dtype == object:
            raise TypeError(
                "model: classes of mixed or object type cannot be saved without pickling; "
                "encode the labels as ints or strings"
            )
        fitted = {
            "temperature_": self.temperature_,
            "n_iter_": self.n_iter_,
            "loss_curve_": list(self.loss_curve_),
        }
        return {"params": params, "fitted": fitted}, {
            "memories": self.memories_,
            "classes": classes,
        }

    @classmethod
    def _from_state(cls, params, arrays, source):
        try:
            kwargs = dict(params["params"])
            if isinstance(kwargs.get("temperature"), list):
                kwargs["temperature"] = tuple(kwargs["temperature"])
            model = cls(**kwargs)
            mem, classes = arrays["memories"], arrays["classes"]
            fitted = params["fitted"]
            model.temperature_ = float(fitted["temperature_"])
            model.n_iter_ = int(fitted["n_iter_"])
            model.loss_curve_ = [float(x) for x in fitted["loss_curve_"]]
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(
                f"path: {source} has a damaged DenseClassifier record ({err})"
            ) from None
        if mem.ndim != 2 or classes.ndim != 1 or mem.shape[1] <= len(classes):
            raise ValueError(
                f"path: {source} has memories of shape {mem.shape} for {len(classes)} classes"
            )
        model.memories_ = np.array(mem, dtype=np.float64)
        model.classes_ = np.array(classes)
        model.n_features_in_ = mem.shape[1] - len(classes)
        model.validation_scores_ = None
        return model

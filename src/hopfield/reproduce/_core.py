"""What a reproduced result is: checks against reference values of stated kind, a figure, a note.

Every check says what kind of reference it is measured against (``KINDS``):

- ``"published"``: a number printed in the cited paper; ``where`` says where (table, figure,
  equation or page);
- ``"theory"``: a formula evaluated here (``where`` names it);
- ``"reference simulation"``: an independent implementation or simulation, never a paper;
- ``"sanity"``: a property that a correct formula or algebra guarantees (an identity, a bound far
  from the measurement). Sanity checks still fail the report when they fail, but they are listed
  apart and do not count as evidence that a result is reproduced.

A measurement is a function ``measure(quick, rng) -> Measured``; :func:`register` turns it
into a :class:`Spec` in ``REGISTRY``, and calling the spec gives a :class:`Result`. The helpers
``close``, ``at_least``, ``at_most`` and ``equal`` build the common :class:`Check` objects with
their tolerance written out, ``fmt`` formats a number for the report and ``figure`` makes a
figure without pyplot.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure

__all__ = [
    "KINDS",
    "Check",
    "Measured",
    "Result",
    "Spec",
    "register",
    "fmt",
    "close",
    "at_least",
    "at_most",
    "equal",
    "figure",
]

#: The kinds of reference a check compares with, strongest evidence first.
KINDS = ("published", "theory", "reference simulation", "sanity")


@dataclass(frozen=True)
class Check:
    """One reference value beside its measurement.

    A frozen dataclass; the constructor takes the fields in this order.

    Parameters
    ----------
    quantity : str
        What is compared, e.g. ``"overlap at α = 0.14, N = 1000"``.
    reference : str
        The reference value as text (with its conditions where they matter).
    measured : str
        The measurement as text.
    tolerance : str
        The tolerance as stated, e.g. ``"± 0.05"``, ``"± 15 % (relative)"``, ``"≥ 0.9"``.
    passed : bool
        Whether the measurement is within the tolerance.
    reference_value : float or None, default None
        The reference number, if it is one.
    measured_value : float or None, default None
        The measured number, if it is one.
    kind : {"published", "theory", "reference simulation", "sanity"}, default "sanity"
        What kind of reference this is (one of ``hopfield.reproduce.KINDS``, strongest
        evidence first).
    where : str, default ""
        For a published value, where the paper prints it (table, figure, equation or page);
        for a theory, the formula. Required when ``kind`` is ``"published"``. Every kind but
        ``"sanity"`` counts as evidence (:attr:`evidence`).

    Raises
    ------
    ValueError
        If ``kind`` is not one of the kinds, or a published value does not say ``where``.

    See Also
    --------
    Result : A result from the literature and its checks.

    Examples
    --------
    >>> from hopfield.reproduce import Check
    >>> c = Check("critical load α_c", "0.138", "0.14", "± 0.01", True,
    ...           reference_value=0.138, measured_value=0.14,
    ...           kind="published", where="AGS 1985, p. 1532")
    >>> c.evidence
    True
    >>> Check("energy never rises", "yes", "yes", "exact", True).evidence  # a sanity check
    False
    """

    quantity: str
    reference: str
    measured: str
    tolerance: str
    passed: bool
    reference_value: float | None = None
    measured_value: float | None = None
    kind: str = "sanity"
    where: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind: expected one of {KINDS}, got {self.kind!r}")
        if self.kind == "published" and not self.where:
            raise ValueError("where: a published value must say where the paper prints it")

    @property
    def evidence(self) -> bool:
        """Whether the check counts as evidence (everything but a sanity check)."""
        return self.kind != "sanity"


class Measured(NamedTuple):
    """What a measurement returns: its checks, its figure and a short note.

    A named tuple: ``checks, figure, note = measured`` unpacks it.

    Parameters
    ----------
    checks : list of Check
        The reference values beside their measurements.
    figure : matplotlib.figure.Figure or None
        The figure of the result, or None.
    note : str
        What was measured and how, in a few sentences.

    See Also
    --------
    Spec : Wraps a measurement into a :class:`Result`.

    Examples
    --------
    >>> from hopfield.reproduce import Check, Measured
    >>> m = Measured([Check("1 + 1", "2", "2", "exact", True)], None, "Arithmetic.")
    >>> len(m.checks), m.figure, m.note
    (1, None, 'Arithmetic.')
    """

    checks: list[Check]
    figure: Figure | None
    note: str


@dataclass
class Result:
    """A result from the literature and what the library measured for it.

    A dataclass; the constructor takes the fields in this order. :func:`hopfield.reproduce.run`
    fills in ``name``, ``seconds`` and ``peak_mib``.

    Parameters
    ----------
    name : str
        Slug, e.g. ``"ags-capacity"``.
    title : str
        One line.
    source : str
        The paper and year.
    checks : list of Check, default []
        The reference values beside their measurements.
    figure : matplotlib.figure.Figure or None, default None
        A matplotlib figure, or None.
    note : str, default ""
        What was measured and how, in a few sentences.
    seconds : float, default 0.0
        Wall time of the measurement.
    error : str or None, default None
        The traceback if the measurement raised (the result then fails).
    peak_mib : float or None, default None
        The peak resident memory of the process that ran it, in MiB, when it finished (a
        high-water mark: it includes what earlier results in that process used).

    See Also
    --------
    Spec : Makes a result from a measurement.

    Examples
    --------
    >>> from hopfield.reproduce import Check, Result
    >>> ok = Check("stored patterns recalled", "all", "all", "exact", True,
    ...            kind="theory", where="α = 0.03 < 0.138")
    >>> r = Result("toy", "A toy result", "nobody 2024", [ok])
    >>> r.passed, r.verdict
    (True, 'pass')
    >>> Result("toy", "A toy result", "nobody 2024").passed  # no evidence, no pass
    False
    """

    name: str
    title: str
    source: str
    checks: list[Check] = field(default_factory=list)
    figure: Figure | None = field(default=None, repr=False)
    note: str = ""
    seconds: float = 0.0
    error: str | None = None
    peak_mib: float | None = None

    @property
    def passed(self) -> bool:
        """No error, at least one check that is evidence, and every check within tolerance."""
        return (
            self.error is None
            and any(c.evidence for c in self.checks)
            and all(c.passed for c in self.checks)
        )

    @property
    def verdict(self) -> str:
        """``"pass"`` or ``"fail"``, as the report prints it."""
        return "pass" if self.passed else "fail"

    def to_dict(self) -> dict:
        """Return everything but the figure, as JSON-ready values.

        Returns
        -------
        dict
            The fields, the verdict, and the checks as dicts (non-finite numbers as None);
            ``results.json`` holds one per result.
        """
        return {
            "name": self.name,
            "title": self.title,
            "source": self.source,
            "verdict": self.verdict,
            "checks": [_check_dict(c) for c in self.checks],
            "note": self.note,
            "seconds": round(self.seconds, 3),
            "peak_mib": None if self.peak_mib is None else round(self.peak_mib, 1),
            "error": self.error,
        }


def _check_dict(c: Check) -> dict:
    d = asdict(c)
    for key in ("reference_value", "measured_value"):
        value = d[key]
        d[key] = None if value is None or not math.isfinite(value) else float(value)
    return d


@dataclass(frozen=True)
class Spec:
    """A result that knows its name: a function ``(quick, rng) -> Result``.

    ``measure(quick, rng)`` returns a :class:`Measured`; calling the spec wraps it in a
    :class:`Result` with this name, title and source. :func:`register` makes one and adds it to
    the suite; a spec (or any such function) can also be run without registering it, through
    the ``results`` argument of :func:`hopfield.reproduce.run`. A registered spec pickles by
    its name, so it can run in a process pool.

    Parameters
    ----------
    name : str
        Slug, e.g. ``"ags-capacity"``.
    title : str
        One line.
    source : str
        The paper and year.
    measure : callable
        ``measure(quick: bool, rng: numpy.random.Generator) -> Measured``: small sizes when
        ``quick``; every random draw from ``rng``.

    Examples
    --------
    >>> import numpy as np, hopfield as hf
    >>> from hopfield.reproduce import Check, Measured, Spec
    >>> def measure(quick, rng):
    ...     X = hf.patterns.random(3, 100, rng=rng)
    ...     r = hf.Hopfield().store(X).recall(hf.patterns.flip(X, 0.1, rng=rng), rng=rng)
    ...     m = float(hf.overlap(r.states, X).diagonal().mean())
    ...     check = Check("mean overlap after recall", "1", f"{m:.2f}", "≥ 0.95", m >= 0.95,
    ...                   1.0, m, kind="theory", where="AGS: m ≈ 1 at α = 0.03")
    ...     return Measured([check], None, "Three patterns, cues 10 % flipped.")
    >>> spec = Spec("low-load-recall", "Recall at low load", "Hopfield 1982", measure)
    >>> result = spec(True, np.random.default_rng(0))
    >>> result.name, result.passed
    ('low-load-recall', True)
    """

    name: str
    title: str
    source: str
    measure: Callable[[bool, np.random.Generator], Measured]

    def __call__(self, quick: bool, rng: np.random.Generator) -> Result:
        checks, figure, note = self.measure(quick, rng)
        return Result(self.name, self.title, self.source, list(checks), figure, note)

    def __reduce__(self):
        # A registered measure's module attribute is this Spec, not the function, so pickle
        # (a process pool) cannot find the function by name: send the registered name instead.
        if REGISTRY.get(self.name) is self:
            return (_registered, (self.name,))
        return (Spec, (self.name, self.title, self.source, self.measure))


def _registered(name: str) -> Spec:
    """Return the registered result ``name`` (importing the suite registers every result)."""
    from . import REGISTRY as registry

    return registry[name]


#: Every registered result by name, in the order the report lists them.
REGISTRY: dict[str, Spec] = {}


def register(name: str, title: str, source: str):
    """Register ``measure(quick, rng) -> Measured`` as the result ``name`` (a decorator).

    The decorated function is replaced by its :class:`Spec`, added to ``REGISTRY`` and so to
    :func:`hopfield.reproduce.names` and :func:`hopfield.reproduce.run`. To add a result to the
    suite itself, define it in one of the suite's modules (``classical``, ``rules``, ``dense``,
    ``classifier``, ``modern``, ``hidden``, ``beyond``): importing the package imports them,
    and the report lists their results in that order. Results registered later come last.

    Parameters
    ----------
    name : str
        The result's slug, unique in the registry, e.g. ``"ags-capacity"``.
    title : str
        One line.
    source : str
        The paper and year.

    Returns
    -------
    callable
        The decorator: it takes ``measure`` and returns its :class:`Spec`.

    Raises
    ------
    ValueError
        If a result called ``name`` is already registered (raised when decorating).

    Examples
    --------
    >>> from hopfield import reproduce
    >>> from hopfield.reproduce import Check, Measured
    >>> @reproduce.register("toy-identity", "ξ·ξ = N", "textbook")
    ... def toy(quick, rng):
    ...     return Measured([Check("ξ·ξ / N", "1", "1", "exact", True,
    ...                            kind="theory", where="ξ ∈ {±1}^N")], None, "")
    >>> toy.name, "toy-identity" in reproduce.names()
    ('toy-identity', True)
    >>> reproduce.run(only=["toy-identity"], out=None, progress=False).passed
    True
    >>> del reproduce.REGISTRY["toy-identity"]  # leave the suite as it was
    """

    def wrap(measure: Callable[[bool, np.random.Generator], Measured]) -> Spec:
        if name in REGISTRY:
            raise ValueError(f"name: a result called {name!r} is already registered")
        spec = Spec(name, title, source, measure)
        REGISTRY[name] = spec
        return spec

    return wrap


# -- checks ---------------------------------------------------------------------------------
def fmt(x: float, digits: int = 3) -> str:
    """Format a number with ``digits`` significant digits, no trailing zeros kept beyond them."""
    if x is None or not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    if abs(x) < 1e-3 or abs(x) >= 1e5:
        return f"{x:.{max(digits - 1, 0)}e}"
    decimals = max(digits - 1 - math.floor(math.log10(abs(x))), 0)
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def close(
    quantity: str,
    reference: float,
    measured: float,
    *,
    kind: str,
    where: str = "",
    atol: float | None = None,
    rtol: float | None = None,
    reference_text: str | None = None,
    digits: int = 3,
) -> Check:
    """Check ``|measured − reference| ≤ atol`` (or ``≤ rtol·|reference|``).

    Exactly one of ``atol`` and ``rtol`` is given; a zero tolerance reads ``"exact"``.
    """
    if (atol is None) == (rtol is None):
        raise ValueError("tolerance: give exactly one of atol and rtol")
    allowed = atol if atol is not None else rtol * abs(reference)
    if allowed == 0:
        tol = "exact"
    elif atol is not None:
        tol = f"± {fmt(atol, 2)}"
    else:
        tol = f"± {rtol * 100:g} % (relative)"
    return Check(
        quantity,
        reference_text or fmt(reference, digits),
        fmt(measured, digits),
        tol,
        bool(abs(measured - reference) <= allowed),
        float(reference),
        float(measured),
        kind,
        where,
    )


def at_least(
    quantity: str,
    bound: float,
    measured: float,
    *,
    reference: str,
    kind: str,
    where: str = "",
    digits: int = 3,
) -> Check:
    """Check an inequality: the measurement must be ``≥ bound``."""
    return Check(
        quantity,
        reference,
        fmt(measured, digits),
        f"≥ {fmt(bound, digits)}",
        bool(measured >= bound),
        None,
        float(measured),
        kind,
        where,
    )


def at_most(
    quantity: str,
    bound: float,
    measured: float,
    *,
    reference: str,
    kind: str,
    where: str = "",
    digits: int = 3,
) -> Check:
    """Check an inequality: the measurement must be ``≤ bound``."""
    return Check(
        quantity,
        reference,
        fmt(measured, digits),
        f"≤ {fmt(bound, digits)}",
        bool(measured <= bound),
        None,
        float(measured),
        kind,
        where,
    )


def equal(
    quantity: str,
    reference,
    measured,
    *,
    kind: str,
    where: str = "",
    reference_text: str | None = None,
) -> Check:
    """Check exact agreement (integers, booleans, arrays compared elementwise)."""
    same = bool(np.array_equal(np.asarray(reference), np.asarray(measured)))
    number = isinstance(reference, int | float) and not isinstance(reference, bool)
    return Check(
        quantity,
        reference_text or str(reference),
        str(measured),
        "exact",
        same,
        float(reference) if number else None,
        float(measured) if number else None,
        kind,
        where,
    )


def figure(width: float = 6.4, height: float = 3.8) -> Figure:
    """Make a new figure with constrained layout, no pyplot."""
    return Figure(figsize=(width, height), layout="constrained")

"""What a reproduced result is: checks against reference values of stated kind, a figure, a note.

Every check says what kind of reference it is measured against (:data:`KINDS`):

- ``"published"``: a number printed in the cited paper; ``where`` says where (table, figure,
  equation or page);
- ``"theory"``: a formula evaluated here (``where`` names it);
- ``"reference simulation"``: an independent implementation or simulation, never a paper;
- ``"sanity"``: a property that a correct formula or algebra guarantees (an identity, a bound far
  from the measurement). Sanity checks still fail the report when they fail, but they are listed
  apart and do not count as evidence that a result is reproduced.
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

    Attributes:
        quantity: what is compared, e.g. ``"overlap at α = 0.14, N = 1000"``.
        reference: the reference value as text (with its conditions where they matter).
        measured: the measurement as text.
        tolerance: the tolerance as stated, e.g. ``"± 0.05"``, ``"± 15 % (relative)"``,
            ``"≥ 0.9"``.
        passed: whether the measurement is within the tolerance.
        reference_value: the reference number, if it is one.
        measured_value: the measured number, if it is one.
        kind: one of :data:`KINDS`.
        where: for a published value, where the paper prints it; for a theory, the formula.
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
    """What a measurement returns: its checks, its figure and a short note."""

    checks: list[Check]
    figure: Figure | None
    note: str


@dataclass
class Result:
    """A result from the literature and what the library measured for it.

    Attributes:
        name: slug, e.g. ``"ags-capacity"``.
        title: one line.
        source: the paper and year.
        checks: the reference values beside their measurements.
        figure: a matplotlib figure, or None.
        note: what was measured and how, in a few sentences.
        seconds: wall time of the measurement.
        error: the traceback if the measurement raised (the result then fails).
        peak_mib: the peak resident memory of the process that ran it, in MiB, when it
            finished (a high-water mark: it includes what earlier results in that process used).
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
        return "pass" if self.passed else "fail"

    def to_dict(self) -> dict:
        """Everything but the figure, as JSON-ready values."""
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
    """A registered result: a function ``(quick, rng) -> Result`` that knows its name.

    ``measure(quick, rng)`` returns a :class:`Measured`; calling the spec wraps it in a
    :class:`Result` with this name, title and source.
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
    """The registered result ``name`` (importing the suite registers every result)."""
    from . import REGISTRY as registry

    return registry[name]


#: Every registered result by name, in the order the report lists them.
REGISTRY: dict[str, Spec] = {}


def register(name: str, title: str, source: str):
    """Decorator: register ``measure(quick, rng) -> Measured`` as the result ``name``."""

    def wrap(measure: Callable[[bool, np.random.Generator], Measured]) -> Spec:
        if name in REGISTRY:
            raise ValueError(f"name: a result called {name!r} is already registered")
        spec = Spec(name, title, source, measure)
        REGISTRY[name] = spec
        return spec

    return wrap


# -- checks ---------------------------------------------------------------------------------
def fmt(x: float, digits: int = 3) -> str:
    """A number with ``digits`` significant digits, no trailing zeros kept beyond them."""
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
    """``|measured − reference| ≤ atol`` (or ``≤ rtol·|reference|``)."""
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
    """An inequality: the measurement must be ``≥ bound``."""
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
    """An inequality: the measurement must be ``≤ bound``."""
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
    """Exact agreement (integers, booleans, arrays compared elementwise)."""
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
    """A new figure with constrained layout, no pyplot."""
    return Figure(figsize=(width, height), layout="constrained")

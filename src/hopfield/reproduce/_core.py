"""What a reproduced result is: checks against published numbers, a figure, a note."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure


@dataclass(frozen=True)
class Check:
    """One published number beside its measurement.

    Attributes:
        quantity: what is compared, e.g. ``"overlap at α = 0.14, N = 1000"``.
        published: the published value as text (with its conditions where they matter).
        measured: the measurement as text.
        tolerance: the tolerance as stated, e.g. ``"± 0.05"``, ``"± 15 % (relative)"``,
            ``"≥ 0.9"``.
        passed: whether the measurement is within the tolerance.
        published_value: the published number, if it is one.
        measured_value: the measured number, if it is one.
    """

    quantity: str
    published: str
    measured: str
    tolerance: str
    passed: bool
    published_value: float | None = None
    measured_value: float | None = None


class Measured(NamedTuple):
    """What a measurement returns: its checks, its figure and a short note."""

    checks: list[Check]
    figure: Figure | None
    note: str


@dataclass
class Result:
    """A published result and what the library measured for it.

    Attributes:
        name: slug, e.g. ``"ags-capacity"``.
        title: one line.
        source: the paper and year.
        checks: the published numbers beside their measurements.
        figure: a matplotlib figure, or None.
        note: what was measured and how, in a few sentences.
        seconds: wall time of the measurement.
        error: the traceback if the measurement raised (the result then fails).
    """

    name: str
    title: str
    source: str
    checks: list[Check] = field(default_factory=list)
    figure: Figure | None = field(default=None, repr=False)
    note: str = ""
    seconds: float = 0.0
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and bool(self.checks) and all(c.passed for c in self.checks)

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
            "error": self.error,
        }


def _check_dict(c: Check) -> dict:
    d = asdict(c)
    for key in ("published_value", "measured_value"):
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
    published: float,
    measured: float,
    *,
    atol: float | None = None,
    rtol: float | None = None,
    published_text: str | None = None,
    digits: int = 3,
) -> Check:
    """``|measured − published| ≤ atol`` (or ``≤ rtol·|published|``)."""
    if (atol is None) == (rtol is None):
        raise ValueError("tolerance: give exactly one of atol and rtol")
    allowed = atol if atol is not None else rtol * abs(published)
    if allowed == 0:
        tol = "exact"
    elif atol is not None:
        tol = f"± {fmt(atol, 2)}"
    else:
        tol = f"± {rtol * 100:g} % (relative)"
    return Check(
        quantity,
        published_text or fmt(published, digits),
        fmt(measured, digits),
        tol,
        bool(abs(measured - published) <= allowed),
        float(published),
        float(measured),
    )


def at_least(
    quantity: str, bound: float, measured: float, *, published: str, digits: int = 3
) -> Check:
    """An inequality from the paper: the measurement must be ``≥ bound``."""
    return Check(
        quantity,
        published,
        fmt(measured, digits),
        f"≥ {fmt(bound, digits)}",
        bool(measured >= bound),
        None,
        float(measured),
    )


def at_most(
    quantity: str, bound: float, measured: float, *, published: str, digits: int = 3
) -> Check:
    """An inequality from the paper: the measurement must be ``≤ bound``."""
    return Check(
        quantity,
        published,
        fmt(measured, digits),
        f"≤ {fmt(bound, digits)}",
        bool(measured <= bound),
        None,
        float(measured),
    )


def equal(quantity: str, published, measured, *, published_text: str | None = None) -> Check:
    """Exact agreement (integers, booleans, arrays compared elementwise)."""
    same = bool(np.array_equal(np.asarray(published), np.asarray(measured)))
    number = isinstance(published, int | float) and not isinstance(published, bool)
    return Check(
        quantity,
        published_text or str(published),
        str(measured),
        "exact",
        same,
        float(published) if number else None,
        float(measured) if number else None,
    )


def figure(width: float = 6.4, height: float = 3.8) -> Figure:
    """A new figure with constrained layout, no pyplot."""
    return Figure(figsize=(width, height), layout="constrained")

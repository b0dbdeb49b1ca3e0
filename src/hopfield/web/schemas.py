"""Requests the web API accepts, and the limits that bound the work of one request.

Every request is validated here before any computation: sizes (N, K, steps), values (±1 for
patterns, −1/0/+1 for cues, fractions in [0, 1], positive β and temperatures) and the
combinations that make no sense (a temperature without stochastic updates). A violation is
answered with status 422 and a message that starts with the field's name.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

__all__ = [
    "MAX_NEURONS",
    "MAX_PATTERNS",
    "MAX_STEPS",
    "MAX_LANDSCAPE_NEURONS",
    "MAX_CAPACITY_NEURONS",
    "MAX_BODY_BYTES",
    "Classical",
    "Dense",
    "Modern",
    "RecallRequest",
    "CorruptRequest",
    "PresetRequest",
    "CapacityRequest",
    "LandscapeRequest",
]

#: The most neurons of one network (a 32 × 32 grid).
MAX_NEURONS = 1024
#: The most stored patterns in one request.
MAX_PATTERNS = 256
#: The most sweeps (binary models) or updates (modern) of one recall.
MAX_STEPS = 200
#: The landscape enumerates all 2^N states: at most 2^16 = 65,536 of them.
MAX_LANDSCAPE_NEURONS = 16
#: The capacity sweep stores and recalls up to K patterns for every K: N kept small.
MAX_CAPACITY_NEURONS = 256
#: The largest request body: 256 patterns of 1,024 neurons as JSON fit in about 1.3 MB.
MAX_BODY_BYTES = 2 * 1024 * 1024
#: Storkey's rule stores pattern by pattern, K N² operations: bounded (N = 1024: K <= 32).
MAX_STORKEY_WORK = 2**25
#: Grid sides the page offers (3 and 4 make networks small enough for the landscape).
MIN_SIDE, MAX_SIDE = 3, 32
#: Letters and digits are drawn from a font and need at least 5 pixels a side.
MIN_GLYPH_SIDE = 5

Spin = StrictInt


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Classical(_Strict):
    """The classical Hopfield network, ``hf.Hopfield(rule=...)``."""

    kind: Literal["classical"]
    rule: Literal["hebbian", "storkey", "pseudoinverse"] = "hebbian"


class Dense(_Strict):
    """The dense associative memory, ``hf.DenseAssociativeMemory(F)``: F = xⁿ, max(x,0)ⁿ, e^{βx}."""

    kind: Literal["dense"]
    interaction: Literal["rectified", "polynomial", "exponential"] = "rectified"
    degree: int = Field(3, ge=2, le=30, description="n of a (rectified) polynomial")
    beta: float = Field(1.0, gt=0, le=100, description="β of the exponential")


class Modern(_Strict):
    """The modern continuous network, ``hf.ModernHopfield(beta)`` (softmax)."""

    kind: Literal["modern"]
    beta: float = Field(8.0, gt=0, le=1000)


ModelSpec = Annotated[Classical | Dense | Modern, Field(discriminator="kind")]
BinarySpec = Annotated[Classical | Dense, Field(discriminator="kind")]


def _matrix(name: str, rows: list[list[int]], values: tuple[int, ...]) -> np.ndarray:
    """Rows of equal length with entries in ``values``, as an int8 array."""
    if not rows:
        raise ValueError(f"{name}: expected at least one pattern, got none")
    n = len(rows[0])
    if not 1 <= n <= MAX_NEURONS:
        raise ValueError(f"{name}: expected 1 to {MAX_NEURONS} neurons per pattern, got {n}")
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(
                f"{name}: expected every pattern to have {n} neurons like the first, "
                f"row {i} has {len(row)}"
            )
    return _values(name, np.array(rows, dtype=np.int64), values)


def _values(name: str, arr: np.ndarray, values: tuple[int, ...]) -> np.ndarray:
    bad = ~np.isin(arr, values)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name}: expected values in {list(values)}, got {int(arr[where])} at index "
            f"{where if len(where) > 1 else where[0]}"
        )
    return arr.astype(np.int8)


class _WithPatterns(_Strict):
    patterns: list[list[Spin]] = Field(max_length=MAX_PATTERNS)

    @field_validator("patterns")
    @classmethod
    def _patterns_pm1(cls, rows: list[list[int]]) -> list[list[int]]:
        _matrix("patterns", rows, (-1, 1))
        return rows

    def pattern_array(self) -> np.ndarray:
        return np.array(self.patterns, dtype=np.int8)


class RecallRequest(_WithPatterns):
    """Store ``patterns`` in ``model`` and recall from ``cue``, recording every step."""

    cue: list[Spin] = Field(max_length=MAX_NEURONS)
    model: ModelSpec
    update: Literal["async", "sync", "stochastic"] | None = None
    temperature: float | None = Field(None, gt=0, le=1e6)
    max_steps: int = Field(50, ge=1, le=MAX_STEPS)
    seed: int = Field(0, ge=0, le=2**32 - 1)

    @field_validator("cue")
    @classmethod
    def _cue_values(cls, cue: list[int]) -> list[int]:
        _values("cue", np.array(cue, dtype=np.int64), (-1, 0, 1))
        return cue

    @model_validator(mode="after")
    def _consistent(self) -> RecallRequest:
        n = len(self.patterns[0])
        if len(self.cue) != n:
            raise ValueError(f"cue: expected {n} neurons like the patterns, got {len(self.cue)}")
        k = len(self.patterns)
        if self.model.kind == "classical" and self.model.rule == "storkey":
            if k * n * n > MAX_STORKEY_WORK:
                raise ValueError(
                    f"patterns: Storkey's rule costs K N² operations, limited to "
                    f"{MAX_STORKEY_WORK}; at N = {n} store at most {MAX_STORKEY_WORK // (n * n)} "
                    f"patterns, got {k}"
                )
        if self.model.kind == "modern":
            if self.update is not None:
                raise ValueError(
                    "update: the modern network has one update, ξ ← Xᵀ softmax(β X ξ); "
                    f"leave update out, got {self.update!r}"
                )
        elif self.update is None:
            self.update = "async"
        if self.update == "stochastic" and self.temperature is None:
            raise ValueError("temperature: update 'stochastic' needs a temperature > 0")
        if self.update != "stochastic" and self.temperature is not None:
            raise ValueError(
                f"temperature: only update 'stochastic' uses a temperature, got update "
                f"{self.update!r}"
            )
        return self

    def cue_array(self) -> np.ndarray:
        return np.array(self.cue, dtype=np.int8)


class CorruptRequest(_Strict):
    """Flip a fraction of the known pixels of ``cue``, then hide a band of ``band`` of it."""

    cue: list[Spin] = Field(min_length=1, max_length=MAX_NEURONS)
    flip: float = Field(0.0, ge=0, le=1)
    band: float = Field(0.0, ge=0, le=1)
    seed: int = Field(0, ge=0, le=2**32 - 1)

    @field_validator("cue")
    @classmethod
    def _cue_values(cls, cue: list[int]) -> list[int]:
        _values("cue", np.array(cue, dtype=np.int64), (-1, 0, 1))
        return cue


class PresetRequest(_Strict):
    """Ready-made patterns: letters or digits from the built-in font, or random ±1 patterns."""

    kind: Literal["letters", "digits", "random"]
    chars: str = Field("", max_length=MAX_PATTERNS)
    count: int = Field(1, ge=1, le=MAX_PATTERNS)
    size: int = Field(ge=MIN_SIDE, le=MAX_SIDE)
    seed: int = Field(0, ge=0, le=2**32 - 1)

    @model_validator(mode="after")
    def _consistent(self) -> PresetRequest:
        if self.kind != "random" and self.size < MIN_GLYPH_SIDE:
            raise ValueError(
                f"size: letters and digits need at least {MIN_GLYPH_SIDE} pixels a side, "
                f"got {self.size}"
            )
        allowed = {"letters": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "digits": "0123456789"}.get(self.kind)
        if allowed is not None:
            if not self.chars:
                raise ValueError(f"chars: expected some of {allowed!r}, got none")
            wrong = sorted(set(self.chars) - set(allowed))
            if wrong:
                raise ValueError(f"chars: expected characters from {allowed!r}, got {wrong}")
        return self


class CapacityRequest(_Strict):
    """Store K = 1, 2, ... ``k_max`` random patterns and recall each from a noisy cue."""

    n: int = Field(ge=4, le=MAX_CAPACITY_NEURONS)
    k_max: int = Field(ge=1, le=MAX_PATTERNS)
    model: ModelSpec
    noise: float = Field(0.1, ge=0, le=0.5)
    max_steps: int = Field(50, ge=1, le=MAX_STEPS)
    seed: int = Field(0, ge=0, le=2**32 - 1)


class LandscapeRequest(_WithPatterns):
    """Every attractor of a network of N ≤ 16 neurons with its basin (``hf.landscape.census``)."""

    model: BinarySpec
    update: Literal["async", "descent", "sync"] = "async"

    @model_validator(mode="after")
    def _small(self) -> LandscapeRequest:
        n = len(self.patterns[0])
        if n > MAX_LANDSCAPE_NEURONS:
            raise ValueError(
                f"patterns: the landscape enumerates all 2^N states and is limited to N <= "
                f"{MAX_LANDSCAPE_NEURONS} neurons (a 4 × 4 grid), got N = {n}"
            )
        return self

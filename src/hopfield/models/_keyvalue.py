"""Storage shared by the continuous single-shot memories: float keys and optional values."""

from __future__ import annotations

import numpy as np

from .. import _validation as v


class KeyValueMemory:
    """Memories (keys) ``X`` (K, N), with optional values (K, P) for hetero-association.

    ``_add`` validates and appends; the memories are copied once, as float32 unless float64
    is given (a float64 batch makes the whole store float64). Either every call gives values
    or none does. Read-only views: ``memories``, ``values``; ``n_neurons``.
    """

    def _add(self, name: str, memories, values) -> None:
        x = np.atleast_2d(v.real_array(name, memories))
        vals = None if values is None else np.atleast_2d(v.real_array("values", values))
        if vals is not None and len(vals) != len(x):
            raise ValueError(
                f"values: expected one row per memory, {len(x)} rows ({name} has shape "
                f"{x.shape}), got shape {vals.shape}"
            )
        old = getattr(self, "_x", None)
        if old is not None:
            v.width(name, x, old.shape[1])
            if (vals is None) != (self._v is None):
                had = "with" if self._v is not None else "without"
                raise ValueError(f"values: the memories stored so far came {had} values")
            if vals is not None:
                v.width("values", vals, self._v.shape[1])
        dtype = np.result_type(*(a.dtype for a in (x, vals, old) if a is not None))
        dtype = np.float64 if dtype == np.float64 else np.float32
        if old is not None:
            self._x = np.concatenate([old, x], dtype=dtype)
            self._v = None if vals is None else np.concatenate([self._v, vals], dtype=dtype)
        else:
            self._x = np.array(x, dtype=dtype, order="C")
            self._v = None if vals is None else np.array(vals, dtype=dtype, order="C")

    def _fitted(self) -> None:
        if not hasattr(self, "_x"):
            raise RuntimeError("this memory stores nothing yet: call store(memories) first")

    @property
    def memories(self) -> np.ndarray:
        self._fitted()
        return v.readonly(self._x)

    @property
    def values(self) -> np.ndarray | None:
        self._fitted()
        return None if self._v is None else v.readonly(self._v)

    @property
    def n_neurons(self) -> int:
        self._fitted()
        return self._x.shape[1]

    def _arrays(self) -> dict:
        """The arrays a saved record holds: the memories, and the values if any."""
        self._fitted()
        return {"memories": self._x} | ({} if self._v is None else {"values": self._v})

    def _restore(self, arrays):
        """Store the memories and values of a saved record, checking their shapes."""
        x, vals = arrays["memories"], arrays.get("values")
        if x.ndim != 2 or (vals is not None and (vals.ndim != 2 or len(vals) != len(x))):
            raise ValueError(
                f"inconsistent shapes: memories {x.shape}, "
                f"values {None if vals is None else vals.shape}"
            )
        return self.store(x, vals)

    def _sizes(self) -> str:
        """``, N=…, K=…[, P=…]`` for a repr, empty before anything is stored."""
        if not hasattr(self, "_x"):
            return ""
        k, n = self._x.shape
        return f", N={n}, K={k}" + ("" if self._v is None else f", P={self._v.shape[1]}")

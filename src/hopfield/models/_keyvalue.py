"""Storage shared by the continuous single-shot memories: float keys and optional values."""

from __future__ import annotations

import numpy as np

from .. import _backend
from .. import _validation as v
from ..contract import Memory


def as_rows(a):
    """Return a 1-D array as one row (a view, in its own library), a 2-D one as it is."""
    return a[None, :] if a.ndim == 1 else a


def _kept(a, dtype) -> bool:
    """Tell whether ``a`` (or None) can be stored as it is: C-contiguous, of the store's dtype."""
    if a is None:
        return True
    if _backend.is_tensor(a):
        return a.dtype == dtype and a.is_contiguous()
    return a.dtype == dtype and a.flags.c_contiguous


class KeyValueMemory(Memory):
    """Memories (keys) ``X`` (K, N), with optional values (K, P) for hetero-association.

    The storage shared by :class:`hopfield.ModernHopfield` and
    :class:`hopfield.UniversalMemory`. ``_add`` validates and appends; the memories are copied
    once, as float32 unless float64 is given (a float64 batch makes the whole store float64).
    Either every call gives values or none does. PyTorch tensors are stored as tensors on
    their device (float64, float32, float16 and bfloat16 kept, other dtypes as float32), with
    their autograd graph; a store holds arrays of one library only.

    Attributes
    ----------
    patterns : ndarray or torch.Tensor of shape (K, N)
        The stored memories (keys), read-only. ``memories`` is its deprecated old name.
    values : ndarray or torch.Tensor of shape (K, P) or None
        The stored values, read-only.
    n_neurons : int
        N, the width of a memory.
    """

    def _add(self, name: str, memories, values, *, copy: bool = True) -> None:
        """Validate memories and values and append them to the store.

        Parameters
        ----------
        name : str
            The argument's name in error messages.
        memories : array_like or torch.Tensor of shape (K, N) or (N,)
            The memories to add.
        values : array_like or torch.Tensor of shape (K, P) or (P,) or None
            Their values, one row per memory.
        copy : bool, default True
            ``False`` keeps the caller's arrays without a copy where ``_kept`` allows
            (first store only).

        Raises
        ------
        ValueError
            When the values have not one row per memory, the widths differ from the store,
            or values are given in some calls and not in others.
        TypeError
            When NumPy arrays and tensors are mixed.
        """
        x = as_rows(v.real_array(name, memories))
        vals = None if values is None else as_rows(v.real_array("values", values))
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
        if any(_backend.is_tensor(a) for a in (x, vals, old)):
            self._add_tensors(name, x, vals, old, copy=copy)
            return
        dtype = np.result_type(*(a.dtype for a in (x, vals, old) if a is not None))
        dtype = np.float64 if dtype == np.float64 else np.float32
        if not copy and old is None and all(_kept(a, dtype) for a in (x, vals)):
            # Kept without a copy (store(copy=False)): read-only views of the caller's arrays.
            self._x = v.readonly(x)
            self._v = None if vals is None else v.readonly(vals)
            return
        if old is not None:
            self._x = np.concatenate([old, x], dtype=dtype)
            self._v = None if vals is None else np.concatenate([self._v, vals], dtype=dtype)
        else:
            self._x = np.array(x, dtype=dtype, order="C")
            self._v = None if vals is None else np.array(vals, dtype=dtype, order="C")

    def _add_tensors(self, name: str, x, vals, old, *, copy: bool = True) -> None:
        """Add to the tensor store: memories stay on their device, in their graph (no detach).

        Raises
        ------
        TypeError
            When some of the arrays are NumPy arrays.
        ValueError
            When the tensors lie on different devices.
        """
        import torch

        arrays = [a for a in (x, vals, old) if a is not None]
        if not all(_backend.is_tensor(a) for a in arrays):
            given = "tensors" if _backend.is_tensor(x) else "NumPy arrays"
            had = "tensors" if _backend.is_tensor(old) else "NumPy arrays"
            raise TypeError(
                f"{name}: every array of one memory lives in one library, got {given} for "
                f"{name} while the memories (and values) stored so far are {had}; convert with "
                "torch.as_tensor(a) or t.detach().cpu().numpy()"
            )
        devices = {a.device for a in arrays}
        if len(devices) > 1:
            raise ValueError(
                f"{name}: expected every tensor on one device, got {sorted(map(str, devices))}; "
                "move them with .to(device)"
            )
        floats = [_backend.float_dtype(a) for a in arrays]
        dtype = floats[0]
        for f in floats[1:]:
            dtype = torch.promote_types(dtype, f)
        # clone/cat copy the caller's data once and keep its autograd graph: a memory stored
        # with requires_grad receives gradients through every later retrieval.
        if not copy and old is None and all(_kept(a, dtype) for a in (x, vals)):
            self._x, self._v = x, vals  # store(copy=False): kept as given, graph included
            return
        if old is not None:
            self._x = torch.cat([old.to(dtype), x.to(dtype)])
            self._v = None if vals is None else torch.cat([self._v.to(dtype), vals.to(dtype)])
        else:
            self._x = x.to(dtype).clone()
            self._v = None if vals is None else vals.to(dtype).clone()

    def _same_library(self, name: str, arr) -> None:
        """Check that ``arr`` is in the store's library (and on its device, for tensors).

        Raises
        ------
        TypeError
            When ``arr`` is a tensor and the store NumPy, or the other way round.
        ValueError
            When ``arr`` is a tensor on another device.
        """
        stored = _backend.is_tensor(self._x)
        if stored and not _backend.is_tensor(arr):
            raise TypeError(
                f"{name}: the memories are torch tensors on {self._x.device}, got "
                f"{type(arr).__name__}; give a tensor too (torch.as_tensor({name}, "
                f"device={str(self._x.device)!r}))"
            )
        if not stored and _backend.is_tensor(arr):
            raise TypeError(
                f"{name}: got a torch tensor, but the memories are NumPy arrays; store tensors "
                f"to recall on tensors (store(torch.as_tensor(memories))), or give "
                f"{name}.detach().cpu().numpy()"
            )
        if stored and arr.device != self._x.device:
            raise ValueError(
                f"{name}: expected a tensor on {self._x.device} (where the memories are), got "
                f"{arr.device}; move it with .to({str(self._x.device)!r})"
            )

    @staticmethod
    def _numpy_mask(name: str, mask) -> None:
        """Refuse a tensor mask for NumPy memories (no silent conversion).

        Raises
        ------
        TypeError
            When ``mask`` is a tensor.
        """
        if _backend.is_tensor(mask):
            raise TypeError(
                f"{name}: got a torch tensor, but the memories are NumPy arrays; give a NumPy "
                f"boolean array ({name}.cpu().numpy()), or store tensors"
            )

    def _fitted(self) -> None:
        """Raise ``RuntimeError`` when nothing is stored yet."""
        if not hasattr(self, "_x"):
            raise RuntimeError("this memory stores nothing yet: call store(patterns) first")

    @property
    def patterns(self) -> np.ndarray:
        """The (K, N) stored memories (keys), read-only."""
        self._fitted()
        return v.readonly(self._x)

    memories = v.renamed_property("patterns", "memories")

    @property
    def values(self) -> np.ndarray | None:
        """The (K, P) values stored for hetero-association, read-only, or None."""
        self._fitted()
        return None if self._v is None else v.readonly(self._v)

    @property
    def n_neurons(self) -> int:
        """N, the number of components of a memory."""
        self._fitted()
        return self._x.shape[1]

    def _arrays(self) -> dict:
        """Return the arrays a saved record holds: the memories, and the values if any.

        NumPy arrays: a tensor store is saved from a host copy and loads as a NumPy store.
        """
        self._fitted()
        out = {"memories": _backend.to_numpy(self._x)}
        return out | ({} if self._v is None else {"values": _backend.to_numpy(self._v)})

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
        """Return ``, N=…, K=…[, P=…]`` for a repr, empty before anything is stored."""
        if not hasattr(self, "_x"):
            return ""
        k, n = self._x.shape
        return f", N={n}, K={k}" + ("" if self._v is None else f", P={self._v.shape[1]}")

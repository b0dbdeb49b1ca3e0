"""The array seam: which array library a caller uses, on which device, and the way back to NumPy.

Every model validates at its boundary (:mod:`hopfield._validation`) and gets back arrays in the
caller's own library, device and dtype: NumPy in gives NumPy out, a PyTorch tensor in gives a
tensor out, on the same device, differentiable where the mathematics is. Code that runs in the
caller's namespace asks :func:`namespace` for it and writes ``xp.matmul``, ``xp.exp`` and so on
against the array API standard (the namespaces come from ``array-api-compat``, as in
scikit-learn's ``get_namespace``); NumPy paths that are tuned with NumPy-only tools stay NumPy.

Randomness: one ``numpy.random.Generator`` (the ``rng`` argument) drives both libraries. The
few random draws of a tensor path (update orders, tie-breaks of unknown bits) are made on the
host and moved to the device with :func:`as_like`, so the same seed gives the same results on
NumPy and on PyTorch, on any device.

PyTorch is optional: nothing here imports it. A tensor is recognised only when ``torch`` has
already been imported by the caller (it must have been, to make one).

Examples
--------
>>> import numpy as np
>>> from hopfield import _backend as backend
>>> backend.is_numpy(backend.namespace(np.zeros(3)))
True
>>> backend.to_numpy([1, 2]).tolist()
[1, 2]
"""

from __future__ import annotations

import sys
from types import ModuleType

import numpy as np

__all__ = [
    "is_tensor",
    "is_numpy",
    "namespace",
    "device",
    "to_numpy",
    "as_like",
    "float_dtype",
    "float64",
    "refuse_tensors",
]


def is_tensor(x) -> bool:
    """Return whether ``x`` is a PyTorch tensor (without importing torch).

    Parameters
    ----------
    x : object
        Anything.

    Returns
    -------
    bool
        True for a ``torch.Tensor`` (only possible once the caller has imported torch).
    """
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


def namespace(*arrays) -> ModuleType:
    """Return the array-API namespace of ``arrays``: ``array_api_compat.numpy`` or ``.torch``.

    ``None``, Python scalars, lists and NumPy arrays count as NumPy.

    Parameters
    ----------
    *arrays : array_like, torch.Tensor or None
        The caller's arrays.

    Returns
    -------
    module
        The namespace.

    Raises
    ------
    TypeError
        When tensors and NumPy arrays are mixed: results would otherwise land in one of the
        two libraries by accident.
    """
    import array_api_compat

    tensors = [a for a in arrays if is_tensor(a)]
    if not tensors:
        return array_api_compat.array_namespace(np.empty(0))
    others = [
        type(a).__name__
        for a in arrays
        if a is not None and not is_tensor(a) and isinstance(a, np.ndarray)
    ]
    if others:
        raise TypeError(
            "arrays: got PyTorch tensors mixed with NumPy arrays; give every array in one "
            "library (torch.as_tensor(a) or t.cpu().numpy())"
        )
    return array_api_compat.array_namespace(*tensors)


def is_numpy(xp: ModuleType) -> bool:
    """Return whether ``xp`` is NumPy's namespace (plain or wrapped by array-api-compat).

    Parameters
    ----------
    xp : module
        An array namespace.

    Returns
    -------
    bool
        True for NumPy.
    """
    import array_api_compat

    return xp is np or array_api_compat.is_numpy_namespace(xp)


def device(x):
    """Return the device of an array.

    Parameters
    ----------
    x : array_like or torch.Tensor
        The array.

    Returns
    -------
    str or torch.device
        ``"cpu"`` for NumPy, the tensor's device for a tensor.
    """
    if is_tensor(x):
        return x.device
    return "cpu"


def to_numpy(x) -> np.ndarray:
    """Return a NumPy array holding ``x``: tensors are detached and brought to the host.

    Parameters
    ----------
    x : array_like or torch.Tensor
        The array.

    Returns
    -------
    ndarray
        The values (no copy for a NumPy array).
    """
    if is_tensor(x):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def as_like(value, like, *, dtype=None):
    """Return ``value`` as an array of ``like``'s library and device (and ``dtype`` if given).

    Parameters
    ----------
    value : array_like or torch.Tensor
        The values.
    like : array_like or torch.Tensor
        The array whose library and device to use.
    dtype : dtype, optional
        The dtype; None keeps ``value``'s.

    Returns
    -------
    ndarray or torch.Tensor
        NumPy ``like``: a NumPy array. Tensor ``like``: a tensor on ``like.device``; a tensor
        ``value`` already there in the right dtype is returned as it is, with its autograd
        graph.
    """
    if not is_tensor(like):
        return np.asarray(to_numpy(value), dtype=dtype)
    import torch

    if is_tensor(value):
        return value.to(device=like.device, dtype=dtype or value.dtype)
    return torch.as_tensor(np.asarray(value), device=like.device, dtype=dtype)


def float64(a):
    """Return ``a`` as float64 in its own library: a tensor stays a tensor on its device.

    Parameters
    ----------
    a : array_like or torch.Tensor
        The array.

    Returns
    -------
    ndarray or torch.Tensor
        The float64 array (no copy when it already is one).
    """
    if is_tensor(a):
        import torch

        return a.to(torch.float64)
    return np.asarray(a, dtype=np.float64)


def float_dtype(x, *, default=None):
    """Return the floating dtype a continuous model computes in for ``x``.

    float64 and float32 are kept, as are float16 and bfloat16 tensors (low precision is the
    caller's choice on an accelerator); integers and anything else become float32
    (``default``).

    Parameters
    ----------
    x : array_like or torch.Tensor
        The caller's data.
    default : dtype, optional
        The dtype for everything that is not kept; None for float32.

    Returns
    -------
    numpy.dtype or torch.dtype
        The dtype, in ``x``'s library.
    """
    if is_tensor(x):
        import torch

        if x.dtype in (torch.float64, torch.float32, torch.float16, torch.bfloat16):
            return x.dtype
        return default or torch.float32
    kind = np.asarray(x).dtype if not isinstance(x, np.ndarray) else x.dtype
    if kind in (np.float64, np.float32):
        return kind
    return default or np.dtype(np.float32)


def refuse_tensors(name: str, value, what: str, fix: str) -> None:
    """Raise a ``TypeError`` when ``value`` is a tensor: ``what`` runs on NumPy only.

    Used by the paths that are compiled CPU kernels (asynchronous and stochastic updates) or
    SciPy code, so that a tensor is never turned into a NumPy array silently.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : object
        The argument.
    what : str
        The computation that needs NumPy.
    fix : str
        What the caller can do instead.

    Raises
    ------
    TypeError
        When ``value`` is a torch tensor.
    """
    if is_tensor(value):
        raise TypeError(
            f"{name}: {what} runs on NumPy arrays only (compiled CPU code), got a torch tensor "
            f"on {value.device}; {fix}"
        )

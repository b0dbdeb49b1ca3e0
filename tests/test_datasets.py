"""Tests for the built-in font-rendered pattern sets."""

import itertools

import numpy as np
import pytest

from hopfield.datasets import INK_THRESHOLD, digits, glyphs, letters

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _ink(pattern: np.ndarray) -> int:
    return int((pattern == 1).sum())


@pytest.mark.parametrize("size", [5, 8, 12, 32])
def test_letters_shape_dtype_values(size):
    p = letters(size=size)
    assert p.shape == (26, size, size)
    assert p.dtype == np.int8
    assert set(np.unique(p).tolist()) == {-1, 1}


@pytest.mark.parametrize("size", [5, 8, 12, 32])
def test_every_glyph_has_ink_and_background(size):
    for p in np.concatenate([letters(size=size), digits(size=size)]):
        assert 0 < _ink(p) < size * size


@pytest.mark.parametrize("size", [8, 12, 16])
def test_one_pixel_margin_is_background(size):
    p = glyphs(ALPHABET + "0123456789", size)
    assert np.all(p[:, 0, :] == -1) and np.all(p[:, -1, :] == -1)
    assert np.all(p[:, :, 0] == -1) and np.all(p[:, :, -1] == -1)


@pytest.mark.parametrize("size", [8, 12, 16])
def test_larger_side_fills_the_inner_square(size):
    for p in glyphs(ALPHABET + "0123456789", size):
        rows = np.flatnonzero((p == 1).any(axis=1))
        cols = np.flatnonzero((p == 1).any(axis=0))
        extent = max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1
        # Area averaging may drop a faint edge row, never more.
        assert extent >= size - 3


@pytest.mark.parametrize("size", [8, 12])
def test_letters_pairwise_distinct(size):
    p = letters(size=size)
    for i, j in itertools.combinations(range(26), 2):
        assert not np.array_equal(p[i], p[j]), (ALPHABET[i], ALPHABET[j])


@pytest.mark.parametrize("size", [8, 12])
def test_digits_shape_and_distinct(size):
    d = digits(size=size)
    assert d.shape == (10, size, size)
    assert d.dtype == np.int8
    assert len({x.tobytes() for x in d}) == 10


def test_defaults_and_consistency_between_functions():
    assert np.array_equal(letters(), glyphs(ALPHABET, 12))
    assert np.array_equal(digits(), glyphs("0123456789", 12))
    assert np.array_equal(letters("Q", 9)[0], letters(size=9)[ALPHABET.index("Q")])


def test_deterministic_across_calls():
    a = letters(size=10)
    b = letters(size=10)
    assert a is not b
    assert np.array_equal(a, b)


def test_mutating_result_does_not_leak_into_cache():
    a = letters("AB", 12)
    expected = a.copy()
    a[:] = 1
    assert np.array_equal(letters("AB", 12), expected)
    assert letters("AB", 12).flags.writeable


def test_ink_counts_are_plausible():
    p = dict(zip(ALPHABET, letters(size=12), strict=True))
    assert _ink(p["I"]) < _ink(p["W"])
    assert _ink(p["I"]) < _ink(p["M"])


@pytest.mark.parametrize("size", [12, 16, 24])
def test_letter_o_is_left_right_symmetric(size):
    o = letters("O", size)[0] == 1
    cols = o.sum(axis=0)
    assert np.abs(cols - cols[::-1]).sum() <= 0.15 * cols.sum()
    # A ring: the centre is background, both sides carry ink.
    assert not o[size // 2, size // 2]
    assert cols[: size // 2].sum() > 0 and cols[size // 2 :].sum() > 0


def test_other_printable_characters():
    p = glyphs("+x?é", 9)
    assert p.shape == (4, 9, 9)
    assert 0 < INK_THRESHOLD < 1


@pytest.mark.parametrize(
    ("chars", "exc", "match"),
    [
        (123, TypeError, "chars"),
        (["A"], TypeError, "chars"),
        ("", ValueError, "chars"),
        ("A B", ValueError, r"chars.*' '"),
        ("A\tB", ValueError, r"chars.*'\\t'"),
        ("A\n", ValueError, r"chars.*'\\n'"),
        ("\x00", ValueError, "chars"),
        ("\u4e2d", ValueError, "chars"),
        ("\u2800", ValueError, "chars"),
    ],
)
def test_bad_chars(chars, exc, match):
    with pytest.raises(exc, match=match):
        glyphs(chars, 12)


@pytest.mark.parametrize("size", [4, 0, -3, 257, 1000])
def test_size_out_of_range(size):
    with pytest.raises(ValueError, match=rf"size.*{size}"):
        letters(size=size)
    with pytest.raises(ValueError, match=rf"size.*{size}"):
        digits(size=size)


@pytest.mark.parametrize("size", [12.0, "12", None, True])
def test_size_wrong_type(size):
    with pytest.raises(TypeError, match="size"):
        glyphs("A", size)


def test_numpy_integer_size_accepted():
    assert np.array_equal(glyphs("A", np.int64(12)), glyphs("A", 12))

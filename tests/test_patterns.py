import numpy as np
import pytest

import hopfield as hf


def test_random_is_unbiased_pm1_int8():
    x = hf.patterns.random(200, 500, rng=0)
    assert x.shape == (200, 500) and x.dtype == np.int8
    assert set(np.unique(x)) == {-1, 1}
    assert abs(x.mean()) < 0.01
    assert np.array_equal(x, hf.patterns.random(200, 500, rng=0))


def test_biased_fraction_of_plus_ones():
    x = hf.patterns.biased(100, 1000, 0.2, rng=3)
    assert abs((x == 1).mean() - 0.2) < 0.01


def test_correlated_overlaps_with_parent_and_each_other():
    parent = hf.patterns.random(1, 2000, rng=1)[0]
    x = hf.patterns.correlated(40, 2000, 0.5, rng=2, parent=parent)
    assert abs(hf.overlap(x, parent).mean() - 0.5) < 0.02
    m = hf.overlap(x, x)[~np.eye(40, dtype=bool)]
    assert abs(m.mean() - 0.25) < 0.02


def test_flip_flips_exactly_round_fraction_per_row():
    x = hf.patterns.random(50, 101, rng=0)
    y = hf.patterns.flip(x, 0.15, rng=1)
    assert np.all((x != y).sum(axis=1) == round(0.15 * 101))
    assert np.array_equal(hf.patterns.flip(x, 0.0, rng=1), x)
    assert np.array_equal(hf.patterns.flip(x, 1.0, rng=1), -x)
    assert hf.patterns.flip(x[0], 0.1, rng=1).shape == (101,)


def test_flip_does_not_modify_its_input():
    x = hf.patterns.random(5, 50, rng=0)
    before = x.copy()
    hf.patterns.flip(x, 0.5, rng=1)
    assert np.array_equal(x, before)


def test_mask_hides_bits_scattered_or_as_a_band():
    x = hf.patterns.random(20, 100, rng=0)
    m = hf.patterns.mask(x, 0.3, rng=1)
    assert np.all((m == 0).sum(axis=1) == 30)
    assert np.array_equal(m[m != 0], x[m != 0])
    band = hf.patterns.mask(x, 0.3, rng=1, contiguous=True)
    for row in band:
        hidden = np.flatnonzero(row == 0)
        assert len(hidden) == 30 and np.all(np.diff(hidden) == 1)


def test_binarize_and_to_images_round_trip():
    img = np.array([[0.1, 0.9, 0.8], [0.2, 0.7, 0.0]])
    b = hf.patterns.binarize(img)
    assert b.dtype == np.int8 and b.shape == (2, 3)
    assert np.array_equal(b, [[-1, 1, 1], [-1, 1, -1]])
    stack = np.stack([img, 1 - img])
    flat = hf.patterns.binarize(stack).reshape(2, -1)
    assert np.array_equal(hf.patterns.to_images(flat, (2, 3))[0], b)
    assert np.array_equal(hf.patterns.binarize(img, threshold=0.75), [[-1, 1, 1], [-1, -1, -1]])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: hf.patterns.random(0, 10), "k"),
        (lambda: hf.patterns.random(3, -1), "n"),
        (lambda: hf.patterns.random(3, 2.5), "n"),
        (lambda: hf.patterns.biased(3, 4, 1.5), "p"),
        (lambda: hf.patterns.flip([1, -1, 2], 0.1), "x"),
        (lambda: hf.patterns.flip([1, -1, 1], 1.2), "fraction"),
        (lambda: hf.patterns.flip([1.0, np.nan], 0.1), "x"),
        (lambda: hf.patterns.mask(np.ones((0, 3)), 0.1), "x"),
        (lambda: hf.patterns.correlated(3, 4, 0.5, parent=[1, 1, 1]), "parent"),
        (lambda: hf.patterns.to_images([1, -1, 1], (2, 2)), "states"),
        (lambda: hf.patterns.random(3, 4, rng="seed"), "rng"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()

"""hopfield.encoders: round trips, decorrelation (theory), completion through a network."""

from __future__ import annotations

import string

import numpy as np
import pytest

import hopfield as hf
from hopfield.encoders import RecordEncoder, TextEncoder, VectorEncoder

LOWER = string.ascii_lowercase


def test_text_round_trip_and_shapes():
    enc = TextEncoder(12, rng=3)
    texts = ["Hello, world", "a", "", "x y z", "~!@#$%^&*()"]
    states = enc.encode(texts)
    assert states.shape == (5, enc.n) and states.dtype == np.int8
    assert set(np.unique(states)) == {-1, 1}
    assert enc.decode(states) == texts
    assert enc.decode(enc.encode("one")) == "one"
    assert enc.encode("one").shape == (enc.n,)


def test_text_decoding_corrects_a_few_wrong_bits_per_character():
    enc = TextEncoder(10, alphabet=LOWER, bits=32, rng=0)
    s = enc.encode("associator").copy()
    # Three wrong bits in every 32-bit codeword: the nearest codeword is still the right one
    # unless another codeword lies within 6 bits of it (rare; the seed is fixed).
    for pos in range(10):
        s[pos * 32 : pos * 32 + 3] *= -1
    assert enc.decode(s) == "associator"


def test_text_unknown_characters_are_zero_bits():
    enc = TextEncoder(6, alphabet=LOWER, bits=8, rng=0)
    s = enc.encode("ca?", unknown="?")
    # "ca?" + end mark, repeated: positions 2 and 6 - 4 = ... every copy of "?" is unknown.
    assert (s.reshape(6, 8)[2] == 0).all()
    assert (s.reshape(6, 8)[[0, 1, 3, 4, 5]] != 0).all()
    with pytest.raises(ValueError, match="unknown: expected one character outside"):
        enc.encode("ab", unknown="a")


def test_codebook_makes_unrelated_strings_nearly_orthogonal():
    # Strings that differ at every position: each of the L·bits products of bits is an
    # independent ±1 (different random codewords), so the overlap has mean 0 and standard
    # deviation 1/√N (theory). ASCII bits of the same strings overlap strongly: lowercase
    # letters share the prefix 011.
    gen = np.random.default_rng(0)
    length, count = 16, 40
    words = []
    for _ in range(count):
        words.append("".join(gen.choice(list(LOWER), size=length)))
    enc = TextEncoder(length, alphabet=LOWER, bits=16, rng=1)
    codes = enc.encode(words)
    m = hf.overlap(codes, codes)
    off = m[~np.eye(count, dtype=bool)]
    # Random words agree at 1/26 of positions on average: mean overlap ≈ 1/26 ± noise.
    assert abs(off.mean() - 1 / 26) < 4 / np.sqrt(enc.n * count)
    ascii_bits = np.unpackbits(np.array([list(w.encode()) for w in words], np.uint8), axis=1)
    plain = np.where(ascii_bits > 0, 1, -1).astype(np.int8)
    plain_off = hf.overlap(plain, plain)[~np.eye(count, dtype=bool)]
    # Reference: the ASCII overlap of two letters drawn uniformly, averaged over all pairs.
    letters = np.where(np.unpackbits(np.frombuffer(LOWER.encode(), np.uint8)[:, None], axis=1)
                       > 0, 1, -1)
    expected = float((letters @ letters.T).mean() / 8)
    assert expected > 0.3
    assert abs(plain_off.mean() - expected) < 0.05
    assert plain_off.mean() > 5 * off.mean()


def test_text_memory_completes_words_with_storkey_where_ascii_fails():
    words = ["memory", "energy", "neuron", "pattern", "recall", "storkey", "hebbian",
             "attractor", "spin", "glass"]
    cues = ["mem??y", "?nerg?", "ne?ro?", "pat??rn", "r?ca?l", "st?rk?y", "heb??an",
            "attr?c?or", "s?i?", "gl?s?"]
    enc = TextEncoder(10, alphabet=LOWER, bits=8, rng=0)
    net = hf.Hopfield(rule="storkey").store(enc.encode(words))
    recalled = enc.decode(net.recall(enc.encode(cues, unknown="?"), rng=1).states)
    assert sum(r == w for r, w in zip(recalled, words, strict=True)) >= 8
    # The stored words are fixed points (Storkey at K/N = 0.125 < its capacity).
    assert hf.is_fixed_point(net, enc.encode(words)).all()


def test_text_errors_name_the_argument():
    enc = TextEncoder(4, alphabet=LOWER, rng=0)
    with pytest.raises(ValueError, match="more than length=4"):
        enc.encode("abcde")
    with pytest.raises(ValueError, match="not in the alphabet"):
        enc.encode("AB")
    with pytest.raises(TypeError, match="texts"):
        enc.encode(3)
    with pytest.raises(ValueError, match="states: expected 64 neurons"):
        enc.decode(np.ones(10))
    with pytest.raises(ValueError, match="alphabet: expected distinct"):
        TextEncoder(4, alphabet="aab")
    with pytest.raises(ValueError, match="length"):
        TextEncoder(0)


def test_codewords_are_distinct_even_with_few_bits():
    enc = TextEncoder(1, alphabet=LOWER, bits=5, rng=0)  # 27 codewords of 32 possible
    assert enc.decode(enc.encode(list(LOWER))) == list(LOWER)
    with pytest.raises(ValueError, match="need more than 4 bits"):
        TextEncoder(1, alphabet=LOWER, bits=4)


def test_records_round_trip_and_completion():
    fields = {"colour": ["red", "green", "blue"], "size": ["S", "M", "L", "XL"],
              "shape": ["round", "square"]}
    enc = RecordEncoder(fields, bits=48, rng=0)
    records = [{"colour": "red", "size": "S", "shape": "round"},
               {"colour": "green", "size": "XL", "shape": "square"},
               {"colour": "blue", "size": "M", "shape": "round"}]
    states = enc.encode(records)
    assert states.shape == (3, 3 * 48)
    assert enc.decode(states) == records
    cue = enc.encode({"size": "XL"})  # colour and shape unknown
    assert (cue[:48] == 0).all() and (cue[96:] == 0).all()
    net = hf.Hopfield(rule="pseudoinverse").store(states)
    assert enc.decode(net.recall(cue, rng=0).states) == records[1]
    with pytest.raises(ValueError, match="unknown fields"):
        enc.encode({"weight": 3})
    with pytest.raises(ValueError, match="colour='pink' is not one of"):
        enc.encode({"colour": "pink"})
    with pytest.raises(ValueError, match=r"fields\['x'\]: expected distinct"):
        RecordEncoder({"x": ["a", "a"]})


def test_vectors_keep_angles_as_hamming_distances():
    # Charikar (2002): Pr[bit differs] = θ/π for vectors at angle θ (theory).
    enc = VectorEncoder(8, bits=20000, rng=0)
    gen = np.random.default_rng(1)
    x, y = gen.standard_normal((2, 8))
    theta = np.arccos(x @ y / np.linalg.norm(x) / np.linalg.norm(y))
    differ = float(np.mean(enc.encode(x) != enc.encode(y)))
    p = theta / np.pi
    assert abs(differ - p) < 4 * np.sqrt(p * (1 - p) / enc.bits)
    # Lengths are lost: a scaled vector has the same code.
    assert (enc.encode(3.0 * x) == enc.encode(x)).all()


def test_vector_decoding_returns_the_direction():
    enc = VectorEncoder(4, bits=4000, rng=0)
    x = np.array([[1.0, -2.0, 0.5, 0.0], [0.0, 0.0, 0.0, 2.0]])
    back = enc.decode(enc.encode(x))
    assert back.shape == (2, 4)
    np.testing.assert_allclose(np.linalg.norm(back, axis=1), 1.0)
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    # E[Rᵀ sign(Rx)] ∝ x; the per-coordinate noise is ~ 1/√bits of the signal: cos > 0.95.
    assert (np.sum(back * unit, axis=1) > 0.95).all()
    with pytest.raises(ValueError, match="x: expected 4 neurons"):
        enc.encode(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        enc.encode([np.nan, 0, 0, 0])


def test_inputs_are_not_modified():
    enc = VectorEncoder(3, bits=16, rng=0)
    x = np.array([1.0, 2.0, 3.0])
    enc.encode(x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    states = enc.encode(x)
    before = states.copy()
    enc.decode(states)
    np.testing.assert_array_equal(states, before)

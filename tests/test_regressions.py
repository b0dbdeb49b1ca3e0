"""Regression tests for the defects a fuzzing run found (issue 13, section 3), one block each.

They live apart from the per-model test files so that the models can change underneath them
(the PyTorch seam) without merge conflicts; each test names the defect it guards.
"""

import numpy as np
import pytest

import hopfield as hf


# -- 1. models keep no reference to the caller's int8 array ---------------------------------
def _edit_and_compare(model, arrays, pick):
    """Store ``arrays``, then overwrite the caller's arrays: the model must not change."""
    before = [np.array(a, copy=True) for a in pick(model)]
    for a in arrays:
        a *= -1
    after = pick(model)
    for b, a in zip(before, after, strict=True):
        np.testing.assert_array_equal(b, a)


def test_defect_1_bam_sequence_and_sparse_copy_int8_input(tmp_path):
    rng = np.random.default_rng(1)
    x = hf.patterns.random(3, 12, rng=rng)
    y = hf.patterns.random(3, 8, rng=rng)
    bam = hf.BidirectionalMemory().store(x, y)
    w = bam.weights.copy()
    _edit_and_compare(bam, [x, y], lambda m: [m.weights])
    np.testing.assert_array_equal(bam.weights, w)
    np.testing.assert_array_equal(hf.load(hf.save(bam, tmp_path / "bam")).weights, w)

    seq = hf.patterns.random(5, 20, rng=rng)
    mem = hf.SequenceMemory().store(seq)
    _edit_and_compare(mem, [seq], lambda m: list(m.sequences))
    np.testing.assert_array_equal(mem.sequences[0], -seq)

    sparse = (rng.random((4, 30)) < 0.2).astype(np.int8)
    keep = sparse.copy()
    net = hf.SparseHopfield(a=0.2).store(sparse)
    sparse[:] = 1 - sparse
    np.testing.assert_array_equal(net.patterns, keep)
    np.testing.assert_array_equal(hf.load(hf.save(net, tmp_path / "sparse")).patterns, keep)

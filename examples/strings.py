"""
Storing words
=============

Store words in a Hopfield network and recall them from cues with missing letters.

Naive ASCII bits (8 per character) make all lowercase words strongly correlated (every letter
starts with the bits 011), and the network falls into spurious states; the random codebook of
``hopfield.encoders.TextEncoder`` makes unrelated words nearly orthogonal, with the same number
of neurons. Run: ``python examples/strings.py``.
"""

# %%
# Two encodings of words as ±1 vectors
# ------------------------------------
# The naive one writes the 8 ASCII bits of each character (padded with spaces to 10
# characters); ``TextEncoder`` gives each letter a random ±1 code word of the same width.

import matplotlib.pyplot as plt
import numpy as np

import hopfield as hf
from hopfield.encoders import TextEncoder

WORDS = [
    "memory", "energy", "neuron", "pattern", "recall", "storkey", "hebbian", "attractor",
    "spin", "glass",
]
LENGTH = 10
ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def ascii_bits(words: list[str]) -> np.ndarray:
    """The naive encoding: 8 bits per character, 0 → -1, padded with spaces."""
    raw = np.array([list(w.ljust(LENGTH).encode("ascii")) for w in words], dtype=np.uint8)
    return np.where(np.unpackbits(raw, axis=1) > 0, 1, -1).astype(np.int8)


def from_ascii_bits(states: np.ndarray) -> list[str]:
    raw = np.packbits(states > 0, axis=1)
    return [bytes(row).decode("ascii", errors="replace").rstrip() for row in raw]


def hide(words: list[str], count: int, gen: np.random.Generator) -> list[list[int]]:
    """Positions of ``count`` letters to hide in each word."""
    return [sorted(gen.choice(len(w), size=count, replace=False)) for w in words]


def mean_overlap(x: np.ndarray) -> float:
    m = hf.overlap(x, x)
    return float(np.abs(m[~np.eye(len(x), dtype=bool)]).mean())


# %%
# Cues with two letters hidden
# ----------------------------
# Two letters of every word are hidden: their bits are set to 0 (unknown) in the ASCII cue,
# and written as ``?`` for the encoder, which codes an unknown letter as zeros too.

gen = np.random.default_rng(0)
hidden = hide(WORDS, 2, gen)
cue_text = [
    "".join("?" if i in h else c for i, c in enumerate(w))
    for w, h in zip(WORDS, hidden, strict=True)
]

# Naive: ASCII bits, the hidden letters' 8 bits set to 0 (unknown).
plain = ascii_bits(WORDS)
plain_cues = plain.copy()
for row, positions in enumerate(hidden):
    for i in positions:
        plain_cues[row, 8 * i : 8 * i + 8] = 0

# Encoded: the same number of neurons (8 per character), a random codebook.
enc = TextEncoder(LENGTH, alphabet=ALPHABET, bits=8, rng=0)
coded, coded_cues = enc.encode(WORDS), enc.encode(cue_text, unknown="?")
# Twice the bits per character: the load K/N halves, within Hebb's capacity.
wide = TextEncoder(LENGTH, alphabet=ALPHABET, bits=16, rng=0)

print(f"{len(WORDS)} words of up to {LENGTH} letters, N = {plain.shape[1]} neurons each way")
print(f"mean |overlap| between stored words: ASCII {mean_overlap(plain):.2f}, "
      f"codebook {mean_overlap(coded):.2f}")
print(f"cues: two letters hidden, e.g. {cue_text[0]!r}, {cue_text[1]!r}\n")

# %%
# Recall with Hebb's and Storkey's rules
# --------------------------------------
# Each network stores the ten words and completes the ten cues; a word counts as recalled
# when the decoded state equals it.

recalled = {}
for rule in ("hebbian", "storkey"):
    for name, stored, cues, decode in (
        ("ASCII bits", plain, plain_cues, from_ascii_bits),
        ("TextEncoder", coded, coded_cues, enc.decode),
        ("TextEncoder, 16 bits", wide.encode(WORDS), wide.encode(cue_text, unknown="?"),
         wide.decode),
    ):
        net = hf.Hopfield(rule=rule).store(stored)
        words = decode(net.recall(cues, rng=1).states)
        right = sum(w == t for w, t in zip(words, WORDS, strict=True))
        recalled[rule, name] = right
        print(f"{rule:8} {name:21} N = {stored.shape[1]:3}: {right:2}/{len(WORDS)} recalled, "
              f"e.g. {cue_text[0]!r} → {words[0]!r}")

# %%
# The figure
# ----------
# Left and middle: the overlaps between the stored words in each encoding (ASCII words all
# overlap strongly; code words are nearly orthogonal off the diagonal). Right: how many of
# the ten words each network recalled.

fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), layout="constrained")
for ax, (name, x) in zip(axes[:2], (("ASCII bits", plain), ("TextEncoder", coded)), strict=True):
    image = ax.imshow(hf.overlap(x, x), cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(len(WORDS)), WORDS, rotation=90, fontsize=7)
    ax.set_yticks(range(len(WORDS)), WORDS, fontsize=7)
    ax.set_title(f"overlaps, {name} (N = {x.shape[1]})", fontsize=10)
fig.colorbar(image, ax=axes[:2], shrink=0.8, label="overlap")
names = ("ASCII bits", "TextEncoder", "TextEncoder, 16 bits")
for i, rule in enumerate(("hebbian", "storkey")):
    counts = [recalled[rule, name] for name in names]
    axes[2].bar(np.arange(3) + (i - 0.5) * 0.38, counts, 0.38, label=rule)
axes[2].set_xticks(range(3), ["ASCII", "codebook", "codebook,\n16 bits"])
axes[2].set_ylabel(f"words recalled (of {len(WORDS)})")
axes[2].set_ylim(0, len(WORDS))
axes[2].legend(fontsize=8)
axes[2].set_title("recall from two hidden letters", fontsize=10)
plt.show()

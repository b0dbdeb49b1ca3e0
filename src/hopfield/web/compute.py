"""What the web API computes, with the library's own models and recorders.

Nothing here runs dynamics of its own: recalls are recorded by :mod:`hopfield.traces`
(asynchronous recall neuron by neuron with :func:`~hopfield.traces.record_flips`, synchronous and
stochastic recall sweep by sweep with :func:`~hopfield.traces.record_sweeps`), the modern network
by calling its ``recall`` one update at a time, the landscape by
:func:`hopfield.landscape.census`, the verdict by :func:`hopfield.classify`. Each function takes a
validated request (``hopfield.web.schemas``) and returns plain JSON-ready data.
"""

from __future__ import annotations

import numpy as np

from .. import datasets, landscape, patterns, traces
from ..analysis import AGS_ALPHA_C, classify, overlap
from ..functions import Exponential, Polynomial, RectifiedPolynomial
from ..models import DenseAssociativeMemory, Hopfield, ModernHopfield
from . import schemas as s

__all__ = ["build", "recall", "corrupt", "preset", "capacity", "census"]

#: Attractors listed by the landscape: the largest basins first.
MAX_ATTRACTORS_LISTED = 64
#: Values of K one capacity request measures, and stored patterns recalled at each.
CAPACITY_POINTS, CAPACITY_CUES = 24, 64


def build(spec: s.Classical | s.Dense | s.Modern, stored: np.ndarray):
    """Build the library model that ``spec`` names and store ``stored`` in it.

    Parameters
    ----------
    spec : Classical, Dense or Modern
        The model's description from the request.
    stored : ndarray of shape (K, N)
        The ±1 patterns to store.

    Returns
    -------
    Hopfield, DenseAssociativeMemory or ModernHopfield
        The model, with the patterns stored.
    """
    if spec.kind == "classical":
        return Hopfield(rule=spec.rule).store(stored)
    if spec.kind == "dense":
        if spec.interaction == "exponential":
            f = Exponential(spec.beta)
        elif spec.interaction == "polynomial":
            f = Polynomial(spec.degree)
        else:
            f = RectifiedPolynomial(spec.degree)
        return DenseAssociativeMemory(f).store(stored)
    return ModernHopfield(beta=spec.beta).store(stored.astype(np.float32))


def _verdict(state: np.ndarray, stored: np.ndarray) -> dict:
    """Say what the final state is: a stored pattern, its reversal, a mixture or spurious."""
    c = classify(state, stored)
    return {
        "kind": str(c.kind[0]),
        "index": int(c.index[0]),
        "components": list(c.components[0]),
    }


def _round(a: np.ndarray, digits: int = 6) -> list:
    return np.round(np.asarray(a, dtype=np.float64), digits).tolist()


def recall(req: s.RecallRequest) -> dict:
    """Store, recall from the cue and return the whole trajectory.

    Parameters
    ----------
    req : RecallRequest
        The validated request.

    Returns
    -------
    dict
        ``unit`` (``"flip"``: one frame per neuron flip, asynchronous; ``"sweep"``: one per
        sweep, synchronous and stochastic; ``"step"``: one per update of the modern network),
        ``n``, ``k``, ``states`` (frames × N; the first is the cue with unknown pixels set as
        ``recall`` sets them, except for the modern network, which starts from the cue
        itself), ``energies``, ``overlaps`` (frames × K), ``time`` (neuron updates made at
        each frame for ``"flip"``, else the frame's sweep or update number), ``neurons`` (the
        neuron each flip changed), ``converged``, ``cycled`` and ``verdict`` of the final
        state.
    """
    stored = req.pattern_array()
    cue = req.cue_array()
    net = build(req.model, stored)
    gen = np.random.default_rng(req.seed)
    neurons: list[int] = []
    cycled = False
    if req.model.kind == "modern":
        unit = "step"
        state = cue.astype(np.float32)
        frames, energies = [state], []
        converged = False
        for _ in range(req.max_steps):
            r = net.recall(state, max_steps=1)
            if not energies:
                energies.append(float(r.energies[0]))
            state = r.states
            frames.append(state)
            energies.append(float(r.energies[-1]))
            if bool(r.converged):
                converged = True
                break
        states = np.stack(frames)
        final = np.where(states[-1] >= 0, 1, -1).astype(np.int8)
        time = np.arange(len(states))
        m = states.astype(np.float64) @ stored.T.astype(np.float64) / stored.shape[1]
    elif req.update == "async":
        unit = "flip"
        t = traces.record_flips(net, cue, max_steps=req.max_steps, rng=gen)
        states, energies, converged = t.states, t.energies, t.converged
        time, neurons, final = t.updates, t.neurons.tolist(), t.final
        m = overlap(states, stored)
    else:
        unit = "sweep"
        w = traces.record_sweeps(
            net,
            cue,
            max_steps=req.max_steps,
            update=req.update,
            temperature=req.temperature,
            rng=gen,
        )
        states, energies, converged, cycled = w.states, w.energies, w.converged, w.cycled
        time, final = np.arange(len(states)), states[-1]
        m = overlap(states, stored)
    return {
        "unit": unit,
        "n": int(stored.shape[1]),
        "k": int(stored.shape[0]),
        "states": _round(states, 4) if unit == "step" else states.tolist(),
        "energies": np.asarray(energies, dtype=np.float64).tolist(),
        "overlaps": _round(np.atleast_2d(m), 4),
        "time": np.asarray(time).tolist(),
        "neurons": neurons,
        "converged": bool(converged),
        "cycled": bool(cycled),
        "verdict": _verdict(final, stored),
    }


def corrupt(req: s.CorruptRequest) -> dict:
    """Flip ``flip`` of the known pixels, then hide a band of ``band`` of the cue.

    The flips are ``hf.patterns.flip``; the band is ``hf.patterns.mask(..., contiguous=True)``.

    Parameters
    ----------
    req : CorruptRequest
        The validated request.

    Returns
    -------
    dict
        ``cue``: the corrupted cue (−1/0/+1, 0 where hidden).
    """
    cue = np.array(req.cue, dtype=np.int8)
    gen = np.random.default_rng(req.seed)
    known = cue != 0
    out = cue.copy()
    if known.any() and req.flip > 0:
        out[known] = patterns.flip(cue[known], req.flip, rng=gen)
    if req.band > 0:
        hidden = patterns.mask(np.ones_like(cue), req.band, rng=gen, contiguous=True) == 0
        out[hidden] = 0
    return {"cue": out.tolist()}


def preset(req: s.PresetRequest) -> dict:
    """Make ready-made patterns: letters or digits, or random patterns.

    Letters and digits are rendered at ``size`` × ``size`` (``hf.datasets.glyphs``); random
    patterns come from ``hf.patterns.random``.

    Parameters
    ----------
    req : PresetRequest
        The validated request.

    Returns
    -------
    dict
        ``patterns`` (count × size², ±1) and their ``names``.
    """
    n = req.size * req.size
    if req.kind == "random":
        x = patterns.random(req.count, n, rng=req.seed)
        names = [f"random {req.seed}.{i}" for i in range(req.count)]
    else:
        x = datasets.glyphs(req.chars, req.size).reshape(len(req.chars), n)
        names = list(req.chars)
    return {"patterns": x.tolist(), "names": names}


def capacity(req: s.CapacityRequest) -> dict:
    """Keep adding random patterns: for K from 1 to k_max store the first K and recall them.

    K takes at most ``CAPACITY_POINTS`` values spread over 1..k_max, and at most
    ``CAPACITY_CUES`` of the stored patterns (the first ones) are recalled, each from a copy
    with ``noise`` of its bits flipped: that bounds the work of one request. The patterns and
    cues are the same rows for every K (one seed), so the curve shows what adding patterns
    does.

    Parameters
    ----------
    req : CapacityRequest
        The validated request.

    Returns
    -------
    dict
        ``n``, ``k`` (the values of K) and, per K, ``mean_overlap`` (the mean overlap of the
        recalled states with their patterns) and ``exact`` (the fraction recalled exactly),
        with ``hebb_alpha_c``, the Hebbian capacity K/N ≈ 0.138 (Amit, Gutfreund and
        Sompolinsky), for reference.
    """
    gen = np.random.default_rng(req.seed)
    x = patterns.random(req.k_max, req.n, rng=gen)
    cues = patterns.flip(x[:CAPACITY_CUES], req.noise, rng=gen)
    ks = np.unique(np.round(np.linspace(1, req.k_max, min(req.k_max, CAPACITY_POINTS))))
    ks = ks.astype(int).tolist()
    mean, exact = [], []
    for k in ks:
        net = build(req.model, x[:k])
        b = min(k, CAPACITY_CUES)
        if req.model.kind == "modern":
            r = net.recall(cues[:b].astype(np.float32), max_steps=req.max_steps)
            got = np.where(r.states >= 0, 1, -1)
        else:
            got = net.recall(cues[:b], max_steps=req.max_steps, rng=gen).states
        m = np.einsum("kn,kn->k", got.astype(np.float64), x[:b].astype(np.float64)) / req.n
        mean.append(float(m.mean()))
        exact.append(float((m == 1.0).mean()))
    return {
        "n": req.n,
        "k": ks,
        "mean_overlap": _round(mean),
        "exact": _round(exact),
        "hebb_alpha_c": AGS_ALPHA_C,
    }


def census(req: s.LandscapeRequest) -> dict:
    """List every attractor with its basin and energy, from :func:`hopfield.landscape.census`.

    Parameters
    ----------
    req : LandscapeRequest
        The validated request.

    Returns
    -------
    dict
        ``n``, ``states`` (how many were enumerated), ``unresolved``, ``count`` (attractors
        found) and ``attractors``: the first ``MAX_ATTRACTORS_LISTED``, the largest basins
        first, each with its ``state``, ``energy``, ``basin``, ``kind``, ``index`` and
        ``components``.
    """
    stored = req.pattern_array()
    c = landscape.census(build(req.model, stored), update=req.update)
    shown = min(len(c.attractors), MAX_ATTRACTORS_LISTED)
    return {
        "n": int(stored.shape[1]),
        "states": int(c.energies.size),
        "unresolved": c.unresolved,
        "count": int(len(c.attractors)),
        "attractors": [
            {
                "state": c.attractors[i].tolist(),
                "energy": round(float(c.attractor_energies[i]), 6),
                "basin": int(c.basin_sizes[i]),
                "kind": str(c.kinds[i]),
                "index": int(c.pattern_index[i]),
                "components": list(c.components[i]),
            }
            for i in range(shown)
        ],
    }

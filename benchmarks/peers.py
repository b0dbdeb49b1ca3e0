"""hopfield against other libraries, on the same inputs, each peer in its own environment.

Peers (see ``_peers.SPECS``): hopfieldkit, hopfieldnetwork, neurodynex3 and neupy (classical
networks), torch's ``scaled_dot_product_attention`` and torchhd (modern and dense memories).
Each runs in ``benchmarks/.envs/NAME``, built on first use; a peer whose environment cannot be
built is reported as not runnable, and ``python -m benchmarks --no-peers`` skips this group.

Classical cases use the classical group's inputs: K = 0.05 N random patterns, 100 cues with 10%
of their bits flipped, N = 1000 and 4000 (N = 1000 only with ``--quick``). At this load every
cue should settle in the fixed point of its own pattern: ours must (the check fails otherwise),
a peer's agreement is counted and reported. The peer's time comes from its own process (see
``_peer_worker.py``); a slow peer is timed on the first cues (or patterns) that fit its budget
and scaled to all of them, and the check says so. Speedup = peer / ours.

How the peers differ from ours (and from each other):
    hopfieldkit       one cue per call; async only, a fresh random order per sweep until a sweep
                      flips nothing; each visit recomputes the field W_i·s (O(N)); a zero field
                      gives +1.
    hopfieldnetwork   one cue per call; async (one sweep, then sweeps until nothing changes) and
                      sync (until fixed or a 2-cycle); field recomputed per visit; zero gives +1.
    neurodynex3       one cue per call; ``run`` takes a fixed number of steps, so the worker calls
                      ``iterate`` until the state stops changing; zero gives +1; its store is a
                      Python loop over N² weights per pattern.
    neupy             0/1 neurons (converted outside the timing), batched over cues, integer
                      weights; async is a fixed number of single-neuron updates drawn with
                      replacement, the same neuron for every cue, with no convergence test (given
                      20 N updates here); sync is one step per ``predict``, repeated by the worker
                      until nothing changes; a zero field gives 0 (read back as −1).
    torchhd           ``memory.Hopfield``: write adds XᵀX, read is one product; the worker
                      iterates ``sign(read)`` until nothing changes (a zero field gives 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

import hopfield as hf

from . import _peers, dense, modern
from . import classical as cl
from ._harness import Case, Target

BUDGET = 60.0  # seconds of peer time per case (20 with --quick)
SPEEDUP = 20.0  # the target against truly asynchronous peers on async recall
STORE = ("hopfieldkit", "hopfieldnetwork", "neurodynex3", "neupy", "torchhd")
ASYNC = ("hopfieldkit", "hopfieldnetwork", "neurodynex3", "neupy")
SYNC = ("hopfieldnetwork", "neurodynex3", "neupy", "torchhd")
TRULY_ASYNC = ("hopfieldkit", "hopfieldnetwork", "neurodynex3")


@dataclass
class Inputs:
    ours: Any  # the inputs of our side (classical, modern or dense group's)
    worker: _peers.Worker  # the peer's process, its task done, waiting to time repeats

    @property
    def peer(self) -> dict:
        """The worker's result: sizes, outputs, versions."""
        return self.worker.result


def _peer_run(name: str, op: str, ours: Any, arrays: dict, quick: bool, **extra) -> Inputs:
    budget = BUDGET / 3 if quick else BUDGET
    task = {
        "peer": name,
        "op": op,
        "repeats": 3 if quick else 7,  # as the harness: the budget is spread over them
        "budget": budget,
        "min_time": 0.02 if quick else 0.1,
        "seed": cl.SEED,
        **extra,
    }
    return Inputs(ours, _peers.Worker(name, task, arrays, timeout=budget + 600))


def _measure(per: int, inp: Inputs) -> dict[str, float]:
    """One repeat of the peer, in the case's unit: ms per ``per`` items, scaled to all items."""
    p = inp.peer
    return {"reference": inp.worker.repeat() * p["total"] / p["items"] / per * 1e3}


def _close(inp: Inputs) -> None:
    inp.worker.close()


def _about(name: str, inp: Inputs, what: str) -> str:
    p = inp.peer
    v = p["versions"]
    tag = ", ".join(f"{k} {val}" for k, val in v.items() if k != "python")
    note = f"{name} ({tag}; Python {v['python']})"
    if p["items"] < p["total"]:
        note += f"; peer timed on {p['items']} of {p['total']} {what}, scaled to all"
    if "weights" in p["info"]:
        note += f"; peer weights {p['info']['weights']}"
    return note


# -- classical -----------------------------------------------------------------------------------
def _classical_arrays(inp: cl.Inputs) -> dict:
    return {"x": inp.x, "cues": inp.cues}


def _check_store(name: str, inp: Inputs, ours: hf.Hopfield, ref) -> str:
    note = cl._check_store(inp.ours, ours, cl.numpy_store(inp.ours.x))
    k = inp.peer["items"]
    expected = cl.numpy_store(inp.ours.x[:k])
    gap = float(np.abs(inp.peer["outputs"]["weights"] - expected).max())
    assert gap <= 1e-6, f"{name}'s weights differ from Hebb's by {gap:.3g}"
    return (
        f"ours: {note}; {name}'s weights (×1/N) agree to {gap:.1g}; {_about(name, inp, 'patterns')}"
    )


def _check_recall(name: str, inp: Inputs, ours: hf.Recall, ref) -> str:
    base = inp.ours
    assert ours.converged.all(), f"ours: {int((~ours.converged).sum())} cues did not converge"
    wrong = int((ours.states != base.expected).any(axis=1).sum())
    assert wrong == 0, f"ours: {wrong} of {cl.CUES} cues missed their pattern's fixed point"
    states = inp.peer["outputs"]["states"]
    same = int((states == base.expected[: len(states)]).all(axis=1).sum())
    verdict = (
        f"{name} reached the same fixed points for all {len(states)} cues it ran"
        if same == len(states)
        else f"{name} DIFFERS: the same fixed point for {same} of {len(states)} cues"
    )
    return f"ours reached every cue's fixed point; {verdict}; {_about(name, inp, 'cues')}"


def _setup_classical(name: str, op: str, n: int, quick: bool) -> Inputs:
    base = cl._inputs(n)
    return _peer_run(name, op, base, _classical_arrays(base), quick)


def _classical_cases(n: int, quick: bool) -> list[Case]:
    out = []
    k = round(cl.LOAD * n)
    params = {"K": k, "N": n}
    for name in STORE:
        out.append(
            Case(
                f"store N={n} K={k} vs {name}",
                partial(_setup_classical, name, "store", n, quick),
                lambda inp: hf.Hopfield().store(inp.ours.x),
                lambda inp: None,
                partial(_check_store, name),
                measure=partial(_measure, 1),
                teardown=_close,
                params={**params, "peer": name},
            )
        )
    recall = {
        "async": lambda inp: inp.ours.net.recall(inp.ours.cues, update="async", rng=cl.SEED),
        "sync": lambda inp: inp.ours.net.recall(inp.ours.cues, update="sync"),
    }
    for op, names in (("async", ASYNC), ("sync", SYNC)):
        for name in names:
            target = None
            if op == "async" and name in TRULY_ASYNC and n == 1000:
                target = Target("speedup", SPEEDUP)
            out.append(
                Case(
                    f"{op} N={n} K={k} vs {name}",
                    partial(_setup_classical, name, op, n, quick),
                    recall[op],
                    lambda inp: None,
                    partial(_check_recall, name),
                    per=cl.CUES,
                    unit="ms/cue",
                    target=target,
                    measure=partial(_measure, cl.CUES),
                    teardown=_close,
                    params={**params, "cues": cl.CUES, "flip": cl.FLIP, "peer": name},
                )
            )
    return out


# -- modern and dense ----------------------------------------------------------------------------
def _setup_modern(op: str, name: str, quick: bool) -> Inputs:
    base = modern._inputs(modern.K, modern.N, modern.B)
    arrays = {"x": base.x, "q": base.q, "beta": np.float64(base.beta)}
    return _peer_run(name, op, base, arrays, quick)


def _check_modern(name: str, inp: Inputs, ours: np.ndarray, ref) -> str:
    note = modern._check(None, ours, inp.peer["outputs"]["states"])
    threads = inp.peer["info"]["torch_threads"]
    return f"{note}; {_about(name, inp, 'queries')}, {threads} torch threads"


def _setup_dense(quick: bool) -> Inputs:
    base = dense._inputs(dense.K, dense.N, dense.B, "exp")
    arrays = {"x": base.x.astype(np.int8), "s": base.cues, "beta": np.float64(base.f.beta)}
    return _peer_run("torchhd", "dense_gaps", base, arrays, quick, chunk=8)


def _check_dense(inp: Inputs, ours, ref) -> str:
    peer = inp.peer["outputs"]["gaps"].astype(np.float64)
    mine = ours[0][: len(peer)]
    gap = float(np.abs(mine - peer).max())
    assert gap <= 1e-3, f"torchhd's gaps differ from ours by {gap:.3g} (log scale, in [-2, 2])"
    clear = np.abs(mine) > 1e-3
    signs = int((np.sign(mine) != np.sign(peer))[clear].sum())
    assert signs == 0, f"{signs} gap signs differ from torchhd's"
    return (
        f"torchhd.memory.modern_hopfield(s, βX) / β equals our log-scale gaps to {gap:.1g} "
        f"(float32), same signs; it builds (B, N, N) queries and (B, N, K) scores, so it runs "
        f"{inp.peer['info']['chunk']} cues per call; {_about('torchhd', inp, 'cues')}"
    )


def _modern_cases(quick: bool) -> list[Case]:
    params = {"B": modern.B, "K": modern.K, "N": modern.N, "dtype": "float32"}
    size = f"B={modern.B} K={modern.K} N={modern.N}"
    out = [
        Case(
            f"modern retrieve {size} vs {label}",
            partial(_setup_modern, op, "torchhd", quick),
            lambda inp: modern._ours_retrieve(inp.ours),
            lambda inp: None,
            partial(_check_modern, label),
            measure=partial(_measure, 1),
            teardown=_close,
            params={**params, "peer": label},
        )
        for op, label in (
            ("sdpa", "torch scaled_dot_product_attention"),
            ("attention", "torchhd.memory.attention"),
        )
    ]
    out.append(
        Case(
            f"dense exp gaps B={dense.B} K={dense.K} N={dense.N} vs torchhd modern_hopfield",
            partial(_setup_dense, quick),
            lambda inp: inp.ours.model._gap_and_energy(inp.ours.s),
            lambda inp: None,
            _check_dense,
            per=dense.B,
            unit="ms/cue",
            measure=partial(_measure, dense.B),
            teardown=_close,
            params={"B": dense.B, "K": dense.K, "N": dense.N, "peer": "torchhd"},
        )
    )
    return out


def cases(quick: bool = False) -> list[Case]:
    """Classical store/async/sync at N=1000 (and 4000), modern and dense against torch."""
    out = []
    for n in (1000,) if quick else (1000, 4000):
        out += _classical_cases(n, quick)
    out.append(
        Case(
            "async N=1000 K=50 vs hopfieldkit, ours on 1 thread",
            partial(_setup_classical, "hopfieldkit", "async", 1000, quick),
            cl._one_thread(
                lambda inp: inp.ours.net.recall(inp.ours.cues, update="async", rng=cl.SEED)
            ),
            lambda inp: None,
            partial(_check_recall, "hopfieldkit"),
            per=cl.CUES,
            unit="ms/cue",
            measure=partial(_measure, cl.CUES),
            teardown=_close,
            params={"K": 50, "N": 1000, "peer": "hopfieldkit", "numba_threads": 1},
        )
    )
    return out + _modern_cases(quick)

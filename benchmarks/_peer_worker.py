"""Runs one task of a peer library inside that peer's virtual environment, and times it.

``python _peer_worker.py FOLDER``: FOLDER holds ``task.json`` and ``inputs.npz``. The worker
runs the task once, writes ``result.json`` (what was run, its sizes) and ``outputs.npz`` (final
states, weights or retrieved vectors) there and prints ``ready``; then each ``repeat`` line on
its standard input times one repeat and prints its seconds per call, so the main process can
alternate the peer's repeats with its own; end of input ends it. It imports neither hopfield
nor the benchmarks package, and runs on every interpreter a peer needs (Python 3.7 for neupy),
so it uses no newer syntax.

Timing: a first run on a small piece (one cue, one pattern, a few queries) warms up and
estimates the cost; the timed piece is then the whole input, or as many leading items as fit
``budget`` seconds over all repeats (the main process scales the time to the whole input and
says so). Each repeat makes enough back-to-back calls to last ``min_time`` seconds, with the
garbage collector paused, as the harness does for ours.

Tasks (``task["op"]``): ``store``, ``async`` and ``sync`` for the classical peers, on ±1
patterns ``x`` (K, N) and cues (B, N); ``sdpa`` and ``attention`` (one softmax retrieval step)
and ``dense_gaps`` (torchhd's modern Hopfield gaps) for the torch environment.
"""

import gc
import json
import math
import os
import random
import sys
import time

# Run as a script, this folder comes first on sys.path, and its modules would shadow the
# libraries they are named after (the torch benchmark group is benchmarks/torch.py): drop it.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

MAX_SWEEPS = 100
# Thread pools (OpenBLAS, OpenMP) spin for a while after a call before they sleep; the two
# processes take turns, so each waits this long before the other one's turn is timed.
SETTLE = 0.2


def measure(run, total, probe, repeats, budget, min_time):
    """Size ``run(n)``, which handles the first n of ``total`` items, and run it once.

    Returns (sizes, output, repeat): ``repeat()`` times one repeat, in seconds per call.
    """
    start = time.perf_counter()
    out = run(probe)
    first = time.perf_counter() - start
    per_item = first / probe
    n = total
    if per_item * total * (repeats + 2) > budget:
        n = min(total, max(probe, int(budget / (repeats + 2) / per_item)))
    if n != probe:
        out = run(n)  # warm-up at the timed size
    number = max(1, int(math.ceil(min_time / max(per_item * n, 1e-9))))

    def repeat():
        gc.disable()
        try:
            start = time.perf_counter()
            for _ in range(number):
                run(n)
            return (time.perf_counter() - start) / number
        finally:
            gc.enable()

    sizes = {"items": n, "total": total, "calls_per_repeat": number, "first_s": first}
    return sizes, out, repeat


def until_fixed(step, state, same):
    """Apply ``step`` until the state stops changing (at most MAX_SWEEPS times)."""
    for _ in range(MAX_SWEEPS):
        new = step(state)
        if same(new, state):
            return new
        state = new
    return state


# -- the classical peers: store(x) -> net, weights(net), assign(w) -> net, recalls -------------
def hopfieldkit_peer(n):
    from hopfieldkit import HopfieldNetwork

    def assign(w):
        net = HopfieldNetwork(n)
        net.weights = w
        return net

    def recall_async(net, cues):
        return np.array([net.recall(c, order="random", seed=i) for i, c in enumerate(cues)])

    return {
        "store": lambda x: HopfieldNetwork(n).fit(x),
        "weights": lambda net: net.weights,
        "assign": assign,
        "prepare": lambda cues: cues.astype(np.float64),
        "async": recall_async,
    }


def hopfieldnetwork_peer(n):
    from hopfieldnetwork import HopfieldNetwork

    def store(x):
        net = HopfieldNetwork(N=n)
        net.train_pattern(x.T)  # a (N, K) matrix stores K patterns at once
        return net

    def assign(w):
        net = HopfieldNetwork(N=n)
        net.w = w
        return net

    def recall(mode):
        def run(net, cues):
            out = []
            for c in cues:
                net.set_initial_neurons_state(c.copy())
                net.update_neurons(1, mode, run_max=True)
                out.append(net.S.copy())
            return np.array(out)

        return run

    return {
        "store": store,
        "weights": lambda net: net.w,
        "assign": assign,
        "prepare": lambda cues: cues.astype(np.int8),
        "async": recall("async"),
        "sync": recall("sync"),
    }


def neurodynex3_peer(n):
    from neurodynex3.hopfield_network.network import HopfieldNetwork

    def store(x):
        net = HopfieldNetwork(n)
        net.store_patterns(list(x))
        return net

    def assign(w):
        net = HopfieldNetwork(n)
        net.weights = w
        return net

    def recall(mode):
        def run(net, cues):
            if mode == "async":
                net.set_dynamics_sign_async()
            else:
                net.set_dynamics_sign_sync()
            out = []
            for c in cues:
                net.set_state_from_pattern(c)

                def step(_state):
                    net.iterate()
                    return net.state

                # run(nr_steps) takes a fixed number of steps: iterate until nothing changes.
                out.append(until_fixed(step, net.state, np.array_equal).copy())
            return np.array(out)

        return run

    return {
        "store": store,
        "weights": lambda net: net.weights,
        "assign": assign,
        "prepare": lambda cues: cues.astype(np.int64),
        "async": recall("async"),
        "sync": recall("sync"),
    }


def neupy_peer(n):
    from neupy.algorithms import DiscreteHopfieldNetwork

    def store(x, mode="sync"):
        net = DiscreteHopfieldNetwork(mode=mode, n_times=20 * n, check_limit=False)
        net.train((x > 0).astype(int))  # neupy takes 0/1 inputs
        return net

    def assign(w):
        net = DiscreteHopfieldNetwork(mode="sync", check_limit=False)
        net.weight = np.rint(w * n).astype(int)
        return net

    def recall_async(net, cues):
        net.mode = "async"
        return net.predict(cues)

    def recall_sync(net, cues):
        net.mode = "sync"
        # One predict is one synchronous step: repeat it until the state stops changing.
        return until_fixed(net.predict, cues, np.array_equal)

    return {
        "store": store,
        "weights": lambda net: net.weight.astype(np.float64) / n,
        "assign": assign,
        "prepare": lambda cues: (cues > 0).astype(int),
        "finish": lambda states: np.where(states > 0, 1, -1),
        "async": recall_async,
        "sync": recall_sync,
        "batched": True,
    }


def torchhd_peer(n):
    import torch
    from torchhd.memory import Hopfield

    def store(x):
        mem = Hopfield(n)
        mem.write(torch.from_numpy(x.astype(np.float32)))
        return mem

    def assign(w):
        mem = Hopfield(n)
        with torch.no_grad():
            mem.memory.copy_(torch.from_numpy((w * n).astype(np.float32)))
        return mem

    def recall_sync(mem, cues):
        with torch.inference_mode():
            # read() is one product with the memory; sign() is what torchhd's examples apply.
            return until_fixed(lambda s: mem.read(s).sign(), cues, torch.equal).numpy()

    return {
        "store": store,
        "weights": lambda mem: mem.memory.detach().numpy().astype(np.float64) / n,
        "assign": assign,
        "prepare": lambda cues: torch.from_numpy(cues.astype(np.float32)),
        "sync": recall_sync,
        "batched": True,
    }


PEERS = {
    "hopfieldkit": hopfieldkit_peer,
    "hopfieldnetwork": hopfieldnetwork_peer,
    "neurodynex3": neurodynex3_peer,
    "neupy": neupy_peer,
    "torchhd": torchhd_peer,
}


def classical(task, data, timing_args):
    x = data["x"]
    k, n = x.shape
    peer = PEERS[task["peer"]](n)
    info = {}
    if task["op"] == "store":
        xs = x.astype(np.float64)
        sizes, net, repeat = measure(lambda m: peer["store"](xs[:m]), k, 1, *timing_args)
        weights = np.asarray(peer["weights"](net), dtype=np.float32)
        return sizes, {"weights": weights}, info, repeat
    # Build the network outside the timing; a peer whose store alone would eat the budget gets
    # the same Hebbian weights assigned directly (recall does not depend on how they were made).
    xs = x.astype(np.float64)
    start = time.perf_counter()
    peer["store"](xs[:1])
    one = time.perf_counter() - start
    if one * k > timing_args[1]:
        w = xs.T @ xs / n
        np.fill_diagonal(w, 0.0)
        net = peer["assign"](w)
        info["weights"] = "assigned directly: its store would take about %.0f s" % (one * k)
    else:
        net = peer["store"](xs)
    cues = peer["prepare"](data["cues"])
    probe = min(10, len(cues)) if peer.get("batched") else 1
    recall = peer[task["op"]]
    sizes, states, repeat = measure(lambda m: recall(net, cues[:m]), len(cues), probe, *timing_args)
    states = peer.get("finish", lambda s: s)(np.asarray(states))
    return sizes, {"states": states.astype(np.int8)}, info, repeat


def torch_task(task, data, timing_args):
    import torch
    import torch.nn.functional as F
    import torchhd

    info = {"torch_threads": torch.get_num_threads()}
    with torch.inference_mode():
        if task["op"] == "dense_gaps":
            # torchhd's modern_hopfield(q, M) is lse(q₊ Mᵀ) − lse(q₋ Mᵀ) per neuron, with q±
            # the query with that neuron set to ±1; M = βX makes it β times the log-scale gap.
            s = torch.from_numpy(data["s"].astype(np.float32))
            mem = torch.from_numpy((float(data["beta"]) * data["x"]).astype(np.float32))
            chunk = int(task.get("chunk", 8))

            def run(m):
                parts = [
                    torchhd.memory.modern_hopfield(s[i : min(i + chunk, m)], mem)
                    for i in range(0, m, chunk)
                ]
                return torch.cat(parts)

            sizes, out, repeat = measure(run, len(s), chunk, *timing_args)
            info["chunk"] = chunk
            return sizes, {"gaps": (out / float(data["beta"])).numpy()}, info, repeat
        q = torch.from_numpy(data["q"])
        x = torch.from_numpy(data["x"])
        beta = float(data["beta"])
        if task["op"] == "sdpa":

            def run(m):
                return F.scaled_dot_product_attention(q, x, x, scale=beta)
        else:

            def run(m):
                return torchhd.memory.attention(q, x, x, beta)

        sizes, out, repeat = measure(run, len(q), len(q), *timing_args)
        return sizes, {"states": out.numpy()}, info, repeat


def main():
    folder = Path(sys.argv[1])
    task = json.loads((folder / "task.json").read_text())
    random.seed(task.get("seed", 0))
    # The peers draw their update orders from the legacy global generator.
    np.random.seed(task.get("seed", 0))  # noqa: NPY002
    with np.load(folder / "inputs.npz") as f:
        data = {key: f[key] for key in f.files}
    timing_args = (task["repeats"], task["budget"], task["min_time"])
    if task["op"] in ("store", "async", "sync"):
        sizes, outputs, info, repeat = classical(task, data, timing_args)
    else:
        sizes, outputs, info, repeat = torch_task(task, data, timing_args)
    np.savez(folder / "outputs.npz", **outputs)
    result = dict(sizes, info=info, python=sys.version.split()[0], numpy=np.__version__)
    (folder / "result.json").write_text(json.dumps(result))
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "repeat":
            break
        seconds = repeat()
        time.sleep(SETTLE)  # our idle thread pools stop spinning before the main process times
        print(repr(seconds), flush=True)


if __name__ == "__main__":
    main()

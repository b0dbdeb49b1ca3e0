"""The web API of ``hopfield serve`` under load, and its overhead over the library.

``python -m benchmarks.web_load [--requests 200] [--concurrency 200]`` starts the app with
uvicorn in its own process on a free loopback port (one worker, as ``hopfield serve`` runs it),
then sends ``--requests`` recall requests from one asyncio client loop, at most
``--concurrency`` in flight at a time (default: all 200 at once). Every request stores four
12 × 12 letters (N = 144) with the pseudo-inverse rule and recalls one of them from its own
corrupted cue, asynchronously; every answer is checked against the library's own ``recall`` on
the same seed, and the run fails unless all of them are right. It prints the latency of each
request (p50, p90, p99, max: from sending the request to having the parsed answer) and the
throughput.

As a group of ``python -m benchmarks`` (``python -m benchmarks web_load``), one case times a
single request through HTTP against the same recording made in-process
(:func:`hopfield.web.compute.recall`): the ratio is the cost of the web layer (validation,
JSON both ways, HTTP on the loopback).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np

import hopfield as hf

from ._harness import Case

SIDE = 12
LETTERS = "HOPE"
FLIP = 0.15
MODEL = {"kind": "classical", "rule": "pseudoinverse"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    """uvicorn serving ``hopfield.web.create_app`` in its own process; waits until it answers."""
    import httpx

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "hopfield.web:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"{url}/api/health", timeout=2).raise_for_status()
            return proc, url
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"the server did not start: {proc.stderr.read()}") from None
            time.sleep(0.2)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


@dataclass
class Problem:
    body: dict
    expected: np.ndarray  # the final state the library's recall reaches


def problems(count: int) -> list[Problem]:
    """``count`` recall requests, each with its own cue and seed, and the library's answers."""
    x = hf.datasets.letters(LETTERS, SIDE).reshape(len(LETTERS), -1)
    net = hf.Hopfield(rule=MODEL["rule"]).store(x)
    out = []
    for i in range(count):
        cue = hf.patterns.flip(x[i % len(x)], FLIP, rng=i)
        body = {"patterns": x.tolist(), "cue": cue.tolist(), "model": MODEL, "seed": i}
        out.append(Problem(body, net.recall(cue, max_steps=50, rng=i).states))
    return out


async def _load(url: str, todo: list[Problem], concurrency: int) -> tuple[list[float], float]:
    import httpx

    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:

        async def one(p: Problem) -> float:
            async with gate:
                start = time.perf_counter()
                r = await client.post("/api/recall", json=p.body)
                r.raise_for_status()
                final = np.array(r.json()["states"][-1], dtype=np.int8)
                took = time.perf_counter() - start
            if not np.array_equal(final, p.expected):
                raise AssertionError(f"seed {p.body['seed']}: the answer is not the library's")
            return took

        start = time.perf_counter()
        latencies = await asyncio.gather(*(one(p) for p in todo))
        return list(latencies), time.perf_counter() - start


def load(requests: int = 200, concurrency: int = 200) -> dict:
    """Run the load test against a fresh server; returns latencies (s) and the wall time."""
    todo = problems(requests)
    proc, url = start_server()
    try:
        asyncio.run(_load(url, todo[:4], 4))  # compile the kernels before timing
        latencies, wall = asyncio.run(_load(url, todo, concurrency))
    finally:
        stop_server(proc)
    return {"latencies": np.array(latencies), "wall": wall}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.web_load", description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1:
        parser.error("--requests and --concurrency: expected integers >= 1")
    from . import _harness as h

    print(h.describe(h.machine()), end="\n\n", flush=True)
    got = load(args.requests, args.concurrency)
    ms = got["latencies"] * 1000
    p50, p90, p99 = np.percentile(ms, [50, 90, 99])
    print(
        f"{args.requests} recall requests (N = {SIDE * SIDE}, K = {len(LETTERS)}, "
        f"{MODEL['rule']}, async), at most {args.concurrency} in flight, one uvicorn worker, "
        f"os.cpu_count() = {os.cpu_count()}: all {args.requests} answers equal the library's."
    )
    print(
        f"latency ms: p50 {p50:.0f}  p90 {p90:.0f}  p99 {p99:.0f}  max {ms.max():.0f}; "
        f"wall {got['wall']:.2f} s, {args.requests / got['wall']:.0f} requests/s"
    )
    return 0


# -- the group of ``python -m benchmarks`` ---------------------------------------------------


@dataclass
class Inputs:
    proc: subprocess.Popen
    client: object  # httpx.Client
    problem: Problem
    request: object  # the validated hopfield.web.schemas.RecallRequest


def _setup() -> Inputs:
    import httpx

    from hopfield.web import schemas

    proc, url = start_server()
    problem = problems(1)[0]
    request = schemas.RecallRequest(**problem.body)
    return Inputs(proc, httpx.Client(base_url=url, timeout=60), problem, request)


def _http(inputs: Inputs) -> np.ndarray:
    r = inputs.client.post("/api/recall", json=inputs.problem.body)
    r.raise_for_status()
    return np.array(r.json()["states"][-1], dtype=np.int8)


def _direct(inputs: Inputs) -> np.ndarray:
    from hopfield.web import compute

    return np.array(compute.recall(inputs.request)["states"][-1], dtype=np.int8)


def _check(inputs: Inputs, ours: np.ndarray, reference: np.ndarray) -> str:
    assert np.array_equal(ours, reference), "HTTP and in-process answers differ"
    assert np.array_equal(ours, inputs.problem.expected), "the answer is not the library's"
    return "the final state through HTTP, in-process and from recall() are equal"


def _teardown(inputs: Inputs) -> None:
    inputs.client.close()
    stop_server(inputs.proc)


def cases(quick: bool) -> list[Case]:
    return [
        Case(
            name=f"recall over HTTP, N={SIDE * SIDE} K={len(LETTERS)}",
            setup=_setup,
            ours=_http,
            reference=_direct,
            check=_check,
            teardown=_teardown,
            params={"n": SIDE * SIDE, "k": len(LETTERS), "rule": MODEL["rule"]},
        )
    ]


if __name__ == "__main__":
    sys.exit(main())

"""Virtual environments for peer libraries, and running a peer's worker inside one.

Each peer lives in ``benchmarks/.envs/NAME`` (git-ignored), built on first use with
``python -m venv`` and pip, then reused. A finished build leaves ``versions.json`` (the
interpreter and the versions of the packages that matter); a failed one leaves ``FAILED`` with
the reason, and is not retried until its folder is deleted. Nothing else in the benchmarks needs
these environments.

A peer runs in its own process (:class:`Worker`): ``_peer_worker.py`` loads the inputs from an
``.npz`` file, does the work once and writes its results (``outputs.npz``), which the main
process compares with ours; then it times one repeat each time the main process asks, so the
peer's repeats alternate with ours.
"""

from __future__ import annotations

import glob
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._harness import Skip

HERE = Path(__file__).resolve().parent
ENVS = HERE / ".envs"
WORKER = HERE / "_peer_worker.py"
SETTLE = 0.2  # seconds between our turn and the worker's (see _peer_worker.SETTLE)
BUILD_TIMEOUT = 1800  # seconds for one pip step (torch is large, TensorFlow 1.13 too)


@dataclass(frozen=True)
class Spec:
    """How to build a peer's environment.

    Args:
        python: the interpreter's version, e.g. ``"3.11"``.
        steps: pip install steps, each a list of requirements (torch first, from its pinned
            file, so that torch-hd does not pull a CUDA build).
        dists: the distributions whose versions are recorded.
        why: what the peer needs that the main environment does not have.
    """

    python: str
    steps: tuple[tuple[str, ...], ...]
    dists: tuple[str, ...]
    why: str = ""


SPECS = {
    "hopfieldkit": Spec("3.11", (("hopfieldkit",),), ("hopfieldkit", "numpy")),
    "hopfieldnetwork": Spec("3.11", (("hopfieldnetwork",),), ("hopfieldnetwork", "numpy")),
    "neurodynex3": Spec(
        "3.11", (("neurodynex3",),), ("neurodynex3", "numpy"), why="it pins numpy 1.26"
    ),
    "torchhd": Spec(
        "3.11",
        (("torch==2.13.0",), ("torch-hd", "torch==2.13.0")),
        ("torch", "torch-hd", "numpy"),
        why="torch 2.13.0 (CPU build) and torch-hd",
    ),
    # neupy 0.8.2 imports TensorFlow 1.13, which has wheels for Python <= 3.7 only; TensorFlow
    # 1.13 reads its protocol buffers with the API that protobuf 3.21 removed.
    "neupy": Spec(
        "3.7",
        (("neupy==0.8.2", "protobuf<3.21"),),
        ("neupy", "tensorflow", "numpy"),
        why="Python 3.7 and TensorFlow 1.13",
    ),
}


def _interpreter(version: str) -> str | None:
    """A working ``pythonX.Y``: on the PATH, or among pyenv's installed versions."""
    candidates = [shutil.which(f"python{version}")]
    home = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(str(home / "versions" / f"{version}.*" / "bin" / "python3")))
    if sys.version_info[:2] == tuple(int(p) for p in version.split(".")):
        candidates.insert(0, getattr(sys, "_base_executable", sys.executable))
    for exe in filter(None, candidates):
        try:
            done = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0 and done.stdout.split()[-1].startswith(version):
            return exe
    return None


def _python(name: str) -> Path:
    return ENVS / name / "bin" / "python"


def _fail(name: str, reason: str) -> Skip:
    folder = ENVS / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "FAILED").write_text(reason + "\n")
    return Skip(reason)


def ensure(name: str) -> dict:
    """Build the environment of peer ``name`` unless it is there; return its versions.

    Raises :class:`~benchmarks._harness.Skip` (with the reason) when it cannot be built.
    """
    spec = SPECS[name]
    folder = ENVS / name
    failed = folder / "FAILED"
    if failed.exists():
        raise Skip(f"{failed.read_text().strip()} (delete {folder} to try again)")
    versions = folder / "versions.json"
    if versions.exists():
        return json.loads(versions.read_text())
    found = _probe(name) if _python(name).exists() else None
    if found is not None:  # built by hand, or by a run that stopped before recording it
        versions.write_text(json.dumps(found))
        return found
    exe = _interpreter(spec.python)
    if exe is None:
        raise _fail(name, f"no Python {spec.python} interpreter found ({name} needs {spec.why})")
    print(f"\n    building {folder} (Python {spec.python}) ...", end="", flush=True)
    if folder.exists():
        shutil.rmtree(folder)  # a build that stopped half way
    log = ENVS / f"{name}.log"
    ENVS.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        commands = [[exe, "-m", "venv", str(folder)]]
        commands += [[str(_python(name)), "-m", "pip", "install", "-q", *s] for s in spec.steps]
        for cmd in commands:
            try:
                done = subprocess.run(
                    cmd, stdout=out, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT
                )
            except subprocess.TimeoutExpired:
                raise _fail(name, f"`{' '.join(cmd[-3:])}` took over {BUILD_TIMEOUT} s") from None
            if done.returncode != 0:
                raise _fail(name, f"`{' '.join(cmd[2:])}` failed, see {log}")
    found = _probe(name)
    if found is None:
        raise _fail(name, f"the environment was built but lacks some of {SPECS[name].dists}")
    versions.write_text(json.dumps(found))
    return found


def _probe(name: str) -> dict | None:
    """The interpreter's and the peer's package versions, or None if any is missing."""
    # importlib.metadata is new in Python 3.8; neupy's environment is 3.7.
    probe = "\n".join(
        [
            "import json, platform",
            "try:",
            "    from importlib.metadata import version",
            "except ImportError:",
            "    import pkg_resources",
            "    def version(d): return pkg_resources.get_distribution(d).version",
            "out = dict(python=platform.python_version())",
            f"out.update((d, version(d)) for d in {list(SPECS[name].dists)!r})",
            "print(json.dumps(out))",
        ]
    )
    cmd = [str(_python(name)), "-c", probe]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout) if done.returncode == 0 else None


class Worker:
    """A peer's worker process: it has run its task once and times one repeat on request.

    ``result`` holds the worker's ``result.json``, its output arrays under ``"outputs"`` and
    the environment's versions under ``"versions"``. A worker that fails or overruns raises
    ``AssertionError`` (the case is reported as failed). Call :meth:`close` when done.
    """

    def __init__(self, name: str, task: dict, arrays: dict[str, np.ndarray], timeout: float):
        versions = ensure(name)
        self.name = name
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix=f"hopfield-{name}-")
        folder = Path(self._tmp.name)
        np.savez(folder / "inputs.npz", **arrays)
        (folder / "task.json").write_text(json.dumps(task))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env.update(TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
        self._log = (folder / "stderr.txt").open("w+")
        self._proc = subprocess.Popen(
            [str(_python(name)), str(WORKER), str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env=env,
        )
        try:
            self._until(lambda line: line == "ready")
            self.result = json.loads((folder / "result.json").read_text())
            with np.load(folder / "outputs.npz") as out:
                self.result["outputs"] = {k: out[k] for k in out.files}
        except BaseException:
            self.close()
            raise
        self.result["versions"] = versions

    def _until(self, accept) -> str:
        """The first line the worker prints that ``accept`` takes (libraries may print too)."""
        while True:
            ready, _, _ = select.select([self._proc.stdout], [], [], self.timeout)
            if not ready:
                raise AssertionError(f"{self.name}: the worker was silent for {self.timeout:.0f} s")
            line = self._proc.stdout.readline()
            if not line:
                self._log.seek(0)
                raise AssertionError(f"{self.name}: the worker failed: {self._log.read()[-600:]}")
            if accept(line.strip()):
                return line.strip()

    def repeat(self) -> float:
        """Seconds per call of one timed repeat, run in the worker's process."""
        time.sleep(SETTLE)  # our idle thread pools stop spinning before the worker times
        self._proc.stdin.write("repeat\n")
        self._proc.stdin.flush()
        return float(self._until(_is_number))

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._log.close()
        self._tmp.cleanup()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True

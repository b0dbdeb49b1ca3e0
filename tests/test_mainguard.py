"""A sweep at a script's top level without ``if __name__ == "__main__":`` (spawned pools)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = """\
from hopfield._mainguard import unguarded_call

def helper():
    return unguarded_call()

print("top", helper())
if __name__ == "__main__":
    print("guarded", helper())
if "__main__" == __name__:
    print("reversed", helper())
"""

SWEEP = """\
import functools
import warnings
import hopfield as hf
from hopfield import experiments

df = experiments.capacity(hf.Hopfield, n=20, loads=[0.1], trials=2, progress=False{extra})
print("rows", len(df))
"""


def _run(tmp_path, source: str) -> subprocess.CompletedProcess:
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )


def test_finds_the_unguarded_top_level_line_and_only_it(tmp_path):
    done = _run(tmp_path, PROBE)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"top ({str(tmp_path / 'script.py')!r}, 6)"
    assert lines[1:] == ["guarded None", "reversed None"]
    # Not a script (python -c): workers import nothing again.
    code = "from hopfield._mainguard import unguarded_call; print(unguarded_call())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"


def test_an_unguarded_sweep_runs_in_process_with_a_warning_that_says_what_to_add(tmp_path):
    done = _run(tmp_path, SWEEP.format(extra=""))
    assert done.returncode == 0, done.stderr
    assert "rows 2" in done.stdout
    assert "RuntimeWarning" in done.stderr
    assert "if __name__ == \"__main__\":" in done.stderr
    assert "script.py:6: RuntimeWarning" in done.stderr  # points at the user's line
    assert "BrokenProcessPool" not in done.stderr


def test_an_explicit_spawn_pool_is_refused_before_any_process_starts(tmp_path):
    extra = ", executor=experiments.process_pool(1)"
    done = _run(tmp_path, SWEEP.format(extra=extra))
    assert done.returncode == 1
    assert "RuntimeError: executor: " in done.stderr
    assert "script.py, line 6" in done.stderr
    assert "if __name__ == \"__main__\":" in done.stderr
    assert "BrokenProcessPool" not in done.stderr

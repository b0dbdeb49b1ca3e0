"""README is code: every ```python block runs as written, in order, in a fresh interpreter.

The blocks are joined into one script and run by a fresh ``python -c`` in a subprocess, in a
temporary folder (they write files): as if pasted at the prompt, so the process pool's workers
do not import the script again (``tests/test_mainguard.py`` covers scripts run from a file).
A block that cannot run here (it needs a Dask scheduler's address) is marked with an HTML
comment ``<!-- no-run: why -->`` on the line before its fence; use it sparingly.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^(?:<!-- no-run(?P<why>[^>]*)-->\n)?```python\n(?P<code>.*?)^```", re.M | re.S)


def _blocks() -> list[tuple[str | None, str]]:
    """(reason to skip or None, code) of every Python block, in order."""
    return [(m["why"], m["code"]) for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]


def test_readme_has_python_blocks_and_few_are_skipped():
    blocks = _blocks()
    assert len(blocks) >= 5
    skipped = [why for why, _ in blocks if why is not None]
    assert len(skipped) <= 1, skipped
    assert all(why.strip(" :") for why in skipped), "a no-run marker must say why"


def test_readme_python_blocks_run_in_order(tmp_path):
    script = "\n\n".join(code for why, code in _blocks() if why is None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"README blocks failed:\n{done.stderr[-4000:]}"
    # The blocks write what they say they write.
    assert (tmp_path / "net.npz").is_file()
    assert (tmp_path / "capacity.png").is_file()

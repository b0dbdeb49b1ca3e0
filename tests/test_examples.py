"""Every script in examples/ runs, at the sizes HOPFIELD_EXAMPLE_QUICK=1 selects, and has the
docstring sphinx-gallery needs: a reST title whose underline is as long as the title.

The scripts are found by glob, so a new example is covered without editing this file.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_examples_are_found():
    assert len(EXAMPLES) >= 10, [p.name for p in EXAMPLES]


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_is_a_gallery_script_that_runs(script):
    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    assert doc, f"{script.name}: no module docstring"
    lines = doc.splitlines()
    assert len(lines) >= 3, f"{script.name}: the docstring needs a title and a description"
    title, underline = lines[0], lines[1]
    assert title.strip() and title == title.strip(), f"{script.name}: bad title {title!r}"
    assert set(underline) == {"="} and len(underline) == len(title), (
        f"{script.name}: the title {title!r} needs an underline of {len(title)} '='"
    )
    assert "# %%" in script.read_text(encoding="utf-8"), f"{script.name}: no # %% cells"

    env = {**os.environ, "HOPFIELD_EXAMPLE_QUICK": "1", "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip(), f"{script.name} printed nothing"

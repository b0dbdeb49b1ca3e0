"""The README and the documentation pages are code: every ```python block runs, in order.

Each page (the README, and every Markdown page under ``docs/``) is one script: its Python
blocks joined and run by a fresh ``python -c`` in a temporary folder (they write files), as if
pasted at the prompt, so a process pool's workers do not import the script again
(``tests/test_mainguard.py`` covers scripts run from a file). A block that cannot run here (it
needs a Dask scheduler's address) is marked with an HTML comment ``<!-- no-run: why -->`` on
the line before its fence; use it sparingly. The Sphinx build itself (``sphinx-build -W``) runs
in ``.ci/run``, not here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BLOCK = re.compile(r"^(?:<!-- no-run(?P<why>[^>]*)-->\n)?```python\n(?P<code>.*?)^```", re.M | re.S)
PAGES = [ROOT / "README.md"] + sorted(
    p
    for p in DOCS.rglob("*.md")
    if not {"_build", "generated", "auto_examples"} & set(p.relative_to(DOCS).parts)
)
# What a page's code says it writes, checked after it ran.
WRITES = {"README": ["net.npz", "capacity.png"], "student": ["letters.png", "capacity.png"]}


def _blocks(page: Path) -> list[tuple[str | None, str]]:
    """(reason to skip or None, code) of every Python block of a page, in order."""
    return [(m["why"], m["code"]) for m in BLOCK.finditer(page.read_text(encoding="utf-8"))]


def test_the_readme_and_the_guides_have_code_and_few_blocks_are_skipped():
    # Guards the walk: the pages must be found and must hold code to run.
    guides = [p for p in PAGES if p.parent.name == "guides" and p.name != "index.md"]
    assert len(guides) == 4
    assert all(len(_blocks(p)) >= 3 for p in guides)
    assert len(_blocks(ROOT / "README.md")) >= 5
    for page in PAGES:
        skipped = [why for why, _ in _blocks(page) if why is not None]
        assert len(skipped) <= 1, (page.name, skipped)
        assert all(why.strip(" :") for why in skipped), "a no-run marker must say why"


@pytest.mark.parametrize("page", [p for p in PAGES if _blocks(p)], ids=lambda p: p.stem)
def test_page_python_blocks_run_in_order(page, tmp_path):
    script = "\n\n".join(code for why, code in _blocks(page) if why is None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, f"{page.name} blocks failed:\n{done.stderr[-4000:]}"
    for name in WRITES.get(page.stem, []):
        assert (tmp_path / name).is_file(), f"{page.name} did not write {name}"

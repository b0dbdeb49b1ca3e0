"""The documentation pages are code: every ```python block of a page runs, in order.

Each page under ``docs/`` (Markdown, MyST) is one script: its Python blocks joined and run by a
fresh interpreter in a temporary folder, as ``tests/test_readme.py`` does for the README. A
block that cannot run here is marked ``<!-- no-run: why -->`` on the line before its fence.
The Sphinx build itself (``sphinx-build -W``) runs in ``.ci/run``, not here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"^(?:<!-- no-run(?P<why>[^>]*)-->\n)?```python\n(?P<code>.*?)^```", re.M | re.S)
PAGES = sorted(
    p
    for p in DOCS.rglob("*.md")
    if not {"_build", "generated", "auto_examples"} & set(p.relative_to(DOCS).parts)
)


def _blocks(page: Path) -> list[tuple[str | None, str]]:
    return [(m["why"], m["code"]) for m in BLOCK.finditer(page.read_text(encoding="utf-8"))]


def test_the_guides_have_code():
    # Guards the walk: the user guides must be found and must hold code to run.
    guides = [p for p in PAGES if p.parent.name == "guides" and p.name != "index.md"]
    assert len(guides) == 4
    assert all(len(_blocks(p)) >= 3 for p in guides)


@pytest.mark.parametrize("page", [p for p in PAGES if _blocks(p)], ids=lambda p: p.stem)
def test_page_python_blocks_run_in_order(page, tmp_path):
    blocks = _blocks(page)
    skipped = [why for why, _ in blocks if why is not None]
    assert all(why.strip(" :") for why in skipped), "a no-run marker must say why"
    script = "\n\n".join(code for why, code in blocks if why is None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, f"{page.name} blocks failed:\n{done.stderr[-4000:]}"

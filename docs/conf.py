"""Sphinx configuration for the hopfield documentation.

Build it from the repository root (``pip install torch==2.13.0 ".[docs]"`` first)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

With ``HOPFIELD_DOCS_QUICK=1`` (what CI does) the gallery runs each example at its reduced
size (``HOPFIELD_EXAMPLE_QUICK=1``) and the reproduce page runs a fast subset of the suite.
Every warning is an error (``-W``), broken cross-references included (``nitpicky``).
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS))

import _generate  # noqa: E402  (docs/_generate.py: the pages made from the code)

import hopfield  # noqa: E402

# numpydoc drops the text under a section heading it does not know, warning only in Python:
# make that fail the build, as -W makes every Sphinx warning fail it.
warnings.filterwarnings("error", message="Unknown section", category=UserWarning)

QUICK = os.environ.get("HOPFIELD_DOCS_QUICK") == "1"
if QUICK:
    os.environ["HOPFIELD_EXAMPLE_QUICK"] = "1"  # the examples read it when the gallery runs them
os.environ.setdefault("MPLBACKEND", "Agg")

project = "hopfield"
author = "The hopfield developers"
copyright = "2026, the hopfield developers"
version = release = hopfield.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax served with the pages: the site works offline
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
    "sphinx_design",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "generated/*.md",  # included by the pages that show them
    "generated/reproduce",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "images/*.py",
]
templates_path = ["_templates"]
nitpicky = True  # every cross-reference must resolve

# -- the API reference -------------------------------------------------------------------------
autosummary_generate = True
autodoc_typehints = "none"  # types are in the numpydoc sections, written for people
autodoc_member_order = "bysource"
numpydoc_show_class_members = False  # the class template lists members once
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False  # parameter types are prose ("array_like of shape (K, N)")
numpydoc_validation_checks = {"all", *_generate.SPHINX_IGNORED}
numpydoc_validation_exclude = {
    # Private helpers that public classes inherit are not part of the surface.
    r"\._[a-z]",
    # Constants carry no docstring of their own (numpydoc would read their type's); their
    # module's docstring documents them.
    *_generate.constants_pattern(),
}

# -- MyST (the Markdown pages, and the README and benchmark notes they include) ----------------
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# -- the gallery: examples/ run at build time ----------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r".*\.py$",
    "ignore_pattern": r"__init__\.py",
    "download_all_examples": False,
    "within_subsection_order": "FileNameSortKey",
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib",),
    "capture_repr": ("_repr_html_",),
    "show_memory": False,
    "min_reported_time": 1,
}

# -- HTML -----------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"hopfield {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False


def _skip_foreign(app, what, name, obj, skip, options):
    """Leave out members a class inherits from other libraries (``torch.nn.Module``,
    scikit-learn's mixins, Python's own types), documented there, a named tuple's field
    accessors, documented in its class docstring, and deprecated aliases."""
    if what != "class":
        return None
    if type(obj).__name__ == "_tuplegetter":
        return True
    if (getattr(obj, "__doc__", None) or "").startswith("Deprecated"):
        return True  # an old name kept for one release: the class docstring's Notes say so
    target = getattr(obj, "fget", obj)
    module = getattr(target, "__module__", None) or ""
    if callable(target) and not module.startswith("hopfield"):
        return True
    return None


def _module_sections_as_rubrics(app, what, name, obj, options, lines):
    """Render a module docstring's numpydoc headings as numpydoc renders a function's.

    numpydoc leaves module docstrings as they are, so ``References`` underlined with dashes
    would become a section of the page, with a label that collides with every other module's.
    """
    if what != "module":
        return
    # numpydoc renames a docstring's citations [1] to [R<hash>-1] and relabels them in the
    # doctree only inside the docstrings it renders; in a module docstring they would show
    # as [R<hash>-1]. A module's footnotes are local to its page, so the plain numbers do.
    lines[:] = [re.sub(r"\[R[0-9a-f]+-(\w+)\]", r"[\1]", line) for line in lines]
    out, i = [], 0
    while i < len(lines):
        title = lines[i].strip()
        under = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if title and under and set(under) == {"-"} and len(under) == len(title):
            out += [f".. rubric:: {title}", ""]
            i += 2
            continue
        out.append(lines[i])
        i += 1
    lines[:] = out


def setup(app):
    app.connect("autodoc-skip-member", _skip_foreign)
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)
    # Pages made from the code (the API reference, the reproduce report, the benchmark figures)
    # are written before Sphinx reads the sources, so that they take part in the build.
    # config-inited comes before autosummary's builder-inited, which reads the API pages to
    # write a stub per name: on a clean checkout they must exist by then.
    app.connect("config-inited", lambda app, config: _generate.all_pages(DOCS, quick=QUICK))

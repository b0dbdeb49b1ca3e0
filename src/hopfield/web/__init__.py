"""``hopfield serve``: an interactive page to draw, store, corrupt and watch recall.

A FastAPI application (:func:`hopfield.web.create_app`) serves one page of HTML, CSS and plain
JavaScript shipped in this package (it works offline: nothing is fetched from elsewhere) and a
stateless JSON API that computes with the library's own models: the page draws exactly what
``hopfield`` computes. Needs the ``web`` extra: ``pip install "hopfield[web]"``.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]

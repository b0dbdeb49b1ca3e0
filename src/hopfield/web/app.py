"""The FastAPI application behind ``hopfield serve``: one static page and a stateless JSON API.

The page (``static/``: HTML, CSS and plain JavaScript, nothing fetched from elsewhere) holds the
user's patterns and sends them with every request; the server keeps nothing between requests,
so tabs and users never see each other's data. Routes:

=======================  ==========================================================================
route                    what it answers
=======================  ==========================================================================
``GET /``                the page
``GET /static/...``      its files (only files inside the static folder are served)
``GET /api/health``      liveness and the limits below
``POST /api/recall``     store, recall, return the whole trajectory (``compute.recall``)
``POST /api/corrupt``    flip pixels and hide a band of a cue
``POST /api/preset``     letters, digits or random patterns
``POST /api/capacity``   recall quality as random patterns are added
``POST /api/landscape``  every attractor of a network of N ≤ 16 neurons
=======================  ==========================================================================

Every body is validated (``hopfield.web.schemas``); a violation is answered 422 with a
message naming the field, a body over ``hopfield.web.schemas.MAX_BODY_BYTES`` is refused
with 413 before it is read in full.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from . import compute
from . import schemas as s

__all__ = ["create_app"]

STATIC = Path(str(files("hopfield.web") / "static"))

_SECURITY_HEADERS = [
    # Everything the page needs comes from this server: no CDN, no inline script.
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; object-src 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class _BodyLimit:
    """Refuse request bodies over ``limit`` bytes (413), by header and while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(self.limit, send)
            return
        # Read the whole body here (it is at most ``limit`` bytes) so that an oversized
        # stream is refused before any route sees it, then hand it on unchanged.
        chunks, seen, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), _with_headers(send))
                return
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.limit:
                await _too_large(self.limit, send)
                return
            more = message.get("more_body", False)
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], receive), _with_headers(send))


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = list(message.get("headers", [])) + _SECURITY_HEADERS
        await send(message)

    return wrapped


async def _too_large(limit: int, send: Send) -> None:
    body = json.dumps(
        {"detail": f"request body: expected at most {limit} bytes", "field": "body"}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *_SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _field(loc: tuple) -> str:
    """``("body", "model", "dense", "degree")`` → ``"model.degree"``."""
    parts = [str(p) for p in loc if p != "body"]
    kinds = {"classical", "dense", "modern"}
    # The discriminated union adds the model's kind to the path: drop it, keep the field.
    parts = [p for i, p in enumerate(parts) if not (i and parts[i - 1] == "model" and p in kinds)]
    return ".".join(parts) or "body"


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for err in exc.errors():
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        field = _field(tuple(err.get("loc", ())))
        # Validators start their messages with the field ("cue: expected ..."); pydantic's own
        # messages do not, so they get the field from the error's location.
        name, sep, _ = msg.partition(": ")
        if sep and name.replace(".", "").replace("_", "").isalnum():
            errors.append({"field": name, "message": msg})
        else:
            errors.append({"field": field, "message": f"{field}: {msg}"})
    return JSONResponse(
        status_code=422,
        content={"detail": "; ".join(e["message"] for e in errors), "errors": errors},
    )


async def _library_refused(request: Request, exc: ValueError) -> JSONResponse:
    # The library validates what the schemas cannot know (e.g. F overflowing at this N); its
    # messages start with the argument's name.
    message = str(exc)
    return JSONResponse(
        status_code=422,
        content={
            "detail": message,
            "errors": [{"field": message.split(":", 1)[0], "message": message}],
        },
    )


def _json(content: dict) -> Response:
    body = json.dumps(content, separators=(",", ":"), allow_nan=False)
    return Response(body, media_type="application/json")


def create_app() -> FastAPI:
    """Build the web application behind ``hopfield serve``: the page and its JSON API.

    The page (HTML, CSS and plain JavaScript shipped in the package, nothing fetched from
    elsewhere) holds the user's patterns and sends them with every request; the API is
    stateless. Routes: ``GET /`` (the page), ``GET /static/...``, ``GET /api/health``
    (liveness and limits) and ``POST /api/recall``, ``/api/corrupt``, ``/api/preset``,
    ``/api/capacity``, ``/api/landscape``. Every body is validated: a violation is answered
    422 with a message naming the field, a body over ``MAX_BODY_BYTES`` (2 MiB) is refused
    with 413 before it is read in full. Needs the ``web`` extra.

    Returns
    -------
    fastapi.FastAPI
        The application; serve it with any ASGI server (``hopfield serve`` uses uvicorn).

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> from hopfield.web import create_app
    >>> client = TestClient(create_app())
    >>> client.get("/api/health").json()["status"]
    'ok'
    >>> r = client.post("/api/recall", json={"patterns": [[1, -1, 1, -1]], "cue": [1, 1, 1, -1],
    ...                                      "model": {"kind": "classical"}})
    >>> r.json()["states"][-1], r.json()["verdict"]["kind"]
    ([1, -1, 1, -1], 'pattern')
    """
    app = FastAPI(
        title="hopfield",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(ValueError, _library_refused)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(_BodyLimit, limit=s.MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/api/health")
    def health() -> dict:
        return {
            "status": "ok",
            "version": __version__,
            "limits": {
                "neurons": s.MAX_NEURONS,
                "patterns": s.MAX_PATTERNS,
                "steps": s.MAX_STEPS,
                "landscape_neurons": s.MAX_LANDSCAPE_NEURONS,
                "capacity_neurons": s.MAX_CAPACITY_NEURONS,
                "body_bytes": s.MAX_BODY_BYTES,
                "side": [s.MIN_SIDE, s.MAX_SIDE],
            },
        }

    # Plain ``def`` routes: the computation runs in the server's thread pool, not the loop.
    # The answers are plain lists and numbers: dumped straight to JSON, without FastAPI's
    # encoder walking every element of the trajectory again.
    @app.post("/api/recall", response_class=Response)
    def recall(req: s.RecallRequest) -> Response:
        return _json(compute.recall(req))

    @app.post("/api/corrupt", response_class=Response)
    def corrupt(req: s.CorruptRequest) -> Response:
        return _json(compute.corrupt(req))

    @app.post("/api/preset", response_class=Response)
    def preset(req: s.PresetRequest) -> Response:
        return _json(compute.preset(req))

    @app.post("/api/capacity", response_class=Response)
    def capacity(req: s.CapacityRequest) -> Response:
        return _json(compute.capacity(req))

    @app.post("/api/landscape", response_class=Response)
    def landscape(req: s.LandscapeRequest) -> Response:
        return _json(compute.census(req))

    return app

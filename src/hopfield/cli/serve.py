"""``hopfield serve``: the interactive page (draw, store, corrupt, watch recall) in a browser."""

from __future__ import annotations

import ipaddress
import threading
import webbrowser

import typer

from ._app import app


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: str = typer.Option(
        "127.0.0.1", help="Address to bind; the default serves this machine only."
    ),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    open_browser: bool = typer.Option(
        False, "--open", help="Open the page in the default web browser."
    ),
) -> None:
    """Serve the interactive page: draw patterns, store them, corrupt one, watch it recalled."""
    try:
        import uvicorn

        from ..web import create_app
    except ImportError as err:
        typer.echo(
            f"hopfield serve needs the web extra ({err.name} is missing): "
            'pip install "hopfield[web]"',
            err=True,
        )
        raise typer.Exit(1) from None
    if not _loopback(host):
        typer.echo(
            f"Warning: binding {host} makes the page reachable from other machines.", err=True
        )
    url = f"http://{'localhost' if _loopback(host) else host}:{port}/"
    typer.echo(f"hopfield: serving the page at {url} (Ctrl+C stops it)")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")

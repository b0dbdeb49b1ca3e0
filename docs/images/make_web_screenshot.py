"""Regenerate docs/images/web.png, the README's picture of ``hopfield serve``.

Run from the repository root with the test extra installed and Debian's ``chromium``:

    python docs/images/make_web_screenshot.py

It serves the page on a free loopback port, draws "H" with the mouse, stores it with the preset
letters "O" and "P", corrupts it, recalls it asynchronously (pseudo-inverse rule), runs the
capacity panel, and photographs the page.
"""

from __future__ import annotations

import io
import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from PIL import Image
from playwright.sync_api import sync_playwright

from hopfield.web import create_app

OUT = Path(__file__).resolve().parent / "web.png"
CHROMIUM = "/usr/bin/chromium"
# "H" on the 10 × 10 grid: (row, column) strokes, each dragged with the mouse.
H_STROKES = [((1, 2), (8, 2)), ((1, 7), (8, 7)), ((4, 3), (4, 6)), ((5, 3), (5, 6))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drag(page, box, side: int, start, stop) -> None:
    cell = box["width"] / side

    def at(rc):
        return box["x"] + (rc[1] + 0.5) * cell, box["y"] + (rc[0] + 0.5) * cell

    page.mouse.move(*at(start))
    page.mouse.down()
    steps = max(abs(stop[0] - start[0]), abs(stop[1] - start[1])) * 3 + 1
    page.mouse.move(*at(stop), steps=steps)
    page.mouse.up()


def main() -> int:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            # The page forbids eval (CSP); Playwright's waits evaluate expressions, so lift it here.
            page = browser.new_page(viewport={"width": 1360, "height": 900}, bypass_csp=True)
            page.goto(f"http://127.0.0.1:{port}/")
            box = page.locator("#board").bounding_box()
            for start, stop in H_STROKES:
                drag(page, box, 10, start, stop)
            page.click("#store")
            for letter in "OP":
                page.select_option("#preset", f"letters:{letter}")
                page.click("#store-preset")
                page.wait_for_function(
                    f"document.querySelectorAll('#gallery li').length >= {'OP'.index(letter) + 2}",
                    timeout=10_000,
                )
            page.click("#cap-run")  # the capacity of Hebb's rule, the default
            page.select_option("#rule", "pseudoinverse")
            page.click("#gallery li:first-child .thumb")
            page.click("#flip")
            page.wait_for_function(
                "document.getElementById('status').textContent.startsWith('Flipped')",
                timeout=10_000,
            )
            page.click("#band")
            page.wait_for_function(
                "document.getElementById('status').textContent.startsWith('Hid')", timeout=10_000
            )
            page.locator("#speed").fill("60")
            page.click("#run")
            page.wait_for_function(
                "document.getElementById('board').dataset.state === 'done'", timeout=30_000
            )
            page.wait_for_function(
                "document.getElementById('cap-status').textContent.includes('K = 40')",
                timeout=30_000,
            )
            png = page.screenshot(full_page=False)
            browser.close()
    finally:
        server.should_exit = True
        thread.join(5)
    # A 64-colour palette keeps the README's picture small (the page has few colours).
    Image.open(io.BytesIO(png)).convert("RGB").quantize(96).save(OUT, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

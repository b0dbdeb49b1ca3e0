"""The page of ``hopfield serve`` in a real browser, end to end.

Serves the app with uvicorn on a free loopback port and drives the system Chromium (Debian's
``chromium`` package, no browser download) with Playwright: draw a letter with the mouse, store
it with two preset letters, corrupt it, run an asynchronous recall and check that the grid ends
on the stored letter and that the energy curve drawn on the page never rises.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or next(
    (p for p in ("/usr/bin/chromium",) if os.path.exists(p)), None
)
if CHROMIUM is None:
    pytest.skip(
        "Chromium is not installed (Debian: apt-get install -y chromium; .ci/run installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")

from hopfield.web import create_app  # noqa: E402

SIDE = 10
WAIT_MS = 15_000  # every wait on the page is bounded


@pytest.fixture(scope="module")
def server_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM)
        yield b
        b.close()


@pytest.fixture
def page(browser, server_url):
    # The page's CSP forbids eval; Playwright's wait_for_function evaluates its expression.
    context = browser.new_context(viewport={"width": 1360, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(WAIT_MS)
    errors = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    pg.goto(server_url)
    pg.wait_for_selector("#board")
    yield pg
    context.close()
    assert not errors, errors


def board_values(page) -> list[int]:
    return [int(v) for v in page.locator("#board").get_attribute("data-values").split(",")]


def drag(page, start, stop) -> None:
    """Drag the mouse over the grid from cell (row, column) ``start`` to ``stop``."""
    box = page.locator("#board").bounding_box()
    cell = box["width"] / SIDE

    def at(rc):
        return box["x"] + (rc[1] + 0.5) * cell, box["y"] + (rc[0] + 0.5) * cell

    page.mouse.move(*at(start))
    page.mouse.down()
    page.mouse.move(*at(stop), steps=4 * max(abs(stop[0] - start[0]), abs(stop[1] - start[1])))
    page.mouse.up()


def wait_text(page, element: str, text: str) -> None:
    page.wait_for_function(
        "([id, text]) => document.getElementById(id).textContent.includes(text)",
        arg=[element, text],
    )


def test_draw_store_corrupt_and_recall_a_letter(page, tmp_path):
    # An "L" drawn with the mouse: a stroke down column 2, then along row 8.
    drag(page, (1, 2), (8, 2))
    drag(page, (8, 3), (8, 7))  # from an empty cell: a stroke paints what its first cell is not
    letter = -np.ones((SIDE, SIDE), dtype=int)
    letter[1:9, 2] = 1
    letter[8, 2:8] = 1
    assert board_values(page) == letter.ravel().tolist()
    page.click("#store")
    for count, char in ((2, "O"), (3, "X")):
        page.select_option("#preset", f"letters:{char}")
        page.click("#store-preset")
        page.wait_for_function(
            "k => document.querySelectorAll('#gallery li').length === k", arg=count
        )

    page.click("#gallery li:first-child .thumb")
    assert board_values(page) == letter.ravel().tolist()
    page.click("#flip")
    wait_text(page, "status", "Flipped 15 pixels")
    cue = np.array(board_values(page))
    assert int((cue != letter.ravel()).sum()) == 15

    page.locator("#speed").fill("100")  # 1000 frames a second: the animation takes no time
    page.click("#run")  # asynchronous updates with Hebb's rule are the defaults
    page.wait_for_function("document.getElementById('board').dataset.state === 'done'")

    assert board_values(page) == letter.ravel().tolist()
    assert "Recalled “drawn 1” exactly" in page.locator("#verdict").text_content()
    drawn = json.loads(page.locator("#energy").get_attribute("data-drawn"))
    assert len(drawn) >= 2  # the start and at least one flip
    assert all(b <= a for a, b in zip(drawn, drawn[1:], strict=False)), drawn
    assert drawn[-1] < drawn[0]
    shot = tmp_path / "recall.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_the_grid_can_be_drawn_with_the_keyboard(page):
    page.focus("#board")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # cell (1, 1) to ink
    page.keyboard.press("ArrowRight")
    page.keyboard.press("u")  # cell (1, 2) unknown
    values = board_values(page)
    assert values[SIDE + 1] == 1 and values[SIDE + 2] == 0
    assert sum(v != -1 for v in values) == 2
    wait_text(page, "status", "Row 2, column 3: unknown")
    # Storing a pattern with an unknown pixel is refused with a message.
    page.click("#store")
    wait_text(page, "status", "Only ±1 patterns can be stored")
    assert page.locator("#gallery li").count() == 0

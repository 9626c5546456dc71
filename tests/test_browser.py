"""A learner's first steps, in a real JupyterLab started by `make lab`, in a real browser.

Needs Chromium (Debian's ``chromium`` package) and the ``playwright`` Python
package, which drives the system's Chromium (no browser download). Without
Chromium the test is skipped; CI installs it. The server listens on 127.0.0.1
only, with a token, and autosave is off so the lessons in the repository stay
untouched. Screenshots go to ``$SCREENSHOT_DIR`` (default: pytest's tmp_path).
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from notebook_tools import exercises

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright to run the browser test")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="install Chromium (apt install chromium) "
                                                          "to run the browser test")
#: Flags for Chromium on a machine without a network beyond localhost.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_jupyter_dirs(tmp_path):
    """Settings, runtime and workspace folders of our own: autosave off, every cell in the page."""
    settings = tmp_path / "settings"
    for plugin, values in (("docmanager-extension/plugin", {"autosave": False}),
                           ("notebook-extension/tracker", {"windowingMode": "none"})):
        path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return {"JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws"),
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}


@pytest.fixture
def lab(tmp_path):
    """`make lab` on 127.0.0.1 with a token; yields the server's base URL and token."""
    port, token = free_port(), secrets.token_hex(16)
    args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
            f"--IdentityProvider.token={token} --ServerApp.port_retries=0")
    env = {**os.environ, **isolated_jupyter_dirs(tmp_path)}
    server = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(tmp_path / "lab.log", "w"),
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(f"{base}/api/status?token={token}", server, tmp_path / "lab.log")
        yield base, token
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def wait_for_server(url, server, log, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"`make lab` exited with {server.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {seconds} s:\n{log.read_text()[-2000:]}")


@pytest.fixture
def page(tmp_path):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 1300, "height": 1000})
        browser.close()


def screenshot(page, name, tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name))


def run_all_cells(page):
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def wait_until_all_cells_ran(page, seconds=180):
    """Wait until every code cell shows an execution number, like [12]."""
    page.wait_for_function(
        "() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];"
        "        return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }",
        timeout=seconds * 1000)


def test_make_lab_runs_lesson_01_and_its_sliders_redraw_the_figure(lab, page, tmp_path):
    try:
        learner_runs_lesson_01(*lab, page, tmp_path)
    except Exception:
        screenshot(page, "failure.png", tmp_path)  # what the browser showed when it failed
        raise


def learner_runs_lesson_01(base, token, page, tmp_path):
    lesson = ROOT / "lessons" / "01_perceptron.ipynb"
    before = lesson.read_bytes()
    page.goto(f"{base}/lab/tree/lessons/01_perceptron.ipynb?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)  # the kernel is ready
    run_all_cells(page)
    wait_until_all_cells_ran(page)

    # Every exercise check says the exercise is not done yet, and nothing else failed but cells that
    # call the learner's unfinished functions (they stop on the stub's NotImplementedError).
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.filter(has_text="is not done yet").count() == len(exercises(lesson))
    others = [text for text in errors.all_inner_texts() if "is not done yet" not in text]
    assert all("NotImplementedError" in text for text in others), others

    # The explorer: three sliders and the figure; moving the bias slider redraws it.
    explorer = page.locator(".widget-vbox").filter(has=page.locator(".widget-image")).first
    explorer.scroll_into_view_if_needed()
    sliders = explorer.locator(".widget-slider")
    assert sliders.count() == 3
    image = explorer.locator(".widget-image")
    src_before = image.get_attribute("src")
    screenshot(page, "01_explorer_before.png", tmp_path)
    handle = sliders.nth(2).locator(".noUi-handle")
    handle.focus()
    for _ in range(10):
        handle.press("ArrowRight")
    page.wait_for_function("([img, src]) => img.getAttribute('src') !== src", arg=[image.element_handle(), src_before],
                           timeout=10_000)
    assert sliders.nth(2).locator(".widget-readout").inner_text().strip() == "0.0"  # -1.0 moved by 10 x 0.1
    screenshot(page, "01_explorer_after.png", tmp_path)
    # An offline course asks nothing about fetching Jupyter news.
    assert page.get_by_text("notified about official Jupyter news").count() == 0
    assert lesson.read_bytes() == before, "the browser test must not save into lessons/"


def element_screenshot(locator, name, tmp_path):
    """A screenshot of one element, into ``$SCREENSHOT_DIR`` (e.g. ``docs/images``) or pytest's tmp_path."""
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(folder / name))


def wait_until_unchanged(image, seconds=20):
    """Wait until an image's src stays the same for a second; return it."""
    deadline, last = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        src = image.get_attribute("src")
        if src == last:
            return src
        last = src
        time.sleep(1.0)
    pytest.fail(f"the explorer's picture kept changing for {seconds} s")


def test_lesson_06_runs_in_the_browser_and_its_learning_rate_slider_redraws_the_explorer(lab, page, tmp_path):
    try:
        learner_runs_lesson_06(*lab, page, tmp_path)
    except Exception:
        screenshot(page, "06_failure.png", tmp_path)
        raise


def learner_runs_lesson_06(base, token, page, tmp_path):
    notebook = ROOT / "solutions" / "06_gradient_descent.ipynb"
    before = notebook.read_bytes()
    page.set_viewport_size({"width": 1700, "height": 1100})  # the explorer's three panels side by side
    page.goto(f"{base}/lab/tree/solutions/06_gradient_descent.ipynb?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
    run_all_cells(page)
    wait_until_all_cells_ran(page)

    # The solutions are complete: no cell shows an error, and every check passes.
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    assert page.locator(".jp-OutputArea-output").filter(has_text="cases passed").count() == 6

    # The explorer: moving the learning-rate slider (keyboard) changes its picture.
    explorer = page.locator(".widget-vbox").filter(has=page.locator(".widget-image")).filter(
        has=page.locator(".widget-slider", has_text="η (lr)")).first
    explorer.scroll_into_view_if_needed()
    image = explorer.locator(".widget-image").first
    slider = explorer.locator(".widget-slider", has_text="η (lr)").first
    readout_before = slider.locator(".widget-readout").inner_text().strip()
    src_before = image.get_attribute("src")
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(10):  # 10 keyboard steps of 0.01 in log10(lr): lr grows by a factor 10^0.1, 0.03 -> 0.038
        handle.press("ArrowRight")
    page.wait_for_function("([img, src]) => img.getAttribute('src') !== src", arg=[image.element_handle(), src_before],
                           timeout=10_000)
    assert slider.locator(".widget-readout").inner_text().strip() != readout_before
    settled = wait_until_unchanged(image)  # the kernel has caught up with the last key press
    assert settled != src_before
    element_screenshot(explorer, "gradient_descent_explorer.png", tmp_path)
    assert notebook.read_bytes() == before, "the browser test must not save into solutions/"

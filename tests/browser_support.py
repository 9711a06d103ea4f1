"""Shared pieces of the real-browser tests: a Streamlit server on a free loopback port with a readiness
wait, Debian's Chromium driven by Playwright with every request off this machine blocked, and the wait
for a page's script run to finish. Every browser test file builds on these, so they start the app the
same way."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tsk.config import ROOT

OIDC_DIR = ROOT / "tests" / "oidc"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
# The flags this machine's closed network needs (no background connections, no QUIC, no GPU).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = ("127.0.0.1", "localhost")


# A map's frame: st_folium's for the clickable Översikt map, the map's own HTML page (st.iframe, named
# for screen readers) for the maps that are only looked at.
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"], iframe[srcdoc*="leaflet"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_browser() -> None:
    """Skip with the reason where Chromium is missing; fail where the project's own static files are."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium saknas (Debian-paketet chromium); `make test` installerar det där det går")
    if not (ROOT / "static" / "leaflet" / "leaflet.js").exists():
        pytest.fail("static/leaflet saknas: kör `make static` (ingår i `make run` och `make test`)")


@contextmanager
def streamlit_server(db: Path, *, env: dict | None = None, args: list[str] | None = None,
                     log_name: str = "streamlit.log", health_path: str = "/_stcore/health", port: int | None = None):
    """The app on a free loopback port with `db` as its store; yields the base URL once the health
    check answers (the server's output is in test-artifacts/`log_name`, shown when it does not start)."""
    require_browser()
    port = port or free_port()  # given when something must know it before the app starts (a login redirect)
    environment = {**os.environ, "TSK_DB": str(db), **(env or {})}
    log = ARTIFACTS / log_name
    ARTIFACTS.mkdir(exist_ok=True)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *(args or [])],
            cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_health(f"http://127.0.0.1:{port}{health_path}", proc, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_for_health(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"Streamlit did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


@contextmanager
def chromium():
    """Debian's Chromium under Playwright (Playwright cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    require_browser()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def block_outside(context, blocked: list[str]) -> None:
    """Let only requests to this machine through; note every other URL in `blocked`."""

    def only_localhost(route):
        if urlparse(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_localhost)


def open_map_html(browser, html: str, viewport: dict | None = None):
    """A page showing one map's HTML (tsk.maps.map_html) by itself, as its frame would, with the project's
    own Leaflet and nothing else reachable; returns the page once the map is drawn."""
    from tsk.maps.base import STATIC_DIR, static_url

    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 720})
    served = {f"{static_url()}/{name}": STATIC_DIR / name for name in ("leaflet.js", "leaflet.css")}

    def serve(route):
        path = "/" + route.request.url.split("://", 1)[-1].split("/", 1)[-1]
        if path == "/map.html":
            route.fulfill(body=html, content_type="text/html; charset=utf-8")
        elif path in served:
            route.fulfill(path=str(served[path]))
        else:
            route.abort()

    page.route("**/*", serve)
    page.goto("http://tsk.test/map.html")
    page.locator(".leaflet-container .leaflet-pane").first.wait_for(state="attached")
    return page


def wait_until_run_finished(page, timeout: int = 60_000) -> None:
    """Wait for the first heading and for the script run to end (the status widget shows while it runs)."""
    page.get_by_role("heading", level=1).first.wait_for(timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


# What is not drawn yet on the page (an empty list once it is): the script run, stale elements, skeletons, a chart
# without its SVG, a map frame without its Leaflet panes. Charts and maps load after the run ends.
NOT_DRAWN_JS = """() => {
  const missing = [];
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') === 'running') missing.push('script run');
  if (document.querySelector('[data-stale="true"]')) missing.push('stale elements');
  // An element whose code is still loading (the plotly chunk, a chart's first draw) stands as a skeleton.
  if (document.querySelector('[data-testid="stSkeleton"]')) missing.push('elements still loading');
  document.querySelectorAll('.js-plotly-plot').forEach((p, i) => {
    if (!p.querySelector('.main-svg')) missing.push(`chart ${i + 1} without its SVG`);
  });
  document.querySelectorAll('iframe').forEach((f, i) => {
    let d = null; try { d = f.contentDocument; } catch (e) { return; }
    if (d && d.querySelector('script[src*="leaflet"]') && !d.querySelector('.leaflet-container .leaflet-pane'))
      missing.push(`map frame ${i + 1} without Leaflet panes`);
  });
  return missing;
}"""


def wait_until_drawn(page, timeout: float = 90.0, quiet: float = 1.0) -> None:
    """Wait until every chart and map on the page is drawn and the page has stayed so for `quiet` seconds.
    Judged from the document, not from the network: Streamlit keeps connections of its own open, and
    "network idle" once never came within 90 s on a busy CI machine although the page was drawn.
    Fails with what is still missing."""
    deadline = time.monotonic() + timeout
    settled_since = None
    while True:
        missing = page.evaluate(NOT_DRAWN_JS)
        now = time.monotonic()
        if missing:
            settled_since = None
        elif settled_since is None:
            settled_since = now
        elif now - settled_since >= quiet:
            return
        if now > deadline:
            pytest.fail(f"the page was not drawn within {timeout:.0f} s: {', '.join(missing) or 'not settled'}")
        time.sleep(0.1)


def download_table_csv(page, key: str) -> bytes:
    """The CSV of the table `key` (tsk.ui.display.download_buttons) in a «Visa som tabell» expander, fetched
    through the page's own button with one click, once the page has finished its run."""
    button = page.locator(f".st-key-{key}_csv button")
    page.locator('[data-testid="stExpander"]').filter(has=page.locator(f".st-key-{key}_csv")).locator("summary").click()
    button.wait_for(state="visible", timeout=30_000)
    wait_until_run_finished(page)
    page.evaluate(COUNT_RUNS_JS)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    raw = Path(download.value.path()).read_bytes()
    time.sleep(0.5)  # a rerun the click asked for starts before the file comes; leave it time to show
    assert page.evaluate("() => window.tskRunsSince") == 0, "the download's click reran the page"
    return raw


# Counts the script runs from now on (window.tskRunsSince): the app element's script state turning «running».
COUNT_RUNS_JS = """() => {
  window.tskRunsSince = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.tskRunsSince += 1;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@contextmanager
def oidc_provider(port: int, secret: str, redirect_uri: str, users: dict[str, dict]):
    """The test OpenID Connect provider (tests/oidc/provider.mjs) on loopback serving `users` (login ->
    claims: email, groups); yields its base URL once its discovery document answers."""
    node = shutil.which("node")
    if node is None or not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("Node.js eller npm-paketet oidc-provider saknas (tests/oidc: `npm ci`, ingår i `make test`)")
    proc = subprocess.Popen([node, str(OIDC_DIR / "provider.mjs"), str(port), secret, redirect_uri, json.dumps(users)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the OIDC provider did not start: {proc.stdout.read() if proc.poll() is not None else ''}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)

"""The shipped nginx site (deploy/nginx-tsk-dashboard.conf) in front of the app, as kommun IT runs it:
nginx on a loopback port with a self-signed certificate made here, the app behind it at / and at the
sub-path /tsk/ (server.baseUrlPath), and Chromium through it. Every page renders, the map draws (so the
WebSocket and the static files pass), the security headers are there, and an upload over the cap gets
the Swedish page, not nginx's own."""
from __future__ import annotations

import http.client
import re
import shutil
import ssl
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser_support import (
    ARTIFACTS,
    MAP_FRAME,
    chromium,
    free_port,
    streamlit_server,
    wait_until_run_finished,
)
from tsk.config import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx-tsk-dashboard.conf"
PAGES = {"oversikt": "", "lagesbild": "lagesbild", "trygghetsundersokning": "trygghetsundersokning",
         "traffpunkt": "traffpunkt", "vandring": "vandring", "analysgrupp": "analysgrupp",
         "uppfoljning": "uppfoljning", "data": "data"}


def site_for_test(tmp: Path, *, app_port: int, https_port: int, http_port: int, subpath: bool) -> str:
    """The shipped site with only what differs on a test machine replaced: ports, certificate, upstream."""
    text = SITE.read_text(encoding="utf-8")
    for old, new in (("/etc/ssl/certs/tsk.kommun.se.pem", str(tmp / "cert.pem")),
                     ("/etc/ssl/private/tsk.kommun.se.key", str(tmp / "key.pem")),
                     ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("server 127.0.0.1:8501;", f"server 127.0.0.1:{app_port};")):
        assert old in text, old
        text = text.replace(old, new)
    if subpath:  # as the site's comment says: the same location body under /tsk/
        text = text.replace("    location / {", "    location /tsk/ {")
    return text


@contextmanager
def nginx_in_front(tmp: Path, app_url: str, *, subpath: bool):
    if not Path(NGINX).exists():
        pytest.skip("nginx saknas (Debian-paketet nginx-light); `make test` installerar det där det går")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
                   check=True, capture_output=True)
    https_port, http_port = free_port(), free_port()
    app_port = int(app_url.rsplit(":", 1)[1])
    (tmp / "site.conf").write_text(site_for_test(tmp, app_port=app_port, https_port=https_port,
                                                 http_port=http_port, subpath=subpath), encoding="utf-8")
    (tmp / "logs").mkdir(exist_ok=True)
    temp = " ".join(f"{kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(
        f"worker_processes 1; pid {tmp / 'nginx.pid'}; error_log {tmp / 'logs' / 'error.log'};\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{ access_log {tmp / 'logs' / 'access.log'}; {temp} include {tmp / 'site.conf'}; }}\n",
        encoding="utf-8")
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status, _, _ = request(https_port, "GET", "/tsk/_stcore/health" if subpath else "/_stcore/health")
                if status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: {proc.stdout.read().decode() if proc.poll() is not None else ''}"
                            f"{(tmp / 'logs' / 'error.log').read_text() if (tmp / 'logs' / 'error.log').exists() else ''}")
            time.sleep(0.2)
        yield https_port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def request(port: int, method: str, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
    con = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ssl._create_unverified_context())
    try:
        # http.client sends «Accept-Encoding: identity» of its own unless told not to.
        con.putrequest(method, path, skip_accept_encoding="accept-encoding" in {k.lower() for k in headers or {}})
        for k, v in (headers or {}).items():
            con.putheader(k, v)
        con.endheaders()  # no body: nginx answers an announced oversize upload before reading it
        r = con.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
    finally:
        con.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.parametrize("subpath", [False, True], ids=["root", "subpath"])
def test_the_app_behind_the_shipped_nginx_site(demo_db, browser, tmp_path, subpath):
    prefix = "/tsk/" if subpath else "/"
    args = ["--server.baseUrlPath", "tsk"] if subpath else []
    with streamlit_server(demo_db, args=args, log_name=f"streamlit_nginx_{int(subpath)}.log",
                          health_path="/tsk/_stcore/health" if subpath else "/_stcore/health") as app_url, \
            nginx_in_front(tmp_path, app_url, subpath=subpath) as port:
        status, headers, _ = request(port, "GET", prefix)
        assert status == 200
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
        assert headers["strict-transport-security"].startswith("max-age=")
        assert headers["x-content-type-options"] == "nosniff"

        # The app's scripts go compressed to a browser that asks (a first visit fetches ~7 MB of them).
        status, _, index = request(port, "GET", prefix)
        script = re.search(r'src="\.?/?(static/js/index\.[^"]+\.js)"', index)
        assert script, index[:500]
        status, headers, _ = request(port, "GET", prefix + script.group(1), {"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip"
        status, headers, _ = request(port, "GET", prefix + script.group(1))
        assert status == 200 and "content-encoding" not in headers

        status, _, body = request(port, "POST", f"{prefix}_stcore/upload_file/x/y",
                                  {"Content-Length": str(60 * 1024 * 1024), "Content-Type": "application/octet-stream"})
        assert status == 413 and "Filen är för stor: högst 50 MB" in body

        context = browser.new_context(viewport={"width": 1600, "height": 1000}, ignore_https_errors=True)
        try:
            for name, path in PAGES.items():
                page = context.new_page()
                page.goto(f"https://127.0.0.1:{port}{prefix}{path}", wait_until="domcontentloaded")
                wait_until_run_finished(page)
                if name in ("oversikt", "lagesbild"):  # st_folium's frame, and a map page of its own
                    polygons = page.frame_locator(MAP_FRAME).first.locator("path.leaflet-interactive")
                    polygons.first.wait_for(timeout=60_000)
                    assert polygons.count() >= 6
                assert page.locator('[data-testid="stException"]').count() == 0, name
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"nginx_{'tsk' if subpath else 'root'}_{name}.png"))
                page.close()
        finally:
            context.close()

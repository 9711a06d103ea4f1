"""A small tile server on loopback for the base-map tests: generated 256×256 PNG tiles (a pale
checkerboard with the tile's z/x/y written on it), every request counted. Stop it to test the map
without its base map."""
from __future__ import annotations

import io
import re
import threading
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw

TILE = re.compile(r"^/(\d+)/(\d+)/(\d+)\.png$")


@lru_cache(maxsize=512)
def tile_png(z: int, x: int, y: int) -> bytes:
    colour = (214, 232, 214) if (x + y) % 2 else (232, 240, 226)
    img = Image.new("RGB", (256, 256), colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 255, 255], outline=(160, 190, 160))
    draw.text((8, 8), f"{z}/{x}/{y}", fill=(90, 120, 90))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


class TileServer:
    """`with TileServer() as tiles:` serves http://127.0.0.1:<port>/{z}/{x}/{y}.png; `tiles.requests`
    lists the paths asked for; `tiles.stop()` ends it early (the port then refuses connections).
    `tiles.page = (html, csp)` also serves that HTML page at /page with that Content-Security-Policy."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.page: tuple[str, str] | None = None
        served = self.requests
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                if self.path == "/page" and server.page:
                    body, csp = server.page[0].encode(), server.page[1]
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Security-Policy", csp)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                served.append(self.path)
                m = TILE.match(self.path)
                if not m:
                    self.send_error(404)
                    return
                body = tile_png(*(int(g) for g in m.groups()))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")  # a stopped server must show as one
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._running = False

    def __enter__(self) -> TileServer:
        self._thread.start()
        self._running = True
        return self

    def stop(self) -> None:
        if self._running:
            self._server.shutdown()
            self._server.server_close()
            self._running = False

    def __exit__(self, *exc) -> None:
        self.stop()

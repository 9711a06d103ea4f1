"""The base map in a real browser (Debian's Chromium, every request off this machine blocked): with [map]
pointing at a tile server on loopback, its tiles load under the data; with that server stopped, the map
still draws its data and says the base map is unavailable; without [map] no tile is asked for and the
offline context layer (kommun outline, ort names) is there. One app server: the config file is rewritten
between the steps (the app re-reads it when it changes). Screenshots in test-artifacts/basemap_*.png."""
from __future__ import annotations

from tests.browser_support import (
    ARTIFACTS,
    MAP_FRAME,
    block_outside,
    chromium,
    streamlit_server,
    wait_until_run_finished,
)
from tests.tile_server import TileServer
from tsk.config import ROOT
from tsk.i18n import t

TIMEOUT = 60_000


def _open_map(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_until_run_finished(page)
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=TIMEOUT)
    return page, frame


def _shot(page, name: str) -> None:
    """The map as the page shows it, scrolled into view (for a person to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    frame = page.locator(MAP_FRAME).first
    frame.scroll_into_view_if_needed()
    frame.screenshot(path=str(ARTIFACTS / f"basemap_{name}.png"))


def test_tiles_from_a_loopback_server_then_the_note_when_it_stops_then_the_offline_context(demo_db, tmp_path):
    plain = (ROOT / "tsk.toml").read_text(encoding="utf-8")
    config = tmp_path / "tsk.toml"
    with TileServer() as tiles:
        config.write_text(plain + f'\n[map]\nurl = "{tiles.url}"\nattribution = "© Testbrickor"\nmax_zoom = 18\n',
                          encoding="utf-8")
        served = f'img.leaflet-tile-loaded[src^="http://127.0.0.1:{tiles.port}/"]'
        with streamlit_server(demo_db, env={"TSK_CONFIG": str(config)}, log_name="streamlit_basemap.log") as url, \
                chromium() as browser:
            blocked: list[str] = []

            # 1. tiles load under the data, on the clickable Översikt map and the shared Lägesbild map
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
            block_outside(context, blocked)
            for name, path in (("oversikt_tiles", "/"), ("lagesbild_tiles", "/lagesbild")):
                page, frame = _open_map(context, url + path)
                frame.locator(served).first.wait_for(timeout=TIMEOUT)
                frame.locator('.leaflet-container[data-tsk-basemap="loaded"]').wait_for(timeout=TIMEOUT)
                assert frame.locator(served).count() > 0
                assert frame.locator("path.leaflet-interactive").count() >= 6, name
                assert not frame.locator(".tsk-basemap-note").is_visible()
                assert "Testbrickor" in frame.locator(".leaflet-control-attribution").inner_text()
                _shot(page, name)
                page.close()
            context.close()
            asked = len(tiles.requests)
            assert asked > 0 and blocked == []

            # 2. the tile server stops: the data still draws, and the map says the base map is unavailable
            tiles.stop()
            context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="sv-SE")
            block_outside(context, blocked)
            page, frame = _open_map(context, url + "/lagesbild?mote=1")
            note = frame.locator(".tsk-basemap-note")
            note.wait_for(state="visible", timeout=TIMEOUT)
            assert note.inner_text() == t("basemap_unavailable") and note.get_attribute("role") == "status"
            assert frame.locator(served).count() == 0
            assert frame.locator("path.leaflet-interactive").count() >= 6
            _shot(page, "lagesbild_unavailable_mote")
            context.close()

            # 3. no [map]: no tile is asked for; the kommun outline and the ort names are drawn
            config.write_text(plain, encoding="utf-8")
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
            block_outside(context, blocked)
            requested: list[str] = []
            context.on("request", lambda r: requested.append(r.url))
            page, frame = _open_map(context, url + "/")
            frame.locator(".tsk-ort-name").first.wait_for(timeout=TIMEOUT)
            assert frame.locator(".leaflet-tskContext-pane path").count() >= 1  # the outline
            shown = [n for n in frame.locator(".tsk-ort-name").all_inner_texts() if n.strip()]
            assert len(shown) >= 5, shown
            assert frame.locator("img.leaflet-tile").count() == 0
            assert not frame.locator(".tsk-basemap-note").count()
            assert [u for u in requested if f":{tiles.port}/" in u] == [] and blocked == []
            _shot(page, "oversikt_offline")
            # the shared map page of Lägesbild is built anew for the changed config, without tiles
            page, frame = _open_map(context, url + "/lagesbild")
            frame.locator(".tsk-ort-name").first.wait_for(timeout=TIMEOUT)
            assert frame.locator("img.leaflet-tile").count() == 0 and not frame.locator(".tsk-basemap-note").count()
            assert [u for u in requested if f":{tiles.port}/" in u] == [] and blocked == []
            context.close()


def test_the_shipped_csp_blocks_outside_tiles_in_the_map_frame_until_the_tile_host_is_added():
    """deploy/nginx-tsk-dashboard.conf allows images from the app's own origin only, and a map's srcdoc
    frame inherits the page's policy: configured tiles from another host are blocked behind nginx until
    that host is added to img-src, as deploy/README.md says."""
    import re

    conf = (ROOT / "deploy" / "nginx-tsk-dashboard.conf").read_text(encoding="utf-8")
    csp = re.search(r'add_header Content-Security-Policy "([^"]+)"', conf).group(1).replace("$host", "127.0.0.1")
    assert "img-src 'self' data: blob:;" in csp
    with TileServer() as tiles, chromium() as browser:
        # the page from 127.0.0.1, the tiles from localhost: two origins, both on this machine
        origin = f"http://localhost:{tiles.port}"
        tile = f"{origin}/3/4/2.png"
        for policy, drawn in ((csp, False), (csp.replace("img-src 'self'", f"img-src 'self' {origin}"), True)):
            page = browser.new_page()
            frame = f'<img id="tile" src="{tile}" onload="this.dataset.ok=1" onerror="this.dataset.ok=0">'
            body = f"<!doctype html><iframe srcdoc='{frame}'></iframe>"
            tiles.page = (body, policy)
            before = tiles.requests.count("/3/4/2.png")
            page.goto(f"http://127.0.0.1:{tiles.port}/page")
            img = page.frame_locator("iframe").locator("#tile[data-ok]")
            img.wait_for(state="attached", timeout=TIMEOUT)
            assert (img.get_attribute("data-ok") == "1") is drawn, policy
            assert (tiles.requests.count("/3/4/2.png") > before) is drawn
            page.close()

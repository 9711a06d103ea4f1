"""One real-browser test: the app served on localhost, every page opened in Debian's Chromium with every
request off this machine blocked. Each map iframe must draw its polygons, no page may show an error or
a traceback, and a screenshot per page is saved in test-artifacts/ for a person to look at."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser_support import (
    ARTIFACTS,
    MAP_FRAME,
    block_outside,
    chromium,
    streamlit_server,
    wait_until_run_finished,
)

PAGES = {"oversikt": "/", "lagesbild": "/lagesbild", "trygghetsundersokning": "/trygghetsundersokning",
         "traffpunkt": "/traffpunkt", "vandring": "/vandring",
         "analysgrupp": "/analysgrupp", "uppfoljning": "/uppfoljning", "data": "/data",
         "tillganglighet": "/tillganglighet"}
# Pages whose map has area polygons (the Trygghetsundersökning map shows named places on area outlines).
MAP_PAGES = {"oversikt", "lagesbild", "trygghetsundersokning", "vandring"}


@pytest.fixture(scope="module")
def server(demo_db):
    with streamlit_server(demo_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.parametrize("link", ["/lagesbild?mote=1", "/trygghetsundersokning?mote=1"])
def test_a_shared_link_opened_first_on_a_fresh_server_shows_the_whole_app(demo_db, browser, link):
    """Streamlit serves a page's URL straight from pages/ until app.py has run once; the page must
    still come with the app's navigation and layout, and without a «Page not found» dialog (a page whose
    URL differed from its file name got one)."""
    with streamlit_server(demo_db) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(url + link, wait_until="domcontentloaded")
        wait_until_run_finished(page)
        page.wait_for_timeout(1000)  # the dialog, when there is one, comes after the first run
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert any("Översikt" in x for x in links) and not any(x.strip() == "app" for x in links), links
        dialogs = [d.inner_text() for d in page.locator('[role="dialog"]').all() if d.is_visible()]
        assert dialogs == [], dialogs
        assert urlparse(page.url).path == link.split("?")[0]
        page.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_offline_with_maps_and_no_errors(server, browser, name):
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()

    block_outside(context, blocked)
    try:
        page.goto(server + PAGES[name], wait_until="domcontentloaded")
        wait_until_run_finished(page)
        if name in MAP_PAGES:
            frame = page.frame_locator(MAP_FRAME).first
            polygons = frame.locator("path.leaflet-interactive")
            polygons.first.wait_for(timeout=60_000)
            assert polygons.count() >= 6, f"{name}: {polygons.count()} polygons drawn"
        # Streamlit scrolls inside its main container: grow the window to the content for a whole-page shot.
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": 1600, "height": min(int(height) + 100, 14000)})
        page.wait_for_timeout(1500)  # let charts redraw at the new size before the screenshot
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        body = page.locator("body").inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0, name
        assert "Traceback" not in body
        # Nothing the page needs may come from outside: scripts, styles and fonts are served locally.
        needed = [u for u in blocked if not u.endswith(".png")]
        assert needed == [], needed
    finally:
        context.close()


def test_a_click_on_an_area_of_the_overview_map_selects_that_area(server, browser):
    """The Översikt map is the way in for the analysgrupp: a click on an area makes it the selection
    (in the sidebar and in the URL, so the link can be shared)."""
    from tsk.selection import P_AREAS

    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(server + "/", wait_until="domcontentloaded")
        wait_until_run_finished(page)
        frame = page.frame_locator(MAP_FRAME).first
        area = frame.locator("path.leaflet-interactive").first
        area.wait_for(timeout=60_000)
        area.click(force=True)  # the polygon's own click handler; labels may lie on top of its centre
        page.wait_for_url(lambda u: f"{P_AREAS}=" in u, timeout=60_000)
        from urllib.parse import parse_qs

        from tsk.config import load_config

        chosen = parse_qs(urlparse(page.url).query)[P_AREAS]
        assert len(chosen) == 1 and chosen[0] in {a.name for a in load_config().areas}, page.url
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                               timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()

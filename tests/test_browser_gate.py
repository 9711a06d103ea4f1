"""A visitor without a role, in a real browser: with login configured but not signed in, the page shows
the login and nothing else — no list of the app's pages in the sidebar, also for a page URL typed by
hand. (Without login on a network address the refusal is tested with AppTest in test_no_login_network.py:
test servers listen on loopback only.)"""
from __future__ import annotations

import pytest

from tests.browser_support import chromium, streamlit_server, wait_until_run_finished
from tsk.i18n import t

# An [auth] section whose provider does not answer (a real one: tests/test_oidc_login.py).
SECRETS = """[auth]
redirect_uri = "http://127.0.0.1:9/oauth2callback"
cookie_secret = "test-cookie-secret-not-used-for-anything-else"
client_id = "tsk-test"
client_secret = "not-a-secret"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def visible_page(browser, url: str, wait_text: str) -> tuple[str, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(url, wait_until="domcontentloaded")
        wait_until_run_finished(page)
        page.get_by_text(wait_text, exact=False).first.wait_for(timeout=60_000)
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        return page.locator("body").inner_text(), links
    finally:
        page.close()


def test_not_signed_in_shows_only_the_login(demo_db, browser, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(SECRETS, encoding="utf-8")
    with streamlit_server(demo_db, args=["--secrets.files", str(secrets)], log_name="streamlit_gate.log") as url:
        for path in ("/", "/data", "/analysgrupp"):
            body, links = visible_page(browser, url + path, t("login_provider_unreachable")[:40])
            # (the provider here is not running, so the page says so instead of offering the login)
            assert t("login_provider_unreachable") in body, path
            assert links == [], (path, links)
            assert t("page_data") not in body and "Importlogg" not in body, path


"""The login for real: a real OpenID Connect provider on loopback (the npm package oidc-provider,
tests/oidc/), Streamlit's st.login with Authlib, and Chromium signing in as the kommun's users would.
Users are mapped by e-mail and by the groups claim, as [access] in the configuration says; each role sees
exactly its pages, a läsare typing /data gets no content, logout ends the session, and a wrong client
secret gives a Swedish message, not a traceback."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser_support import (
    chromium,
    free_port,
    oidc_provider,
    streamlit_server,
    wait_until_run_finished,
)
from tsk.config import ROOT
from tsk.i18n import t

OIDC_DIR = ROOT / "tests" / "oidc"
SECRET = "client-secret-for-the-test"
USERS = {  # login -> claims
    "kanslichef": {"email": "kanslichef@kommun.test", "groups": []},
    "polis": {"email": "anna@polisen.test", "groups": ["TSK-Analysgrupp"]},
    "invanare": {"email": "invanare@example.test", "groups": ["Annan grupp"]},
}
ACCESS = """
[access]
default_role = "läsare"
group_claim = "groups"

[access.users]
"kanslichef@kommun.test" = "admin"

[access.groups]
"TSK-Analysgrupp" = "analysgrupp"
"""
PAGES_OF = {  # what each role's sidebar lists (the accessibility statement: every role)
    "kanslichef": {"Översikt", "Lägesbild", "Trygghetsundersökning", "Träffpunkt", "Trygghetsvandring",
                   "Analysgrupp", "Uppföljning", "Data", "Veckorapport", "Tillgänglighet"},
    "polis": {"Översikt", "Lägesbild", "Trygghetsundersökning", "Träffpunkt", "Trygghetsvandring",
              "Analysgrupp", "Uppföljning", "Tillgänglighet"},
    "invanare": {"Översikt", "Lägesbild", "Trygghetsundersökning", "Träffpunkt", "Uppföljning", "Tillgänglighet"},
}


def config_with_access(tmp: Path) -> Path:
    text = (ROOT / "tsk.toml").read_text(encoding="utf-8")
    text = re.sub(r"\n\[access\].*?(?=\n# ---|\Z)", "\n" + ACCESS, text, flags=re.S)
    path = tmp / "kommun.toml"
    path.write_text(text, encoding="utf-8")
    return path


def provider(port: int, redirect_uri: str):
    """The test provider serving this file's USERS (tests/browser_support.oidc_provider)."""
    return oidc_provider(port, SECRET, redirect_uri, USERS)


@contextmanager
def app_with_login(demo_db, tmp: Path, *, secret: str = SECRET, provider_port: int | None = None):
    app_port = free_port()
    provider_port = provider_port or free_port()
    redirect = f"http://127.0.0.1:{app_port}/oauth2callback"
    secrets = tmp / "secrets.toml"
    secrets.write_text(f"""[auth]
redirect_uri = "{redirect}"
cookie_secret = "a-long-random-string-for-the-test-only"
client_id = "tsk"
client_secret = "{secret}"
server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid email groups", prompt = "login" }}
""", encoding="utf-8")
    with provider(provider_port, redirect), \
            streamlit_server(demo_db, env={"TSK_CONFIG": str(config_with_access(tmp))},
                             args=["--secrets.files", str(secrets)], port=app_port,
                             log_name="streamlit_oidc.log") as url:
        yield url


def sign_in(page, url: str, login: str) -> None:
    page.goto(url + "/", wait_until="domcontentloaded")
    wait_until_run_finished(page)
    page.get_by_role("button", name=t("login_button")).click(timeout=60_000)
    page.locator('input[name="login"]').fill(login, timeout=60_000)
    page.locator('input[name="password"]').fill("vad som helst")
    page.locator('button[type="submit"]').click()
    page.locator('button[type="submit"]').click(timeout=60_000)  # the consent step
    page.wait_for_url(lambda u: u.startswith(url) and "oauth2callback" not in u, timeout=60_000)
    wait_until_run_finished(page)


def sidebar_pages(page) -> set[str]:
    # Each link's text is its icon's name and its title, on separate lines.
    return {x.strip().splitlines()[-1] for x in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_each_user_signs_in_and_sees_exactly_the_pages_of_their_role(demo_db, browser, tmp_path):
    with app_with_login(demo_db, tmp_path) as url:
        anonymous = browser.new_context()
        page = anonymous.new_page()
        page.goto(url + "/data", wait_until="domcontentloaded")
        wait_until_run_finished(page)
        page.get_by_role("button", name=t("login_button")).wait_for(timeout=60_000)
        assert sidebar_pages(page) == set()
        anonymous.close()
        for login, pages in PAGES_OF.items():
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            page = context.new_page()
            try:
                sign_in(page, url, login)
                assert sidebar_pages(page) == pages, login
                if login == "invanare":  # a läsare typing the address of a page that is not theirs
                    for path in ("/data", "/analysgrupp"):
                        page.goto(url + path, wait_until="domcontentloaded")
                        wait_until_run_finished(page)
                        body = page.locator('[data-testid="stMain"]').inner_text()
                        assert "Importlogg" not in body and "Samlad lägesbild" not in body, path
                if login == "kanslichef":  # logout ends the session: only the login again
                    page.get_by_role("button", name=t("logout_button")).click()
                    page.wait_for_timeout(1000)
                    page.goto(url + "/", wait_until="domcontentloaded")
                    wait_until_run_finished(page)
                    page.get_by_role("button", name=t("login_button")).wait_for(timeout=60_000)
                    assert sidebar_pages(page) == set()
            finally:
                context.close()


def test_a_wrong_client_secret_brings_the_user_back_to_the_login_with_a_swedish_hint(demo_db, browser, tmp_path):
    with app_with_login(demo_db, tmp_path, secret="fel-hemlighet") as url:
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(url + "/", wait_until="domcontentloaded")
            wait_until_run_finished(page)
            page.get_by_role("button", name=t("login_button")).click()
            page.locator('input[name="login"]').fill("kanslichef", timeout=60_000)
            page.locator('input[name="password"]').fill("vad som helst")
            page.locator('button[type="submit"]').click()
            page.locator('button[type="submit"]').click(timeout=60_000)
            page.wait_for_url(lambda u: u.startswith(url) and "oauth2callback" not in u, timeout=60_000)
            wait_until_run_finished(page)
            page.get_by_text(t("login_failed_hint")).wait_for(timeout=60_000)
            assert "Traceback" not in page.locator("body").inner_text()
            assert sidebar_pages(page) == set()  # not signed in
        finally:
            context.close()


def test_an_unreachable_provider_is_said_in_swedish_before_anyone_clicks(demo_db, browser, tmp_path):
    app_port, dead_port = free_port(), free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "a-long-random-string-for-the-test-only"
client_id = "tsk"
client_secret = "{SECRET}"
server_metadata_url = "http://127.0.0.1:{dead_port}/.well-known/openid-configuration"
""", encoding="utf-8")
    with streamlit_server(demo_db, args=["--secrets.files", str(secrets)], port=app_port,
                          log_name="streamlit_oidc_dead.log") as url:
        page = browser.new_page()
        try:
            page.goto(url + "/", wait_until="domcontentloaded")
            wait_until_run_finished(page)
            page.get_by_text("Inloggningstjänsten svarar inte just nu", exact=False).wait_for(timeout=60_000)
            assert "Traceback" not in page.locator("body").inner_text()
            assert page.get_by_role("button", name=t("login_button")).count() == 0
        finally:
            page.close()

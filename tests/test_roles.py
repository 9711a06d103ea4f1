"""Gating with a mocked logged-in user, for every page and role (AppTest)."""
from __future__ import annotations

from dataclasses import replace

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk import access
from tsk.config import ROOT
from tsk.i18n import t
from tsk.ui import gate

PAGE_FILES = {"oversikt": "pages/oversikt.py", "lagesbild": "pages/lagesbild.py",
              "trygghet": "pages/trygghetsundersokning.py",
              "traffpunkt": "pages/traffpunkt.py", "vandring": "pages/vandring.py",
              "analysgrupp": "pages/analysgrupp.py", "data": "pages/data.py",
              "uppfoljning": "pages/uppfoljning.py", "tillganglighet": "pages/tillganglighet.py",
              "veckorapport": "pages/veckorapport.py"}
EMAIL = {"admin": "admin@kommun.se", "analysgrupp": "polis@example.se", "läsare": "invanare@example.se",
         "inrapportör": "fritid@kommun.se"}


@pytest.fixture
def login(demo_db, monkeypatch, config):
    """Pretend login is configured and a user with the given role is signed in."""
    raw = {**config.raw, "access": {"default_role": "läsare", "users": {"admin@kommun.se": "admin",
                                                                          "fritid@kommun.se": "inrapportör"},
                                    "groups": {"TSK-Analysgrupp": "analysgrupp"}}}
    # The inrapportör reports for the first unit (Veckorapport needs a unit as well as the role).
    first, *rest = config.reporting_units
    cfg = replace(config, raw=raw, reporting_units=(replace(first, reporters=("fritid@kommun.se",)), *rest))
    monkeypatch.setenv("TSK_DB", str(demo_db))
    monkeypatch.setattr(gate, "auth_configured", lambda: True)
    # Open the page files themselves (also those a role's navigation leaves out): the page's own check
    # must hold even for a URL typed by hand.
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    monkeypatch.setattr(gate, "load_config", lambda *a, **k: cfg)

    def as_role(role: str | None):
        user = None if role is None else {"email": EMAIL[role],
                                          "groups": ["TSK-Analysgrupp"] if role == "analysgrupp" else []}
        monkeypatch.setattr(gate, "current_user", lambda: user)
    return as_role


def open_page(page: str) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / PAGE_FILES[page]), default_timeout=120)
    at.run()
    return at


@pytest.mark.parametrize("role", access.ROLES)
@pytest.mark.parametrize("page", list(PAGE_FILES))
def test_each_role_sees_exactly_its_pages(login, role, page):
    login(role)
    at = open_page(page)
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    denied = any(e.value.startswith("Du har inte behörighet") for e in at.error)
    assert denied is (not access.may_open(role, page))


def test_anonymous_visitor_sees_only_the_login(login):
    login(None)
    at = open_page("oversikt")
    assert not at.exception
    assert [b.label for b in at.button] == ["Logga in"]
    assert not at.metric and not at.dataframe


def test_only_admin_gets_the_register_forms(login):
    login("analysgrupp")
    assert "Planera eller registrera en vandring" not in [h.value for h in open_page("vandring").subheader]
    login("admin")
    assert "Planera eller registrera en vandring" in [h.value for h in open_page("vandring").subheader]


def test_readers_do_not_get_comments(login):
    login("läsare")
    at = open_page("lagesbild")
    assert not any(e.label.startswith("Kommentarer") for e in at.expander)
    login("analysgrupp")
    at = open_page("lagesbild")
    assert any(e.label.startswith("Kommentarer") for e in at.expander)


def test_secrets_missing_a_key_say_which_in_swedish(login, monkeypatch):
    """An [auth] section without client_secret: the visitor is told what is missing instead of
    Streamlit's English error at the click, and gets no login button."""
    login(None)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / PAGE_FILES["oversikt"]), default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "https://tsk.kommun.se/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "tsk", "server_metadata_url": "https://login.example/.well-known/x"}
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("login_secrets_missing", keys="client_secret")]
    assert not at.button and not at.metric


def test_a_forged_role_in_the_address_or_the_session_gives_nothing_more(login):
    """The role comes from the signed-in user's e-mail and groups only: ?role=admin in the address or a
    role in the session state changes nothing."""
    login("läsare")
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / PAGE_FILES["data"]), default_timeout=120)
    at.query_params["role"] = "admin"
    at.session_state["role"] = "admin"
    at.run()
    assert any(e.value.startswith("Du har inte behörighet") for e in at.error)
    assert not at.dataframe


def test_a_provider_without_the_email_claim_still_maps_by_group(config):
    """No e-mail in the token: the groups decide, else the default role (never more)."""
    from dataclasses import replace as _replace

    raw = {**config.raw, "access": {"default_role": "läsare", "users": {"admin@kommun.se": "admin",
                                                                          "fritid@kommun.se": "inrapportör"},
                                    "groups": {"TSK-Analysgrupp": "analysgrupp"}}}
    cfg = _replace(config, raw=raw)
    assert access.role_for(None, ["TSK-Analysgrupp"], cfg) == "analysgrupp"
    assert access.role_for(None, [], cfg) == "läsare"

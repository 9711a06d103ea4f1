"""Gating with a mocked logged-in user, for every page and role (AppTest)."""
from __future__ import annotations

from dataclasses import replace

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk import access, ui
from tsk.config import ROOT

PAGE_FILES = {"oversikt": "pages/oversikt.py", "lagesbild": "pages/lagesbild.py", "trygghet": "pages/trygghet.py",
              "traffpunkt": "pages/traffpunkt.py", "vandring": "pages/vandring.py",
              "analysgrupp": "pages/analysgrupp.py", "data": "pages/data.py",
              "uppfoljning": "pages/uppfoljning.py"}
EMAIL = {"admin": "admin@kommun.se", "analysgrupp": "polis@example.se", "läsare": "invanare@example.se"}


@pytest.fixture
def login(demo_db, monkeypatch, config):
    """Pretend login is configured and a user with the given role is signed in."""
    raw = {**config.raw, "access": {"default_role": "läsare", "users": {"admin@kommun.se": "admin"},
                                    "groups": {"TSK-Analysgrupp": "analysgrupp"}}}
    cfg = replace(config, raw=raw)
    monkeypatch.setenv("TSK_DB", str(demo_db))
    monkeypatch.setattr(ui, "auth_configured", lambda: True)
    # Open the page files themselves (also those a role's navigation leaves out): the page's own check
    # must hold even for a URL typed by hand.
    monkeypatch.setattr(ui, "ensure_app", lambda: None)
    monkeypatch.setattr(ui, "load_config", lambda *a, **k: cfg)

    def as_role(role: str | None):
        user = None if role is None else {"email": EMAIL[role],
                                          "groups": ["TSK-Analysgrupp"] if role == "analysgrupp" else []}
        monkeypatch.setattr(ui, "current_user", lambda: user)
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

"""No login, no network: without [auth] the app is admin only on loopback; on the network it serves
nothing, or read-only (läsare) when the operator explicitly allows it, and the banner says which."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from tsk import ui
from tsk.config import ROOT
from tsk.ui import gate


@pytest.fixture
def app_at(demo_db, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(demo_db))
    monkeypatch.delenv(ui.ALLOW_ANONYMOUS_ENV, raising=False)
    monkeypatch.setattr(gate, "auth_configured", lambda: False)
    old = st_config.get_option("server.address")

    def run(address: str) -> AppTest:
        st_config.set_option("server.address", address)
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        return at
    yield run
    st_config.set_option("server.address", old)


@pytest.mark.parametrize("address, loopback", [("localhost", True), ("127.0.0.1", True), ("::1", True),
                                               ("0.0.0.0", False), ("", False), ("10.1.2.3", False)])
def test_loopback_is_recognised(address, loopback):
    old = st_config.get_option("server.address")
    try:
        st_config.set_option("server.address", address)
        assert ui.listens_on_loopback_only() is loopback
    finally:
        st_config.set_option("server.address", old)


def test_on_loopback_without_login_the_user_is_admin(app_at):
    at = app_at("localhost")
    assert not at.exception
    assert ui.t("banner_local") in [c.value for c in at.sidebar.caption]


def test_on_the_network_without_login_nothing_is_served(app_at):
    at = app_at("0.0.0.0")
    assert not at.exception
    assert [e.value for e in at.error] == [ui.t("anon_network_refused", env=ui.ALLOW_ANONYMOUS_ENV)]
    assert not at.metric and not at.dataframe and not at.button
    assert ui.t("banner_local") not in [c.value for c in at.sidebar.caption]


def test_explicitly_allowed_network_access_is_read_only_and_says_so(app_at, monkeypatch):
    monkeypatch.setenv(ui.ALLOW_ANONYMOUS_ENV, "1")
    at = app_at("0.0.0.0")
    assert not at.exception
    captions = [c.value for c in at.sidebar.caption]
    assert ui.t("banner_network_readonly") in captions and ui.t("banner_local") not in captions
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    st.cache_data.clear()
    data = AppTest.from_file(str(ROOT / "pages/data.py"), default_timeout=120)
    data.run()
    assert any(e.value.startswith("Du har inte behörighet") for e in data.error)

"""Who may see what, and every page's preamble: the database (or a clear message), the app around the
page (app.py's navigation), login (Streamlit's OIDC), the role and the sidebar (`page`)."""
from __future__ import annotations

import os
import runpy
import threading
import urllib.request
from pathlib import Path

import streamlit as st

from tsk.config import ROOT, db_path, load_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.selection import Selection
from tsk.store import open_store
from tsk.store.backup import clean_leftovers
from tsk.store.schema import SCHEMA_VERSION
from tsk.ui.cache import _stamp
from tsk.ui.display import show_error
from tsk.ui.sidebar import keep_meeting_without_sidebar, sidebar

_navigation = threading.local()


def navigating(on: bool) -> None:
    """app.py marks the run of a page through st.navigation (per session thread)."""
    _navigation.active = on


def ensure_app() -> None:
    """Run the page through app.py when Streamlit ran it on its own.

    On a fresh server, a first request for a page's URL (a shared link such as /lagesbild?mote=1) is
    served the old way, straight from pages/, before app.py has ever called st.navigation: no page
    config, no login, no navigation. Running app.py here puts the page back inside the app."""
    if getattr(_navigation, "active", False):
        return


    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
    st.stop()


def require_store() -> bool:
    """Stop the page with a clear Swedish message when there is no database yet; bring an older
    database's schema up to date (after an upgrade of the app) before anything reads it."""
    ensure_app()
    path = db_path()
    if not path.exists():
        st.error(t("db_missing", path=path))
        st.stop()
    _ensure_schema(str(path), _stamp(path))
    return True


@st.cache_resource(show_spinner=False)
def _ensure_schema(path: str, stamp: tuple) -> None:

    clean_leftovers(path)  # work copies of writers killed earlier (once per database file state)
    try:
        with open_store(path, read_only=True) as store:
            current = store.schema_version()
        if current < SCHEMA_VERSION:
            from tsk.store.backup import atomic_write

            with atomic_write(Path(path)) as work, open_store(work, config=load_config()):
                pass  # opening for writing migrates and syncs the reference tables
    except TskError as e:
        show_error(e)
        st.stop()


def config():
    return load_config()


def auth_configured() -> bool:
    """Whether login (Streamlit's OIDC, an [auth] section in .streamlit/secrets.toml) is set up."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: Streamlit raises its own error type
        return False


def current_user() -> dict | None:
    """The logged-in user's e-mail and groups, or None."""
    if not st.user.is_logged_in:
        return None
    claim = load_config().raw.get("access", {}).get("group_claim", "groups")
    groups = st.user.get(claim) or []
    return {"email": st.user.get("email"), "groups": [groups] if isinstance(groups, str) else list(groups)}


LOOPBACK_ADDRESSES = ("localhost", "127.0.0.1", "::1", "ip6-localhost")
# An operator who really wants the app on the network without login sets this: everyone is läsare.
ALLOW_ANONYMOUS_ENV = "TSK_ALLOW_ANONYMOUS_READONLY"


def listens_on_loopback_only() -> bool:
    """Whether Streamlit's server.address keeps the app on this computer (empty means every address)."""
    address = str(st.get_option("server.address") or "").strip().strip("[]").casefold()
    return address in LOOPBACK_ADDRESSES or address.startswith("127.")


def anonymous_network_allowed() -> bool:
    return os.environ.get(ALLOW_ANONYMOUS_ENV, "").strip() == "1"


def _only(view) -> None:
    """Show one view and nothing else: a hidden one-page navigation, so the sidebar never lists the
    page files of the app to someone who may not open them."""
    st.navigation([st.Page(view, title=t("app_title"), default=True)], position="hidden").run()
    st.stop()


# What [auth] in .streamlit/secrets.toml must hold for st.login (README, «Inloggning och behörighet»).
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


@st.cache_data(ttl=30, show_spinner=False)
def _provider_answers(metadata_url: str) -> bool:
    """Whether the identity provider's discovery document answers (Streamlit itself would answer an
    unreachable provider with a bare «Internal Server Error» after the click)."""

    try:
        with urllib.request.urlopen(metadata_url, timeout=5) as r:
            return r.status == 200
    except (OSError, ValueError):
        return False


def _login_view() -> None:
    st.title(t("app_title"))
    try:
        auth = dict(st.secrets["auth"])
    except Exception:  # noqa: BLE001 - no secrets file (a test's mocked login): nothing to check
        auth = {}
    missing = [k for k in AUTH_KEYS if auth and not str(auth.get(k) or "").strip()]
    if missing:  # Streamlit would raise its own English error at the click
        st.error(t("login_secrets_missing", keys=", ".join(missing)))
        return
    metadata_url = str(auth.get("server_metadata_url") or "")
    if metadata_url and not _provider_answers(metadata_url):
        st.error(t("login_provider_unreachable"))
        return
    st.info(t("login_needed"))
    st.button(t("login_button"), on_click=st.login, type="primary")
    # Streamlit sends a failed sign-in (a wrong client secret, a refused consent) back here without a word.
    st.caption(t("login_failed_hint"))


def _refused_view() -> None:
    st.title(t("app_title"))
    st.error(t("anon_network_refused", env=ALLOW_ANONYMOUS_ENV))


def current_role() -> str:
    """The user's role. Without login configured the app is meant for this computer only: whoever sits
    at it is admin, as long as Streamlit listens on loopback. Listening on the network without login
    serves nothing, unless the operator explicitly allowed read-only access (then everyone is läsare).
    With login configured, an anonymous visitor sees only the login."""
    from tsk import access

    if not auth_configured():
        if listens_on_loopback_only():
            return "admin"
        if anonymous_network_allowed():
            return "läsare"
        _only(_refused_view)
    user = current_user()
    if user is None:
        _only(_login_view)
    return access.role_for(user["email"], user["groups"], load_config())


def account_box(role: str) -> None:
    """The sidebar's line on access (app.py): the signed-in role and a logout button with login, else the
    banner saying who can reach the app."""
    with st.sidebar:
        if auth_configured():
            st.caption(t("signed_in_as", role=role))
            st.button(t("logout_button"), on_click=st.logout, key="logout")
        else:
            st.caption(t(_banner_key()))


def _banner_key() -> str:
    return "banner_local" if listens_on_loopback_only() else "banner_network_readonly"


def access_banner() -> str:
    """The sidebar line saying truthfully who can reach the app and as what."""
    if auth_configured():
        return ""
    return t(_banner_key())


def page(key: str, *, with_sidebar: bool = True, needs_store: bool = True) -> tuple[Selection | None, object, str]:
    """Every page's preamble: the database (or a clear message), the role's access, the shared sidebar
    and the config. Returns (selection, config, role); the selection is None without the sidebar. A page
    that reads no data (the accessibility statement) opens without a database."""
    if needs_store:
        require_store()
    else:
        ensure_app()
    role = require_page(key)
    if with_sidebar:
        sel = sidebar()
    else:
        sel = None
        keep_meeting_without_sidebar()
    return sel, config(), role


def require_page(page: str) -> str:
    """Stop the page unless the user's role may open it; return the role. Veckorapport goes by the
    reporting units too: whoever reports for a unit may open it, and nobody without one (admin aside)."""
    from tsk import access

    role = current_role()
    allowed = may_report(role, user_units(role)) if page == "veckorapport" else access.may_open(role, page)
    if not allowed:
        st.title(t("app_title"))
        st.error(t("no_access"))
        st.stop()
    return role


LOCAL_ACTOR = t("actor_local_admin")  # who writes when the app runs without login (on this computer only)


def user_units(role: str) -> tuple:
    """The reporting units the signed-in user writes the Veckorapport for ([[reporting_units]]
    reporters/reporter_groups; admin: all). Without login (local admin) every unit."""
    from tsk import access

    user = current_user() if auth_configured() else None
    email, groups = (user["email"], user["groups"]) if user else (None, [])
    return access.reporting_units(email, groups, load_config(), role)


def may_report(role: str, units: tuple) -> bool:
    """Whether the page Veckorapport is the user's: a role that reports (access.may_report) with a unit
    to report for; admin always (the samordnare writes for a unit that asks)."""
    from tsk import access

    return access.may_report(role, units) and (bool(units) or role == "admin")


def actor() -> str:
    """Who a write is recorded as: the signed-in address, else the local administrator."""
    user = current_user() if auth_configured() else None
    return (user or {}).get("email") or LOCAL_ACTOR


def may(role: str, action: str) -> bool:
    from tsk import access

    return access.may(role, action)

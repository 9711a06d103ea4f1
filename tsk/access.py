"""Roles and what each may see. Pure: the login itself (Streamlit's OIDC) is in tsk.ui.

admin: imports, quarantine, configuration and register edits; analysgrupp: all analysis with redacted
comments, read-only registers; läsare: aggregates only (what could be published).
"""
from __future__ import annotations

from collections.abc import Iterable

from tsk.config import KommunConfig

ROLES = ("admin", "analysgrupp", "läsare")

# Page slug -> the roles that may open it.
PAGES: dict[str, tuple[str, ...]] = {
    "oversikt": ROLES,
    "lagesbild": ROLES,
    "trygghet": ROLES,
    "traffpunkt": ROLES,
    "uppfoljning": ROLES,
    "vandring": ("admin", "analysgrupp"),
    "analysgrupp": ("admin", "analysgrupp"),
    "data": ("admin",),
    "tillganglighet": ROLES,
}

# What a role may do beyond looking.
ACTIONS: dict[str, tuple[str, ...]] = {
    "edit_registers": ("admin",),
    "import": ("admin",),
    "see_comments": ("admin", "analysgrupp"),
    "full_report": ("admin", "analysgrupp"),
}


def role_for(email: str | None, groups: Iterable[str], config: KommunConfig) -> str:
    """The most privileged role the user's e-mail or any of their groups maps to, else the default."""
    access = config.raw.get("access", {})
    users = {k.casefold(): v for k, v in access.get("users", {}).items()}
    by_group = access.get("groups", {})
    found = []
    if email and email.casefold() in users:
        found.append(users[email.casefold()])
    found += [by_group[g] for g in groups if g in by_group]
    found = [r for r in found if r in ROLES]
    if not found:
        # Everyone the kommun's provider lets in (guests from the police and the housing company too)
        # who is not named or grouped: never admin by default, whatever the config says.
        default = access.get("default_role", "läsare")
        return default if default in ROLES and default != "admin" else "läsare"
    return min(found, key=ROLES.index)


def may_open(role: str, page: str) -> bool:
    return role in PAGES.get(page, ())


def may(role: str, action: str) -> bool:
    return role in ACTIONS.get(action, ())

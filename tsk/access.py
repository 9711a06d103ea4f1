"""Roles and what each may see. Pure: the login itself (Streamlit's OIDC) is in tsk.ui.

admin: imports, quarantine, configuration and register edits; analysgrupp: all analysis with redacted
comments, read-only registers; läsare: aggregates only (what could be published); inrapportör: writes
the weekly report of the reporting units they belong to ([[reporting_units]] reporters/reporter_groups)
and sees nothing else (the page Veckorapport, and the accessibility statement the law asks to be
reachable from every page).
"""
from __future__ import annotations

from collections.abc import Iterable

from tsk.config import KommunConfig

ROLES = ("admin", "analysgrupp", "läsare", "inrapportör")  # most privileged first
READERS = ("admin", "analysgrupp", "läsare")

# Page slug -> the roles that may open it.
PAGES: dict[str, tuple[str, ...]] = {
    "oversikt": READERS,
    "lagesbild": READERS,
    "trygghet": READERS,
    "traffpunkt": READERS,
    "uppfoljning": READERS,
    "vandring": ("admin", "analysgrupp"),
    "analysgrupp": ("admin", "analysgrupp"),
    "data": ("admin",),
    "veckorapport": ("admin", "inrapportör"),
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


def reporting_units(email: str | None, groups: Iterable[str], config: KommunConfig, role: str) -> tuple:
    """The reporting units whose Veckorapport the user may write: every unit for admin (the samordnare
    writes for a unit that asks), else the units that list the user — whatever their role, so a police
    member of the analysgrupp who also reports for the Kommunpolis does both."""
    if role == "admin":
        return config.reporting_units
    groups = list(groups)
    return tuple(u for u in config.reporting_units if u.has_reporter(email, groups))


def may_report(role: str, units: tuple) -> bool:
    """Whether the page Veckorapport is in the user's navigation."""
    return may_open(role, "veckorapport") or bool(units)


def may_open(role: str, page: str) -> bool:
    return role in PAGES.get(page, ())


def may(role: str, action: str) -> bool:
    return role in ACTIONS.get(action, ())

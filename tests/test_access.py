"""Roles from e-mail or group, and what each role may open and do."""
from dataclasses import replace

from tsk import access


def cfg_with(config, users=None, groups=None, default="läsare"):
    raw = {**config.raw, "access": {"default_role": default, "users": users or {}, "groups": groups or {}}}
    return replace(config, raw=raw)


def test_role_from_email_or_group_takes_the_most_privileged(config):
    cfg = cfg_with(config, users={"Kanslichef@Svenljunga.se": "admin"},
                   groups={"TSK-Analysgrupp": "analysgrupp", "TSK-Admin": "admin"})
    assert access.role_for("kanslichef@svenljunga.se", [], cfg) == "admin"
    assert access.role_for("polis@example.se", ["TSK-Analysgrupp"], cfg) == "analysgrupp"
    assert access.role_for("x@example.se", ["TSK-Analysgrupp", "TSK-Admin"], cfg) == "admin"
    assert access.role_for("okand@example.se", ["Annat"], cfg) == "läsare"
    assert access.role_for(None, [], cfg_with(config, default="superuser")) == "läsare"  # unknown role: safest


def test_what_each_role_may_open_and_do():
    assert access.may_open("läsare", "oversikt") and not access.may_open("läsare", "analysgrupp")
    assert not access.may_open("läsare", "vandring") and not access.may_open("analysgrupp", "data")
    assert access.may_open("admin", "data")
    assert access.may("admin", "edit_registers") and not access.may("analysgrupp", "edit_registers")
    assert access.may("analysgrupp", "see_comments") and not access.may("läsare", "see_comments")


def test_a_guest_never_gets_admin_by_default(config):
    """Police and housing-company members sign in as guests of the kommun's provider (Entra ID B2B): a
    guest in no mapped group is läsare, a mapped guest group gives analysgrupp, and not even a
    `default_role = "admin"` in the config makes an unmapped guest admin."""
    cfg = cfg_with(config, groups={"TSK-Analysgrupp": "analysgrupp"})
    assert access.role_for("anna.polis@polisen.se", [], cfg) == "läsare"
    assert access.role_for("anna.polis@polisen.se", ["TSK-Analysgrupp"], cfg) == "analysgrupp"
    assert access.role_for("gast@bostadsbolaget.se", ["Okänd grupp"], cfg_with(config, default="admin")) == "läsare"
    assert access.role_for("gast@bostadsbolaget.se", [], cfg_with(config, default="analysgrupp")) == "analysgrupp"

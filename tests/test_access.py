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

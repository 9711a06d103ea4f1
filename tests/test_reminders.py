"""The samordnare's reminder (Analysgrupp, tab Inrapportering): the reporting units that have neither
reported nor answered «inget att rapportera» in the newest week, how many weeks in a row, and a mailto:
to their configured shared mailboxes (blind copies); no addresses in Mötesläge; on the demo and on the
second kommun, whose units have no addresses."""
from __future__ import annotations

import copy
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from tests.kommun2.builder import CONFIG_PATH
from tests.test_app import run_page
from tsk.config import ROOT, load_config, parse_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.pagedata import lagesbild
from tsk.store import open_store

PAGE = "pages/analysgrupp.py"


def test_the_demo_names_the_silent_unit_and_its_mailbox(demo_db, config):
    with open_store(demo_db, read_only=True) as store:
        rows, newest = lagesbild.reporting_reminders(store, config)
        coverage = store.reporting_coverage(areas=[a.name for a in config.areas] + [""],
                                            orgs=[o.name for o in config.organisations],
                                            week_from=newest, week_to=newest)
    # Every unit expected in the newest week and missing there is listed, and only those.
    missing = set(coverage.loc[coverage["status"] == "saknas", "reporter"])
    assert set(rows["reporter"]) == missing and missing
    hillared = rows.set_index("reporter").loc["Skolan Hillared"]
    assert hillared["email"] == "skolan.hillared@svenljunga.example" and hillared["silent_now"] == 8
    assert newest == date(2026, 11, 16)
    assert list(rows["silent_now"]) == sorted(rows["silent_now"], reverse=True)


def test_the_mail_goes_to_every_address_as_blind_copies_with_the_week():
    rows = pd.DataFrame({"reporter": ["A", "B", "C"], "organisation": ["K", "K", "P"], "silent_now": [3, 1, 1],
                         "email": ["a@x.example", None, "c@y.example"]})
    link = lagesbild.reminder_mailto(rows, "47 2026")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path == ""  # nobody in To: units never see each other
    query = parse_qs(parts.query)
    assert query["bcc"] == ["a@x.example,c@y.example"]
    assert query["subject"] == [t("ag_remind_subject", week="47 2026")]
    assert "vecka 47 2026" in query["body"][0] and "personer" in query["body"][0]
    assert lagesbild.reminder_mailto(rows.assign(email=None), "47 2026") is None
    shown = lagesbild.reminder_table(rows, with_email=False)
    assert list(shown.columns) == [t("col_reporter"), t("col_organisation"), t("col_silent_now")]
    assert t("col_email") in lagesbild.reminder_table(rows, with_email=True).columns


@pytest.mark.parametrize("email", ["skolan", "a@b", "a b@c.se", "a@b.se, c@d.se", 42])
def test_a_unit_address_that_is_not_one_address_is_refused(config, email):
    data = copy.deepcopy(config.raw)
    data["reporting_units"][0]["email"] = email
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert e.value.key == "config_unit_bad_email"
    assert data["reporting_units"][0]["name"] in e.value.message


def test_the_tab_lists_the_unit_and_offers_the_mail(demo_db, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(demo_db))
    at = run_page(PAGE)
    assert not at.exception and [e.value for e in at.error] == []
    assert t("at_reporting") in [tab.label for tab in at.tabs]
    table = next(d.value for d in at.dataframe if t("col_silent_now") in d.value.columns and t("col_email") in d.value.columns)
    assert "Skolan Hillared" in set(table[t("col_reporter")])
    links = [b.proto.url for b in at.get("link_button")]
    assert any(u.startswith("mailto:?bcc=skolan.hillared@svenljunga.example") for u in links)


def test_meeting_mode_shows_the_units_but_no_address(demo_db, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(demo_db))
    at = run_page(PAGE, {"mote": "1"})
    assert not at.exception
    assert t("ag_remind_meeting") in [c.value for c in at.caption]
    assert not at.get("link_button")
    shown = "\n".join(str(x.value) for x in [*at.markdown, *at.caption, *at.code])
    assert "@svenljunga.example" not in shown
    assert all(t("col_email") not in tbl.value.columns for tbl in at.table)


def test_the_second_kommun_without_addresses_says_so(kommun2_stores, monkeypatch):
    monkeypatch.setenv("TSK_CONFIG", str(CONFIG_PATH))
    monkeypatch.setenv("TSK_DB", str(kommun2_stores["en_omgang"]))
    with open_store(kommun2_stores["en_omgang"], read_only=True) as store:
        rows, newest = lagesbild.reporting_reminders(store, load_config(CONFIG_PATH))
    at = run_page(PAGE)
    assert not at.exception and [e.value for e in at.error] == []
    assert not at.get("link_button")  # the second kommun lists no unit addresses
    week = f"{newest.isocalendar()[1]} {newest.isocalendar()[0]}"
    if rows.empty:
        assert t("ag_remind_all", week=week) in [s.value for s in at.success]
    else:
        captions = "\n".join(c.value for c in at.caption)
        assert "Utan e-postadress" in captions and all(r in captions for r in rows["reporter"])


def test_units_without_an_address_are_named_and_get_no_mail(config, tmp_path, monkeypatch):
    from tests.test_free_places import long_file
    from tsk.ingest import run_import

    db = tmp_path / "tyst.duckdb"
    csv = long_file(tmp_path / "lb.csv",
                    "v3 2026;Svenljunga kommun;Fritidsgården Sexdrega;Sexdrega;;Klotter;1",
                    *[f"v{w} 2026;Polisen;Kommunpolis Svenljunga;Svenljunga;;Klotter;1" for w in (3, 4, 5, 6)])
    run_import("lagesbild", csv, db=db, config=config)
    monkeypatch.setenv("TSK_DB", str(db))
    at = run_page(PAGE)
    assert not at.exception and [e.value for e in at.error] == []
    table = next(d.value for d in at.dataframe if t("col_email") in d.value.columns)
    assert table[[t("col_reporter"), t("col_silent_now")]].values.tolist() == [["Fritidsgården Sexdrega", 3]]
    assert not at.get("link_button") and not at.code
    assert t("ag_remind_no_email", units="Fritidsgården Sexdrega") in [c.value for c in at.caption]


@pytest.mark.parametrize("email", ["anna", "anna@kommun", 7])
def test_a_reporter_address_that_is_not_one_address_is_refused(config, email):
    data = copy.deepcopy(config.raw)
    data["reporting_units"][0]["reporters"] = ["ok@kommun.example", email]
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert e.value.key == "config_unit_bad_email"


def test_a_unit_listed_twice_is_refused(config):
    data = copy.deepcopy(config.raw)
    data["reporting_units"].append(dict(data["reporting_units"][0]))
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert e.value.key == "config_unit_twice" and data["reporting_units"][0]["name"] in e.value.message


@pytest.mark.parametrize("value", [-1, "7", True])
def test_a_bad_veckorapport_setting_is_refused(config, value):
    data = copy.deepcopy(config.raw)
    data["veckorapport"] = {"close_after_days": value}
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert e.value.key == "config_bad_number" and "close_after_days" in e.value.message

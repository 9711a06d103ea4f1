"""The accessibility statement (DOS-lagen): every element Digg asks for, filled from the kommun's own
config, nothing guessed where the config is silent, and the page reachable by every role."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk import accessibility
from tsk.config import ROOT, load_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.ui import gate

KOMMUN2 = ROOT / "tests" / "kommun2" / "tsk.toml"
# Digg: the actor, the service, the compliance wording, the report link, the method, the dates.
REQUIRED = ["delvis förenlig", "https://www.digg.se/tdosanmalan", "självskattning", "Innehåll som inte är tillgängligt",
            "Innehåll som inte omfattas av lagkraven", "Senaste bedömningen gjordes", "uppdaterades senast"]


def test_the_demo_statement_has_every_required_part_and_says_its_contact_is_missing():
    text, has_contact = accessibility.statement_markdown(load_config(), service="Trygg och säker kommun")
    for part in REQUIRED:
        assert part in text, part
    assert "Svenljunga kommun står bakom Trygg och säker kommun" in text
    assert not has_contact and t("a11y_no_contact") in text
    assert "3 december 2026" in text
    assert not re.search(r"\{\w+\}", text) and "<!--" not in text  # every field filled, the note left out
    # The known shortcomings name the WCAG criteria they fail.
    assert all(c in text for c in ("2.1.1", "1.3.1", "3.1.2"))


def test_another_kommun_gets_its_own_name_contact_and_date():
    text, has_contact = accessibility.statement_markdown(load_config(KOMMUN2), service="TSK")
    assert has_contact and "tillganglighet@bjorkdala.example" in text
    assert "Björkdala kommun står bakom" in text and "Svenljunga" not in text
    assert "Senaste bedömningen gjordes 15 januari 2027" in text
    assert "uppdaterades senast 15 januari 2027" in text  # never before the assessment it reports


def test_a_bad_date_in_the_config_is_named():
    cfg = load_config(KOMMUN2)
    bad = replace(cfg, raw={**cfg.raw, "tillganglighet": {"bedomd": "15/1 2027"}})
    with pytest.raises(TskError) as e:
        accessibility.statement_markdown(bad, service="TSK")
    assert "tillganglighet.bedomd" in str(e.value) and "15/1 2027" in str(e.value)


@pytest.mark.parametrize("configured", [False, True], ids=["demo", "kommun2"])
def test_the_page_shows_the_statement_without_a_database(configured, tmp_path, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(tmp_path / "none.duckdb"))  # no database: the statement still opens
    if configured:
        monkeypatch.setenv("TSK_CONFIG", str(KOMMUN2))
    monkeypatch.setattr(gate, "ensure_app", lambda: None)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "tillganglighet.py"), default_timeout=60)
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    shown = " ".join(m.value for m in at.markdown)
    assert "delvis förenlig" in shown and ("Björkdala" in shown) is configured
    # The admin (this computer, no login) is told what the statement lacks; never with a contact set.
    assert [w.value for w in at.warning] == ([] if configured else [t("a11y_contact_missing")])
    assert not (tmp_path / "none.duckdb").exists()

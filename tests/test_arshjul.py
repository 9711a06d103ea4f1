"""The TSK årshjul (issue 18, item 1): [[arshjul]] in the config and its Swedish errors, each state
derived from a small store with a fixed today, the demo's planted overdue walk, the second kommun, the
report's plain sentence, the .ics file parsed back, and the table on Översikt and Analysgrupp."""
from __future__ import annotations

import io
import json
import re
import tomllib
from datetime import UTC, date, datetime

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tsk.config import ROOT, parse_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.pagedata import arshjul as aj
from tsk.store import open_store

TODAY = date(2026, 12, 4)
DEMO_KEYS = {"enkat", "enkat_analys", "traffpunkt_hogvad", "traffpunkt_kindaholm", "traffpunkt_axelfors",
             "traffpunkt_lysjo_norra", "traffpunkt_lysjo_sodra", "vandring_centralort", "uppfoljning_ks", "dialog_steg2"}


def _states(occurrences) -> dict[str, str]:
    return {f"{o.key}:{o.month}" if o.kind == "meeting" else o.key: o.state for o in occurrences}


# --- config ----------------------------------------------------------------------------------------------


def test_the_demo_config_holds_the_policy_routine(config):
    items = {i.key: i for i in config.arshjul}
    assert set(items) == DEMO_KEYS
    assert (items["enkat"].kind, items["enkat"].months) == ("survey", (11,))  # «under november månad»
    assert items["vandring_centralort"].kind == "walk_centralort"
    assert items["uppfoljning_ks"].kind == "report"
    rounds = {i.area for i in config.arshjul if i.kind == "traffpunkt"}
    assert rounds == {a.name for a in config.areas if a.kind == "traffpunkt"}  # each Träffpunkt area
    assert all(i.role for i in config.arshjul)
    assert items["traffpunkt_hogvad"].held_in(2026) and not items["traffpunkt_hogvad"].held_in(2025)


def test_kommun2_has_its_own_routine(kommun2_config):
    items = {i.key: i for i in kommun2_config.arshjul}
    assert items["enkat"].months == (3,)  # written as «mars»
    assert items["radsmote"].months == (2, 5, 8, 11)
    assert items["dialog_norrbygden"].area == "Norrbygden"
    assert not set(items) & DEMO_KEYS - {"enkat"}


def _data() -> dict:
    return tomllib.loads((ROOT / "tsk.toml").read_text(encoding="utf-8"))


def _with_item(**item) -> dict:
    data = _data()
    base = {"key": "x", "label": "X", "month": 5, "role": "R", "kind": "report"}
    data["arshjul"] = [{**base, **item}]
    return data


@pytest.mark.parametrize(("item", "key", "params"), [
    ({"month": 13}, "config_arshjul_bad_month", {"key": "x", "value": 13}),
    ({"month": 0}, "config_arshjul_bad_month", {"key": "x", "value": 0}),
    ({"month": "nov"}, "config_arshjul_bad_month", {"key": "x", "value": "nov"}),
    ({"months": []}, "config_arshjul_bad_month", {"key": "x", "value": []}),
    ({"kind": "lunch"}, "config_arshjul_unknown_kind",
     {"key": "x", "kind": "lunch",
      "kinds": "survey, traffpunkt, walk_centralort, meeting, traffpunkt_step, samhallskris, report"}),
    ({"kind": "traffpunkt_step", "step": 5}, "config_arshjul_bad_step", {"key": "x", "value": 5}),
    ({"kind": "traffpunkt_step"}, "config_arshjul_bad_step", {"key": "x", "value": 0}),
    ({"kind": "traffpunkt"}, "config_arshjul_no_area", {"key": "x"}),
    ({"kind": "traffpunkt", "area": "Atlantis"}, "config_arshjul_unknown_area", {"key": "x", "area": "Atlantis"}),
    ({"key": ""}, "config_arshjul_no_key", {"label": "X"}),
    ({"interval_years": 2}, "config_arshjul_no_start_year", {"key": "x"}),
])
def test_a_bad_arshjul_item_is_a_swedish_error_naming_it(item, key, params):
    data = _with_item(**item)
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert e.value.key == key
    for name, value in params.items():
        assert e.value.params[name] == value
    message = e.value.message
    assert message != key and "Konfigurationsfilen" in message  # the Swedish text, not the key


def test_a_key_twice_and_a_walk_without_centralort_are_errors():
    data = _data()
    item = {"key": "x", "label": "X", "month": 5, "role": "R", "kind": "report"}
    data["arshjul"] = [item, dict(item)]
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert e.value.key == "config_arshjul_key_twice"
    data = _with_item(kind="walk_centralort")
    for a in data["areas"]:
        a["kind"] = "traffpunkt"
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert e.value.key == "config_arshjul_no_centralort"


def test_a_swedish_month_name_and_several_months_are_read():
    cfg = parse_config(_with_item(months=["Mars", 9, 3]), ROOT / "tsk.toml")
    assert cfg.arshjul[0].months == (3, 9)


# --- states on small stores --------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_db, config):
    s = open_store(tmp_db, config=config)
    yield s
    s.close()


def _survey(store, year: int, day: date) -> None:
    store.run("INSERT INTO survey_respondents VALUES (1, ?, 'r1', ?, NULL, NULL, NULL, NULL)",
              [year, datetime(day.year, day.month, day.day, 12)])


def _round(store, area: str, day: date) -> None:
    store.run("INSERT INTO traffpunkt_respondents VALUES (1, ?, ?, 'r1', ?, ?, NULL, 'invånare')",
              [str(day.year), day.year, datetime(day.year, day.month, day.day, 12), area])


def _walk(store, walk_id: int, ort: str, area: str, day: date, status: str) -> None:
    store.run("INSERT INTO walks (walk_id, ort, area, walk_date, status, route, participants, updated_at) "
              "VALUES (?, ?, ?, ?, ?, '[]', '{}', now())", [walk_id, ort, area, day, status])


def _meeting(store, day: date) -> None:
    store.save_meeting({"meeting_date": day, "period_from": day, "period_to": day, "organisations": "[]",
                        "snapshot": json.dumps({})})


def _central(config) -> tuple[str, str]:
    area = next(a.name for a in config.areas if a.kind == "centralort")
    return next(o.name for o in config.orter if o.area == area), area


def test_an_empty_store_is_overdue_after_each_month_and_unknown_for_the_report(store, config):
    states = _states(aj.wheel(store, config, year=2026, today=TODAY))
    assert states["enkat"] == aj.OVERDUE  # November has passed
    assert states["traffpunkt_hogvad"] == aj.OVERDUE
    assert states["vandring_centralort"] == aj.OVERDUE
    assert states["enkat_analys:12"] == aj.COMING  # December is not over
    assert states["uppfoljning_ks"] == aj.UNKNOWN  # not in the store: never guessed


def test_before_the_months_everything_is_coming(store, config):
    occurrences = aj.wheel(store, config, year=2026, today=date(2026, 2, 10))
    assert {o.state for o in occurrences} == {aj.COMING}
    assert [o.month for o in occurrences] == sorted(o.month for o in occurrences)  # month order


def test_the_last_day_of_the_month_is_still_coming(store, config):
    states = _states(aj.wheel(store, config, year=2026, today=date(2026, 10, 31)))
    assert states["vandring_centralort"] == aj.COMING
    states = _states(aj.wheel(store, config, year=2026, today=date(2026, 11, 1)))
    assert states["vandring_centralort"] == aj.OVERDUE


def test_evidence_in_the_store_makes_items_done_with_dates(store, config):
    ort, area = _central(config)
    _survey(store, 2026, date(2026, 11, 20))
    _round(store, "Högvad", date(2026, 10, 5))
    _walk(store, 1, ort, area, date(2026, 5, 12), t("walk_status_done"))
    _meeting(store, date(2026, 12, 2))
    by_key = {o.key: o for o in aj.wheel(store, config, year=2026, today=TODAY)}
    assert by_key["enkat"].state == aj.DONE and by_key["enkat"].when == date(2026, 11, 20)
    assert by_key["traffpunkt_hogvad"].state == aj.DONE and "Högvad" in by_key["traffpunkt_hogvad"].evidence
    assert by_key["traffpunkt_kindaholm"].state == aj.OVERDUE  # another area's round is no evidence
    assert by_key["vandring_centralort"].state == aj.DONE and by_key["vandring_centralort"].when == date(2026, 5, 12)
    assert "2026-05-12" in by_key["vandring_centralort"].evidence
    assert by_key["enkat_analys"].state == aj.DONE and by_key["enkat_analys"].when == date(2026, 12, 2)
    others = [o for o in by_key.values() if o.kind == "traffpunkt" and o.key != "traffpunkt_hogvad"]
    assert aj.policy_sentences(list(by_key.values()), 2026) == [
        t("aj_overdue_list", items="; ".join(f"{o.label} (oktober)" for o in others))]  # no walk sentence


def test_a_walk_planned_ahead_is_planned_and_one_whose_date_passed_is_overdue(store, config):
    ort, area = _central(config)
    _walk(store, 1, ort, area, date(2026, 12, 20), t("walk_status_planned"))
    walk = next(o for o in aj.wheel(store, config, year=2026, today=TODAY) if o.kind == "walk_centralort")
    assert (walk.state, walk.when, walk.start()) == (aj.PLANNED, date(2026, 12, 20), date(2026, 12, 20))
    walk = next(o for o in aj.wheel(store, config, year=2026, today=date(2026, 12, 21)) if o.kind == "walk_centralort")
    assert walk.state == aj.OVERDUE
    assert walk.evidence == t("aj_ev_walk_planned_passed", ort=ort, date="2026-12-20")


def test_a_cancelled_walk_or_one_in_another_area_is_no_evidence(store, config):
    ort, area = _central(config)
    _walk(store, 1, ort, area, date(2026, 5, 12), t("walk_status_cancelled"))
    other = next(o for o in config.orter if o.area != area)
    _walk(store, 2, other.name, other.area, date(2026, 5, 12), t("walk_status_done"))
    walk = next(o for o in aj.wheel(store, config, year=2026, today=TODAY) if o.kind == "walk_centralort")
    assert walk.state == aj.OVERDUE
    assert aj.policy_sentences([walk], 2026)[0] == "Ingen trygghetsvandring i centralorten 2026."


def test_a_two_yearly_round_is_left_out_of_the_years_between(store, config):
    assert not [o for o in aj.wheel(store, config, year=2025, today=TODAY) if o.kind == "traffpunkt"]
    assert len([o for o in aj.wheel(store, config, year=2026, today=TODAY) if o.kind == "traffpunkt"]) == 5


def test_a_meeting_counts_for_its_own_month_only(store, kommun2_config, tmp_path):
    with open_store(tmp_path / "k2.duckdb", config=kommun2_config) as s:
        _meeting(s, date(2025, 5, 20))
        states = _states(aj.wheel(s, kommun2_config, year=2025, today=date(2025, 12, 1)))
    assert (states["radsmote:2"], states["radsmote:5"], states["radsmote:8"]) == (aj.OVERDUE, aj.DONE, aj.OVERDUE)
    assert states["radsmote:11"] == aj.OVERDUE


# --- the demo and the second kommun ---------------------------------------------------------------------------


def test_the_demo_plants_one_overdue_item_the_centralort_walk(demo_db, config):
    with open_store(demo_db, read_only=True) as s:
        occurrences = aj.wheel(s, config, year=2026, today=TODAY)
    overdue = [o.key for o in occurrences if o.state == aj.OVERDUE]
    assert overdue == ["vandring_centralort"]
    states = _states(occurrences)
    assert states["enkat"] == aj.DONE
    assert all(states[k] == aj.DONE for k in DEMO_KEYS if k.startswith("traffpunkt_"))
    assert states["enkat_analys:12"] == aj.COMING
    assert states["dialog_steg2"] == aj.COMING  # December has not ended; the demo registers no step yet
    assert states["uppfoljning_ks"] == aj.UNKNOWN
    assert aj.summary(occurrences, 2026) == "Årshjulet 2026: 6 genomförd, 2 kommande, 1 försenad, 1 okänd."


def test_the_demo_report_states_the_missing_centralort_walk_plainly(demo_db, config):
    from tsk.report.build import build_report

    with open_store(demo_db, read_only=True) as s:
        report = build_report(s, config, 2026, public=True)
    summary = report.sections[0].blocks
    assert "Ingen trygghetsvandring i centralorten 2026." in summary
    table = report.table("arshjul")
    assert table is not None and len(table.frame) == 10
    assert t("rp_h_arshjul", year=2026) in report.headings()
    # the year before: the October 2025 walk was held, so the sentence is not there
    with open_store(demo_db, read_only=True) as s:
        earlier = build_report(s, config, 2025, public=True)
    assert not any("Ingen trygghetsvandring" in b for b in earlier.sections[0].blocks if isinstance(b, str))


def test_the_report_files_carry_the_arshjul(demo_db, config):
    import docx
    import openpyxl

    from tsk.report.files import report_files

    with open_store(demo_db, read_only=True) as s:
        files = report_files(s, config, year=2026, public=False)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(files.docx)).paragraphs)
    assert "Ingen trygghetsvandring i centralorten 2026." in text
    sheet = openpyxl.load_workbook(io.BytesIO(files.xlsx))[t("rp_sheet_arshjul")]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert t("aj_state_overdue") in cells and "Trygghetsvandring i centralorten" in cells


@pytest.mark.parametrize(("scenario", "expected"), [
    ("en_omgang", {"enkat": aj.DONE, "dialog_norrbygden": aj.DONE, "dialog_soderskogen": aj.DONE,
                   "vandring_tatort": aj.OVERDUE, "rapport": aj.UNKNOWN, "radsmote:11": aj.OVERDUE}),
    ("tom", {"enkat": aj.OVERDUE, "dialog_norrbygden": aj.OVERDUE, "dialog_soderskogen": aj.OVERDUE,
             "vandring_tatort": aj.OVERDUE, "rapport": aj.UNKNOWN, "radsmote:2": aj.OVERDUE}),
    ("utan_traffpunkt", {"enkat": aj.DONE, "dialog_norrbygden": aj.OVERDUE}),
])
def test_kommun2_stores(kommun2_stores, kommun2_config, scenario, expected):
    with open_store(kommun2_stores[scenario], read_only=True) as s:
        occurrences = aj.wheel(s, kommun2_config, year=2025, today=TODAY)
    states = _states(occurrences)
    assert {k: states[k] for k in expected} == expected
    assert len(occurrences) == 9  # 6 items, the trygghetsråd four times
    assert aj.wheel_table(occurrences)[t("aj_col_month")].iloc[0] == "februari"


# --- iCalendar -------------------------------------------------------------------------------------------------


def _unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    raw = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in raw)  # CRLF only
    assert all(len(line.encode("utf-8")) <= 75 for line in raw)  # folded (RFC 5545 3.1)
    out: list[str] = []
    for line in raw:
        if line.startswith(" "):
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


def _events(lines: list[str]) -> list[dict[str, str]]:
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return events


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_the_ics_has_the_coming_dates_and_parses_back(demo_db, config):
    with open_store(demo_db, read_only=True) as s:
        coming = aj.coming(s, config, today=TODAY)
    data = aj.ics(coming, config, now=datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    lines = _unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    events = _events(lines)
    # December's survey analysis, then next year's items from March up to November (12 months ahead)
    assert [e["DTSTART;VALUE=DATE"] for e in events] == ["20261201", "20261201", "20270301", "20271001", "20271101"]
    assert [o.key for o in coming] == ["enkat_analys", "dialog_steg2", "uppfoljning_ks", "vandring_centralort", "enkat"]
    assert all(e["DTSTAMP"] == "20261204T090000Z" for e in events)
    assert len({e["UID"] for e in events}) == len(events)
    assert _unescape(events[0]["SUMMARY"]) == t("aj_ics_summary", label="Analysgruppen: gemensam analys av enkätresultatet")
    assert "kommunen, polisen" in _unescape(events[0]["DESCRIPTION"])  # the comma escaped and back
    assert "\\," in events[0]["DESCRIPTION"]


def test_ics_escaping_and_folding_of_hostile_text(config):
    o = aj.Occurrence("k", "Semikolon; komma, snedstreck \\ och\nny rad " + "å" * 60, "Roll", "report", 2027, 3,
                      aj.COMING, "")
    events = _events(_unfold(aj.ics([o], config)))
    assert _unescape(events[0]["SUMMARY"]) == t("aj_ics_summary", label=o.label)
    assert events[0]["DTEND;VALUE=DATE"] == "20270302"


def test_a_planned_walk_is_on_its_own_date_in_the_calendar(store, config):
    ort, area = _central(config)
    _walk(store, 1, ort, area, date(2026, 12, 20), t("walk_status_planned"))
    coming = aj.coming(store, config, today=TODAY)
    walk = next(o for o in coming if o.kind == "walk_centralort" and o.year == 2026)
    events = _events(_unfold(aj.ics([walk], config)))
    assert events[0]["DTSTART;VALUE=DATE"] == "20261220"
    assert "2026-12-20" in _unescape(events[0]["DESCRIPTION"])


# --- the pages ---------------------------------------------------------------------------------------------------


def _run(page: str, db) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page != "pages/oversikt.py":
        at.switch_page(page)
        at.run()
    return at


def _arshjul_tables(at: AppTest):
    return [df.value for df in at.dataframe if t("aj_col_state") in getattr(df.value, "columns", [])]


@pytest.mark.parametrize("page", ["pages/oversikt.py", "pages/analysgrupp.py"])
def test_the_pages_show_the_arshjul_table(page, demo_db, config, monkeypatch):
    monkeypatch.setenv("TSK_DB", str(demo_db))
    at = _run(page, demo_db)
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    tables = _arshjul_tables(at)
    assert tables, "no årshjul table on the page"
    today = date.today()
    with open_store(demo_db, read_only=True) as s:
        expected = aj.wheel_table(aj.wheel(s, config, year=today.year, today=today))
    assert list(tables[0][t("aj_col_item")]) == list(expected[t("aj_col_item")])
    assert list(tables[0][t("aj_col_state")]) == list(expected[t("aj_col_state")])
    headers = [h.value for h in at.header] + [h.value for h in at.subheader]
    assert t("aj_heading", year=today.year) in headers
    if page == "pages/analysgrupp.py":
        assert t("at_arshjul") in [tab.label for tab in at.tabs]
        assert t("aj_agenda_heading") in headers


def _step(store, area: str, step: int, day: date, round_: str | None = None) -> None:
    from tsk.registers import dialog

    record = dialog.Step(area=area, round=round_ or str(day.year), step=step, meeting_date=day,
                         participants={"tjanstepersoner": 3})
    store.save_traffpunkt_step(dialog.step_row(record), [])


def _step_item(config, **changes):
    from dataclasses import replace

    item = next(i for i in config.arshjul if i.kind == "traffpunkt_step")
    return replace(config, arshjul=(replace(item, **changes),))


def test_a_dialogue_step_is_held_when_every_area_with_a_round_has_it(store, config):
    """Without an area: the areas expected are those whose round of the year is imported; held when each
    has the step registered for that round («2026 höst» is the round of 2026), whatever month it was held."""
    a, b, c = [x.name for x in config.areas if x.kind == "traffpunkt"][:3]
    cfg = _step_item(config)
    after = date(2027, 1, 10)
    one = aj.wheel(store, cfg, year=2026, today=after)[0]
    assert (one.state, one.evidence) == (aj.OVERDUE, t("aj_ev_none_step_round", year=2026, step=2))
    _round(store, a, date(2026, 10, 5))
    _round(store, b, date(2026, 10, 6))
    _step(store, a, 2, date(2026, 11, 20))
    _step(store, b, 3, date(2026, 12, 1))   # another step is no evidence
    _step(store, c, 2, date(2026, 11, 2))   # an area without a round this year is not expected
    one = aj.wheel(store, cfg, year=2026, today=after)[0]
    assert (one.state, one.evidence) == (aj.OVERDUE, t("aj_ev_none_step", year=2026, step=2, areas=b))
    _step(store, b, 2, date(2027, 1, 8), round_="2026 höst")
    one = aj.wheel(store, cfg, year=2026, today=after)[0]
    assert one.state == aj.DONE and one.when == date(2027, 1, 8)
    assert one.evidence == t("aj_ev_step", year=2026, step=2, areas=f"{a}, {b}", date="2027-01-08")
    # With an area of its own, only that area counts.
    own = aj.wheel(store, _step_item(config, area=c), year=2026, today=after)[0]
    assert own.state == aj.DONE and own.when == date(2026, 11, 2)


def test_a_samhallskris_item_is_held_by_a_robustness_meeting_in_the_year(store, config):
    from dataclasses import replace

    from tsk.arshjul_config import ArshjulItem
    from tsk.registers import dialog

    cfg = replace(config, arshjul=(ArshjulItem("sk", "Samhällskris", (4,), "Kansliet", "samhallskris"),))
    first = aj.wheel(store, cfg, year=2026, today=date(2026, 5, 1))[0]
    assert (first.state, first.evidence) == (aj.OVERDUE, t("aj_ev_none_kris", year=2026))
    ort = config.orter[0].name
    for day in (date(2025, 4, 1), date(2026, 9, 14)):
        store.save_samhallskris_meeting(dialog.kris_row(dialog.KrisMeeting(ort, day, {"naringsliv": 2}, ("El",))), [])
    held = aj.wheel(store, cfg, year=2026, today=date(2026, 12, 1))[0]
    assert held.state == aj.DONE and held.when == date(2026, 9, 14)
    assert held.evidence == t("aj_ev_kris", n=1, year=2026, orter=ort, date="2026-09-14")

"""The weekly report written in the app (tsk.ingest.veckorapport): what it refuses, what it stores, and that
a stored report reads like an imported one in Lägesbild and the coverage view, for the shipped kommun and
the second one (tests/kommun2).

Every refusal is checked for its Swedish message and for the store file left byte for byte as it was."""
from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from tsk.config import ROOT, KommunConfig, ReportingUnit, load_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.ingest import veckorapport as vr
from tsk.ingest.run import run_import
from tsk.ingest.veckorapport import (
    Submission,
    change,
    check,
    open_weeks,
    remove,
    submit,
    week_state,
)
from tsk.pagedata.lagesbild import coverage_summary, reporting_reminders
from tsk.store import open_store

TODAY = date(2026, 12, 2)  # a Wednesday in ISO week 49 of 2026: weeks 49 and 48 are open
ACTOR = "inrapportor@kommun.example"
HEADER = "Vecka;Datum;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;Kommentar"


@pytest.fixture(scope="module")
def cfg() -> KommunConfig:
    return load_config(ROOT / "tsk.toml")


def with_close(cfg: KommunConfig, days: int) -> KommunConfig:
    return dataclasses.replace(cfg, veckorapport=dataclasses.replace(cfg.veckorapport, close_after_days=days))


def empty_store(path: Path, cfg: KommunConfig) -> Path:
    """A new store with the kommun's reference tables (orter, places, organisations), as `tsk init` makes."""
    with open_store(path, config=cfg):
        pass
    return path


def a_place(cfg: KommunConfig, i: int = 0):
    return cfg.platser[i]


def report(cfg: KommunConfig, unit: ReportingUnit, *, week=(2026, 49), i: int = 0, grade: int = 2,
           comment: str = "", **changes) -> Submission:
    place = a_place(cfg, i)
    sub = Submission(unit.name, week[0], week[1], ort=place.ort, place=place.name,
                     grades={cfg.categories[0].key: grade, cfg.categories[1].key: 1}, comment=comment)
    return dataclasses.replace(sub, **changes)


def rows_of(db: Path, sql: str, params=None) -> pd.DataFrame:
    with open_store(db, read_only=True) as store:
        return store.query(sql, params)


def all_text(db: Path) -> str:
    """Every value of every table of the store as text."""
    with open_store(db, read_only=True) as store:
        tables = [r[0] for r in store.run("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'")]
        return "\n".join(store.query(f'SELECT * FROM "{name}"').to_csv() for name in tables)


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# --- weeks ------------------------------------------------------------------------------------------------
def test_this_and_last_week_are_open_the_one_before_is_closed_next_is_future(cfg):
    assert open_weeks(TODAY, cfg) == [(2026, 49), (2026, 48)]
    assert week_state(2026, 49, TODAY, cfg) == "open"
    assert week_state(2026, 48, TODAY, cfg) == "open"
    assert week_state(2026, 47, TODAY, cfg) == "closed"
    assert week_state(2026, 50, TODAY, cfg) == "future"
    # Last week closes close_after_days (7) after its Sunday (29 November): open on 6 December, closed on the 7th.
    assert week_state(2026, 48, date(2026, 12, 6), cfg) == "open"
    assert week_state(2026, 48, date(2026, 12, 7), cfg) == "closed"
    assert open_weeks(date(2026, 12, 7), cfg) == [(2026, 50), (2026, 49)]


def test_weeks_across_the_year_boundary(cfg):
    # 2026 has an ISO week 53 (28 December – 3 January); on Tuesday 5 January 2027 it is last week.
    assert open_weeks(date(2027, 1, 5), cfg) == [(2027, 1), (2026, 53)]
    assert week_state(2026, 53, date(2027, 1, 5), cfg) == "open"
    assert week_state(2026, 53, date(2027, 1, 11), cfg) == "closed"
    assert week_state(2027, 1, date(2026, 12, 31), cfg) == "future"
    # 1 January 2026 is in week 1 of 2026; the week before is week 52 of 2025 (2025 has no week 53).
    assert open_weeks(date(2026, 1, 1), cfg) == [(2026, 1), (2025, 52)]
    for year, week in ((2025, 53), (2026, 0), (2026, 54)):
        with pytest.raises(TskError) as e:
            week_state(year, week, date(2026, 1, 1), cfg)
        assert e.value.key == "bad_week" and str(e.value) == t("bad_week", detail=f"v{week} {year}")


def test_close_after_days_zero_closes_last_week_on_its_sunday(cfg):
    closing = with_close(cfg, 0)
    assert open_weeks(date(2027, 1, 3), closing) == [(2026, 53)]  # Sunday 3 January: this week only
    assert week_state(2026, 53, date(2027, 1, 3), closing) == "open"
    assert open_weeks(date(2027, 1, 4), closing) == [(2027, 1)]
    unit = cfg.reporting_units[0]
    with pytest.raises(TskError) as e:
        check(report(cfg, unit, week=(2026, 53)), (unit,), closing, date(2027, 1, 4))
    assert str(e.value) == t("vr_week_closed", week=53, year=2026, days=0)
    # The shipped setting (7 days) keeps it open on that Monday.
    assert check(report(cfg, unit, week=(2026, 53)), (unit,), cfg, date(2027, 1, 4)) == unit


def test_a_report_for_week_53_is_stored_in_week_53(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    rid = submit(db, report(cfg, unit, week=(2026, 53)), actor=ACTOR, allowed=(unit,), config=cfg,
                 today=date(2027, 1, 5))
    rows = rows_of(db, "SELECT DISTINCT iso_year, iso_week, week_start FROM lagesbild WHERE report_id = ?", [rid])
    assert rows.to_dict("records") == [{"iso_year": 2026, "iso_week": 53, "week_start": pd.Timestamp(2026, 12, 28)}]


# --- refusals: a Swedish message, nothing written --------------------------------------------------------------
def refusals(cfg: KommunConfig):
    unit, other = cfg.reporting_units[0], cfg.reporting_units[1]
    limit = cfg.veckorapport.max_comment_chars
    megabyte = "a" * 1_000_000
    return {
        "another unit": (dict(unit=other.name), "vr_not_your_unit", dict(unit=other.name)),
        "a future week": (dict(iso_week=50), "vr_week_future", dict(week=50, year=2026)),
        "a closed week": (dict(iso_week=47), "vr_week_closed", dict(week=47, year=2026, days=7)),
        "a week that does not exist": (dict(iso_year=2025, iso_week=53), "bad_week", dict(detail="v53 2025")),
        "a script comment": (dict(comment='Se <script>alert("x")</script>'), "vr_comment_markup", {}),
        "an HTML comment": (dict(comment="Bra <b>där</b>"), "vr_comment_markup", {}),
        "a javascript: link": (dict(comment="javascript:alert(1)"), "vr_comment_markup", {}),
        "a 1 MB comment": (dict(comment=megabyte), "vr_comment_too_long", dict(chars="1 000 000", limit=limit)),
        "markup as annan plats": (dict(place=None, other_place="<img src=x onerror=alert(1)>"),
                                  "vr_other_place_markup", {}),
        "no ort": (dict(ort=None, place=None), "vr_no_ort", {}),
        "no grade": (dict(grades={}), "vr_no_grades", {}),
        "a grade off the scale": (dict(grades={cfg.categories[0].key: 9}), "vr_bad_grade",
                                  dict(grade=9, grades=", ".join(str(g) for g in sorted(cfg.grades)))),
        "an unknown category": (dict(grades={"no_such_category": 1}), "vr_unknown_category",
                                dict(category="no_such_category")),
        "a place and annan plats": (dict(other_place="Gamla kvarnen"), "vr_place_and_other", {}),
        "an unknown ort": (dict(ort="Ingenstansby", place=None), "vr_refused", None),
    }, unit


@pytest.mark.parametrize("case", list(refusals(load_config(ROOT / "tsk.toml"))[0]))
def test_a_refused_submission_says_why_in_swedish_and_leaves_the_file_untouched(cfg, tmp_path, case):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    cases, unit = refusals(cfg)
    changes, key, params = cases[case]
    submit(db, report(cfg, unit, i=3), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)  # something there
    before, stat = db.read_bytes(), db.stat()
    with pytest.raises(TskError) as e:
        submit(db, dataclasses.replace(report(cfg, unit), **changes), actor=ACTOR, allowed=(unit,), config=cfg,
               today=TODAY)
    assert e.value.key == key
    if params is not None:
        assert str(e.value) == t(key, **params)
    else:  # the importer's own reason, in Swedish
        assert str(e.value).startswith("Rapporten kunde inte sparas: ") and "Ingenstansby" in str(e.value)
    assert db.read_bytes() == before and db.stat().st_ino == stat.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tsk.duckdb", "tsk.duckdb.lock"]


def test_a_1_mb_comment_is_refused_before_the_store_is_touched(cfg, tmp_path, monkeypatch):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    monkeypatch.setattr(vr, "atomic_write", lambda *a, **k: pytest.fail("a refused comment reached the write"))
    with pytest.raises(TskError) as e:
        submit(db, report(cfg, unit, comment="å" * (1 << 20)), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert str(e.value) == t("vr_comment_too_long", chars="1 048 576", limit=cfg.veckorapport.max_comment_chars)
    assert str(e.value).startswith("Kommentaren är 1 048 576 tecken lång")


# --- what is stored ---------------------------------------------------------------------------------------------
def test_the_comment_is_redacted_before_it_is_stored(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    raw = ["19800101-1234", "070-123 45 67", "Anna Andersson"]
    rid = submit(db, report(cfg, unit, comment="Anna Andersson (19800101-1234) ringde från 070-123 45 67 om torget"),
                 actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    comments = rows_of(db, "SELECT DISTINCT comment FROM lagesbild WHERE report_id = ?", [rid])["comment"].tolist()
    assert len(comments) == 1 and "borttaget" in comments[0] and "torget" in comments[0]
    with open_store(db, read_only=True) as store:
        content = json.loads(store.app_report(rid)["content"])
    assert content["comment"] == comments[0]
    text = all_text(db)
    assert rid in text and [r for r in raw if r in text] == []


def test_annan_plats_is_kept_at_ort_level_for_the_review_of_new_names(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    ort = cfg.orter[1].name
    sub = report(cfg, unit, ort=ort, place=None, other_place="  Gamla kvarnen vid ån ")
    rid = submit(db, sub, actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    rows = rows_of(db, "SELECT DISTINCT ort, place, place_text, area FROM lagesbild WHERE report_id = ?", [rid])
    assert rows.to_dict("records") == [{"ort": ort, "place": None, "place_text": "Gamla kvarnen vid ån",
                                        "area": cfg.orter[1].area}]
    with open_store(db, read_only=True) as store:  # what the Data page's review of new names reads
        review = store.unplaced_place_texts()
        content = json.loads(store.app_report(rid)["content"])
    assert review[["ort", "place_text", "reports", "submissions"]].to_dict("records") == [
        {"ort": ort, "place_text": "Gamla kvarnen vid ån", "reports": 2, "submissions": 1}]
    assert (content["place"], content["place_text"]) == (None, "Gamla kvarnen vid ån")


def test_the_same_token_twice_is_stored_once(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    sub = report(cfg, unit)
    assert submit(db, sub, actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY, report_id="form-token-1") \
        == "form-token-1"
    before = db.read_bytes()
    with pytest.raises(TskError) as e:
        submit(db, sub, actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY, report_id="form-token-1")
    assert str(e.value) == t("vr_already_saved")
    assert db.read_bytes() == before
    assert rows_of(db, "SELECT count(*) AS n FROM app_reports")["n"][0] == 1
    assert rows_of(db, "SELECT count(*) AS n FROM lagesbild")["n"][0] == 2  # two categories, once


def test_doubles_of_a_unit_week_and_place_are_refused_from_either_source(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    place, cat = a_place(cfg, 0), cfg.categories[2]
    csv = write_csv(tmp_path / "forms.csv", [
        f"v49 2026;;{unit.organisation};{unit.name};{place.ort};{place.name};{cat.label};1;Från formuläret"])
    outcome = run_import("lagesbild", csv, db=db, config=cfg, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (1, 0)
    before = db.read_bytes()
    with pytest.raises(TskError) as e:  # the same unit, week and place, written in the app
        submit(db, report(cfg, unit, i=0), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert str(e.value) == t("vr_double_import", place=place.name, week=49)
    with pytest.raises(TskError) as e:  # «inget att rapportera» beside the imported report
        submit(db, Submission(unit.name, 2026, 49, nothing=True), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert str(e.value) == t("vr_double_nothing", week=49)
    assert db.read_bytes() == before

    # Another place the same week is no double; the same place again in the app is.
    submit(db, report(cfg, unit, i=1), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    with pytest.raises(TskError) as e:
        submit(db, report(cfg, unit, i=1, grade=3), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert str(e.value) == t("vr_double_app", place=a_place(cfg, 1).name, week=49)
    # Another unit may report the same place; the same unit may report it last week.
    other = cfg.reporting_units[1]
    submit(db, report(cfg, other, i=1), actor=ACTOR, allowed=(other,), config=cfg, today=TODAY)
    submit(db, report(cfg, unit, i=1, week=(2026, 48)), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert rows_of(db, "SELECT count(*) AS n FROM app_reports")["n"][0] == 3


def test_nothing_to_report_and_reports_of_one_week_exclude_each_other(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    calm = submit(db, Submission(unit.name, 2026, 49, nothing=True), actor=ACTOR, allowed=(unit,), config=cfg,
                  today=TODAY)
    coverage = rows_of(db, "SELECT reporter, iso_week, status FROM coverage")
    assert coverage.to_dict("records") == [{"reporter": unit.name, "iso_week": 49, "status": "inget_att_rapportera"}]
    with pytest.raises(TskError) as e:
        submit(db, report(cfg, unit), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert str(e.value) == t("vr_double_after_nothing", week=49)
    remove(db, calm, actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert rows_of(db, "SELECT count(*) AS n FROM coverage")["n"][0] == 0
    submit(db, report(cfg, unit), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert rows_of(db, "SELECT DISTINCT status FROM coverage")["status"].tolist() == ["rapporterat"]


def test_a_change_keeps_every_version_with_who_and_what(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    k0, k1, k2 = (c.key for c in cfg.categories[:3])
    rid = submit(db, report(cfg, unit, comment="Först"), actor="forsta@kommun.example", allowed=(unit,), config=cfg,
                 today=TODAY)
    second = dataclasses.replace(report(cfg, unit, i=2, comment="Sedan"), grades={k2: 3})
    assert change(db, rid, second, actor="andra@kommun.example", allowed=(unit,), config=cfg, today=TODAY) == rid
    with open_store(db, read_only=True) as store:
        history = store.app_report_history(rid)
        current = store.app_report(rid)
        rows = store.query("SELECT category, grade, place, comment, import_id FROM lagesbild WHERE report_id = ?", [rid])
        imports = store.query("SELECT import_id, sha256, actor FROM imports WHERE source = 'lagesbild' ORDER BY import_id")
    assert history["version"].tolist() == [1, 2]
    assert history["actor"].tolist() == ["forsta@kommun.example", "andra@kommun.example"]
    first, now = (json.loads(c) for c in history["content"])
    assert (first["grades"], first["place"], first["comment"]) == ({k0: 2, k1: 1}, a_place(cfg, 0).name, "Först")
    assert (now["grades"], now["place"], now["comment"]) == ({k2: 3}, a_place(cfg, 2).name, "Sedan")
    # Only the current version's rows count; each version has its own imports line.
    assert rows[["category", "grade", "place", "comment"]].to_dict("records") == [
        {"category": k2, "grade": 3, "place": a_place(cfg, 2).name, "comment": "Sedan"}]
    assert set(rows["import_id"]) == {current["import_id"]}
    assert imports["sha256"].tolist() == [f"app:{rid}:1", f"app:{rid}:2"]
    assert imports["actor"].tolist() == ["forsta@kommun.example", "andra@kommun.example"]


def test_a_removal_leaves_no_rows_and_keeps_the_history(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit = cfg.reporting_units[0]
    rid = submit(db, report(cfg, unit), actor="forsta@kommun.example", allowed=(unit,), config=cfg, today=TODAY)
    remove(db, rid, actor="andra@kommun.example", allowed=(unit,), config=cfg, today=TODAY)
    assert rows_of(db, "SELECT count(*) AS n FROM lagesbild")["n"][0] == 0
    assert rows_of(db, "SELECT count(*) AS n FROM coverage")["n"][0] == 0
    with open_store(db, read_only=True) as store:
        history = store.app_report_history(rid)
        listed = store.app_reports_of([unit.name], since=(2026, 40))
    assert history[["version", "status", "actor"]].to_dict("records") == [
        {"version": 1, "status": "rapporterat", "actor": "forsta@kommun.example"},
        {"version": 2, "status": vr.REMOVED, "actor": "andra@kommun.example"}]
    assert json.loads(history["content"][0])["grades"] == {cfg.categories[0].key: 2, cfg.categories[1].key: 1}
    assert listed[["report_id", "status", "versions"]].to_dict("records") == [
        {"report_id": rid, "status": vr.REMOVED, "versions": 2}]
    for again in (lambda: remove(db, rid, actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY),
                  lambda: change(db, rid, report(cfg, unit), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)):
        with pytest.raises(TskError) as e:
            again()
        assert str(e.value) == t("vr_no_such_report")
    # The place is free again.
    submit(db, report(cfg, unit), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)


def test_another_units_report_and_a_closed_week_cannot_be_changed_or_removed(cfg, tmp_path):
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    unit, other = cfg.reporting_units[0], cfg.reporting_units[1]
    rid = submit(db, report(cfg, unit, week=(2026, 48)), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    before = db.read_bytes()
    attempts = {
        "remove by another unit": lambda: remove(db, rid, actor=ACTOR, allowed=(other,), config=cfg, today=TODAY),
        "change by another unit": lambda: change(db, rid, report(cfg, other, week=(2026, 48)), actor=ACTOR,
                                                 allowed=(other,), config=cfg, today=TODAY),
        "move to another unit": lambda: change(db, rid, report(cfg, other, week=(2026, 48)), actor=ACTOR,
                                               allowed=(unit, other), config=cfg, today=TODAY),
    }
    for what, attempt in attempts.items():
        with pytest.raises(TskError) as e:
            attempt()
        assert e.value.key == "vr_not_your_unit", what
    closed_day = TODAY + timedelta(days=5)  # Monday 7 December: week 48 closed
    for attempt in (lambda: remove(db, rid, actor=ACTOR, allowed=(unit,), config=cfg, today=closed_day),
                    lambda: change(db, rid, report(cfg, unit, week=(2026, 50)), actor=ACTOR, allowed=(unit,),
                                   config=cfg, today=closed_day)):
        with pytest.raises(TskError) as e:
            attempt()
        assert str(e.value) == t("vr_week_closed", week=48, year=2026, days=7)
    assert db.read_bytes() == before


def test_no_backup_is_made_per_submission(cfg, tmp_path, monkeypatch):
    monkeypatch.delenv("TSK_BACKUP_DIR", raising=False)
    db = empty_store(tmp_path / "tsk.duckdb", cfg)
    (tmp_path / "backup").mkdir()
    unit = cfg.reporting_units[0]
    rid = submit(db, report(cfg, unit), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    change(db, rid, report(cfg, unit, grade=3), actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    remove(db, rid, actor=ACTOR, allowed=(unit,), config=cfg, today=TODAY)
    assert list((tmp_path / "backup").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup", "tsk.duckdb", "tsk.duckdb.lock"]
    assert rows_of(db, "SELECT count(*) AS n FROM app_reports")["n"][0] == 3


# --- an in-app report reads like an imported one ------------------------------------------------------------------
def readings(db: Path, cfg: KommunConfig, week: tuple[int, int], ort: str, place: str | None) -> dict:
    """What Lägesbild and the coverage view read (the store questions and pagedata the pages call)."""
    monday = date.fromisocalendar(*week, 1)
    sel = {"areas": [a.name for a in cfg.areas], "orgs": [o.name for o in cfg.organisations],
           "week_from": monday - timedelta(weeks=25), "week_to": monday}
    cats = [c.key for c in cfg.categories]
    with open_store(db, read_only=True) as store:
        coverage = store.reporting_coverage(areas=sel["areas"] + [""], orgs=sel["orgs"], week_from=sel["week_from"],
                                            week_to=sel["week_to"])
        return {
            "places": store.lagesbild_places(cats=cats, **sel),
            "counts": store.lagesbild_counts(cats=cats, by=("category", "ort", "place", "organisation"), **sel),
            "by_organisation": store.lagesbild_by_organisation(cats=cats, **sel),
            "timeline": store.place_timeline(ort=ort, plats=place, orgs=sel["orgs"], cats=cats,
                                             week_from=sel["week_from"], week_to=sel["week_to"]),
            "coverage": coverage,
            "coverage_summary": coverage_summary(coverage),
            "reminders": reporting_reminders(store, cfg)[0],
            "latest_coverage_week": store.latest_coverage_week(),
        }


def compare_with_import(cfg: KommunConfig, base: Path, tmp_path: Path, unit: ReportingUnit, week: tuple[int, int],
                        today: date, place, nothing: bool) -> tuple[dict, dict]:
    """The same report imported from a form tool's file into one copy of `base` and written in the app
    into another: (readings of the imported copy, readings of the app copy)."""
    imported, in_app = tmp_path / "imported" / "tsk.duckdb", tmp_path / "app" / "tsk.duckdb"
    for db in (imported, in_app):
        db.parent.mkdir()
        shutil.copyfile(base, db)
    cats = cfg.categories[:2]
    comment = "Glas på marken, Anna Andersson 070-123 45 67 sa det"
    head = f"v{week[1]} {week[0]};;{unit.organisation};{unit.name}"
    lines = ([f"{head};;;Inget att rapportera;;"] if nothing else
             [f"{head};{place.ort};{place.name};{cats[0].label};2;{comment}", f"{head};{place.ort};{place.name};"
                                                                              f"{cats[1].label};1;{comment}"])
    outcome = run_import("lagesbild", write_csv(tmp_path / "forms.csv", lines), db=imported, config=cfg, backup=False)
    assert outcome.quarantined == 0
    sub = (Submission(unit.name, *week, nothing=True) if nothing else
           Submission(unit.name, *week, ort=place.ort, place=place.name, grades={cats[0].key: 2, cats[1].key: 1},
                      comment=comment))
    submit(in_app, sub, actor=ACTOR, allowed=(unit,), config=cfg, today=today)
    return (readings(imported, cfg, week, place.ort, place.name), readings(in_app, cfg, week, place.ort, place.name))


def assert_same_readings(imported: dict, in_app: dict) -> None:
    assert imported.keys() == in_app.keys()
    for key in imported:
        if isinstance(imported[key], pd.DataFrame):
            pd.testing.assert_frame_equal(imported[key], in_app[key], obj=key)
        else:
            assert imported[key] == in_app[key], key


def unit_week_status(readings_: dict, unit: str, week: tuple[int, int]) -> list[str]:
    cov = readings_["coverage"]
    return cov[(cov["reporter"] == unit) & (cov["week_start"] == pd.Timestamp(date.fromisocalendar(*week, 1)))][
        "status"].tolist()


@pytest.mark.parametrize("nothing", [False, True], ids=["report", "inget att rapportera"])
def test_an_app_report_reads_like_an_imported_one_in_the_demo(cfg, demo_db, tmp_path, nothing):
    unit, place, week = cfg.reporting_units[0], a_place(cfg, 0), (2026, 49)
    before = readings(demo_db, cfg, week, place.ort, place.name)
    imported, in_app = compare_with_import(cfg, demo_db, tmp_path, unit, week, TODAY, place, nothing)
    assert_same_readings(imported, in_app)
    assert unit_week_status(in_app, unit.name, week) == ["inget_att_rapportera" if nothing else "rapporterat"]
    assert unit_week_status(before, unit.name, week) in ([], ["saknas"])
    if not nothing:
        def at_place(r):
            p = r["places"]
            return int(p[(p["ort"] == place.ort) & (p["plats"] == place.name)]["reports"].sum())
        assert at_place(in_app) == at_place(before) + 2
        assert "[namn borttaget]" in in_app["timeline"]["comment"].iloc[-1]


@pytest.mark.parametrize("nothing", [False, True], ids=["report", "inget att rapportera"])
def test_an_app_report_reads_like_an_imported_one_in_the_second_kommun(kommun2_config, tmp_path, nothing):
    from tests.kommun2.builder import build_store, write_exports

    cfg = kommun2_config
    base = build_store(tmp_path / "base" / "tsk.duckdb", ("areas", "lagesbild_one_week"),
                       write_exports(tmp_path / "exports", cfg), cfg)
    organisation = next(o.name for o in cfg.organisations if o.kind == "kommun")
    unit = ReportingUnit("Fritidsgården", organisation)  # a reporter of the builder's file; no [[reporting_units]]
    place, week = cfg.platser[0], (2025, 41)
    before = readings(base, cfg, week, place.ort, place.name)
    imported, in_app = compare_with_import(cfg, base, tmp_path, unit, week, date(2025, 10, 8), place, nothing)
    assert_same_readings(imported, in_app)
    assert unit_week_status(in_app, unit.name, week) == ["inget_att_rapportera" if nothing else "rapporterat"]
    assert unit_week_status(before, unit.name, week) in ([], ["saknas"])
    assert len(before["coverage"]) < len(in_app["coverage"])

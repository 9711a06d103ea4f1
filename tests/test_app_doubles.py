"""A kommun running both the app and a form tool (issue 17, item 6): an imported submission of a unit,
week and place the app already holds is kept in quarantine with its Swedish reason (all its category
rows, its coverage row too), never counted twice in the Lägesbild counts or the coverage; «inget att
rapportera» beside reports of the other source the same way; the reverse (the app after an import) is
refused by the app. On the second kommun (tests/kommun2), with reporting units added."""
from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from tests.kommun2.builder import CONFIG_PATH
from tsk.config import load_config
from tsk.errors import TskError
from tsk.i18n import t
from tsk.ingest.dedup import (
    DOUBLE_AFTER_NOTHING,
    DOUBLE_NOTHING,
    DOUBLE_NOTHING_TWICE,
    DOUBLE_REPORT,
)
from tsk.ingest.run import run_import
from tsk.ingest.veckorapport import Submission, submit
from tsk.pagedata import imports, lagesbild
from tsk.store import open_store

HEADER = "Vecka;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;Kommentar"
TODAY = date(2025, 3, 12)  # a Wednesday of week 11: weeks 10 and 11 are open in the app


def units_config(tmp_path: Path) -> Path:
    """A copy of the second kommun's configuration (its three reporters are its reporting units)."""
    path = tmp_path / "tsk.toml"
    path.write_text(CONFIG_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def fresh_store(tmp_path: Path):
    cfg = load_config(units_config(tmp_path))
    db = tmp_path / "store.duckdb"
    with open_store(db, config=cfg):
        pass
    return db, cfg


def in_app(db, cfg, unit: str, week: int, *, ort: str | None = None, place: str | None = None, other: str = "",
           grades: dict | None = None, nothing: bool = False, comment: str = "", today: date = TODAY,
           year: int = 2025) -> str:
    sub = Submission(unit=unit, iso_year=year, iso_week=week, nothing=nothing, ort=ort, place=place,
                     other_place=other, grades=grades or {}, comment=comment)
    return submit(db, sub, actor="samordnare@bjorkdala.example", allowed=cfg.reporting_units, config=cfg,
                  today=today)


def lb_file(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def window(cfg, week_from: date, week_to: date) -> dict:
    return dict(areas=[a.name for a in cfg.areas] + [""], orgs=[o.name for o in cfg.organisations],
                week_from=week_from, week_to=week_to)


def test_an_import_after_an_in_app_report_is_quarantined_with_its_reason_and_not_counted_twice(tmp_path):
    db, cfg = fresh_store(tmp_path)
    in_app(db, cfg, "Fritidsgården", 11, ort="Björkdala", place="Torget", grades={"klotter": 2, "narkotika": 1})
    path = lb_file(tmp_path / "forms.csv",
                   "v11 2025;Björkdala kommun;Fritidsgården;Björkdala;Torget;Klotter;3;",
                   "v11 2025;Björkdala kommun;Fritidsgården;Björkdala;torget;Narkotika;1;",
                   "v11 2025;Björkdala kommun;Fritidsgården;Björkdala;Stationen;Klotter;1;",
                   "v11 2025;Björkdala kommun;Skolorna;Granlid;Badplatsen;Klotter;2;")
    out = run_import("lagesbild", path, db=db, config=cfg, backup=False)
    # The two Torget rows (a place spelt in lower case is the same place) are kept aside; the others stored.
    assert (out.accepted, out.quarantined) == (2, 2)
    assert t("note_app_doubles", n=1) in out.notes
    monday = date(2025, 3, 10)
    with open_store(db, read_only=True) as store:
        waiting = store.open_quarantine()
        counts = store.lagesbild_counts(**window(cfg, monday, monday), cats=[c.key for c in cfg.categories],
                                        by=("ort", "place", "category"))
        coverage = store.reporting_coverage(**window(cfg, monday, monday))
        stored_coverage = store.query("SELECT reporter, status FROM coverage ORDER BY ALL")
        log = store.import_log().set_index("import_id").loc[out.import_id]
    reason = t("double_app_report", unit="Fritidsgården", place="Torget", week=11, year=2025)
    assert list(waiting["reason"]) == [reason, reason] and set(waiting["reason_key"]) == {DOUBLE_REPORT}
    assert list(waiting["row_number"]) == [2, 3]  # the file's own rows, with its own cells
    assert json.loads(waiting["original_row"].iloc[1])["Plats"] == "torget"
    assert "Fritidsgården" in reason and "vecka 11 2025 i appen" in reason
    # The Data page's quarantine table lists them with the reason.
    shown = imports.quarantine_table(waiting)
    assert list(shown[t("col_reason")]) == [reason, reason] and list(shown[t("col_file")]) == ["forms.csv"] * 2
    assert (log["rows_accepted"], log["rows_quarantined"]) == (2, 2)
    # Torget is counted once, with the app's grades; the other places once each.
    torget = counts[(counts["place"] == "Torget")].set_index("category")["reports"].to_dict()
    assert torget == {"klotter": 1, "narkotika": 1}
    assert int(counts["reports"].sum()) == 4
    # One coverage state per unit and week, whichever source; the stored rows do not repeat the app's.
    assert coverage.groupby(["reporter", "week_start"]).size().max() == 1
    assert set(coverage["reporter"]) == {"Fritidsgården", "Skolorna"} and set(coverage["status"]) == {"rapporterat"}
    assert stored_coverage.values.tolist() == [["Fritidsgården", "rapporterat"], ["Skolorna", "rapporterat"]]


def test_the_same_export_again_does_not_quarantine_the_double_a_second_time(tmp_path):
    db, cfg = fresh_store(tmp_path)
    in_app(db, cfg, "Fritidsgården", 10, ort="Björkdala", place="Torget", grades={"klotter": 1})
    first = ["v10 2025;Björkdala kommun;Fritidsgården;Björkdala;Torget;Klotter;1;",
             "v10 2025;Polisen;Kommunpolis;Mossvik;;Narkotika;2;"]
    run_import("lagesbild", lb_file(tmp_path / "mars.csv", *first), db=db, config=cfg, backup=False)
    cumulative = lb_file(tmp_path / "april.csv", *first, "v11 2025;Polisen;Kommunpolis;Mossvik;;Narkotika;1;")
    out = run_import("lagesbild", cumulative, db=db, config=cfg, backup=False)
    assert (out.accepted, out.quarantined) == (1, 0)
    assert out.skipped == {t("skipped_doubles_known"): 1, t("skipped_rows_stored"): 1}
    with open_store(db, read_only=True) as store:
        assert len(store.open_quarantine()) == 1
        assert store.scalar("SELECT count(*) FROM lagesbild WHERE reporter = 'Fritidsgården'") == 1


def test_nothing_to_report_beside_reports_of_the_other_source_is_flagged(tmp_path):
    db, cfg = fresh_store(tmp_path)
    in_app(db, cfg, "Fritidsgården", 11, ort="Björkdala", place="Torget", grades={"klotter": 2})
    in_app(db, cfg, "Skolorna", 11, nothing=True)
    in_app(db, cfg, "Kommunpolis", 11, nothing=True)
    path = lb_file(tmp_path / "forms.csv",
                   "v11 2025;Björkdala kommun;Fritidsgården;;;Inget att rapportera;;",
                   "v11 2025;Björkdala kommun;Skolorna;Tallbacka;Skolan;Klotter;1;Det var stökigt",
                   "v11 2025;Polisen;Kommunpolis;;;Inget att rapportera;;")
    out = run_import("lagesbild", path, db=db, config=cfg, backup=False)
    assert (out.accepted, out.quarantined) == (0, 3)
    monday = date(2025, 3, 10)
    with open_store(db, read_only=True) as store:
        waiting = store.open_quarantine().set_index("row_number")
        coverage = store.reporting_coverage(**window(cfg, monday, monday)).set_index("reporter")["status"]
        stored = store.query("SELECT reporter, status, count(*) AS n FROM coverage GROUP BY ALL ORDER BY ALL")
        reports = store.scalar("SELECT count(*) FROM lagesbild")
    assert waiting.loc[2, "reason_key"] == DOUBLE_NOTHING
    assert waiting.loc[2, "reason"] == t("double_app_nothing", unit="Fritidsgården", week=11, year=2025)
    assert waiting.loc[3, "reason_key"] == DOUBLE_AFTER_NOTHING
    assert waiting.loc[3, "reason"] == t("double_app_after_nothing", unit="Skolorna", week=11, year=2025)
    assert waiting.loc[4, "reason_key"] == DOUBLE_NOTHING_TWICE
    # The comment of the kept-aside row is held as the importer holds every quarantined cell: redacted.
    assert json.loads(waiting.loc[3, "original_row"])["Kommentar"] == "Det var stökigt"
    assert coverage.to_dict() == {"Fritidsgården": "rapporterat", "Kommunpolis": "inget_att_rapportera",
                                  "Skolorna": "inget_att_rapportera"}
    assert stored["n"].tolist() == [1, 1, 1] and reports == 1  # only the app's rows


def test_the_app_refuses_a_report_the_import_already_brought(tmp_path):
    db, cfg = fresh_store(tmp_path)
    run_import("lagesbild", lb_file(tmp_path / "forms.csv", "v11 2025;Björkdala kommun;Skolorna;Björkdala;Stationen;Klotter;1;"),
               db=db, config=cfg, backup=False)
    before = db.read_bytes()
    with pytest.raises(TskError) as e:
        in_app(db, cfg, "Skolorna", 11, ort="Björkdala", place="Stationen", grades={"narkotika": 2})
    assert e.value.key == "vr_double_import" and "Stationen" in e.value.message
    assert db.read_bytes() == before  # nothing written
    # Another place of the same week is a report of its own, and the coverage still counts the week once.
    in_app(db, cfg, "Skolorna", 11, ort="Björkdala", place="Torget", grades={"narkotika": 2})
    monday = date(2025, 3, 10)
    with open_store(db, read_only=True) as store:
        coverage = store.reporting_coverage(**window(cfg, monday, monday))
        rows = store.query("SELECT count(*) AS n FROM coverage WHERE reporter = 'Skolorna'")
    assert coverage[["reporter", "status"]].values.tolist() == [["Skolorna", "rapporterat"]]
    assert int(rows["n"].iloc[0]) == 2  # one per source; read as one state per unit and week


def test_on_the_second_kommuns_store_an_in_app_report_counts_as_reported(kommun2_stores, tmp_path):
    """A copy of the second kommun's imported year: a unit that reported only in the app, in the week
    after the last import, is not silent; the units that did not are; no unit-week is counted twice."""
    cfg = load_config(units_config(tmp_path))
    db = tmp_path / "en_omgang.duckdb"
    shutil.copy(kommun2_stores["en_omgang"], db)
    with open_store(db, config=cfg):  # the units are synced into the copy
        pass
    with open_store(db, read_only=True) as store:
        last = pd.Timestamp(store.latest_coverage_week()).date()
    week_after = last + timedelta(weeks=1)
    today = week_after + timedelta(days=2)
    year, week, _ = week_after.isocalendar()
    in_app(db, cfg, "Skolorna", week, ort="Björkdala", place="Torget", grades={"klotter": 1}, today=today, year=year)
    # The last imported week has a report from the import: the app adds a second place that week.
    lyear, lweek, _ = last.isocalendar()
    with open_store(db, read_only=True) as store:
        imported = store.query("SELECT DISTINCT reporter FROM coverage WHERE week_start = ? AND status = 'rapporterat'",
                               [last])["reporter"].tolist()
    assert imported
    unit = imported[0]
    with open_store(db, read_only=True) as store:
        places = set(store.query("SELECT place FROM lagesbild WHERE reporter = ? AND week_start = ?", [unit, last])["place"])
    other = next(p.name for p in cfg.platser if p.name not in places)
    ort = next(p.ort for p in cfg.platser if p.name == other)
    in_app(db, cfg, unit, lweek, ort=ort, place=other, grades={"narkotika": 1}, today=today, year=lyear)
    with open_store(db, read_only=True) as store:
        rows, newest = lagesbild.reporting_reminders(store, cfg)
        coverage = store.reporting_coverage(**window(cfg, last - timedelta(weeks=4), week_after))
    assert newest == week_after
    assert set(rows["reporter"]) == {"Fritidsgården", "Kommunpolis"}  # Skolorna reported, in the app only
    assert coverage.groupby(["reporter", "week_start"]).size().max() == 1
    assert coverage.set_index(["reporter", "week_start"]).loc[(unit, pd.Timestamp(last)), "status"] == "rapporterat"


def test_a_double_corrected_to_another_place_is_stored_and_one_still_a_double_stays_aside(tmp_path):
    from tsk.ingest import corrections

    db, cfg = fresh_store(tmp_path)
    in_app(db, cfg, "Fritidsgården", 11, ort="Björkdala", place="Torget", grades={"klotter": 2, "narkotika": 1})
    run_import("lagesbild", lb_file(tmp_path / "forms.csv",
                                    "v11 2025;Björkdala kommun;Fritidsgården;Björkdala;Torget;Klotter;3;",
                                    "v11 2025;Björkdala kommun;Fritidsgården;Björkdala;Torget;Narkotika;1;"),
               db=db, config=cfg, backup=False)
    with open_store(db, read_only=True) as store:
        first, second = store.open_quarantine().to_dict("records")
    # The column the reason quotes is the one offered for the correction.
    assert corrections.guess_column(json.loads(first["original_row"]), first["reason"]) == "Plats"
    corrections.reimport_corrected(db, cfg, first, "Plats", "Stationen")
    corrections.reimport_corrected(db, cfg, second, "Bedömning", "2")  # still the app's place and week
    with open_store(db, read_only=True) as store:
        waiting = store.open_quarantine()
        stored = store.query("SELECT place, category, grade FROM lagesbild ORDER BY ALL").values.tolist()
    assert stored == [["Stationen", "klotter", 3], ["Torget", "klotter", 2], ["Torget", "narkotika", 1]]
    assert list(waiting["reason_key"]) == [DOUBLE_REPORT]  # the second one, kept aside again
    assert "Torget" in waiting["reason_value"].iloc[0]


def test_a_form_export_in_the_wide_layout_keeps_its_own_cells_and_no_personal_columns(tmp_path, config):
    """A Microsoft Forms export (one row per submission, one column per category, the form's «E-post» and
    «Namn» never kept): the double's quarantine row is the export's row, its «inget att rapportera»
    beside the app's report too."""
    from tsk.config import ROOT

    db = tmp_path / "store.duckdb"
    with open_store(db, config=config):
        pass
    unit = config.reporting_units[0]
    sub = Submission(unit=unit.name, iso_year=2025, iso_week=11, ort="Svenljunga", place="Torget",
                     grades={"klotter": 2})
    submit(db, sub, actor="a@kommun.example", allowed=config.reporting_units, config=config, today=TODAY)
    head = ["ID", "Slutförandetid", "E-post", "Namn", "Vilken vecka gäller rapporten?", "Verksamhet", "Ort",
            "Plats (om det gäller en särskild plats)", "Beskriv kort vad du har sett (skriv aldrig namn på personer)",
            "Har du något att rapportera denna vecka?", "Klotter", "Skadegörelse"]
    rows = [["7", "2025-03-12", "p@x.example", "Per Persson", "11", unit.name, "Svenljunga", "Torget", "", "Ja", "Lite", ""],
            ["8", "2025-03-12", "p@x.example", "Per Persson", "11", unit.name, "Svenljunga", "Området runt ICA", "",
             "Ja", "", "Lite"],
            ["9", "2025-03-13", "q@x.example", "Qvist", "11", unit.name, "", "", "", "Nej, inget att rapportera", "", ""]]
    path = tmp_path / "forms.csv"
    path.write_text("\n".join(";".join(r) for r in [head, *rows]) + "\n", encoding="utf-8")
    out = run_import("lagesbild", path, db=db, config=config, backup=False,
                     mapping=ROOT / "data" / "mappings" / "lagesbild_msforms.toml")
    assert (out.accepted, out.quarantined) == (1, 2)
    with open_store(db, read_only=True) as store:
        waiting = store.open_quarantine().set_index("row_number")
    assert list(waiting.index) == [2, 4]
    assert waiting.loc[2, "reason_key"] == DOUBLE_REPORT and waiting.loc[4, "reason_key"] == DOUBLE_NOTHING
    first = json.loads(waiting.loc[2, "original_row"])
    assert first["ID"] == "7" and first["Klotter"] == "Lite"
    assert not {"E-post", "Namn"} & set(first) and "Per Persson" not in waiting.loc[2, "original_row"]


def test_confirmed_doubles_leave_the_quarantine_with_a_log_line_and_stay_recognised(tmp_path):
    from tsk.ingest import corrections

    db, cfg = fresh_store(tmp_path)
    in_app(db, cfg, "Fritidsgården", 10, ort="Björkdala", place="Torget", grades={"klotter": 1})
    first = ["v10 2025;Björkdala kommun;Fritidsgården;Björkdala;Torget;Klotter;1;",
             "v10 2025;Polisen;Kommunpolis;Mossvik;Torget;Okänd kategori;2;"]
    run_import("lagesbild", lb_file(tmp_path / "mars.csv", *first), db=db, config=cfg, backup=False)
    with open_store(db, read_only=True) as store:
        waiting = store.open_quarantine().to_dict("records")
    doubles = [r for r in waiting if r["reason_key"] == DOUBLE_REPORT]
    other = [r for r in waiting if r["reason_key"] != DOUBLE_REPORT]
    assert len(doubles) == 1 and len(other) == 1
    before = db.read_bytes()
    with pytest.raises(TskError) as e:  # a row that is no double is never closed this way
        corrections.confirm_doubles(db, cfg, doubles + other, actor="samordnare@bjorkdala.example")
    assert e.value.key == "rv_not_doubles" and db.read_bytes() == before
    assert corrections.confirm_doubles(db, cfg, doubles, actor="samordnare@bjorkdala.example") == 1
    with open_store(db, read_only=True) as store:
        left = store.open_quarantine()
        line = store.query("SELECT * FROM imports WHERE source = 'granskning'").iloc[-1]
        stored = store.scalar("SELECT count(*) FROM lagesbild WHERE reporter = 'Fritidsgården'")
    assert list(left["reason_key"]) == [other[0]["reason_key"]]
    assert line["actor"] == "samordnare@bjorkdala.example" and "mars.csv rad 2" in line["notes"]
    assert stored == 1  # the app's report, counted once
    # A cumulative export bringing the confirmed double again neither stores nor re-opens it.
    april = lb_file(tmp_path / "april.csv", first[0], "v11 2025;Polisen;Kommunpolis;Mossvik;;Narkotika;1;")
    out = run_import("lagesbild", april, db=db, config=cfg, backup=False)
    assert (out.accepted, out.quarantined) == (1, 0) and out.skipped == {t("skipped_doubles_known"): 1}
    with open_store(db, read_only=True) as store:
        assert list(store.open_quarantine()["reason_key"]) == [other[0]["reason_key"]]
        assert store.scalar("SELECT count(*) FROM lagesbild WHERE reporter = 'Fritidsgården'") == 1


def test_the_upload_preview_says_what_the_import_does_with_a_double(tmp_path):
    from tsk.ingest.run import preview

    db, cfg = fresh_store(tmp_path)
    in_app(db, cfg, "Fritidsgården", 11, ort="Björkdala", place="Torget", grades={"klotter": 2})
    path = lb_file(tmp_path / "forms.csv", "v11 2025;Björkdala kommun;Fritidsgården;Björkdala;Torget;Klotter;3;",
                   "v11 2025;Björkdala kommun;Fritidsgården;Björkdala;Stationen;Klotter;1;")
    before = db.read_bytes()
    batch, _ = preview("lagesbild", path, db=db, config=cfg)
    assert db.read_bytes() == before  # a preview writes nothing
    assert batch.accepted == 1 and [q.key for q in batch.quarantine] == [DOUBLE_REPORT]
    out = run_import("lagesbild", path, db=db, config=cfg, backup=False)
    assert (out.accepted, out.quarantined) == (batch.accepted, len(batch.quarantine))

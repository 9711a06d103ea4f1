"""Lägesbild, survey and Träffpunkt importers: valid files, one broken file per failure mode (with the
exact Swedish message), encodings, idempotence and all-or-nothing writes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tsk.errors import FileRejected
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.store import open_store

FILES = Path(__file__).parent / "files"


def counts(db: Path) -> dict:
    if not db.exists():
        return {}
    with open_store(db, read_only=True) as store:
        return store.counts()


def table(db: Path, name: str):
    with open_store(db, read_only=True) as store:
        return store.table(name)


# --- lägesbild: the standard long format ------------------------------------------------------------

def test_standard_lagesbild_imports_valid_rows_and_quarantines_the_rest(config, tmp_db):
    outcome = run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (2, 4)
    rows = table(tmp_db, "lagesbild").sort_values("report_id").astype(object)
    rows = rows.where(rows.notna(), None)
    assert rows[["area", "ort", "place", "category", "grade"]].values.tolist() == [
        ["Högvad", "Överlida", "Badplatsen", "skadegorelse", 2],          # alias "Badet"
        ["Kindaholm", "Östra Frölunda", None, "storande_samlingar", 2],   # "Ö Frölunda", grade by label
    ]
    assert rows["comment"].tolist()[1] == "Samling på torget, ring [telefonnummer borttaget]"
    cov = table(tmp_db, "coverage").sort_values(["iso_week", "status"])
    # The week-47 submissions kept in quarantine (unknown ort, category, grade) were reported all the
    # same: they wait for a correction. The row with an impossible week says nothing about any week.
    assert cov[["iso_week", "status"]].values.tolist() == [
        [47, "rapporterat"], [47, "vantar_pa_rattning"], [48, "inget_att_rapportera"]]


def test_quarantine_keeps_the_original_row_and_a_swedish_reason_with_suggestions(config, tmp_db):
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    q = table(tmp_db, "quarantine").sort_values("row_number")
    reasons = dict(zip(q["row_number"], q["reason"]))
    assert reasons[5] == "Orten «Överlidda» finns inte i ortregistret. Förslag: Överlida."
    assert reasons[6] == "Ogiltig vecka: vecka 54 finns inte år 2025."
    assert reasons[7].startswith("Kategorin «Cykelstölder» finns inte bland EST-kategorierna.")
    assert reasons[8] == t("unknown_grade", value="7", allowed="0 = Lugnt, 1 = Lite, 2 = Förhöjt, 3 = Allvarligt")
    original = json.loads(q.set_index("row_number").loc[5, "original_row"])
    assert original["Ort"] == "Överlidda" and original["Kategori"] == "Klotter"
    assert json.loads(q.set_index("row_number").loc[5, "suggestions"]) == ["Överlida"]


def test_windows_1252_semicolon_file_imports_the_same_as_its_utf8_twin(config, tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=a, config=config)
    run_import("lagesbild", FILES / "lagesbild_standard_cp1252.csv", db=b, config=config)
    cols = ["iso_year", "iso_week", "organisation", "reporter", "area", "ort", "place", "category", "grade", "comment"]
    ra = table(a, "lagesbild")[cols].sort_values(cols).reset_index(drop=True)
    rb = table(b, "lagesbild")[cols].sort_values(cols).reset_index(drop=True)
    assert ra.equals(rb)
    qa = table(a, "quarantine")[["row_number", "reason", "original_row"]]
    qb = table(b, "quarantine")[["row_number", "reason", "original_row"]]
    assert qa.equals(qb)


def test_reimporting_the_same_file_changes_nothing(config, tmp_db):
    first = run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    before = counts(tmp_db)
    again = run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    assert again.already_imported and again.import_id == first.import_id
    assert counts(tmp_db) == before


def test_a_failure_halfway_through_a_write_leaves_every_count_unchanged(config, tmp_db, tmp_path):
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    before = counts(tmp_db)
    later = tmp_path / "lagesbild_senare.csv"  # the twin file two weeks earlier: rows the store does not hold
    later.write_bytes((FILES / "lagesbild_standard_cp1252.csv").read_bytes().replace(b"v47 2026", b"v45 2026"))
    with pytest.raises(RuntimeError):
        # lagesbild rows are written, then the write fails before coverage and the import log.
        run_import("lagesbild", later, db=tmp_db, config=config, _fail_after_table="lagesbild")
    assert counts(tmp_db) == before


# --- file-level failures: rejected with the exact Swedish message, nothing changed -------------------

REJECTIONS = [
    ("lagesbild", "empty.csv", t("file_empty")),
    ("lagesbild", "blank_lines.csv", t("file_empty")),
    ("lagesbild", "random_bytes.csv", t("file_not_text")),
    ("survey", "random_bytes.csv", t("file_not_text")),
    ("lagesbild", "broken.xlsx", t("file_xlsx_broken", detail="BadZipFile")),
    ("lagesbild", "header_only.csv", t("file_no_rows")),
    ("lagesbild", "police_as_table.json",
     t("file_other_source", other=t("source_police"), source=t("source_lagesbild"), other_key="police")),
    ("lagesbild", "survey_as_lagesbild.csv",
     t("file_other_source", other=t("source_survey"), source=t("source_lagesbild"), other_key="survey")),
    ("traffpunkt", "lagesbild_standard_utf8.csv",
     t("file_other_source", other=t("source_lagesbild"), source=t("source_traffpunkt"), other_key="lagesbild")),
    ("survey", "unrelated_columns.csv",
     t("file_no_mapping_match", found="«Namn», «Adress», «Belopp»")),
]


@pytest.mark.parametrize("source,name,message", REJECTIONS, ids=[f"{s}-{n}" for s, n, _ in REJECTIONS])
def test_broken_file_is_rejected_with_its_message_and_nothing_changes(config, tmp_db, source, name, message):
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    before = counts(tmp_db)
    with pytest.raises(FileRejected) as err:
        run_import(source, FILES / name, db=tmp_db, config=config)
    assert err.value.message == message
    assert counts(tmp_db) == before


def test_mapping_for_another_source_is_rejected(config, tmp_db):
    from tsk.config import ROOT

    mapping = ROOT / "data/mappings/survey_google_forms.toml"
    with pytest.raises(FileRejected) as err:
        run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config, mapping=mapping)
    assert err.value.message == t("mapping_wrong_source", path="survey_google_forms.toml", mapped="survey",
                                  source="lagesbild")


def test_a_cumulative_export_adds_only_what_is_new(config, tmp_path, tmp_db):
    """Form tools export every answer so far: next month's export repeats this month's rows. Those are
    left out (and counted in the import log); a new row, and a second identical report in the same
    week, are added."""
    first = (FILES / "lagesbild_standard_utf8.csv").read_text(encoding="utf-8")
    march = tmp_path / "lagesbild_mars.csv"
    march.write_text(first, encoding="utf-8")
    one = run_import("lagesbild", march, db=tmp_db, config=config)
    before = table(tmp_db, "lagesbild")
    coverage_before = len(table(tmp_db, "coverage"))
    lines = first.rstrip("\n").split("\n")
    new = "v49 2026;;Polisen;Kommunpolis Svenljunga;Överlida;Badet;Klotter;1;Nytt klotter"
    april = tmp_path / "lagesbild_april.csv"
    april.write_text("\n".join([*lines, lines[1], new]) + "\n", encoding="utf-8")  # lines[1] a second time
    two = run_import("lagesbild", april, db=tmp_db, config=config)
    assert two.accepted == 2 and two.skipped == {"rader som redan finns från en tidigare import": one.accepted}
    after = table(tmp_db, "lagesbild")
    assert len(after) == len(before) + 2
    added = after[after["import_id"] == two.import_id]
    assert sorted(added["comment"].fillna("")) == ["Krossade rutor vid bryggan", "Nytt klotter"]
    assert len(table(tmp_db, "coverage")) == coverage_before + 1  # only week 49 is new
    log = table(tmp_db, "imports").set_index("import_id")
    assert log.loc[two.import_id, "rows_skipped"] == one.accepted
    # The same rows under yet another name: nothing new.
    copy = tmp_path / "lagesbild_kopia.csv"
    copy.write_text(april.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # other bytes, same rows
    three = run_import("lagesbild", copy, db=tmp_db, config=config)
    assert three.accepted == 0 and len(table(tmp_db, "lagesbild")) == len(after)


# --- survey ------------------------------------------------------------------------------------------

GOOGLE_FORMS = (
    '"Tidstämpel","Hur gammal är du ?  ","Kön","Var bor du?","Hur trygg känner du dig i Svenljunga kommun?",'
    '"Hur trygg känner du dig om du går ut ensam sent en kväll i området där du bor?",'
    '"Hur stort problem är skadegörelse i området där du bor?","Finns det platser där du känner dig otrygg? Vilka?"\n'
    '"2022/11/08 8:53:03 fm CET","20–39 år","Kvinna","Svenljunga","Trygg","Otrygg","Litet problem",'
    '"Busstationen på kvällarna, mejla a.b@example.se"\n'
    '"2022/11/08 1:53:03 em CET","65 år eller äldre","Man","Högvad","Mycket trygg","Vet ej","Inget problem",""\n'
    '"2022/11/09 12:10:00 fm CET","40–64 år","Man","Överlida","Varken eller","Mycket otrygg",'
    '"Mycket stort problem","badplatsen i Överlida"\n'
    '"2022/11/09 9:00:00 fm CET","40–64 år","Man","Gnosjö","Trygg","Trygg","Inget problem",""\n'
    '"2022/11/09 9:00:00 fm CET","40–64 år","Man","Kalv","Superduper","Trygg","Inget problem",""\n'
)


def test_google_forms_survey_through_the_shipped_mapping(config, tmp_path, tmp_db):
    path = tmp_path / "enkat.csv"
    path.write_text(GOOGLE_FORMS, encoding="utf-8")
    outcome = run_import("survey", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (3, 2)
    people = table(tmp_db, "survey_respondents").sort_values("submitted_at")
    assert people["year"].tolist() == [2022, 2022, 2022]
    # fm/em: 1:53 em is 13:53; 12:10 fm is 00:10.
    assert [str(x) for x in people["submitted_at"]] == [
        "2022-11-08 08:53:03", "2022-11-08 13:53:03", "2022-11-09 00:10:00"]
    assert people["area"].tolist() == ["Svenljunga tätort", "Högvad", "Högvad"]
    answers = table(tmp_db, "survey_answers")
    kvall = answers[answers["item"] == "trygg_kvall"].sort_values("value")
    assert kvall[["scale", "value", "label"]].values.tolist() == [["trygg5", 4, "Otrygg"], ["trygg5", 5, "Mycket otrygg"]]
    # "Vet ej" is no answer, not an error; "Varken eller" is an extra label of the mapping.
    assert len(answers) == 8
    texts = table(tmp_db, "survey_texts").sort_values("text")
    assert texts[["ort", "place"]].values.tolist() == [["Svenljunga", "Busstationen"], ["Överlida", "Badplatsen"]]
    assert "[e-post borttagen]" in texts["text"].iloc[0]
    q = table(tmp_db, "quarantine").sort_values("row_number")["reason"].tolist()
    assert q[0].startswith("Orten «Gnosjö» finns inte i ortregistret.")
    assert q[1] == t("unknown_label", value="Superduper", question="Hur trygg känner du dig i Svenljunga kommun?",
                     allowed="Mycket trygg, Trygg, Varken trygg eller otrygg, Otrygg, Mycket otrygg")


@pytest.mark.parametrize("value", [0, 9, "tre"])
def test_a_mapping_label_outside_the_scale_rejects_the_file_before_anything_is_written(config, tmp_path, tmp_db, value):
    from tsk.config import ROOT

    shipped = (ROOT / "data/mappings/survey_google_forms.toml").read_text(encoding="utf-8")
    mapping = tmp_path / "enkat_mappning.toml"
    mapping.write_text(shipped.replace('"Varken eller" = 3', f'"Varken eller" = {value!r}'.replace("'", '"')),
                       encoding="utf-8")
    path = tmp_path / "enkat.csv"
    path.write_text(GOOGLE_FORMS, encoding="utf-8")
    before = counts(tmp_db)
    with pytest.raises(FileRejected) as err:
        run_import("survey", path, db=tmp_db, config=config, mapping=mapping)
    assert err.value.message == t("mapping_label_value", path="enkat_mappning.toml", label="Varken eller",
                                  value=value, scale="trygg5", steps=5)
    assert counts(tmp_db) == before


def test_a_digit_that_is_not_an_ascii_number_is_quarantined_not_a_crash(config, tmp_path, tmp_db):
    path = tmp_path / "enkat.csv"
    path.write_text(GOOGLE_FORMS.replace('"Kalv","Superduper"', '"Kalv","፩"'), encoding="utf-8")
    outcome = run_import("survey", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (3, 2)
    reasons = table(tmp_db, "quarantine")["reason"].tolist()
    assert any(r.startswith(t("unknown_label", value="፩", question="Hur trygg känner du dig i Svenljunga kommun?",
                                allowed="Mycket trygg, Trygg, Varken trygg eller otrygg, Otrygg, Mycket otrygg"))
               for r in reasons)


def test_a_later_export_of_the_survey_adds_only_the_new_respondents(config, tmp_path, tmp_db):
    """The survey runs all November; an export mid-month and one at the end hold the same early
    respondents. The second import adds only those who answered since."""
    from tsk.config import ROOT

    lines = (ROOT / "data/demo/trygghetsundersokning_2026_google_forms.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    mid = tmp_path / "enkat_mitten.csv"
    mid.write_text("\n".join([header, *rows[:100]]) + "\n", encoding="utf-8")
    end = tmp_path / "enkat_slut.csv"
    end.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    everything = run_import("survey", end, db=tmp_path / "facit.duckdb", config=config)
    one = run_import("survey", mid, db=tmp_db, config=config)
    two = run_import("survey", end, db=tmp_db, config=config)
    assert one.accepted + two.accepted == everything.accepted
    assert two.skipped == {"svarande som redan finns från en tidigare import": one.accepted}
    for name in ("survey_respondents", "survey_answers", "survey_texts"):
        assert len(table(tmp_db, name)) == len(table(tmp_path / "facit.duckdb", name)), name
    kvall = table(tmp_db, "survey_answers").query("item == 'trygg_kvall'")["value"].value_counts().sort_index()
    facit = table(tmp_path / "facit.duckdb", "survey_answers").query("item == 'trygg_kvall'")["value"]
    assert kvall.tolist() == facit.value_counts().sort_index().tolist()


# --- Träffpunkt ------------------------------------------------------------------------------------

def traffpunkt_workbook(path: Path) -> Path:
    """A small MS Forms Träffpunkt export: two rural answers (one with a phone number) and one from the
    centralort, which is not a Träffpunkt area."""
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "Starttid", "Slutförandetid", "E-post", "Namn",
               "Vilket område bor du i eller driver företag i?", "Svarar du som invånare eller företagare?",
               "Hur trygg känner du dig i ditt område?",
               "Har tryggheten i ditt område förändrats de senaste två åren?",
               "Vill du berätta mer om tryggheten där du bor?"])
    ws.append([1, datetime(2026, 10, 5, 9), datetime(2026, 10, 5, 9, 4), "x@y.se", "X", "Högvad", "Invånare",
               "Otrygg", "Blivit sämre", "Mopeder vid badet varje kväll, ring 0325-123 45"])
    ws.append([2, datetime(2026, 10, 5, 9), datetime(2026, 10, 5, 9, 4), "", "", "Kindaholm", "Företagare",
               "Trygg", "Ingen förändring", ""])
    ws.append([3, datetime(2026, 10, 6, 9), datetime(2026, 10, 6, 9, 4), "", "", "Svenljunga tätort", "Invånare",
               "Trygg", "Ingen förändring", ""])
    wb.save(path)
    return path


def test_traffpunkt_keeps_the_centralort_out_of_the_rural_areas(config, tmp_path, tmp_db):
    path = traffpunkt_workbook(tmp_path / "tp.xlsx")
    outcome = run_import("traffpunkt", path, db=tmp_db, config=config)
    assert (outcome.accepted, outcome.quarantined) == (2, 1)
    people = table(tmp_db, "traffpunkt_respondents").sort_values("respondent_id")
    assert people[["round", "area", "respondent_kind"]].values.tolist() == [
        ["2026", "Högvad", "Invånare"], ["2026", "Kindaholm", "Företagare"]]
    answers = table(tmp_db, "traffpunkt_answers").sort_values(["respondent_id", "item"])
    assert answers[["item", "scale", "value"]].values.tolist() == [
        ["tp_forandring", "forandring3", 3], ["tp_trygg_omrade", "trygg5", 4],
        ["tp_forandring", "forandring3", 2], ["tp_trygg_omrade", "trygg5", 2]]
    assert table(tmp_db, "traffpunkt_texts")["text"].tolist() == [
        "Mopeder vid badet varje kväll, ring [telefonnummer borttaget]"]
    assert table(tmp_db, "quarantine")["reason"].tolist() == [t("traffpunkt_centralort", area="Svenljunga tätort")]
    # The form's personal columns (E-post, Namn) are stored nowhere, not even in quarantine.
    assert set(json.loads(table(tmp_db, "quarantine")["original_row"][0])) == {
        "ID", "Starttid", "Slutförandetid", "Vilket område bor du i eller driver företag i?",
        "Svarar du som invånare eller företagare?", "Hur trygg känner du dig i ditt område?",
        "Har tryggheten i ditt område förändrats de senaste två åren?",
        "Vill du berätta mer om tryggheten där du bor?"}


def test_an_ort_level_place_timeline_can_be_asked_for(config, tmp_db):
    """The timeline of reports about a whole ort (no plats) — a NULL parameter in the query."""
    from datetime import date

    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    with open_store(tmp_db, read_only=True) as store:
        # NaN is what a DataFrame row gives for "no plats".
        rows = store.place_timeline(ort="Östra Frölunda", plats=float("nan"), orgs=("Polisen",),
                                    cats=("storande_samlingar",), week_from=date(2026, 1, 5),
                                    week_to=date(2026, 11, 23))
    assert rows["category"].tolist() == ["storande_samlingar"]


def test_the_same_traffpunkt_answers_in_a_resaved_workbook_add_nothing(config, tmp_path, tmp_db):
    from openpyxl import load_workbook

    from tsk.config import ROOT

    original = ROOT / "data/demo/traffpunkt_2026_msforms.xlsx"
    book = load_workbook(original)
    resaved = tmp_path / "traffpunkt_2026_igen.xlsx"
    book.save(resaved)  # the same cells, other bytes
    assert resaved.read_bytes() != original.read_bytes()
    one = run_import("traffpunkt", original, db=tmp_db, config=config)
    before = counts(tmp_db)
    two = run_import("traffpunkt", resaved, db=tmp_db, config=config)
    assert one.accepted > 0 and two.accepted == 0 and not two.already_imported
    assert two.skipped == {"svarande som redan finns från en tidigare import": one.accepted}
    after = counts(tmp_db)
    assert {k: v for k, v in after.items() if k != "imports"} == {k: v for k, v in before.items() if k != "imports"}


def test_a_file_imported_before_leaves_the_database_file_untouched(config, tmp_db):
    """Answered from a read-only look: the store is not copied, and the app's open snapshot stays valid."""
    run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    before = tmp_db.stat()
    again = run_import("lagesbild", FILES / "lagesbild_standard_utf8.csv", db=tmp_db, config=config)
    assert again.already_imported
    after = tmp_db.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_iso_week_counts_in_the_month_of_its_thursday(config, tmp_path):
    """Week 1 of 2026 starts on Monday 29 December 2025; its Thursday is 1 January, so the month view puts
    it in January 2026 — not in December (which the yearly report would draw as December 2026)."""
    from datetime import date

    from tsk.ingest.run import run_import
    from tsk.store import open_store

    csv = tmp_path / "lb.csv"
    csv.write_text("Vecka;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning\n"
                   "v1 2026;Polisen;Kommunpolis Svenljunga;Kalv;;Klotter;2\n"
                   "v52 2025;Polisen;Kommunpolis Svenljunga;Kalv;;Klotter;1\n", encoding="utf-8")
    db = tmp_path / "m.duckdb"
    run_import("lagesbild", csv, db=db, config=config, backup=False)
    with open_store(db, read_only=True) as store:
        m = store.lagesbild_counts(areas=[a.name for a in config.areas], orgs=[o.name for o in config.organisations],
                                   cats=["klotter"], week_from=date(2025, 12, 1), week_to=date(2026, 1, 31),
                                   period="month", by="category")
    assert [(str(d)[:10], n) for d, n in zip(m["period_start"], m["reports"])] == [("2025-12-01", 1), ("2026-01-01", 1)]

"""The demo generator: deterministic, committed output up to date, formats as documented, and the
planted patterns of data/demo/README.md present in the raw export files (read with pandas, not
through the importers, so a pattern lost in generation is caught here)."""
from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tsk import demo as dd
from tsk.config import ROOT, load_config
from tsk.importers import SOURCES
from tsk.parsing import parse_week
from tsk.text import normalise_name

COMMITTED = ROOT / "data" / "demo"
HAND_WRITTEN = {"README.md"}
REGENERATE = "data/demo is out of date: run `python -m tsk.demo_data` and commit the result"

KOMMUN_FILE = "lagesbild_kommun_msforms.xlsx"
POLICE_FILE = "lagesbild_polisen.csv"
SVENBO_FILE = "lagesbild_svenbo.csv"
EVENTS_FILE = "polisen_handelser_demo.json"


# --- fixtures --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "tsk.toml")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, cfg) -> Path:
    out = tmp_path_factory.mktemp("demo")
    dd.generate(out, cfg)
    return out


@pytest.fixture(scope="module")
def ms_mapping() -> dict:
    return tomllib.loads((ROOT / "data/mappings/lagesbild_msforms.toml").read_text(encoding="utf-8"))


def _xlsx_values(path: Path) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def _generated_files(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir() if p.is_file() and p.name not in HAND_WRITTEN}


# --- raw file readers for the pattern checks ---------------------------------------------------------------
class Names:
    """Configured names from what a file says (aliases, case, "Ö Frölunda"), like the gazetteer."""

    def __init__(self, cfg):
        key = lambda s: normalise_name(s, cfg.abbreviations)  # noqa: E731
        self.key = key
        self.orter = {key(a): o.name for o in cfg.orter for a in (o.name, *o.aliases)}
        self.platser = {(p.ort, key(a)): p.name for p in cfg.platser for a in (p.name, *p.aliases)}
        self.categories = {key(a): c.key for c in cfg.categories for a in (c.key, c.label, *c.aliases)}
        self.grades = {label.casefold(): g for g, label in cfg.grades.items()}

    def ort(self, text) -> str | None:
        return self.orter.get(self.key(text)) if isinstance(text, str) and text.strip() else None

    def plats(self, ort, text) -> str | None:
        return self.platser.get((ort, self.key(text))) if ort and isinstance(text, str) and text.strip() else None

    def grade(self, text) -> int:
        text = str(text).strip()
        return int(text) if text.isdigit() else self.grades[text.casefold()]


def _week(text) -> tuple[int, int] | None:
    try:
        return parse_week(str(text))
    except ValueError:
        return None


@pytest.fixture(scope="module")
def kommun_frame(demo) -> pd.DataFrame:
    return pd.read_excel(demo / KOMMUN_FILE, dtype=object)


@pytest.fixture(scope="module")
def lagesbild(demo, cfg, kommun_frame, ms_mapping) -> pd.DataFrame:
    """All three lägesbild files as one long table: organisation, reporter, year, week, ort, plats, key, grade."""
    names = Names(cfg)
    rows = []
    for _, r in kommun_frame.iterrows():
        wk = _week(r["Vilken vecka gäller rapporten?"])
        ort = names.ort(r["Ort"])
        plats = names.plats(ort, r["Plats (om det gäller en särskild plats)"])
        for column, key in ms_mapping["categories"].items():
            if isinstance(r[column], str) and wk:
                rows.append(("kommun", r["Verksamhet"], *wk, ort, plats, key, names.grade(r[column])))
    police = pd.read_csv(demo / POLICE_FILE, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    svenbo = pd.read_csv(demo / SVENBO_FILE, sep=",", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for frame in (police, svenbo):
        for _, r in frame.iterrows():
            wk, key = _week(r["Vecka"]), names.categories.get(names.key(r["Kategori"]))
            if wk and key and r["Bedömning"]:
                ort = names.ort(r["Ort"])
                rows.append((r["Organisation"], r["Inrapportör"], *wk, ort, names.plats(ort, r["Plats"]), key,
                             names.grade(r["Bedömning"])))
    out = pd.DataFrame(rows, columns=["organisation", "reporter", "year", "week", "ort", "plats", "key", "grade"])
    out["yw"] = list(zip(out["year"], out["week"]))
    return out


def _weekly(frame: pd.DataFrame, mask) -> pd.Series:
    """Reports per demo week (grade ≥ 1: "Lugnt" is not a problem report), zero-filled."""
    return frame[mask & (frame["grade"] >= 1)].groupby("yw").size().reindex(dd.demo_weeks(), fill_value=0)


def _survey_frame(demo: Path, year: int) -> tuple[pd.DataFrame, dict]:
    """A survey file with normalised headers, and its mapping."""
    if year in dd.NETIGATE_YEARS:
        frame = pd.read_excel(demo / f"trygghetsundersokning_{year}_netigate.xlsx", dtype=str).fillna("")
        mapping = ROOT / "data/mappings/survey_netigate.toml"
    else:
        frame = pd.read_csv(demo / f"trygghetsundersokning_{year}_google_forms.csv", dtype=str, keep_default_na=False)
        mapping = ROOT / "data/mappings/survey_google_forms.toml"
    frame.columns = [re.sub(r"\s+", " ", c).strip().casefold() for c in frame.columns]
    return frame, tomllib.loads(mapping.read_text(encoding="utf-8"))


def _col(mapping: dict, key: str) -> str:
    if key in mapping["columns"]:
        return re.sub(r"\s+", " ", mapping["columns"][key]).strip().casefold()
    col = next(i["column"] for i in mapping["items"] if i["key"] == key)
    return re.sub(r"\s+", " ", col).strip().casefold()


# =====================================================================================================
# Determinism and freshness
# =====================================================================================================
def test_generation_is_deterministic(demo, cfg, tmp_path):
    again = tmp_path / "again"
    dd.generate(again, cfg)
    assert _generated_files(demo) == _generated_files(again)
    for name in sorted(_generated_files(demo)):
        a, b = demo / name, again / name
        if name.endswith(".xlsx"):
            assert _xlsx_values(a) == _xlsx_values(b), name
        assert a.read_bytes() == b.read_bytes(), name


def test_committed_demo_equals_fresh_generation(demo):
    assert COMMITTED.is_dir(), REGENERATE
    assert _generated_files(COMMITTED) == _generated_files(demo), REGENERATE
    for name in sorted(_generated_files(demo)):
        assert (COMMITTED / name).read_bytes() == (demo / name).read_bytes(), f"{name}: {REGENERATE}"
    assert (COMMITTED / "README.md").is_file()


def test_manifest_lists_every_file_in_load_order(demo):
    files = tomllib.loads((demo / "manifest.toml").read_text(encoding="utf-8"))["files"]
    assert files[0] == {"source": "areas", "file": "omraden.geojson", "name_field": "omrade"}
    assert {f["file"] for f in files} | {"manifest.toml"} == _generated_files(demo)
    for f in files:
        assert set(f) <= {"source", "file", "mapping", "name_field"}
        assert f["source"] in SOURCES
        if "mapping" in f:
            assert (ROOT / f["mapping"]).is_file(), f["mapping"]
    assert sum(p.stat().st_size for p in demo.iterdir()) < 5_000_000


# =====================================================================================================
# Formats
# =====================================================================================================
def test_kommun_msforms_layout(demo, kommun_frame, ms_mapping, cfg):
    c = ms_mapping["columns"]
    expected = ["ID", "Starttid", "Slutförandetid", "E-post", "Namn", c["week"], c["reporter"], c["nothing_to_report"],
                c["ort"], c["place"], *ms_mapping["categories"], c["comment"]]
    assert list(kommun_frame.columns) == expected
    assert load_workbook(demo / KOMMUN_FILE, read_only=True).sheetnames == ["Sheet1"]
    assert kommun_frame["ID"].tolist() == list(range(1, len(kommun_frame) + 1))
    start, end = pd.to_datetime(kommun_frame["Starttid"]), pd.to_datetime(kommun_frame["Slutförandetid"])
    assert ((end - start).dt.total_seconds().between(60, 3600)).all()
    assert end.max().date() <= dd.TODAY and (end.dt.day_of_week < 5).all()
    assert kommun_frame["E-post"].str.fullmatch(r"inrapportor\d+@svenljunga\.se").all()
    answers = set(kommun_frame[c["nothing_to_report"]])
    assert answers == {"Ja", "Nej, inget att rapportera"}
    nothing = kommun_frame[kommun_frame[c["nothing_to_report"]] != "Ja"]
    assert nothing[list(ms_mapping["categories"])].isna().all().all()
    labels = set(pd.unique(kommun_frame[list(ms_mapping["categories"])].values.ravel()))
    assert {x for x in labels if isinstance(x, str)} == set(cfg.grades.values())
    weeks = kommun_frame[c["week"]]
    for pattern in (r"v\d+ \d{4}", r"v\.\d+ \d{4}", r"\d{4}-W\d{2}"):
        assert weeks.str.fullmatch(pattern).any(), pattern
    orter = set(kommun_frame[c["ort"]].dropna())
    assert {"Ö Frölunda", "överlida"} <= orter


def test_police_csv_is_windows_1252_semicolon_crlf(demo):
    raw = (demo / POLICE_FILE).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert text.startswith("Vecka;Datum;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;Kommentar\r\n")
    assert text.count("\r\n") == text.count("\n")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    assert set(frame["Organisation"]) == {"Polisen"}
    assert frame["Datum"][frame["Datum"] != ""].str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    assert set(frame["Bedömning"]) <= {"", "0", "1", "2", "3"}
    assert (frame["Kategori"] == "Inget att rapportera").any()


def test_svenbo_csv_is_utf8_bom_comma(demo, cfg):
    raw = (demo / SVENBO_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfVecka,Datum,Organisation,")
    frame = pd.read_csv(demo / SVENBO_FILE, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(frame["Organisation"]) == {"Svenbo"}
    assert frame["Vecka"].str.fullmatch(r"\d{4}-W\d{2}").all()
    assert frame["Datum"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert set(frame["Bedömning"]) - {""} <= set(cfg.grades.values())


def test_google_forms_csv_quirks(demo, cfg):
    for year in sorted(set(dd.SURVEY_N) - set(dd.NETIGATE_YEARS)):
        path = demo / f"trygghetsundersokning_{year}_google_forms.csv"
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        lines = raw.decode("utf-8").splitlines()
        # Every field quoted: each line starts and ends with a quote and has only quoted separators.
        for line in lines[:50]:
            assert line.startswith('"') and line.endswith('"') and not re.search(r'[^"],|,[^"]', line)
        header = next(csv.reader([lines[0]]))
        assert "Hur gammal är du ?  " in header
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert 200 <= len(frame) <= 600
        assert frame["Tidstämpel"].str.fullmatch(rf"{year}/11/\d{{2}} \d{{1,2}}:\d{{2}}:\d{{2}} (fm|em) CET").all()
        assert set(frame["Hur gammal är du ?  "]) == set(dd.AGE_GROUPS)
        women = (frame["Kön "] == "Kvinna").mean()
        assert 0.55 <= women <= 0.75
        trygg5 = set(cfg.scales["trygg5"].labels)
        assert set(frame["Hur trygg känner du dig i Svenljunga kommun? "]) <= trygg5 | {"Vet ej"}


def test_netigate_2023_uses_the_four_step_scale(demo, cfg):
    frame, mapping = _survey_frame(demo, 2023)
    assert list(frame.columns[:5]) == ["respondent id", "inskickad", "ålder", "kön", "bostadsort"]
    answers = set(frame[_col(mapping, "trygg_kvall")])
    assert answers <= set(cfg.scales["trygg4"].labels) | set(mapping["missing"]["labels"])
    assert "Ganska otrygg" in answers
    assert 200 <= len(frame) <= 600


def test_traffpunkt_rounds(demo, cfg):
    traffpunkt_areas = {a.name for a in cfg.areas if a.kind == "traffpunkt"}
    central = {a.name for a in cfg.areas if a.kind == "centralort"}
    smallest = []
    central_rows = 0
    for year in sorted(dd.TP_AREA_N):
        frame = pd.read_excel(demo / f"traffpunkt_{year}_msforms.xlsx", dtype=str)
        counts = frame["Vilket område bor du i eller driver företag i?"].value_counts()
        central_rows += int(counts[counts.index.isin(central)].sum())
        counts = counts[~counts.index.isin(central)]
        assert set(counts.index) == traffpunkt_areas
        smallest.append(counts.min())
        assert ((counts >= 15) & (counts <= 60) | (counts < 5)).all()
        assert set(frame["Svarar du som invånare eller företagare?"]) == {"Invånare", "Företagare"}
    assert central_rows == 1
    assert sum(n < 5 for n in smallest) == 1  # one group small enough to be suppressed


def test_police_events_api_format(demo, cfg):
    events = json.loads((demo / EVENTS_FILE).read_text(encoding="utf-8"))
    assert all(set(e) == {"id", "datetime", "name", "summary", "url", "type", "location"} for e in events)
    assert all(set(e["location"]) == {"name", "gps"} for e in events)
    ids = [e["id"] for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [e["datetime"] for e in events] != sorted(e["datetime"] for e in events)
    own = [e for e in events if e["name"].rsplit(", ", 1)[1] == cfg.name]
    others = [e for e in events if e["name"].rsplit(", ", 1)[1] != cfg.name]
    assert 70 <= len(own) <= 95 and 30 <= len(others) <= 50
    assert {e["name"].rsplit(", ", 1)[1] for e in others} == set(dd.NEIGHBOURS)
    for e in events:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}:\d{2} \+0[12]:00", e["datetime"])
        assert not re.match(r"\d{4}-\d{2}-\d{2} 0\d:", e["datetime"])  # hour without leading zero
        year = int(e["datetime"][:4])
        when = e["name"].split(", ")[0]
        if year <= 2023:
            assert re.fullmatch(r"\d{2} [a-z]+ \d{2}:\d{2}", when), when
        elif year <= 2025:
            assert re.fullmatch(r"\d{2} [a-z]+ \d{2}\.\d{2}", when), when
        else:
            assert re.fullmatch(r"[1-9]\d? [a-z]+ \d{2}\.\d{2}", when), when
        assert e["summary"] and e["url"].startswith("/aktuellt/handelser/")
        assert e["type"] == e["name"].split(", ", 1)[1].rsplit(", ", 1)[0]
        month = int(e["datetime"][5:7])
        assert e["datetime"].endswith("+02:00" if 4 <= month <= 9 else "+01:00") or month in (3, 10)
    for e in own:
        if e["datetime"] < "2026":
            assert e["location"] == {"name": cfg.name, "gps": "57.495572,13.114623"}
        else:
            assert e["location"] == {"name": cfg.lan, "gps": "58.252793,13.059643"}
    orter = {o.name for o in cfg.orter}
    assert all(any(f"i {o}" in e["summary"] for o in orter) for e in own)


# =====================================================================================================
# Planted patterns
# =====================================================================================================
def test_rising_problem_at_the_rural_place(lagesbild):
    ort, plats = dd.RISING_SPOT
    spot = (lagesbild["ort"] == ort) & (lagesbild["plats"] == plats) & lagesbild["key"].isin(dd.RISING_KEYS)
    weekly = _weekly(lagesbild, spot)
    before = weekly[[w for w in weekly.index if w < dd.RISING_FIRST_WEEK]]
    ramp = weekly[[w for w in weekly.index if w >= dd.RISING_FIRST_WEEK]]
    assert len(ramp) == dd.LAST_WEEK[1] - dd.RISING_FIRST_WEEK[1] + 1
    assert before.mean() * 52 / 12 <= 1.5  # about one report a month before
    half = len(ramp) // 2
    assert ramp.iloc[-half:].mean() >= 4  # several a week at the end
    assert ramp.iloc[-half:].mean() > ramp.iloc[:half].mean() > before.mean() * 4
    serious = _weekly(lagesbild, spot & (lagesbild["grade"] >= 2))
    assert serious[ramp.index].sum() == ramp.sum()  # graded Förhöjt or Allvarligt


def test_rising_problem_in_police_events_traffpunkt_and_survey(demo, cfg):
    ort = dd.RISING_SPOT[0]
    events = json.loads((demo / EVENTS_FILE).read_text(encoding="utf-8"))
    per_autumn = {y: 0 for y in range(2021, 2027)}
    for e in events:
        autumn = e["datetime"][5:7] in ("09", "10", "11")
        if e["name"].endswith(f", {cfg.name}") and f"i {ort}" in e["summary"] and autumn:
            per_autumn[int(e["datetime"][:4])] += 1
    assert per_autumn[2026] >= 5 and max(per_autumn[y] for y in range(2021, 2026)) <= 1

    area = next(o.area for o in cfg.orter if o.name == ort)
    otrygg = set(cfg.scales["trygg5"].labels[i - 1] for i in cfg.scales["trygg5"].otrygg)
    shares = {}
    for year in (2024, 2026):
        frame = pd.read_excel(demo / f"traffpunkt_{year}_msforms.xlsx", dtype=str)
        mine = frame[frame["Vilket område bor du i eller driver företag i?"] == area]
        shares[year] = ((mine["Har tryggheten i ditt område förändrats de senaste två åren?"] == "Blivit sämre").mean(),
                        mine["Hur trygg känner du dig i ditt område?"].isin(otrygg).mean())
    assert shares[2026][0] >= shares[2024][0] + 0.2
    assert shares[2026][1] >= shares[2024][1] + 0.15

    for year in dd.SURVEY_N:
        frame, mapping = _survey_frame(demo, year)
        mentions = frame[_col(mapping, "otrygga_platser")].str.casefold().str.contains("badplatsen i överlida").sum()
        assert (mentions >= 10) if year == 2026 else (mentions == 0), year


def test_seasonal_peaks_every_year(lagesbild):
    # The rising place is a pattern of its own: leave it out so it cannot make or hide a season.
    rest = ~((lagesbild["ort"] == dd.RISING_SPOT[0]) & (lagesbild["plats"] == dd.RISING_SPOT[1]))
    summer = _weekly(lagesbild, rest & lagesbild["key"].isin(dd.SUMMER_KEYS))
    valborg = _weekly(lagesbild, rest & lagesbild["key"].isin(dd.VALBORG_KEYS))
    new_year = _weekly(lagesbild, rest & lagesbild["key"].isin(dd.NEW_YEAR_KEYS))
    month = {w: date.fromisocalendar(*w, 4).month for w in summer.index}
    for year in range(2021, 2027):
        weeks = [w for w in summer.index if w[0] == year]
        hot = [w for w in weeks if month[w] in (6, 7, 8)]
        rest = [w for w in weeks if month[w] not in (6, 7, 8)]
        assert summer[hot].mean() >= 1.5 * summer[rest].mean(), year
        valborg_week = (year, date(year, 4, 30).isocalendar().week)
        assert valborg[valborg_week] >= 2 * valborg[weeks].median(), year
        around = [w for w in new_year.index if w in ((year - 1, 52), (year - 1, 53), (year, 1))]
        assert new_year[around].mean() >= 2 * new_year[weeks].median(), year


def test_improved_place_after_the_lighting(lagesbild, demo, cfg):
    names = Names(cfg)
    spot = (lagesbild["ort"] == dd.IMPROVED_SPOT[0]) & (lagesbild["plats"] == dd.IMPROVED_SPOT[1])
    weekly = _weekly(lagesbild, spot & lagesbild["key"].isin(dd.IMPROVED_KEYS))
    before = weekly[[w for w in weekly.index if w < dd.IMPROVED_FROM_WEEK]].mean()
    after = weekly[[w for w in weekly.index if w >= dd.IMPROVED_FROM_WEEK]].mean()
    assert 0.45 <= 1 - after / before <= 0.75  # about 60 % fewer reports

    def share_otrygg(years):
        n = k = 0
        for year in years:
            frame, mapping = _survey_frame(demo, year)
            home = frame[_col(mapping, "ort")].map(names.ort)
            ort = home == dd.IMPROVED_SPOT[0]
            answers = frame.loc[ort, _col(mapping, "trygg_kvall")]
            answers = answers[~answers.isin(mapping["missing"]["labels"])]
            n += len(answers)
            k += answers.isin(["Otrygg", "Mycket otrygg"]).sum()
        return k / n

    assert 0.27 <= share_otrygg([2021, 2022]) <= 0.37
    assert 0.13 <= share_otrygg([2025, 2026]) <= 0.23


def test_silent_reporters_and_full_coverage(demo, kommun_frame):
    weeks = dd.demo_weeks()
    reported = kommun_frame.groupby("Verksamhet")["Vilken vecka gäller rapporten?"].agg(lambda s: {_week(x) for x in s})
    silent = {name: [(y, w) for w in range(lo, hi + 1)] for name, y, lo, hi in dd.SILENT}
    assert set(silent) <= set(reported.index)
    for name, have in reported.items():
        missing = [w for w in weeks if w not in have]
        assert missing == silent.get(name, []), name
    for file, kw in ((POLICE_FILE, {"sep": ";", "encoding": "cp1252"}), (SVENBO_FILE, {"encoding": "utf-8-sig"})):
        frame = pd.read_csv(demo / file, dtype=str, keep_default_na=False, **kw)
        frame = frame[frame["Inrapportör"] != ""]
        for name, group in frame.groupby("Inrapportör"):
            assert set(weeks) <= {_week(x) for x in group["Vecka"]}, name
    n_reporters = kommun_frame["Verksamhet"].nunique() + len(dd.POLICE_REPORTERS) + len(dd.SVENBO_REPORTERS)
    assert n_reporters >= 25


def test_planted_bad_rows_and_nothing_else(demo, cfg, kommun_frame):
    names = Names(cfg)
    bad_ort = [o for o in kommun_frame["Ort"].dropna() if names.ort(o) is None]
    assert bad_ort == [dd.BAD_ORT]
    places = kommun_frame.dropna(subset=["Plats (om det gäller en särskild plats)"])
    bad_plats = [p for o, p in zip(places["Ort"], places["Plats (om det gäller en särskild plats)"])
                 if names.ort(o) and names.plats(names.ort(o), p) is None]
    assert bad_plats == [dd.BAD_PLATS]
    assert kommun_frame["Vilken vecka gäller rapporten?"].map(_week).notna().all()

    police = pd.read_csv(demo / POLICE_FILE, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    svenbo = pd.read_csv(demo / SVENBO_FILE, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    both = pd.concat([police, svenbo])
    nothing = both["Kategori"] == "Inget att rapportera"
    unknown = [c for c in both.loc[~nothing, "Kategori"] if names.categories.get(names.key(c)) is None]
    assert unknown == [dd.BAD_CATEGORY]
    assert [w for w in both["Vecka"] if _week(w) is None] == [dd.BAD_WEEK]
    assert (svenbo["Inrapportör"] == "").sum() == 1 and (police["Inrapportör"] == "").sum() == 0
    assert all(names.ort(o) for o in both.loc[~nothing, "Ort"])

    for year in dd.SURVEY_N:
        frame, mapping = _survey_frame(demo, year)
        col = frame[_col(mapping, "ort")]
        area_names = {names.key(a.name) for a in cfg.areas}
        unknown = [o for o in col if names.ort(o) is None and names.key(o) not in area_names]
        assert 1 <= len(unknown) < 0.01 * len(frame), year


def test_comments_carry_a_little_personal_data_for_redaction(kommun_frame):
    comments = kommun_frame["Beskriv kort vad du har sett (skriv aldrig namn på personer)"].dropna()
    pii = comments.str.contains(r"0\d{2}-\d{3} \d{2} \d{2}|[\w.]+@[\w.]+\.\w+")
    assert len(comments) > 1000
    assert 0.003 <= pii.mean() <= 0.02


def test_weekly_poisson_noise_not_a_constant(lagesbild):
    # Patterns are planted in intensities, so the weekly series must vary like counts do.
    weekly = _weekly(lagesbild, lagesbild["organisation"] == "kommun")
    assert weekly.std() > 1 and np.all(weekly.values >= 0)


def test_demo_walk_register_holds_the_measure_behind_the_planted_improvement(demo):
    """The tunnel's new lighting (April 2024) is a completed measure of a registered walk, and the
    centralort's latest walk is more than a year before the last demo week."""
    from tsk.registers.protocol import parse_protocol_xlsx

    cfg = load_config()
    walks = [parse_protocol_xlsx((demo / f).read_bytes(), cfg) for f in sorted(p.name for p in demo.glob("trygghetsvandring_*.xlsx"))]
    assert [w.status for w, _, _ in walks] == ["genomförd", "genomförd", "planerad"]
    tunnel = [m for _, _, ms in walks for m in ms if m.place == dd.IMPROVED_SPOT[1]]
    assert tunnel and tunnel[0].status == "klar" and tunnel[0].completed_date.isocalendar()[:2] <= dd.IMPROVED_FROM_WEEK
    last_centralort = max(w.walk_date for w, _, _ in walks if w.ort == "Svenljunga" and w.status == "genomförd")
    assert (date.fromisocalendar(*dd.LAST_WEEK, 1) - last_centralort).days > 365

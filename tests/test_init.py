"""Starting a new kommun: `python -m tsk init` writes a configuration load_config accepts, from the
kommunkod and the kommun's orter file; `python -m tsk areas build` draws and stores schematic areas from
it; bad orter files are refused naming the line with nothing written; an empty store's Översikt says
what to do next. The synthetic kommun here is not Svenljunga."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from tests.test_app import run_page
from tsk import geo, onboarding
from tsk.cli import main
from tsk.config import ROOT, load_config
from tsk.i18n import t
from tsk.ingest.run import run_import
from tsk.store import open_store

KOMMUNKOD = "0560"  # Boxholm: a small kommun far from the demo's, chosen for the synthetic orter file


def _inside_points(kommunkod: str, n: int) -> list[tuple[float, float]]:
    """n (lat, lon) points well inside the kommun, deterministic: a grid over the outline's bbox."""
    outline = geo.outline_metric(kommunkod)
    inner = outline.buffer(-1500)
    minx, miny, maxx, maxy = outline.bounds
    points = []
    steps = 9
    for i in range(1, steps):
        for j in range(1, steps):
            x = minx + (maxx - minx) * i / steps
            y = miny + (maxy - miny) * j / steps
            if inner.contains(shapely.Point(x, y)):
                lon, lat = geo.from_metric(x, y)
                points.append((lat, lon))
    assert len(points) >= n, "the grid must give enough points inside the kommun"
    return points[:: max(1, len(points) // n)][:n]


def _write_orter(path: Path, rows: list[tuple], header: str = "namn;lat;lon;befolkning") -> Path:
    """A Swedish-Excel style orter file: semicolons, decimal comma."""
    lines = [header]
    for row in rows:
        lines.append(";".join(f"{v:.6f}".replace(".", ",") if isinstance(v, float) else str(v) for v in row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def orter_rows():
    pts = _inside_points(KOMMUNKOD, 6)
    names = ["Provstad", "Norrby", "Söderås", "Västlid", "Österhult", "Mellanbo"]
    pops = [4200, 900, 640, 510, 300, ""]
    return [(name, lat, lon, pop) for name, (lat, lon), pop in zip(names, pts, pops)]


@pytest.fixture
def orter_csv(tmp_path, orter_rows):
    return _write_orter(tmp_path / "orter.csv", orter_rows)


def run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- init --------------------------------------------------------------------------------------------
def test_init_writes_a_config_that_loads_with_every_guess_marked(tmp_path, orter_csv, capsys):
    out = tmp_path / "kommun.toml"
    code, stdout, stderr = run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out], capsys)
    assert code == 0, stderr
    cfg = load_config(out)
    assert (cfg.name, cfg.kommunkod, cfg.lan) == ("Boxholm", KOMMUNKOD, "Östergötlands län")
    assert [o.name for o in cfg.orter] == ["Provstad", "Norrby", "Söderås", "Västlid", "Österhult", "Mellanbo"]
    assert cfg.orter[0].population == 4200 and cfg.orter[-1].population is None
    central = [a for a in cfg.areas if a.kind == "centralort"]
    assert [a.name for a in central] == [t("init_area_central_name", ort="Provstad")]
    assert {o.area for o in cfg.orter if o.name == "Provstad"} == {central[0].name}
    assert len(cfg.areas) >= 2 and all(a.assumption for a in cfg.areas)
    assert all(a.population is None for a in cfg.areas), "no area population is guessed"
    raw = tomllib.loads(out.read_text(encoding="utf-8"))
    assert all(o["assumption"] is True for o in raw["orter"])
    assert all(o["assumption"] is True for o in raw["organisations"])
    for section in ("est", "survey", "traffpunkt", "police", "vandring"):
        assert raw[section]["assumption"] is True, section
    # Everything else a page needs is there.
    assert cfg.categories and cfg.grades and cfg.scales and cfg.survey_items and cfg.traffpunkt_items
    assert cfg.vandring.checklist and cfg.suppression_min == 5
    assert "# [U]" in out.read_text(encoding="utf-8"), "the guesses are commented"
    assert str(out) in stdout


def test_init_through_the_real_entry_point(tmp_path, orter_csv):
    out = tmp_path / "kommun.toml"
    result = subprocess.run([sys.executable, "-m", "tsk", "init", KOMMUNKOD, "--orter", str(orter_csv), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert load_config(out).kommunkod == KOMMUNKOD


def test_init_refuses_an_existing_file_unless_forced(tmp_path, orter_csv, capsys):
    out = tmp_path / "kommun.toml"
    out.write_text("# the kommun's own edits\n", encoding="utf-8")
    code, _, stderr = run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out], capsys)
    assert code == 2
    assert stderr.strip() == t("init_out_exists", path=out)
    assert out.read_text(encoding="utf-8") == "# the kommun's own edits\n"
    code, _, stderr = run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out, "--force"], capsys)
    assert code == 0, stderr
    assert load_config(out).name == "Boxholm"


def test_unknown_kommunkod_exits_2_and_writes_nothing(tmp_path, orter_csv, capsys):
    out = tmp_path / "kommun.toml"
    for kod in ("9999", "abcd"):
        code, _, stderr = run(["init", kod, "--orter", orter_csv, "--out", out], capsys)
        assert code == 2
        assert stderr.strip() == t("geo_unknown_kommun", kommunkod=kod)
    assert not out.exists()


def _far_point(kommunkod: str, metres: float) -> tuple[float, float]:
    """(lat, lon) `metres` east of the kommun's easternmost vertex: exactly that far outside."""
    outline = geo.outline_metric(kommunkod)
    coords = [c for poly in getattr(outline, "geoms", [outline]) for c in poly.exterior.coords]
    x, y = max(coords)
    lon, lat = geo.from_metric(x + metres, y)
    return lat, lon


@pytest.mark.parametrize("case", ["unknown_column", "duplicate", "outside", "swapped", "bad_number", "empty_name",
                                  "other_kommun", "too_few"])
def test_bad_orter_file_exits_2_naming_the_line_and_writes_nothing(case, tmp_path, orter_rows, capsys):
    rows = list(orter_rows)
    header = "namn;lat;lon;befolkning"
    if case == "unknown_column":
        header, rows = "namn;lat;lon;befolkning;kommentar", [(*r, "x") for r in rows]
        expected = t("init_orter_unknown_column", line=1, column="kommentar",
                     known=", ".join(a[0] for a in onboarding.ORT_COLUMNS.values()))
    elif case == "duplicate":
        rows[3] = ("norrby", *rows[3][1:])  # the same name as line 3, in other case
        expected = t("init_orter_duplicate", line=5, name="norrby", other=3)
    elif case == "outside":
        lat, lon = _far_point(KOMMUNKOD, 5000)
        rows[2] = (rows[2][0], lat, lon, rows[2][3])
        expected = t("init_orter_outside", line=4, name="Söderås", km="5,0", tolerance=onboarding.OUTSIDE_TOLERANCE_M,
                     hint="")
    elif case == "swapped":
        rows[1] = (rows[1][0], rows[1][2], rows[1][1], rows[1][3])
        expected = None  # the distance is long; the message must say lat and lon look swapped
    elif case == "bad_number":
        rows[4] = (*rows[4][:3], "många")
        expected = t("init_orter_bad_number", line=6, column="befolkning", value="många")
    elif case == "empty_name":
        rows[2] = ("", *rows[2][1:])
        expected = t("init_orter_missing_value", line=4, column="namn")
    elif case == "other_kommun":
        header, rows = "name;lat;lon;population;kommunkod", [(*r, KOMMUNKOD) for r in rows]
        rows[5] = (*rows[5][:4], "1452")
        expected = t("init_orter_other_kommun", line=7, name="Mellanbo", kod="1452", kommunkod=KOMMUNKOD)
    else:
        rows = rows[:1]
        expected = t("init_orter_too_few", n=1, min=onboarding.MIN_ORTER)
    csv = _write_orter(tmp_path / "orter.csv", rows, header)
    out = tmp_path / "kommun.toml"
    code, stdout, stderr = run(["init", KOMMUNKOD, "--orter", csv, "--out", out], capsys)
    assert code == 2
    assert not out.exists() and list(tmp_path.iterdir()) == [csv], "nothing written, not even a temporary file"
    assert "Traceback" not in stderr and stdout == ""
    if expected is not None:
        assert stderr.strip() == expected
    else:
        assert stderr.startswith("Ortfilen, rad 3: «Norrby»") and t("init_orter_swapped").strip() in stderr


def test_a_point_just_outside_the_generalised_outline_is_kept_with_a_warning(tmp_path, orter_rows, capsys):
    rows = list(orter_rows)
    lat, lon = _far_point(KOMMUNKOD, 300)
    rows[4] = (rows[4][0], lat, lon, rows[4][3])
    csv = _write_orter(tmp_path / "orter.csv", rows)
    out = tmp_path / "kommun.toml"
    code, _, stderr = run(["init", KOMMUNKOD, "--orter", csv, "--out", out], capsys)
    assert code == 0, stderr
    assert stderr.strip() == t("init_orter_outside_warning", line=6, name="Österhult", m="300",
                               tolerance=onboarding.OUTSIDE_TOLERANCE_M)
    assert "Österhult" in [o.name for o in load_config(out).orter]


def test_sweref_coordinates_alone_are_accepted_and_must_agree_with_lat_lon(tmp_path, orter_rows, capsys):
    metric = [(name, *geo.to_metric(lon, lat), pop) for name, lat, lon, pop in orter_rows]
    csv = _write_orter(tmp_path / "orter.csv", metric, "name;sweref99tm_e;sweref99tm_n;population")
    code, _, stderr = run(["init", KOMMUNKOD, "--orter", csv, "--out", tmp_path / "a.toml"], capsys)
    assert code == 0, stderr
    cfg = load_config(tmp_path / "a.toml")
    assert abs(cfg.orter[0].lat - orter_rows[0][1]) < 1e-5 and abs(cfg.orter[0].lon - orter_rows[0][2]) < 1e-5
    both = [(*r, e + (500.0 if i == 2 else 0.0), n) for i, (r, (_, e, n, _p)) in enumerate(zip(orter_rows, metric))]
    csv = _write_orter(tmp_path / "orter2.csv", both, "namn;lat;lon;befolkning;sweref99tm_e;sweref99tm_n")
    code, _, stderr = run(["init", KOMMUNKOD, "--orter", csv, "--out", tmp_path / "b.toml"], capsys)
    assert code == 2 and stderr.startswith("Ortfilen, rad 4:")
    assert not (tmp_path / "b.toml").exists()


def test_tranemo_tatorter_give_a_config_and_areas(realdata, tmp_path, capsys, monkeypatch):
    out = tmp_path / "tranemo.toml"
    code, _, stderr = run(["init", "1452", "--orter", realdata / "tranemo_orter.csv", "--out", out], capsys)
    assert code == 0, stderr
    assert stderr == "", "every SCB tätort point of Tranemo lies inside the outline"
    cfg = load_config(out)
    assert cfg.name == "Tranemo" and len(cfg.orter) == 10
    assert [a.name for a in cfg.areas if a.kind == "centralort"] == ["Tranemo tätort"]
    assert 3 <= len(cfg.areas) <= 8
    _assert_areas_built(cfg, out, tmp_path / "tranemo.duckdb", monkeypatch, capsys)


# --- areas build -------------------------------------------------------------------------------------
def _assert_areas_built(cfg, config_path: Path, db: Path, monkeypatch, capsys):
    monkeypatch.setenv("TSK_CONFIG", str(config_path))
    code, stdout, stderr = run(["areas", "build", "--db", db], capsys)
    assert code == 0, stderr
    outline = geo.kommun_outline(cfg.kommunkod)
    with open_store(db, read_only=True) as store:
        stored = store.area_geometries()
        log = store.import_log()
    assert sorted(stored["name"]) == sorted(a.name for a in cfg.areas), "one polygon per area"
    assert stored["schematic"].all()
    geoms = gpd.GeoSeries.from_wkt(stored["geometry_wkt"], crs="EPSG:4326")
    assert all(g.geom_type in ("Polygon", "MultiPolygon") and g.area > 0 for g in geoms)
    assert all(g.within(outline.buffer(1e-5)) for g in geoms), "inside the kommun outline"
    covered = shapely.union_all(list(geoms)).area / outline.area
    assert covered > 0.99, "the areas cover the kommun"
    assert list(log["source"]) == ["areas"] and log["file_name"].iloc[0] == "schematiska_omraden.geojson"
    return stored


def test_areas_build_stores_one_schematic_polygon_per_area(tmp_path, orter_csv, capsys, monkeypatch):
    out = tmp_path / "kommun.toml"
    assert run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out], capsys)[0] == 0
    db = tmp_path / "kommun.duckdb"
    _assert_areas_built(load_config(out), out, db, monkeypatch, capsys)
    code, stdout, _ = run(["areas", "build", "--db", db], capsys)
    assert code == 0 and "inget ändrades" in stdout


def test_areas_build_does_not_replace_the_kommuns_own_boundaries_unless_forced(tmp_path, orter_csv, capsys,
                                                                              monkeypatch):
    out = tmp_path / "kommun.toml"
    assert run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out], capsys)[0] == 0
    cfg = load_config(out)
    monkeypatch.setenv("TSK_CONFIG", str(out))
    own = geo.schematic_areas(cfg)[["name", "geometry"]].rename(columns={"name": "omrade"})
    own_file = tmp_path / "egna_granser.geojson"
    own.to_file(own_file, driver="GeoJSON", engine="pyogrio")
    db = tmp_path / "kommun.duckdb"
    assert run(["areas", "build", "--db", db], capsys)[0] == 0  # schematic first, as the guide says
    run_import("areas", own_file, db=db, config=cfg, backup=False)
    with open_store(db, read_only=True) as store:
        before = store.area_geometries()
    assert not before["schematic"].any()
    code, _, stderr = run(["areas", "build", "--db", db], capsys)
    assert code == 2
    assert stderr.strip() == t("areas_build_refused_own", names=", ".join(
        store_order(db)))
    with open_store(db, read_only=True) as store:
        assert store.area_geometries().equals(before)
    code, stdout, stderr = run(["areas", "build", "--db", db, "--force"], capsys)
    assert code == 0, stderr
    assert "inget ändrades" not in stdout, "the same schematic file as before still replaces the own boundaries"
    with open_store(db, read_only=True) as store:
        assert store.area_geometries()["schematic"].all()
        assert len(store.import_log()) == 3


def store_order(db: Path) -> list[str]:
    with open_store(db, read_only=True) as store:
        return list(store.area_extents()["name"])


def test_areas_build_names_the_config_problem(tmp_path, orter_csv, capsys, monkeypatch):
    out = tmp_path / "kommun.toml"
    assert run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out], capsys)[0] == 0
    text = out.read_text(encoding="utf-8")
    # An area added by hand without any ort: no schematic boundary can be drawn for it.
    text = text.replace("[[orter]]", '[[areas]]\nname = "Tomt område"\nkind = "traffpunkt"\n\n[[orter]]', 1)
    out.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TSK_CONFIG", str(out))
    db = tmp_path / "kommun.duckdb"
    code, _, stderr = run(["areas", "build", "--db", db], capsys)
    assert code == 2
    assert stderr.strip() == t("geo_area_without_orter", area="Tomt område")
    assert not db.exists()


# --- next steps --------------------------------------------------------------------------------------
def test_next_steps_follow_what_the_store_lacks():
    empty = {"lagesbild": 0, "survey": 0, "traffpunkt": 0, "police": 0, "areas": 0}
    assert onboarding.is_empty(empty)
    assert [s.key for s in onboarding.next_steps(empty)] == ["areas", "lagesbild", "survey", "traffpunkt", "police"]
    assert "python -m tsk areas build" in onboarding.next_steps(empty)[0].commands
    some = {**empty, "areas": 6, "lagesbild": 120}
    assert not onboarding.is_empty(some)
    assert [s.key for s in onboarding.next_steps(some)] == ["survey", "traffpunkt", "police"]
    text = onboarding.steps_markdown(onboarding.next_steps(some))
    assert text.startswith("1. ") and "`python -m tsk import police HÄNDELSER.json`" in text


def _oversikt(query: dict | None = None):
    return run_page("pages/oversikt.py", query)


def test_an_empty_store_oversikt_says_what_to_do_next(tmp_path, orter_csv, capsys, monkeypatch):
    out = tmp_path / "kommun.toml"
    assert run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out], capsys)[0] == 0
    db = tmp_path / "kommun.duckdb"
    with open_store(db, config=load_config(out)):
        pass
    monkeypatch.setenv("TSK_CONFIG", str(out))
    monkeypatch.setenv("TSK_DB", str(db))
    for query in (None, {"mote": "1"}):
        at = _oversikt(query)
        assert not at.exception, at.exception[0].stack_trace if at.exception else ""
        assert [e.value for e in at.error] == []
        assert t("onb_title") in [h.value for h in at.header]
        steps = " ".join(m.value for m in at.markdown)
        assert "python -m tsk areas build" in steps and "import lagesbild" in steps
        assert at.get("component_instance") == [], "no empty map"
    # With schematic areas but still no data: the areas step is done, the data steps remain.
    assert run(["areas", "build", "--db", db], capsys)[0] == 0
    at = _oversikt()
    assert not at.exception
    steps = " ".join(m.value for m in at.markdown)
    assert "areas build" not in steps and "import lagesbild" in steps


def test_the_guide_exists_and_names_every_command():
    guide = (ROOT / "docs" / "kom-igang.md").read_text(encoding="utf-8")
    for command in ("python -m tsk init", "python -m tsk areas build", "python -m tsk import areas",
                    "python -m tsk import lagesbild", "python -m tsk places list", "python -m tsk places alias",
                    "python -m tsk places create", "python -m tsk places keep", "python -m tsk places ort-alias",
                    "TSK_CONFIG", "TSK_DB", "make run", "assumption = true"):
        assert command in guide, command
    assert f"{onboarding.OUTSIDE_TOLERANCE_M:,}".replace(",", " ") in guide, "the stated tolerance"
    assert "docs/kom-igang.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_new_kommun_without_platser_gets_an_empty_candidate_list_not_a_crash(tmp_path, orter_csv, capsys):
    """init writes no [[platser]]; with ort-level reports only there is no candidate place yet."""
    out = tmp_path / "kommun.toml"
    assert run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out], capsys)[0] == 0
    cfg = load_config(out)
    export = tmp_path / "lagesbild.csv"
    export.write_text("Vecka;Datum;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;Kommentar\n"
                      "v10 2026;2026-03-06;Boxholm kommun;Fritidsgården;Norrby;;Klotter;Lite;\n"
                      "v11 2026;2026-03-13;Polisen;Patrullen;Provstad;;Skadegörelse;Förhöjt;\n", encoding="utf-8")
    db = tmp_path / "kommun.duckdb"
    outcome = run_import("lagesbild", export, db=db, config=cfg, backup=False)
    assert (outcome.accepted, outcome.quarantined) == (2, 0)
    from tsk.pagedata import candidates

    with open_store(db, read_only=True) as store:
        ranked = candidates.ranked_candidates(store, cfg)
    assert ranked.empty


def test_oversikt_with_data_but_no_areas_says_how_to_get_them(tmp_path, orter_csv, capsys, monkeypatch):
    out = tmp_path / "kommun.toml"
    assert run(["init", KOMMUNKOD, "--orter", orter_csv, "--out", out], capsys)[0] == 0
    export = tmp_path / "lagesbild.csv"
    export.write_text("Vecka;Datum;Organisation;Inrapportör;Ort;Plats;Kategori;Bedömning;Kommentar\n"
                      "v10 2026;2026-03-06;Boxholm kommun;Fritidsgården;Norrby;;Klotter;Lite;\n", encoding="utf-8")
    db = tmp_path / "kommun.duckdb"
    run_import("lagesbild", export, db=db, config=load_config(out), backup=False)
    monkeypatch.setenv("TSK_CONFIG", str(out))
    monkeypatch.setenv("TSK_DB", str(db))
    at = _oversikt()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert t("onb_title") not in [h.value for h in at.header], "not an empty store"
    (warning,) = [w.value for w in at.warning if t("onb_areas_missing") in w.value]
    assert "python -m tsk areas build" in warning and "python -m tsk import areas" in warning

"""Starting a new kommun: the configuration `python -m tsk init` writes from a kommunkod and the kommun's
list of orter, and the next steps an empty store's Översikt shows. Pure: no Streamlit, no database.

The orter file is what a kommun has at hand (SCB's tätorter, or its own GIS points): one row per ort
with name, lat, lon and population. Nothing in it is guessed: an unknown column, a duplicate name, a
value that is not a number or a point clearly outside the kommun rejects the file, naming the line.
What init cannot know (which orter form an area, which tätort is the centralort, the categories and
survey questions the kommun uses) is written as a starting point marked `assumption = true`.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import shapely

from tsk import geo
from tsk.config import KommunConfig, parse_config
from tsk.errors import FileRejected
from tsk.i18n import t
from tsk.importers.reading import read_table
from tsk.parsing import parse_number
from tsk.text import normalise_header, normalise_name

TEMPLATE = Path(__file__).resolve().parent / "templates" / "kommun_mall.toml"

# Columns of the orter file: field -> accepted headers (compared after normalise_header).
ORT_COLUMNS = {
    "name": ("name", "namn", "ort", "ortnamn", "tätort", "tatort"),
    "lat": ("lat", "latitud", "latitude"),
    "lon": ("lon", "longitud", "longitude", "lng"),
    "population": ("population", "befolkning", "folkmängd", "folkmangd", "invånare", "invanare"),
    "e": ("sweref99tm_e", "e", "easting", "x_koord"),
    "n": ("sweref99tm_n", "n", "northing", "y_koord"),
    "kommunkod": ("kommunkod", "kommun_kod", "knkod"),
}
# Known columns that are read past (SCB's tätort table carries them).
ORT_COLUMNS_IGNORED = ("type", "typ", "year", "år", "ar", "tatortskod", "tätortskod", "kommunnamn",
                       "kommun", "area_ha", "source", "källa", "kalla")

# A tätort point may lie this far outside the packaged (generalised) kommun outline: warned, not refused.
OUTSIDE_TOLERANCE_M = 1_000
# lat/lon and SWEREF 99 TM given for the same ort must agree this closely.
COORDINATE_AGREEMENT_M = 100
# Rural orter closer than this on average (average linkage) start in the same area.
CLUSTER_DISTANCE_M = 8_000
MIN_ORTER = 2  # the centralort and at least one rural ort: the schematic areas need both


@dataclass(frozen=True)
class OrtRow:
    line: int
    name: str
    lat: float
    lon: float
    population: int | None
    x: float  # SWEREF 99 TM
    y: float


@dataclass
class OrterFile:
    orter: list[OrtRow]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AreaDraft:
    name: str
    kind: str  # "centralort" | "traffpunkt"
    orter: tuple[OrtRow, ...]


# --- the orter file --------------------------------------------------------------------------------
def _columns(headers: list[str]) -> dict[str, str]:
    """field -> header in the file. Raises FileRejected naming line 1 for an unknown or doubled column."""
    wanted = {normalise_header(alias): key for key, aliases in ORT_COLUMNS.items() for alias in aliases}
    ignored = {normalise_header(h) for h in ORT_COLUMNS_IGNORED}
    found: dict[str, str] = {}
    for header in headers:
        norm = normalise_header(header)
        if norm in ignored:
            continue
        key = wanted.get(norm)
        if key is None:
            raise FileRejected("init_orter_unknown_column", line=1, column=header,
                               known=", ".join(aliases[0] for aliases in ORT_COLUMNS.values()))
        if key in found:
            raise FileRejected("init_orter_double_column", line=1, column=header, other=found[key])
        found[key] = header
    if "name" not in found:
        raise FileRejected("init_orter_missing_column", line=1, column="name")
    if not ({"lat", "lon"} <= set(found) or {"e", "n"} <= set(found)):
        raise FileRejected("init_orter_missing_column", line=1, column="lat, lon")
    return found


def _number(value: str, line: int, column: str) -> float:
    try:
        x = parse_number(value)
    except ValueError:
        raise FileRejected("init_orter_bad_number", line=line, column=column, value=value) from None
    if not np.isfinite(x):
        raise FileRejected("init_orter_bad_number", line=line, column=column, value=value)
    return x


def read_orter(path: Path, kommunkod: str) -> OrterFile:
    """The orter of the file, checked against the kommun's outline. Raises FileRejected naming the line."""
    table = read_table(Path(path))
    if table.bad_rows:
        line, _original, (key, params) = table.bad_rows[0]
        raise FileRejected("init_orter_bad_line", line=line, reason=t(key, **params))
    cols = _columns(table.headers)
    outline = geo.outline_metric(kommunkod)
    code = str(kommunkod).strip().zfill(4)
    orter: list[OrtRow] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    for line, row in zip(table.row_numbers, table.frame.to_dict("records")):
        cell = {key: str(row[header]).strip() for key, header in cols.items()}
        name = cell["name"]
        if not name:
            raise FileRejected("init_orter_missing_value", line=line, column=cols["name"])
        key = normalise_name(name)
        if key in seen:
            raise FileRejected("init_orter_duplicate", line=line, name=name, other=seen[key])
        seen[key] = line
        if cell.get("kommunkod") and cell["kommunkod"].zfill(4) != code:
            raise FileRejected("init_orter_other_kommun", line=line, name=name, kod=cell["kommunkod"], kommunkod=code)
        lat = lon = None
        if cell.get("lat") or cell.get("lon"):
            for c in ("lat", "lon"):
                if not cell.get(c):
                    raise FileRejected("init_orter_missing_value", line=line, column=cols.get(c, c))
            lat = _number(cell["lat"], line, cols["lat"])
            lon = _number(cell["lon"], line, cols["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise FileRejected("init_orter_not_lonlat", line=line, name=name, lat=cell["lat"], lon=cell["lon"])
            x, y = geo.to_metric(lon, lat)
        if cell.get("e") or cell.get("n"):
            for c in ("e", "n"):
                if not cell.get(c):
                    raise FileRejected("init_orter_missing_value", line=line, column=cols.get(c, c))
            e, n = _number(cell["e"], line, cols["e"]), _number(cell["n"], line, cols["n"])
            if lat is None:
                lon, lat = geo.from_metric(e, n)
                x, y = e, n
            elif np.hypot(x - e, y - n) > COORDINATE_AGREEMENT_M:
                raise FileRejected("init_orter_coordinates_disagree", line=line, name=name,
                                   m=f"{np.hypot(x - e, y - n):.0f}", limit=COORDINATE_AGREEMENT_M)
        if lat is None:
            raise FileRejected("init_orter_missing_value", line=line, column=cols.get("lat", "lat"))
        population = None
        if cell.get("population"):
            p = _number(cell["population"], line, cols["population"])
            if p < 0 or not float(p).is_integer():
                raise FileRejected("init_orter_bad_number", line=line, column=cols["population"],
                                   value=cell["population"])
            population = int(p)
        distance = outline.distance(shapely.Point(x, y))
        if distance > OUTSIDE_TOLERANCE_M:
            sx, sy = geo.to_metric(lat, lon) if -90 <= lon <= 90 else (np.inf, np.inf)
            swapped = np.isfinite(sx) and outline.distance(shapely.Point(sx, sy)) <= OUTSIDE_TOLERANCE_M
            raise FileRejected("init_orter_outside", line=line, name=name, km=f"{distance / 1000:.1f}".replace(".", ","),
                               tolerance=OUTSIDE_TOLERANCE_M, hint=t("init_orter_swapped") if swapped else "")
        if distance > 0:
            warnings.append(t("init_orter_outside_warning", line=line, name=name, m=f"{distance:.0f}",
                              tolerance=OUTSIDE_TOLERANCE_M))
        orter.append(OrtRow(line, name, float(lat), float(lon), population, float(x), float(y)))
    if len(orter) < MIN_ORTER:
        raise FileRejected("init_orter_too_few", n=len(orter), min=MIN_ORTER)
    return OrterFile(orter, warnings)


# --- areas -----------------------------------------------------------------------------------------
def _size(o: OrtRow) -> int:
    return o.population if o.population is not None else -1


def assign_areas(orter: list[OrtRow]) -> list[AreaDraft]:
    """A starting point: the biggest tätort is the centralort (an area of its own); the other orter are
    grouped by distance (average linkage, CLUSTER_DISTANCE_M), one area per group, named after the
    group's biggest ort. Deterministic: the same file gives the same areas."""
    from scipy.cluster.hierarchy import fcluster, linkage

    central = max(orter, key=lambda o: (_size(o), -o.line))
    rural = [o for o in orter if o is not central]
    if len(rural) == 1:
        labels = [1]
    else:
        z = linkage(np.array([(o.x, o.y) for o in rural]), method="average")
        labels = list(fcluster(z, CLUSTER_DISTANCE_M, criterion="distance"))
    groups: dict[int, list[OrtRow]] = {}
    for o, label in zip(rural, labels):
        groups.setdefault(int(label), []).append(o)
    drafts = [AreaDraft(t("init_area_central_name", ort=central.name), "centralort", (central,))]
    ordered = sorted(groups.values(), key=lambda g: (-max(_size(o) for o in g), min(o.line for o in g)))
    for group in ordered:
        biggest = max(group, key=lambda o: (_size(o), -o.line))
        members = tuple(sorted(group, key=lambda o: (-_size(o), o.line)))
        drafts.append(AreaDraft(t("init_area_rural_name", ort=biggest.name), "traffpunkt", members))
    return drafts


# --- the configuration text ------------------------------------------------------------------------
def _q(value: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]


def _int(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def render_config(kommunkod: str, name: str, lan: str, orter: list[OrtRow], areas: list[AreaDraft],
                  source: str, today: date | None = None) -> str:
    """The TOML text of a complete configuration; every guess carries `assumption = true` and a comment."""
    today = today or date.today()
    out: list[str] = []
    out += _comment(t("init_toml_header", kommun=name, kommunkod=kommunkod, source=source, date=today.isoformat()))
    out += ["", "[kommun]", f"name = {_q(name)}", f"kommunkod = {_q(kommunkod)}", f"lan = {_q(lan)}"]
    out += _comment(t("init_toml_kommun_population"))
    out += ["", *_comment(t("init_toml_areas_heading", distance=_int(CLUSTER_DISTANCE_M)))]
    for a in areas:
        out += ["", "[[areas]]", f"name = {_q(a.name)}", f"kind = {_q(a.kind)}"]
        if a.kind == "centralort":
            o = a.orter[0]
            why = t("init_toml_area_central", ort=o.name,
                    population=_int(o.population) if o.population is not None else t("init_unknown"))
        elif len(a.orter) == 1:
            why = t("init_toml_area_single", ort=a.orter[0].name)
        else:
            why = t("init_toml_area_rural", orter=", ".join(o.name for o in a.orter))
        out += [*_comment(why), "assumption = true"]
        out += _comment(t("init_toml_area_population"))
    out += ["", *_comment(t("init_toml_orter_heading", source=source))]
    area_of = {o.line: a.name for a in areas for o in a.orter}
    for o in sorted(orter, key=lambda o: o.line):
        out += ["", "[[orter]]", f"name = {_q(o.name)}", f"area = {_q(area_of[o.line])}",
                f"lat = {o.lat:.6f}", f"lon = {o.lon:.6f}"]
        if o.population is not None:
            out.append(f"population = {o.population}")
        out += [*_comment(t("init_toml_ort_area", line=o.line)), "assumption = true"]
    out += ["", *_comment(t("init_toml_platser"))]
    out += ["", *_comment(t("init_toml_organisations"))]
    for org_name, kind in ((t("init_org_kommun", kommun=name), "kommun"), (t("init_org_polis"), "polis")):
        out += ["", "[[organisations]]", f"name = {_q(org_name)}", f"kind = {_q(kind)}", "aliases = []",
                "assumption = true"]
    out += _comment(t("init_toml_organisation_example"))
    out += ["", TEMPLATE.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(out)


def build_config_text(kommunkod: str, orter_path: Path, out_path: Path,
                      today: date | None = None) -> tuple[str, KommunConfig, OrterFile, list[AreaDraft]]:
    """Everything `init` writes, checked: the text parses and load_config's rules accept it."""
    name, lan = geo.kommun_info(kommunkod)
    code = str(kommunkod).strip().zfill(4)
    orter_file = read_orter(orter_path, code)
    areas = assign_areas(orter_file.orter)
    text = render_config(code, name, lan, orter_file.orter, areas, Path(orter_path).name, today)
    config = parse_config(tomllib.loads(text), Path(out_path))
    return text, config, orter_file, areas


# --- next steps on an empty store ------------------------------------------------------------------
DATA_SOURCES = ("lagesbild", "survey", "traffpunkt", "police")


@dataclass(frozen=True)
class Step:
    key: str
    text: str
    commands: tuple[str, ...]


def is_empty(counts: dict) -> bool:
    """No rows from any data source yet (area boundaries alone are not data)."""
    return all(not counts.get(source) for source in DATA_SOURCES)


def next_steps(counts: dict) -> list[Step]:
    """What to do next, in order: area boundaries, then each data source not yet imported.

    `counts` is the store's counts (Store.counts: lagesbild, survey, traffpunkt, police, areas …)."""
    steps: list[Step] = []
    if not counts.get("areas"):
        steps.append(Step("areas", t("onb_step_areas"),
                          ("python -m tsk areas build", "python -m tsk import areas GRÄNSER.geojson --name-field NAMN")))
    commands = {
        "lagesbild": "python -m tsk import lagesbild EXPORT.xlsx --mapping MAPPNING.toml",
        "survey": "python -m tsk import survey EXPORT.csv --mapping MAPPNING.toml",
        "traffpunkt": "python -m tsk import traffpunkt EXPORT.xlsx --mapping MAPPNING.toml",
        "police": "python -m tsk import police HÄNDELSER.json",
    }
    for source in DATA_SOURCES:
        if not counts.get(source):
            steps.append(Step(source, t(f"onb_step_{source}"), (commands[source],)))
    return steps


def steps_markdown(steps: list[Step]) -> str:
    """The steps as a numbered Markdown list with the commands as code."""
    lines = []
    for i, step in enumerate(steps, start=1):
        commands = t("onb_or").join(f"`{c}`" for c in step.commands)
        lines.append(f"{i}. {step.text} {commands}")
    return "\n".join(lines)

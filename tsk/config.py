"""Settings and the kommun configuration (tsk.toml), read at call time.

Two kinds of settings:
- `SETTINGS`: process settings (paths), each with a default and a help text, overridable by an
  environment variable. They are documented data, so the README can list them and a test can
  check that every one is documented.
- `KommunConfig`: everything a second municipality would change, read from a TOML file.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tsk.arshjul_config import ArshjulItem, parse_arshjul
from tsk.errors import TskError
from tsk.parsing import set_year_window
from tsk.registers.statuses import MEASURE_STATUSES

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS = {
    s.name: s
    for s in (
        Setting("db", "TSK_DB", "data/tsk.duckdb", "DuckDB-databasens sökväg (relativ till projektroten)."),
        Setting("config", "TSK_CONFIG", "tsk.toml", "Kommunens konfigurationsfil."),
        Setting("demo_dir", "TSK_DEMO_DIR", "data/demo", "Katalog med demofilerna som `demo` läser in."),
        Setting("mappings_dir", "TSK_MAPPINGS_DIR", "data/mappings", "Katalog med mappningsfiler."),
        Setting("backup_dir", "TSK_BACKUP_DIR", "", "Katalog för säkerhetskopior (tomt: backup/ bredvid databasen)."),
        Setting("backup_keep", "TSK_BACKUP_KEEP", "10", "Antal automatiska säkerhetskopior som sparas."),
        Setting("backup_max_mb", "TSK_BACKUP_MAX_MB", "0", "Största totala storlek (MB) för automatiska säkerhetskopior (0: ingen gräns)."),
    )
}


def setting_path(name: str) -> Path:
    """Resolve a path setting: environment variable first, then the default, relative to ROOT."""
    s = SETTINGS[name]
    p = Path(os.environ.get(s.env) or s.default)
    return p if p.is_absolute() else ROOT / p


def setting_value(name: str) -> str:
    """A setting's raw value: environment variable first, then the default."""
    s = SETTINGS[name]
    return (os.environ.get(s.env) or s.default).strip()


def setting_int(name: str) -> int:
    """An integer setting; a value that is not a whole number >= 0 is a clear error, never a guess."""
    value = setting_value(name)
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise TskError("setting_not_count", env=SETTINGS[name].env, value=value)
    return n


def db_path(override: str | os.PathLike | None = None) -> Path:
    return Path(override) if override else setting_path("db")


@dataclass(frozen=True)
class Area:
    name: str
    kind: str  # "traffpunkt" | "centralort"
    population: int | None
    assumption: bool


@dataclass(frozen=True)
class Ort:
    name: str
    area: str
    lat: float
    lon: float
    population: int | None = None
    approximate: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plats:
    name: str
    ort: str
    lat: float
    lon: float
    approximate: bool = False
    demo: bool = False
    aliases: tuple[str, ...] = ()
    physical: tuple[str, ...] = ()


@dataclass(frozen=True)
class Organisation:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportingUnit:
    """A reporting unit (Fritidsgården, Kommunpolis …: never a person) and its organisation."""

    name: str
    organisation: str
    aliases: tuple[str, ...] = ()
    email: str | None = None  # the unit's shared mailbox, for the samordnare's weekly reminder
    # Who may write the unit's Veckorapport in the app: signed-in e-mail addresses and provider groups.
    reporters: tuple[str, ...] = ()
    reporter_groups: tuple[str, ...] = ()

    def has_reporter(self, email: str | None, groups) -> bool:
        """Whether the signed-in user (e-mail, provider groups) reports for this unit."""
        mine = {r.casefold() for r in self.reporters}
        return bool((email and email.casefold() in mine) or set(groups) & set(self.reporter_groups))


@dataclass(frozen=True)
class VeckorapportConfig:
    """[veckorapport]: the weekly report written in the app."""

    # A week's reports can be written and changed until this many days after its Sunday; then it is
    # closed (the analysgrupp reads a week that no longer moves).
    close_after_days: int = 7
    # The reporter's own list shows this many weeks back.
    list_weeks: int = 8
    # The longest comment kept (characters): a comment is about a place, a few sentences.
    max_comment_chars: int = 2000


# An address as a mail program takes it: something@domain.tld, no spaces, no second @.
EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    physical: bool = False
    problem: bool = True


@dataclass(frozen=True)
class Scale:
    key: str
    labels: tuple[str, ...]
    description: str = ""
    otrygg: tuple[int, ...] = ()


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    kind: str  # "trygghet" | "problem" | "forandring" | "text"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    physical: bool


@dataclass(frozen=True)
class VandringConfig:
    """Trygghetsvandring: candidate scoring settings and the walk register's vocabularies."""

    recent_weeks: int = 8
    baseline_weeks: int = 52
    recurrence_weeks: int = 12
    alpha: float = 0.05
    centralort_interval_months: int = 12
    max_participants: int = 20
    min_reports_for_effect: int = 10
    min_reports_for_trend: int = 10  # under it a candidate's trend is marked «osäkert: få rapporter»
    weights: dict = field(default_factory=dict)
    caps: dict = field(default_factory=dict)
    roles: dict = field(default_factory=dict)
    checklist: tuple[ChecklistItem, ...] = ()
    owners: tuple[str, ...] = ()
    decision_paths: tuple[str, ...] = ("KLG", "KS")
    statuses: tuple[str, ...] = MEASURE_STATUSES  # tsk.registers.statuses, the one vocabulary


def parse_vandring(v: dict) -> VandringConfig:
    measures = v.get("measures", {})
    scalars = {k: v[k] for k in ("recent_weeks", "baseline_weeks", "recurrence_weeks", "alpha",
                                 "centralort_interval_months", "max_participants", "min_reports_for_effect",
                                 "min_reports_for_trend") if k in v}
    return VandringConfig(
        **scalars,
        weights=dict(v.get("weights", {})),
        caps=dict(v.get("caps", {})),
        roles=dict(v.get("roles", {})),
        checklist=tuple(ChecklistItem(c["key"], c["label"], bool(c.get("physical", True)))
                        for c in v.get("checklist", [])),
        owners=tuple(measures.get("owners", ())),
        decision_paths=tuple(measures.get("decision_paths", ("KLG", "KS"))),
        statuses=tuple(measures.get("statuses", VandringConfig.statuses)),
    )


DEFAULT_HEADLINE_ITEM = "trygg_kvall"


@dataclass(frozen=True)
class Windows:
    """[windows]: the week counts and thresholds the pages and their texts use (each text is given the
    number, so a kommun that changes one sees it said everywhere)."""
    # Översikt: the key figures, the map's «rapporter» and «förändring», counted over the last N weeks.
    overview_weeks: int = 12
    # «Sedan förra mötet»: the weeks the recent ones are compared against.
    since_baseline_weeks: int = 12
    # Översikt key figure: reporters silent (no report, no «inget att rapportera») this many weeks in a row.
    silent_weeks: int = 4
    # Lägesbild: a warning per reporter silent this many weeks in a row.
    silent_warning_weeks: int = 2
    # Lägesbild: the weeks in the area × week table and in the reporting coverage chart.
    heat_weeks: int = 16
    coverage_weeks: int = 26
    # «Sedan förra mötet»: the weeks since the last meeting, kept between these; the default without one.
    since_min_weeks: int = 2
    since_max_weeks: int = 8
    since_default_weeks: int = 4
    # Effekt av åtgärder: the weeks before and after a completed measure compared, at most; fewer weeks
    # since it than the minimum: «för kort tid».
    effect_max_weeks: int = 26
    effect_min_weeks: int = 4
    # Analysgrupp's samlad lägesbild: fewer reports than this in both periods together: «för få».
    min_reports_for_verdict: int = 5
    # Analysgrupp's Återkoppling to reporting units: the weeks a period can be chosen from.
    feedback_weeks: int = 26
    # Lägesbild's map: the shorter periods it offers inside the sidebar's window (beside the whole window).
    map_short_weeks: int = 4
    map_long_weeks: int = 12


def _windows(data: dict, path: Path) -> Windows:
    """[windows], each a whole number (of weeks, or of reports) of at least 1; a missing one keeps its
    default. The «since» bounds must hold their default between them."""
    given = data.get("windows", {})
    values = {}
    for name in Windows.__dataclass_fields__:
        if name in given:
            value = given[name]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise TskError("config_bad_weeks", path=path, field=f"[windows] {name}", value=value)
            values[name] = value
    windows = Windows(**values)
    if not windows.since_min_weeks <= windows.since_default_weeks <= windows.since_max_weeks:
        raise TskError("config_since_bounds", path=path, default=windows.since_default_weeks,
                       low=windows.since_min_weeks, high=windows.since_max_weeks)
    return windows


@dataclass(frozen=True)
class KommunConfig:
    path: Path
    name: str
    kommunkod: str
    lan: str
    population: int | None
    suppression_min: int
    small_sample: int
    areas: tuple[Area, ...]
    orter: tuple[Ort, ...]
    platser: tuple[Plats, ...]
    abbreviations: dict[str, str]
    organisations: tuple[Organisation, ...]
    grades: dict[int, str]
    categories: tuple[Category, ...]
    police_type_map: dict[str, str]
    scales: dict[str, Scale]
    survey_items: tuple[Item, ...]
    traffpunkt_items: tuple[Item, ...]
    vandring: VandringConfig = field(default_factory=VandringConfig)
    # The policy's goals (mål) by key ("trygg", "demokrati", "prioritera"): [policy] goals. A missing key
    # falls back to a neutral text in tsk.i18n.
    goals: dict[str, str] = field(default_factory=dict)
    # Who reads the full yearly report besides the analysgrupp ("KLG", "KS"): [policy] report_recipients.
    report_recipients: tuple[str, ...] = ()
    # The month the yearly survey is run ("november"), or "" when not fixed: [survey] month.
    survey_month: str = ""
    # The survey item the headline share is of (Översikt's map, the meeting, the candidates, the report,
    # the survey page's first choice): [survey] headline_item, a key of [[survey.items]].
    headline_item: str = DEFAULT_HEADLINE_ITEM
    # [survey] large_change_pp: a change of at least this many percentage points that is not significant
    # is said with the answers per year it would need (tsk.pagedata.survey.precision_verdict).
    large_change_pp: int = 10
    windows: Windows = field(default_factory=Windows)
    raw: dict = field(repr=False, default_factory=dict)
    # [[reporting_units]]: when given, a lägesbild reporter must be one of them (else review).
    reporting_units: tuple[ReportingUnit, ...] = ()
    # [import]: the plausible years of a date or week in an imported file (first_year up to this year
    # plus years_ahead); a row outside is quarantined with the reason.
    first_year: int = 2000
    years_ahead: int = 1
    veckorapport: VeckorapportConfig = field(default_factory=VeckorapportConfig)
    # The TSK årshjul: the routine's recurring items with month and role ([[arshjul]], parse_arshjul).
    arshjul: tuple[ArshjulItem, ...] = ()
    # [map]: the base map under the data (none by default: nothing is loaded from outside).
    map: MapConfig = field(default_factory=lambda: MapConfig())

    def area(self, name: str) -> Area:
        return next(a for a in self.areas if a.name == name)

    def category(self, key: str) -> Category:
        return next(c for c in self.categories if c.key == key)

    def item(self, key: str) -> Item | None:
        return next((i for i in self.survey_items + self.traffpunkt_items if i.key == key), None)


def _tuple(d: dict, key: str) -> tuple:
    return tuple(d.get(key, ()))


def _headline_item(data: dict, path: Path) -> str:
    """[survey] headline_item; when left out, the usual key. A key given that no survey item has is an
    error: the headline share would silently be empty."""
    survey = data.get("survey", {})
    key = str(survey.get("headline_item", DEFAULT_HEADLINE_ITEM))
    keys = [str(i.get("key")) for i in survey.get("items", [])]
    if "headline_item" in survey and key not in keys:
        raise TskError("config_unknown_headline_item", path=path, key=key, keys=", ".join(keys) or "–")
    return key


def parse_config(data: dict, path: Path) -> KommunConfig:
    """Build a KommunConfig from parsed TOML; raise TskError naming what is wrong."""
    try:
        k = data["kommun"]
        privacy = data.get("privacy", {})
        areas = tuple(
            Area(a["name"], a.get("kind", "traffpunkt"), a.get("population"), bool(a.get("assumption", False)))
            for a in data["areas"]
        )
        area_names = {a.name for a in areas}
        orter = tuple(
            Ort(o["name"], o["area"], float(o["lat"]), float(o["lon"]), o.get("population"),
                bool(o.get("approximate", False)), _tuple(o, "aliases"))
            for o in data["orter"]
        )
        for o in orter:
            if o.area not in area_names:
                raise TskError("config_unknown_area", path=path, ort=o.name, area=o.area)
        ort_names = {o.name for o in orter}
        platser = tuple(
            Plats(p["name"], p["ort"], float(p["lat"]), float(p["lon"]), bool(p.get("approximate", False)),
                  bool(p.get("demo", False)), _tuple(p, "aliases"), _tuple(p, "physical"))
            for p in data.get("platser", [])
        )
        for p in platser:
            if p.ort not in ort_names:
                raise TskError("config_unknown_ort", path=path, plats=p.name, ort=p.ort)
        est = data["est"]
        categories = tuple(
            Category(c["key"], c["label"], _tuple(c, "aliases"), bool(c.get("physical", False)),
                     bool(c.get("problem", True)))
            for c in est["categories"]
        )
        scales = {
            key: Scale(key, tuple(s["labels"]), s.get("description", ""), tuple(s.get("otrygg", ())))
            for key, s in data.get("survey", {}).get("scales", {}).items()
        }
        def items(section):
            return tuple(Item(i["key"], i["label"], i.get("kind", "trygghet")) for i in section.get("items", []))
        organisation_names = {o["name"] for o in data.get("organisations", [])}
        units = _reporting_units(data, path, organisation_names)
        _check_dialog(data, path)
        return KommunConfig(
            reporting_units=units,
            path=path,
            name=k["name"],
            kommunkod=str(k["kommunkod"]),
            lan=k.get("lan", ""),
            population=k.get("population"),
            suppression_min=int(privacy.get("suppression_min", 5)),
            small_sample=int(privacy.get("small_sample", 30)),
            areas=areas,
            orter=orter,
            platser=platser,
            abbreviations=dict(data.get("gazetteer", {}).get("abbreviations", {})),
            organisations=tuple(
                Organisation(o["name"], o["kind"], _tuple(o, "aliases")) for o in data.get("organisations", [])
            ),
            grades={int(g): label for g, label in est["grades"].items()},
            categories=categories,
            police_type_map=dict(data.get("police", {}).get("type_map", {})),
            scales=scales,
            survey_items=items(data.get("survey", {})),
            traffpunkt_items=items(data.get("traffpunkt", {})),
            vandring=parse_vandring(data.get("vandring", {})),
            goals={str(k): str(v) for k, v in data.get("policy", {}).get("goals", {}).items()},
            report_recipients=tuple(str(r) for r in data.get("policy", {}).get("report_recipients", ())),
            survey_month=str(data.get("survey", {}).get("month", "")),
            headline_item=_headline_item(data, path),
            large_change_pp=_large_change(data.get("survey", {}), path),
            windows=_windows(data, path),
            raw=data,
            first_year=int(data.get("import", {}).get("first_year", 2000)),
            years_ahead=int(data.get("import", {}).get("years_ahead", 1)),
            veckorapport=_veckorapport(data.get("veckorapport", {}), path),
            arshjul=parse_arshjul(data.get("arshjul", []), path, areas),
            map=parse_map(data.get("map", {}), path),
        )
    except KeyError as e:
        raise TskError("config_missing_key", path=path, key=e.args[0]) from None


def _reporting_units(data: dict, path: Path, organisation_names: set[str]) -> tuple[ReportingUnit, ...]:
    """[[reporting_units]]: each unit once, of a configured organisation, with well-formed addresses."""
    units = tuple(ReportingUnit(u["name"], u["organisation"], _tuple(u, "aliases"), u.get("email"),
                                _tuple(u, "reporters"), _tuple(u, "reporter_groups"))
                  for u in data.get("reporting_units", []))
    unit_names = [u.name for u in units]
    twice = sorted({n for n in unit_names if unit_names.count(n) > 1})
    if twice:
        raise TskError("config_unit_twice", path=path, unit=twice[0])
    for u in units:
        if u.organisation not in organisation_names:
            raise TskError("config_unit_unknown_organisation", path=path, unit=u.name, organisation=u.organisation)
        for email in ((u.email,) if u.email is not None else ()) + u.reporters:
            if not (isinstance(email, str) and EMAIL.fullmatch(email)):
                raise TskError("config_unit_bad_email", path=path, unit=u.name, email=email)
    return units


def _large_change(section: dict, path: Path) -> int:
    value = section.get("large_change_pp", 10)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise TskError("config_bad_number", path=path, key="[survey] large_change_pp", low=1, value=value)
    return value


def _check_dialog(data: dict, path: Path) -> None:
    """[traffpunkt.dialog] and [samhallskris], read by tsk.registers.dialog.settings: refused here, at load,
    with a Swedish message, so a bad value never reaches a form as a Python error."""
    sections = (("traffpunkt.dialog", data.get("traffpunkt", {}).get("dialog", {})),
                ("samhallskris", data.get("samhallskris", {})))
    for name, section in sections:
        value = section.get("max_participants", 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise TskError("config_bad_number", path=path, key=f"[{name}] max_participants", low=1, value=value)
    kris = data.get("samhallskris", {})
    kinds = kris.get("participant_kinds", {"_": "_"})
    if not isinstance(kinds, dict) or not kinds or not all(
            isinstance(v, str) and v.strip() for v in kinds.values()):
        raise TskError("config_bad_kinds", path=path, key="[samhallskris.participant_kinds]")
    if not isinstance(kris.get("handlingsplan", ""), str):
        raise TskError("config_bad_text", path=path, key="[samhallskris] handlingsplan")


def _veckorapport(section: dict, path: Path) -> VeckorapportConfig:
    values = {}
    for key in ("close_after_days", "list_weeks", "max_comment_chars"):
        if key in section:
            value = section[key]
            low = 0 if key == "close_after_days" else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise TskError("config_bad_number", path=path, key=f"[veckorapport] {key}", low=low, value=value)
            values[key] = value
    return VeckorapportConfig(**values)


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> KommunConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise TskError("config_unreadable", path=path, detail=str(e)) from None
    return parse_config(data, path)


def load_config(path: str | os.PathLike | None = None) -> KommunConfig:
    """The kommun configuration; re-read when the file changes."""
    p = Path(path) if path else setting_path("config")
    try:
        mtime = p.stat().st_mtime
    except OSError as e:
        raise TskError("config_unreadable", path=p, detail=str(e)) from None
    cfg = _load(p, mtime)

    set_year_window(cfg.first_year, cfg.years_ahead)
    return cfg


# --- [map]: the base map ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MapConfig:
    """[map]: a tile layer under the data, loaded by the browser itself. `url` is a Leaflet template with
    {z} {x} {y} (and {s} with `subdomains`); a WMTS REST template ({TileMatrix} {TileRow} {TileCol}, tile
    matrix set EPSG:3857) is translated to one. None (the default): no tiles, nothing from outside."""

    url: str | None = None
    attribution: str = ""
    max_zoom: int = 18
    subdomains: tuple[str, ...] = ()
    attribution_url: str | None = None  # where the attribution links to (the licence or copyright page)
    # The kommun's own open data drawn in the context layer (water as blue fills, roads as grey lines):
    # GeoJSON/GeoPackage/zipped Shapefile, any CRS, paths relative to the config file.
    context_files: tuple[str, ...] = ()
    # Lägesbild's hot-spot layer: the width of a hexagon (side to side) in metres. 2 km: the map shows the
    # whole kommun, where a 500 m hexagon is a few pixels, hidden under its place's circle.
    hotspot_cell_m: int = 2000

    @property
    def tiles(self) -> bool:
        return self.url is not None


MAP_KEYS = ("url", "attribution", "max_zoom", "subdomains", "attribution_url", "context_files", "hotspot_cell_m")
_WMTS = {"{TileMatrix}": "{z}", "{TileRow}": "{y}", "{TileCol}": "{x}"}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def parse_map(section, path: Path) -> MapConfig:
    """[map] validated: an http(s) tile URL with its placeholders, the attribution the tiles' licence asks
    for, max_zoom 1–22, optional subdomains. Each problem is a Swedish error naming the key."""
    if not isinstance(section, dict):
        raise TskError("basemap_config_not_table", path=path, value=section)
    unknown = sorted(set(section) - set(MAP_KEYS))
    if unknown:
        raise TskError("basemap_config_unknown_key", path=path, key=unknown[0], known=", ".join(MAP_KEYS))
    context_files = _context_files(section.get("context_files", []), path)
    cell = _hotspot_cell_m(section.get("hotspot_cell_m", MapConfig.hotspot_cell_m), path)
    if "url" not in section:
        return MapConfig(context_files=context_files, hotspot_cell_m=cell)
    url = section["url"]
    if not isinstance(url, str) or not re.fullmatch(r"https?://(?:[A-Za-z0-9.:-]|\{s\})+(?:/\S*)?", url.strip()):
        raise TskError("basemap_config_bad_url", path=path, value=url)
    url = url.strip()
    if all(w in url for w in _WMTS):
        for wmts, leaflet in _WMTS.items():
            url = url.replace(wmts, leaflet)
    if not all(p in url for p in ("{z}", "{x}", "{y}")):
        raise TskError("basemap_config_no_placeholders", path=path, value=url)
    other = [p for p in _PLACEHOLDER.findall(url) if p not in ("{z}", "{x}", "{y}", "{s}", "{r}")]
    if other:
        raise TskError("basemap_config_unknown_placeholder", path=path, placeholder=other[0])
    attribution = section.get("attribution")
    if not isinstance(attribution, str) or not attribution.strip():
        raise TskError("basemap_config_no_attribution", path=path)
    max_zoom = section.get("max_zoom", MapConfig.max_zoom)
    if isinstance(max_zoom, bool) or not isinstance(max_zoom, int) or not 1 <= max_zoom <= 22:
        raise TskError("basemap_config_bad_zoom", path=path, value=max_zoom)
    subdomains = section.get("subdomains", [])
    if isinstance(subdomains, str):
        subdomains = list(subdomains)  # Leaflet's own shorthand: "abc"
    if not (isinstance(subdomains, list)
            and all(isinstance(d, str) and re.fullmatch(r"[A-Za-z0-9-]{1,20}", d) for d in subdomains)):
        raise TskError("basemap_config_bad_subdomains", path=path, value=section.get("subdomains"))
    if bool(subdomains) != ("{s}" in url):
        raise TskError("basemap_config_subdomains_unused", path=path)
    link = section.get("attribution_url")
    if link is not None and not (isinstance(link, str) and re.fullmatch(r"https?://[A-Za-z0-9.:-]+(?:/\S*)?", link)):
        raise TskError("basemap_config_bad_attribution_url", path=path, value=link)
    return MapConfig(url=url, attribution=attribution.strip(), max_zoom=max_zoom, subdomains=tuple(subdomains),
                     attribution_url=link, context_files=context_files, hotspot_cell_m=cell)


def _context_files(files, path: Path) -> tuple[str, ...]:
    """[map] context_files: a list of files that exist, relative to the config file's folder."""
    if not isinstance(files, list) or not all(isinstance(f, str) and f.strip() for f in files):
        raise TskError("basemap_config_bad_context_files", path=path, value=files)
    resolved = []
    for f in files:
        p = Path(f.strip()).expanduser()
        p = p if p.is_absolute() else Path(path).parent / p
        if not p.is_file():
            raise TskError("basemap_config_context_file_missing", path=path, file=p)
        resolved.append(str(p))
    return tuple(resolved)


def _hotspot_cell_m(value, path: Path) -> int:
    """[map] hotspot_cell_m: a whole number of metres, 50–20 000."""
    if isinstance(value, bool) or not isinstance(value, int) or not 50 <= value <= 20_000:
        raise TskError("events_config_bad_cell", path=path, value=value)
    return value

"""The column-at-a-time survey and Träffpunkt importers give exactly what the row loop they replaced gave.

The row loop is kept here as it was (tsk/importers/survey.py and traffpunkt.py, `forms.ScaleReader`
and `Gazetteer.mentioned_ort/mentioned_place` before the column-at-a-time rewrite), and both parse
the same files: the survey and Träffpunkt files of tests/files, tests/hostile and the demo, the files of
the importer tests, and generated files with planted problems (bad timestamps, unknown labels, blank
rows, personal data and place names in free text, duplicate rows, lines that do not fit the header, odd
CSV quoting) in UTF-8 CSV (the fast pyarrow reader), Windows-1252 CSV and XLSX (the general reader).
Same tables (values, order and dtypes), same quarantine rows (row numbers, reasons, suggestions,
originals), same notes, or the same rejection.
"""
from __future__ import annotations

import dataclasses
import random
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from tsk.config import ROOT, KommunConfig, load_config
from tsk.errors import FileRejected, RowProblem
from tsk.gazetteer import Gazetteer
from tsk.importers import reading, survey, traffpunkt
from tsk.importers.base import Batch, ImportContext, bad_row, load_mapping, quarantined
from tsk.importers.forms import (
    choose_mapping,
    headers_text,
    read_columns_for,
    read_for,
    resolve_columns,
    source_label,
)
from tsk.importers.reading import Table
from tsk.parsing import parse_timestamp
from tsk.text import normalise_header, normalise_name, redact

TESTS = Path(__file__).parent
DEMO = ROOT / "data" / "demo"
MAPPINGS = ROOT / "data" / "mappings"


# --- the row loop as it was ------------------------------------------------------------------------------

@dataclass
class OldScaleReader:
    config: KommunConfig
    mapping: dict
    mapping_name: str

    def __post_init__(self):
        self.missing = {normalise_name(x) for x in self.mapping.get("missing", {}).get("labels", [])} | {""}
        self.labels: dict[str, dict[str, int]] = {}
        for key, scale in self.config.scales.items():
            table = {normalise_name(label): i + 1 for i, label in enumerate(scale.labels)}
            for label, value in self.mapping.get("labels", {}).get(key, {}).items():
                table[normalise_name(label)] = int(value)
            self.labels[key] = table

    def validate(self, allowed_items: set[str]) -> list[dict]:
        items = self.mapping.get("items", [])
        if not items:
            raise FileRejected("mapping_bad", path=self.mapping_name, detail="inga [[items]]")
        for item in items:
            if item.get("key") not in allowed_items:
                raise FileRejected("mapping_unknown_item", path=self.mapping_name, item=item.get("key"))
            if item.get("type", "scale") not in ("text", "number") and item.get("scale") not in self.config.scales:
                raise FileRejected("mapping_unknown_scale", path=self.mapping_name, scale=item.get("scale"),
                                   item=item["key"])
        return items

    def number(self, item: dict, cell: str, question: str):
        """The shared rule for one numeric cell (tsk.importers.forms); what is compared is its use."""
        from tsk.importers.forms import ScaleReader

        return ScaleReader(self.config, self.mapping, self.mapping_name).number(item, cell, question)

    def value(self, item: dict, cell: str, question: str) -> tuple[int, str] | None:
        key = normalise_name(cell)
        if key in self.missing:
            return None
        scale = item["scale"]
        value = self.labels[scale].get(key)
        if value is None:
            if key.isdigit() and 1 <= int(key) <= len(self.config.scales[scale].labels):
                value = int(key)
            else:
                allowed = ", ".join(self.config.scales[scale].labels)
                raise RowProblem("unknown_label", value=cell, question=question.strip(), allowed=allowed)
        return value, self.config.scales[scale].labels[value - 1]


def old_row_original(table: Table, i: int, mapping: dict | None = None) -> dict:
    personal = {normalise_header(h) for h in (mapping or {}).get("personal_columns", [])}
    return {c: str(v) for c, v in table.frame.iloc[i].items() if normalise_header(c) not in personal}


def old_mentioned_ort(gaz: Gazetteer, text: str) -> str | None:
    norm = f" {normalise_name(text or '', gaz.config.abbreviations)} "
    kommun = normalise_name(gaz.config.name)
    norm = norm.replace(f" {kommun} kommun ", " ").replace(f" {kommun}s kommun ", " ")
    for key, canonical in sorted(gaz.orter.by_key.items(), key=lambda kv: -len(kv[0])):
        if f" {key} " in norm:
            return canonical
    return None


def old_mentioned_place(gaz: Gazetteer, text: str) -> tuple[str | None, str | None]:
    norm = f" {normalise_name(text or '', gaz.config.abbreviations)} "
    named_ort = old_mentioned_ort(gaz, text)
    for key, homes in sorted(gaz.place_homes.items(), key=lambda kv: -len(kv[0])):
        if len(key) >= 4 and f" {key} " in norm:
            options = sorted(h.rsplit(", ", 1) for h in homes)
            plats, ort = next(((p, o) for p, o in options if o == named_ort), options[0])
            return ort, plats
    return None, None


@dataclass
class Respondent:
    row_number: int
    respondent_id: str
    submitted_at: datetime | None
    year: int
    fields: dict[str, str]
    answers: list[tuple[str, str, int, str]]
    texts: list[tuple[str, str]]
    numbers: list[tuple[str, float]] = dataclasses.field(default_factory=list)


def old_read_respondents(source, path, ctx, allowed_items, required, period_key):
    table = read_for(source, path)
    mapping, mapping_name = choose_mapping(source, table, ctx.mapping, ctx.mapping_name)
    reader = OldScaleReader(ctx.config, mapping, mapping_name)
    items = reader.validate(allowed_items)
    fixed_period = mapping.get(period_key)
    cols = resolve_columns(source, table, mapping, required + ([] if fixed_period else ["timestamp"]))
    item_cols = [(item, table.column(item["column"])) for item in items]
    if not any(col for _, col in item_cols):
        raise FileRejected("file_wrong_columns", source=source_label(source),
                           missing=", ".join(f"«{i['column']}»" for i in items), found=headers_text(table))
    frame = table.frame
    respondents, quarantine = [], [bad_row(n, orig, reason) for n, orig, reason in table.bad_rows]
    for i, row_number in enumerate(table.row_numbers):
        cell = lambda field, i=i: str(frame.iat[i, frame.columns.get_loc(cols[field])]).strip() if field in cols else ""  # noqa: E731
        try:
            submitted = None
            if cell("timestamp"):
                try:
                    submitted = parse_timestamp(cell("timestamp"))
                except ValueError as e:
                    raise RowProblem("bad_timestamp", detail=str(e)) from None
            elif not fixed_period:
                raise RowProblem("missing_value", field=mapping["columns"].get("timestamp", "timestamp"))
            year = int(str(fixed_period)[:4]) if fixed_period else submitted.year
            answers, texts, numbers = [], [], []
            for item, col in item_cols:
                if col is None:
                    continue
                value = str(frame.iat[i, frame.columns.get_loc(col)]).strip()
                if item.get("type") == "text":
                    if value:
                        texts.append((item["key"], redact(value)))
                    continue
                if item.get("type") == "number":
                    number = reader.number(item, value, item["column"]) if value else None
                    if number is not None:
                        numbers.append((item["key"], number))
                    continue
                got = reader.value(item, value, item["column"])
                if got is not None:
                    answers.append((item["key"], item["scale"], got[0], got[1]))
            rid = cell("id") or cell("respondent_id") or str(row_number)
            respondents.append(Respondent(row_number, f"{ctx.file_name}#{rid}", submitted, year,
                                          {f: cell(f) for f in cols}, answers, texts, numbers))
        except RowProblem as problem:
            quarantine.append(quarantined(row_number, old_row_original(table, i, mapping), problem))
    return respondents, quarantine, mapping, mapping_name, table


def old_survey_parse(path: Path, ctx: ImportContext) -> Batch:
    allowed = {i.key for i in ctx.config.survey_items}
    respondents, quarantine, mapping, mapping_name, table = old_read_respondents(
        "survey", path, ctx, allowed, required=[], period_key="year"
    )
    people, answers, texts, numbers = [], [], [], []
    kept = []
    for r in respondents:
        try:
            where_text = r.fields.get("ort") or r.fields.get("area") or ""
            where = ctx.gazetteer.resolve(ort=where_text) if where_text else None
        except RowProblem as problem:
            quarantine.append(quarantined(r.row_number, old_row_original(
                table, table.row_numbers.index(r.row_number), mapping), problem))
            continue
        kept.append(r)
        people.append((r.year, r.respondent_id, r.submitted_at, where.area if where else None,
                       where.ort if where else None, r.fields.get("age_group") or None, r.fields.get("gender") or None))
        answers += [(r.year, r.respondent_id, *a) for a in r.answers]
        numbers += [(r.year, r.respondent_id, *n) for n in r.numbers]
        for item, text in r.texts:
            ort, plats = old_mentioned_place(ctx.gazetteer, text)
            texts.append((r.year, r.respondent_id, item, text, ort, plats))
    return Batch(
        tables={
            "survey_respondents": pd.DataFrame(people, columns=["year", "respondent_id", "submitted_at", "area", "ort",
                                                                "age_group", "gender"]),
            "survey_answers": pd.DataFrame(answers, columns=["year", "respondent_id", "item", "scale", "value", "label"]),
            "survey_texts": pd.DataFrame(texts, columns=["year", "respondent_id", "item", "text", "ort", "place"]),
            "survey_numbers": pd.DataFrame(numbers, columns=["year", "respondent_id", "item", "value"]),
        },
        accepted=len(people),
        quarantine=sorted(quarantine, key=lambda q: q.row_number),
        mapping_name=mapping_name,
        notes=[f"år: {', '.join(str(y) for y in sorted({r.year for r in kept}))}"] if kept else [],
    )


def old_traffpunkt_parse(path: Path, ctx: ImportContext) -> Batch:
    allowed = {i.key for i in ctx.config.traffpunkt_items}
    respondents, quarantine, mapping, mapping_name, table = old_read_respondents(
        "traffpunkt", path, ctx, allowed, required=["area"], period_key="round"
    )
    kinds = {a.name: a.kind for a in ctx.config.areas}
    people, answers, texts = [], [], []
    for r in respondents:
        round_ = str(mapping.get("round") or r.year)
        try:
            if not r.fields.get("area"):
                raise RowProblem("missing_area")
            where = ctx.gazetteer.resolve(ort=r.fields["area"])
            if kinds[where.area] != "traffpunkt":
                raise RowProblem("traffpunkt_centralort", area=where.area)
        except RowProblem as problem:
            quarantine.append(quarantined(r.row_number, old_row_original(
                table, table.row_numbers.index(r.row_number), mapping), problem))
            continue
        people.append((round_, r.year, r.respondent_id, r.submitted_at, where.area, where.ort,
                       r.fields.get("respondent_kind") or None))
        answers += [(round_, r.respondent_id, *a) for a in r.answers]
        texts += [(round_, r.respondent_id, item, text) for item, text in r.texts]
    return Batch(
        tables={
            "traffpunkt_respondents": pd.DataFrame(
                people, columns=["round", "year", "respondent_id", "submitted_at", "area", "ort", "respondent_kind"]),
            "traffpunkt_answers": pd.DataFrame(
                answers, columns=["round", "respondent_id", "item", "scale", "value", "label"]),
            "traffpunkt_texts": pd.DataFrame(texts, columns=["round", "respondent_id", "item", "text"]),
        },
        accepted=len(people),
        quarantine=sorted(quarantine, key=lambda q: q.row_number),
        mapping_name=mapping_name,
    )


OLD = {"survey": old_survey_parse, "traffpunkt": old_traffpunkt_parse}
NEW = {"survey": survey.parse, "traffpunkt": traffpunkt.parse}


# --- comparing ------------------------------------------------------------------------------------------

_GAZETTEERS: dict[int, Gazetteer] = {}


def context(config: KommunConfig, path: Path, mapping: dict | Path | None = None,
            mapping_name: str | None = None) -> ImportContext:
    if isinstance(mapping, Path):
        mapping, mapping_name = load_mapping(mapping), mapping.name
    gaz = _GAZETTEERS.setdefault(id(config), Gazetteer(config))
    return ImportContext(config=config, gazetteer=gaz, file_name=Path(path).name, mapping=mapping,
                         mapping_name=mapping_name or ("mapping" if mapping else None))


def run(fn, path: Path, ctx: ImportContext):
    try:
        return "ok", fn(path, ctx)
    except FileRejected as e:
        return "rejected", e.key, e.params
    except Exception as e:  # noqa: BLE001 - a crash must be the same crash
        return "error", type(e).__name__, str(e)


def assert_same(source: str, path: Path, config: KommunConfig, mapping: dict | Path | None = None,
                mapping_name: str | None = None) -> Batch | tuple:
    """Old and new parse of `path` agree; returns the batch (or the rejection/error)."""
    old = run(OLD[source], path, context(config, path, mapping, mapping_name))
    new = run(NEW[source], path, context(config, path, mapping, mapping_name))
    if old[0] != "ok":
        assert new == old
        return old
    assert new[0] == "ok", new
    a, b = old[1], new[1]
    assert list(b.tables) == list(a.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(b.tables[name], a.tables[name], check_exact=True, obj=name)
    assert b.accepted == a.accepted
    assert [dataclasses.astuple(q) for q in b.quarantine] == [dataclasses.astuple(q) for q in a.quarantine]
    assert b.notes == a.notes
    assert b.skipped == a.skipped
    assert b.mapping_name == a.mapping_name
    assert b.area_geometries is None and a.area_geometries is None
    return b


# --- files of the tests and the demo ----------------------------------------------------------------------

TEST_FILES = sorted(p for d in (TESTS / "files", TESTS / "hostile") for p in d.iterdir() if p.is_file())


@pytest.mark.parametrize("source", ["survey", "traffpunkt"])
@pytest.mark.parametrize("path", TEST_FILES, ids=[p.name for p in TEST_FILES])
def test_every_test_file_parses_or_is_rejected_as_before(config, source, path):
    assert_same(source, path, config)


def _demo_files():
    manifest = tomllib.loads((DEMO / "manifest.toml").read_text(encoding="utf-8"))["files"]
    return [(e["source"], e["file"], e.get("mapping")) for e in manifest if e["source"] in ("survey", "traffpunkt")]


@pytest.mark.parametrize("source,name,mapping", _demo_files(), ids=[f for _, f, _ in _demo_files()])
def test_the_demo_files_give_the_same_batches(config, source, name, mapping):
    got = assert_same(source, DEMO / name, config, ROOT / mapping if mapping else None)
    assert isinstance(got, Batch) and got.accepted > 0
    assert_same(source, DEMO / name, config)  # the mapping recognised from the headers


from tests.test_importers import GOOGLE_FORMS  # noqa: E402  (the importer tests' own file)


def test_the_importer_tests_google_forms_file(config, tmp_path):
    path = tmp_path / "enkat.csv"
    path.write_text(GOOGLE_FORMS, encoding="utf-8")
    assert read_columns_for("survey", path).fast
    got = assert_same("survey", path, config)
    assert (got.accepted, len(got.quarantine)) == (3, 2)


# --- generated files with planted problems ----------------------------------------------------------------

SURVEY_HEADER = [
    "Tidstämpel", "Hur gammal är du ?  ", "Kön", "Var bor du?", "Hur trygg känner du dig i Svenljunga kommun?",
    "Hur trygg känner du dig om du går ut ensam sent en kväll i området där du bor?",
    "Hur stort problem är skadegörelse i området där du bor?",
    "Hur stort problem är nedskräpning i området där du bor?",
    "Finns det platser där du känner dig otrygg? Vilka?",
]
STAMPS = ["2024/11/01 7:14:46 fm CET", "2024/11/02 1:53:03 em CET", "2025-11-03 08:53:03", "2023-10-30",
          "2024/11/01 12:10:00 fm CET", " 2024/11/05 9:00:00 fm CET ",
          "2024/13/01 7:14:46 fm CET", "igår", "2024/11/01 13:14:46 em CET", "", "31/12/2024 23:59"]
WHERE = ["Svenljunga", "Överlida", "Högvad", "Ö. Frölunda", "centralorten", "Gnosjö", "Borås", "", " Kalv ",
         "Mårdaklev", "Kindaholm", "Överlidda"]
TRYGG = ["Mycket trygg", "Trygg", "Varken eller", "Varken trygg eller otrygg", "otrygg", " MYCKET OTRYGG ",
         "Vet ej", "", "3", "7", "Superduper", "0"]
PROBLEM = ["Inget problem", "Litet problem", "Ganska stort problem", "Mycket stort problem", "Vet ej", "",
           "Jättestort", "4", "Ingen åsikt"]
FREE = [
    "", "Busstationen på kvällarna, mejla a.b@example.se", "badplatsen i Överlida", "Torget, ring 0325-123 45",
    "Mitt personnummer är 19800101-1234 och jag bor vid ICA", "Parken i Svenljunga kommun",
    "Elmotunneln och Torget", "Gång- och cykelbanan och tunneln vid Elmo", "Inga särskilda platser",
    "Skolgården i Mjöbäck", "Anna Karlsson vid Busstationen", "=HYPERLINK(\"http://evil.example\",\"Torget\")",
    "<script>alert(1)</script> i Kalv", "Svenljunga", "Badet", "  ", "runt ICA-parkeringen i Ö Frölunda",
    "rad ett\nrad två vid torget", 'Han sa "akta dig" vid Resecentrum',
]


def planted_rows(n: int = 400, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.04:
            rows.append([""] * len(SURVEY_HEADER))  # a blank row
            continue
        if roll < 0.08 and rows:
            rows.append(list(rng.choice(rows)))  # a duplicate row
            continue
        rows.append([rng.choice(STAMPS), rng.choice(["13–19 år", "20–39 år", "", "65 år eller äldre"]),
                     rng.choice(["Kvinna", "Man", "", "Vill inte ange"]), rng.choice(WHERE),
                     rng.choice(TRYGG), rng.choice(TRYGG), rng.choice(PROBLEM), rng.choice(PROBLEM),
                     rng.choice(FREE)])
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, delimiter: str = ",",
              encoding: str = "utf-8", extra_lines: dict[int, str] | None = None, newline: str = "\n") -> Path:
    def quote(c: str) -> str:
        return '"' + c.replace('"', '""') + '"'

    lines = [delimiter.join(quote(h) for h in header)]
    for i, row in enumerate(rows):
        if extra_lines and i in extra_lines:
            lines.append(extra_lines[i])
        lines.append(delimiter.join(quote(c) for c in row))
    path.write_bytes((newline.join(lines) + newline).encode(encoding, errors="replace"))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([c if c != "" else None for c in row])
    wb.save(path)
    return path


def test_planted_problems_in_a_utf8_csv_read_by_pyarrow(config, tmp_path):
    path = write_csv(tmp_path / "planted.csv", SURVEY_HEADER, planted_rows())
    assert read_columns_for("survey", path).fast
    got = assert_same("survey", path, config)
    reasons = " ".join(q.reason for q in got.quarantine)
    assert got.accepted > 50 and "tidpunkt" in reasons and "Superduper" in reasons and "Gnosjö" in reasons
    texts = got.tables["survey_texts"]
    assert texts["text"].str.contains("[e-post borttagen]", regex=False).any()
    assert texts["text"].str.contains("[personnummer borttaget]", regex=False).any()
    assert texts["text"].str.contains("[telefonnummer borttaget]", regex=False).any()
    assert not texts["text"].str.contains("19800101-1234|a.b@example.se|0325-123 45").any()
    assert texts["place"].notna().any() and texts["ort"].notna().any()
    blank = [q for q in got.quarantine if not any(v.strip() for v in q.original.values())]
    assert blank == []  # blank rows are skipped, not quarantined
    numbers = [q.row_number for q in got.quarantine]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("variant", ["cp1252", "semicolon_crlf", "too_many_fields", "xlsx", "bom", "cr_only"])
def test_planted_problems_in_other_encodings_and_layouts(config, tmp_path, variant):
    rows = planted_rows(seed=11)
    if variant == "cp1252":
        path = write_csv(tmp_path / "p.csv", SURVEY_HEADER, rows, delimiter=";", encoding="cp1252")
    elif variant == "semicolon_crlf":
        path = write_csv(tmp_path / "p.csv", SURVEY_HEADER, rows, delimiter=";", newline="\r\n")
    elif variant == "too_many_fields":
        path = write_csv(tmp_path / "p.csv", SURVEY_HEADER, rows,
                         extra_lines={5: ",".join(["x"] * 12), 40: '"a","b"', 41: ""})
    elif variant == "bom":
        path = tmp_path / "p.csv"
        write_csv(path, SURVEY_HEADER, rows)
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    elif variant == "cr_only":
        path = write_csv(tmp_path / "p.csv", SURVEY_HEADER, [r[:-1] + [r[-1].replace("\n", " ")] for r in rows],
                         newline="\r")
    else:
        path = write_xlsx(tmp_path / "p.xlsx", SURVEY_HEADER, rows)
    got = assert_same("survey", path, config)
    assert isinstance(got, Batch) and got.accepted > 0
    if variant == "too_many_fields":
        assert not read_columns_for("survey", path).fast
        assert any("fält" in q.reason for q in got.quarantine) or any("fält 1" in q.original for q in got.quarantine)


ODD_CSV = {
    # name: (text after the header line, expected to take the fast path)
    "empty_lines": ('"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","Trygg","","",""\n\n\n'
                    '"2024/11/02 7:14:46 fm CET","","","Kalv","Otrygg","","","","Torget"\n', True),
    "embedded_newline": ('"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","","rad 1\nrad 2 vid Badet"\n'
                         '"bad","","","Kalv","Trygg","","","",""\n', True),
    "quote_inside": ('2024/11/01 7:14:46 fm CET,,,Kalv,Trygg,,,,x"y vid "Torget"\n'
                     '"2024/11/01 7:14:46 fm CET"x,,,Kalv,Trygg,,,,\n', True),
    "blank_cells_row": (',,,,,,,,\n"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","",""\n', True),
    "whitespace_row": ('   \n"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","",""\n', False),
    "quoted_empty_row": ('""\n"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","",""\n', False),
    "short_row": ('"2024/11/01 7:14:46 fm CET","","","Kalv"\n', False),
    "trailing_delimiter": ('"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","","",\n', False),
    "unterminated_quote": ('"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","","utan slut\n', True),
    "nul_in_cell": ('"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","",""\n' * 200
                    + '"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","","a\x00b"\n', True),
    "nul_at_the_start": ('"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","","a\x00b"\n', None),
    "only_blank_rows": ('\n,,,,,,,,\n', None),
}


@pytest.mark.parametrize("name", list(ODD_CSV))
def test_odd_csv_lines_are_read_as_the_csv_module_reads_them(config, tmp_path, name):
    body, fast = ODD_CSV[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes((",".join(f'"{h}"' for h in SURVEY_HEADER) + "\n" + body).encode("utf-8"))
    got = assert_same("survey", path, config)
    if fast is not None:
        assert isinstance(got, Batch)
        assert read_columns_for("survey", path).fast == fast
    else:
        assert got[0] == "rejected"


def test_a_cell_over_the_csv_field_limit_is_rejected_as_before(config, tmp_path):
    path = tmp_path / "lang.csv"
    row = ["2024/11/01 7:14:46 fm CET", "", "", "Kalv", "Trygg", "", "", "", "x" * (reading.MAX_FIELD + 1)]
    write_csv(path, SURVEY_HEADER, [row])
    got = assert_same("survey", path, config)
    assert got[0] == "rejected" and got[1] == "file_csv_broken"


def test_a_file_over_the_size_cap_is_rejected_as_before(config, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "stor.csv", SURVEY_HEADER, planted_rows(50))
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", path.stat().st_size - 1)
    got = assert_same("survey", path, config)
    assert got[0] == "rejected" and got[1] == "file_too_large"


def test_windows_1252_after_a_long_utf8_start_is_read_as_before(config, tmp_path):
    """The start decodes as UTF-8, a byte further on does not: the general reader reads the whole file
    as Windows-1252, finds the UTF-8 letters of the headers turned into two characters each and refuses
    the file for its mixed encoding ("teckenkodningar"); so must this (pyarrow, which checks the whole
    file, leaves it to the general reader)."""
    path = write_csv(tmp_path / "blandat.csv", SURVEY_HEADER, planted_rows(3000, seed=2))
    assert path.stat().st_size > 4 * reading.SNIFF_CHARS + 4
    path.write_bytes(path.read_bytes() + b'"2024/11/01 7:14:46 fm CET","","","Kalv","Trygg","","","","S\xe5 otryggt"\n')
    with pytest.raises(FileRejected) as err:  # the fast reader leaves it to the general reader, which refuses it
        read_columns_for("survey", path)
    assert err.value.key == "file_mixed_encoding"
    got = assert_same("survey", path, config)
    assert got[0] == "rejected" and got[1] == "file_mixed_encoding"


def test_a_survey_csv_with_10000_columns_is_rejected_as_before(config, tmp_path):
    path = tmp_path / "bred.csv"
    path.write_text(";".join(f"Fråga {i}" for i in range(10_000)) + "\n" + ";".join("x" for _ in range(10_000))
                    + "\n", encoding="utf-8")
    got = assert_same("survey", path, config)
    assert got[0] == "rejected" and got[1] == "file_too_many_columns"


# --- mapping variants: fixed period, ids, personal columns, missing columns --------------------------------

def google_mapping() -> dict:
    return tomllib.loads((MAPPINGS / "survey_google_forms.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("variant", ["fixed_year", "fixed_year_no_timestamp", "ids", "personal", "missing_items",
                                     "bad_fixed_year", "bad_fixed_year_all_quarantined", "area_column"])
def test_mapping_variants(config, tmp_path, variant):
    mapping = google_mapping()
    header, rows = list(SURVEY_HEADER), planted_rows(120, seed=3)
    if variant == "fixed_year":
        mapping["year"] = 2021
    elif variant == "fixed_year_no_timestamp":
        mapping["year"] = "2020-21"
        header, rows = header[1:], [r[1:] for r in rows]
    elif variant == "ids":
        mapping["columns"]["id"] = "ID"
        mapping["columns"]["respondent_id"] = "Respondent"
        header = ["ID", "Respondent"] + header
        rows = [[random.Random(i).choice(["", f"r{i}", " "]), random.Random(-i).choice(["", "x", f"R{i % 7}"])] + r
                for i, r in enumerate(rows)]
    elif variant == "personal":
        mapping["personal_columns"] = ["E-post", "Namn"]
        header = ["E-post", "Namn"] + header
        rows = [[f"p{i}@example.se", f"Person {i}"] + r for i, r in enumerate(rows)]
    elif variant == "missing_items":
        header, rows = header[:5] + header[8:], [r[:5] + r[8:] for r in rows]
    elif variant in ("bad_fixed_year", "bad_fixed_year_all_quarantined"):
        mapping["year"] = "tjugotjugo"  # int() fails: the row loop crashed at the first row that got that far
        if variant == "bad_fixed_year_all_quarantined":
            rows = [["igår"] + r[1:] for r in rows]
    elif variant == "area_column":
        mapping["columns"]["area"] = "Område"
        header = header + ["Område"]
        rows = [r + [random.Random(i).choice(["", "Högvad", "Kindaholm", "Okänt"])] for i, r in enumerate(rows)]
    path = write_csv(tmp_path / "v.csv", header, rows)
    assert_same("survey", path, config, mapping, "v.toml")
    assert_same("survey", write_xlsx(tmp_path / "v.xlsx", header, rows), config, mapping, "v.toml")


def test_a_digit_int_cannot_read_is_quarantined_where_the_row_loop_crashed(config, tmp_path):
    """"\u1369" (Ethiopic digit one) is a digit to str.isdigit() but not to int(): the old row loop
    crashed on it (ValueError) and the import stopped; now the row is quarantined like any unknown
    answer, and the other rows are imported."""
    base = ["2024/11/01 7:14:46 fm CET", "", "", "Kalv", "Trygg", "Trygg", "", "", ""]
    path = write_csv(tmp_path / "a.csv", SURVEY_HEADER, [base, base[:4] + ["\u1369"] + base[5:]])
    old = run(OLD["survey"], path, context(config, path))
    new = run(NEW["survey"], path, context(config, path))
    assert old[0] == "error" and old[1] == "ValueError"
    assert new[0] == "ok" and new[1].accepted == 1
    assert [q.row_number for q in new[1].quarantine] == [3]
    assert new[1].quarantine[0].reason.startswith("Svaret «\u1369»")


# --- Träffpunkt -------------------------------------------------------------------------------------------

TP_HEADER = ["ID", "Starttid", "Slutförandetid", "E-post", "Namn", "Vilket område bor du i eller driver företag i?",
             "Svarar du som invånare eller företagare?", "Hur trygg känner du dig i ditt område?",
             "Har tryggheten i ditt område förändrats de senaste två åren?",
             "Vill du berätta mer om tryggheten där du bor?"]


def traffpunkt_rows(n: int = 300, seed: int = 5, as_datetime: bool = False) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        if rng.random() < 0.03:
            rows.append([""] * len(TP_HEADER))
            continue
        stamp = rng.choice(["2026-10-05 09:04:00", "2026-10-06 10:00:00", "", "5/10/2026 9:04", "fel"])
        if as_datetime and stamp.startswith("2026-"):
            stamp = datetime.fromisoformat(stamp)
        rows.append([rng.choice([str(i + 1), "", f"{i % 9}"]), "2026-10-05 09:00:00", stamp,
                     f"p{i}@example.se", rng.choice(["Anna Andersson", ""]),
                     rng.choice(["Högvad", "Kindaholm", "Svenljunga tätort", "Svenljunga", "", "Överlida", "Gnosjö",
                                 "Axelfors", "Lysjö norra", "kindaholm "]),
                     rng.choice(["Invånare", "Företagare", ""]),
                     rng.choice(["Trygg", "Otrygg", "Vet ej", "", "Mycket trygg", "Hemskt"]),
                     rng.choice(["Blivit bättre", "Ingen förändring", "Blivit sämre", "", "Oförändrat", "?"]),
                     rng.choice(["", "Mopeder vid badet varje kväll, ring 0325-123 45", "Bra", "19800101-1234"])])
    return rows


@pytest.mark.parametrize("variant", ["xlsx", "csv", "round", "bad_round"])
def test_traffpunkt_with_planted_problems(config, tmp_path, variant):
    mapping = MAPPINGS / "traffpunkt_msforms.toml"
    if variant == "csv":
        path = write_csv(tmp_path / "tp.csv", TP_HEADER, traffpunkt_rows())
        assert read_columns_for("traffpunkt", path).fast
    else:
        path = write_xlsx(tmp_path / "tp.xlsx", TP_HEADER, traffpunkt_rows(as_datetime=True))
    if variant in ("round", "bad_round"):
        mapping = tomllib.loads(mapping.read_text(encoding="utf-8"))
        mapping["round"] = "2026-höst" if variant == "round" else "höst"
        got = assert_same("traffpunkt", path, config, mapping, "tp.toml")
    else:
        got = assert_same("traffpunkt", path, config, mapping)
        assert got.accepted > 20
        reasons = {q.reason for q in got.quarantine}
        assert any("Svenljunga tätort" in r for r in reasons)
        assert all("@example.se" not in str(q.original) for q in got.quarantine)  # personal columns dropped
    assert_same("traffpunkt", path, config)  # the mapping recognised from the headers


def test_the_importer_tests_traffpunkt_file(config, tmp_path):
    from tests.test_importers import traffpunkt_workbook

    path = traffpunkt_workbook(tmp_path / "tp.xlsx")
    got = assert_same("traffpunkt", path, config)
    assert (got.accepted, len(got.quarantine)) == (2, 1)


# --- the benchmark's scale file (generated, cached in the git-ignored bench/out/data) ----------------------

def test_the_benchmark_survey_file():
    from bench.generate import scale_config, survey_csv

    path = survey_csv(10_000, 5)
    got = assert_same("survey", path, load_config(scale_config(5).config_path))
    assert got.accepted == 10_000


# --- names in free text -----------------------------------------------------------------------------------

def odd_config(config: KommunConfig) -> KommunConfig:
    """tsk.toml with aliases that normalise to nothing or to several words, and abbreviations that
    expand to padded text (double spaces in the normalised text)."""
    orter = list(config.orter)
    orter[0] = dataclasses.replace(orter[0], aliases=orter[0].aliases + ("-", "Stora  Svenljunga", "S. Kalv"))
    orter[1] = dataclasses.replace(orter[1], aliases=orter[1].aliases + ("Mjöbäck by", "by"))
    abbr = dict(config.abbreviations) | {"x": " xx ", "tt": "t  t"}
    return dataclasses.replace(config, orter=tuple(orter), abbreviations=abbr)


@pytest.mark.parametrize("odd", [False, True])
def test_mentioned_ort_and_place_match_the_scan_over_every_key(config, odd):
    if odd:
        config = odd_config(config)
    gaz = Gazetteer(config)
    words = [w for key in list(gaz.orter.by_key) + list(gaz.place_homes) for w in key.split(" ")]
    words += ["svenljunga", "kommun", "svenljungas", "kommuns", "i", "vid", "-", ".", "x", "tt", "ö", "s", "",
              "Ö.", "på", "kvällen", "ICA-parkeringen", "GC-banan", "Stora", "by", "  "]
    rng = random.Random(1)
    texts = ["", " ", "-", "Svenljunga kommun", "svenljunga kommun svenljunga", "Svenljungas kommun Kalv",
             "Svenljunga kommun Svenljunga kommun", "x", "by", "Mjöbäck by", "S. Kalv i Ö Frölunda"]
    names = [o.name for o in config.orter] + [a for o in config.orter for a in o.aliases]
    names += [p.name for p in config.platser] + [a for p in config.platser for a in p.aliases]
    for _ in range(4000):
        parts = [rng.choice(words) for _ in range(rng.randint(0, 8))]
        for _ in range(rng.randint(0, 3)):  # whole names, as written in the configuration
            parts.insert(rng.randint(0, len(parts)), rng.choice(names))
        texts.append(rng.choice([" ", "  ", ", "]).join(parts))
    for text in texts:
        assert gaz.mentioned_ort(text) == old_mentioned_ort(gaz, text), text
        assert gaz.mentioned_place(text) == old_mentioned_place(gaz, text), text

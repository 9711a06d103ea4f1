"""Proposed fixes for shared code, applied by monkeypatching inside a benchmark process only.

Nothing here is imported by the app. Each fix is measured against the code it would replace, and the
benchmark checks that the store ends up with the same rows (see `compare_imports`).

1. `fast_lagesbild_parse` — a column-at-a-time lägesbild parser for the long layout in CSV, to replace
   the row loop in tsk/importers/lagesbild.py `parse` (as of 03e8432 the loop memoises each distinct
   value, but still reads the file with the csv module into Python lists and walks every row in
   Python). It reads the CSV with
   pyarrow (all columns as text, as tsk.importers.reading does), resolves each *distinct* value (or
   distinct combination: date+week, area+ort+plats) once with the same functions the row loop uses
   (Gazetteer, _week, _grade, redact), and maps the answers back to the rows with numpy. The rules,
   their order and the messages are the row loop's: a row goes to quarantine with the first problem
   the row loop would have raised. Anything it does not handle (XLSX, Windows-1252, the wide layout,
   a line with too many fields, duplicate headers) falls back to the row loop unchanged.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from tsk.errors import FileRejected, RowProblem
from tsk.importers import lagesbild as lb_mod
from tsk.importers.base import Batch, ImportContext, quarantined
from tsk.importers.forms import choose_mapping, headers_text, resolve_columns, sniff_other_source, source_label
from tsk.importers.reading import XLSX_MAGIC, Table, _looks_binary, sniff_delimiter
from tsk.parsing import week_monday
from tsk.text import normalise_header, normalise_name, redact

SOURCE = "lagesbild"
_ORIGINAL_PARSE = lb_mod.parse
STATS: dict = {}


# --- reading ---------------------------------------------------------------------------------------------

def read_csv_arrow(path) -> pa.Table | None:
    """All columns as text, every line kept (blank lines too, so line numbers match the csv module's
    record numbers). None when the file needs the general reader (tsk.importers.reading)."""
    from tsk.importers import reading

    cap = getattr(reading, "MAX_FILE_BYTES", None)
    if cap is not None and Path(path).stat().st_size > cap:
        return None  # the shipped reader rejects it, with its message
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if not head.strip() or head.startswith(XLSX_MAGIC) or sniff_other_source(head):
        return None
    cut = head.rfind(b"\n")
    try:
        text = head[: cut if cut > 0 else len(head)].decode("utf-8-sig")
    except UnicodeDecodeError:
        return None  # Windows-1252 or broken: the general reader decides
    if _looks_binary(text) or not text.split("\n", 1)[0].strip():
        return None
    delimiter = sniff_delimiter(text)
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    clean = [h.replace("\ufeff", "").strip() for h in header]
    if not all(clean) or len(set(clean)) != len(clean):
        return None
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    if table.column_names != header:
        return None
    return table.rename_columns(clean)


# --- distinct values ---------------------------------------------------------------------------------------

class _Column:
    """One text column as codes into its distinct *trimmed* values (cells are compared after strip(),
    as the row loop's `_Rows.get` does; the trimming is done once per distinct value)."""

    def __init__(self, arr: pa.ChunkedArray | None, n: int):
        if arr is None:
            self.codes, self.values, self.blank = np.zeros(n, dtype=np.int32), [""], np.array([True])
            return
        distinct = pc.unique(arr)
        raw_codes = pc.index_in(arr, value_set=distinct).to_numpy(zero_copy_only=False).astype(np.int32)
        index: dict[str, int] = {}
        remap = np.array([index.setdefault(v.strip(), len(index)) for v in distinct.to_pylist()] or [0],
                         dtype=np.int32)
        self.codes = remap[raw_codes]
        self.values = list(index)
        self.blank = np.array([v == "" for v in self.values] or [True])

    def take(self, rows: np.ndarray) -> "_Column":
        out = _Column.__new__(_Column)
        out.codes, out.values, out.blank = self.codes[rows], self.values, self.blank
        return out


def _combine(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of distinct combinations of several code arrays: (inverse per row, first row of each)."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    for c in codes:
        key = key * (int(c.max(initial=0)) + 1) + c
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse, first


class _Cells:
    """lagesbild._week reads `rows.get(i, field)`: give it one distinct (date, week) pair."""

    def __init__(self, values: dict[str, str]):
        self.values = values

    def get(self, i: int, field: str) -> str:
        return self.values.get(field, "")


def _week_of(raw_date: str, raw_week: str):
    """lagesbild._week for one distinct (date, week) pair, whichever signature this version has:
    `_week(raw_week, raw_date)` (since 03e8432) or `_week(rows, i)` (before)."""
    import inspect

    if list(inspect.signature(lb_mod._week).parameters)[:2] == ["raw_week", "raw_date"]:
        return lb_mod._week(raw_week, raw_date)
    return lb_mod._week(_Cells({"date": raw_date, "week": raw_week}), 0)


def _resolve(values: list, fn) -> tuple[list, list]:
    """fn over distinct values: (results, problems); a RowProblem becomes that value's problem."""
    out, problems = [], []
    for v in values:
        try:
            out.append(fn(v))
            problems.append(None)
        except RowProblem as p:
            out.append(None)
            problems.append(p)
    return out, problems


def _dict(values: list, codes: np.ndarray, typ=pa.string()) -> pa.Array:
    """A column of the output, dictionary-encoded (DuckDB reads it as text; no per-row strings)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(values, typ))


def _plain(values: list, codes: np.ndarray, typ) -> pa.Array:
    return pa.array(values, typ).take(pa.array(codes.astype(np.int32)))


def fast_lagesbild_parse(path, ctx: ImportContext) -> Batch:
    table = read_csv_arrow(path)
    if table is None or table.num_rows == 0:
        STATS["path"] = "row loop (fallback)"
        return _ORIGINAL_PARSE(path, ctx)
    probe = Table(frame=pd.DataFrame(columns=table.column_names, dtype="string"), row_numbers=[])
    mapping, mapping_name = choose_mapping(SOURCE, probe, ctx.mapping, ctx.mapping_name)
    if mapping.get("layout", "long") == "wide":
        STATS["path"] = "row loop (wide layout)"
        return _ORIGINAL_PARSE(path, ctx)
    constants = mapping.get("constants", {})
    required = ["reporter"] + ([] if "organisation" in constants else ["organisation"]) + ["category", "grade"]
    cols = resolve_columns(SOURCE, probe, mapping, required)
    if "week" not in cols and "date" not in cols:
        raise FileRejected("file_wrong_columns", source=source_label(SOURCE), missing="«Vecka» eller «Datum»",
                           found=headers_text(probe))
    nothing_values = {normalise_name(v) for v in mapping.get("nothing_to_report", {}).get("values", [])}
    grades = lb_mod._grade_table(ctx, mapping)
    gaz = ctx.gazetteer

    n_all = table.num_rows
    columns = {name: _Column(table[name], n_all) for name in table.column_names}
    blank = np.ones(n_all, dtype=bool)
    for c in columns.values():
        blank &= c.blank[c.codes]
    keep = np.flatnonzero(~blank)
    if len(keep) == 0:
        STATS["path"] = "row loop (no rows)"
        return _ORIGINAL_PARSE(path, ctx)
    STATS["path"] = "column-at-a-time"
    row_numbers = keep + 2                      # header is line 1; the csv module counts blank lines too
    n = len(keep)
    empty = _Column(None, n)

    def field(name: str) -> _Column:
        col = cols.get(name)
        if not col:
            return empty
        return columns[col] if n == n_all else columns[col].take(keep)

    err_at = np.full(n, -1, dtype=np.int64)     # index into `problems` of the row's first problem
    problems: list = []

    def flag(mask: np.ndarray, codes: np.ndarray, per_value: list) -> None:
        """Give rows in `mask` without a problem yet the problem of their distinct value (if any)."""
        base = len(problems)
        problems.extend(per_value)
        has = np.array([p is not None for p in per_value] or [False], dtype=bool)
        hit = mask & (err_at < 0) & has[codes]
        err_at[hit] = base + codes[hit]

    everyone = np.ones(n, dtype=bool)
    # 1. reporter
    rep = field("reporter")
    flag(everyone, rep.codes, [RowProblem("missing_reporter") if not v else None for v in rep.values])
    # 2. organisation
    if constants.get("organisation"):
        org_codes, org_names = np.zeros(n, dtype=np.int32), [constants["organisation"]]
    else:
        org = field("organisation")
        org_codes = org.codes
        org_names, org_problems = _resolve(org.values, gaz.organisation)
        flag(everyone, org_codes, org_problems)
    # 3. week (from the date and week cells together)
    d, w = field("date"), field("week")
    wk_codes, first = _combine(d.codes, w.codes)
    pairs = [(d.values[d.codes[i]], w.values[w.codes[i]]) for i in first]
    weeks, week_problems = _resolve(pairs, lambda p: _week_of(p[0], p[1]))
    flag(everyone, wk_codes, week_problems)
    # 4. "inget att rapportera"
    cat = field("category")
    is_nothing = np.array([normalise_name(v) in nothing_values for v in cat.values] or [False])[cat.codes]
    nothing = is_nothing & (err_at < 0)
    later = (err_at < 0) & ~is_nothing
    # 5. where
    a, o, pl = field("area"), field("ort"), field("place")
    where_codes, first = _combine(a.codes, o.codes, pl.codes)
    triples = [(a.values[a.codes[i]], o.values[o.codes[i]], pl.values[pl.codes[i]]) for i in first]
    places, where_problems = _resolve(triples, lambda t: gaz.resolve(area=t[0], ort=t[1], plats=t[2]))
    flag(later, where_codes, where_problems)
    # 6. comment (never a problem), 8. category, 9. grade
    com = field("comment")
    comments = [redact(v) or None for v in com.values]
    categories, cat_problems = _resolve(cat.values, gaz.category)
    flag(later, cat.codes, cat_problems)
    gr = field("grade")
    grade_values, grade_problems = _resolve(gr.values, lambda v: lb_mod._grade(v, grades, ctx))
    flag(later, gr.codes, grade_problems)

    ok = (err_at < 0) & ~is_nothing
    idx = np.flatnonzero(ok)
    week_ids: dict = {}
    pair_week = np.array([week_ids.setdefault((x[0], x[1]), len(week_ids)) if x else -1 for x in weeks] or [-1])
    week_year = [x[0] if x else 0 for x in weeks]
    week_no = [x[1] if x else 0 for x in weeks]
    week_mon = [week_monday(x[0], x[1]) if x else None for x in weeks]
    week_date = [x[2] if x else None for x in weeks]
    if cols.get("id"):
        ids = field("id")
        suffix = [ids.values[c] or str(r) for c, r in zip(ids.codes[idx], row_numbers[idx])]
        suffix = pa.array(suffix, pa.string())
    else:
        suffix = pa.array(row_numbers[idx]).cast(pa.string())
    report_ids = pc.binary_join_element_wise(pa.scalar(f"{ctx.file_name}#"), suffix, "")
    del suffix
    wk_ok = wk_codes[idx]
    where_ok = where_codes[idx]
    report = pa.table({
        "report_id": report_ids,
        "iso_year": _plain(week_year, wk_ok, pa.int64()),
        "iso_week": _plain(week_no, wk_ok, pa.int64()),
        "week_start": _plain(week_mon, wk_ok, pa.date32()),
        "report_date": _plain(week_date, wk_ok, pa.date32()),
        "organisation": _dict(org_names, org_codes[idx]),
        "reporter": _dict(rep.values, rep.codes[idx]),
        "area": _dict([p.area if p else None for p in places], where_ok),
        "ort": _dict([p.ort if p else None for p in places], where_ok),
        "place": _dict([p.plats if p else None for p in places], where_ok),
        "category": _dict(categories, cat.codes[idx]),
        "grade": _plain(grade_values, gr.codes[idx], pa.int64()),
        "comment": _dict(comments, com.codes[idx]),
    })
    del wk_ok, where_ok
    # Coverage: one row per (reporter, organisation, week, status), first occurrence kept.
    cov_rows = np.flatnonzero(ok | nothing)
    status = np.where(nothing[cov_rows], 1, 0)
    _, first = _combine(rep.codes[cov_rows], org_codes[cov_rows], pair_week[wk_codes[cov_rows]], status)
    firsts = cov_rows[np.sort(first)]
    status_first = np.where(nothing[firsts], 1, 0)
    coverage = pa.table({
        "reporter": _dict(rep.values, rep.codes[firsts]).cast(pa.string()),
        "organisation": _dict(org_names, org_codes[firsts]).cast(pa.string()),
        "iso_year": _plain(week_year, wk_codes[firsts], pa.int64()),
        "iso_week": _plain(week_no, wk_codes[firsts], pa.int64()),
        "week_start": _plain(week_mon, wk_codes[firsts], pa.date32()),
        "status": _dict(["rapporterat", "inget_att_rapportera"], status_first).cast(pa.string()),
    })
    quarantine = []
    personal = {normalise_header(h) for h in mapping.get("personal_columns", [])}
    bad = np.flatnonzero(err_at >= 0)
    if len(bad):
        raw = table.take(pa.array(keep[bad])).to_pylist()
        for i, original in zip(bad, raw):
            original = {c: str(v) for c, v in original.items() if normalise_header(c) not in personal}
            quarantine.append(quarantined(int(row_numbers[i]), original, problems[err_at[i]]))
    del table, columns
    report_frame = report.to_pandas(types_mapper=pd.ArrowDtype)
    coverage_frame = coverage.to_pandas(types_mapper=pd.ArrowDtype)
    n_submissions = pc.count_distinct(report_ids).as_py() + int(status_first.sum())
    batch = Batch(tables={"lagesbild": report_frame, "coverage": coverage_frame}, accepted=len(report_frame),
                  quarantine=quarantine, mapping_name=mapping_name)
    batch.notes.append(f"inrapporteringar: {n_submissions}")
    return batch


def install() -> None:
    """Use the proposed parser in this process (tsk.importers.parse_file looks `parse` up per call)."""
    lb_mod.parse = fast_lagesbild_parse


def uninstall() -> None:
    lb_mod.parse = _ORIGINAL_PARSE


# --- 2. "Sedan förra mötet" without a per-unit loop ------------------------------------------------------------

def fast_since_last_meeting(store, config, *, areas, orgs, recent_weeks: int = 4, baseline_weeks: int = 12,
                            alpha: float = 0.05) -> pd.DataFrame:
    """tsk.analysis.since_last_meeting with the same output, computed per family in one groupby.

    The shipped function runs, for every unit (area, place, area × category), a pandas groupby, a
    reindex over the 16 weeks (stats.rolling_baseline) and an exact test (scipy binomtest plus a
    Clopper–Pearson interval). Here the recent and baseline counts of all units come from one
    vectorised groupby of the same weekly counts, and the exact test runs once per distinct
    (recent, baseline) pair: the exposures are the same for every unit (weeks without reports count as
    zero, as in rolling_baseline(missing="zero")), so units with equal counts share one test.
    """
    from datetime import timedelta

    from tsk import analysis as A
    from tsk import stats
    from tsk.formatting import fmt_dec
    from tsk.i18n import t

    end = A.latest_week_start(store)
    columns = ["family", "area", "ort", "place", "category", "label", "recent", "base", "expected", "rate_ratio",
               "ci_low", "ci_high", "p_value", "q_value", "notable", "text"]
    if end is None:
        return pd.DataFrame(columns=columns)
    start = end - timedelta(weeks=recent_weeks + baseline_weeks - 1)
    recent_start = pd.Timestamp(end - timedelta(weeks=recent_weeks - 1))
    labels = A.category_labels(config)
    tests: dict[tuple[int, int], object] = {}
    frames = []
    for family, keys in A.SINCE_FAMILIES.items():
        counts = store.lagesbild_counts(areas=areas, orgs=orgs, cats=A.problem_categories(config), week_from=start,
                                        week_to=end, period="week", by=keys)
        if counts.empty:
            continue
        week = pd.to_datetime(counts["period_start"])
        reports = counts["reports"].to_numpy()
        per_unit = (counts[list(keys)].assign(recent=np.where(week >= recent_start, reports, 0),
                                              base=np.where(week < recent_start, reports, 0))
                    .groupby(list(keys), dropna=False)[["recent", "base"]].sum().reset_index())
        rows = []
        for values in per_unit.itertuples(index=False, name=None):
            unit = dict(zip(keys, values[:len(keys)]))
            rc, bc = int(values[-2]), int(values[-1])
            test = tests.get((rc, bc))
            if test is None:
                test = tests[(rc, bc)] = stats.poisson_rate_test(rc, recent_weeks, bc, baseline_weeks)
            normal = bc * recent_weeks / baseline_weeks
            what = labels.get(unit.get("category"), t("word_problems")).lower()
            rows.append({
                "family": family, **unit, "label": A._unit_label(unit, labels), "recent": rc, "base": bc,
                "expected": normal, "rate_ratio": test.rate_ratio, "ci_low": test.ci_low, "ci_high": test.ci_high,
                "p_value": test.p_value,
                "text": t("change_text", n=rc, reports=A.reports_word(rc), category=what, weeks=recent_weeks,
                          normal=fmt_dec(normal)),
            })
        family_frame = pd.DataFrame(rows)
        reject, q = stats.fdr(family_frame["p_value"], alpha=alpha)
        family_frame["q_value"], family_frame["notable"] = q, reject
        frames.append(family_frame)
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).reindex(columns=columns)
    out["notable"] = out["notable"].astype(bool)
    return out.sort_values(["notable", "p_value"], ascending=[False, True]).reset_index(drop=True)


# --- 4. one exact test per distinct input ---------------------------------------------------------------------

def memoised_poisson_rate_test():
    """tsk.stats.poisson_rate_test behind functools.lru_cache: it is pure, its inputs are a few small
    whole numbers and its result a frozen dataclass, and the pages call it once per unit (place, area ×
    category, candidate) — thousands of times with a few hundred distinct inputs at regional scale.
    Each call costs ~3 ms (scipy binomtest and a Clopper–Pearson interval found by root search)."""
    import functools

    from tsk import stats

    return functools.lru_cache(maxsize=65536)(stats.poisson_rate_test)


# --- 5. the top category per candidate with one sort ------------------------------------------------------------

TOP_CATEGORY_OLD = """        for k, g in rc.groupby(key, dropna=False):
            best = g.sort_values(["reports", "category"], ascending=[False, True]).iloc[0]
            kk = k if isinstance(k, tuple) else (k,)
            normal = bc.get((*kk, best["category"]), 0) * v.recent_weeks / v.baseline_weeks
            top[kk] = (labels.get(best["category"], best["category"]), int(best["reports"]), float(normal))
"""
TOP_CATEGORY_NEW = """        best_rows = rc.sort_values([*key, "reports", "category"], ascending=[True] * len(key) + [False, True],
                                   kind="stable").drop_duplicates(key)
        for *kk, category, reports in best_rows[[*key, "category", "reports"]].itertuples(index=False, name=None):
            kk = tuple(kk)
            normal = bc.get((*kk, category), 0) * v.recent_weeks / v.baseline_weeks
            top[kk] = (labels.get(category, category), int(reports), float(normal))
"""


def patch_source(module, func_name: str, old: str, new: str):
    """`module.func_name` with `old` replaced by `new` in its source (the proposed diff, applied to the
    code as it stands), or None when the source no longer contains `old`."""
    import __future__
    import inspect

    src = inspect.getsource(getattr(module, func_name))
    if old not in src:
        return None
    namespace: dict = {}
    code = compile(src.replace(old, new), f"<proposed {module.__name__}.{func_name}>", "exec",
                   flags=__future__.annotations.compiler_flag, dont_inherit=True)
    exec(code, module.__dict__, namespace)
    return namespace[func_name]


def fast_candidate_evidence():
    from tsk import candidates

    return patch_source(candidates, "candidate_evidence", TOP_CATEGORY_OLD, TOP_CATEGORY_NEW)


# --- 6. the kommun-wide survey counts without the respondent join ----------------------------------------------

def survey_value_counts_without_join():
    """Store.survey_value_counts(by="kommun") joins 7M answers to 1M respondents (on import_id and a
    text respondent_id) only to throw the respondent columns away; the answers alone give the same
    counts (every answer row has its respondent: they are written by the same import)."""
    from tsk.db import Store

    original = Store.survey_value_counts

    def survey_value_counts(self, *, item, year_from, year_to, by="area"):
        if by != "kommun":
            return original(self, item=item, year_from=year_from, year_to=year_to, by=by)
        return self.query(
            """SELECT year, scale, 'Hela kommunen' AS "group", value, any_value(label) AS label, count(*) AS n
               FROM survey_answers WHERE item = $item AND year BETWEEN $yfrom AND $yto
               GROUP BY ALL ORDER BY year, "group", value""",
            {"item": item, "yfrom": year_from, "yto": year_to})

    return survey_value_counts


# (module, attribute, factory of the replacement, what it is) — applied in this order.
PAGE_FIXES = [
    ("tsk.stats", "poisson_rate_test", memoised_poisson_rate_test, "4: memoised exact test"),
    ("tsk.analysis", "since_last_meeting", lambda: fast_since_last_meeting, "2: since_last_meeting per family"),
    # tsk.meeting imported the name: patch its reference too (a fix in analysis.py would reach it)
    ("tsk.meeting", "since_last_meeting", lambda: fast_since_last_meeting, "2: since_last_meeting per family"),
    ("tsk.candidates", "candidate_evidence", fast_candidate_evidence, "5: top category with one sort"),
    ("tsk.db.Store", "survey_value_counts", survey_value_counts_without_join, "6: kommun counts without join"),
]
# Page functions the fixes change (measured before and after).
AFFECTED = ("since_last_meeting", "key_figures", "area_metric(forandring)", "candidate_evidence",
            "candidate_positions", "ranked_candidates", "samlad_lagesbild", "problem_index",
            "survey_shares(kommun)", "score_candidates", "meeting.agenda")


def install_page_fixes() -> list[str]:
    """Patch the page-level functions in this process; returns the fixes that applied."""
    import importlib

    applied = []
    for module, name, factory, what in PAGE_FIXES:
        on_store = module.endswith(".Store")
        target = importlib.import_module(module.removesuffix(".Store"))
        if on_store:
            target = target.Store
        fn = factory()
        if fn is None:
            continue
        setattr(target, name, fn)
        if what not in applied:
            applied.append(what)
    return applied


# --- 3. Place maps with a bounded number of markers ----------------------------------------------------------

def bounded_aggregate_places(places: pd.DataFrame, max_markers: int) -> pd.DataFrame:
    """tsk.maps._aggregate_places, but the places beyond the first `max_markers` are summed per *area*
    (one "övriga platser" circle per area) instead of per ort, so the number of circles is at most
    `max_markers` + the number of areas however many orter the gazetteer has. (As shipped, the rest is
    summed per ort: 1 470 places in 294 orter at 1M rows give 199 + 294 circles and a 419 KB map.)"""
    from tsk import maps

    out = _ORIGINAL_AGGREGATE(places, max_markers)
    if len(out) <= max_markers or "area" not in places or not out["other"].any():
        return out
    area_of = places.dropna(subset=["ort"]).drop_duplicates("ort").set_index("ort")["area"]
    keep, rest = out[~out["other"]], out[out["other"]]
    merged = (rest.assign(area=rest["ort"].map(area_of).fillna(""))
              .groupby("area", sort=False)
              .agg(lat=("lat", "mean"), lon=("lon", "mean"), reports=("reports", "sum"))
              .reset_index()
              .rename(columns={"area": "ort"})
              .assign(plats=maps.TXT_OTHER_PLACES, approximate=True, other=True))
    out = pd.concat([keep, merged], ignore_index=True)
    return out.sort_values("reports", ascending=False, kind="stable").reset_index(drop=True)


def _original_aggregate():
    from tsk import maps

    return maps._aggregate_places


_ORIGINAL_AGGREGATE = _original_aggregate()


def install_map_fix() -> None:
    from tsk import maps

    maps._aggregate_places = bounded_aggregate_places

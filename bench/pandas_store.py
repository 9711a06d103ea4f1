"""The pandas baseline: the store's named queries, implemented in pandas on DataFrames held in memory.

`PandasStore` has the same methods (same arguments, same columns, same order) as tsk.store.Store for
every question the pages ask, so the page-level functions in tsk.pagedata (candidates included) run on
it unchanged: the comparison is "the same result, computed by pandas instead of DuckDB". The
benchmark checks that both give equal results before it reports a ratio.

The implementations are written as a competent pandas user would: boolean masks, groupby/agg on the
needed columns only, merges after aggregation rather than before. Loading the tables is timed and
reported apart (the app would have to hold them in memory, or load them per question).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from tsk.store import KOMMUN_GROUP, UNKNOWN_GROUP

TABLES = ("lagesbild", "coverage", "areas", "orter", "places", "survey_respondents", "survey_answers",
          "survey_texts", "traffpunkt_respondents", "traffpunkt_answers", "police_events", "walks",
          "walk_observations", "measures", "quarantine", "imports")


def _ts(d) -> pd.Timestamp:
    return pd.Timestamp(d)


def load_frames(con) -> dict[str, pd.DataFrame]:
    """Every table the pages read, as pandas DataFrames (from an open DuckDB connection)."""
    return {name: con.execute(f"SELECT * FROM {name}").df() for name in TABLES}


class PandasStore:
    def __init__(self, frames: dict[str, pd.DataFrame]):
        self.f = frames
        lb = frames["lagesbild"]
        self.lb = lb

    def close(self):
        pass

    # --- small questions ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        f = self.f
        return {
            "lagesbild": len(f["lagesbild"]), "survey": len(f["survey_respondents"]),
            "traffpunkt": len(f["traffpunkt_respondents"]), "police": len(f["police_events"]),
            "areas": int(f["areas"]["geometry_wkt"].notna().sum()), "quarantine": len(f["quarantine"]),
            "imports": len(f["imports"]), "survey_answers": len(f["survey_answers"]),
            "traffpunkt_answers": len(f["traffpunkt_answers"]), "coverage": len(f["coverage"]),
            "walks": len(f["walks"]), "measures": len(f["measures"]),
        }

    def _week_at(self, which: str) -> tuple[int, int] | None:
        lb = self.lb
        if lb.empty:
            return None
        i = lb["week_start"].idxmax() if which == "max" else lb["week_start"].idxmin()
        return int(lb.at[i, "iso_year"]), int(lb.at[i, "iso_week"])

    def latest_week(self):
        return self._week_at("max")

    def first_week(self):
        return self._week_at("min")

    def years_present(self) -> list[int]:
        f = self.f
        years = set(f["lagesbild"]["iso_year"].unique()) | set(f["survey_respondents"]["year"].unique())
        years |= set(f["traffpunkt_respondents"]["year"].unique())
        years |= set(pd.to_datetime(f["police_events"]["incident_at"]).dt.year.unique())
        return sorted(int(y) for y in years if pd.notna(y))

    def survey_years(self) -> list[int]:
        return sorted(int(y) for y in self.f["survey_respondents"]["year"].unique())

    def area_geometries(self) -> pd.DataFrame:
        a = self.f["areas"]
        return a.loc[a["geometry_wkt"].notna(), ["name", "kind", "population", "assumption", "schematic",
                                                 "geometry_wkt"]].sort_values("name").reset_index(drop=True)

    # --- lägesbild ----------------------------------------------------------------------------------------
    def _lb_mask(self, areas, orgs, cats, week_from, week_to, lb=None):
        lb = self.lb if lb is None else lb
        return (lb["area"].isin(list(areas)) & lb["organisation"].isin(list(orgs)) & lb["category"].isin(list(cats))
                & lb["week_start"].between(_ts(week_from), _ts(week_to)))

    def lagesbild_counts(self, *, areas, orgs, cats, week_from, week_to, period="week", by="category"):
        keys = [by] if isinstance(by, str) else list(by)
        lb = self.lb
        m = (lb["grade"] > 0) & self._lb_mask(areas, orgs, cats, week_from, week_to)
        f = lb.loc[m, ["week_start", "grade", *keys]]
        start = f["week_start"] if period == "week" else f["week_start"].dt.to_period("M").dt.start_time
        out = (f.assign(period_start=start).groupby(["period_start", *keys], dropna=False, sort=True)["grade"]
               .agg(reports="size", weighted="sum").reset_index())
        return out

    def lagesbild_window_sums(self, *, areas, orgs, cats, week_from, recent_from, week_to,
                              by=("area", "ort", "place", "category")):
        keys = [by] if isinstance(by, str) else list(by)
        lb = self.lb
        m = (lb["grade"] > 0) & self._lb_mask(areas, orgs, cats, week_from, week_to)
        f = lb.loc[m, ["week_start", "grade", *keys]]
        recent = f["week_start"] >= _ts(recent_from)
        f = f.assign(recent=recent.astype("int64"), base=(~recent).astype("int64"),
                     recent_weighted=f["grade"].where(recent, 0).astype("int64"))
        out = (f.groupby(keys, dropna=False, sort=False)
               .agg(first_week=("week_start", "min"), recent=("recent", "sum"), base=("base", "sum"),
                    recent_weighted=("recent_weighted", "sum"))
               .reset_index())
        return out.sort_values(["first_week", *keys], kind="stable").reset_index(drop=True)

    def lagesbild_weeks_with_reports(self, *, areas, orgs, cats, week_from, week_to, by=("ort", "place")):
        keys = [by] if isinstance(by, str) else list(by)
        lb = self.lb
        m = (lb["grade"] > 0) & self._lb_mask(areas, orgs, cats, week_from, week_to)
        out = (lb.loc[m, ["week_start", *keys]].groupby(keys, dropna=False, sort=True)["week_start"]
               .nunique().rename("weeks").reset_index())
        return out

    def lagesbild_by_organisation(self, *, areas, orgs, cats, week_from, week_to):
        lb = self.lb
        m = (lb["grade"] > 0) & self._lb_mask(areas, orgs, cats, week_from, week_to)
        return (lb.loc[m, ["organisation", "area", "category", "grade"]]
                .groupby(["organisation", "area", "category"])["grade"].agg(reports="size", weighted="sum")
                .reset_index())

    def lagesbild_month_of_year(self, *, areas, orgs, cats, week_from, week_to):
        lb = self.lb
        m = (lb["grade"] > 0) & self._lb_mask(areas, orgs, cats, week_from, week_to)
        day = lb.loc[m, "week_start"] + pd.Timedelta(days=3)
        r = pd.DataFrame({"month": day.dt.month, "yr": day.dt.year, "category": lb.loc[m, "category"]})
        years = r.groupby("month")["yr"].nunique().rename("years")
        out = r.groupby(["month", "category"]).size().rename("reports").reset_index()
        out = out.merge(years, left_on="month", right_index=True)
        out["per_year"] = out["reports"] / out["years"]
        return out.sort_values(["month", "category"]).reset_index(drop=True)

    def lagesbild_places(self, *, areas, orgs, cats, week_from, week_to):
        lb = self.lb
        m = (lb["grade"] > 0) & lb["ort"].notna() & self._lb_mask(areas, orgs, cats, week_from, week_to)
        g = (lb.loc[m, ["area", "ort", "place", "grade", "week_start"]]
             .groupby(["area", "ort", "place"], dropna=False, sort=False)
             .agg(reports=("grade", "size"), weighted=("grade", "sum"), weeks=("week_start", "nunique"))
             .reset_index())
        o = self.f["orter"][["name", "lat", "lon", "approximate"]].rename(columns={"name": "ort"})
        p = self.f["places"][["ort", "name", "lat", "lon", "approximate"]].rename(
            columns={"name": "place", "lat": "plat", "lon": "plon", "approximate": "papprox"})
        g = g.merge(o, on="ort", how="left").merge(p, on=["ort", "place"], how="left")
        out = pd.DataFrame({
            "area": g["area"], "ort": g["ort"], "plats": g["place"],
            "lat": g["plat"].fillna(g["lat"]), "lon": g["plon"].fillna(g["lon"]),
            "approximate": g["papprox"].fillna(g["approximate"]).astype(bool),
            "reports": g["reports"], "weighted": g["weighted"], "weeks": g["weeks"],
        })
        return out.sort_values(["reports", "ort", "plats"], ascending=[False, True, True]).reset_index(drop=True)

    def place_timeline(self, *, ort, plats, orgs, cats, week_from, week_to):
        lb = self.lb
        where = lb["place"].isna() if plats is None else lb["place"] == plats
        m = ((lb["ort"] == ort) & where & lb["organisation"].isin(list(orgs)) & lb["category"].isin(list(cats))
             & lb["week_start"].between(_ts(week_from), _ts(week_to)) & (lb["grade"] > 0))
        cols = ["week_start", "iso_year", "iso_week", "organisation", "category", "grade", "comment"]
        return lb.loc[m, cols].sort_values(["week_start", "category"]).reset_index(drop=True)

    def reporting_coverage(self, *, areas, orgs, week_from, week_to):
        cov, lb = self.f["coverage"], self.lb
        last = cov["week_start"].max()
        home = (lb.groupby(["reporter", "area"]).size().rename("n").reset_index()
                .sort_values(["n", "area"], ascending=[False, True]).drop_duplicates("reporter")[["reporter", "area"]])
        span = cov.groupby("reporter").agg(organisation=("organisation", "first"), first_wk=("week_start", "min"))
        lo = np.maximum(span["first_wk"].to_numpy(), np.datetime64(_ts(week_from)))
        hi = min(last, _ts(week_to))
        n = np.maximum(((np.datetime64(hi) - lo) // np.timedelta64(7, "D")).astype(int) + 1, 0)
        grid = pd.DataFrame({
            "reporter": np.repeat(span.index.to_numpy(), n),
            "organisation": np.repeat(span["organisation"].to_numpy(), n),
            "week_start": np.repeat(lo, n) + np.concatenate([np.arange(k) for k in n]).astype("timedelta64[W]")
            if n.sum() else np.array([], dtype="datetime64[us]"),
        })
        window = cov[cov["week_start"].between(_ts(week_from), _ts(week_to))]
        got = (window.assign(r=window["status"] == "rapporterat").groupby(["reporter", "week_start"])["r"].any()
               .map({True: "rapporterat", False: "inget_att_rapportera"}).rename("status").reset_index())
        grid["week_start"] = grid["week_start"].astype(got["week_start"].dtype)
        out = grid.merge(got, on=["reporter", "week_start"], how="left").merge(home, on="reporter", how="left")
        out = out[out["organisation"].isin(list(orgs)) & (out["area"].isna() | out["area"].isin(list(areas)))]
        out = out.assign(area=out["area"].fillna(""), status=out["status"].fillna("saknas"))
        return out[["reporter", "organisation", "area", "week_start", "status"]].sort_values(
            ["organisation", "reporter", "week_start"]).reset_index(drop=True)

    def area_overview(self, problem_categories, weeks=12):
        lb, cov, areas = self.lb, self.f["coverage"], self.f["areas"]
        last = lb["week_start"].max()
        from_wk = last - pd.Timedelta(days=weeks * 7 - 7)
        m = lb["week_start"].between(from_wk, last) & (lb["grade"] > 0) & lb["category"].isin(
            list(problem_categories) or ["__none__"])
        rep = lb.loc[m].groupby("area").size().rename("reports")
        pairs = lb[["reporter", "area"]].drop_duplicates()
        c = cov.loc[cov["week_start"].between(from_wk, last), ["reporter"]].merge(pairs, on="reporter")
        reporters = c.groupby("area")["reporter"].nunique().rename("reporters")
        out = areas[["name", "kind", "population", "assumption", "schematic"]].rename(columns={"name": "area"})
        out = out.merge(rep, left_on="area", right_index=True, how="left").merge(
            reporters, left_on="area", right_index=True, how="left")
        out["reports"] = out["reports"].fillna(0).astype(int)
        out["reporters"] = out["reporters"].fillna(0).astype(int)
        out["per_1000"] = np.where(out["population"] > 0, 1000.0 * out["reports"] / out["population"], np.nan)
        out = out.assign(_c=out["kind"] == "centralort").sort_values(["_c", "area"]).drop(columns="_c")
        return out.reset_index(drop=True)

    def place_vs_rest_counts(self, *, ort, place, cats, before_from, before_to, after_from, after_to) -> dict:
        lb = self.lb
        f = lb.loc[(lb["ort"] == ort) & (lb["grade"] > 0) & lb["category"].isin(list(cats)), ["place", "week_start"]]
        at = f["place"] == place
        before = f["week_start"].between(_ts(before_from), _ts(before_to))
        after = f["week_start"].between(_ts(after_from), _ts(after_to))
        return {"place_before": int((at & before).sum()), "place_after": int((at & after).sum()),
                "rest_before": int((~at & before).sum()), "rest_after": int((~at & after).sum())}

    # --- police -----------------------------------------------------------------------------------------
    def police_by_ort(self, *, areas, date_from, date_to):
        e = self.f["police_events"]
        day = pd.to_datetime(e["incident_at"]).dt.normalize()
        m = day.between(_ts(date_from), _ts(date_to)) & (e["area"].isna() | e["area"].isin(list(areas)))
        g = (e.loc[m].groupby(["ort", "area"], dropna=False)
             .agg(events=("event_id", "size"), mapped=("category", "count")).reset_index())
        o = self.f["orter"][["name", "lat", "lon"]].rename(columns={"name": "ort"})
        g = g.merge(o, on="ort", how="left")[["ort", "area", "lat", "lon", "events", "mapped"]]
        return g.sort_values("events", ascending=False, kind="stable").reset_index(drop=True)

    # --- surveys -------------------------------------------------------------------------------------------
    def survey_value_counts(self, *, item, year_from, year_to, by="area"):
        a, r = self.f["survey_answers"], self.f["survey_respondents"]
        a = a.loc[(a["item"] == item) & a["year"].between(year_from, year_to),
                  ["import_id", "respondent_id", "year", "scale", "value", "label"]]
        if by == "kommun":
            a = a.assign(group=KOMMUN_GROUP)
        else:
            a = a.merge(r[["import_id", "respondent_id", by]], on=["import_id", "respondent_id"])
            a["group"] = a[by].fillna(UNKNOWN_GROUP)
        out = (a.groupby(["year", "scale", "group", "value"]).agg(label=("label", "first"), n=("label", "size"))
               .reset_index())
        return out.sort_values(["year", "group", "value"]).reset_index(drop=True)

    def survey_items_value_counts(self, *, items, year_from, year_to):
        a = self.f["survey_answers"]
        a = a.loc[a["item"].isin(list(items)) & a["year"].between(year_from, year_to),
                  ["item", "year", "scale", "value", "label"]]
        out = (a.groupby(["item", "year", "scale", "value"]).agg(label=("label", "first"), n=("label", "size"))
               .reset_index())
        return out.sort_values(["item", "year", "value"]).reset_index(drop=True)

    def survey_place_mentions(self, *, year_from, year_to):
        t = self.f["survey_texts"]
        t = t.loc[t["year"].between(year_from, year_to), ["year", "ort", "place"]]
        g = t.groupby(["year", "ort", "place"]).size().rename("mentions").reset_index()
        p = self.f["places"][["ort", "name", "area", "lat", "lon"]].rename(columns={"name": "place"})
        g = g.merge(p, on=["ort", "place"]).rename(columns={"place": "plats"})
        return g[["year", "ort", "plats", "area", "lat", "lon", "mentions"]].sort_values(
            "mentions", ascending=False, kind="stable").reset_index(drop=True)

    def traffpunkt_value_counts(self, *, item):
        a, r = self.f["traffpunkt_answers"], self.f["traffpunkt_respondents"]
        a = a[a["item"] == item].merge(r[["import_id", "round", "respondent_id", "area"]],
                                       on=["import_id", "round", "respondent_id"])
        out = (a.groupby(["round", "area", "scale", "value"]).agg(label=("label", "first"), n=("label", "size"))
               .reset_index())
        return out[["round", "area", "scale", "value", "label", "n"]].sort_values(
            ["round", "area", "value"]).reset_index(drop=True)

    def traffpunkt_respondents_per_area(self):
        r = self.f["traffpunkt_respondents"]
        comp = r["respondent_kind"].fillna("").str.lower().str.startswith("företag")
        out = (r.assign(c=comp).groupby(["round", "area"]).agg(respondents=("c", "size"), companies=("c", "sum"))
               .reset_index())
        return out.sort_values(["round", "area"]).reset_index(drop=True)

    # --- the walk register -----------------------------------------------------------------------------------
    def walks(self):
        w, o, m = self.f["walks"], self.f["walk_observations"], self.f["measures"]
        out = w.copy()
        out["observations"] = out["walk_id"].map(o.groupby("walk_id").size()).fillna(0).astype(int)
        out["measures"] = out["walk_id"].map(m.groupby("walk_id").size()).fillna(0).astype(int)
        out["measures_done"] = out["walk_id"].map(
            m[m["status"] == "klar"].groupby("walk_id").size()).fillna(0).astype(int)
        return out.sort_values(["walk_date", "walk_id"], ascending=False).reset_index(drop=True)

    def all_measures(self):
        m, w = self.f["measures"], self.f["walks"][["walk_id", "walk_date"]]
        out = m.merge(w, on="walk_id", how="left")
        out = out.assign(_k=out["status"] == "klar").sort_values(["_k", "due_date", "measure_id"],
                                                                 na_position="last").drop(columns="_k")
        return out.reset_index(drop=True)

    def last_walks(self):
        w = self.f["walks"]
        w = w[w["status"] == "genomförd"]
        return w.groupby("ort").agg(area=("area", "first"), last_walk=("walk_date", "max")).reset_index()

    def observed_causes(self):
        o, w = self.f["walk_observations"], self.f["walks"][["walk_id", "ort", "walk_date"]]
        return o.merge(w, on="walk_id")[["ort", "place", "causes", "walk_date"]]


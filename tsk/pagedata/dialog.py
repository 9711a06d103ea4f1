"""Page tables of the two light registers (issue 18): Träffpunkt's dialogue steps 2–4 per area and round,
the need for a trygghetsvandring per ort from the questions raised there, and the Samhällskris
robustness meetings per ort; their follow-ups; one XLSX of both registers.

No Streamlit and no SQL: the frames come from the store (tsk.store.dialog). `public` (Mötesläge, a
reader, a public export) leaves out every free text: notes, topics and the follow-ups' descriptions.
"""
from __future__ import annotations

import json
from collections import Counter

import pandas as pd

from tsk.config import KommunConfig
from tsk.exports import to_xlsx_bytes
from tsk.formatting import fmt_date
from tsk.i18n import t
from tsk.pagedata.common import category_labels
from tsk.registers.dialog import (
    SAMHALLSKRIS_ORIGIN,
    STEP_KINDS,
    TRAFFPUNKT_ORIGIN,
    questions_of,
    settings,
)
from tsk.store import Store


def _frame(rows: list[dict], keys: list[str]) -> pd.DataFrame:
    """The rows under their Swedish headers; an empty table keeps its headers."""
    return pd.DataFrame(rows, columns=[t(k) for k in keys])


# --- the need for a walk per ort -----------------------------------------------------------------------

def walk_need_from_steps(steps: pd.DataFrame) -> dict[str, int]:
    """Ort → the number of safety questions raised about it (or a plats in it) in Träffpunkt's dialogue
    steps. Pure: `steps` has a `questions` column of JSON lists (Store.traffpunkt_steps)."""
    need: Counter[str] = Counter()
    for raw in steps.get("questions", pd.Series(dtype=object)):
        need.update(q.ort for q in questions_of(raw))
    return dict(sorted(need.items(), key=lambda kv: (-kv[1], kv[0])))


def walk_need_by_ort(store: Store) -> dict[str, int]:
    """Ort → count of raised questions: the policy offers a walk «i det område eller ort som visat behov».
    Shown on Träffpunkt; the candidate scoring counts the same questions per ort and plats
    (tsk.pagedata.candidates, the component `dialog` with its weight and cap in [vandring])."""
    return walk_need_from_steps(store.traffpunkt_steps())


def walk_need_table(steps: pd.DataFrame, config: KommunConfig) -> pd.DataFrame:
    """Per ort with raised questions: its area, the number of questions and the places named."""
    area_of = {o.name: o.area for o in config.orter}
    places: dict[str, set[str]] = {}
    for raw in steps.get("questions", pd.Series(dtype=object)):
        for q in questions_of(raw):
            places.setdefault(q.ort, set()).update([q.place] if q.place else [])
    need = walk_need_from_steps(steps)
    return pd.DataFrame({t("col_ort"): list(need), t("col_area"): [area_of.get(o, "–") for o in need],
                         t("dl_col_questions_n"): list(need.values()),
                         t("dl_col_places"): [", ".join(sorted(places[o])) or t("whole_ort") for o in need]})


# --- Träffpunkt steps 2–4 ------------------------------------------------------------------------------

def _participants_text(raw: str, labels: dict[str, str]) -> str:
    counts = json.loads(raw or "{}")
    return ", ".join(f"{labels.get(k, k)} {n}" for k, n in counts.items() if n) or "–"


def _total(raw: str) -> int:
    return sum(json.loads(raw or "{}").values())


def _questions_text(raw: str, config: KommunConfig) -> str:
    labels = category_labels(config)
    return "; ".join(f"{labels.get(q.category, q.category)} – {q.ort}" + (f"/{q.place}" if q.place else "")
                     for q in questions_of(raw)) or "–"


def _followups_text(row) -> str:
    return t("dl_followups_done", done=int(row["followups_done"]), n=int(row["followups"])) if row["followups"] else "–"


def step_labels() -> dict[str, str]:
    return {k: t(f"dl_kind_{k}") for k in STEP_KINDS}


def steps_table(steps: pd.DataFrame, config: KommunConfig, *, areas, public: bool) -> pd.DataFrame:
    """The steps held per area and round: step, date, participants by kind, questions raised, follow-ups
    (and the notes, unless public)."""
    shown = steps[steps["area"].isin(list(areas))] if not steps.empty else steps
    labels = step_labels()
    rows = [{t("col_area"): r["area"], t("dl_col_round"): str(r["round"]), t("dl_col_step"): t(f"dl_step_{int(r['step'])}"),
             t("col_date"): fmt_date(r["meeting_date"]), t("dl_col_participants"): _participants_text(r["participants"], labels),
             t("dl_col_total"): _total(r["participants"]), t("dl_col_questions"): _questions_text(r["questions"], config),
             t("dl_col_followups"): _followups_text(r),
             **({} if public else {t("dl_col_notes"): r["notes"] or ""})}
            for _, r in shown.iterrows()]
    return _frame(rows, ["col_area", "dl_col_round", "dl_col_step", "col_date", "dl_col_participants", "dl_col_total",
                         "dl_col_questions", "dl_col_followups", *([] if public else ["dl_col_notes"])])


def followups_table(followups: pd.DataFrame, records: pd.DataFrame, *, where: str, public: bool) -> pd.DataFrame:
    """A register's follow-ups with their record's `where` (area or ort) and date: the follow-up (unless
    public), owner, status, due date and completion date."""
    record = records.set_index("dialog_id")
    rows = [{t(f"col_{where}"): record[where].get(r["dialog_id"], "–"),
             t("col_date"): fmt_date(record["meeting_date"].get(r["dialog_id"])),
             **({} if public else {t("dl_col_followup"): r["description"]}),
             t("vr_col_owner"): r["owner"], t("col_status"): r["status"],
             t("vr_col_due"): fmt_date(r["due_date"]) if pd.notna(r["due_date"]) else "",
             t("vr_col_completed"): fmt_date(r["completed_date"]) if pd.notna(r["completed_date"]) else ""}
            for _, r in followups.iterrows() if r["dialog_id"] in record.index]
    return _frame(rows, [f"col_{where}", "col_date", *([] if public else ["dl_col_followup"]), "vr_col_owner",
                         "col_status", "vr_col_due", "vr_col_completed"])


# --- Samhällskris ----------------------------------------------------------------------------------------

def kris_table(meetings: pd.DataFrame, config: KommunConfig, *, public: bool) -> pd.DataFrame:
    """The robustness meetings per ort: date, participants by kind, topics (unless public), follow-ups."""
    labels = settings(config).kris_kinds
    area_of = {o.name: o.area for o in config.orter}
    rows = [{t("col_ort"): r["ort"], t("col_area"): area_of.get(r["ort"], "–"), t("col_date"): fmt_date(r["meeting_date"]),
             t("dl_col_participants"): _participants_text(r["participants"], labels),
             t("dl_col_total"): _total(r["participants"]),
             **({} if public else {t("dl_col_topics"): "; ".join(json.loads(r["topics"] or "[]")),
                                   t("dl_col_notes"): r["notes"] or ""}),
             t("dl_col_followups"): _followups_text(r)}
            for _, r in meetings.iterrows()]
    return _frame(rows, ["col_ort", "col_area", "col_date", "dl_col_participants", "dl_col_total",
                         *([] if public else ["dl_col_topics", "dl_col_notes"]), "dl_col_followups"])


def kris_per_ort(meetings: pd.DataFrame, config: KommunConfig) -> pd.DataFrame:
    """Every configured ort: the number of robustness meetings and the latest one (– when none)."""
    held = meetings.groupby("ort")["meeting_date"].agg(["count", "max"]) if not meetings.empty else pd.DataFrame()
    rows = []
    for o in config.orter:
        n = int(held["count"].get(o.name, 0)) if not held.empty else 0
        rows.append({t("col_ort"): o.name, t("col_area"): o.area, t("dl_col_meetings"): n,
                     t("dl_col_latest"): fmt_date(held["max"][o.name]) if n else "–"})
    return pd.DataFrame(rows)


def handlingsplan(config: KommunConfig) -> str:
    """The path or link to the kommun's handlingsplan för krisberedskap ('' when not configured)."""
    return settings(config).handlingsplan


# --- export ---------------------------------------------------------------------------------------------

def registers_xlsx(steps: pd.DataFrame, step_followups: pd.DataFrame, meetings: pd.DataFrame,
                   kris_followups: pd.DataFrame, config: KommunConfig, *, public: bool) -> bytes:
    """Both registers in one workbook from frames already read (a download builds it on click, outside
    the page's run): the steps, their follow-ups, the robustness meetings, theirs."""
    areas = [a.name for a in config.areas]
    return to_xlsx_bytes({
        t("dl_sheet_steps"): steps_table(steps, config, areas=areas, public=public),
        t("dl_sheet_step_followups"): followups_table(step_followups, steps, where="area", public=public),
        t("dl_sheet_kris"): kris_table(meetings, config, public=public),
        t("dl_sheet_kris_followups"): followups_table(kris_followups, meetings, where="ort", public=public),
    })


def dialog_xlsx(store: Store, config: KommunConfig, *, public: bool) -> bytes:
    """registers_xlsx of the store's two registers."""
    return registers_xlsx(store.traffpunkt_steps(), store.dialog_followups(TRAFFPUNKT_ORIGIN),
                          store.samhallskris_meetings(), store.dialog_followups(SAMHALLSKRIS_ORIGIN), config,
                          public=public)


def step_choices(steps: pd.DataFrame) -> dict[int, str]:
    """The steps a form can open for a change, newest first: dialog_id → «area · round · step · date»."""
    if steps.empty:
        return {}
    ordered = steps.sort_values(["meeting_date", "dialog_id"], ascending=False, kind="stable")
    return {int(r["dialog_id"]): t("dl_choice_step", area=r["area"], round=str(r["round"]),
                                   step=t(f"dl_step_{int(r['step'])}"), date=fmt_date(r["meeting_date"]))
            for _, r in ordered.iterrows()}


def kris_choices(meetings: pd.DataFrame) -> dict[int, str]:
    """The robustness meetings a form can open for a change, newest first: dialog_id → «ort · date»."""
    if meetings.empty:
        return {}
    ordered = meetings.sort_values(["meeting_date", "dialog_id"], ascending=False, kind="stable")
    return {int(r["dialog_id"]): t("dl_choice_kris", ort=r["ort"], date=fmt_date(r["meeting_date"]))
            for _, r in ordered.iterrows()}


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """One record's history, newest first: when, what (registered, changed, removed) and by whom."""
    rows = [{t("col_when"): pd.Timestamp(r["changed_at"]).strftime("%Y-%m-%d %H:%M"),
             t("dl_col_action"): t(f"dl_action_{r['action']}"),
             t("dl_col_actor"): r["actor"] or t("dl_actor_unknown")}
            for _, r in history.iloc[::-1].iterrows()]
    return _frame(rows, ["col_when", "dl_col_action", "dl_col_actor"])

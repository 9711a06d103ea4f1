"""The need for a walk shown in Träffpunkt's dialogue steps 2–4 feeds the candidate list (issue 18): the
`dialog` component, min(1, questions / cap) times its weight, for the ort (every question about it) or
the plats (its own questions and the whole ort's); a store without questions and a configuration
without the weight or cap score exactly as before."""
from __future__ import annotations

import math
import shutil
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from tsk.pagedata import candidates, scoring
from tsk.registers import dialog as d
from tsk.store import open_store


def _sentence(n: int) -> str:
    return f"{n} {'trygghetsfråga' if n == 1 else 'trygghetsfrågor'} i Träffpunkts dialog (steg 2–4)"


def _copy(src, tmp_path, name="copy.duckdb"):
    db = tmp_path / name
    shutil.copy(src, db)
    return db


def _ort_with_platser(cfg, n: int = 2):
    """(area, ort, platser): an ort with at least `n` configured platser, one of a Träffpunkt area if any."""
    traffpunkt = {a.name for a in cfg.areas if a.kind == "traffpunkt"}
    found = [(o.area not in traffpunkt, o.area, o.name, [p.name for p in cfg.platser if p.ort == o.name])
             for o in cfg.orter]
    found = sorted(f for f in found if len(f[3]) >= n)
    assert found, f"no ort with {n} platser"
    return found[0][1:]


def _save_questions(store, cfg, area, questions) -> None:
    step = d.Step(area=area, round="2026", step=2, meeting_date=date(2026, 3, 4),
                  participants={"tjanstepersoner": 4}, questions=tuple(questions))
    store.save_traffpunkt_step(d.step_row(step), [], actor="admin@kommun.se")


def _by_unit(frame: pd.DataFrame) -> dict:
    return {r["unit"]: r for _, r in frame.iterrows()}


def _same(a, b) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _assert_only_changed(before: dict, after: dict, changed: dict[str, int], cfg) -> None:
    """Units in `changed` rose by weight x min(1, n / cap) and list the sentence; every other unit is as before."""
    w, cap = cfg.vandring.weights["dialog"], cfg.vandring.caps["dialog_questions"]
    assert set(before) == set(after)
    for unit, b in before.items():
        a = after[unit]
        if unit in changed:
            n = changed[unit]
            assert b["status"] == "ok", unit
            assert a["score_dialog"] == pytest.approx(min(1.0, n / cap), abs=1e-12)
            assert a["total"] - b["total"] == pytest.approx(w * min(1.0, n / cap), abs=1e-9), unit
            assert _sentence(n) in a["reasons"] and _sentence(n) not in b["reasons"]
        else:
            assert _same(a["total"], b["total"]), unit
            assert a["reasons"] == b["reasons"], unit
        for key in scoring.COMPONENTS:
            if key != "dialog":
                assert _same(a[f"score_{key}"], b[f"score_{key}"]), (unit, key)


def test_the_demo_without_questions_scores_as_before_and_an_older_config_does_not_crash(demo_db, config):
    with open_store(demo_db, read_only=True, config=config) as s:
        evidence = candidates.candidate_evidence(s, config, level="plats")
    assert "dialog_questions" not in evidence.columns
    out = candidates.score(evidence, config)
    scored = out[out["status"] == "ok"]
    assert not scored.empty and (scored["score_dialog"] == 0.0).all()
    # A tsk.toml from before the component: no dialog weight, no dialog_questions cap.
    old = replace(config, vandring=replace(
        config.vandring, weights={k: v for k, v in config.vandring.weights.items() if k != "dialog"},
        caps={k: v for k, v in config.vandring.caps.items() if k != "dialog_questions"}))
    assert scoring.default_weights(old)["dialog"] == 0.0
    pd.testing.assert_frame_equal(candidates.score(evidence, old), out)
    # Evidence with questions but a config without the cap: the component gives 0, nothing crashes.
    with_q = evidence.assign(dialog_questions=5)
    assert (candidates.score(with_q, old)["score_dialog"].fillna(0.0) == 0.0).all()


def test_plats_questions_raise_that_plats_only(demo_db, config, tmp_path):
    area, ort, (plats1, plats2, *_) = _ort_with_platser(config)
    cat = config.categories[0].key
    with open_store(_copy(demo_db, tmp_path), config=config) as s:
        before_p = _by_unit(candidates.ranked_candidates(s, config, level="plats"))
        before_o = _by_unit(candidates.ranked_candidates(s, config, level="ort"))
        _save_questions(s, config, area, [d.Question(cat, ort, plats1), d.Question(cat, ort, plats1)])
        after_p = _by_unit(candidates.ranked_candidates(s, config, level="plats"))
        after_o = _by_unit(candidates.ranked_candidates(s, config, level="ort"))
    _assert_only_changed(before_p, after_p, {f"{plats1}, {ort}": 2}, config)
    _assert_only_changed(before_o, after_o, {ort: 2}, config)
    assert after_p[f"{plats2}, {ort}"]["score_dialog"] == 0.0  # the other plats of the ort


def test_whole_ort_questions_count_for_every_plats_and_the_cap_holds(demo_db, config, tmp_path):
    area, ort, (plats1, plats2, *_) = _ort_with_platser(config)
    cat = config.categories[0].key
    cap = int(config.vandring.caps["dialog_questions"])
    with open_store(_copy(demo_db, tmp_path), config=config) as s:
        before = _by_unit(candidates.ranked_candidates(s, config, level="plats"))
        before_o = _by_unit(candidates.ranked_candidates(s, config, level="ort"))
        _save_questions(s, config, area, [d.Question(cat, ort), d.Question(cat, ort, plats1)])
        _save_questions(s, config, area, [d.Question(cat, ort, plats1)] * cap)
        after = _by_unit(candidates.ranked_candidates(s, config, level="plats"))
        after_o = _by_unit(candidates.ranked_candidates(s, config, level="ort"))
    others = {f"{p.name}, {ort}": 1 for p in config.platser if p.ort == ort and before[f"{p.name}, {ort}"]["status"] == "ok"}
    _assert_only_changed(before, after, {**others, f"{plats1}, {ort}": cap + 2}, config)
    assert after[f"{plats1}, {ort}"]["score_dialog"] == 1.0 and after[f"{plats2}, {ort}"]["score_dialog"] == pytest.approx(1 / cap)
    _assert_only_changed(before_o, after_o, {ort: cap + 2}, config)


def test_kommun2_runs_with_dialog_questions(kommun2_stores, kommun2_config, tmp_path):
    cfg = kommun2_config
    area, ort, (plats1, *_) = _ort_with_platser(cfg, 1)
    with open_store(_copy(kommun2_stores["en_omgang"], tmp_path, "k2.duckdb"), config=cfg) as s:
        before = _by_unit(candidates.ranked_candidates(s, cfg, level="plats"))
        _save_questions(s, cfg, area, [d.Question(cfg.categories[0].key, ort, plats1)])
        after = _by_unit(candidates.ranked_candidates(s, cfg, level="plats"))
    unit = f"{plats1}, {ort}"
    assert after[unit]["score_dialog"] == pytest.approx(1 / cfg.vandring.caps["dialog_questions"])
    assert "1 trygghetsfråga i Träffpunkts dialog (steg 2–4)" in after[unit]["reasons"]
    _assert_only_changed(before, after, {unit: 1}, cfg)

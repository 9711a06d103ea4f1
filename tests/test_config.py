"""The shipped configuration is consistent: every place's physical notes are checklist keys, every
ort lies in a configured area, the scoring weights cover every component."""
import pytest

from tsk.config import ROOT
from tsk.pagedata import scoring


def test_physical_notes_are_checklist_keys(config):
    keys = {c.key for c in config.vandring.checklist}
    assert [(p.name, k) for p in config.platser for k in p.physical if k not in keys] == []


def test_weights_cover_every_scoring_component(config):
    assert set(config.vandring.weights) == set(scoring.COMPONENTS)
    assert set(config.vandring.caps) >= set(scoring.CAP_KEYS)


def test_areas_four_and_five_are_marked_as_assumptions(config):
    assert [a.name for a in config.areas if a.assumption] == ["Lysjö norra", "Lysjö södra"]
    assert sum(1 for a in config.areas if a.kind == "traffpunkt") == 5


# --- [survey] headline_item -------------------------------------------------------------------------
def _with_survey(config, **survey):
    import copy

    from tsk.config import parse_config

    data = copy.deepcopy(config.raw)
    data["survey"].update(survey)
    return parse_config(data, ROOT / "tsk.toml")


def test_the_headline_item_is_trygg_kvall_unless_the_config_names_another(config):
    assert config.headline_item == "trygg_kvall"
    assert _with_survey(config, headline_item="trygg_kommun").headline_item == "trygg_kommun"


def test_a_headline_item_that_is_no_survey_item_is_refused_in_swedish(config):
    from tsk.errors import TskError

    with pytest.raises(TskError) as e:
        _with_survey(config, headline_item="trygg_kvÄll")
    message = e.value.message
    assert "headline_item" in message and "trygg_kvÄll" in message and "trygg_kommun" in message


def test_the_overview_map_and_the_candidates_follow_the_headline_item(config, demo_db):
    from tsk.pagedata import candidates, overview
    from tsk.pagedata import survey as pagedata_survey
    from tsk.store import open_store

    other = _with_survey(config, headline_item="trygg_kommun")
    with open_store(demo_db, read_only=True) as store:
        year = store.survey_years()[-1]
        expected = pagedata_survey.survey_shares(store, other, item="trygg_kommun", year_from=year, year_to=year,
                                          by="area")
        shown = overview.area_metric(store, other, metric="otrygg")
        default = overview.area_metric(store, config, metric="otrygg")
        assert candidates._survey_by_area(store, other) != candidates._survey_by_area(store, config)
    merged = shown.merge(expected, left_on="name", right_on="group")
    assert len(merged) > 0 and (merged["value"] == merged["share"]).all()
    assert not shown["value"].equals(default["value"]), "the two items differ on the demo data"


def test_a_config_missing_a_required_key_says_which_in_swedish(config):
    """The message quotes the key itself: TskError once took that «key» for its own argument and
    raised a TypeError instead."""
    import copy

    from tsk.config import parse_config
    from tsk.errors import TskError

    data = copy.deepcopy(config.raw)
    del data["est"]["grades"]
    with pytest.raises(TskError) as e:
        parse_config(data, ROOT / "tsk.toml")
    assert e.value.message == f"Konfigurationsfilen {ROOT / 'tsk.toml'} saknar uppgiften «grades»."


# --- [windows] ------------------------------------------------------------------------------------------
def _with_windows(config, **windows):
    import copy

    from tsk.config import parse_config

    data = copy.deepcopy(config.raw)
    data["windows"] = windows
    return parse_config(data, ROOT / "tsk.toml")


def test_windows_default_to_the_routine_and_take_whole_weeks(config):
    from tsk.config import Windows

    assert config.windows == Windows()
    assert (Windows().overview_weeks, Windows().heat_weeks, Windows().silent_weeks) == (12, 16, 4)
    assert _with_windows(config, heat_weeks=10).windows.heat_weeks == 10


@pytest.mark.parametrize("value", [0, -2, "tolv", 2.5, True])
def test_a_window_that_is_no_whole_number_of_weeks_is_refused_in_swedish(config, value):
    from tsk.errors import TskError

    with pytest.raises(TskError) as e:
        _with_windows(config, overview_weeks=value)
    assert e.value.message == (f"Konfigurationsfilen {ROOT / 'tsk.toml'}: «[windows] overview_weeks» ska vara ett "
                               f"helt tal (veckor eller rapporter), minst 1, inte «{value}».")
